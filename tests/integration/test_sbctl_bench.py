"""sbctl bench end to end against the real server: short PUT, GET, LIST and mixed runs, the
shape of the --json results file, that the benchmark's bucket is gone afterwards, and the
server's --insecure-no-encryption measurement switch (plaintext on the drives only with it). No
figure is ever compared with a threshold (the machines are noisy)."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402

SUMMARY_KEYS = {"operation", "endpoint", "signed", "bucket", "size_bytes", "concurrency",
                "objects", "duration_seconds", "ops", "errors", "bytes", "mib_per_second",
                "ops_per_second", "latency_ms", "server_side_encryption", "latencies_us"}


class SbctlBenchTest(SbctlServerTestCase):
    timeout_seconds = 240

    def bench(self, *args):
        with tempfile.TemporaryDirectory(prefix="sb-bench-") as d:
            path = os.path.join(d, "out.json")
            out = self.sbctl("bench", "t", *args, "--json", path).stdout
            with open(path) as f:
                return json.load(f), out

    def buckets(self):
        return [b["Name"] for b in self.s3.list_buckets()["Buckets"]]

    def check_shape(self, r, operation, size, concurrency):
        self.assertLessEqual(SUMMARY_KEYS, set(r))
        self.assertEqual(r["operation"], operation)
        self.assertEqual(r["size_bytes"], size)
        self.assertEqual(r["concurrency"], concurrency)
        self.assertTrue(r["signed"])
        self.assertEqual(r["errors"], 0)
        self.assertGreater(r["ops"], 0)
        self.assertEqual(len(r["latencies_us"]), r["ops"])
        self.assertEqual(r["latencies_us"], sorted(r["latencies_us"]))
        lat = r["latency_ms"]
        self.assertLessEqual(lat["p50"], lat["p90"])
        self.assertLessEqual(lat["p90"], lat["p99"])
        self.assertLessEqual(lat["p99"], lat["max"])
        self.assertGreater(r["ops_per_second"], 0)
        self.assertNotIn(r["bucket"], self.buckets())

    def test_put(self):
        r, out = self.bench("--put", "--size", "4KiB", "--concurrency", "2", "--objects", "5",
                            "--duration", "1s")
        self.check_shape(r, "PUT", 4096, 2)
        self.assertEqual(r["bytes"], r["ops"] * 4096)
        self.assertTrue(r["server_side_encryption"])  # SSE-S3 is the default
        self.assertIn("MiB/s", out)
        self.assertIn("p99", out)

    def test_get(self):
        r, _ = self.bench("--get", "--size", "1MiB", "--concurrency", "2", "--objects", "3",
                          "--duration", "1s")
        self.check_shape(r, "GET", 1 << 20, 2)
        self.assertEqual(r["bytes"], r["ops"] * (1 << 20))
        self.assertGreater(r["mib_per_second"], 0)

    def test_list(self):
        r, out = self.bench("--list", "--size", "1", "--concurrency", "1", "--objects", "1500",
                            "--duration", "500ms")
        self.check_shape(r, "LIST", 1, 1)
        self.assertEqual(r["list_keys"], r["ops"] * 1500)
        self.assertEqual(r["pages_per_listing"], 2)  # 1000 + 500
        self.assertIn("1500 keys", out)

    def test_mixed_named_bucket_and_keep(self):
        bucket = unique_bucket("bench")
        r, _ = self.bench("--mixed", "--size", "4KiB", "--concurrency", "2", "--objects", "4",
                          "--duration", "1s", "--bucket", bucket, "--keep")
        self.assertEqual(r["operation"], "MIXED")
        self.assertEqual(r["errors"], 0)
        self.assertIn(bucket, self.buckets())  # --keep leaves it
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket)["Contents"]]
        # the GET/HEAD set, plus PUTs to a second set (obj-000004...) so none races a GET
        self.assertEqual(keys[:4], [f"obj-{i:06d}" for i in range(4)])
        self.assertTrue(all(k < "obj-000008" for k in keys), keys)
        for k in keys:
            self.s3.delete_object(Bucket=bucket, Key=k)
        self.s3.delete_bucket(Bucket=bucket)

    def test_global_json_summary(self):
        out = self.sbctl("--json", "bench", "t", "--size", "4KiB", "--objects", "2",
                         "--concurrency", "1", "--duration", "300ms").stdout
        r = json.loads(out)
        self.assertEqual(r["operation"], "PUT")
        self.assertNotIn("latencies_us", r)  # only in the --json FILE

    def test_usage_errors(self):
        for args in (["--size", "12parsecs"], ["--duration", "-1s"], ["--put", "--get"],
                     ["--concurrency", "0"]):
            res = self.sbctl("bench", "t", *args, check=False)
            self.assertEqual(res.returncode, 1, args)
        res = self.sbctl("bench", "nosuchalias", "--duration", "100ms", check=False)
        self.assertNotEqual(res.returncode, 0)


def drive_bytes(data_dir):
    """Everything stored under the server's drive folders, concatenated."""
    out = bytearray()
    for root, _, files in os.walk(os.path.join(data_dir, "drives")):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                out += f.read()
    return bytes(out)


