"""Block Public Access (?publicAccessBlock) and Object Ownership (?ownershipControls) with
boto3: the settings round-trip, and each public access flag bites where S3 applies it."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from server_harness import ServerTestCase, main, unique_bucket  # noqa: E402

ALL_OFF = {"BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
           "RestrictPublicBuckets": False}


def public_read_policy(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]})


class PublicAccessBlockTest(ServerTestCase):
    def setUp(self):
        self.bucket = unique_bucket("pab")
        self.s3.create_bucket(Bucket=self.bucket)
        self.anon = self.server.boto3_client(unsigned=True)

    def put_block(self, **flags):
        conf = dict(ALL_OFF, **flags)
        self.s3.put_public_access_block(Bucket=self.bucket, PublicAccessBlockConfiguration=conf)

    def test_round_trip_and_delete(self):
        self.assertClientError(self.s3.get_public_access_block,
                               "NoSuchPublicAccessBlockConfiguration", 404, Bucket=self.bucket)
        self.put_block(BlockPublicAcls=True, IgnorePublicAcls=True, BlockPublicPolicy=True)
        got = self.s3.get_public_access_block(Bucket=self.bucket)
        self.assertEqual(got["PublicAccessBlockConfiguration"],
                         dict(ALL_OFF, BlockPublicAcls=True, IgnorePublicAcls=True,
                              BlockPublicPolicy=True))
        res = self.s3.delete_public_access_block(Bucket=self.bucket)
        self.assertEqual(res["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertClientError(self.s3.get_public_access_block,
                               "NoSuchPublicAccessBlockConfiguration", 404, Bucket=self.bucket)
        self.assertClientError(self.s3.get_public_access_block, "NoSuchBucket", 404,
                               Bucket=unique_bucket("none"))

    def test_malformed_configuration_is_refused(self):
        from server_harness import RawClient
        raw = RawClient(self.server)
        body = (b"<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls>"
                b"</PublicAccessBlockConfiguration>")
        res = raw.request("PUT", f"/{self.bucket}", query=[("publicAccessBlock", "")], body=body)
        self.assertEqual((res.status, res.error_code()), (400, "MalformedXML"), res)

    def test_block_public_acls_refuses_public_acls_with_403(self):
        self.put_block(BlockPublicAcls=True)
        for acl in ("public-read", "public-read-write", "authenticated-read"):
            self.assertClientError(self.s3.put_object, "AccessDenied", 403, Bucket=self.bucket,
                                   Key="k", Body=b"x", ACL=acl)
            self.assertClientError(self.s3.put_bucket_acl, "AccessDenied", 403,
                                   Bucket=self.bucket, ACL=acl)
        self.s3.put_object(Bucket=self.bucket, Key="k", Body=b"x", ACL="private")
        # Without the block, ACLs stay unsupported (BucketOwnerEnforced), as AWS.
        self.put_block()
        self.assertClientError(self.s3.put_object, "AccessControlListNotSupported", 400,
                               Bucket=self.bucket, Key="k", Body=b"x", ACL="public-read")

    def test_block_public_policy_refuses_only_public_policies(self):
        self.put_block(BlockPublicPolicy=True)
        self.assertClientError(self.s3.put_bucket_policy, "AccessDenied", 403,
                               Bucket=self.bucket, Policy=public_read_policy(self.bucket))
        private = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:user/alice"},
            "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{self.bucket}/*"}]})
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=private)
        self.put_block()
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=public_read_policy(self.bucket))

    def test_restrict_public_buckets_cuts_anonymous_access(self):
        self.s3.put_object(Bucket=self.bucket, Key="pub", Body=b"hello")
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=public_read_policy(self.bucket))
        self.assertEqual(self.anon.get_object(Bucket=self.bucket, Key="pub")["Body"].read(),
                         b"hello")
        self.put_block(RestrictPublicBuckets=True)
        self.assertClientError(self.anon.get_object, "AccessDenied", 403, Bucket=self.bucket,
                               Key="pub")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="pub")["Body"].read(),
                         b"hello")
        self.s3.delete_public_access_block(Bucket=self.bucket)
        self.assertEqual(self.anon.get_object(Bucket=self.bucket, Key="pub")["Body"].read(),
                         b"hello")


class OwnershipControlsTest(ServerTestCase):
    def test_always_bucket_owner_enforced(self):
        bucket = unique_bucket("own")
        self.s3.create_bucket(Bucket=bucket, ObjectOwnership="BucketOwnerEnforced")
        rules = self.s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        self.assertEqual(rules, [{"ObjectOwnership": "BucketOwnerEnforced"}])
        for other in ("ObjectWriter", "BucketOwnerPreferred"):
            self.assertClientError(self.s3.put_bucket_ownership_controls, "InvalidArgument", 400,
                                   Bucket=bucket,
                                   OwnershipControls={"Rules": [{"ObjectOwnership": other}]})
            self.assertClientError(self.s3.create_bucket, "InvalidArgument", 400,
                                   Bucket=unique_bucket("own"), ObjectOwnership=other)
        self.s3.delete_bucket_ownership_controls(Bucket=bucket)
        self.assertClientError(self.s3.get_bucket_ownership_controls,
                               "OwnershipControlsNotFoundError", 404, Bucket=bucket)
        self.s3.delete_bucket_ownership_controls(Bucket=bucket)  # idempotent, as S3
        self.s3.put_bucket_ownership_controls(
            Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        rules = self.s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        self.assertEqual(rules, [{"ObjectOwnership": "BucketOwnerEnforced"}])
        # ACLs stay disabled whatever the stored setting says.
        self.assertClientError(self.s3.put_bucket_acl, "AccessControlListNotSupported", 400,
                               Bucket=bucket, ACL="public-read")


if __name__ == "__main__":
    main()
