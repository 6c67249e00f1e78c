"""Raw HTTP tests with an independent SigV4 signer: auth failures, error XML, malformed
input, aws-chunked bodies, health and admin endpoints, and server robustness."""

import base64
import datetime
import hashlib
import json
import os
import re
import socket
import sys
import time
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

import sigv4  # noqa: E402
from server_harness import (RawClient, ServerTestCase, main, md5_hex,  # noqa: E402
                            raw_exchange, unique_bucket)


class SignerVectorsTest(unittest.TestCase):
    """The test signer reproduces AWS's published SigV4 examples (S3 API reference,
    "Signature Calculations for the Authorization Header" and "sigv4-streaming")."""

    creds = sigv4.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    when = datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc)

    def test_get_object_example(self):
        signed = sigv4.sign_request(self.creds, "GET", "/test.txt",
                                    headers={"Host": "examplebucket.s3.amazonaws.com",
                                             "Range": "bytes=0-9"}, when=self.when)
        self.assertEqual(signed.signature,
                         "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")

    def test_streaming_example(self):
        signed = sigv4.sign_request(
            self.creds, "PUT", "/examplebucket/chunkObject.txt",
            headers={"Host": "s3.amazonaws.com", "x-amz-storage-class": "REDUCED_REDUNDANCY",
                     "Content-Encoding": "aws-chunked", "Content-Length": "66824",
                     "x-amz-decoded-content-length": "66560"},
            payload_hash=sigv4.STREAMING_SIGNED, when=self.when)
        self.assertEqual(signed.signature,
                         "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        first = sigv4.chunk_signature(signed, signed.signature, b"a" * 65536)
        self.assertEqual(first,
                         "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")
        second = sigv4.chunk_signature(signed, first, b"a" * 1024)
        self.assertEqual(second,
                         "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")
        self.assertEqual(sigv4.chunk_signature(signed, second, b""),
                         "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9")
        body = sigv4.encode_signed_chunks(signed, [b"a" * 65536, b"a" * 1024])
        self.assertEqual(len(body), 66824)


class RawHttpTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.raw = RawClient(cls.server)
        cls.bucket = unique_bucket("raw")
        resp = cls.raw.request("PUT", f"/{cls.bucket}")
        assert resp.status == 200, resp
        cls.data = os.urandom(1000)
        resp = cls.raw.request("PUT", f"/{cls.bucket}/obj", body=cls.data)
        assert resp.status == 200, resp

    # ----- helpers ----------------------------------------------------------------------
    def assertS3Error(self, resp, status, code, resource=None):
        self.assertEqual(resp.status, status, resp)
        self.assertIn("xml", resp.headers.get("content-type", ""), resp)
        root = resp.xml()
        self.assertEqual(root.tag, "Error", resp)
        self.assertEqual(root.findtext("Code"), code, resp)
        self.assertTrue(root.findtext("Message"), resp)
        rid = root.findtext("RequestId")
        self.assertTrue(rid, resp)
        self.assertEqual(resp.headers.get("x-amz-request-id"), rid, resp)
        if resource is not None:
            self.assertEqual(root.findtext("Resource"), resource, resp)

    def assertServerHealthy(self):
        resp = self.raw.request("GET", "/_strongbox/health/live", sign=False)
        self.assertEqual(resp.status, 200)
        resp = self.raw.request("GET", f"/{self.bucket}/obj")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.body, self.data)

    def assertAbsent(self, key):
        resp = self.raw.request("HEAD", f"/{self.bucket}/{key}")
        self.assertEqual(resp.status, 404, resp)

    # ----- sanity of the test signer ------------------------------------------------------
    def test_signer_agrees_with_botocore(self):
        from botocore.auth import S3SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        when = datetime.datetime(2024, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)
        url = f"http://{self.server.host}/{self.bucket}/a%20b%2Bc?list-type=2&prefix=x%2Fy"
        req = AWSRequest(method="GET", url=url, headers={"Range": "bytes=0-1"})
        auth = S3SigV4Auth(Credentials("AKID", "SECRET"), "s3", "us-east-1")
        with mock.patch("botocore.auth.get_current_datetime",
                        lambda: when.replace(tzinfo=None)):  # freeze botocore's clock
            auth.add_auth(req)
        mine = sigv4.sign_request(sigv4.Credentials("AKID", "SECRET"), "GET",
                                  f"/{self.bucket}/a b+c",
                                  [("list-type", "2"), ("prefix", "x/y")],
                                  {"Host": self.server.host, "Range": "bytes=0-1"},
                                  req.headers["X-Amz-Content-SHA256"], when=when)
        self.assertEqual(mine.headers["Authorization"], req.headers["Authorization"])

    # ----- health / admin -------------------------------------------------------------------
    def test_health_endpoints_without_auth(self):
        for path in ("/_strongbox/health/live", "/_strongbox/health/ready"):
            with self.subTest(path=path):
                resp = self.raw.request("GET", path, sign=False)
                self.assertEqual(resp.status, 200, resp)

    def test_admin_info(self):
        resp = self.raw.request("GET", "/_strongbox/admin/v1/info")
        self.assertEqual(resp.status, 200, resp)
        self.assertIn("json", resp.headers.get("content-type", ""))
        info = json.loads(resp.body)
        self.assertIsInstance(info["version"], str)
        self.assertTrue(info["version"])
        self.assertIsInstance(info["uptime_seconds"], (int, float))
        self.assertGreaterEqual(info["uptime_seconds"], 0)
        self.assertTrue(info["drives"])
        self.assertIsInstance(info["data_shards"], int)
        self.assertIsInstance(info["parity_shards"], int)
        self.assertGreaterEqual(info["data_shards"], 1)
        self.assertGreaterEqual(info["parity_shards"], 0)

    def test_admin_info_requires_signature(self):
        resp = self.raw.request("GET", "/_strongbox/admin/v1/info", sign=False)
        self.assertEqual(resp.status, 403, resp)
        bad = RawClient(self.server, secret_key="wrong" + self.server.secret_key)
        resp = bad.request("GET", "/_strongbox/admin/v1/info")
        self.assertEqual(resp.status, 403, resp)

    # ----- authentication failures ---------------------------------------------------------
    def test_bad_signature(self):
        bad = RawClient(self.server, secret_key=self.server.secret_key + "x")
        resp = bad.request("GET", f"/{self.bucket}/obj")
        self.assertS3Error(resp, 403, "SignatureDoesNotMatch")
        # A header that was signed but changed afterwards.
        signed = sigv4.sign_request(self.raw.creds, "GET", f"/{self.bucket}/obj",
                                    headers={"Host": self.server.host, "Range": "bytes=0-1"})
        hdrs = dict(signed.headers, Range="bytes=0-2")
        resp = self.raw.request("GET", f"/{self.bucket}/obj", headers=hdrs, sign=False)
        self.assertS3Error(resp, 403, "SignatureDoesNotMatch")

    def test_unknown_access_key(self):
        bad = RawClient(self.server, access_key="AKIDDOESNOTEXIST0000")
        resp = bad.request("GET", "/")
        self.assertS3Error(resp, 403, "InvalidAccessKeyId")

    def test_clock_skew(self):
        for delta in (datetime.timedelta(hours=1), datetime.timedelta(hours=-1),
                      datetime.timedelta(minutes=16)):
            with self.subTest(delta=str(delta)):
                resp = self.raw.request("GET", f"/{self.bucket}/obj",
                                        when=sigv4.utc_now() + delta)
                self.assertS3Error(resp, 403, "RequestTimeTooSkewed")
        # Within the 15 minute window: accepted.
        resp = self.raw.request("GET", f"/{self.bucket}/obj",
                                when=sigv4.utc_now() - datetime.timedelta(minutes=5))
        self.assertEqual(resp.status, 200, resp)

    def test_wrong_region_in_scope(self):
        creds = sigv4.Credentials(self.server.access_key, self.server.secret_key,
                                  region="eu-west-1")
        signed = sigv4.sign_request(creds, "GET", "/", headers={"Host": self.server.host})
        resp = self.raw.request("GET", "/", headers=signed.headers, sign=False)
        self.assertS3Error(resp, 400, "AuthorizationHeaderMalformed")

    def test_anonymous_requests(self):
        for method, path in (("GET", f"/{self.bucket}/obj"), ("GET", "/"),
                             ("GET", f"/{self.bucket}"), ("PUT", f"/{self.bucket}/anon")):
            with self.subTest(method=method, path=path):
                resp = self.raw.request(method, path, sign=False,
                                        body=b"x" if method == "PUT" else b"")
                self.assertS3Error(resp, 403, "AccessDenied")
        self.assertAbsent("anon")

    def test_content_sha256_mismatch(self):
        body = b"the real body"
        resp = self.raw.request("PUT", f"/{self.bucket}/shamismatch", body=body,
                                payload_hash=sigv4.sha256_hex(b"another body"))
        self.assertS3Error(resp, 400, "XAmzContentSHA256Mismatch")
        self.assertAbsent("shamismatch")

    def test_unsigned_payload(self):
        body = os.urandom(5000)
        resp = self.raw.request("PUT", f"/{self.bucket}/unsigned", body=body,
                                payload_hash=sigv4.UNSIGNED_PAYLOAD)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.headers["etag"], f'"{md5_hex(body)}"')
        self.assertEqual(self.raw.request("GET", f"/{self.bucket}/unsigned").body, body)

    # ----- aws-chunked ------------------------------------------------------------------------
    def _chunked_put(self, key, payload_hash, make_body, decoded_len, extra_headers=None,
                     http_chunked=False):
        hdrs = {"Host": self.server.host, "Content-Encoding": "aws-chunked",
                "x-amz-decoded-content-length": str(decoded_len)}
        hdrs.update(extra_headers or {})
        if not http_chunked:
            # Content-Length must be signed; compute the encoded length first (it does not
            # depend on the signature values, which have a fixed width).
            probe = sigv4.sign_request(self.raw.creds, "PUT", f"/{self.bucket}/{key}",
                                       headers=hdrs, payload_hash=payload_hash)
            hdrs["Content-Length"] = str(len(make_body(probe)))
        signed = sigv4.sign_request(self.raw.creds, "PUT", f"/{self.bucket}/{key}",
                                    headers=hdrs, payload_hash=payload_hash)
        body = make_body(signed)
        headers = dict(signed.headers)
        if http_chunked:
            headers["Transfer-Encoding"] = "chunked"
            return self._send_http_chunked(f"/{self.bucket}/{key}", headers, body)
        return self.raw.request("PUT", f"/{self.bucket}/{key}", headers=headers, body=body,
                                sign=False)

    def _send_http_chunked(self, path, headers, body):
        conn = self.raw.connection()
        try:
            conn.putrequest("PUT", sigv4.uri_encode(path, encode_slash=False),
                            skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders()
            for piece in sigv4.split_chunks(body, 10_000):  # HTTP chunks ≠ aws chunks
                conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
            resp = conn.getresponse()
            from server_harness import RawResponse
            return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                               resp.read())
        finally:
            conn.close()

    def test_aws_chunked_signed(self):
        data = os.urandom(200_000)
        chunks = sigv4.split_chunks(data, 65536)
        resp = self._chunked_put("chunked/signed", sigv4.STREAMING_SIGNED,
                                 lambda s: sigv4.encode_signed_chunks(s, chunks), len(data))
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.headers["etag"], f'"{md5_hex(data)}"')
        got = self.raw.request("GET", f"/{self.bucket}/chunked/signed")
        self.assertEqual(md5_hex(got.body), md5_hex(data))
        head = self.raw.request("HEAD", f"/{self.bucket}/chunked/signed")
        # aws-chunked is a transfer detail, not a stored Content-Encoding.
        self.assertNotIn("aws-chunked", head.headers.get("content-encoding", ""))

    def test_aws_chunked_bad_chunk_signature(self):
        data = os.urandom(150_000)
        chunks = sigv4.split_chunks(data, 65536)
        resp = self._chunked_put(
            "chunked/badsig", sigv4.STREAMING_SIGNED,
            lambda s: sigv4.encode_signed_chunks(s, chunks, corrupt_chunk_index=1), len(data))
        self.assertS3Error(resp, 403, "SignatureDoesNotMatch")
        self.assertAbsent("chunked/badsig")

    def test_aws_chunked_signed_with_trailer(self):
        data = os.urandom(100_000)
        chunks = sigv4.split_chunks(data, 65536)
        trailers = [("x-amz-checksum-crc32", sigv4.crc32_b64(data))]
        resp = self._chunked_put(
            "chunked/signed-trailer", sigv4.STREAMING_SIGNED_TRAILER,
            lambda s: sigv4.encode_signed_chunks(s, chunks, trailers), len(data),
            {"x-amz-trailer": "x-amz-checksum-crc32"})
        self.assertEqual(resp.status, 200, resp)
        got = self.raw.request("GET", f"/{self.bucket}/chunked/signed-trailer")
        self.assertEqual(md5_hex(got.body), md5_hex(data))

    def test_aws_chunked_unsigned_trailer(self):
        data = os.urandom(300_000)
        chunks = sigv4.split_chunks(data, 65536)
        trailers = [("x-amz-checksum-crc32", sigv4.crc32_b64(data))]
        for http_chunked in (False, True):
            with self.subTest(http_chunked=http_chunked):
                key = f"chunked/unsigned-trailer-{http_chunked}"
                resp = self._chunked_put(
                    key, sigv4.STREAMING_UNSIGNED_TRAILER,
                    lambda s: sigv4.encode_unsigned_chunks(chunks, trailers), len(data),
                    {"x-amz-trailer": "x-amz-checksum-crc32"}, http_chunked=http_chunked)
                self.assertEqual(resp.status, 200, resp)
                self.assertEqual(resp.headers["etag"], f'"{md5_hex(data)}"')
                got = self.raw.request("GET", f"/{self.bucket}/{key}")
                self.assertEqual(md5_hex(got.body), md5_hex(data))

    def test_aws_chunked_unsigned_trailer_bad_checksum(self):
        data = os.urandom(50_000)
        trailers = [("x-amz-checksum-crc32", sigv4.crc32_b64(b"something else"))]
        resp = self._chunked_put(
            "chunked/bad-crc", sigv4.STREAMING_UNSIGNED_TRAILER,
            lambda s: sigv4.encode_unsigned_chunks([data], trailers), len(data),
            {"x-amz-trailer": "x-amz-checksum-crc32"})
        self.assertS3Error(resp, 400, "BadDigest")
        self.assertAbsent("chunked/bad-crc")

    def test_aws_chunked_decoded_length_mismatch(self):
        data = os.urandom(10_000)
        resp = self._chunked_put(
            "chunked/short", sigv4.STREAMING_SIGNED,
            lambda s: sigv4.encode_signed_chunks(s, [data]), len(data) + 5)
        self.assertEqual(resp.status, 400, resp)
        self.assertAbsent("chunked/short")

    # ----- error bodies ---------------------------------------------------------------------
    def test_not_found_errors(self):
        missing = unique_bucket("nob")
        resp = self.raw.request("GET", f"/{missing}/k")
        self.assertS3Error(resp, 404, "NoSuchBucket", resource=f"/{missing}/k")
        resp = self.raw.request("GET", f"/{missing}")
        self.assertS3Error(resp, 404, "NoSuchBucket")
        resp = self.raw.request("GET", f"/{self.bucket}/no/such/key")
        self.assertS3Error(resp, 404, "NoSuchKey", resource=f"/{self.bucket}/no/such/key")
        head = self.raw.request("HEAD", f"/{self.bucket}/no/such/key")
        self.assertEqual(head.status, 404)
        self.assertEqual(head.body, b"")
        self.assertTrue(head.headers.get("x-amz-request-id"))

    def test_invalid_range(self):
        resp = self.raw.request("GET", f"/{self.bucket}/obj", headers={"Range": "bytes=5000-"})
        self.assertS3Error(resp, 416, "InvalidRange")

    def test_malformed_xml_complete_multipart(self):
        key = "mpu/malformed"
        resp = self.raw.request("POST", f"/{self.bucket}/{key}", query=[("uploads", "")])
        self.assertEqual(resp.status, 200, resp)
        upload_id = resp.xml().findtext("UploadId")
        self.assertTrue(upload_id)
        part = os.urandom(100)
        resp = self.raw.request("PUT", f"/{self.bucket}/{key}",
                                query=[("partNumber", "1"), ("uploadId", upload_id)], body=part)
        self.assertEqual(resp.status, 200, resp)
        for bad in (b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>",
                    b"this is not xml at all",
                    b"<CompleteMultipartUpload></CompleteMultipartUpload>"):
            with self.subTest(body=bad):
                resp = self.raw.request("POST", f"/{self.bucket}/{key}",
                                        query=[("uploadId", upload_id)], body=bad)
                self.assertS3Error(resp, 400, "MalformedXML")
        etag = f'"{md5_hex(part)}"'
        good = (f"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag>"
                "</Part></CompleteMultipartUpload>").encode()
        resp = self.raw.request("POST", f"/{self.bucket}/{key}", query=[("uploadId", upload_id)],
                                body=good)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(self.raw.request("GET", f"/{self.bucket}/{key}").body, part)

    def test_malformed_xml_delete_objects(self):
        for bad in (b"<Delete><Object><Key>a</Key></Object>", b"{\"json\": true}",
                    b"<Delete><Object></Object></Delete>"):
            with self.subTest(body=bad):
                md5 = base64.b64encode(hashlib.md5(bad).digest()).decode()
                resp = self.raw.request("POST", f"/{self.bucket}", query=[("delete", "")],
                                        body=bad, headers={"Content-MD5": md5})
                self.assertS3Error(resp, 400, "MalformedXML")
        self.assertEqual(self.raw.request("GET", f"/{self.bucket}/obj").status, 200)

    def test_delete_objects_too_many_keys(self):
        # S3 accepts at most 1000 keys per DeleteObjects request.
        body = ("<Delete>" + "".join(f"<Object><Key>k{i}</Key></Object>" for i in range(1001)) +
                "</Delete>").encode()
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        resp = self.raw.request("POST", f"/{self.bucket}", query=[("delete", "")], body=body,
                                headers={"Content-MD5": md5})
        self.assertS3Error(resp, 400, "MalformedXML")

    def test_malformed_create_bucket_configuration(self):
        name = unique_bucket("cfg")
        resp = self.raw.request("PUT", f"/{name}", body=b"<CreateBucketConfiguration><Loc")
        self.assertS3Error(resp, 400, "MalformedXML")
        self.assertEqual(self.raw.request("HEAD", f"/{name}").status, 404)

    def test_list_buckets_xml(self):
        resp = self.raw.request("GET", "/")
        self.assertEqual(resp.status, 200, resp)
        root = resp.xml()
        self.assertEqual(root.tag, "ListAllMyBucketsResult")
        names = [b.findtext("Name") for b in root.iter("Bucket")]
        self.assertIn(self.bucket, names)
        self.assertIsNotNone(root.find("Owner"))

    # ----- protocol robustness ----------------------------------------------------------------
    def test_keep_alive_reuses_connection(self):
        conn = self.raw.connection()
        try:
            for i in range(5):
                resp = self.raw.request("GET", f"/{self.bucket}/obj", conn=conn)
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.body, self.data)
                # An error response must not break the connection either.
                resp = self.raw.request("GET", f"/{self.bucket}/missing-{i}", conn=conn)
                self.assertEqual(resp.status, 404)
        finally:
            conn.close()

    def test_pipelined_requests(self):
        # Two requests written back to back before reading: answered in order.
        reqs = b""
        for path in (f"/{self.bucket}/obj", f"/{self.bucket}/missing-pipelined"):
            signed = sigv4.sign_request(self.raw.creds, "GET", path,
                                        headers={"Host": self.server.host})
            reqs += (f"GET {path} HTTP/1.1\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n").encode()
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(reqs)
            f = sock.makefile("rb")
            statuses = []
            for _ in range(2):
                status = f.readline()
                statuses.append(status.split()[1])
                length = 0
                while True:
                    line = f.readline()
                    if line in (b"\r\n", b""):
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = f.read(length)
                if statuses[-1] == b"200":
                    self.assertEqual(body, self.data)
        self.assertEqual(statuses, [b"200", b"404"])

    def test_expect_100_continue(self):
        body = os.urandom(100_000)
        path = f"/{self.bucket}/expect"
        signed = sigv4.sign_request(self.raw.creds, "PUT", path,
                                    headers={"Host": self.server.host,
                                             "Content-Length": str(len(body)),
                                             "Expect": "100-continue"},
                                    payload_hash=sigv4.sha256_hex(body))
        head = f"PUT {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n"
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(head.encode())
            first = sock.recv(4096)
            self.assertTrue(first.startswith(b"HTTP/1.1 100"), first)
            sock.sendall(body)
            buf = first.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in first else b""
            while b"\r\n\r\n" not in buf:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                buf += chunk
        self.assertTrue(buf.startswith(b"HTTP/1.1 200"), buf)
        self.assertEqual(self.raw.request("GET", path).body, body)

    def test_expect_100_continue_empty_body(self):
        # Even with Content-Length: 0 the server must answer "100 Continue" before the final
        # 2xx when asked to (botocore sends Expect on every PutObject and mis-parses the next
        # response on that connection otherwise; see test_boto3_objects).
        path = f"/{self.bucket}/expect-empty"
        signed = sigv4.sign_request(self.raw.creds, "PUT", path,
                                    headers={"Host": self.server.host, "Content-Length": "0",
                                             "Expect": "100-continue"},
                                    payload_hash=sigv4.EMPTY_SHA256)
        head = f"PUT {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n"
        out = raw_exchange(self.server.port, head.encode())
        self.assertTrue(out.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 "), out)

    def test_missing_content_length(self):
        path = f"/{self.bucket}/nolength"
        signed = sigv4.sign_request(self.raw.creds, "PUT", path,
                                    headers={"Host": self.server.host},
                                    payload_hash=sigv4.EMPTY_SHA256)
        head = f"PUT {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "Connection: close\r\n\r\n"
        out = raw_exchange(self.server.port, head.encode())
        self.assertTrue(out.startswith(b"HTTP/1.1 411"), out)
        self.assertIn(b"<Code>MissingContentLength</Code>", out)
        self.assertServerHealthy()

    def test_garbage_request_line(self):
        for payload in (b"THIS IS NOT HTTP\r\n\r\n", b"\x00\x01\x02\xff\xfe\r\n\r\n",
                        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                        b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n"):
            with self.subTest(payload=payload[:30]):
                out = raw_exchange(self.server.port, payload)
                if out:
                    self.assertRegex(out[:12], rb"^HTTP/1\.[01] (400|414|431|505)", out[:200])
                self.assertServerHealthy()

    def test_oversized_header(self):
        payload = (f"GET /{self.bucket}/obj HTTP/1.1\r\nHost: {self.server.host}\r\n"
                   f"X-Big: {'a' * 200_000}\r\n\r\n").encode()
        out = raw_exchange(self.server.port, payload)
        if out:
            self.assertRegex(out[:12], rb"^HTTP/1\.[01] (400|431)", out[:200])
        many = (f"GET /{self.bucket}/obj HTTP/1.1\r\nHost: {self.server.host}\r\n" +
                "".join(f"X-H{i}: v\r\n" for i in range(5000)) + "\r\n").encode()
        out = raw_exchange(self.server.port, many)
        if out:
            self.assertRegex(out[:12], rb"^HTTP/1\.[01] (400|431)", out[:200])
        self.assertServerHealthy()

    def test_truncated_body_then_close(self):
        # A client that announces 1 MB and disconnects after 10 KB leaves nothing behind.
        path = f"/{self.bucket}/truncated"
        signed = sigv4.sign_request(self.raw.creds, "PUT", path,
                                    headers={"Host": self.server.host,
                                             "Content-Length": str(1_000_000)},
                                    payload_hash=sigv4.UNSIGNED_PAYLOAD)
        head = f"PUT {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n"
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(head.encode() + os.urandom(10_000))
        deadline = time.monotonic() + 10
        while True:
            self.assertServerHealthy()
            resp = self.raw.request("HEAD", path)
            if resp.status == 404 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(resp.status, 404, resp)

    def test_many_sequential_connections(self):
        # Bounded churn: the server must not leak or refuse after many short connections.
        for _ in range(200):
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=5):
                pass
        self.assertServerHealthy()

    def test_url_encoded_key_path(self):
        key = "enc/a b+c%d"
        resp = self.raw.request("PUT", f"/{self.bucket}/{key}", body=b"enc")
        self.assertEqual(resp.status, 200, resp)
        # http.client sends the UriEncoded path; the server must decode exactly once.
        resp = self.raw.request("GET", f"/{self.bucket}", query=[("prefix", "enc/")])
        keys = [c.findtext("Key") for c in resp.xml().iter("Contents")]
        self.assertEqual(keys, [key])
        self.assertEqual(re.sub(r"\s", "", resp.xml().findtext("Name")), self.bucket)


if __name__ == "__main__":
    main()
