"""S3 Object Lock (WORM) end to end with boto3 against the real server: a COMPLIANCE version
cannot be deleted or shortened by anyone, root included, also after a restart; a GOVERNANCE
version can be removed only with both s3:BypassGovernanceRetention and the bypass header
(checked with an IAM user made through sbctl); a legal hold holds until lifted; a bucket
with locked versions cannot be deleted; default retention, the lock headers on PUT, copy and
multipart, and the configuration/retention/legal-hold subresources behave as in AWS.
Expiry is exercised with retain-until dates a few seconds ahead, waited for by polling the
server's own answer rather than by a timed assertion."""

import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402

UTC = datetime.timezone.utc
FAR = datetime.datetime(2100, 1, 1, tzinfo=UTC)


def soon(seconds: float) -> datetime.datetime:
    return datetime.datetime.now(UTC) + datetime.timedelta(seconds=seconds)


class ObjectLockBase(SbctlServerTestCase):
    timeout_seconds = 240

    def locked_bucket(self, prefix: str) -> str:
        bucket = unique_bucket(prefix)
        self.s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
        return bucket

    def put(self, bucket, key, body=b"data", **kw) -> str:
        return self.s3.put_object(Bucket=bucket, Key=key, Body=body, **kw)["VersionId"]

    def new_user(self, name: str, actions):
        self.sbctl("user", "add", "t", name)
        key = self.sbctl_json("key", "create", "t", name)
        path = Path(self.tmp.name) / f"{name}.json"
        path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": actions, "Resource": "arn:aws:s3:::*"}]}))
        self.sbctl("policy", "create", "t", f"{name}-p", str(path))
        self.sbctl("policy", "attach", "t", f"{name}-p", "--user", name)
        return self.server.boto3_client(access_key=key["accessKey"], secret_key=key["secretKey"])

    def delete_version(self, client, bucket, key, version, **kw):
        return client.delete_object(Bucket=bucket, Key=key, VersionId=version, **kw)

    def wait_until_deletable(self, bucket, key, version, deadline_s=60.0):
        """Retries the delete until retention has passed (the server decides, not our clock)."""
        from botocore.exceptions import ClientError
        end = time.monotonic() + deadline_s
        while True:
            try:
                return self.delete_version(self.s3, bucket, key, version)
            except ClientError as e:
                if e.response["Error"]["Code"] != "AccessDenied" or time.monotonic() > end:
                    raise
                time.sleep(0.5)


class ComplianceTest(ObjectLockBase):
    def test_compliance_version_is_kept_from_root_and_across_a_restart(self):
        bucket = self.locked_bucket("lock-comp")
        v = self.put(bucket, "ledger", b"v1", ObjectLockMode="COMPLIANCE",
                     ObjectLockRetainUntilDate=FAR)
        head = self.s3.head_object(Bucket=bucket, Key="ledger")
        self.assertEqual(head["ObjectLockMode"], "COMPLIANCE")
        self.assertEqual(head["ObjectLockRetainUntilDate"], FAR)

        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket,
                               "ledger", v)
        # The bypass header does not help against COMPLIANCE, not even for root.
        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket,
                               "ledger", v, BypassGovernanceRetention=True)
        # DeleteObjects reports the version as AccessDenied and keeps it.
        out = self.s3.delete_objects(Bucket=bucket, BypassGovernanceRetention=True, Delete={
            "Objects": [{"Key": "ledger", "VersionId": v}]})
        self.assertEqual([e["Code"] for e in out.get("Errors", [])], ["AccessDenied"])
        # Shortening, or switching to GOVERNANCE, is refused.
        self.assertClientError(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="ledger", VersionId=v, BypassGovernanceRetention=True,
                               Retention={"Mode": "COMPLIANCE",
                                          "RetainUntilDate": FAR - datetime.timedelta(days=1)})
        self.assertClientError(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="ledger", VersionId=v, BypassGovernanceRetention=True,
                               Retention={"Mode": "GOVERNANCE", "RetainUntilDate": FAR})
        # Extending is allowed.
        later = FAR + datetime.timedelta(days=10)
        self.s3.put_object_retention(Bucket=bucket, Key="ledger", VersionId=v,
                                     Retention={"Mode": "COMPLIANCE", "RetainUntilDate": later})
        # A delete without a version id only adds a delete marker.
        marker = self.s3.delete_object(Bucket=bucket, Key="ledger")
        self.assertTrue(marker["DeleteMarker"])
        # The bucket cannot go while the version is there.
        self.assertClientError(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)

        self.server.stop()
        self.server.start()
        s3 = self.server.boto3_client()
        type(self).s3 = s3
        self.assertClientError(self.delete_version, "AccessDenied", 403, s3, bucket, "ledger", v)
        got = s3.get_object(Bucket=bucket, Key="ledger", VersionId=v)
        self.assertEqual(got["Body"].read(), b"v1")
        self.assertEqual(got["ObjectLockRetainUntilDate"], later)
        ret = s3.get_object_retention(Bucket=bucket, Key="ledger", VersionId=v)["Retention"]
        self.assertEqual(ret, {"Mode": "COMPLIANCE", "RetainUntilDate": later})

    def test_compliance_expires(self):
        bucket = self.locked_bucket("lock-exp")
        v = self.put(bucket, "k", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=soon(3))
        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket, "k", v)
        self.wait_until_deletable(bucket, "k", v)
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=bucket, Key="k",
                               VersionId=v)
        self.s3.delete_bucket(Bucket=bucket)


