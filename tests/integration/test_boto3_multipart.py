"""Multipart uploads through boto3: concurrent parts, ETags, size and order rules, abort,
ListParts, ListMultipartUploads, partNumber reads and the transfer manager."""

import hashlib
import os
import random
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (ServerTestCase, file_md5, main, md5_hex,  # noqa: E402
                            unique_bucket, write_random_file)

MiB = 1024 * 1024


def multipart_etag(parts) -> str:
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
    return f'"{digest}-{len(parts)}"'


class MultipartTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("mpu")
        cls.s3.create_bucket(Bucket=cls.bucket)

    def create(self, key, **kw):
        return self.s3.create_multipart_upload(Bucket=self.bucket, Key=key, **kw)["UploadId"]

    def upload_part(self, key, upload_id, number, data, client=None):
        client = client or self.s3
        resp = client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                  PartNumber=number, Body=data)
        self.assertEqual(resp["ETag"], f'"{md5_hex(data)}"')
        return {"PartNumber": number, "ETag": resp["ETag"]}

    def complete(self, key, upload_id, parts):
        return self.s3.complete_multipart_upload(Bucket=self.bucket, Key=key,
                                                 UploadId=upload_id,
                                                 MultipartUpload={"Parts": parts})

    def test_concurrent_parts_complete_and_read_back(self):
        key = "big/concurrent.bin"
        parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(5 * MiB),
                 os.urandom(MiB + 123)]
        upload_id = self.create(key, ContentType="application/x-tar", Metadata={"k": "v"})
        order = list(range(len(parts)))
        random.Random(7).shuffle(order)
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(self.upload_part, key, upload_id, i + 1, parts[i])
                       for i in order]
            done = sorted((f.result() for f in futures), key=lambda p: p["PartNumber"])

        listed = self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id)
        self.assertEqual([p["PartNumber"] for p in listed["Parts"]], [1, 2, 3, 4])
        self.assertEqual([p["Size"] for p in listed["Parts"]], [len(p) for p in parts])
        self.assertEqual([p["ETag"] for p in listed["Parts"]], [p["ETag"] for p in done])
        self.assertFalse(listed["IsTruncated"])
        # Not visible as an object until completed.
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key=key)

        resp = self.complete(key, upload_id, done)
        self.assertEqual(resp["ETag"], multipart_etag(parts))
        self.assertEqual(resp["Key"], key)
        self.assertEqual(resp["Bucket"], self.bucket)

        whole = b"".join(parts)
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        body = got["Body"].read()
        self.assertEqual(len(body), len(whole))
        self.assertEqual(md5_hex(body), md5_hex(whole))
        self.assertEqual(got["ETag"], multipart_etag(parts))
        self.assertEqual(got["ContentType"], "application/x-tar")
        self.assertEqual(got["Metadata"], {"k": "v"})

        # Reading one part: 206 with the part's byte range and the parts count.
        got = self.s3.get_object(Bucket=self.bucket, Key=key, PartNumber=2)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(got["PartsCount"], 4)
        self.assertEqual(got["ContentRange"], f"bytes {5 * MiB}-{10 * MiB - 1}/{len(whole)}")
        self.assertEqual(md5_hex(got["Body"].read()), md5_hex(parts[1]))
        head = self.s3.head_object(Bucket=self.bucket, Key=key, PartNumber=4)
        self.assertEqual(head["ContentLength"], MiB + 123)
        self.assertEqual(head["PartsCount"], 4)
        # A part number past the last part: 400 InvalidPart, as ceph/s3-tests
        # (test_multipart_get_part) checks against AWS.
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key=key, PartNumber=5)
        err = cm.exception.response
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400, err)
        self.assertEqual(err["Error"]["Code"], "InvalidPart", err)
        # Ranges work across part boundaries.
        got = self.s3.get_object(Bucket=self.bucket, Key=key,
                                 Range=f"bytes={5 * MiB - 10}-{5 * MiB + 9}")
        self.assertEqual(got["Body"].read(), whole[5 * MiB - 10:5 * MiB + 10])
        # The upload is gone after completion.
        self.assertClientError(self.s3.list_parts, "NoSuchUpload", 404, Bucket=self.bucket,
                               Key=key, UploadId=upload_id)

    def test_single_small_part(self):
        key = "small/one-part"
        data = b"only part, small is fine for the last part"
        upload_id = self.create(key)
        part = self.upload_part(key, upload_id, 1, data)
        resp = self.complete(key, upload_id, [part])
        self.assertEqual(resp["ETag"], multipart_etag([data]))
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(), data)

    def test_repeated_complete_answers_the_same_version(self):
        # A client whose first answer was lost retries Complete: S3 answers it again.
        key = "retry/complete"
        upload_id = self.create(key)
        part = self.upload_part(key, upload_id, 1, b"retried")
        first = self.complete(key, upload_id, [part])
        again = self.complete(key, upload_id, [part])
        self.assertEqual(again["ETag"], first["ETag"])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                         b"retried")
        # Another parts list, or a key overwritten since, is NoSuchUpload.
        other = dict(part, ETag='"' + "0" * 32 + '"')
        self.assertClientError(self.complete, "NoSuchUpload", 404, key, upload_id, [other])
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"newer")
        self.assertClientError(self.complete, "NoSuchUpload", 404, key, upload_id, [part])

    def test_entity_too_small(self):
        key = "small/too-small"
        upload_id = self.create(key)
        parts = [self.upload_part(key, upload_id, 1, os.urandom(MiB)),
                 self.upload_part(key, upload_id, 2, os.urandom(MiB))]
        self.assertClientError(self.complete, "EntityTooSmall", 400, key, upload_id, parts)
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key=key)
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def test_invalid_part(self):
        key = "bad/invalid-part"
        upload_id = self.create(key)
        p1 = self.upload_part(key, upload_id, 1, os.urandom(5 * MiB))
        p2 = self.upload_part(key, upload_id, 2, b"tail")
        wrong_etag = dict(p2, ETag='"00000000000000000000000000000000"')
        self.assertClientError(self.complete, "InvalidPart", 400, key, upload_id,
                               [p1, wrong_etag])
        # (Listed last so that no part-size rule can apply before the lookup.)
        never_uploaded = {"PartNumber": 3, "ETag": p2["ETag"]}
        self.assertClientError(self.complete, "InvalidPart", 400, key, upload_id,
                               [p1, never_uploaded])
        # The upload survives failed completions and can still be completed correctly.
        resp = self.complete(key, upload_id, [p1, p2])
        self.assertTrue(resp["ETag"].endswith('-2"'))

    def test_invalid_part_order(self):
        key = "bad/order"
        upload_id = self.create(key)
        p1 = self.upload_part(key, upload_id, 1, os.urandom(5 * MiB))
        p2 = self.upload_part(key, upload_id, 2, b"tail")
        self.assertClientError(self.complete, "InvalidPartOrder", 400, key, upload_id, [p2, p1])
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def test_subset_of_parts_with_gaps(self):
        # Completing with parts 1 and 3 (2 uploaded but left out) is valid.
        key = "gaps/obj"
        upload_id = self.create(key)
        a, b, c = os.urandom(5 * MiB), os.urandom(5 * MiB), b"end"
        p1 = self.upload_part(key, upload_id, 1, a)
        self.upload_part(key, upload_id, 2, b)
        p3 = self.upload_part(key, upload_id, 3, c)
        resp = self.complete(key, upload_id, [p1, p3])
        self.assertEqual(resp["ETag"], multipart_etag([a, c]))
        body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        self.assertEqual(md5_hex(body), md5_hex(a + c))

    def test_part_overwrite_last_wins(self):
        key = "ow/part"
        upload_id = self.create(key)
        self.upload_part(key, upload_id, 1, b"first attempt")
        p = self.upload_part(key, upload_id, 1, b"second attempt")
        listed = self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id)
        self.assertEqual(len(listed["Parts"]), 1)
        self.assertEqual(listed["Parts"][0]["ETag"], p["ETag"])
        self.complete(key, upload_id, [p])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                         b"second attempt")

    def test_invalid_part_numbers(self):
        key = "bad/partnum"
        upload_id = self.create(key)
        for number in (0, 10001):
            with self.subTest(part=number):
                self.assertClientError(self.s3.upload_part, "InvalidArgument", 400,
                                       Bucket=self.bucket, Key=key, UploadId=upload_id,
                                       PartNumber=number, Body=b"x")
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def test_abort(self):
        key = "abort/me"
        upload_id = self.create(key)
        self.upload_part(key, upload_id, 1, os.urandom(1000))
        resp = self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertClientError(self.s3.list_parts, "NoSuchUpload", 404, Bucket=self.bucket,
                               Key=key, UploadId=upload_id)
        self.assertClientError(self.s3.upload_part, "NoSuchUpload", 404, Bucket=self.bucket,
                               Key=key, UploadId=upload_id, PartNumber=2, Body=b"x")
        self.assertClientError(self.complete, "NoSuchUpload", 404, key, upload_id,
                               [{"PartNumber": 1, "ETag": '"x"'}])
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key=key)
        self.assertClientError(self.s3.abort_multipart_upload, "NoSuchUpload", 404,
                               Bucket=self.bucket, Key=key, UploadId="no-such-upload-id")

    def test_upload_id_is_bound_to_its_key(self):
        upload_id = self.create("bound/right")
        self.assertClientError(self.s3.upload_part, "NoSuchUpload", 404, Bucket=self.bucket,
                               Key="bound/wrong", UploadId=upload_id, PartNumber=1, Body=b"x")
        self.assertClientError(self.s3.list_parts, "NoSuchUpload", 404, Bucket=self.bucket,
                               Key="bound/wrong", UploadId=upload_id)
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key="bound/right",
                                       UploadId=upload_id)

    def test_list_multipart_uploads(self):
        bucket = unique_bucket("mpu-list")
        self.s3.create_bucket(Bucket=bucket)
        ids = {}
        for key in ("alpha/1", "alpha/2", "beta/1", "alpha/2"):
            uid = self.s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
            ids.setdefault(key, []).append(uid)
        resp = self.s3.list_multipart_uploads(Bucket=bucket)
        got = sorted((u["Key"], u["UploadId"]) for u in resp["Uploads"])
        want = sorted((k, u) for k, us in ids.items() for u in us)
        self.assertEqual(got, want)
        self.assertEqual([u["Key"] for u in resp["Uploads"]],
                         sorted(u["Key"] for u in resp["Uploads"]), "sorted by key")
        for u in resp["Uploads"]:
            self.assertIn("Initiated", u)
        resp = self.s3.list_multipart_uploads(Bucket=bucket, Prefix="alpha/")
        self.assertEqual(sorted(u["Key"] for u in resp["Uploads"]),
                         ["alpha/1", "alpha/2", "alpha/2"])
        resp = self.s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in resp.get("CommonPrefixes", [])],
                         ["alpha/", "beta/"])
        self.assertEqual(resp.get("Uploads", []), [])
        for key, uids in ids.items():
            for uid in uids:
                self.s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=uid)
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []), [])
        self.s3.delete_bucket(Bucket=bucket)

    def test_list_multipart_uploads_pagination(self):
        bucket = unique_bucket("mpu-page")
        self.s3.create_bucket(Bucket=bucket)
        created = []
        for key in ("a", "b", "b", "c", "d"):
            created.append((key, self.s3.create_multipart_upload(Bucket=bucket,
                                                                 Key=key)["UploadId"]))
        first = self.s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual(len(first["Uploads"]), 2)
        seen = [(u["Key"], u["UploadId"]) for u in first["Uploads"]]
        self.assertEqual(first["NextKeyMarker"], seen[-1][0])
        pages = 1
        resp = first
        while resp["IsTruncated"]:
            resp = self.s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2,
                                                  KeyMarker=resp["NextKeyMarker"],
                                                  UploadIdMarker=resp["NextUploadIdMarker"])
            seen += [(u["Key"], u["UploadId"]) for u in resp.get("Uploads", [])]
            pages += 1
            self.assertLess(pages, 10)
        self.assertEqual(sorted(seen), sorted(created))
        self.assertEqual(len(seen), len(set(seen)), "no upload listed twice")
        for key, uid in created:
            self.s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=uid)
        self.s3.delete_bucket(Bucket=bucket)

    def test_list_parts_pagination(self):
        key = "lp/paged"
        upload_id = self.create(key)
        for n in range(1, 8):
            self.upload_part(key, upload_id, n, f"part {n}".encode())
        resp = self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id, MaxParts=3)
        self.assertEqual([p["PartNumber"] for p in resp["Parts"]], [1, 2, 3])
        self.assertTrue(resp["IsTruncated"])
        self.assertEqual(resp["NextPartNumberMarker"], 3)
        resp = self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id, MaxParts=3,
                                  PartNumberMarker=3)
        self.assertEqual([p["PartNumber"] for p in resp["Parts"]], [4, 5, 6])
        all_parts = [p["PartNumber"] for page in self.s3.get_paginator("list_parts").paginate(
            Bucket=self.bucket, Key=key, UploadId=upload_id, PaginationConfig={"PageSize": 2})
            for p in page["Parts"]]
        self.assertEqual(all_parts, list(range(1, 8)))
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def test_upload_part_with_streaming_trailer(self):
        client = self.server.boto3_trailer_client()
        key = "trailer/mpu"
        upload_id = self.create(key)
        a, b = os.urandom(5 * MiB), os.urandom(777)
        parts = [self.upload_part(key, upload_id, 1, a, client),
                 self.upload_part(key, upload_id, 2, b, client)]
        resp = self.complete(key, upload_id, parts)
        self.assertEqual(resp["ETag"], multipart_etag([a, b]))
        body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        self.assertEqual(md5_hex(body), md5_hex(a + b))

    def test_transfer_manager_upload_and_download(self):
        from boto3.s3.transfer import TransferConfig
        with tempfile.TemporaryDirectory(prefix="sb-tm-") as tmp:
            src = os.path.join(tmp, "src.bin")
            size = 17 * MiB + 5
            md5 = write_random_file(src, size)
            cfg = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB,
                                 max_concurrency=4)
            self.s3.upload_file(src, self.bucket, "tm/file.bin", Config=cfg)
            head = self.s3.head_object(Bucket=self.bucket, Key="tm/file.bin")
            self.assertEqual(head["ContentLength"], size)
            self.assertTrue(head["ETag"].endswith('-4"'), head["ETag"])
            dst = os.path.join(tmp, "dst.bin")
            # Download in ranged GETs (threshold below the size).
            self.s3.download_file(self.bucket, "tm/file.bin", dst, Config=cfg)
            self.assertEqual(os.path.getsize(dst), size)
            self.assertEqual(file_md5(dst), md5)

    def test_copy_multipart_object(self):
        key = "copy/mp-src"
        upload_id = self.create(key)
        a, b = os.urandom(5 * MiB), os.urandom(1000)
        parts = [self.upload_part(key, upload_id, 1, a), self.upload_part(key, upload_id, 2, b)]
        self.complete(key, upload_id, parts)
        self.s3.copy_object(Bucket=self.bucket, Key="copy/mp-dst",
                            CopySource={"Bucket": self.bucket, "Key": key})
        body = self.s3.get_object(Bucket=self.bucket, Key="copy/mp-dst")["Body"].read()
        self.assertEqual(md5_hex(body), md5_hex(a + b))


if __name__ == "__main__":
    main()
