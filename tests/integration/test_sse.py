"""Encryption at rest against the real server: default SSE-S3, SSE-KMS with keys managed by
sbctl (disable/enable/rotate), SSE-C (put/get/range/multipart/copy, wrong or missing key),
bucket default encryption, KMS root key handling at startup, and shard files on disk that
never contain the plaintext."""

import base64
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from botocore.exceptions import ClientError  # noqa: E402
from server_harness import (ServerError, ServerTestCase, StrongboxServer, TimedTestCase,  # noqa: E402
                            main, md5_hex, unique_bucket)

MiB = 1024 * 1024
MARKER = b"SSE-PLAINTEXT-MARKER:7f3a9c"


def marked(size: int) -> bytes:
    """Plaintext made of a marker that a grep of the drives must never find."""
    return (MARKER * (size // len(MARKER) + 1))[:size]


def sbctl_path() -> Path:
    return Path(os.environ.get("STRONGBOX_BIN", "")).parent / "sbctl"


def files_under(root: Path):
    for path in Path(root).rglob("*"):
        if path.is_file():
            yield path


class SseTestBase(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("sse")
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.sbctl_dir = tempfile.mkdtemp(prefix="sb-sbctl-")
        cls.sbctl("alias", "set", "it", cls.server.endpoint, cls.server.access_key,
                  cls.server.secret_key)

    @classmethod
    def sbctl(cls, *args, check=True):
        env = dict(os.environ, SBCTL_CONFIG_DIR=cls.sbctl_dir)
        # Over HTTPS (the test CA is not in sbctl's trust store) skip verification.
        insecure = ["--insecure"] if cls.tls else []
        proc = subprocess.run([str(sbctl_path()), *insecure, *args], env=env, capture_output=True,
                              text=True, timeout=60)
        if check and proc.returncode != 0:
            raise AssertionError(f"sbctl {' '.join(args)} failed ({proc.returncode}): "
                                 f"{proc.stdout}{proc.stderr}")
        return proc

    def error_of(self, fn, *args, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kw)
        err = cm.exception.response
        return err["ResponseMetadata"]["HTTPStatusCode"], err.get("Error", {}).get("Code")


class SseS3AndKmsTest(SseTestBase):

    def test_default_is_sse_s3(self):
        data = os.urandom(100_000)
        put = self.s3.put_object(Bucket=self.bucket, Key="default", Body=data)
        self.assertEqual(put["ServerSideEncryption"], "AES256")
        self.assertEqual(put["ETag"], f'"{md5_hex(data)}"')  # ETag stays the plaintext MD5
        get = self.s3.get_object(Bucket=self.bucket, Key="default")
        self.assertEqual(get["ServerSideEncryption"], "AES256")
        self.assertEqual(get["Body"].read(), data)
        head = self.s3.head_object(Bucket=self.bucket, Key="default")
        self.assertEqual(head["ServerSideEncryption"], "AES256")
        self.assertEqual(head["ContentLength"], len(data))
        explicit = self.s3.put_object(Bucket=self.bucket, Key="explicit", Body=b"x",
                                      ServerSideEncryption="AES256")
        self.assertEqual(explicit["ServerSideEncryption"], "AES256")

    def test_unsupported_algorithm_is_refused(self):
        status, code = self.error_of(self.s3.put_object, Bucket=self.bucket, Key="bad",
                                     Body=b"x", ServerSideEncryption="aws:kms:dsse")
        self.assertEqual((status, code), (400, "InvalidArgument"))

    def test_sse_kms_key_lifecycle_through_sbctl(self):
        out = self.sbctl("kms", "key", "create", "it", "app-key").stdout
        self.assertIn("app-key", out)
        listing = self.sbctl("kms", "key", "ls", "it").stdout
        self.assertIn("app-key", listing)
        self.assertIn("sse-s3", listing)  # the internal SSE-S3 master key
        data = os.urandom(3 * 65536 + 5)
        put = self.s3.put_object(Bucket=self.bucket, Key="kms", Body=data,
                                 ServerSideEncryption="aws:kms", SSEKMSKeyId="app-key")
        self.assertEqual(put["ServerSideEncryption"], "aws:kms")
        self.assertEqual(put["SSEKMSKeyId"], "app-key")
        get = self.s3.get_object(Bucket=self.bucket, Key="kms")
        self.assertEqual(get["SSEKMSKeyId"], "app-key")
        self.assertEqual(get["Body"].read(), data)

        self.sbctl("kms", "key", "disable", "it", "app-key")
        status, code = self.error_of(self.s3.get_object, Bucket=self.bucket, Key="kms")
        self.assertEqual((status, code), (400, "KMS.DisabledException"))
        status, _ = self.error_of(self.s3.put_object, Bucket=self.bucket, Key="kms2", Body=b"x",
                                  ServerSideEncryption="aws:kms", SSEKMSKeyId="app-key")
        self.assertEqual(status, 400)
        self.assertIn("disabled", self.sbctl("kms", "key", "ls", "it").stdout)
        self.sbctl("kms", "key", "enable", "it", "app-key")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="kms")["Body"].read(), data)

        out = self.sbctl("kms", "key", "rotate", "it", "app-key").stdout
        self.assertIn("version 2", out)
        self.s3.put_object(Bucket=self.bucket, Key="kms-v2", Body=b"after rotation",
                           ServerSideEncryption="aws:kms", SSEKMSKeyId="app-key")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="kms")["Body"].read(), data)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="kms-v2")["Body"].read(),
                         b"after rotation")
        doc = json.loads(self.sbctl("kms", "key", "ls", "it", "--json").stdout)
        versions = {k["id"]: k["latest_version"] for k in doc["keys"]}
        self.assertEqual(versions["app-key"], 2)

        failed = self.sbctl("kms", "key", "create", "it", "app-key", check=False)
        self.assertNotEqual(failed.returncode, 0)
        failed = self.sbctl("kms", "key", "disable", "it", "no-such-key", check=False)
        self.assertNotEqual(failed.returncode, 0)

    def drive_digests(self) -> dict:
        return {str(p): md5_hex(p.read_bytes())
                for p in files_under(Path(self.server.data_dir) / "drives")}

    def rotate(self, key_id: str) -> dict:
        return json.loads(self.sbctl("kms", "key", "rotate", "it", key_id, "--json").stdout)

    def test_two_keys_rotation_rewraps_without_rewriting_data_and_disable(self):
        bucket = unique_bucket("sse-rot")
        self.s3.create_bucket(Bucket=bucket)
        self.sbctl("kms", "key", "create", "it", "rot-one")
        self.sbctl("kms", "key", "create", "it", "rot-two")
        one = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "rot-one"}
        two = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "rot-two"}
        a, b = os.urandom(200_000), os.urandom(70_000)
        self.s3.put_object(Bucket=bucket, Key="a", Body=a, **one)
        self.s3.put_object(Bucket=bucket, Key="b", Body=b, **two)
        parts = [os.urandom(5 * MiB), os.urandom(1000)]
        up = self.s3.create_multipart_upload(Bucket=bucket, Key="m", **one)["UploadId"]
        etags = [self.s3.upload_part(Bucket=bucket, Key="m", UploadId=up, PartNumber=i + 1,
                                     Body=p)["ETag"] for i, p in enumerate(parts)]
        self.s3.complete_multipart_upload(
            Bucket=bucket, Key="m", UploadId=up,
            MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e}
                                       for i, e in enumerate(etags)]})
        # An upload in progress across the rotation: its uploaded part is re-wrapped too.
        pending = self.s3.create_multipart_upload(Bucket=bucket, Key="p", **one)["UploadId"]
        p1 = self.s3.upload_part(Bucket=bucket, Key="p", UploadId=pending, PartNumber=1,
                                 Body=parts[0])["ETag"]

        before = self.drive_digests()
        doc = self.rotate("rot-one")
        self.assertEqual(doc["latest_version"], 2)
        # a (one part), m (two parts) and the pending upload's part; b is under the other key.
        self.assertEqual((doc["rewrapped_data_keys"], doc["rewrap_failures"]), (4, 0))
        self.assertEqual(self.drive_digests(), before)  # not one shard byte rewritten
        text = self.sbctl("kms", "key", "rotate", "it", "rot-one").stdout
        self.assertIn("version 3; re-wrapped 4 data keys", text)
        self.assertEqual(self.rotate("rot-two")["rewrapped_data_keys"], 1)
        self.assertEqual(self.drive_digests(), before)
        # Every rotation moves the key's data keys forward to its newest version.
        self.assertEqual(self.rotate("rot-two")["rewrapped_data_keys"], 1)

        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="a")["Body"].read(), a)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="b")["Body"].read(), b)
        got = self.s3.get_object(Bucket=bucket, Key="m", Range=f"bytes={5 * MiB - 10}-")
        self.assertEqual(got["Body"].read(), (parts[0] + parts[1])[5 * MiB - 10:])
        p2 = self.s3.upload_part(Bucket=bucket, Key="p", UploadId=pending, PartNumber=2,
                                 Body=parts[1])["ETag"]
        self.s3.complete_multipart_upload(
            Bucket=bucket, Key="p", UploadId=pending,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1},
                                       {"PartNumber": 2, "ETag": p2}]})
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="p")["Body"].read(),
                         parts[0] + parts[1])

        # Disabling one key makes exactly its objects unreadable, until it is enabled again.
        self.sbctl("kms", "key", "disable", "it", "rot-two")
        self.assertEqual(self.error_of(self.s3.get_object, Bucket=bucket, Key="b"),
                         (400, "KMS.DisabledException"))
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="a")["Body"].read(), a)
        failed = self.sbctl("kms", "key", "rotate", "it", "rot-two", check=False)
        self.assertNotEqual(failed.returncode, 0)
        self.sbctl("kms", "key", "enable", "it", "rot-two")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="b")["Body"].read(), b)

    def test_unknown_kms_key_is_refused(self):
        status, code = self.error_of(self.s3.put_object, Bucket=self.bucket, Key="x", Body=b"x",
                                     ServerSideEncryption="aws:kms", SSEKMSKeyId="nope")
        self.assertEqual((status, code), (400, "InvalidArgument"))

    def test_kms_default_key_and_context(self):
        context = base64.b64encode(json.dumps({"department": "finance"}).encode()).decode()
        put = self.s3.put_object(Bucket=self.bucket, Key="ctx", Body=b"with context",
                                 ServerSideEncryption="aws:kms", SSEKMSEncryptionContext=context)
        self.assertEqual(put["ServerSideEncryption"], "aws:kms")
        self.assertEqual(put["SSEKMSKeyId"], "aws/s3")  # the default key, made on first use
        self.assertEqual(json.loads(base64.b64decode(put["SSEKMSEncryptionContext"])),
                         {"department": "finance"})
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="ctx")["Body"].read(),
                         b"with context")
        reserved = base64.b64encode(json.dumps({"aws:s3:arn": "x"}).encode()).decode()
        status, _ = self.error_of(self.s3.put_object, Bucket=self.bucket, Key="ctx2", Body=b"x",
                                  ServerSideEncryption="aws:kms",
                                  SSEKMSEncryptionContext=reserved)
        self.assertEqual(status, 400)

    def test_kms_admin_api_is_root_only(self):
        other = self.server.boto3_client(access_key="NOTROOT", secret_key="x" * 40)
        status, _ = self.error_of(other.put_object, Bucket=self.bucket, Key="x", Body=b"x")
        self.assertEqual(status, 403)
        import urllib.request
        req = urllib.request.Request(self.server.url("/_strongbox/admin/v1/kms/keys"))
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 403)

    def test_bucket_default_encryption(self):
        bucket = unique_bucket("sse-def")
        self.s3.create_bucket(Bucket=bucket)
        status, code = self.error_of(self.s3.get_bucket_encryption, Bucket=bucket)
        self.assertEqual((status, code), (404, "ServerSideEncryptionConfigurationNotFoundError"))
        self.sbctl("kms", "key", "create", "it", "bucket-key")
        self.s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "bucket-key"}}]})
        conf = self.s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        rule = conf["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        self.assertEqual(rule, {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "bucket-key"})
        put = self.s3.put_object(Bucket=bucket, Key="k", Body=b"defaulted")
        self.assertEqual((put["ServerSideEncryption"], put["SSEKMSKeyId"]),
                         ("aws:kms", "bucket-key"))
        # A request's own choice wins over the default.
        put = self.s3.put_object(Bucket=bucket, Key="k2", Body=b"x", ServerSideEncryption="AES256")
        self.assertEqual(put["ServerSideEncryption"], "AES256")
        status, _ = self.error_of(self.s3.put_bucket_encryption, Bucket=bucket,
                                  ServerSideEncryptionConfiguration={"Rules": [{
                                      "ApplyServerSideEncryptionByDefault": {
                                          "SSEAlgorithm": "aws:kms",
                                          "KMSMasterKeyID": "missing-key"}}]})
        self.assertEqual(status, 400)
        self.s3.delete_bucket_encryption(Bucket=bucket)
        status, code = self.error_of(self.s3.get_bucket_encryption, Bucket=bucket)
        self.assertEqual(status, 404)
        put = self.s3.put_object(Bucket=bucket, Key="k3", Body=b"x")
        self.assertEqual(put["ServerSideEncryption"], "AES256")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(), b"defaulted")
        status, code = self.error_of(self.s3.get_bucket_encryption, Bucket=unique_bucket("none"))
        self.assertEqual((status, code), (404, "NoSuchBucket"))