class GovernanceTest(ObjectLockBase):
    def test_bypass_needs_both_the_permission_and_the_header(self):
        bucket = self.locked_bucket("lock-gov")
        v = self.put(bucket, "k", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=FAR)
        plain = self.new_user("gov-plain", ["s3:DeleteObjectVersion", "s3:PutObjectRetention"])
        bypasser = self.new_user("gov-bypass", ["s3:DeleteObjectVersion", "s3:PutObjectRetention",
                                                "s3:BypassGovernanceRetention"])
        # Permission without the header, header without the permission: both refused.
        self.assertClientError(self.delete_version, "AccessDenied", 403, bypasser, bucket, "k", v)
        self.assertClientError(self.delete_version, "AccessDenied", 403, plain, bucket, "k", v,
                               BypassGovernanceRetention=True)
        self.assertClientError(plain.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="k", VersionId=v, BypassGovernanceRetention=True,
                               Retention={"Mode": "GOVERNANCE", "RetainUntilDate": soon(3600)})
        out = plain.delete_objects(Bucket=bucket, BypassGovernanceRetention=True, Delete={
            "Objects": [{"Key": "k", "VersionId": v}]})
        self.assertEqual([e["Code"] for e in out.get("Errors", [])], ["AccessDenied"])
        self.s3.head_object(Bucket=bucket, Key="k", VersionId=v)
        # Shortening with the bypass works for the permitted user.
        bypasser.put_object_retention(Bucket=bucket, Key="k", VersionId=v,
                                      BypassGovernanceRetention=True,
                                      Retention={"Mode": "GOVERNANCE",
                                                 "RetainUntilDate": soon(3600)})
        # Both together: deleted.
        self.delete_version(bypasser, bucket, "k", v, BypassGovernanceRetention=True)
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=bucket, Key="k",
                               VersionId=v)

    def test_object_lock_condition_keys_reach_the_policy(self):
        bucket = self.locked_bucket("lock-cond")
        self.sbctl("user", "add", "t", "cond-user")
        key = self.sbctl_json("key", "create", "t", "cond-user")
        path = Path(self.tmp.name) / "cond.json"
        path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectRetention"],
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"StringEquals": {"s3:object-lock-mode": "GOVERNANCE"},
                           "NumericLessThanEquals": {
                               "s3:object-lock-remaining-retention-days": "10"}}},
            {"Effect": "Allow", "Action": "s3:PutObjectLegalHold",
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"StringEquals": {"s3:object-lock-legal-hold": "ON"}}}]}))
        self.sbctl("policy", "create", "t", "cond-p", str(path))
        self.sbctl("policy", "attach", "t", "cond-p", "--user", "cond-user")
        user = self.server.boto3_client(access_key=key["accessKey"],
                                        secret_key=key["secretKey"])
        # Headers on PutObject.
        user.put_object(Bucket=bucket, Key="ok", Body=b"x", ObjectLockMode="GOVERNANCE",
                        ObjectLockRetainUntilDate=soon(5 * 86400))
        self.assertClientError(user.put_object, "AccessDenied", 403, Bucket=bucket, Key="c",
                               Body=b"x", ObjectLockMode="COMPLIANCE",
                               ObjectLockRetainUntilDate=soon(5 * 86400))
        self.assertClientError(user.put_object, "AccessDenied", 403, Bucket=bucket, Key="long",
                               Body=b"x", ObjectLockMode="GOVERNANCE",
                               ObjectLockRetainUntilDate=soon(30 * 86400))
        # Bodies of PutObjectRetention and PutObjectLegalHold.
        user.put_object_retention(Bucket=bucket, Key="ok", Retention={
            "Mode": "GOVERNANCE", "RetainUntilDate": soon(6 * 86400)})
        self.assertClientError(user.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="ok", Retention={"Mode": "COMPLIANCE",
                                                    "RetainUntilDate": soon(7 * 86400)})
        user.put_object_legal_hold(Bucket=bucket, Key="ok", LegalHold={"Status": "ON"})
        self.assertClientError(user.put_object_legal_hold, "AccessDenied", 403, Bucket=bucket,
                               Key="ok", LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.get_object_retention(Bucket=bucket, Key="ok")["Retention"]["Mode"],
                         "GOVERNANCE")

    def test_root_bypasses_governance_with_the_header_only(self):
        bucket = self.locked_bucket("lock-gov-root")
        v = self.put(bucket, "k", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=FAR)
        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket, "k", v)
        self.assertClientError(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="k", VersionId=v,
                               Retention={"Mode": "GOVERNANCE", "RetainUntilDate": soon(3600)})
        self.delete_version(self.s3, bucket, "k", v, BypassGovernanceRetention=True)


