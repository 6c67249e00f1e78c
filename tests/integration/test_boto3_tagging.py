"""Object and bucket tagging against the real server with boto3: Put/Get/DeleteObjectTagging
(also by versionId), Put/Get/DeleteBucketTagging (NoSuchTagSet), x-amz-tagging on PUT and
CreateMultipartUpload, CopyObject with x-amz-tagging-directive COPY/REPLACE,
x-amz-tagging-count on GET/HEAD, and the limits (10 object tags, 50 bucket tags, keys of 128
and values of 256 characters, duplicates) answered with InvalidTag."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from botocore.exceptions import ClientError  # noqa: E402
from server_harness import RawClient, ServerTestCase, main, unique_bucket  # noqa: E402


def tagset(pairs):
    return {"TagSet": [{"Key": k, "Value": v} for k, v in pairs]}


class TaggingTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("tag")
        cls.s3.create_bucket(Bucket=cls.bucket)

    def error(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        err = cm.exception.response
        return err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"]

    def tags(self, key, **kw):
        got = self.s3.get_object_tagging(Bucket=self.bucket, Key=key, **kw)["TagSet"]
        return [(t["Key"], t["Value"]) for t in got]

    def test_object_tagging_put_get_delete(self):
        self.s3.put_object(Bucket=self.bucket, Key="o", Body=b"x")
        self.assertEqual(self.tags("o"), [])
        self.assertNotIn("x-amz-tagging-count",
                         self.s3.get_object(Bucket=self.bucket, Key="o")["ResponseMetadata"]
                         ["HTTPHeaders"])
        pairs = [("b", "2"), ("a", "1"), ("ünïcode", "välue with spaces")]
        self.s3.put_object_tagging(Bucket=self.bucket, Key="o", Tagging=tagset(pairs))
        self.assertEqual(self.tags("o"), sorted(pairs))
        head = self.s3.head_object(Bucket=self.bucket, Key="o")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"], "3")
        get = self.s3.get_object(Bucket=self.bucket, Key="o")
        self.assertEqual(get["TagCount"], 3)
        # A new PUT replaces the tags with its own (none here).
        self.s3.put_object_tagging(Bucket=self.bucket, Key="o", Tagging=tagset([("z", "")]))
        self.assertEqual(self.tags("o"), [("z", "")])
        res = self.s3.delete_object_tagging(Bucket=self.bucket, Key="o")
        self.assertEqual(res["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.tags("o"), [])
        self.assertEqual(self.error(self.s3.get_object_tagging, Bucket=self.bucket, Key="nope"),
                         (404, "NoSuchKey"))
        self.assertEqual(self.error(self.s3.put_object_tagging, Bucket=self.bucket, Key="nope",
                                    Tagging=tagset([("a", "b")])), (404, "NoSuchKey"))

    def test_limits(self):
        self.s3.put_object(Bucket=self.bucket, Key="lim", Body=b"x")
        ok = [(f"k{i}", "v" * 256) for i in range(9)] + [("k" * 128, "v")]
        self.s3.put_object_tagging(Bucket=self.bucket, Key="lim", Tagging=tagset(ok))
        self.assertEqual(len(self.tags("lim")), 10)
        for bad in ([(f"k{i}", "v") for i in range(11)],
                    [("k" * 129, "v")],
                    [("k", "v" * 257)],
                    [("k", "1"), ("k", "2")],
                    [("aws:reserved", "v")]):
            self.assertEqual(self.error(self.s3.put_object_tagging, Bucket=self.bucket,
                                        Key="lim", Tagging=tagset(bad)), (400, "InvalidTag"))
        self.assertEqual(len(self.tags("lim")), 10)  # failures change nothing
        # 50 bucket tags are fine, 51 are not.
        bucket = unique_bucket("tagb")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_bucket_tagging(Bucket=bucket,
                                   Tagging=tagset([(f"k{i}", "v") for i in range(50)]))
        self.assertEqual(self.error(self.s3.put_bucket_tagging, Bucket=bucket,
                                    Tagging=tagset([(f"k{i}", "v") for i in range(51)])),
                         (400, "InvalidTag"))
        raw = RawClient(self.server)
        res = raw.request("PUT", f"/{self.bucket}/lim", query=[("tagging", "")],
                          body=b"<Tagging><Nope/></Tagging>")
        self.assertEqual((res.status, res.error_code()), (400, "MalformedXML"))
        res = raw.request("PUT", f"/{self.bucket}/lim", query=[("tagging", "")],
                          body=b"<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag>"
                               b"</TagSet></Tagging>")
        self.assertEqual((res.status, res.error_code()), (400, "InvalidTag"))

    def test_bucket_tagging(self):
        bucket = unique_bucket("tagb")
        self.s3.create_bucket(Bucket=bucket)
        self.assertEqual(self.error(self.s3.get_bucket_tagging, Bucket=bucket),
                         (404, "NoSuchTagSet"))
        self.s3.put_bucket_tagging(Bucket=bucket, Tagging=tagset([("team", "storage")]))
        got = self.s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
        self.assertEqual(got, [{"Key": "team", "Value": "storage"}])
        res = self.s3.delete_bucket_tagging(Bucket=bucket)
        self.assertEqual(res["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.error(self.s3.get_bucket_tagging, Bucket=bucket),
                         (404, "NoSuchTagSet"))

    def test_tagging_header_on_put_multipart_and_copy(self):
        self.s3.put_object(Bucket=self.bucket, Key="h", Body=b"x",
                           Tagging="project=blue%20sky&empty=&flag")
        self.assertEqual(self.tags("h"), [("empty", ""), ("flag", ""), ("project", "blue sky")])
        self.assertEqual(self.error(self.s3.put_object, Bucket=self.bucket, Key="bad", Body=b"",
                                    Tagging="&".join(f"k{i}=v" for i in range(11))),
                         (400, "InvalidTag"))
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mp",
                                                 Tagging="a=1")["UploadId"]
        etag = self.s3.upload_part(Bucket=self.bucket, Key="mp", UploadId=upload, PartNumber=1,
                                   Body=b"part")["ETag"]
        self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key="mp", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
        self.assertEqual(self.tags("mp"), [("a", "1")])
        # Copy: COPY (default) keeps the source's tags, REPLACE takes the request's.
        src = {"Bucket": self.bucket, "Key": "h"}
        self.s3.copy_object(Bucket=self.bucket, Key="c1", CopySource=src)
        self.assertEqual(self.tags("c1"), self.tags("h"))
        self.s3.copy_object(Bucket=self.bucket, Key="c2", CopySource=src, Tagging="new=tag",
                            TaggingDirective="REPLACE")
        self.assertEqual(self.tags("c2"), [("new", "tag")])
        self.s3.copy_object(Bucket=self.bucket, Key="c3", CopySource=src,
                            TaggingDirective="REPLACE")
        self.assertEqual(self.tags("c3"), [])

    def test_tags_per_version(self):
        bucket = unique_bucket("tagv")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"1", Tagging="gen=1")["VersionId"]
        v2 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"2")["VersionId"]
        res = self.s3.put_object_tagging(Bucket=bucket, Key="k", VersionId=v1,
                                         Tagging=tagset([("gen", "old")]))
        self.assertEqual(res["VersionId"], v1)
        got = self.s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
        self.assertEqual(got["TagSet"], [{"Key": "gen", "Value": "old"}])
        self.assertEqual(got["VersionId"], v1)
        self.assertEqual(self.s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"], [])
        self.s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tagset([("gen", "2")]))
        self.assertEqual(self.s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v2)
                         ["TagSet"], [{"Key": "gen", "Value": "2"}])
        self.s3.delete_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
        self.assertEqual(self.s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
                         ["TagSet"], [])
        marker = self.s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
        status, code = self.error(self.s3.get_object_tagging, Bucket=bucket, Key="k",
                                  VersionId=marker)
        self.assertEqual((status, code), (405, "MethodNotAllowed"))
        self.assertEqual(self.error(self.s3.put_object_tagging, Bucket=bucket, Key="k",
                                    Tagging=tagset([("a", "b")])), (404, "NoSuchKey"))


if __name__ == "__main__":
    main()
