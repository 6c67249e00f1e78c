"""Authentication through boto3 and presigned URLs used with `requests`."""

import datetime
import os
import sys
import time
import xml.etree.ElementTree as ET

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

import sigv4  # noqa: E402
from server_harness import ServerTestCase, main, md5_hex, unique_bucket  # noqa: E402


def error_code(resp) -> str:
    root = ET.fromstring(resp.content)
    return root.findtext("Code")


class AuthTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("auth")
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.data = os.urandom(100_000)
        cls.s3.put_object(Bucket=cls.bucket, Key="obj", Body=cls.data)

    def test_presigned_get(self):
        url = self.s3.generate_presigned_url("get_object",
                                             Params={"Bucket": self.bucket, "Key": "obj"},
                                             ExpiresIn=300)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(md5_hex(resp.content), md5_hex(self.data))
        resp = requests.get(url, headers={"Range": "bytes=0-99"}, timeout=30)
        self.assertEqual(resp.status_code, 206)
        self.assertEqual(resp.content, self.data[:100])

    def test_presigned_get_with_response_overrides(self):
        url = self.s3.generate_presigned_url("get_object", Params={
            "Bucket": self.bucket, "Key": "obj", "ResponseContentType": "text/x-presigned",
            "ResponseContentDisposition": "attachment; filename=\"p.bin\""}, ExpiresIn=300)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.headers["Content-Type"], "text/x-presigned")
        self.assertEqual(resp.headers["Content-Disposition"], 'attachment; filename="p.bin"')

    def test_presigned_put(self):
        url = self.s3.generate_presigned_url("put_object",
                                             Params={"Bucket": self.bucket, "Key": "put/p"},
                                             ExpiresIn=300)
        body = os.urandom(70_000)
        resp = requests.put(url, data=body, timeout=30)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.headers["ETag"], f'"{md5_hex(body)}"')
        got = self.s3.get_object(Bucket=self.bucket, Key="put/p")["Body"].read()
        self.assertEqual(got, body)

    def test_presigned_special_keys(self):
        for key in ("dir/a b+c&d=e.txt", "ünï/ключ", "semi;colon,comma@at"):
            with self.subTest(key=key):
                put = self.s3.generate_presigned_url(
                    "put_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=300)
                resp = requests.put(put, data=key.encode(), timeout=30)
                self.assertEqual(resp.status_code, 200, resp.text)
                get = self.s3.generate_presigned_url(
                    "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=300)
                resp = requests.get(get, timeout=30)
                self.assertEqual(resp.status_code, 200, resp.text)
                self.assertEqual(resp.content, key.encode())
                head = self.s3.generate_presigned_url(
                    "head_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=300)
                resp = requests.head(head, timeout=30)
                self.assertEqual(resp.status_code, 200)
                self.assertEqual(int(resp.headers["Content-Length"]), len(key.encode()))

    def test_presigned_url_from_independent_signer(self):
        creds = sigv4.Credentials(self.server.access_key, self.server.secret_key)
        url = sigv4.presign_url(creds, "GET", self.server.host, f"/{self.bucket}/obj", 60)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.content, self.data)

    def test_presigned_expired(self):
        url = self.s3.generate_presigned_url("get_object",
                                             Params={"Bucket": self.bucket, "Key": "obj"},
                                             ExpiresIn=1)
        time.sleep(2.5)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 403, resp.text)
        self.assertEqual(error_code(resp), "AccessDenied")
        # Signed ten minutes ago with a 60 s lifetime: expired although inside the skew window.
        creds = sigv4.Credentials(self.server.access_key, self.server.secret_key)
        past = sigv4.utc_now() - datetime.timedelta(minutes=10)
        url = sigv4.presign_url(creds, "GET", self.server.host, f"/{self.bucket}/obj", 60,
                                when=past)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 403, resp.text)
        self.assertEqual(error_code(resp), "AccessDenied")

    def test_presigned_expiry_too_long(self):
        # S3 caps X-Amz-Expires at seven days (604800 s).
        creds = sigv4.Credentials(self.server.access_key, self.server.secret_key)
        url = sigv4.presign_url(creds, "GET", self.server.host, f"/{self.bucket}/obj", 604801)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 400, resp.text)
        self.assertEqual(error_code(resp), "AuthorizationQueryParametersError")

    def test_presigned_tampered(self):
        url = self.s3.generate_presigned_url("get_object",
                                             Params={"Bucket": self.bucket, "Key": "obj"},
                                             ExpiresIn=300)
        # Same signature, different key: must not verify.
        tampered = url.replace("/obj?", "/other?")
        resp = requests.get(tampered, timeout=30)
        self.assertEqual(resp.status_code, 403, resp.text)
        self.assertEqual(error_code(resp), "SignatureDoesNotMatch")
        # Flip one hex digit of the signature.
        sig_at = url.index("X-Amz-Signature=") + len("X-Amz-Signature=")
        flipped = url[:sig_at] + ("0" if url[sig_at] != "0" else "1") + url[sig_at + 1:]
        resp = requests.get(flipped, timeout=30)
        self.assertEqual(resp.status_code, 403, resp.text)
        self.assertEqual(error_code(resp), "SignatureDoesNotMatch")

    def test_presigned_put_cannot_be_used_for_get(self):
        url = self.s3.generate_presigned_url("put_object",
                                             Params={"Bucket": self.bucket, "Key": "obj"},
                                             ExpiresIn=300)
        resp = requests.get(url, timeout=30)
        self.assertEqual(resp.status_code, 403, resp.text)
        self.assertEqual(error_code(resp), "SignatureDoesNotMatch")

    def test_wrong_secret(self):
        bad = self.server.boto3_client(secret_key=self.server.secret_key[::-1])
        self.assertClientError(bad.list_buckets, "SignatureDoesNotMatch", 403)
        self.assertClientError(bad.get_object, "SignatureDoesNotMatch", 403,
                               Bucket=self.bucket, Key="obj")
        self.assertClientError(bad.put_object, "SignatureDoesNotMatch", 403,
                               Bucket=self.bucket, Key="evil", Body=b"x")
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key="evil")

    def test_unknown_access_key(self):
        bad = self.server.boto3_client(access_key="AKIDUNKNOWNUNKNOWN00")
        err = self.assertClientError(bad.list_buckets, "InvalidAccessKeyId", 403)
        self.assertTrue(err["Error"].get("Message"))
        self.assertClientError(bad.get_object, "InvalidAccessKeyId", 403, Bucket=self.bucket,
                               Key="obj")

    def test_anonymous(self):
        anon = self.server.boto3_client(unsigned=True)
        self.assertClientError(anon.list_buckets, "AccessDenied", 403)
        self.assertClientError(anon.get_object, "AccessDenied", 403, Bucket=self.bucket,
                               Key="obj")
        self.assertClientError(anon.put_object, "AccessDenied", 403, Bucket=self.bucket,
                               Key="anon", Body=b"x")
        self.assertClientError(anon.list_objects_v2, "AccessDenied", 403, Bucket=self.bucket)
        resp = requests.get(self.server.url(f"/{self.bucket}/obj"), timeout=30)
        self.assertEqual(resp.status_code, 403)
        self.assertEqual(error_code(resp), "AccessDenied")

    def test_error_body_request_id_matches_header(self):
        resp = requests.get(self.server.url(f"/{self.bucket}/obj"), timeout=30)
        self.assertEqual(resp.status_code, 403)
        root = ET.fromstring(resp.content)
        self.assertEqual(root.tag, "Error")
        rid = root.findtext("RequestId")
        self.assertTrue(rid)
        self.assertEqual(resp.headers.get("x-amz-request-id"), rid)
        self.assertTrue(root.findtext("Message"))
        self.assertEqual(root.findtext("Resource"), f"/{self.bucket}/obj")

    def test_request_ids_unique(self):
        ids = set()
        for _ in range(5):
            resp = self.s3.head_bucket(Bucket=self.bucket)
            ids.add(resp["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"])
        self.assertEqual(len(ids), 5)


if __name__ == "__main__":
    main()
