"""HTTPS on the S3 port against a throwaway test CA (made by the harness with the openssl
CLI): boto3 and the aws cli over TLS, TLS 1.1 and non-AEAD suites refused, the
aws:SecureTransport condition over HTTPS and plain HTTP, SSE-C only over HTTPS (refused on
plain HTTP, copy-source headers too), certificate reload on SIGHUP (new connections get the
new certificate, an open keep-alive connection keeps working, a bad new certificate keeps
the old one), and AssumeRoleWithCertificate over mutual TLS."""

import base64
import hashlib
import http.client
import json
import os
import signal
import ssl
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (RawClient, SbctlServerTestCase, ServerTestCase, main,  # noqa: E402
                            run_tool, sbctl_path, unique_bucket)

SSE_C_MESSAGE = ("Requests specifying Server Side Encryption with Customer provided keys must "
                 "be made over a secure connection.")
KEY = bytes(range(32))
KEY_MD5 = base64.b64encode(hashlib.md5(KEY).digest()).decode()
SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY}  # boto3 base64-encodes it
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def secure_transport_policy(bucket: str) -> str:
    """Anyone may read objects, but never over plain HTTP (the AWS 'deny insecure
    transport' pattern)."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


def wait_for(predicate, what: str, limit: float = 30):
    """Polls `predicate` until true; fails after `limit` seconds (a liveness bound, not a
    timing assertion)."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


