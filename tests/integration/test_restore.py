"""Point-in-time restore (`sbctl bucket restore ALIAS/BUCKET --to T [--prefix P] [--dry-run]`):
every key under the prefix becomes current again as it was at T, through new versions that
share the old versions' data (no bytes copied) and delete markers for keys that did not
exist then. Keys outside the prefix are untouched, a dry run changes nothing, a second run
changes nothing, and deleting either of two versions that share data leaves the other
readable."""

import json
import os
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402

PART = 5 * 1024 * 1024  # S3's minimum size of a non-last multipart part


def now_rfc3339() -> str:
    return datetime.now(timezone.utc).isoformat()


class RestoreTest(SbctlServerTestCase):
    timeout_seconds = 240

    def put(self, bucket, key, body):
        return self.s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"]

    def body(self, bucket, key, version=None):
        extra = {"VersionId": version} if version else {}
        return self.s3.get_object(Bucket=bucket, Key=key, **extra)["Body"].read()

    def absent(self, bucket, key):
        with self.assertRaises(self.s3.exceptions.NoSuchKey):
            self.s3.get_object(Bucket=bucket, Key=key)

    def versions(self, bucket):
        out = []
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            out += [(v["Key"], v["VersionId"]) for v in page.get("Versions", [])]
            out += [(m["Key"], m["VersionId"]) for m in page.get("DeleteMarkers", [])]
        return sorted(out)

    def shard_files(self):
        root = self.server.data_dir
        return sorted(str(p) for p in root.rglob("*")
                      if p.is_file() and "meta" not in p.relative_to(root).parts)

    def restore(self, bucket, to, *extra):
        return self.sbctl_json("bucket", "restore", f"t/{bucket}", "--to", to, *extra)

    def test_restore_prefix_between_two_overwrites(self):
        b = unique_bucket("restore")
        self.s3.create_bucket(Bucket=b)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        # Before T.
        v_a1 = self.put(b, "ckpt/a", b"a1")
        v_b1 = self.put(b, "ckpt/b", b"b1")
        self.put(b, "ckpt/c", b"c1")
        self.put(b, "ckpt/same", b"same")
        self.put(b, "ckpt/gone", b"g1")
        self.s3.delete_object(Bucket=b, Key="ckpt/gone")
        mp = self.s3.create_multipart_upload(Bucket=b, Key="ckpt/mp")
        parts = []
        for n, fill in ((1, b"x"), (2, b"y")):
            r = self.s3.upload_part(Bucket=b, Key="ckpt/mp", UploadId=mp["UploadId"],
                                    PartNumber=n, Body=fill * (PART if n == 1 else 1000))
            parts.append({"PartNumber": n, "ETag": r["ETag"]})
        self.s3.complete_multipart_upload(Bucket=b, Key="ckpt/mp", UploadId=mp["UploadId"],
                                          MultipartUpload={"Parts": parts})
        self.put(b, "other/x", b"x1")
        time.sleep(0.3)
        t = now_rfc3339()
        time.sleep(0.3)
        # First overwrite, after T.
        self.put(b, "ckpt/a", b"a2")
        self.put(b, "ckpt/b", b"b2")
        self.s3.delete_object(Bucket=b, Key="ckpt/c")
        self.put(b, "ckpt/new", b"n2")
        self.put(b, "ckpt/gone", b"g2")
        self.put(b, "ckpt/mp", b"small now")
        self.put(b, "other/x", b"x2")
        time.sleep(0.3)
        # Second overwrite.
        self.put(b, "ckpt/a", b"a3")
        self.put(b, "other/x", b"x3")

        def current():
            out = {}
            for key in ("ckpt/a", "ckpt/b", "ckpt/c", "ckpt/same", "ckpt/gone", "ckpt/new",
                        "ckpt/mp", "other/x"):
                try:
                    out[key] = self.body(b, key)
                except self.s3.exceptions.NoSuchKey:
                    out[key] = None
            return out

        before = current()
        versions_before = self.versions(b)
        files_before = self.shard_files()

        # A dry run reports and changes nothing.
        dry = self.restore(b, t, "--prefix", "ckpt/", "--dry-run")
        self.assertTrue(dry["dry_run"])
        self.assertEqual((dry["restored"], dry["deleted"], dry["unchanged"], dry["examined"]),
                         (4, 2, 1, 7), dry)
        self.assertEqual(current(), before)
        self.assertEqual(self.versions(b), versions_before)

        report = self.restore(b, t, "--prefix", "ckpt/")
        self.assertFalse(report["dry_run"])
        actions = {a["key"]: a for a in report["actions"]}
        self.assertEqual(set(actions), {"ckpt/a", "ckpt/b", "ckpt/c", "ckpt/mp", "ckpt/new",
                                        "ckpt/gone"})
        self.assertEqual(actions["ckpt/a"]["action"], "restore")
        self.assertEqual(actions["ckpt/a"]["from_version"], v_a1)
        self.assertNotEqual(actions["ckpt/a"]["version"], v_a1)
        self.assertEqual(actions["ckpt/new"]["action"], "delete")
        self.assertEqual(actions["ckpt/gone"]["action"], "delete")

        self.assertEqual(self.body(b, "ckpt/a"), b"a1")
        self.assertEqual(self.body(b, "ckpt/b"), b"b1")
        self.assertEqual(self.body(b, "ckpt/c"), b"c1")
        self.assertEqual(self.body(b, "ckpt/same"), b"same")
        self.assertEqual(self.body(b, "ckpt/mp"), b"x" * PART + b"y" * 1000)
        self.absent(b, "ckpt/new")
        self.absent(b, "ckpt/gone")
        self.assertEqual(self.body(b, "other/x"), b"x3")  # outside the prefix
        # The newer history is still there, as older versions: 4 restored + 2 markers more.
        self.assertEqual(len(self.versions(b)), len(versions_before) + 6)
        # No object data was written: restored versions share the old shards.
        self.assertEqual(self.shard_files(), files_before)
        head = self.s3.head_object(Bucket=b, Key="ckpt/a")
        self.assertEqual(head["VersionId"], actions["ckpt/a"]["version"])

        # Running it again changes nothing.
        again = self.restore(b, t, "--prefix", "ckpt/")
        self.assertEqual((again["restored"], again["deleted"], again["unchanged"]), (0, 0, 7))

        # Deleting the old version leaves the restored one readable (shared data not freed)...
        self.s3.delete_object(Bucket=b, Key="ckpt/a", VersionId=v_a1)
        self.assertEqual(self.body(b, "ckpt/a"), b"a1")
        # ...and deleting the restored version leaves the old one readable.
        self.s3.delete_object(Bucket=b, Key="ckpt/b", VersionId=actions["ckpt/b"]["version"])
        self.assertEqual(self.body(b, "ckpt/b"), b"b2")
        self.assertEqual(self.body(b, "ckpt/b", v_b1), b"b1")
        # Once both holders are gone the data is freed.
        files = len(self.shard_files())
        self.s3.delete_object(Bucket=b, Key="ckpt/a", VersionId=actions["ckpt/a"]["version"])
        self.assertLess(len(self.shard_files()), files)

        # The restore itself is audited: one record for each admin request.
        out = self.sbctl("--json", "audit", "query", f"t/{b}", "--operation",
                         "AdminRestoreBucket").stdout
        records = [json.loads(line) for line in out.splitlines() if line.strip()]
        self.assertEqual(len(records), 3, records)
        self.assertTrue(all(r["status"] == 200 and r["user"] == "root" for r in records))
        self.assertTrue(all(r["key"] == "ckpt/" for r in records))

    def test_whole_bucket_and_table_output(self):
        b = unique_bucket("restore")
        self.s3.create_bucket(Bucket=b)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.put(b, "k", b"old")
        time.sleep(0.3)
        t = now_rfc3339()
        time.sleep(0.3)
        self.put(b, "k", b"new")
        self.put(b, "later", b"l")
        out = self.sbctl("bucket", "restore", f"t/{b}", "--to", t).stdout
        self.assertIn("1 restored, 1 deleted, 0 unchanged of 2 keys", out)
        self.assertIn("later", out)
        self.assertEqual(self.body(b, "k"), b"old")
        self.absent(b, "later")

    def test_restored_version_gets_the_buckets_default_retention(self):
        b = unique_bucket("restore")
        self.s3.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        self.put(b, "k", b"old")
        time.sleep(0.3)
        t = now_rfc3339()
        time.sleep(0.3)
        self.put(b, "k", b"new")
        report = self.restore(b, t)
        self.assertEqual(report["restored"], 1)
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual(head["VersionId"], report["actions"][0]["version"])
        self.assertEqual(head["ObjectLockMode"], "GOVERNANCE")
        self.assertIn("ObjectLockRetainUntilDate", head)
        self.assertEqual(self.body(b, "k"), b"old")

    def test_refuses_unversioned_bucket_and_bad_time(self):
        b = unique_bucket("restore")
        self.s3.create_bucket(Bucket=b)
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        res = self.sbctl("bucket", "restore", f"t/{b}", "--to", now_rfc3339(), check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("versioning Enabled", res.stderr + res.stdout)
        res = self.sbctl("bucket", "restore", f"t/{b}", "--to", "yesterday", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("RFC 3339", res.stderr + res.stdout)
        res = self.sbctl("bucket", "restore", "t/no-such-bucket-xyz", "--to", "0", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("NoSuchBucket", res.stderr + res.stdout)


if __name__ == "__main__":
    main()
