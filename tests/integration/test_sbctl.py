"""sbctl end to end against the real server: the bucket command group (ls, mk, info, rm) as
tables and --json, exit codes for usage and server errors, and --help on every command."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402


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