class SseCTest(SseTestBase):
    tls = True  # SSE-C is refused on plain HTTP, as AWS does (tests/integration/test_tls.py)

    KEY = os.urandom(32)
    OTHER = os.urandom(32)

    def ssec(self, key=None):
        return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key or self.KEY}

    def test_put_get_head_range(self):
        data = os.urandom(5 * 65536 + 123)
        put = self.s3.put_object(Bucket=self.bucket, Key="c", Body=data, **self.ssec())
        self.assertEqual(put["SSECustomerAlgorithm"], "AES256")
        key_md5 = base64.b64encode(__import__("hashlib").md5(self.KEY).digest()).decode()
        self.assertEqual(put["SSECustomerKeyMD5"], key_md5)
        self.assertNotIn("ServerSideEncryption", put)
        get = self.s3.get_object(Bucket=self.bucket, Key="c", **self.ssec())
        self.assertEqual(get["Body"].read(), data)
        self.assertEqual(get["SSECustomerKeyMD5"], key_md5)
        head = self.s3.head_object(Bucket=self.bucket, Key="c", **self.ssec())
        self.assertEqual(head["ContentLength"], len(data))
        for start, end in [(0, 0), (65535, 65536), (65530, 3 * 65536 + 7), (len(data) - 10,
                                                                          len(data) - 1)]:
            got = self.s3.get_object(Bucket=self.bucket, Key="c", Range=f"bytes={start}-{end}",
                                     **self.ssec())
            self.assertEqual(got["Body"].read(), data[start:end + 1], (start, end))

    def test_missing_key_is_400_wrong_key_is_403(self):
        self.s3.put_object(Bucket=self.bucket, Key="c2", Body=b"secret", **self.ssec())
        status, code = self.error_of(self.s3.get_object, Bucket=self.bucket, Key="c2")
        self.assertEqual((status, code), (400, "InvalidRequest"))
        status, code = self.error_of(self.s3.get_object, Bucket=self.bucket, Key="c2",
                                     **self.ssec(self.OTHER))
        self.assertEqual((status, code), (403, "AccessDenied"))
        status, _ = self.error_of(self.s3.head_object, Bucket=self.bucket, Key="c2")
        self.assertEqual(status, 400)
        status, _ = self.error_of(self.s3.head_object, Bucket=self.bucket, Key="c2",
                                  **self.ssec(self.OTHER))
        self.assertEqual(status, 403)
        # A customer key for an object that has none is refused too.
        self.s3.put_object(Bucket=self.bucket, Key="plain", Body=b"x")
        status, _ = self.error_of(self.s3.get_object, Bucket=self.bucket, Key="plain",
                                  **self.ssec())
        self.assertEqual(status, 400)

    def test_multipart(self):
        key = "mp"
        up = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key, **self.ssec())
        self.assertEqual(up["SSECustomerAlgorithm"], "AES256")
        uid = up["UploadId"]
        p1, p2 = os.urandom(5 * MiB), os.urandom(1000)
        status, _ = self.error_of(self.s3.upload_part, Bucket=self.bucket, Key=key, UploadId=uid,
                                  PartNumber=1, Body=p1)
        self.assertEqual(status, 400)
        status, _ = self.error_of(self.s3.upload_part, Bucket=self.bucket, Key=key, UploadId=uid,
                                  PartNumber=1, Body=p1, **self.ssec(self.OTHER))
        self.assertEqual(status, 400)
        e1 = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=1, Body=p1,
                                 **self.ssec())
        self.assertEqual(e1["SSECustomerAlgorithm"], "AES256")
        e2 = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=2, Body=p2,
                                 **self.ssec())
        done = self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=key, UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1["ETag"]},
                                       {"PartNumber": 2, "ETag": e2["ETag"]}]})
        self.assertTrue(done["ETag"].endswith('-2"'))
        got = self.s3.get_object(Bucket=self.bucket, Key=key, **self.ssec())
        self.assertEqual(got["Body"].read(), p1 + p2)
        rng = self.s3.get_object(Bucket=self.bucket, Key=key, Range=f"bytes={5 * MiB - 3}-{5 * MiB + 2}",
                                 **self.ssec())
        self.assertEqual(rng["Body"].read(), (p1 + p2)[5 * MiB - 3:5 * MiB + 3])
        status, _ = self.error_of(self.s3.get_object, Bucket=self.bucket, Key=key)
        self.assertEqual(status, 400)

    def test_copy_and_upload_part_copy(self):
        data = os.urandom(6 * MiB + 11)
        self.s3.put_object(Bucket=self.bucket, Key="src", Body=data, **self.ssec())
        source = {"Bucket": self.bucket, "Key": "src"}
        status, _ = self.error_of(self.s3.copy_object, Bucket=self.bucket, Key="dst",
                                  CopySource=source)
        self.assertEqual(status, 400)
        status, _ = self.error_of(self.s3.copy_object, Bucket=self.bucket, Key="dst",
                                  CopySource=source, CopySourceSSECustomerAlgorithm="AES256",
                                  CopySourceSSECustomerKey=self.OTHER)
        self.assertEqual(status, 403)
        # SSE-C source to an SSE-C destination under another key.
        copied = self.s3.copy_object(Bucket=self.bucket, Key="dst", CopySource=source,
                                     CopySourceSSECustomerAlgorithm="AES256",
                                     CopySourceSSECustomerKey=self.KEY, **self.ssec(self.OTHER))
        self.assertEqual(copied["SSECustomerAlgorithm"], "AES256")
        got = self.s3.get_object(Bucket=self.bucket, Key="dst", **self.ssec(self.OTHER))
        self.assertEqual(got["Body"].read(), data)
        # ...and to a default (SSE-S3) destination.
        copied = self.s3.copy_object(Bucket=self.bucket, Key="dst-s3", CopySource=source,
                                     CopySourceSSECustomerAlgorithm="AES256",
                                     CopySourceSSECustomerKey=self.KEY)
        self.assertEqual(copied["ServerSideEncryption"], "AES256")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="dst-s3")["Body"].read(), data)
        # UploadPartCopy from the SSE-C source into an SSE-S3 upload.
        uid = self.s3.create_multipart_upload(Bucket=self.bucket, Key="pc")["UploadId"]
        part = self.s3.upload_part_copy(Bucket=self.bucket, Key="pc", UploadId=uid, PartNumber=1,
                                        CopySource=source, CopySourceRange=f"bytes=0-{5 * MiB - 1}",
                                        CopySourceSSECustomerAlgorithm="AES256",
                                        CopySourceSSECustomerKey=self.KEY)
        last = self.s3.upload_part(Bucket=self.bucket, Key="pc", UploadId=uid, PartNumber=2,
                                   Body=b"tail")
        self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key="pc", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]},
                                       {"PartNumber": 2, "ETag": last["ETag"]}]})
        got = self.s3.get_object(Bucket=self.bucket, Key="pc")
        self.assertEqual(got["Body"].read(), data[:5 * MiB] + b"tail")


