"""sbctl end to end against the real server: the bucket command group (ls, mk, info, rm) as
tables and --json, exit codes for usage and server errors, and --help on every command."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import RawClient, SbctlServerTestCase, main, unique_bucket  # noqa: E402


class SbctlTest(SbctlServerTestCase):
    timeout_seconds = 180


    def test_bucket_lifecycle(self):
        bucket = unique_bucket("cli")
        self.assertIn(f"Created bucket '{bucket}'", self.sbctl("bucket", "mk", f"t/{bucket}").stdout)
        self.assertIn(bucket, self.sbctl("bucket", "ls", "t").stdout)
        names = [b["name"] for b in json.loads(self.sbctl("--json", "bucket", "ls", "t").stdout)
                 ["buckets"]]
        self.assertIn(bucket, names)
        for i in range(3):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x" * (i + 1))
        self.s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        info = json.loads(self.sbctl("--json", "bucket", "info", f"t/{bucket}").stdout)
        self.assertEqual(info["objects"], 3)
        self.assertEqual(info["bytes"], 6)
        self.assertEqual(info["encryption"], "AES256")
        self.assertFalse(info["policy"])
        self.assertFalse(info["counts_partial"])
        text = self.sbctl("bucket", "info", f"t/{bucket}").stdout
        self.assertIn("Objects:     3", text)
        # A non-empty bucket is refused with the server's error and a runtime exit code.
        res = self.sbctl("bucket", "rm", f"t/{bucket}", check=False)
        self.assertEqual(res.returncode, 2)
        self.assertIn("BucketNotEmpty", res.stderr)
        for i in range(3):
            self.s3.delete_object(Bucket=bucket, Key=f"k{i}")
        self.sbctl("bucket", "rm", f"t/{bucket}")
        self.assertNotIn(bucket, self.sbctl("bucket", "ls", "t").stdout)
        res = self.sbctl("bucket", "info", f"t/{bucket}", check=False)
        self.assertEqual(res.returncode, 2)
        self.assertIn("NoSuchBucket", res.stderr)

    def test_admin_api_buckets(self):
        """/_strongbox/admin/v1/buckets: JSON list and describe, create and delete through
        the S3 operations' own rules, root only."""
        raw = RawClient(self.server)
        admin = "/_strongbox/admin/v1/buckets"
        bucket = unique_bucket("adm")
        res = raw.request("PUT", f"{admin}/{bucket}")
        self.assertEqual(res.status, 200, res)
        res = raw.request("PUT", f"{admin}/Not_A_Bucket")
        self.assertEqual((res.status, res.error_code()), (400, "InvalidBucketName"), res)
        self.s3.put_bucket_versioning(Bucket=bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object(Bucket=bucket, Key="a", Body=b"12345")
        self.s3.put_object(Bucket=bucket, Key="a", Body=b"123")
        self.s3.put_object(Bucket=bucket, Key="b", Body=b"1")
        self.s3.delete_object(Bucket=bucket, Key="b")
        self.s3.create_multipart_upload(Bucket=bucket, Key="big")

        listed = json.loads(raw.request("GET", admin).body)["buckets"]
        entry = next(b for b in listed if b["name"] == bucket)
        self.assertEqual(entry["versioning"], "Enabled")
        self.assertEqual(entry["owner"], "root")
        info = json.loads(raw.request("GET", f"{admin}/{bucket}").body)
        self.assertEqual((info["objects"], info["bytes"]), (1, 3))
        self.assertEqual((info["versions"], info["version_bytes"]), (3, 9))
        self.assertEqual((info["delete_markers"], info["multipart_uploads"]), (1, 1))
        res = raw.request("GET", f"{admin}/{unique_bucket('none')}")
        self.assertEqual((res.status, res.error_code()), (404, "NoSuchBucket"), res)

        # IAM users are refused even with s3:* and *, as for every admin action.
        self.sbctl("user", "add", "t", "bucketeer")
        key = self.sbctl_json("key", "create", "t", "bucketeer")
        policy = Path(self.tmp.name) / "all.json"
        policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        self.sbctl("policy", "create", "t", "all", str(policy))
        self.sbctl("policy", "attach", "t", "all", "--user", "bucketeer")
        user = RawClient(self.server, key["accessKey"], key["secretKey"])
        self.assertEqual(user.request("GET", admin).status, 403)
        self.assertEqual(user.request("DELETE", f"{admin}/{bucket}").status, 403)

        res = raw.request("DELETE", f"{admin}/{bucket}")
        self.assertEqual((res.status, res.error_code()), (409, "BucketNotEmpty"), res)
        empty = unique_bucket("adm-empty")
        self.s3.create_bucket(Bucket=empty)
        self.assertEqual(raw.request("DELETE", f"{admin}/{empty}").status, 204)
        self.assertClientError(self.s3.head_bucket, "404", 404, Bucket=empty)
        records = self.audit_records(f"t/{empty}")
        self.assertIn("AdminDeleteBucket", {r.get("operation") for r in records}, records)

    def test_usage_errors_and_help(self):
        self.assertEqual(self.sbctl("bucket", "mk", "t", check=False).returncode, 1)
        self.assertEqual(self.sbctl("bucket", "frobnicate", "t", check=False).returncode, 1)
        self.assertEqual(self.sbctl("bucket", "ls", "nosuchalias", check=False).returncode, 2)
        commands = [["bucket", v] for v in ("ls", "mk", "rm", "info")]
        commands += [["user", v] for v in ("add", "ls", "info", "enable", "disable", "rm")]
        commands += [["key", v] for v in ("create", "ls", "rm", "enable", "disable")]
        commands += [["svcacct", v] for v in ("add", "ls", "rm")]
        commands += [["group", v] for v in ("add", "ls", "info", "rm", "addmember", "rmmember")]
        commands += [["policy", v] for v in ("create", "ls", "info", "attach", "detach", "rm",
                                             "simulate")]
        commands += [["info"], ["alias", "set"], ["kms", "key", "ls"], ["audit", "verify"]]
        for cmd in commands:
            res = self.sbctl(*cmd, "--help", check=False)
            self.assertEqual(res.returncode, 0, (cmd, res.stderr))
            self.assertIn("Usage", res.stdout, cmd)


if __name__ == "__main__":
    main()
