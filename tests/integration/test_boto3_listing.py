"""ListObjects V1/V2 semantics through boto3: pagination, prefix, delimiter, markers,
start-after and encoding-type=url, over a few hundred keys."""

import os
import re
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import ServerTestCase, main, md5_hex, unique_bucket  # noqa: E402

ODD_KEY = "a b/c+d%e&f<g>"
KEYS = ([f"logs/{y}/{n:03d}.txt" for y in (2021, 2022, 2023) for n in range(60)] +
        [f"data/{n:03d}" for n in range(100)] +
        ["readme", "sp ace", "x=y&z", ODD_KEY, "odd/ü/ключ", "odd/ü/z", "odd/plain"])


def s3_order(keys):
    """S3 lists keys in UTF-8 binary order."""
    return sorted(keys, key=lambda k: k.encode("utf-8"))


def expected_delimited(keys, prefix="", delimiter="/"):
    contents, prefixes = [], set()
    for k in keys:
        if not k.startswith(prefix):
            continue
        rest = k[len(prefix):]
        i = rest.find(delimiter)
        if i >= 0:
            prefixes.add(prefix + rest[:i + len(delimiter)])
        else:
            contents.append(k)
    return s3_order(contents), s3_order(prefixes)


class ListingTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("list")
        cls.s3.create_bucket(Bucket=cls.bucket)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda k: cls.s3.put_object(Bucket=cls.bucket, Key=k,
                                                      Body=k.encode()), KEYS))
        cls.sorted_keys = s3_order(KEYS)

    def test_v2_full_listing_default_page(self):
        resp = self.s3.list_objects_v2(Bucket=self.bucket)
        self.assertFalse(resp["IsTruncated"])
        self.assertEqual(resp["KeyCount"], len(KEYS))
        self.assertEqual(resp["MaxKeys"], 1000)
        self.assertEqual([o["Key"] for o in resp["Contents"]], self.sorted_keys)
        for o in resp["Contents"]:
            self.assertEqual(o["Size"], len(o["Key"].encode()))
            self.assertEqual(o["ETag"], f'"{md5_hex(o["Key"].encode())}"')
            self.assertIn("LastModified", o)

    def test_v2_paginated(self):
        pages = list(self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, PaginationConfig={"PageSize": 37}))
        self.assertEqual(len(pages), (len(KEYS) + 36) // 37)
        keys = []
        for i, page in enumerate(pages):
            contents = page.get("Contents", [])
            self.assertLessEqual(len(contents), 37)
            self.assertEqual(page["KeyCount"], len(contents))
            last = i == len(pages) - 1
            self.assertEqual(page["IsTruncated"], not last)
            if not last:
                self.assertEqual(len(contents), 37)
                self.assertTrue(page["NextContinuationToken"])
            keys += [o["Key"] for o in contents]
        self.assertEqual(keys, self.sorted_keys)

    def test_v1_paginated(self):
        pages = list(self.s3.get_paginator("list_objects").paginate(
            Bucket=self.bucket, PaginationConfig={"PageSize": 41}))
        keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
        self.assertEqual(keys, self.sorted_keys)
        self.assertTrue(all(p["IsTruncated"] for p in pages[:-1]))
        self.assertFalse(pages[-1]["IsTruncated"])

    def test_v1_marker(self):
        marker = "logs/2022/030.txt"
        resp = self.s3.list_objects(Bucket=self.bucket, Marker=marker, MaxKeys=5)
        expected = [k for k in self.sorted_keys if k.encode() > marker.encode()][:5]
        self.assertEqual([o["Key"] for o in resp["Contents"]], expected)
        self.assertTrue(resp["IsTruncated"])
        self.assertEqual(resp["Marker"], marker)
        # A marker that is not itself a key works too.
        resp = self.s3.list_objects(Bucket=self.bucket, Marker="logs/2022/030.txt-not-a-key",
                                    MaxKeys=2)
        self.assertEqual([o["Key"] for o in resp["Contents"]],
                         ["logs/2022/031.txt", "logs/2022/032.txt"])

    def test_prefix(self):
        for version in ("v1", "v2"):
            with self.subTest(version=version):
                fn = self.s3.list_objects if version == "v1" else self.s3.list_objects_v2
                resp = fn(Bucket=self.bucket, Prefix="logs/2022/")
                self.assertEqual([o["Key"] for o in resp["Contents"]],
                                 [f"logs/2022/{n:03d}.txt" for n in range(60)])
                self.assertEqual(resp["Prefix"], "logs/2022/")
                resp = fn(Bucket=self.bucket, Prefix="nothing-here/")
                self.assertNotIn("Contents", resp)
                self.assertFalse(resp["IsTruncated"])

    def test_delimiter_root(self):
        contents, prefixes = expected_delimited(KEYS)
        self.assertEqual(prefixes, ["a b/", "data/", "logs/", "odd/"])
        for version in ("v1", "v2"):
            with self.subTest(version=version):
                fn = self.s3.list_objects if version == "v1" else self.s3.list_objects_v2
                resp = fn(Bucket=self.bucket, Delimiter="/")
                self.assertEqual([o["Key"] for o in resp.get("Contents", [])], contents)
                self.assertEqual([p["Prefix"] for p in resp.get("CommonPrefixes", [])],
                                 prefixes)
                self.assertEqual(resp["Delimiter"], "/")
                self.assertFalse(resp["IsTruncated"])
                if version == "v2":
                    self.assertEqual(resp["KeyCount"], len(contents) + len(prefixes))

    def test_delimiter_with_prefix(self):
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="logs/", Delimiter="/")
        self.assertNotIn("Contents", resp)
        self.assertEqual([p["Prefix"] for p in resp["CommonPrefixes"]],
                         ["logs/2021/", "logs/2022/", "logs/2023/"])
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="odd/", Delimiter="/")
        self.assertEqual([o["Key"] for o in resp["Contents"]], ["odd/plain"])
        self.assertEqual([p["Prefix"] for p in resp["CommonPrefixes"]], ["odd/ü/"])
        # A multi-character delimiter.
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="logs/2021/",
                                       Delimiter="5")
        contents, prefixes = expected_delimited(KEYS, "logs/2021/", "5")
        self.assertEqual([o["Key"] for o in resp.get("Contents", [])], contents)
        self.assertEqual([p["Prefix"] for p in resp.get("CommonPrefixes", [])], prefixes)

    def test_delimiter_pagination_v1(self):
        contents, prefixes = expected_delimited(KEYS, "", "/")
        expected = s3_order(contents + prefixes)
        seen, marker, pages = [], "", 0
        while True:
            resp = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=2,
                                        Marker=marker)
            pages += 1
            self.assertLess(pages, 20)
            items = [o["Key"] for o in resp.get("Contents", [])] + \
                    [p["Prefix"] for p in resp.get("CommonPrefixes", [])]
            self.assertLessEqual(len(items), 2)
            seen += items
            if not resp["IsTruncated"]:
                break
            # With a delimiter, S3 returns NextMarker: the last key or prefix of the page.
            self.assertEqual(resp["NextMarker"], s3_order(items)[-1])
            marker = resp["NextMarker"]
        self.assertEqual(s3_order(seen), expected)
        self.assertEqual(len(seen), len(set(seen)), "no duplicates across pages")

    def test_delimiter_pagination_v2(self):
        contents, prefixes = expected_delimited(KEYS, "", "/")
        got_contents, got_prefixes = [], []
        for page in self.s3.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Delimiter="/", PaginationConfig={"PageSize": 3}):
            n = len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
            self.assertLessEqual(n, 3)
            self.assertEqual(page["KeyCount"], n)
            got_contents += [o["Key"] for o in page.get("Contents", [])]
            got_prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        self.assertEqual(got_contents, contents)
        self.assertEqual(got_prefixes, prefixes)

    def test_start_after(self):
        start = "logs/2022/030.txt"
        resp = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter=start)
        self.assertEqual([o["Key"] for o in resp["Contents"]],
                         [k for k in self.sorted_keys if k.encode() > start.encode()])
        self.assertEqual(resp["StartAfter"], start)
        resp = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter=start, Prefix="logs/2022/",
                                       MaxKeys=3)
        self.assertEqual([o["Key"] for o in resp["Contents"]],
                         ["logs/2022/031.txt", "logs/2022/032.txt", "logs/2022/033.txt"])
        self.assertTrue(resp["IsTruncated"])
        # Continuing with the token keeps going from where the page stopped.
        nxt = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter=start, Prefix="logs/2022/",
                                      MaxKeys=3, ContinuationToken=resp["NextContinuationToken"])
        self.assertEqual([o["Key"] for o in nxt["Contents"]],
                         ["logs/2022/034.txt", "logs/2022/035.txt", "logs/2022/036.txt"])
        resp = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter="\U0010ffff")
        self.assertNotIn("Contents", resp)
        self.assertFalse(resp["IsTruncated"])

    def _assert_url_encoded(self, encoded, original):
        self.assertEqual(urllib.parse.unquote_plus(encoded), original)
        self.assertIsNone(re.search(r"[ <>&\"]", encoded), encoded)
        self.assertIsNone(re.search(r"%(?![0-9A-Fa-f]{2})", encoded), encoded)

    def test_encoding_type_url(self):
        # Passing EncodingType explicitly makes botocore return the values as sent.
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="a b/", EncodingType="url")
        self.assertEqual(resp["EncodingType"], "url")
        self.assertEqual(len(resp["Contents"]), 1)
        self._assert_url_encoded(resp["Contents"][0]["Key"], ODD_KEY)
        self._assert_url_encoded(resp["Prefix"], "a b/")
        resp = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", EncodingType="url")
        prefixes = [p["Prefix"] for p in resp["CommonPrefixes"]]
        self.assertEqual(len(prefixes), 4)
        self._assert_url_encoded(prefixes[0], "a b/")
        keys = [o["Key"] for o in resp["Contents"]]
        for enc, orig in zip(keys, ["readme", "sp ace", "x=y&z"]):
            self._assert_url_encoded(enc, orig)
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="odd/ü/", EncodingType="url")
        for enc, orig in zip([o["Key"] for o in resp["Contents"]], ["odd/ü/z", "odd/ü/ключ"]):
            self._assert_url_encoded(enc, orig)
            self.assertTrue(enc.isascii(), enc)
        # boto3's default (it asks for url encoding and decodes) round-trips the odd key.
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="a b/")
        self.assertEqual([o["Key"] for o in resp["Contents"]], [ODD_KEY])

    def test_invalid_encoding_type(self):
        self.assertClientError(self.s3.list_objects_v2, "InvalidArgument", 400,
                               Bucket=self.bucket, EncodingType="base64")

    def test_default_page_is_1000_keys(self):
        bucket = unique_bucket("list-1k")
        self.s3.create_bucket(Bucket=bucket)
        keys = [f"k{i:04d}" for i in range(1003)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda k: self.s3.put_object(Bucket=bucket, Key=k, Body=b""), keys))
        first = self.s3.list_objects_v2(Bucket=bucket)
        self.assertEqual(first["KeyCount"], 1000)
        self.assertTrue(first["IsTruncated"])
        rest = self.s3.list_objects_v2(Bucket=bucket,
                                       ContinuationToken=first["NextContinuationToken"])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual([o["Key"] for o in first["Contents"] + rest["Contents"]], keys)
        v1 = self.s3.list_objects(Bucket=bucket, MaxKeys=5000)
        self.assertEqual(len(v1["Contents"]), 1000)
        self.assertTrue(v1["IsTruncated"])
        for start in range(0, len(keys), 1000):
            self.s3.delete_objects(Bucket=bucket, Delete={
                "Objects": [{"Key": k} for k in keys[start:start + 1000]], "Quiet": True})
        self.assertEqual(self.s3.list_objects_v2(Bucket=bucket)["KeyCount"], 0)
        self.s3.delete_bucket(Bucket=bucket)

    def test_listing_reflects_deletes(self):
        bucket = unique_bucket("list-del")
        self.s3.create_bucket(Bucket=bucket)
        for i in range(10):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
        self.s3.delete_objects(Bucket=bucket,
                               Delete={"Objects": [{"Key": f"k{i}"} for i in range(0, 10, 2)]})
        resp = self.s3.list_objects_v2(Bucket=bucket)
        self.assertEqual([o["Key"] for o in resp["Contents"]], [f"k{i}" for i in range(1, 10, 2)])
        self.s3.delete_objects(Bucket=bucket,
                               Delete={"Objects": [{"Key": f"k{i}"} for i in range(1, 10, 2)]})
        self.s3.delete_bucket(Bucket=bucket)


if __name__ == "__main__":
    main()