class AtRestTest(SseTestBase):
    tls = True  # it stores an SSE-C object too

    def test_drives_never_hold_the_plaintext(self):
        self.sbctl("kms", "key", "create", "it", "disk-key")
        data = marked(2 * MiB + 333)
        self.s3.put_object(Bucket=self.bucket, Key="a", Body=data)
        self.s3.put_object(Bucket=self.bucket, Key="b", Body=data, ServerSideEncryption="aws:kms",
                           SSEKMSKeyId="disk-key")
        self.s3.put_object(Bucket=self.bucket, Key="c", Body=data, SSECustomerAlgorithm="AES256",
                           SSECustomerKey=os.urandom(32))
        uid = self.s3.create_multipart_upload(Bucket=self.bucket, Key="d")["UploadId"]
        e = self.s3.upload_part(Bucket=self.bucket, Key="d", UploadId=uid, PartNumber=1,
                                Body=data)["ETag"]
        self.s3.complete_multipart_upload(Bucket=self.bucket, Key="d", UploadId=uid,
                                          MultipartUpload={"Parts": [{"PartNumber": 1,
                                                                      "ETag": e}]})
        self.s3.copy_object(Bucket=self.bucket, Key="e", CopySource={"Bucket": self.bucket,
                                                                     "Key": "a"})
        total = 0
        for path in files_under(self.server.data_dir):
            content = path.read_bytes()
            total += len(content)
            self.assertNotIn(MARKER, content, f"plaintext found in {path}")
        self.assertGreater(total, 5 * len(data))  # the objects are there, just not readable
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="d")["Body"].read(), data)


