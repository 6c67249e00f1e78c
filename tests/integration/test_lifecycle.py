"""Bucket lifecycle with boto3: the configuration round-trips with S3's validation, and the
worker (a 2-second lifecycle day, a pass every second) expires current and noncurrent
versions, removes expired delete markers, aborts stale uploads, and never removes a version
Object Lock protects."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from server_harness import ServerTestCase, main, unique_bucket  # noqa: E402


def rule(rule_id, prefix="", **actions):
    return dict({"ID": rule_id, "Filter": {"Prefix": prefix}, "Status": "Enabled"}, **actions)


class LifecycleTest(ServerTestCase):
    server_args = ("--lifecycle-interval", "1", "--lifecycle-day-seconds", "2")

    def bucket(self, versioned=False, lock=False):
        name = unique_bucket("lc")
        self.s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=lock)
        if versioned and not lock:
            self.s3.put_bucket_versioning(Bucket=name,
                                          VersioningConfiguration={"Status": "Enabled"})
        return name

    def put_rules(self, bucket, *rules):
        self.s3.put_bucket_lifecycle_configuration(Bucket=bucket,
                                                   LifecycleConfiguration={"Rules": list(rules)})

    def wait_for(self, predicate, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.5)
        self.fail(f"timed out waiting for {what}")

    def keys(self, bucket):
        return sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    def versions(self, bucket):
        res = self.s3.list_object_versions(Bucket=bucket)
        return ([(v["Key"], v["VersionId"]) for v in res.get("Versions", [])],
                [(m["Key"], m["VersionId"]) for m in res.get("DeleteMarkers", [])])

    def test_configuration_round_trip_and_errors(self):
        b = self.bucket()
        self.assertClientError(self.s3.get_bucket_lifecycle_configuration,
                               "NoSuchLifecycleConfiguration", 404, Bucket=b)
        rules = [{"ID": "r1", "Expiration": {"Days": 31}, "Prefix": "logs/", "Status": "Enabled"},
                 {"ID": "r2", "Filter": {"And": {"Prefix": "tmp/", "Tags": [
                     {"Key": "k", "Value": "v"}]}}, "Status": "Disabled",
                  "NoncurrentVersionExpiration": {"NoncurrentDays": 3},
                  "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]
        self.put_rules(b, *rules)
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
        self.assertEqual(got[0], rules[0])
        self.assertEqual(got[1]["Filter"], rules[1]["Filter"])
        self.assertEqual(got[1]["NoncurrentVersionExpiration"], {"NoncurrentDays": 3})
        bad = [
            ("InvalidArgument", 400, [rule("same", Expiration={"Days": 1}),
                                      rule("same", Expiration={"Days": 2})]),
            ("InvalidArgument", 400, [rule("a" * 256, Expiration={"Days": 1})]),
            ("InvalidArgument", 400, [rule("zero", Expiration={"Days": 0})]),
            ("MalformedXML", 400, [dict(rule("st", Expiration={"Days": 1}), Status="enabled")]),
            ("NotImplemented", 501, [rule("tr", Transitions=[
                {"Days": 1, "StorageClass": "GLACIER"}])]),
        ]
        for code, status, rules in bad:
            self.assertClientError(self.s3.put_bucket_lifecycle_configuration, code, status,
                                   Bucket=b, LifecycleConfiguration={"Rules": rules})
        self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertClientError(self.s3.get_bucket_lifecycle_configuration,
                               "NoSuchLifecycleConfiguration", 404, Bucket=b)

    def test_current_versions_expire_by_prefix(self):
        b = self.bucket()
        for key in ("expire/a", "expire/b", "keep/c"):
            self.s3.put_object(Bucket=b, Key=key, Body=b"x")
        self.put_rules(b, rule("exp", "expire/", Expiration={"Days": 1}))
        self.wait_for(lambda: self.keys(b) == ["keep/c"], "expire/ to be expired")

    def test_noncurrent_versions_and_expired_delete_markers(self):
        b = self.bucket(versioned=True)
        old = self.s3.put_object(Bucket=b, Key="k", Body=b"old")["VersionId"]
        new = self.s3.put_object(Bucket=b, Key="k", Body=b"new")["VersionId"]
        self.s3.put_object(Bucket=b, Key="gone", Body=b"x")
        self.s3.delete_object(Bucket=b, Key="gone")
        gone = [v for k, v in self.versions(b)[0] if k == "gone"]
        self.s3.delete_object(Bucket=b, Key="gone", VersionId=gone[0])
        self.put_rules(b, rule("nc", NoncurrentVersionExpiration={"NoncurrentDays": 1}),
                       rule("dm", Expiration={"ExpiredObjectDeleteMarker": True}))
        self.wait_for(lambda: self.versions(b) == ([("k", new)], []),
                      "the noncurrent version and the lone delete marker to go")
        self.assertNotEqual(old, new)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"new")

    def test_incomplete_uploads_are_aborted(self):
        b = self.bucket()
        self.s3.create_multipart_upload(Bucket=b, Key="big")
        self.put_rules(b, rule("mpu", AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1}))
        self.wait_for(lambda: not self.s3.list_multipart_uploads(Bucket=b).get("Uploads"),
                      "the upload to be aborted")

    def test_object_lock_protects_versions_from_lifecycle(self):
        b = self.bucket(lock=True)
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        first = self.s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
        self.s3.put_object(Bucket=b, Key="k", Body=b"two")
        self.put_rules(b, rule("all", Expiration={"Days": 1},
                               NoncurrentVersionExpiration={"NoncurrentDays": 1}))
        # Expiring the current version only adds a delete marker; nothing locked is removed.
        self.wait_for(lambda: len(self.versions(b)[1]) == 1, "a delete marker")
        time.sleep(5)  # several more passes and lifecycle days
        kept = [v for _, v in self.versions(b)[0]]
        self.assertIn(first, kept)
        self.assertEqual(len(kept), 2)


if __name__ == "__main__":
    main()