class LegalHoldTest(ObjectLockBase):
    def test_legal_hold_holds_until_lifted(self):
        bucket = self.locked_bucket("lock-hold")
        v = self.put(bucket, "k", ObjectLockLegalHoldStatus="ON")
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key="k")["LegalHold"],
                         {"Status": "ON"})
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="k")["ObjectLockLegalHoldStatus"],
                         "ON")
        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket, "k", v,
                               BypassGovernanceRetention=True)
        self.assertClientError(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)
        self.s3.put_object_legal_hold(Bucket=bucket, Key="k", VersionId=v,
                                      LegalHold={"Status": "OFF"})
        self.delete_version(self.s3, bucket, "k", v)
        self.s3.delete_bucket(Bucket=bucket)

    def test_multipart_and_copy_take_lock_headers(self):
        bucket = self.locked_bucket("lock-mpu")
        up = self.s3.create_multipart_upload(Bucket=bucket, Key="big",
                                             ObjectLockLegalHoldStatus="ON")
        part = self.s3.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"],
                                   PartNumber=1, Body=b"x" * 1024)
        done = self.s3.complete_multipart_upload(
            Bucket=bucket, Key="big", UploadId=up["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket, "big",
                               done["VersionId"])
        # A copy does not inherit the source's lock; it takes the request's.
        copy = self.s3.copy_object(Bucket=bucket, Key="copy", CopySource=f"{bucket}/big",
                                   ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=FAR)
        head = self.s3.head_object(Bucket=bucket, Key="copy")
        self.assertEqual(head["ObjectLockMode"], "GOVERNANCE")
        self.assertNotIn("ObjectLockLegalHoldStatus", head)
        self.delete_version(self.s3, bucket, "copy", copy["VersionId"],
                            BypassGovernanceRetention=True)
        self.s3.put_object_legal_hold(Bucket=bucket, Key="big", LegalHold={"Status": "OFF"})
        self.delete_version(self.s3, bucket, "big", done["VersionId"])


class LockGapsTest(ObjectLockBase):
    """S3 details: never-held legal holds, removing a retention, and who sees lock headers."""

    def test_never_held_version_has_no_legal_hold(self):
        bucket = self.locked_bucket("lock-never")
        self.put(bucket, "k")
        self.assertClientError(self.s3.get_object_legal_hold, "NoSuchObjectLockConfiguration",
                               404, Bucket=bucket, Key="k")
        self.s3.put_object_legal_hold(Bucket=bucket, Key="k", LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key="k")["LegalHold"],
                         {"Status": "OFF"})

    def test_empty_retention_removes_governance_only_with_the_bypass(self):
        bucket = self.locked_bucket("lock-rm")
        v = self.put(bucket, "k", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=FAR)
        self.assertClientError(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="k", VersionId=v, Retention={})
        self.s3.put_object_retention(Bucket=bucket, Key="k", VersionId=v, Retention={},
                                     BypassGovernanceRetention=True)
        self.assertClientError(self.s3.get_object_retention, "NoSuchObjectLockConfiguration",
                               404, Bucket=bucket, Key="k", VersionId=v)
        self.delete_version(self.s3, bucket, "k", v)
        c = self.put(bucket, "c", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=soon(2))
        self.assertClientError(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                               Key="c", VersionId=c, Retention={},
                               BypassGovernanceRetention=True)
        self.wait_until_deletable(bucket, "c", c)

    def test_lock_headers_need_read_permission_on_them(self):
        bucket = self.locked_bucket("lock-hdr")
        v = self.put(bucket, "k", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=FAR,
                     ObjectLockLegalHoldStatus="ON")
        reader = self.new_user("lock-reader", ["s3:GetObject"])
        head = reader.head_object(Bucket=bucket, Key="k")
        self.assertNotIn("ObjectLockMode", head)
        self.assertNotIn("ObjectLockLegalHoldStatus", head)
        auditor = self.new_user("lock-auditor", ["s3:GetObject", "s3:GetObjectRetention",
                                                 "s3:GetObjectLegalHold"])
        head = auditor.head_object(Bucket=bucket, Key="k")
        self.assertEqual(head["ObjectLockMode"], "GOVERNANCE")
        self.assertEqual(head["ObjectLockLegalHoldStatus"], "ON")
        self.s3.put_object_legal_hold(Bucket=bucket, Key="k", LegalHold={"Status": "OFF"})
        self.delete_version(self.s3, bucket, "k", v, BypassGovernanceRetention=True)


