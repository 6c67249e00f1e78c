"""S3 additional checksums with boto3: stored on PUT and returned with checksum mode, multipart
COMPOSITE and FULL_OBJECT checksums, part checksums, and GetObjectAttributes."""
import base64
import hashlib
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from server_harness import RawClient, ServerTestCase, main, unique_bucket  # noqa: E402

MIB = 1024 * 1024


def b64(raw):
    return base64.b64encode(raw).decode()


def sha256_b64(data):
    return b64(hashlib.sha256(data).digest())


def crc32_b64(data):
    return b64(zlib.crc32(data).to_bytes(4, "big"))


ATTRS = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]


class ChecksumTest(ServerTestCase):
    def setUp(self):
        self.bucket = unique_bucket("ck")
        self.s3.create_bucket(Bucket=self.bucket)

    def test_put_stores_the_checksum_and_head_returns_it_on_request(self):
        body = b"A" * 1024
        res = self.s3.put_object(Bucket=self.bucket, Key="k", Body=body,
                                 ChecksumAlgorithm="SHA256", ChecksumSHA256=sha256_b64(body))
        self.assertEqual(res["ChecksumSHA256"], sha256_b64(body))
        head = self.s3.head_object(Bucket=self.bucket, Key="k")
        self.assertNotIn("ChecksumSHA256", head)
        head = self.s3.head_object(Bucket=self.bucket, Key="k", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumSHA256"], sha256_b64(body))
        self.assertEqual(head["ChecksumType"], "FULL_OBJECT")
        got = self.s3.get_object(Bucket=self.bucket, Key="k", ChecksumMode="ENABLED")
        self.assertEqual(got["ChecksumSHA256"], sha256_b64(body))
        self.assertEqual(got["Body"].read(), body)
        # A range has no whole-object checksum.
        part = self.s3.get_object(Bucket=self.bucket, Key="k", Range="bytes=0-9",
                                  ChecksumMode="ENABLED")
        self.assertNotIn("ChecksumSHA256", part)
        self.assertClientError(self.s3.put_object, "BadDigest", 400, Bucket=self.bucket, Key="k",
                               Body=body, ChecksumAlgorithm="SHA256",
                               ChecksumSHA256=sha256_b64(b"other"))
        # The failed PUT changed nothing.
        head = self.s3.head_object(Bucket=self.bucket, Key="k", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumSHA256"], sha256_b64(body))

    def upload(self, key, algorithm, type_=None, parts=(b"A" * 5 * MIB, b"B" * MIB)):
        extra = {"ChecksumType": type_} if type_ else {}
        up = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key,
                                             ChecksumAlgorithm=algorithm, **extra)
        self.assertEqual(up["ChecksumAlgorithm"], algorithm)
        listed = []
        for n, data in enumerate(parts, 1):
            res = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=up["UploadId"],
                                      PartNumber=n, Body=data, ChecksumAlgorithm=algorithm)
            name = "Checksum" + algorithm
            listed.append({"PartNumber": n, "ETag": res["ETag"], name: res[name]})
        return up["UploadId"], listed

    def test_multipart_composite_sha256(self):
        a, b = b"A" * 5 * MIB, b"B" * MIB
        upload_id, parts = self.upload("mp", "SHA256")
        self.assertEqual(parts[0]["ChecksumSHA256"], sha256_b64(a))
        composite = b64(hashlib.sha256(hashlib.sha256(a).digest() +
                                       hashlib.sha256(b).digest()).digest()) + "-2"
        # A wrong whole-object claim is BadDigest, and the upload stays open.
        self.assertClientError(self.s3.complete_multipart_upload, "BadDigest", 400,
                               Bucket=self.bucket, Key="mp", UploadId=upload_id,
                               ChecksumSHA256=sha256_b64(b"nope"),
                               MultipartUpload={"Parts": parts})
        res = self.s3.complete_multipart_upload(Bucket=self.bucket, Key="mp", UploadId=upload_id,
                                                ChecksumSHA256=composite,
                                                MultipartUpload={"Parts": parts})
        self.assertEqual(res["ChecksumSHA256"], composite)
        self.assertEqual(res["ChecksumType"], "COMPOSITE")
        head = self.s3.head_object(Bucket=self.bucket, Key="mp", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumSHA256"], composite)
        part2 = self.s3.get_object(Bucket=self.bucket, Key="mp", PartNumber=2)
        self.assertEqual(part2["ChecksumSHA256"], sha256_b64(b))
        attrs = self.s3.get_object_attributes(Bucket=self.bucket, Key="mp", ObjectAttributes=ATTRS)
        self.assertEqual(attrs["Checksum"]["ChecksumSHA256"], composite)
        self.assertEqual(attrs["ObjectSize"], 6 * MIB)
        self.assertEqual(attrs["StorageClass"], "STANDARD")
        self.assertEqual(attrs["ETag"], res["ETag"].strip('"'))
        got = attrs["ObjectParts"]
        self.assertEqual(got["TotalPartsCount"], 2)
        self.assertEqual([(p["PartNumber"], p["Size"], p["ChecksumSHA256"]) for p in got["Parts"]],
                         [(1, 5 * MIB, sha256_b64(a)), (2, MIB, sha256_b64(b))])
        page = self.s3.get_object_attributes(Bucket=self.bucket, Key="mp", ObjectAttributes=ATTRS,
                                             MaxParts=1)["ObjectParts"]
        self.assertTrue(page["IsTruncated"])
        self.assertEqual(page["NextPartNumberMarker"], 1)

    def test_multipart_full_object_crc32_is_the_crc_of_the_whole_object(self):
        a, b = b"A" * 5 * MIB, b"B" * MIB
        upload_id, parts = self.upload("crc", "CRC32", "FULL_OBJECT")
        res = self.s3.complete_multipart_upload(Bucket=self.bucket, Key="crc", UploadId=upload_id,
                                                ChecksumCRC32=crc32_b64(a + b),
                                                ChecksumType="FULL_OBJECT",
                                                MultipartUpload={"Parts": parts})
        self.assertEqual(res["ChecksumCRC32"], crc32_b64(a + b))
        self.assertEqual(res["ChecksumType"], "FULL_OBJECT")

    def test_refusals(self):
        self.assertClientError(self.s3.create_multipart_upload, "InvalidRequest", 400,
                               Bucket=self.bucket, Key="x", ChecksumAlgorithm="SHA256",
                               ChecksumType="FULL_OBJECT")
        # A listed part checksum that is not the uploaded part's.
        upload_id, parts = self.upload("bad", "SHA256")
        parts[0]["ChecksumSHA256"] = sha256_b64(b"something else")
        self.assertClientError(self.s3.complete_multipart_upload, "InvalidPart", 400,
                               Bucket=self.bucket, Key="bad", UploadId=upload_id,
                               MultipartUpload={"Parts": parts})
        # A part in another algorithm than the upload's.
        self.assertClientError(self.s3.upload_part, "InvalidRequest", 400, Bucket=self.bucket,
                               Key="bad", UploadId=upload_id, PartNumber=3, Body=b"x",
                               ChecksumAlgorithm="CRC32")

    def test_object_attributes_of_simple_and_versioned_objects(self):
        res = self.s3.put_object(Bucket=self.bucket, Key="s", Body=b"foo")
        attrs = self.s3.get_object_attributes(Bucket=self.bucket, Key="s", ObjectAttributes=ATTRS)
        self.assertEqual(attrs["ObjectSize"], 3)
        self.assertEqual(attrs["ETag"], res["ETag"].strip('"'))
        self.assertNotIn("ObjectParts", attrs)
        self.assertNotIn("VersionId", attrs)
        self.assertClientError(self.s3.get_object_attributes, "NoSuchKey", 404,
                               Bucket=self.bucket, Key="missing", ObjectAttributes=ATTRS)
        raw = RawClient(self.server)
        bad = raw.request("GET", f"/{self.bucket}/s", query=[("attributes", "")],
                          headers={"x-amz-object-attributes": "Color"})
        self.assertEqual((bad.status, bad.error_code()), (400, "InvalidArgument"), bad)
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=self.bucket, Key="v", Body=b"one")["VersionId"]
        self.s3.put_object(Bucket=self.bucket, Key="v", Body=b"second")
        attrs = self.s3.get_object_attributes(Bucket=self.bucket, Key="v", VersionId=v1,
                                              ObjectAttributes=["ObjectSize"])
        self.assertEqual((attrs["VersionId"], attrs["ObjectSize"]), (v1, 3))


if __name__ == "__main__":
    main()
