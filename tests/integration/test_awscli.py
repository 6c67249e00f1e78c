"""The aws cli (v1 on current botocore) against the server: mb, cp (100 MiB multipart
both ways), ls, rm, sync, rb and a few s3api error paths."""

import json
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (ServerTestCase, aws_cli_path, file_md5, main,  # noqa: E402
                            make_tree, md5_hex, run_tool, tree_digest, unique_bucket,
                            write_random_file)

MiB = 1024 * 1024


class AwsCliTest(ServerTestCase):
    timeout_seconds = 400

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="sb-awscli-")
        cls.bucket = unique_bucket("cli")
        res = cls.server.aws("s3", "mb", f"s3://{cls.bucket}")
        assert f"make_bucket: {cls.bucket}" in res.stdout, res.stdout

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def path(self, *parts) -> Path:
        return Path(self.tmp.name, *parts)

    def s3api(self, *args, check=True):
        res = self.server.aws("s3api", *args, "--output", "json", check=check)
        return json.loads(res.stdout) if check and res.stdout.strip() else res

    def test_cp_100mib_roundtrip(self):
        src = self.path("big-src.bin")
        size = 100 * MiB
        md5 = write_random_file(src, size)
        res = self.server.aws("s3", "cp", src, f"s3://{self.bucket}/big/file.bin", timeout=300)
        self.assertIn("upload:", res.stdout)
        head = self.s3api("head-object", "--bucket", self.bucket, "--key", "big/file.bin")
        self.assertEqual(head["ContentLength"], size)
        # The cli splits at 8 MiB: 13 parts.
        self.assertRegex(head["ETag"], r'^"[0-9a-f]{32}-13"$')
        dst = self.path("big-dst.bin")
        self.server.aws("s3", "cp", f"s3://{self.bucket}/big/file.bin", dst, timeout=300)
        self.assertEqual(os.path.getsize(dst), size)
        self.assertEqual(file_md5(dst), md5)
        res = self.server.aws("s3", "rm", f"s3://{self.bucket}/big/file.bin")
        self.assertIn("delete:", res.stdout)
        res = self.s3api("head-object", "--bucket", self.bucket, "--key", "big/file.bin",
                         check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("404", res.stderr)
        os.remove(src)
        os.remove(dst)

    def test_cp_with_https_default_wire_format(self):
        # Over https the cli sends aws-chunked bodies with an unsigned CRC32 trailer
        # (STREAMING-UNSIGNED-PAYLOAD-TRAILER in HTTP chunked framing); the plugin makes it do
        # the same over this plain-http endpoint.
        small = self.path("trailer-small.bin")
        small_md5 = write_random_file(small, 700_000)
        large = self.path("trailer-large.bin")
        large_md5 = write_random_file(large, 20 * MiB + 3)
        self.server.aws("s3", "cp", small, f"s3://{self.bucket}/trailer/small", trailer=True)
        self.server.aws("s3", "cp", large, f"s3://{self.bucket}/trailer/large", trailer=True)
        uses = (self.server.work_dir / "trailer-uses.log").read_text().split()
        self.assertIn("before-call.s3.PutObject", uses)
        self.assertEqual(uses.count("before-call.s3.UploadPart"), 3)  # 8 + 8 + 4 MiB
        head = self.s3api("head-object", "--bucket", self.bucket, "--key", "trailer/small")
        self.assertEqual(head["ETag"], f'"{small_md5}"')
        head = self.s3api("head-object", "--bucket", self.bucket, "--key", "trailer/large")
        self.assertEqual(head["ContentLength"], 20 * MiB + 3)
        for key, md5 in (("trailer/small", small_md5), ("trailer/large", large_md5)):
            out = self.path(key.replace("/", "-") + ".out")
            self.server.aws("s3", "cp", f"s3://{self.bucket}/{key}", out)
            self.assertEqual(file_md5(out), md5)

    def test_presign(self):
        src = self.path("presign.txt")
        src.write_bytes(b"presigned by the cli\n")
        self.server.aws("s3", "cp", src, f"s3://{self.bucket}/presign/p.txt")
        # cli v1 presigns with SigV2 unless told otherwise; Strongbox speaks SigV4 only.
        cfg = self.path("aws-config-presign")
        cfg.write_text("[default]\ns3 =\n    signature_version = s3v4\n")
        env = dict(self.server.aws_env(), AWS_CONFIG_FILE=str(cfg))
        res = run_tool([aws_cli_path(), "--endpoint-url", self.server.endpoint, "s3", "presign",
                        f"s3://{self.bucket}/presign/p.txt", "--expires-in", "120"], env, 60,
                       True)
        self.assertIn("X-Amz-Signature=", res.stdout)
        import requests
        resp = requests.get(res.stdout.strip(), timeout=30)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.content, b"presigned by the cli\n")

    def test_cp_small_with_metadata_and_stdin(self):
        src = self.path("small.txt")
        src.write_bytes(b"hello from the aws cli\n")
        self.server.aws("s3", "cp", src, f"s3://{self.bucket}/small/hello.txt",
                        "--metadata", "origin=cli", "--content-type", "text/plain")
        head = self.s3api("head-object", "--bucket", self.bucket, "--key", "small/hello.txt")
        self.assertEqual(head["Metadata"], {"origin": "cli"})
        self.assertEqual(head["ContentType"], "text/plain")
        data = os.urandom(300_000)
        self.server.aws("s3", "cp", "-", f"s3://{self.bucket}/small/stdin.bin", input=data)
        out = self.path("stdin-back.bin")
        self.server.aws("s3", "cp", f"s3://{self.bucket}/small/stdin.bin", out)
        self.assertEqual(md5_hex(out.read_bytes()), md5_hex(data))

    def test_ls(self):
        for key in ("ls/a.txt", "ls/b.txt", "ls/sub/c.txt"):
            p = self.path("ls-" + key.replace("/", "_"))
            p.write_bytes(key.encode())
            self.server.aws("s3", "cp", p, f"s3://{self.bucket}/{key}")
        res = self.server.aws("s3", "ls")
        self.assertRegex(res.stdout, rf"(?m)^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d {self.bucket}$")
        res = self.server.aws("s3", "ls", f"s3://{self.bucket}/ls/")
        lines = res.stdout.splitlines()
        self.assertIn("PRE sub/", [ln.strip() for ln in lines])
        files = {ln.split()[-1]: int(ln.split()[-2]) for ln in lines if "PRE" not in ln}
        self.assertEqual(files, {"a.txt": len(b"ls/a.txt"), "b.txt": len(b"ls/b.txt")})
        res = self.server.aws("s3", "ls", f"s3://{self.bucket}/ls/", "--recursive")
        keys = sorted(ln.split()[-1] for ln in res.stdout.splitlines())
        self.assertEqual(keys, ["ls/a.txt", "ls/b.txt", "ls/sub/c.txt"])
        res = self.server.aws("s3", "rm", f"s3://{self.bucket}/ls/", "--recursive")
        self.assertEqual(res.stdout.count("delete:"), 3)
        res = self.server.aws("s3", "ls", f"s3://{self.bucket}/ls/", check=False)
        self.assertEqual(res.stdout.strip(), "")

    def test_sync_up_and_down(self):
        src = self.path("sync-src")
        expected = make_tree(src)
        res = self.server.aws("s3", "sync", src, f"s3://{self.bucket}/tree")
        self.assertEqual(res.stdout.count("upload:"), len(expected), res.stdout)
        # Nothing changed: a second sync uploads nothing.
        res = self.server.aws("s3", "sync", src, f"s3://{self.bucket}/tree")
        self.assertNotIn("upload:", res.stdout)
        dst = self.path("sync-dst")
        self.server.aws("s3", "sync", f"s3://{self.bucket}/tree", dst)
        self.assertEqual(tree_digest(dst), expected)
        # Local change and deletion propagate with --delete.
        (src / "README.txt").write_bytes(b"changed and longer than before\n")
        (src / "data" / "small-0.bin").unlink()
        res = self.server.aws("s3", "sync", src, f"s3://{self.bucket}/tree", "--delete")
        self.assertIn("upload:", res.stdout)
        self.assertIn("delete:", res.stdout)
        res = self.server.aws("s3", "ls", f"s3://{self.bucket}/tree/", "--recursive")
        remote = sorted(re.split(r"\s+", ln.strip(), maxsplit=3)[3]
                        for ln in res.stdout.splitlines())
        self.assertEqual(remote, sorted("tree/" + k for k in tree_digest(src)))
        self.server.aws("s3", "sync", f"s3://{self.bucket}/tree", dst, "--delete")
        self.assertEqual(tree_digest(dst), tree_digest(src))

    def test_rb_force(self):
        bucket = unique_bucket("cli-rb")
        self.server.aws("s3", "mb", f"s3://{bucket}")
        p = self.path("rb.txt")
        p.write_bytes(b"x")
        self.server.aws("s3", "cp", p, f"s3://{bucket}/one")
        self.server.aws("s3", "cp", p, f"s3://{bucket}/two/three")
        res = self.server.aws("s3", "rb", f"s3://{bucket}", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("BucketNotEmpty", res.stderr)
        res = self.server.aws("s3", "rb", f"s3://{bucket}", "--force")
        self.assertIn(f"remove_bucket: {bucket}", res.stdout)
        res = self.s3api("head-bucket", "--bucket", bucket, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("404", res.stderr)

    def test_s3api_error_paths(self):
        res = self.s3api("get-object", "--bucket", self.bucket, "--key", "nope",
                         str(self.path("nope")), check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("NoSuchKey", res.stderr)
        res = self.s3api("create-bucket", "--bucket", "Bad_Bucket_Name", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("InvalidBucketName", res.stderr)
        res = self.s3api("list-objects-v2", "--bucket", unique_bucket("nob"), check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("NoSuchBucket", res.stderr)
        res = self.server.aws("s3", "ls", secret_key="wrong-secret-key-0000000000000000000000",
                              check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", res.stderr)

    def test_s3api_put_get_with_checksum(self):
        src = self.path("ck.bin")
        src.write_bytes(os.urandom(123_456))
        out = self.s3api("put-object", "--bucket", self.bucket, "--key", "ck/obj", "--body",
                         str(src), "--checksum-algorithm", "SHA256")
        self.assertEqual(out["ETag"], f'"{file_md5(src)}"')
        dst = self.path("ck-out.bin")
        self.s3api("get-object", "--bucket", self.bucket, "--key", "ck/obj", str(dst))
        self.assertEqual(file_md5(dst), file_md5(src))


if __name__ == "__main__":
    main()
