"""Bucket versioning against the real server with boto3 and the aws cli: Put/Get
BucketVersioning, version ids on PUT/COPY/Complete, GET/HEAD/DELETE/Copy by versionId,
delete markers (404 + x-amz-delete-marker, 405 by id, removal restores), the null version
when suspended, DeleteObjects with version ids, paginated ListObjectVersions, BucketNotEmpty
for buckets holding only delete markers, SSE per version, and that removed versions free
their shards on disk."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from botocore.exceptions import ClientError  # noqa: E402
from server_harness import RawClient, ServerTestCase, main, unique_bucket  # noqa: E402

MiB = 1024 * 1024


class VersioningTest(ServerTestCase):
    tls = True  # test_sse_c_per_version: SSE-C is refused on plain HTTP

    def new_bucket(self, state=None):
        bucket = unique_bucket("ver")
        self.s3.create_bucket(Bucket=bucket)
        if state:
            self.set_state(bucket, state)
        return bucket

    def set_state(self, bucket, state):
        self.s3.put_bucket_versioning(Bucket=bucket,
                                      VersioningConfiguration={"Status": state})

    def shard_count(self):
        return sum(1 for _ in self.server.data_dir.rglob("*.shard"))

    def client_error(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    # ----- configuration -------------------------------------------------------------------
    def test_get_and_put_bucket_versioning(self):
        bucket = self.new_bucket()
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=bucket))
        self.set_state(bucket, "Enabled")
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")
        self.set_state(bucket, "Suspended")
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=bucket)["Status"], "Suspended")
        # A bucket that never had versioning may go straight to Suspended.
        other = self.new_bucket("Suspended")
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=other)["Status"], "Suspended")

    def test_bad_versioning_bodies(self):
        bucket = self.new_bucket()
        raw = RawClient(self.server)
        for body in (b"<VersioningConfiguration><Status>On</Status></VersioningConfiguration>",
                     b"<NotVersioning/>", b"not xml"):
            res = raw.request("PUT", f"/{bucket}", query=[("versioning", "")], body=body)
            self.assertEqual(res.status, 400, res)
            self.assertEqual(res.error_code(), "MalformedXML")
        err = self.client_error(self.s3.put_bucket_versioning, Bucket=bucket,
                                VersioningConfiguration={"Status": "Enabled",
                                                         "MFADelete": "Enabled"})
        self.assertEqual(err["Error"]["Code"], "NotImplemented")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 501)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=bucket))

    # ----- versions and delete markers -----------------------------------------------------
    def test_versions_get_head_by_id(self):
        bucket = self.new_bucket("Enabled")
        v1 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
        v2 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"two!")["VersionId"]
        self.assertNotEqual(v1, v2)
        self.assertNotEqual(v1, "null")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(), b"two!")
        got = self.s3.get_object(Bucket=bucket, Key="k", VersionId=v1)
        self.assertEqual(got["Body"].read(), b"one")
        self.assertEqual(got["VersionId"], v1)
        head = self.s3.head_object(Bucket=bucket, Key="k", VersionId=v1)
        self.assertEqual(head["ContentLength"], 3)
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="k")["VersionId"], v2)
        listed = self.s3.list_object_versions(Bucket=bucket)["Versions"]
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in listed],
                         [(v2, True), (v1, False)])
        # A well-formed id that names nothing, and a malformed one.
        missing = v1[:16] + "0" * 16
        err = self.client_error(self.s3.get_object, Bucket=bucket, Key="k", VersionId=missing)
        self.assertEqual(err["Error"]["Code"], "NoSuchVersion")
        err = self.client_error(self.s3.get_object, Bucket=bucket, Key="k", VersionId="bogus")
        self.assertEqual(err["Error"]["Code"], "InvalidArgument")

    def test_delete_marker_lifecycle(self):
        bucket = self.new_bucket("Enabled")
        v1 = self.s3.put_object(Bucket=bucket, Key="doc", Body=b"data")["VersionId"]
        deleted = self.s3.delete_object(Bucket=bucket, Key="doc")
        self.assertTrue(deleted["DeleteMarker"])
        marker = deleted["VersionId"]
        self.assertNotIn(marker, ("null", v1))
        # GET of the key: 404 NoSuchKey with x-amz-delete-marker.
        err = self.client_error(self.s3.get_object, Bucket=bucket, Key="doc")
        self.assertEqual(err["Error"]["Code"], "NoSuchKey")
        headers = err["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(headers.get("x-amz-delete-marker"), "true")
        self.assertEqual(headers.get("x-amz-version-id"), marker)
        err = self.client_error(self.s3.head_object, Bucket=bucket, Key="doc")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "true")
        # A key that never existed: no marker.
        err = self.client_error(self.s3.head_object, Bucket=bucket, Key="never")
        self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "false")
        # By id: 405 MethodNotAllowed.
        err = self.client_error(self.s3.get_object, Bucket=bucket, Key="doc", VersionId=marker)
        self.assertEqual(err["Error"]["Code"], "MethodNotAllowed")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 405)
        self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "true")
        # Listing skips the key; the versions listing shows the marker as latest.
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=bucket))
        versions = self.s3.list_object_versions(Bucket=bucket)
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in versions["DeleteMarkers"]],
                         [(marker, True)])
        self.assertFalse(versions["Versions"][0]["IsLatest"])
        # Deleting the marker restores v1.
        undo = self.s3.delete_object(Bucket=bucket, Key="doc", VersionId=marker)
        self.assertTrue(undo["DeleteMarker"])
        self.assertEqual(undo["VersionId"], marker)
        got = self.s3.get_object(Bucket=bucket, Key="doc")
        self.assertEqual(got["VersionId"], v1)
        self.assertEqual(got["Body"].read(), b"data")

    def test_delete_version_frees_data_and_bucket_not_empty(self):
        bucket = self.new_bucket("Enabled")
        before = self.shard_count()
        v1 = self.s3.put_object(Bucket=bucket, Key="big", Body=os.urandom(300_000))["VersionId"]
        v2 = self.s3.put_object(Bucket=bucket, Key="big", Body=os.urandom(300_000))["VersionId"]
        per_version = (self.shard_count() - before) // 2
        self.assertGreater(per_version, 0)
        self.s3.delete_object(Bucket=bucket, Key="big")  # a marker frees nothing
        self.assertEqual(self.shard_count() - before, 2 * per_version)
        self.s3.delete_object(Bucket=bucket, Key="big", VersionId=v1)
        self.assertEqual(self.shard_count() - before, per_version)
        self.s3.delete_object(Bucket=bucket, Key="big", VersionId=v2)
        self.assertEqual(self.shard_count(), before)
        # Only a delete marker is left: the bucket is still not empty.
        err = self.client_error(self.s3.delete_bucket, Bucket=bucket)
        self.assertEqual(err["Error"]["Code"], "BucketNotEmpty")
        for m in self.s3.list_object_versions(Bucket=bucket)["DeleteMarkers"]:
            self.s3.delete_object(Bucket=bucket, Key=m["Key"], VersionId=m["VersionId"])
        self.s3.delete_bucket(Bucket=bucket)

    def test_suspended_null_version(self):
        bucket = self.new_bucket()
        put = self.s3.put_object(Bucket=bucket, Key="n", Body=b"unversioned")
        self.assertNotIn("VersionId", put)  # unversioned buckets send no version id
        self.set_state(bucket, "Enabled")
        v2 = self.s3.put_object(Bucket=bucket, Key="n", Body=b"versioned")["VersionId"]
        self.set_state(bucket, "Suspended")
        before = self.shard_count()
        put = self.s3.put_object(Bucket=bucket, Key="n", Body=b"null again")
        self.assertNotIn("VersionId", put)  # S3 names no version for a suspended PUT
        # The old null version was replaced (and its data freed): no net shard growth.
        self.assertEqual(self.shard_count(), before)
        ids = [v["VersionId"] for v in self.s3.list_object_versions(Bucket=bucket)["Versions"]]
        self.assertEqual(ids, ["null", v2])
        got = self.s3.get_object(Bucket=bucket, Key="n", VersionId="null")
        self.assertEqual(got["VersionId"], "null")  # reads name it in a versioned bucket
        self.assertEqual(got["Body"].read(), b"null again")
        deleted = self.s3.delete_object(Bucket=bucket, Key="n")
        self.assertTrue(deleted["DeleteMarker"])
        self.assertEqual(deleted["VersionId"], "null")
        listed = self.s3.list_object_versions(Bucket=bucket)
        self.assertEqual([m["VersionId"] for m in listed["DeleteMarkers"]], ["null"])
        self.assertEqual([v["VersionId"] for v in listed["Versions"]], [v2])
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="n", VersionId=v2)["Body"].read(),
                         b"versioned")

    def test_copy_by_version_and_restore(self):
        bucket = self.new_bucket("Enabled")
        v1 = self.s3.put_object(Bucket=bucket, Key="src", Body=b"first")["VersionId"]
        self.s3.put_object(Bucket=bucket, Key="src", Body=b"second")
        copied = self.s3.copy_object(Bucket=bucket, Key="dst",
                                     CopySource={"Bucket": bucket, "Key": "src", "VersionId": v1})
        self.assertEqual(copied["CopySourceVersionId"], v1)
        self.assertNotIn(copied["VersionId"], ("null", v1))
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="dst")["Body"].read(), b"first")
        # Restoring an old version = copying it onto its own key.
        restored = self.s3.copy_object(Bucket=bucket, Key="src",
                                       CopySource={"Bucket": bucket, "Key": "src", "VersionId": v1})
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="src")["VersionId"],
                         restored["VersionId"])
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="src")["Body"].read(), b"first")
        self.assertEqual(len(self.s3.list_object_versions(Bucket=bucket, Prefix="src")["Versions"]),
                         3)
        # A delete marker cannot be a copy source by id.
        marker = self.s3.delete_object(Bucket=bucket, Key="src")["VersionId"]
        err = self.client_error(self.s3.copy_object, Bucket=bucket, Key="x",
                                CopySource={"Bucket": bucket, "Key": "src", "VersionId": marker})
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
        err = self.client_error(self.s3.copy_object, Bucket=bucket, Key="x",
                                CopySource={"Bucket": bucket, "Key": "src"})
        self.assertEqual(err["Error"]["Code"], "NoSuchKey")

    def test_multipart_creates_a_version(self):
        bucket = self.new_bucket("Enabled")
        v1 = self.s3.put_object(Bucket=bucket, Key="mp", Body=b"small")["VersionId"]
        upload = self.s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
        parts = []
        for n, body in ((1, os.urandom(5 * MiB)), (2, b"tail")):
            etag = self.s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=n,
                                       Body=body)["ETag"]
            parts.append({"PartNumber": n, "ETag": etag})
        done = self.s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                                 MultipartUpload={"Parts": parts})
        self.assertNotIn(done["VersionId"], ("null", v1))
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="mp", VersionId=v1)["Body"].read(),
                         b"small")
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="mp")["ContentLength"],
                         5 * MiB + 4)
        # UploadPartCopy from an older version names it.
        upload = self.s3.create_multipart_upload(Bucket=bucket, Key="mp2")["UploadId"]
        copied = self.s3.upload_part_copy(Bucket=bucket, Key="mp2", UploadId=upload,
                                          PartNumber=1,
                                          CopySource={"Bucket": bucket, "Key": "mp",
                                                      "VersionId": v1})
        self.assertEqual(copied["CopySourceVersionId"], v1)
        self.s3.complete_multipart_upload(
            Bucket=bucket, Key="mp2", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1,
                                        "ETag": copied["CopyPartResult"]["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="mp2")["Body"].read(), b"small")

    def test_delete_objects_with_versions(self):
        bucket = self.new_bucket("Enabled")
        v1 = self.s3.put_object(Bucket=bucket, Key="a", Body=b"1")["VersionId"]
        v2 = self.s3.put_object(Bucket=bucket, Key="a", Body=b"2")["VersionId"]
        self.s3.put_object(Bucket=bucket, Key="b", Body=b"b")
        res = self.s3.delete_objects(Bucket=bucket, Delete={"Objects": [
            {"Key": "a", "VersionId": v1}, {"Key": "b"}]})
        by_key = {d["Key"]: d for d in res["Deleted"]}
        self.assertEqual(by_key["a"]["VersionId"], v1)
        self.assertNotIn("DeleteMarker", by_key["a"])
        self.assertTrue(by_key["b"]["DeleteMarker"])
        marker = by_key["b"]["DeleteMarkerVersionId"]
        res = self.s3.delete_objects(Bucket=bucket, Delete={"Objects": [
            {"Key": "b", "VersionId": marker}, {"Key": "a", "VersionId": v2}]})
        by_key = {d["Key"]: d for d in res["Deleted"]}
        self.assertTrue(by_key["b"]["DeleteMarker"])
        self.assertEqual(by_key["b"]["DeleteMarkerVersionId"], marker)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="b")["Body"].read(), b"b")
        self.assertNotIn("Versions", self.s3.list_object_versions(Bucket=bucket, Prefix="a"))

    def test_list_versions_pages_prefixes_and_cli(self):
        bucket = self.new_bucket("Enabled")
        expected = []
        for key in ("a", "b", "c/x", "c/y", "d"):
            ids = [self.s3.put_object(Bucket=bucket, Key=key, Body=key.encode())["VersionId"]
                   for _ in range(3)]
            expected += [(key, i) for i in reversed(ids)]
        marker = self.s3.delete_object(Bucket=bucket, Key="d")["VersionId"]
        expected.insert(expected.index(("d", expected[-3][1])), ("d", marker))
        seen = []
        pages = 0
        for page in self.s3.get_paginator("list_object_versions").paginate(
                Bucket=bucket, PaginationConfig={"PageSize": 4}):
            pages += 1
            entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
            self.assertLessEqual(len(entries), 4)
            seen += [(e["Key"], e["VersionId"]) for e in entries]
        self.assertEqual(pages, 4)
        self.assertEqual(sorted(seen), sorted(expected))
        # Markers by hand, starting inside a key.
        page = self.s3.list_object_versions(Bucket=bucket, KeyMarker="b",
                                            VersionIdMarker=expected[3][1], MaxKeys=2)
        self.assertTrue(page["IsTruncated"])
        self.assertEqual([v["VersionId"] for v in page["Versions"]],
                         [expected[4][1], expected[5][1]])
        self.assertEqual(page["NextKeyMarker"], "b")
        self.assertEqual(page["NextVersionIdMarker"], expected[5][1])
        # Delimiter rolls c/ up into one common prefix.
        grouped = self.s3.list_object_versions(Bucket=bucket, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in grouped["CommonPrefixes"]], ["c/"])
        self.assertEqual(len(grouped["Versions"]), 9)
        # The aws cli.
        res = self.server.aws("s3api", "list-object-versions", "--bucket", bucket, "--prefix",
                              "c/", "--output", "json")
        doc = json.loads(res.stdout)
        self.assertEqual(len(doc["Versions"]), 6)
        self.assertEqual(sum(1 for v in doc["Versions"] if v["IsLatest"]), 2)

    def test_sse_c_per_version(self):
        bucket = self.new_bucket("Enabled")

        def sse(key):
            return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}

        k1, k2 = os.urandom(32), os.urandom(32)
        v1 = self.s3.put_object(Bucket=bucket, Key="s", Body=b"secret one",
                                **sse(k1))["VersionId"]
        v2 = self.s3.put_object(Bucket=bucket, Key="s", Body=b"secret two",
                                **sse(k2))["VersionId"]
        v3 = self.s3.put_object(Bucket=bucket, Key="s", Body=b"kms three",
                                ServerSideEncryption="aws:kms")["VersionId"]
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="s", VersionId=v1, **sse(k1))
                         ["Body"].read(), b"secret one")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="s", VersionId=v2, **sse(k2))
                         ["Body"].read(), b"secret two")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="s")["Body"].read(), b"kms three")
        err = self.client_error(self.s3.get_object, Bucket=bucket, Key="s", VersionId=v1,
                                **sse(k2))
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.s3.delete_object(Bucket=bucket, Key="s", VersionId=v3)
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="s", **sse(k2))["VersionId"], v2)


if __name__ == "__main__":
    main()
