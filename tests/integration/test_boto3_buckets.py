"""Bucket operations through boto3: create/list/head/delete, name rules, location, errors."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import ServerTestCase, main, unique_bucket  # noqa: E402


class BucketTest(ServerTestCase):

    def test_create_list_head_delete(self):
        names = sorted(unique_bucket("bk") for _ in range(3))
        for name in names:
            resp = self.s3.create_bucket(Bucket=name)
            self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        listed = self.s3.list_buckets()
        by_name = {b["Name"]: b for b in listed["Buckets"]}
        for name in names:
            self.assertIn(name, by_name)
            self.assertIn("CreationDate", by_name[name])
        listed_names = [b["Name"] for b in listed["Buckets"]]
        self.assertEqual(listed_names, sorted(listed_names), "ListBuckets is sorted by name")
        for name in names:
            head = self.s3.head_bucket(Bucket=name)
            self.assertEqual(head["ResponseMetadata"]["HTTPStatusCode"], 200)
        for name in names:
            resp = self.s3.delete_bucket(Bucket=name)
            self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        remaining = {b["Name"] for b in self.s3.list_buckets()["Buckets"]}
        self.assertFalse(remaining & set(names))
        # HEAD has no body: botocore reports the status as the code.
        self.assertClientError(self.s3.head_bucket, "404", 404, Bucket=names[0])

    def test_invalid_bucket_names(self):
        bad = [
            "ab",  # too short
            "a" * 64,  # too long
            "UpperCase",  # upper case
            "under_score",  # underscore
            "-leading-hyphen",
            "trailing-hyphen-",
            "double..dot",
            "192.168.10.20",  # formatted as an IP address
            ".leading-dot",
            "trailing-dot.",
        ]
        for name in bad:
            with self.subTest(name=name):
                self.assertClientError(self.s3.create_bucket, "InvalidBucketName", 400,
                                       Bucket=name)
        existing = {b["Name"] for b in self.s3.list_buckets()["Buckets"]}
        self.assertFalse(existing & set(bad))

    def test_valid_edge_names(self):
        names = ["abc", "a" * 63, "with.dots.ok", "0numeric-start9"]
        for name in names:
            with self.subTest(name=name):
                self.s3.create_bucket(Bucket=name)
                self.s3.head_bucket(Bucket=name)
                self.s3.delete_bucket(Bucket=name)

    def test_create_existing_bucket(self):
        name = unique_bucket()
        self.s3.create_bucket(Bucket=name)
        self.s3.put_object(Bucket=name, Key="keep", Body=b"x")
        # us-east-1 keeps S3's legacy answer: re-creating your own bucket succeeds and
        # changes nothing (ceph/s3-tests test_bucket_recreate_not_overriding).
        self.s3.create_bucket(Bucket=name)
        self.assertEqual(self.s3.get_object(Bucket=name, Key="keep")["Body"].read(), b"x")
        self.s3.delete_object(Bucket=name, Key="keep")
        self.s3.delete_bucket(Bucket=name)

    def test_delete_non_empty_bucket(self):
        name = unique_bucket()
        self.s3.create_bucket(Bucket=name)
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertClientError(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=name)
        self.s3.head_bucket(Bucket=name)  # still there
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"x")
        self.s3.delete_object(Bucket=name, Key="k")
        resp = self.s3.delete_bucket(Bucket=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_delete_bucket_with_pending_multipart_upload(self):
        # AWS deletes a bucket whose only content is an in-progress multipart upload (the
        # upload goes with it); a bucket re-created under that name must not inherit it.
        name = unique_bucket()
        self.s3.create_bucket(Bucket=name)
        self.s3.create_multipart_upload(Bucket=name, Key="pending")
        resp = self.s3.delete_bucket(Bucket=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.s3.create_bucket(Bucket=name)
        uploads = self.s3.list_multipart_uploads(Bucket=name)
        self.assertEqual(uploads.get("Uploads", []), [])
        self.s3.delete_bucket(Bucket=name)

    def test_missing_bucket_errors(self):
        name = unique_bucket("missing")
        self.assertClientError(self.s3.delete_bucket, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.get_bucket_location, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.list_objects_v2, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.list_objects, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.put_object, "NoSuchBucket", 404, Bucket=name, Key="k",
                               Body=b"x")
        self.assertClientError(self.s3.get_object, "NoSuchBucket", 404, Bucket=name, Key="k")
        self.assertClientError(self.s3.create_multipart_upload, "NoSuchBucket", 404,
                               Bucket=name, Key="k")

    def test_get_bucket_location(self):
        name = unique_bucket()
        self.s3.create_bucket(Bucket=name)
        resp = self.s3.get_bucket_location(Bucket=name)
        # S3 answers an empty <LocationConstraint/> for us-east-1, which boto3 maps to None.
        self.assertIsNone(resp["LocationConstraint"])
        self.s3.delete_bucket(Bucket=name)

    def test_deleted_bucket_name_is_reusable(self):
        name = unique_bucket()
        self.s3.create_bucket(Bucket=name)
        self.s3.put_object(Bucket=name, Key="old", Body=b"old")
        self.s3.delete_object(Bucket=name, Key="old")
        self.s3.delete_bucket(Bucket=name)
        self.s3.create_bucket(Bucket=name)
        listing = self.s3.list_objects_v2(Bucket=name)
        self.assertEqual(listing["KeyCount"], 0)
        self.assertNotIn("Contents", listing)
        self.s3.delete_bucket(Bucket=name)


if __name__ == "__main__":
    main()