class TlsTest(SbctlServerTestCase):
    tls = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("tls")
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def sbctl(cls, *args, check=True, input=None):
        # The test CA is private: sbctl trusts it through --ca-cert.
        return super().sbctl("--ca-cert", str(cls.server.ca_cert), *args, check=check,
                             input=input)

    def test_sbctl_verifies_the_server_with_its_ca(self):
        plain = SbctlServerTestCase.sbctl.__func__
        info = plain(type(self), "--ca-cert", str(self.server.ca_cert), "--json", "info", "t")
        self.assertEqual(info.returncode, 0, info.stderr)
        # Without the CA (system store only) the certificate is refused ...
        refused = plain(type(self), "info", "t", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("certificate", (refused.stdout + refused.stderr).lower())
        # ... and $SBCTL_CA_CERT does what --ca-cert does.
        env = {"PATH": os.environ.get("PATH", ""), "HOME": self.tmp.name,
               "SBCTL_CONFIG_DIR": self.tmp.name, "SBCTL_CA_CERT": str(self.server.ca_cert)}
        res = run_tool([str(sbctl_path()), "info", "t"], env, 60, False)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)

    def tls_context(self, client_cert=None):
        context = ssl.create_default_context(cafile=str(self.server.ca_cert))
        if client_cert is not None:
            context.load_cert_chain(*[str(p) for p in client_cert])
        return context

    def connection(self, client_cert=None):
        return http.client.HTTPSConnection("127.0.0.1", self.server.port, timeout=30,
                                           context=self.tls_context(client_cert))

    def test_listener_says_https(self):
        self.assertTrue(self.server.endpoint.startswith("https://127.0.0.1:"))

    def test_boto3_over_https(self):
        self.s3.put_object(Bucket=self.bucket, Key="boto3", Body=b"over tls")
        got = self.s3.get_object(Bucket=self.bucket, Key="boto3")
        self.assertEqual(got["Body"].read(), b"over tls")
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn(self.bucket, names)

    def test_aws_cli_over_https(self):
        src = Path(self.server.work_dir) / "cli-upload.bin"
        src.write_bytes(os.urandom(3 * 1024 * 1024))
        self.server.aws("s3", "cp", src, f"s3://{self.bucket}/cli/file.bin")
        dst = Path(self.server.work_dir) / "cli-download.bin"
        self.server.aws("s3", "cp", f"s3://{self.bucket}/cli/file.bin", dst)
        self.assertEqual(dst.read_bytes(), src.read_bytes())
        listing = self.server.aws("s3api", "list-objects-v2", "--bucket", self.bucket,
                                  "--prefix", "cli/").stdout
        self.assertIn("cli/file.bin", listing)

    def test_untrusted_certificate_is_refused_by_clients(self):
        # Without the test CA the client must not accept the server (no silent fallback).
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port, timeout=30,
                                           context=ssl.create_default_context())
        with self.assertRaises(ssl.SSLCertVerificationError):
            conn.request("GET", "/")
        conn.close()

    def s_client(self, *args):
        return run_tool(["openssl", "s_client", "-connect", f"127.0.0.1:{self.server.port}",
                         "-CAfile", str(self.server.ca_cert)] + list(args),
                        dict(os.environ), 60, False, input=b"")

    def test_tls12_and_13_accepted_tls11_and_cbc_refused(self):
        for flag, proto in (("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")):
            res = self.s_client(flag)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            self.assertIn(f"New, {proto}, Cipher is", res.stdout)
            self.assertIn("Verify return code: 0 (ok)", res.stdout)
        # SECLEVEL=0 lets this client offer TLS 1.1 at all; the server must refuse it.
        res = self.s_client("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("alert protocol version", res.stdout + res.stderr)
        # A CBC (non-AEAD) TLS 1.2 suite is not offered by the server.
        res = self.s_client("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("handshake failure", res.stdout + res.stderr)

    def test_plain_http_to_the_tls_port_gets_no_answer(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        with self.assertRaises((http.client.HTTPException, ConnectionError, OSError)):
            conn.request("GET", "/")
            conn.getresponse().read()
        conn.close()

    def test_secure_transport_true_over_https(self):
        bucket = unique_bucket("tls-st")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="doc", Body=b"public over tls")
        self.s3.put_bucket_policy(Bucket=bucket, Policy=secure_transport_policy(bucket))
        conn = self.connection()
        conn.request("GET", f"/{bucket}/doc")
        resp = conn.getresponse()
        self.assertEqual((resp.status, resp.read()), (200, b"public over tls"))
        conn.close()

    def test_sse_c_round_trip_and_ranges_over_https(self):
        data = os.urandom(200_000)
        put = self.s3.put_object(Bucket=self.bucket, Key="ssec", Body=data, **SSE_C)
        self.assertEqual(put["SSECustomerKeyMD5"], KEY_MD5)
        got = self.s3.get_object(Bucket=self.bucket, Key="ssec", **SSE_C)
        self.assertEqual(got["Body"].read(), data)
        for first, last in ((0, 0), (65535, 65536), (100_000, 199_999), (131_000, 140_000)):
            part = self.s3.get_object(Bucket=self.bucket, Key="ssec", Range=f"bytes={first}-{last}",
                                      **SSE_C)
            self.assertEqual(part["Body"].read(), data[first:last + 1], (first, last))
        self.assertClientError(self.s3.get_object, "InvalidRequest", 400, Bucket=self.bucket,
                               Key="ssec")
        # Copy with copy-source SSE-C headers, re-encrypted under the same customer key.
        self.s3.copy_object(Bucket=self.bucket, Key="ssec-copy",
                            CopySource={"Bucket": self.bucket, "Key": "ssec"},
                            CopySourceSSECustomerAlgorithm="AES256",
                            CopySourceSSECustomerKey=KEY, **SSE_C)
        got = self.s3.get_object(Bucket=self.bucket, Key="ssec-copy", **SSE_C)
        self.assertEqual(got["Body"].read(), data)

    def serial_of_new_connection(self) -> int:
        conn = self.connection()
        conn.connect()
        serial = int(conn.sock.getpeercert()["serialNumber"], 16)
        conn.close()
        return serial

    def log_has(self, text: str) -> bool:
        return text in self.server.output()

    def test_sighup_reloads_the_certificate_without_dropping_connections(self):
        pki = self.server.pki
        self.assertEqual(self.serial_of_new_connection(), 1)
        self.s3.put_object(Bucket=self.bucket, Key="reload", Body=b"still here")
        kept = self.connection()
        kept.request("GET", f"/{self.bucket}/reload", headers=self.signed_get("reload"))
        resp = kept.getresponse()
        self.assertEqual((resp.status, resp.read()), (200, b"still here"))
        self.assertEqual(int(kept.sock.getpeercert()["serialNumber"], 16), 1)

        # Swap in a new certificate (serial 2) and signal the server.
        cert, key = pki.issue("server-next", "localhost", serial=2)
        os.replace(key, self.server.tls_key)
        os.replace(cert, self.server.tls_cert)
        reloads = self.server.output().count("TLS certificate reloaded")
        self.server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: self.server.output().count("TLS certificate reloaded") > reloads,
                 "the reload log line")
        self.assertEqual(self.serial_of_new_connection(), 2)
        # The connection opened before the reload keeps working with its certificate.
        kept.request("GET", f"/{self.bucket}/reload", headers=self.signed_get("reload"))
        resp = kept.getresponse()
        self.assertEqual((resp.status, resp.read()), (200, b"still here"))
        self.assertEqual(int(kept.sock.getpeercert()["serialNumber"], 16), 1)
        kept.close()

        # A broken certificate file is refused: the last good certificate stays in service.
        good_cert = Path(self.server.tls_cert).read_bytes()
        Path(self.server.tls_cert).write_text("not a certificate\n")
        failures = self.server.output().count("TLS certificate reload failed")
        self.server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: self.server.output().count("TLS certificate reload failed") > failures,
                 "the reload failure log line")
        self.assertEqual(self.serial_of_new_connection(), 2)
        Path(self.server.tls_cert).write_bytes(good_cert)
        self.assertTrue(self.server.running())

    def signed_get(self, key: str) -> dict:
        import sigv4
        creds = sigv4.Credentials(self.server.access_key, self.server.secret_key)
        hdrs = {"Host": self.server.host}
        return sigv4.sign_request(creds, "GET", f"/{self.bucket}/{key}", [], hdrs,
                                  sigv4.sha256_hex(b"")).headers

    # ----- mutual TLS: AssumeRoleWithCertificate ------------------------------------------
    def service_account(self, user: str, actions):
        self.sbctl("user", "add", "t", user)
        policy = Path(self.tmp.name) / f"{user}.json"
        policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{self.bucket}", f"arn:aws:s3:::{self.bucket}/*"]}]}))
        self.sbctl("policy", "create", "t", f"{user}-policy", str(policy))
        self.sbctl("policy", "attach", "t", f"{user}-policy", "--user", user)
        sa_policy = Path(self.tmp.name) / f"{user}-sa.json"
        sa_policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": actions,
             "Resource": [f"arn:aws:s3:::{self.bucket}", f"arn:aws:s3:::{self.bucket}/*"]}]}))
        return self.sbctl_json("svcacct", "add", "t", user, "--policy", str(sa_policy))

    def assume_with_certificate(self, client_cert=None, query=""):
        conn = self.connection(client_cert)
        target = "/?Action=AssumeRoleWithCertificate&Version=2011-06-15" + query
        conn.request("POST", target, body=b"",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp.status, body

    def test_assume_role_with_certificate(self):
        sa = self.service_account("machine", ["s3:GetObject", "s3:ListBucket"])
        self.s3.put_object(Bucket=self.bucket, Key="mtls/readme", Body=b"for machines")
        client_cert = self.server.pki.issue("machine", sa["accessKey"], client=True)
        status, body = self.assume_with_certificate(client_cert, "&DurationSeconds=1000")
        self.assertEqual(status, 200, body)
        doc = ET.fromstring(body)
        self.assertEqual(doc.tag, f"{STS_NS}AssumeRoleWithCertificateResponse")
        creds = doc.find(f"{STS_NS}AssumeRoleWithCertificateResult/{STS_NS}Credentials")
        access = creds.findtext(f"{STS_NS}AccessKeyId")
        secret = creds.findtext(f"{STS_NS}SecretAccessKey")
        token = creds.findtext(f"{STS_NS}SessionToken")
        expiration = creds.findtext(f"{STS_NS}Expiration")
        import datetime
        expires = datetime.datetime.fromisoformat(expiration.replace("Z", "+00:00"))
        left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(900 < left <= 1000, expiration)  # DurationSeconds honored
        import boto3
        from botocore.config import Config
        s3 = boto3.session.Session().client(
            "s3", endpoint_url=self.server.endpoint, aws_access_key_id=access,
            aws_secret_access_key=secret, aws_session_token=token, region_name="us-east-1",
            verify=str(self.server.ca_cert),
            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="mtls/readme")["Body"].read(),
                         b"for machines")
        # The service account's own policy still narrows the session: no writes.
        self.assertClientError(s3.put_object, "AccessDenied", 403, Bucket=self.bucket,
                               Key="mtls/nope", Body=b"x")

    def test_assume_role_with_certificate_needs_a_verified_certificate(self):
        # No client certificate at all.
        status, body = self.assume_with_certificate(None)
        self.assertEqual(status, 403, body)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        # A verified certificate whose CN names no service account.
        stray = self.server.pki.issue("stray", "SBSANOSUCHACCOUNT", client=True)
        status, body = self.assume_with_certificate(stray)
        self.assertEqual(status, 403, body)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        # A long-term user key is not a machine identity.
        self.sbctl("user", "add", "t", "human")
        human = self.sbctl_json("key", "create", "t", "human")
        cert = self.server.pki.issue("human", human["accessKey"], client=True)
        status, body = self.assume_with_certificate(cert)
        self.assertEqual(status, 403, body)

    def test_client_certificate_from_another_ca_is_refused(self):
        from server_harness import TestPki
        other = TestPki(Path(self.server.work_dir) / "other-ca")
        cert = other.issue("intruder", "whoever", client=True)
        with self.assertRaises((ssl.SSLError, ConnectionError, OSError)):
            self.assume_with_certificate(cert)

    def test_sigv4_clients_without_certificates_still_work(self):
        # --tls-client-ca requests certificates but does not require them.
        self.s3.head_bucket(Bucket=self.bucket)


class PlainHttpTest(ServerTestCase):
    """The same server without TLS: SecureTransport is false and SSE-C is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique_bucket("plain")
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_secure_transport_false_over_http(self):
        bucket = unique_bucket("plain-st")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="doc", Body=b"public over tls only")
        self.s3.put_bucket_policy(Bucket=bucket, Policy=secure_transport_policy(bucket))
        anonymous = self.server.boto3_client(unsigned=True)
        self.assertClientError(anonymous.get_object, "AccessDenied", 403, Bucket=bucket,
                               Key="doc")
        # The Deny binds every principal, the root credential included.
        self.assertClientError(self.s3.get_object, "AccessDenied", 403, Bucket=bucket, Key="doc")

    def test_sse_c_refused_over_http(self):
        err = self.assertClientError(self.s3.put_object, "InvalidRequest", 400,
                                     Bucket=self.bucket, Key="ssec", Body=b"x", **SSE_C)
        self.assertEqual(err["Error"]["Message"], SSE_C_MESSAGE)
        self.s3.put_object(Bucket=self.bucket, Key="plain", Body=b"plain")
        self.assertClientError(self.s3.get_object, "InvalidRequest", 400, Bucket=self.bucket,
                               Key="plain", **SSE_C)
        self.assertClientError(self.s3.head_object, "400", 400, Bucket=self.bucket, Key="plain",
                               **SSE_C)
        # Copy-source customer-key headers alone are refused too.
        err = self.assertClientError(self.s3.copy_object, "InvalidRequest", 400,
                                     Bucket=self.bucket, Key="copy",
                                     CopySource={"Bucket": self.bucket, "Key": "plain"},
                                     CopySourceSSECustomerAlgorithm="AES256",
                                     CopySourceSSECustomerKey=KEY)
        self.assertEqual(err["Error"]["Message"], SSE_C_MESSAGE)
        raw = RawClient(self.server).request(
            "PUT", f"/{self.bucket}/raw", body=b"x",
            headers={"x-amz-server-side-encryption-customer-algorithm": "AES256"})
        self.assertEqual((raw.status, raw.error_code()), (400, "InvalidRequest"))
        # Nothing was stored by the refused writes.
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key="ssec")


if __name__ == "__main__":
    main()