MARKER = b"strongbox-plaintext-marker-" * 8


class EncryptionSwitchTest(SbctlServerTestCase):
    """Without --insecure-no-encryption nothing reaches the drives in plaintext."""
    timeout_seconds = 120

    def test_default_encrypts(self):
        bucket = unique_bucket("enc")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="k", Body=MARKER)
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"],
                         "AES256")
        self.assertNotIn(MARKER, drive_bytes(self.server.data_dir))


class InsecureNoEncryptionTest(SbctlServerTestCase):
    """--insecure-no-encryption (measurement only): objects without SSE headers are stored
    as plaintext; explicit SSE and bucket defaults are still honoured; reads work."""
    timeout_seconds = 180
    server_args = ("--insecure-no-encryption",)

    def test_warns_at_start(self):
        self.assertIn("UNENCRYPTED", self.server.log_tail(1000000))

    def test_plain_object_stored_unencrypted(self):
        bucket = unique_bucket("plain")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="k", Body=MARKER)
        self.assertNotIn("ServerSideEncryption", self.s3.head_object(Bucket=bucket, Key="k"))
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(), MARKER)
        self.assertIn(MARKER, drive_bytes(self.server.data_dir))
        # an explicit request and a bucket default still encrypt
        self.s3.put_object(Bucket=bucket, Key="e", Body=MARKER + b"e",
                           ServerSideEncryption="AES256")
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="e")["ServerSideEncryption"],
                         "AES256")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="e")["Body"].read(), MARKER + b"e")
        self.assertNotIn(MARKER + b"e", drive_bytes(self.server.data_dir))

    def test_multipart_unencrypted(self):
        bucket = unique_bucket("plainmp")
        self.s3.create_bucket(Bucket=bucket)
        up = self.s3.create_multipart_upload(Bucket=bucket, Key="m")["UploadId"]
        part = MARKER * 30000  # > 5 MiB
        etag = self.s3.upload_part(Bucket=bucket, Key="m", UploadId=up, PartNumber=1,
                                   Body=part)["ETag"]
        self.s3.complete_multipart_upload(Bucket=bucket, Key="m", UploadId=up, MultipartUpload={
            "Parts": [{"ETag": etag, "PartNumber": 1}]})
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="m")["Body"].read(), part)
        self.assertNotIn("ServerSideEncryption", self.s3.head_object(Bucket=bucket, Key="m"))

    def test_bench_reports_unencrypted(self):
        with tempfile.TemporaryDirectory(prefix="sb-bench-") as d:
            path = os.path.join(d, "out.json")
            self.sbctl("bench", "t", "--size", "4KiB", "--objects", "2", "--concurrency", "1",
                       "--duration", "300ms", "--json", path)
            with open(path) as f:
                self.assertFalse(json.load(f)["server_side_encryption"])


if __name__ == "__main__":
    main()
