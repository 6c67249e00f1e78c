"""STS AssumeRole and service accounts, end to end with boto3's real STS client and sbctl:
temporary credentials work only with their session token, a session policy narrows the
user's permissions, expired tokens and expired service accounts are refused, disabling the
user cuts its sessions off, and bad STS requests get STS-shaped errors. The server runs with
--sts-min-duration 1 so expiry can be observed in seconds."""

import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import REGION, SbctlServerTestCase, main, unique_bucket  # noqa: E402

ROLE_ARN = "arn:aws:iam::000000000000:role/any-role"


def bucket_policy(bucket: str, actions) -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Grant", "Effect": "Allow", "Action": actions,
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}


class StsTest(SbctlServerTestCase):
    timeout_seconds = 240
    server_args = ("--sts-min-duration", "1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("sts")
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.s3.put_object(Bucket=cls.bucket, Key="in/a.txt", Body=b"alpha")

    def new_user(self, name: str, actions="s3:*"):
        """A user with full access to the test bucket; returns its long-term key."""
        self.sbctl("user", "add", "t", name)
        path = Path(self.tmp.name) / f"{name}.json"
        path.write_text(json.dumps(bucket_policy(self.bucket, actions)))
        self.sbctl("policy", "create", "t", f"{name}-policy", str(path))
        self.sbctl("policy", "attach", "t", f"{name}-policy", "--user", name)
        key = self.sbctl_json("key", "create", "t", name)
        self.assertEqual(sorted(key), ["accessKey", "secretKey"])
        return key

    def sts(self, key):
        import boto3
        from botocore.config import Config
        # No client-side validation: the server's own checks are under test, and the
        # server here accepts DurationSeconds below AWS's 900.
        return boto3.session.Session().client(
            "sts", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=key["accessKey"], aws_secret_access_key=key["secretKey"],
            config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))

    def s3_with(self, creds, token=True):
        import boto3
        from botocore.config import Config
        return boto3.session.Session().client(
            "s3", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"] if token else None,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                          retries={"total_max_attempts": 1}))

    def test_assume_role_gives_working_temporary_credentials(self):
        key = self.new_user("ada")
        before = time.time()
        out = self.sts(key).assume_role(RoleArn=ROLE_ARN, RoleSessionName="etl-run",
                                        DurationSeconds=900)
        creds = out["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("SBST"), creds)
        self.assertTrue(creds["SessionToken"].startswith("SBSESSION"))
        self.assertAlmostEqual(creds["Expiration"].timestamp(), before + 900, delta=30)
        self.assertTrue(out["AssumedRoleUser"]["Arn"].endswith(":assumed-role/ada/etl-run"))
        s3 = self.s3_with(creds)
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="in/a.txt")["Body"].read(),
                         b"alpha")
        s3.put_object(Bucket=self.bucket, Key="out/b.txt", Body=b"beta")
        # Presigned URLs carry the token in the query.
        url = s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                              "Key": "out/b.txt"})
        self.assertIn("X-Amz-Security-Token", url)
        with urllib.request.urlopen(url, timeout=10) as r:
            self.assertEqual(r.read(), b"beta")
        # Without the token, or with another one, the keys are refused.
        no_token = self.s3_with(creds, token=False)
        self.assertClientError(no_token.get_object, "InvalidToken", 400, Bucket=self.bucket,
                               Key="in/a.txt")
        wrong = dict(creds, SessionToken=creds["SessionToken"][:-4] + "AAAA")
        self.assertClientError(self.s3_with(wrong).get_object, "InvalidToken", 400,
                               Bucket=self.bucket, Key="in/a.txt")
        # A long-term key must not carry a token.
        long_term = dict(AccessKeyId=key["accessKey"], SecretAccessKey=key["secretKey"],
                         SessionToken=creds["SessionToken"])
        self.assertClientError(self.s3_with(long_term).list_buckets, "InvalidToken", 400)

    def test_session_policy_narrows_and_sessions_cannot_chain(self):
        key = self.new_user("bea")
        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "ReadIn", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{self.bucket}/in/*"}]}
        creds = self.sts(key).assume_role(RoleArn=ROLE_ARN, RoleSessionName="reader",
                                          Policy=json.dumps(policy))["Credentials"]
        s3 = self.s3_with(creds)
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="in/a.txt")["Body"].read(),
                         b"alpha")
        self.assertClientError(s3.put_object, "AccessDenied", 403, Bucket=self.bucket,
                               Key="in/x", Body=b"x")
        self.assertClientError(s3.list_objects_v2, "AccessDenied", 403, Bucket=self.bucket)
        # Temporary credentials cannot mint more.
        chained = {"accessKey": creds["AccessKeyId"], "secretKey": creds["SecretAccessKey"]}
        import boto3
        sts = boto3.session.Session().client(
            "sts", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=chained["accessKey"], aws_secret_access_key=chained["secretKey"],
            aws_session_token=creds["SessionToken"])
        self.assertClientError(sts.assume_role, "AccessDenied", 403, RoleArn=ROLE_ARN,
                               RoleSessionName="again")
        # A malformed session policy is refused when the session is made.
        self.assertClientError(self.sts(key).assume_role, "MalformedPolicy", 400,
                               RoleArn=ROLE_ARN, RoleSessionName="bad", Policy='{"Statement": 1}')

    def test_expired_token_and_disabled_user_are_refused(self):
        key = self.new_user("cy")
        creds = self.sts(key).assume_role(RoleArn=ROLE_ARN, RoleSessionName="short",
                                          DurationSeconds=2)["Credentials"]
        long_lived = self.sts(key).assume_role(RoleArn=ROLE_ARN,
                                               RoleSessionName="long")["Credentials"]
        self.s3_with(creds).head_object(Bucket=self.bucket, Key="in/a.txt")
        time.sleep(3)
        self.assertClientError(self.s3_with(creds).get_object, "ExpiredToken", 400,
                               Bucket=self.bucket, Key="in/a.txt")
        s3 = self.s3_with(long_lived)
        s3.head_object(Bucket=self.bucket, Key="in/a.txt")
        self.sbctl("user", "disable", "t", "cy")
        self.assertClientError(s3.head_object, "403", 403, Bucket=self.bucket, Key="in/a.txt")
        self.sbctl("user", "enable", "t", "cy")
        s3.head_object(Bucket=self.bucket, Key="in/a.txt")

    def test_bad_sts_requests_get_sts_errors(self):
        key = self.new_user("dov")
        sts = self.sts(key)
        self.assertClientError(sts.assume_role, "ValidationError", 400, RoleArn=ROLE_ARN,
                               RoleSessionName="x y")
        self.assertClientError(sts.assume_role, "ValidationError", 400, RoleArn=ROLE_ARN,
                               RoleSessionName="ok", DurationSeconds=43201)
        self.assertClientError(sts.get_caller_identity, "InvalidAction", 400)
        # The root credential has no user to assume for.
        root = {"accessKey": self.server.access_key, "secretKey": self.server.secret_key}
        self.assertClientError(self.sts(root).assume_role, "AccessDenied", 403,
                               RoleArn=ROLE_ARN, RoleSessionName="root")
        # Unsigned: the query-protocol <ErrorResponse>, not S3's <Error>.
        req = urllib.request.Request(self.server.url("/"), method="POST",
                                     data=b"Action=AssumeRole&Version=2011-06-15",
                                     headers={"Content-Type":
                                              "application/x-www-form-urlencoded"})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 403)
        body = cm.exception.read().decode()
        self.assertIn("<ErrorResponse", body)
        self.assertIn("<Code>AccessDenied</Code>", body)

    def test_service_account_with_policy_and_expiry(self):
        self.new_user("eve")
        policy = Path(self.tmp.name) / "eve-sa.json"
        policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "ListOnly", "Effect": "Allow", "Action": "s3:ListBucket",
             "Resource": f"arn:aws:s3:::{self.bucket}"}]}))
        sa = self.sbctl_json("svcacct", "add", "t", "eve", "--policy", str(policy),
                             "--expiry", "3s")
        self.assertEqual(sorted(sa), ["accessKey", "secretKey"])
        self.assertTrue(sa["accessKey"].startswith("SBSA"))
        listed = self.sbctl_json("svcacct", "ls", "t", "eve")["service_accounts"]
        self.assertEqual([k["access_key_id"] for k in listed], [sa["accessKey"]])
        self.assertIsNotNone(listed[0]["expires"])
        self.assertIn(sa["accessKey"], self.sbctl("svcacct", "ls", "t", "eve").stdout)
        s3 = self.server.boto3_client(access_key=sa["accessKey"], secret_key=sa["secretKey"])
        s3.list_objects_v2(Bucket=self.bucket)
        self.assertClientError(s3.get_object, "AccessDenied", 403, Bucket=self.bucket,
                               Key="in/a.txt")
        time.sleep(4)
        self.assertClientError(s3.list_objects_v2, "InvalidAccessKeyId", 403, Bucket=self.bucket)
        never = self.sbctl_json("svcacct", "add", "t", "eve")
        self.sbctl("svcacct", "rm", "t", never["accessKey"])
        self.assertEqual(self.sbctl("svcacct", "add", "t", "eve", "--expiry", "soon",
                                    check=False).returncode, 1)


if __name__ == "__main__":
    main()
