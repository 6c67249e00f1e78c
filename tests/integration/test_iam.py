"""IAM users, groups, managed policies and bucket policies, end to end: users and access keys
are created with sbctl against the real server and used with boto3; policies are enforced
from the next request; disabling a user or deleting a key refuses it at once; bucket
policies grant anonymous reads of a prefix and an explicit Deny binds even the root
credential (as in AWS); `sbctl policy simulate` explains decisions; the audit log names the
deciding policy and statement; users and keys survive a restart."""

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402


def read_only_policy(bucket: str) -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}


def full_policy(bucket: str) -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "All", "Effect": "Allow", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}


class IamTestBase(SbctlServerTestCase):
    timeout_seconds = 240

    def store_policy(self, name: str, document: dict):
        path = Path(self.tmp.name) / f"{name}.json"
        path.write_text(json.dumps(document))
        self.sbctl("policy", "create", "t", name, str(path))

    def new_user(self, name: str):
        """Creates a user and an access key; returns a boto3 client signed with that key."""
        self.sbctl("user", "add", "t", name)
        key = self.sbctl_json("key", "create", "t", name)
        self.assertTrue(key["accessKey"].startswith("SBAK"), key)
        self.assertEqual(len(key["secretKey"]), 40)
        return key, self.server.boto3_client(access_key=key["accessKey"],
                                             secret_key=key["secretKey"])

    def anonymous_get(self, bucket: str, key: str) -> int:
        try:
            with urllib.request.urlopen(self.server.url(f"/{bucket}/{key}"), timeout=10) as r:
                r.read()
                return r.status
        except urllib.error.HTTPError as e:
            return e.code


