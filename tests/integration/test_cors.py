"""Bucket CORS with boto3 and raw HTTP: Put/Get/DeleteBucketCors, OPTIONS preflights (no
credentials, as browsers send them) and the CORS headers on ordinary requests."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from server_harness import RawClient, ServerTestCase, main, unique_bucket  # noqa: E402

RULES = {"CORSRules": [
    {"ID": "app", "AllowedOrigins": ["https://*.example.com"], "AllowedMethods": ["GET", "PUT"],
     "AllowedHeaders": ["x-amz-*", "content-type"], "ExposeHeaders": ["ETag"],
     "MaxAgeSeconds": 600},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]},
]}


class CorsTest(ServerTestCase):
    def setUp(self):
        self.bucket = unique_bucket("cors")
        self.s3.create_bucket(Bucket=self.bucket)
        self.raw = RawClient(self.server)

    def preflight(self, origin, method, headers=None, path=None):
        h = {}
        if origin is not None:
            h["Origin"] = origin
        if method is not None:
            h["Access-Control-Request-Method"] = method
        if headers:
            h["Access-Control-Request-Headers"] = headers
        return self.raw.request("OPTIONS", path or f"/{self.bucket}/obj", headers=h, sign=False)

    def test_configuration_round_trip_and_errors(self):
        self.assertClientError(self.s3.get_bucket_cors, "NoSuchCORSConfiguration", 404,
                               Bucket=self.bucket)
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration=RULES)
        got = self.s3.get_bucket_cors(Bucket=self.bucket)["CORSRules"]
        self.assertEqual(got[0]["AllowedOrigins"], ["https://*.example.com"])
        self.assertEqual(got[0]["AllowedMethods"], ["GET", "PUT"])
        self.assertEqual(got[0]["MaxAgeSeconds"], 600)
        self.assertEqual(got[1]["AllowedOrigins"], ["*"])
        bad = {"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]}
        self.assertClientError(self.s3.put_bucket_cors, "InvalidRequest", 400,
                               Bucket=self.bucket, CORSConfiguration=bad)
        self.s3.delete_bucket_cors(Bucket=self.bucket)
        self.assertClientError(self.s3.get_bucket_cors, "NoSuchCORSConfiguration", 404,
                               Bucket=self.bucket)

    def test_preflight_allows_only_what_a_rule_allows(self):
        # No configuration: every preflight is refused.
        res = self.preflight("https://app.example.com", "GET")
        self.assertEqual((res.status, res.error_code()), (403, "AccessForbidden"))
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration=RULES)
        res = self.preflight("https://app.example.com", "PUT", "x-amz-meta-a, Content-Type")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.headers["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(res.headers["access-control-allow-methods"], "GET, PUT")
        self.assertEqual(res.headers["access-control-allow-headers"],
                         "x-amz-meta-a, content-type")
        self.assertEqual(res.headers["access-control-max-age"], "600")
        self.assertEqual(res.headers["access-control-expose-headers"], "ETag")
        res = self.preflight("https://evil.test", "GET")
        self.assertEqual(res.status, 200)
        self.assertEqual(res.headers["access-control-allow-origin"], "*")
        for origin, method, headers in (("https://evil.test", "PUT", None),
                                        ("https://app.example.com", "DELETE", None),
                                        ("https://app.example.com", "PUT", "authorization")):
            res = self.preflight(origin, method, headers)
            self.assertEqual((res.status, res.error_code()), (403, "AccessForbidden"),
                             (origin, method, headers))
        self.assertEqual(self.preflight(None, "GET").status, 400)
        self.assertEqual(self.preflight("https://app.example.com", None).status, 400)
        # The bucket itself (no key) has the same rules.
        self.assertEqual(self.preflight("https://evil.test", "GET", path=f"/{self.bucket}")
                         .status, 200)

    def test_ordinary_requests_carry_cors_headers_for_a_matching_origin(self):
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration=RULES)
        self.s3.put_object(Bucket=self.bucket, Key="obj", Body=b"x")
        res = self.raw.request("GET", f"/{self.bucket}/obj",
                               headers={"Origin": "https://app.example.com"})
        self.assertEqual(res.status, 200)
        self.assertEqual(res.headers["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(res.headers["access-control-expose-headers"], "ETag")
        res = self.raw.request("DELETE", f"/{self.bucket}/obj",
                               headers={"Origin": "https://app.example.com"})
        self.assertNotIn("access-control-allow-origin", res.headers)
        res = self.raw.request("GET", f"/{self.bucket}/missing", headers={"Origin": "https://x"})
        self.assertEqual(res.status, 404)
        self.assertEqual(res.headers["access-control-allow-origin"], "*")


if __name__ == "__main__":
    main()
