"""POST Object (browser form uploads), end to end: boto3's generate_presigned_post (SigV4
policy) with requests, the POST-only V2 form (AWSAccessKeyId + HMAC-SHA1 signature) as
ceph/s3-tests and older browser SDKs send it, policy conditions and expiry, content-length-
range, success_action_redirect / _status, anonymous uploads (refused unless a bucket policy
allows them), IAM users authorized as for PutObject, the audit record, and malformed bodies
answered with S3 errors while the server keeps serving."""

import base64
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (SbctlServerTestCase, ServerTestCase, main,  # noqa: E402
                            unique_bucket)

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def error_code(resp) -> str:
    try:
        root = ET.fromstring(resp.content)
    except ET.ParseError:
        return ""
    node = root.find("Code")
    return node.text if node is not None else ""


def error_message(resp) -> str:
    node = ET.fromstring(resp.content).find("Message")
    return node.text if node is not None else ""


def expiry(seconds: int) -> str:
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class PostObjectTest(SbctlServerTestCase):
    timeout_seconds = 240

    def setUp(self):
        self.bucket = unique_bucket("post")
        self.s3.create_bucket(Bucket=self.bucket)
        self.url = self.server.url(f"/{self.bucket}")

    # The V2 form: signature = base64(HMAC-SHA1(secret, base64(policy))).
    def v2_fields(self, conditions, expires_in=600, access_key=None, secret_key=None):
        doc = {"expiration": expiry(expires_in), "conditions": conditions}
        policy = base64.b64encode(json.dumps(doc).encode()).decode()
        secret = (secret_key or self.server.secret_key).encode()
        signature = base64.b64encode(hmac.new(secret, policy.encode(), hashlib.sha1).digest())
        return {"AWSAccessKeyId": access_key or self.server.access_key, "policy": policy,
                "signature": signature.decode()}

    def post(self, fields, content=b"hello", filename="hello.txt", **kw):
        files = list(fields.items()) + [("file", (filename, content, "text/plain"))]
        return requests.post(self.url, files=files, allow_redirects=False, timeout=30, **kw)

    def test_presigned_post_sigv4_with_status_201(self):
        post = self.s3.generate_presigned_post(
            Bucket=self.bucket, Key="uploads/${filename}",
            Fields={"success_action_status": "201", "Content-Type": "text/plain",
                    "x-amz-meta-origin": "browser"},
            Conditions=[{"success_action_status": "201"}, ["starts-with", "$Content-Type", "text/"],
                        {"x-amz-meta-origin": "browser"}, ["content-length-range", 1, 1024]],
            ExpiresIn=600)
        self.assertIn("x-amz-signature", post["fields"])
        files = list(post["fields"].items()) + [("file", ("note.txt", b"form bytes", "text/plain"))]
        resp = requests.post(post["url"], files=files, timeout=30)
        self.assertEqual(resp.status_code, 201, resp.text)
        root = ET.fromstring(resp.content)
        self.assertEqual(root.tag, NS + "PostResponse")
        self.assertEqual(root.find(NS + "Bucket").text, self.bucket)
        self.assertEqual(root.find(NS + "Key").text, "uploads/note.txt")
        etag = hashlib.md5(b"form bytes").hexdigest()
        self.assertEqual(root.find(NS + "ETag").text, f'"{etag}"')
        location = root.find(NS + "Location").text
        self.assertTrue(location.endswith(f"/{self.bucket}/uploads/note.txt"), location)
        self.assertEqual(resp.headers["ETag"], f'"{etag}"')
        got = self.s3.get_object(Bucket=self.bucket, Key="uploads/note.txt")
        self.assertEqual(got["Body"].read(), b"form bytes")
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(got["Metadata"], {"origin": "browser"})
        # Audited like any write, under the key from the form.
        records = self.audit_records(f"t/{self.bucket}/uploads/note.txt", "--operation",
                                     "PostObject")
        self.assertTrue(any(r["status"] == 201 for r in records), records)

    def test_v2_form_with_redirect_and_properties(self):
        redirect = "https://app.example.com/done?x=1"
        conditions = [{"bucket": self.bucket}, ["starts-with", "$key", "v2/"],
                      {"success_action_redirect": redirect}, {"acl": "private"},
                      ["eq", "$Cache-Control", "max-age=60"],
                      ["starts-with", "$x-amz-tagging", ""],
                      {"x-amz-server-side-encryption": "AES256"}]
        fields = self.v2_fields(conditions)
        tagging = ("<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet>"
                   "</Tagging>")
        fields.update({"key": "v2/obj", "success_action_redirect": redirect, "acl": "private",
                       "Cache-Control": "max-age=60", "x-amz-tagging": tagging,
                       "x-amz-server-side-encryption": "AES256", "x-ignore-me": "anything"})
        resp = self.post(fields, b"v2 bytes")
        self.assertEqual(resp.status_code, 303, resp.text)
        location = urllib.parse.urlsplit(resp.headers["Location"])
        self.assertEqual(location.netloc, "app.example.com")
        query = dict(urllib.parse.parse_qsl(location.query))
        etag = hashlib.md5(b"v2 bytes").hexdigest()
        self.assertEqual(query, {"x": "1", "bucket": self.bucket, "key": "v2/obj",
                                 "etag": f'"{etag}"'})
        head = self.s3.head_object(Bucket=self.bucket, Key="v2/obj")
        self.assertEqual(head["CacheControl"], "max-age=60")
        self.assertEqual(head["ServerSideEncryption"], "AES256")
        tags = self.s3.get_object_tagging(Bucket=self.bucket, Key="v2/obj")["TagSet"]
        self.assertEqual(tags, [{"Key": "k", "Value": "v"}])

    def test_default_status_is_204_and_200_on_request(self):
        fields = self.v2_fields([{"bucket": self.bucket}, ["starts-with", "$key", ""],
                                 ["starts-with", "$success_action_status", ""]])
        resp = self.post(dict(fields, key="a", success_action_status="200"))
        self.assertEqual((resp.status_code, resp.content), (200, b""))
        resp = self.post(dict(fields, key="b", success_action_status="418"))
        self.assertEqual(resp.status_code, 204)
        self.assertEqual(resp.headers["ETag"], f'"{hashlib.md5(b"hello").hexdigest()}"')

    def test_conditions_refuse_the_upload(self):
        base = [{"bucket": self.bucket}, ["starts-with", "$key", "user/"]]
        resp = self.post(dict(self.v2_fields(base), key="other/x"))
        self.assertEqual((resp.status_code, error_code(resp)), (403, "AccessDenied"))
        self.assertEqual(error_message(resp),
                         'Invalid according to Policy: Policy Condition failed: '
                         '["starts-with","$key","user/"]')
        # A field the policy does not mention.
        resp = self.post(dict(self.v2_fields(base), key="user/x", **{"x-amz-meta-extra": "1"}))
        self.assertEqual((resp.status_code, error_code(resp)), (403, "AccessDenied"))
        self.assertEqual(error_message(resp),
                         "Invalid according to Policy: Extra input fields: $x-amz-meta-extra")
        # Another bucket in the bucket condition.
        other = [{"bucket": "not-" + self.bucket}, ["starts-with", "$key", ""]]
        resp = self.post(dict(self.v2_fields(other), key="x"))
        self.assertEqual(resp.status_code, 403)
        # content-length-range: nothing is stored either way.
        ranged = base + [["content-length-range", 3, 8]]
        resp = self.post(dict(self.v2_fields(ranged), key="user/big"), b"123456789")
        self.assertEqual((resp.status_code, error_code(resp)), (400, "EntityTooLarge"))
        resp = self.post(dict(self.v2_fields(ranged), key="user/small"), b"12")
        self.assertEqual((resp.status_code, error_code(resp)), (400, "EntityTooSmall"))
        listed = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        self.assertEqual(listed, [])
        # A wrong signature.
        fields = dict(self.v2_fields(base, secret_key="not-the-secret"), key="user/x")
        resp = self.post(fields)
        self.assertEqual((resp.status_code, error_code(resp)), (403, "SignatureDoesNotMatch"))

    def test_checksum_field_is_verified(self):
        fields = dict(self.v2_fields([["starts-with", "$key", ""]]), key="sum")
        good = base64.b64encode(hashlib.sha256(b"hello").digest()).decode()
        resp = self.post(dict(fields, **{"x-amz-checksum-sha256": good}))
        self.assertEqual(resp.status_code, 204, resp.text)
        bad = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
        resp = self.post(dict(fields, key="sum2", **{"x-amz-checksum-sha256": bad}))
        self.assertEqual((resp.status_code, error_code(resp)), (400, "BadDigest"))
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key="sum2")

    def test_expired_and_malformed_policies(self):
        fields = dict(self.v2_fields([["starts-with", "$key", ""]], expires_in=-60), key="x")
        resp = self.post(fields)
        self.assertEqual((resp.status_code, error_code(resp)), (403, "AccessDenied"))
        self.assertEqual(error_message(resp), "Invalid according to Policy: Policy expired.")
        bad = base64.b64encode(b'{"expiration": "2030-01-01T00:00:00Z"}').decode()
        secret = self.server.secret_key.encode()
        sig = base64.b64encode(hmac.new(secret, bad.encode(), hashlib.sha1).digest()).decode()
        resp = self.post({"key": "x", "AWSAccessKeyId": self.server.access_key, "policy": bad,
                          "signature": sig})
        self.assertEqual((resp.status_code, error_code(resp)), (400, "InvalidPolicyDocument"))
        # No key field.
        resp = self.post(self.v2_fields([["starts-with", "$key", ""]]))
        self.assertEqual((resp.status_code, error_code(resp)), (400, "InvalidArgument"))

    def test_anonymous_post_needs_a_bucket_policy(self):
        resp = self.post({"key": "anon.txt"})
        self.assertEqual((resp.status_code, error_code(resp)), (403, "AccessDenied"))
        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "Drop", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{self.bucket}/dropbox/*"}]}
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps(policy))
        resp = self.post({"key": "dropbox/${filename}"}, b"anon", filename="in.txt")
        self.assertEqual(resp.status_code, 204, resp.text)
        got = self.s3.get_object(Bucket=self.bucket, Key="dropbox/in.txt")["Body"].read()
        self.assertEqual(got, b"anon")
        resp = self.post({"key": "elsewhere.txt"})
        self.assertEqual(resp.status_code, 403)

    def test_iam_user_is_authorized_for_put_object(self):
        self.sbctl("user", "add", "t", "uploader")
        key = self.sbctl_json("key", "create", "t", "uploader")
        conditions = [{"bucket": self.bucket}, ["starts-with", "$key", ""]]
        fields = dict(self.v2_fields(conditions, access_key=key["accessKey"],
                                     secret_key=key["secretKey"]), key="u.txt")
        resp = self.post(fields)
        self.assertEqual((resp.status_code, error_code(resp)), (403, "AccessDenied"))
        doc = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{self.bucket}/*"}]}
        path = Path(self.tmp.name) / "uploader.json"
        path.write_text(json.dumps(doc))
        self.sbctl("policy", "create", "t", "uploader-put", str(path))
        self.sbctl("policy", "attach", "t", "uploader-put", "--user", "uploader")
        self.assertEqual(self.post(fields).status_code, 204)
        # A disabled key is refused as for any signed request.
        self.sbctl("key", "disable", "t", key["accessKey"])
        resp = self.post(fields)
        self.assertEqual((resp.status_code, error_code(resp)), (403, "InvalidAccessKeyId"))

    def test_sts_temporary_credentials_need_their_token(self):
        import boto3
        from botocore.config import Config
        self.sbctl("user", "add", "t", "temp")
        doc = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{self.bucket}/*"}]}
        path = Path(self.tmp.name) / "temp.json"
        path.write_text(json.dumps(doc))
        self.sbctl("policy", "create", "t", "temp-put", str(path))
        self.sbctl("policy", "attach", "t", "temp-put", "--user", "temp")
        key = self.sbctl_json("key", "create", "t", "temp")
        sts = boto3.session.Session().client(
            "sts", endpoint_url=self.server.endpoint, region_name="us-east-1",
            aws_access_key_id=key["accessKey"], aws_secret_access_key=key["secretKey"],
            config=Config(retries={"total_max_attempts": 1}))
        creds = sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/any-role",
                                RoleSessionName="upload", DurationSeconds=900)["Credentials"]
        s3 = boto3.session.Session().client(
            "s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
        post = s3.generate_presigned_post(Bucket=self.bucket, Key="temp.txt", ExpiresIn=600)
        self.assertEqual(post["fields"]["x-amz-security-token"], creds["SessionToken"])
        files = list(post["fields"].items()) + [("file", ("t.txt", b"temporary"))]
        resp = requests.post(post["url"], files=files, timeout=30)
        self.assertEqual(resp.status_code, 204, resp.text)
        got = self.s3.get_object(Bucket=self.bucket, Key="temp.txt")["Body"].read()
        self.assertEqual(got, b"temporary")
        # The same temporary key without its session token (V2 form) is refused.
        fields = dict(self.v2_fields([["starts-with", "$key", ""]],
                                     access_key=creds["AccessKeyId"],
                                     secret_key=creds["SecretAccessKey"]), key="notoken.txt")
        resp = self.post(fields)
        self.assertEqual((resp.status_code, error_code(resp)), (400, "InvalidToken"))

    def test_malformed_bodies_get_s3_errors(self):
        headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
        resp = requests.post(self.url, data=b"--xyz\r\nno colon here\r\n\r\n", headers=headers,
                             timeout=30)
        self.assertEqual((resp.status_code, error_code(resp)), (400, "MalformedPOSTRequest"))
        resp = requests.post(self.url, data=b"key=x", timeout=30,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual((resp.status_code, error_code(resp)), (400, "MalformedPOSTRequest"))
        # The file's closing boundary never comes.
        body = (b"--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n"
                b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated")
        resp = requests.post(self.url, data=body, headers=headers, timeout=30)
        self.assertEqual((resp.status_code, error_code(resp)), (403, "AccessDenied"))
        # Fields over 20 KiB before the file.
        files = [("key", "k"), ("x-amz-meta-big", "v" * 21000), ("file", ("f", b"x"))]
        resp = requests.post(self.url, files=files, timeout=30)
        self.assertEqual((resp.status_code, error_code(resp)),
                         (400, "MaxPostPreDataLengthExceededError"))
        # Still serving.
        self.s3.head_bucket(Bucket=self.bucket)

    def test_unterminated_file_with_credentials_stores_nothing(self):
        fields = dict(self.v2_fields([["starts-with", "$key", ""]]), key="cut")
        parts = b""
        for name, value in fields.items():
            parts += (b"--xyz\r\nContent-Disposition: form-data; name=\"" + name.encode() +
                      b"\"\r\n\r\n" + value.encode() + b"\r\n")
        body = parts + b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end"
        resp = requests.post(self.url, data=body, timeout=30,
                             headers={"Content-Type": "multipart/form-data; boundary=xyz"})
        self.assertEqual((resp.status_code, error_code(resp)), (400, "MalformedPOSTRequest"))
        self.assertEqual(self.s3.list_objects_v2(Bucket=self.bucket).get("KeyCount"), 0)


class VirtualHostPostTest(ServerTestCase):
    """A POST to BUCKET.DOMAIN/ (virtual-host style) stores under that bucket and names the
    object in that style."""
    server_args = ("--domain", "s3.test")

    def test_post_to_virtual_host(self):
        bucket = unique_bucket("post-vh")
        self.s3.create_bucket(Bucket=bucket)
        doc = {"expiration": expiry(600), "conditions": [
            {"bucket": bucket}, ["starts-with", "$key", ""], {"success_action_status": "201"}]}
        policy = base64.b64encode(json.dumps(doc).encode()).decode()
        signature = base64.b64encode(hmac.new(self.server.secret_key.encode(), policy.encode(),
                                              hashlib.sha1).digest()).decode()
        fields = [("key", "vh/${filename}"), ("AWSAccessKeyId", self.server.access_key),
                  ("policy", policy), ("signature", signature), ("success_action_status", "201"),
                  ("file", ("v.txt", b"virtual post"))]
        host = f"{bucket}.s3.test:{self.server.port}"
        resp = requests.post(self.server.url("/"), files=fields, headers={"Host": host},
                             timeout=30)
        self.assertEqual(resp.status_code, 201, resp.text)
        self.assertEqual(resp.headers["Location"], f"http://{host}/vh/v.txt")
        got = self.s3.get_object(Bucket=bucket, Key="vh/v.txt")["Body"].read()
        self.assertEqual(got, b"virtual post")


if __name__ == "__main__":
    main()