class IamUsersTest(IamTestBase):
    def test_user_needs_a_policy_and_read_only_means_read_only(self):
        bucket = unique_bucket("iam-ro")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="report.txt", Body=b"q3")
        key, alice = self.new_user("alice")

        # No policy yet: authenticated, but everything is denied.
        self.assertClientError(alice.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="report.txt")
        self.assertClientError(alice.list_objects_v2, "AccessDenied", 403, Bucket=bucket)

        self.store_policy("read-only", read_only_policy(bucket))
        self.sbctl("policy", "attach", "t", "read-only", "--user", "alice")
        self.assertEqual(alice.get_object(Bucket=bucket, Key="report.txt")["Body"].read(), b"q3")
        listed = alice.list_objects_v2(Bucket=bucket)
        self.assertEqual([o["Key"] for o in listed["Contents"]], ["report.txt"])
        self.assertClientError(alice.put_object, "AccessDenied", 403, Bucket=bucket, Key="w",
                               Body=b"x")
        self.assertClientError(alice.delete_object, "AccessDenied", 403, Bucket=bucket,
                               Key="report.txt")
        # Another bucket is not covered by the policy.
        other = unique_bucket("iam-other")
        self.s3.create_bucket(Bucket=other)
        self.assertClientError(alice.list_objects_v2, "AccessDenied", 403, Bucket=other)

        # The audit log names the deciding policy and statement.
        records = self.audit_records(f"t/{bucket}/report.txt", "--user",
                                  "alice")
        decided = {(r["operation"], r["status"], r["decided_by"]) for r in records}
        self.assertIn(("GetObject", 200, "policy:read-only#Read"), decided)
        self.assertIn(("GetObject", 403, "implicit-deny"), decided)

        # Detaching takes effect on the next request.
        self.sbctl("policy", "detach", "t", "read-only", "--user", "alice")
        self.assertClientError(alice.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="report.txt")
        # An attached policy cannot be deleted; a detached one can.
        self.sbctl("policy", "attach", "t", "read-only", "--user", "alice")
        res = self.sbctl("policy", "rm", "t", "read-only", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("DeleteConflict", res.stderr)
        self.sbctl("user", "rm", "t", "alice")
        self.sbctl("policy", "rm", "t", "read-only")
        # The deleted user's key is gone with it.
        self.assertClientError(alice.list_buckets, "InvalidAccessKeyId", 403)

    def test_disabling_users_and_keys_takes_effect_on_the_next_request(self):
        bucket = unique_bucket("iam-dis")
        self.s3.create_bucket(Bucket=bucket)
        key, bob = self.new_user("bob")
        self.store_policy("bob-full", full_policy(bucket))
        self.sbctl("policy", "attach", "t", "bob-full", "--user", "bob")
        bob.put_object(Bucket=bucket, Key="a", Body=b"1")

        self.sbctl("user", "disable", "t", "bob")
        self.assertClientError(bob.put_object, "InvalidAccessKeyId", 403, Bucket=bucket, Key="a",
                               Body=b"2")
        users = {u["name"]: u for u in self.sbctl_json("user", "ls", "t")["users"]}
        self.assertFalse(users["bob"]["enabled"])
        self.sbctl("user", "enable", "t", "bob")
        bob.put_object(Bucket=bucket, Key="a", Body=b"3")

        key_id = key["accessKey"]
        self.sbctl("key", "disable", "t", key_id)
        self.assertClientError(bob.get_object, "InvalidAccessKeyId", 403, Bucket=bucket, Key="a")
        self.sbctl("key", "enable", "t", key_id)
        self.assertEqual(bob.get_object(Bucket=bucket, Key="a")["Body"].read(), b"3")

        # A second key works independently; listing never shows a secret.
        second = self.sbctl_json("key", "create", "t", "bob")
        listed = self.sbctl("key", "ls", "t", "bob").stdout
        self.assertIn(key_id, listed)
        self.assertIn(second["accessKey"], listed)
        self.assertNotIn(second["secretKey"], listed)
        self.assertNotIn(key["secretKey"], listed)
        keys = self.sbctl_json("key", "ls", "t", "bob")["access_keys"]
        used = {k["access_key_id"]: k["last_used"] for k in keys}
        self.assertIsNotNone(used[key_id])  # it authenticated requests
        self.assertIsNone(used[second["accessKey"]])
        self.sbctl("key", "rm", "t", key_id)
        self.assertClientError(bob.get_object, "InvalidAccessKeyId", 403, Bucket=bucket, Key="a")
        bob2 = self.server.boto3_client(access_key=second["accessKey"],
                                        secret_key=second["secretKey"])
        self.assertEqual(bob2.get_object(Bucket=bucket, Key="a")["Body"].read(), b"3")

    def test_list_buckets_needs_list_all_my_buckets_and_shows_the_account(self):
        bucket = unique_bucket("iam-lsb")
        self.s3.create_bucket(Bucket=bucket)
        _, ivy = self.new_user("ivy")
        self.assertClientError(ivy.list_buckets, "AccessDenied", 403)
        self.store_policy("list-all", {"Version": "2012-10-17", "Statement": [
            {"Sid": "List", "Effect": "Allow", "Action": "s3:ListAllMyBuckets",
             "Resource": "*"}]})
        self.sbctl("policy", "attach", "t", "list-all", "--user", "ivy")
        names = [b["Name"] for b in ivy.list_buckets()["Buckets"]]
        self.assertIn(bucket, names)  # created by root: one account owns every bucket
        # Listing buckets does not grant reading them.
        self.assertClientError(ivy.list_objects_v2, "AccessDenied", 403, Bucket=bucket)

    def test_restricted_access_key_is_bounded_by_its_own_policy(self):
        bucket = unique_bucket("iam-rk")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="data", Body=b"d")
        _, judy = self.new_user("judy")
        self.store_policy("judy-full", full_policy(bucket))
        self.sbctl("policy", "attach", "t", "judy-full", "--user", "judy")
        key_policy = Path(self.tmp.name) / "judy-key.json"
        key_policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "ReadOnly", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
        key = self.sbctl_json("key", "create", "t", "judy", "--policy", str(key_policy),
                              "--description", "reporting job")
        listed_keys = self.sbctl_json("key", "ls", "t", "judy")["access_keys"]
        self.assertTrue(next(k for k in listed_keys
                             if k["access_key_id"] == key["accessKey"])["restricted"])
        reader = self.server.boto3_client(access_key=key["accessKey"],
                                          secret_key=key["secretKey"])
        self.assertEqual(reader.get_object(Bucket=bucket, Key="data")["Body"].read(), b"d")
        self.assertClientError(reader.put_object, "AccessDenied", 403, Bucket=bucket, Key="w",
                               Body=b"x")
        judy.put_object(Bucket=bucket, Key="w", Body=b"x")  # the user's other key may write
        listed = self.sbctl("key", "ls", "t", "judy").stdout
        self.assertIn("reporting job", listed)
        sim = self.sbctl_json("policy", "simulate", "t", "--access-key", key["accessKey"],
                              "--action", "s3:PutObject", "--resource",
                              f"arn:aws:s3:::{bucket}/w")
        self.assertFalse(sim["allowed"])
        self.assertTrue(any(s["source"] == "session" for s in sim["statements"]), sim)
        bad = Path(self.tmp.name) / "bad-key.json"
        bad.write_text('{"Statement": "nope"}')
        res = self.sbctl("key", "create", "t", "judy", "--policy", str(bad), check=False)
        self.assertIn("MalformedPolicy", res.stderr)

    def test_group_policies_apply_to_members(self):
        bucket = unique_bucket("iam-grp")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"v")
        _, carol = self.new_user("carol")
        self.sbctl("group", "add", "t", "readers")
        self.store_policy("readers-policy", read_only_policy(bucket))
        self.sbctl("policy", "attach", "t", "readers-policy", "--group", "readers")
        self.assertClientError(carol.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")
        self.sbctl("group", "addmember", "t", "readers", "carol")
        self.assertEqual(carol.get_object(Bucket=bucket, Key="k")["Body"].read(), b"v")
        info = self.sbctl_json("group", "info", "t", "readers")
        self.assertEqual(info["members"], ["carol"])
        self.assertEqual(info["policies"], ["readers-policy"])
        self.sbctl("group", "rmmember", "t", "readers", "carol")
        self.assertClientError(carol.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")

    def test_admin_api_is_for_root_only(self):
        _, dave = self.new_user("dave")
        everything = {"Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        self.store_policy("everything", everything)
        self.sbctl("policy", "attach", "t", "everything", "--user", "dave")
        key = self.sbctl_json("key", "create", "t", "dave")
        self.alias("dave", key["accessKey"], key["secretKey"])
        res = self.sbctl("user", "ls", "dave", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("AccessDenied", res.stderr)
        res = self.sbctl("user", "add", "dave", "mallory", check=False)
        self.assertNotEqual(res.returncode, 0)
        names = [u["name"] for u in self.sbctl_json("user", "ls", "t")["users"]]
        self.assertNotIn("mallory", names)

    def test_bad_requests_are_refused_with_iam_errors(self):
        res = self.sbctl("user", "add", "t", "bad name", check=False)
        self.assertEqual(res.returncode, 2)
        self.assertIn("InvalidArgument", res.stderr)
        self.sbctl("user", "add", "t", "erin")
        res = self.sbctl("user", "add", "t", "ERIN", check=False)
        self.assertIn("EntityAlreadyExists", res.stderr)
        res = self.sbctl("user", "info", "t", "nobody", check=False)
        self.assertIn("NoSuchEntity", res.stderr)
        bad = Path(self.tmp.name) / "bad.json"
        bad.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')
        res = self.sbctl("policy", "create", "t", "bad", str(bad), check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("MalformedPolicy", res.stderr)

    def test_simulate_explains_the_decision(self):
        bucket = unique_bucket("iam-sim")
        self.s3.create_bucket(Bucket=bucket)
        self.sbctl("user", "add", "t", "frank")
        self.store_policy("frank-read", read_only_policy(bucket))
        self.sbctl("policy", "attach", "t", "frank-read", "--user", "frank")
        allowed = self.sbctl_json("policy", "simulate", "t", "--user", "frank", "--action",
                                  "s3:GetObject", "--resource", f"arn:aws:s3:::{bucket}/x")
        self.assertTrue(allowed["allowed"])
        self.assertEqual(allowed["decided_by"], "policy:frank-read#Read")
        self.assertEqual(allowed["identity_policies"], ["frank-read"])
        denied = self.sbctl_json("policy", "simulate", "t", "--user", "frank", "--action",
                                 "s3:PutObject", "--resource", f"arn:aws:s3:::{bucket}/x")
        self.assertFalse(denied["allowed"])
        self.assertEqual(denied["decided_by"], "implicit-deny")
        self.assertEqual(denied["decision"]["kind"], "ImplicitDeny")
        read = next(s for s in denied["statements"] if s["sid"] == "Read")
        self.assertFalse(read["action_matched"])
        self.assertTrue(read["resource_matched"])
        self.assertFalse(read["applies"])
        human = self.sbctl("policy", "simulate", "t", "--user", "frank", "--action",
                           "s3:PutObject", "--resource", f"arn:aws:s3:::{bucket}/x").stdout
        self.assertIn("DENIED", human)
        self.assertIn("frank-read", human)
        # Conditions from --context are evaluated.
        self.store_policy("frank-net", {"Version": "2012-10-17", "Statement": [
            {"Sid": "Net", "Effect": "Allow", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]})
        self.sbctl("policy", "attach", "t", "frank-net", "--user", "frank")
        inside = self.sbctl_json("policy", "simulate", "t", "--user", "frank", "--action",
                                 "s3:PutObject", "--resource", f"arn:aws:s3:::{bucket}/x",
                                 "--context", "aws:SourceIp=10.1.2.3")
        self.assertEqual(inside["decided_by"], "policy:frank-net#Net")
        outside = self.sbctl_json("policy", "simulate", "t", "--user", "frank", "--action",
                                  "s3:PutObject", "--resource", f"arn:aws:s3:::{bucket}/x",
                                  "--context", "aws:SourceIp=192.168.0.1")
        self.assertFalse(outside["allowed"])


class BucketPolicyTest(IamTestBase):
    def test_anonymous_read_of_a_prefix(self):
        bucket = unique_bucket("bp-anon")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="public/logo.png", Body=b"png")
        self.s3.put_object(Bucket=bucket, Key="private/plan.txt", Body=b"secret")
        self.assertEqual(self.anonymous_get(bucket, "public/logo.png"), 403)
        self.assertClientError(self.s3.get_bucket_policy, "NoSuchBucketPolicy", 404,
                               Bucket=bucket)

        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/public/*"}]}
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=bucket)["Policy"]), policy)
        self.assertEqual(self.anonymous_get(bucket, "public/logo.png"), 200)
        self.assertEqual(self.anonymous_get(bucket, "private/plan.txt"), 403)
        anon = self.server.boto3_client(unsigned=True)
        self.assertEqual(anon.get_object(Bucket=bucket, Key="public/logo.png")["Body"].read(),
                         b"png")
        self.assertClientError(anon.put_object, "AccessDenied", 403, Bucket=bucket,
                               Key="public/new", Body=b"x")
        self.assertClientError(anon.list_objects_v2, "AccessDenied", 403, Bucket=bucket)

        records = self.audit_records(f"t/{bucket}/public/logo.png", "--user",
                                  "anonymous")
        self.assertIn("bucket-policy:%s#PublicRead" % bucket,
                      {r["decided_by"] for r in records if r["status"] == 200})

        self.s3.delete_bucket_policy(Bucket=bucket)
        self.assertEqual(self.anonymous_get(bucket, "public/logo.png"), 403)
        self.assertClientError(self.s3.get_bucket_policy, "NoSuchBucketPolicy", 404,
                               Bucket=bucket)

    def test_malformed_policies_are_refused(self):
        bucket = unique_bucket("bp-bad")
        self.s3.create_bucket(Bucket=bucket)
        no_principal = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
        other_bucket = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::someone-else/*"}]}
        allow_not_principal = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::000000000000:user/x"},
             "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
        for doc in ("not json", json.dumps(no_principal), json.dumps(other_bucket),
                    json.dumps(allow_not_principal)):
            self.assertClientError(self.s3.put_bucket_policy, "MalformedPolicy", 400,
                                   Bucket=bucket, Policy=doc)
        self.assertClientError(self.s3.get_bucket_policy, "NoSuchBucketPolicy", 404,
                               Bucket=bucket)
        missing = unique_bucket("missing")
        valid = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{missing}/*"}]}
        for doc in (valid, no_principal):
            self.assertClientError(self.s3.put_bucket_policy, "NoSuchBucket", 404,
                                   Bucket=missing, Policy=json.dumps(doc))

    def test_prefix_scoped_user_deny_beats_allow_and_source_ip(self):
        bucket = unique_bucket("iam-home")
        self.s3.create_bucket(Bucket=bucket)
        for key in ("home/kim/a", "home/kim/b", "home/lee/c", "shared/d"):
            self.s3.put_object(Bucket=bucket, Key=key, Body=b"x")
        _, kim = self.new_user("kim")
        # The AWS "home folder" pattern with ${aws:username}, a Deny that beats the Allow, and
        # a statement bound to the client's address (the tests run on loopback).
        self.store_policy("home", {"Version": "2012-10-17", "Statement": [
            {"Sid": "ListHome", "Effect": "Allow", "Action": "s3:ListBucket",
             "Resource": f"arn:aws:s3:::{bucket}",
             "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}},
            {"Sid": "RwHome", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": f"arn:aws:s3:::{bucket}/home/${{aws:username}}/*"},
            {"Sid": "NoB", "Effect": "Deny", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/home/kim/b"},
            {"Sid": "SharedFromLoopback", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/shared/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}},
            {"Sid": "NeverFromHere", "Effect": "Allow", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{bucket}/shared/*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}}}]})
        self.sbctl("policy", "attach", "t", "home", "--user", "kim")
        listed = kim.list_objects_v2(Bucket=bucket, Prefix="home/kim/")
        self.assertEqual([o["Key"] for o in listed["Contents"]], ["home/kim/a", "home/kim/b"])
        self.assertClientError(kim.list_objects_v2, "AccessDenied", 403, Bucket=bucket,
                               Prefix="home/lee/")
        self.assertClientError(kim.list_objects_v2, "AccessDenied", 403, Bucket=bucket)
        self.assertEqual(kim.get_object(Bucket=bucket, Key="home/kim/a")["Body"].read(), b"x")
        self.assertClientError(kim.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="home/kim/b")
        self.assertClientError(kim.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="home/lee/c")
        self.assertEqual(kim.get_object(Bucket=bucket, Key="shared/d")["Body"].read(), b"x")
        self.assertClientError(kim.put_object, "AccessDenied", 403, Bucket=bucket,
                               Key="shared/e", Body=b"y")
        records = self.audit_records(f"t/{bucket}/home/kim/b", "--user",
                                  "kim")
        self.assertIn(("GetObject", 403, "policy:home#NoB"),
                      {(r["operation"], r["status"], r["decided_by"]) for r in records})

    def test_copy_needs_read_on_the_source(self):
        src = unique_bucket("iam-src")
        dst = unique_bucket("iam-dst")
        for b in (src, dst):
            self.s3.create_bucket(Bucket=b)
        self.s3.put_object(Bucket=src, Key="secret", Body=b"s")
        self.s3.put_object(Bucket=src, Key="public/p", Body=b"p")
        _, max_ = self.new_user("max")
        self.store_policy("max-copy", {"Version": "2012-10-17", "Statement": [
            {"Sid": "WriteDst", "Effect": "Allow", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{dst}/*"},
            {"Sid": "ReadPublic", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{src}/public/*"}]})
        self.sbctl("policy", "attach", "t", "max-copy", "--user", "max")
        # PutObject on the destination is not enough: CopyObject also reads the source.
        self.assertClientError(max_.copy_object, "AccessDenied", 403, Bucket=dst, Key="c",
                               CopySource={"Bucket": src, "Key": "secret"})
        max_.copy_object(Bucket=dst, Key="c", CopySource={"Bucket": src, "Key": "public/p"})
        self.assertEqual(self.s3.get_object(Bucket=dst, Key="c")["Body"].read(), b"p")
        up = max_.create_multipart_upload(Bucket=dst, Key="m")["UploadId"]
        self.assertClientError(max_.upload_part_copy, "AccessDenied", 403, Bucket=dst, Key="m",
                               UploadId=up, PartNumber=1,
                               CopySource={"Bucket": src, "Key": "secret"})
        self.s3.abort_multipart_upload(Bucket=dst, Key="m", UploadId=up)

    def test_delete_objects_is_authorized_per_key(self):
        bucket = unique_bucket("iam-multi")
        self.s3.create_bucket(Bucket=bucket)
        for key in ("tmp/a", "tmp/b", "keep/c"):
            self.s3.put_object(Bucket=bucket, Key=key, Body=b"x")
        _, ned = self.new_user("ned")
        self.store_policy("ned-tmp", {"Version": "2012-10-17", "Statement": [
            {"Sid": "CleanTmp", "Effect": "Allow", "Action": "s3:DeleteObject",
             "Resource": f"arn:aws:s3:::{bucket}/tmp/*"}]})
        self.sbctl("policy", "attach", "t", "ned-tmp", "--user", "ned")
        out = ned.delete_objects(Bucket=bucket, Delete={"Objects": [
            {"Key": "tmp/a"}, {"Key": "tmp/b"}, {"Key": "keep/c"}]})
        self.assertEqual(sorted(d["Key"] for d in out.get("Deleted", [])), ["tmp/a", "tmp/b"])
        self.assertEqual([(e["Key"], e["Code"]) for e in out.get("Errors", [])],
                         [("keep/c", "AccessDenied")])
        left = self.s3.list_objects_v2(Bucket=bucket)
        self.assertEqual([o["Key"] for o in left["Contents"]], ["keep/c"])
        # Anonymous multi-delete: every key denied (no bucket policy allows it).
        anon = self.server.boto3_client(unsigned=True)
        out = anon.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "keep/c"}]})
        self.assertEqual([e["Code"] for e in out.get("Errors", [])], ["AccessDenied"])

    def test_explicit_deny_binds_root(self):
        bucket = unique_bucket("bp-deny")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="locked/ledger", Body=b"1")
        self.s3.put_object(Bucket=bucket, Key="open/notes", Body=b"2")
        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
             "Resource": f"arn:aws:s3:::{bucket}/locked/*"}]}
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        # AWS: an explicit Deny in a bucket policy applies to the account root too.
        self.assertClientError(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket,
                               Key="locked/ledger")
        self.s3.delete_object(Bucket=bucket, Key="open/notes")
        sim = self.sbctl_json("policy", "simulate", "t", "--user", "root", "--action",
                              "s3:DeleteObject", "--resource",
                              f"arn:aws:s3:::{bucket}/locked/ledger")
        self.assertFalse(sim["allowed"])
        self.assertEqual(sim["decided_by"], f"bucket-policy:{bucket}#NoDeletes")
        self.assertEqual(sim["bucket_policy"], bucket)
        # ... but root can always remove the policy (AWS's lockout protection).
        self.s3.delete_bucket_policy(Bucket=bucket)
        self.s3.delete_object(Bucket=bucket, Key="locked/ledger")

    def test_bucket_policy_can_grant_a_user(self):
        bucket = unique_bucket("bp-user")
        self.s3.create_bucket(Bucket=bucket)
        _, gina = self.new_user("gina")
        self.assertClientError(gina.put_object, "AccessDenied", 403, Bucket=bucket, Key="g",
                               Body=b"x")
        user = self.sbctl_json("user", "info", "t", "gina")
        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "Gina", "Effect": "Allow", "Principal": {"AWS": user["arn"]},
             "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        gina.put_object(Bucket=bucket, Key="g", Body=b"x")
        self.assertClientError(gina.get_object, "AccessDenied", 403, Bucket=bucket, Key="g")

    def test_missing_key_is_404_only_to_who_may_list_it(self):
        # S3: a denied GET/HEAD of a missing key is 404 if the caller may list that name
        # (s3:ListBucket with s3:prefix = the key), else 403; existence is not leaked.
        bucket = unique_bucket("bp-404")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="public/there", Body=b"x")
        _, hugo = self.new_user("hugo")
        user = self.sbctl_json("user", "info", "t", "hugo")
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": user["arn"]}, "Action": "s3:ListBucket",
             "Resource": f"arn:aws:s3:::{bucket}",
             "Condition": {"StringLike": {"s3:prefix": "public/*"}}}]}
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        self.assertClientError(hugo.head_object, "404", 404, Bucket=bucket, Key="public/missing")
        self.assertClientError(hugo.get_object, "NoSuchKey", 404, Bucket=bucket,
                               Key="public/missing")
        self.assertClientError(hugo.head_object, "403", 403, Bucket=bucket, Key="private/missing")
        # An existing object stays 403 without s3:GetObject.
        self.assertClientError(hugo.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="public/there")


class TagConditionTest(IamTestBase):
    def test_existing_and_request_object_tags_decide(self):
        bucket = unique_bucket("iam-tags")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="open.txt", Body=b"o", Tagging="class=public")
        self.s3.put_object(Bucket=bucket, Key="closed.txt", Body=b"c", Tagging="class=secret")
        self.s3.put_object(Bucket=bucket, Key="plain.txt", Body=b"p")
        _, ivan = self.new_user("ivan")
        self.store_policy("ivan-tags", {"Version": "2012-10-17", "Statement": [
            {"Sid": "ReadPublic", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"StringEquals": {"s3:ExistingObjectTag/class": "public"}}},
            {"Sid": "TagOnlyTeamKeys", "Effect": "Allow", "Action": "s3:PutObjectTagging",
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["team"]},
                           "StringEquals": {"s3:ExistingObjectTag/class": "public"}}}]})
        self.sbctl("policy", "attach", "t", "ivan-tags", "--user", "ivan")

        # s3:ExistingObjectTag: the stored tags of the object decide.
        self.assertEqual(ivan.get_object(Bucket=bucket, Key="open.txt")["Body"].read(), b"o")
        self.assertClientError(ivan.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="closed.txt")
        self.assertClientError(ivan.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="plain.txt")
        # Retagging the object changes the decision from the next request.
        self.s3.put_object_tagging(Bucket=bucket, Key="closed.txt",
                                   Tagging={"TagSet": [{"Key": "class", "Value": "public"}]})
        self.assertEqual(ivan.get_object(Bucket=bucket, Key="closed.txt")["Body"].read(), b"c")

        # s3:RequestObjectTagKeys comes from the PutObjectTagging body; the existing tag
        # condition applies to the object as it is before the change.
        self.assertClientError(
            ivan.put_object_tagging, "AccessDenied", 403, Bucket=bucket, Key="open.txt",
            Tagging={"TagSet": [{"Key": "owner", "Value": "ivan"}]})
        ivan.put_object_tagging(Bucket=bucket, Key="open.txt",
                                Tagging={"TagSet": [{"Key": "team", "Value": "data"}]})
        tags = self.s3.get_object_tagging(Bucket=bucket, Key="open.txt")["TagSet"]
        self.assertEqual(tags, [{"Key": "team", "Value": "data"}])
        # The object lost its class=public tag, so neither reads nor retagging are allowed.
        self.assertClientError(ivan.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="open.txt")
        self.assertClientError(
            ivan.put_object_tagging, "AccessDenied", 403, Bucket=bucket, Key="open.txt",
            Tagging={"TagSet": [{"Key": "team", "Value": "ml"}]})
        # A denied retag changed nothing, and is in the audit log with the decision.
        self.assertEqual(self.s3.get_object_tagging(Bucket=bucket, Key="open.txt")["TagSet"],
                         [{"Key": "team", "Value": "data"}])

    def test_bucket_policy_status_says_whether_it_is_public(self):
        bucket = unique_bucket("bp-status")
        self.s3.create_bucket(Bucket=bucket)
        self.assertClientError(self.s3.get_bucket_policy_status, "NoSuchBucketPolicy", 404,
                               Bucket=bucket)
        office_only = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}}]}
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(office_only))
        status = self.s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]
        self.assertFalse(status["IsPublic"])
        public = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/pub/*"}]}
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public))
        self.assertTrue(self.s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"])
        _, judy = self.new_user("judy")
        self.assertClientError(judy.get_bucket_policy_status, "AccessDenied", 403, Bucket=bucket)


class IamRestartTest(IamTestBase):
    def test_users_keys_and_policies_survive_a_restart(self):
        bucket = unique_bucket("iam-restart")
        self.s3.create_bucket(Bucket=bucket)
        key, _ = self.new_user("henry")
        self.store_policy("henry-full", full_policy(bucket))
        self.sbctl("policy", "attach", "t", "henry-full", "--user", "henry")
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Sid": "Pub", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                 "Resource": f"arn:aws:s3:::{bucket}/pub/*"}]}))
        self.server.stop()
        # The secret is not on disk in the clear.
        meta = self.server.data_dir / "meta"
        secret = key["secretKey"].encode()
        for path in meta.rglob("*"):
            if path.is_file():
                self.assertNotIn(secret, path.read_bytes(), path)
        self.server.start()
        type(self).s3 = self.server.boto3_client()
        henry = self.server.boto3_client(access_key=key["accessKey"],
                                         secret_key=key["secretKey"])
        henry.put_object(Bucket=bucket, Key="pub/x", Body=b"after restart")
        self.assertEqual(self.anonymous_get(bucket, "pub/x"), 200)
        self.assertEqual(self.anonymous_get(bucket, "other"), 403)


if __name__ == "__main__":
    main()
