"""sbctl bench end to end against the real server: short PUT, GET, LIST and mixed runs, the
shape of the --json results file, and that the benchmark's bucket is gone afterwards. No
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


if __name__ == "__main__":
    main()