class ConfigurationTest(ObjectLockBase):
    def test_default_retention_and_configuration(self):
        bucket = self.locked_bucket("lock-cfg")
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")
        self.assertClientError(self.s3.put_bucket_versioning, "InvalidBucketState", 409,
                               Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
        conf = {"ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}
        self.s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration=conf)
        self.assertEqual(
            self.s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"], conf)
        before = datetime.datetime.now(UTC)
        v = self.put(bucket, "d")
        ret = self.s3.get_object_retention(Bucket=bucket, Key="d")["Retention"]
        self.assertEqual(ret["Mode"], "GOVERNANCE")
        self.assertGreater(ret["RetainUntilDate"], before + datetime.timedelta(hours=23))
        self.assertClientError(self.delete_version, "AccessDenied", 403, self.s3, bucket, "d", v)
        self.delete_version(self.s3, bucket, "d", v, BypassGovernanceRetention=True)

        for bad, code in [({"Mode": "GOVERNANCE", "Days": 1, "Years": 1}, "MalformedXML"),
                          ({"Mode": "GOVERNANCE", "Days": 0}, "InvalidRetentionPeriod"),
                          ({"Mode": "governance", "Days": 1}, "MalformedXML")]:
            self.assertClientError(self.s3.put_object_lock_configuration, code, 400,
                                   Bucket=bucket, ObjectLockConfiguration={
                                       "ObjectLockEnabled": "Enabled",
                                       "Rule": {"DefaultRetention": bad}})

    def test_buckets_without_object_lock(self):
        bucket = unique_bucket("lock-none")
        self.s3.create_bucket(Bucket=bucket)
        self.assertClientError(self.s3.get_object_lock_configuration,
                               "ObjectLockConfigurationNotFoundError", 404, Bucket=bucket)
        conf = {"ObjectLockEnabled": "Enabled"}
        self.assertClientError(self.s3.put_object_lock_configuration, "InvalidBucketState", 409,
                               Bucket=bucket, ObjectLockConfiguration=conf)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        self.assertClientError(self.s3.put_object, "InvalidRequest", 400, Bucket=bucket, Key="k2",
                               Body=b"x", ObjectLockLegalHoldStatus="ON")
        self.assertClientError(self.s3.get_object_retention, "InvalidRequest", 400,
                               Bucket=bucket, Key="k")
        self.assertClientError(self.s3.put_object_legal_hold, "InvalidRequest", 400,
                               Bucket=bucket, Key="k", LegalHold={"Status": "ON"})
        # Enabling versioning then allows turning Object Lock on.
        self.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration=conf)
        self.assertEqual(
            self.s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"], conf)
        self.assertClientError(self.s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                               Bucket=bucket, Key="k")

    def test_bad_lock_headers(self):
        bucket = self.locked_bucket("lock-hdr")
        self.assertClientError(self.s3.put_object, "InvalidArgument", 400, Bucket=bucket,
                               Key="k", Body=b"x", ObjectLockMode="GOVERNANCE")
        self.assertClientError(self.s3.put_object, "InvalidArgument", 400, Bucket=bucket,
                               Key="k", Body=b"x", ObjectLockMode="GOVERNANCE",
                               ObjectLockRetainUntilDate=datetime.datetime(2000, 1, 1,
                                                                           tzinfo=UTC))
        self.assertClientError(self.s3.put_object_retention, "MalformedXML", 400, Bucket=bucket,
                               Key="k", Retention={"Mode": "abc", "RetainUntilDate": FAR})


if __name__ == "__main__":
    main()