class RootKeyTest(TimedTestCase):
    """KMS root key handling at startup (each test runs its own servers)."""

    def test_quick_start_key_is_generated_once_and_warned_about(self):
        server = StrongboxServer()
        try:
            server.start()
            s3 = server.boto3_client()
            s3.create_bucket(Bucket="rootkey")
            s3.put_object(Bucket="rootkey", Key="k", Body=b"survives restarts")
            key_file = server.data_dir / "meta" / "kms-root.key"
            self.assertTrue(key_file.exists())
            self.assertEqual(stat.S_IMODE(key_file.stat().st_mode), 0o600)
            first_key = key_file.read_bytes()
            self.assertIn("KMS root key is stored beside the data", server.output())
            server.stop()
            server.start()
            self.assertIn("KMS root key is stored beside the data", server.output())
            self.assertEqual(key_file.read_bytes(), first_key)
            s3 = server.boto3_client()
            self.assertEqual(s3.get_object(Bucket="rootkey", Key="k")["Body"].read(),
                             b"survives restarts")
            server.stop()
        finally:
            server.cleanup()

    def test_key_file_flag_and_wrong_key(self):
        work = Path(tempfile.mkdtemp(prefix="sb-rootkey-"))
        good, bad = work / "good.key", work / "bad.key"
        for path in (good, bad):
            path.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
            path.chmod(0o600)
        server = StrongboxServer(extra_args=["--kms-key-file", str(good)])
        try:
            server.start()
            self.assertNotIn("KMS root key is stored beside the data", server.output())
            self.assertFalse((server.data_dir / "meta" / "kms-root.key").exists())
            s3 = server.boto3_client()
            s3.create_bucket(Bucket="rootkey")
            s3.put_object(Bucket="rootkey", Key="k", Body=b"hello")
            server.stop()
            # The keyring does not open with another root key: refuse to start.
            server.extra_args = ["--kms-key-file", str(bad)]
            with self.assertRaises(ServerError) as cm:
                server.start()
            self.assertIn("root key", str(cm.exception))
            # A key file others may write is refused as well.
            good.chmod(0o666)
            server.extra_args = ["--kms-key-file", str(good)]
            with self.assertRaises(ServerError):
                server.start()
            good.chmod(0o600)
            server.start()
            self.assertEqual(server.boto3_client().get_object(Bucket="rootkey", Key="k")["Body"].read(),
                             b"hello")
            server.stop()
        finally:
            server.cleanup()


if __name__ == "__main__":
    main()
