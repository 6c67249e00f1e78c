"""The tamper-evident audit log, end to end: every request (allowed, denied, malformed, even
unparsable HTTP) gets exactly one hash-chained record; `sbctl audit verify` (through the
server, or offline on copied segments) proves the chain intact and names the first bad
record after a byte flip, a deleted line or two swapped lines, and so does the auditor
script in docs/audit.md; `sbctl audit query` answers who touched an object and `sbctl audit
tail -f` follows the log."""

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (RawClient, SbctlServerTestCase, ServerTestCase,  # noqa: E402
                            StrongboxServer, main, run_tool, sbctl_path, unique_bucket)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def raw_exchange(server, data: bytes) -> bytes:
    """Sends raw bytes and reads until the server closes the connection: it closes only
    after the refusal's audit record was written."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(data)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


def auditor_script(tmp: Path) -> Path:
    """The verification script exactly as docs/audit.md publishes it."""
    text = DOCS.read_text()
    marker = text.index("<!-- auditor-script")
    block = re.search(r"```python\n(.*?)```", text[marker:], re.S).group(1)
    path = tmp / "verify_audit.py"
    path.write_text(block)
    return path


class AuditTest(SbctlServerTestCase):
    timeout_seconds = 180


    def test_records_allowed_and_denied_requests_and_verifies(self):
        bucket = unique_bucket("audit")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="secret/report.pdf", Body=b"q3 numbers")
        # An anonymous request is denied, and recorded too.
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(self.server.url(f"/{bucket}/secret/report.pdf"), timeout=10)
        self.assertEqual(cm.exception.code, 403)

        out = self.sbctl("audit", "verify", "t").stdout
        self.assertIn("audit log intact", out)

        res = self.sbctl("--json", "audit", "query", f"t/{bucket}/secret/")
        records = json_lines(res.stdout)
        ops = [(r["operation"], r["user"], r["status"], r["decided_by"]) for r in records]
        self.assertIn(("PutObject", "root", 200, "root"), ops)
        self.assertIn(("GetObject", "anonymous", 403, "implicit-deny"), ops)
        put = next(r for r in records if r["operation"] == "PutObject")
        self.assertEqual(put["etag"], hashlib.md5(b"q3 numbers").hexdigest())

        pem = self.sbctl("audit", "pubkey", "t").stdout
        self.assertIn("BEGIN PUBLIC KEY", pem)

    def test_anonymous_cannot_read_the_audit_log(self):
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(self.server.url("/_strongbox/admin/v1/audit/verify"),
                                   timeout=10)
        self.assertEqual(cm.exception.code, 403)


class AuditTamperTest(ServerTestCase):
    """Edits a record on disk while the server is stopped; verify names it."""
    timeout_seconds = 180

    def test_tampered_record_is_named(self):
        bucket = unique_bucket("tamper")
        self.s3.create_bucket(Bucket=bucket)
        for i in range(5):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x" * i)
        server: StrongboxServer = self.server
        server.stop()
        audit_dir = server.data_dir / "meta" / "audit"
        segments = sorted(audit_dir.glob("seg-*.log"))
        self.assertTrue(segments, list(audit_dir.iterdir()))
        lines = segments[0].read_text().splitlines(keepends=True)
        self.assertGreater(len(lines), 4)
        victim = 2  # the third record
        self.assertIn('"user":"root"', lines[victim])
        lines[victim] = lines[victim].replace('"user":"root"', '"user":"rooT"', 1)
        segments[0].write_text("".join(lines))
        server.start()
        type(self).s3 = server.boto3_client()
        with tempfile.TemporaryDirectory() as home:
            env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "SBCTL_CONFIG_DIR": home}
            run_tool([str(sbctl_path()), "alias", "set", "t", server.url("").rstrip("/"),
                      server.access_key, server.secret_key], env, 60, True)
            res = run_tool([str(sbctl_path()), "audit", "verify", "t"], env, 60, False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("TAMPERED", res.stdout)
        self.assertIn("seq 3 ", res.stdout)


class AuditCompletenessTest(SbctlServerTestCase):
    """The audit record count equals the request count over a mixed workload."""
    timeout_seconds = 180

    def head_seq(self):
        return self.sbctl_json("audit", "verify", "t")["head_seq"]

    def test_every_request_gets_exactly_one_record(self):
        h0 = self.head_seq()
        requests = 0
        # Unparsable HTTP and an oversized header section, refused before the pipeline.
        self.assertIn(b" 400 ", raw_exchange(self.server, b"GARBAGE\r\n\r\n"))
        huge = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
        self.assertIn(b"RequestHeaderSectionTooLarge", raw_exchange(self.server, huge))
        requests += 2
        bucket = unique_bucket("count")
        self.s3.create_bucket(Bucket=bucket)
        for i in range(3):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"v" * i)
        self.s3.get_object(Bucket=bucket, Key="k2")["Body"].read()
        self.s3.list_objects_v2(Bucket=bucket)
        with self.assertRaises(Exception):
            self.s3.head_object(Bucket=bucket, Key="missing")
        requests += 7
        # Denied: anonymous, a wrong secret, a malformed Authorization header, a bad method.
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(self.server.url(f"/{bucket}/k1"), timeout=10)
        wrong = RawClient(self.server, secret_key="x" * 40)
        self.assertEqual(wrong.request("GET", f"/{bucket}/k1").status, 403)
        raw = RawClient(self.server)
        bad_auth = raw.request("GET", f"/{bucket}/k1", sign=False,
                               headers={"Authorization": "AWS4-HMAC-SHA256 nonsense"})
        self.assertEqual(bad_auth.status, 400)
        self.assertEqual(raw.request("PATCH", f"/{bucket}", sign=False).status, 405)
        requests += 4
        # Admin: allowed (root) and denied (anonymous).
        self.sbctl("audit", "pubkey", "t")
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(self.server.url("/_strongbox/admin/v1/audit/pubkey"),
                                   timeout=10)
        requests += 2
        h1 = self.head_seq()
        # The first head_seq request itself was recorded after it answered.
        self.assertEqual(h1 - h0, requests + 1)

        records = json_lines(self.sbctl("--json", "audit", "tail", "t", "-n", "100").stdout)
        window = [r for r in records if h0 < r["seq"] <= h1]
        self.assertEqual(len(window), requests + 1)
        codes = [r["error"] for r in window]
        for code in ("BadRequest", "RequestHeaderSectionTooLarge", "SignatureDoesNotMatch",
                     "AccessDenied", "MethodNotAllowed"):
            self.assertIn(code, codes)
        garbage = next(r for r in window if r["error"] == "BadRequest")
        self.assertEqual((garbage["status"], garbage["allowed"], garbage["source_ip"]),
                         (400, False, "127.0.0.1"))
        put = next(r for r in window if r["operation"] == "PutObject" and r["key"] == "k2")
        self.assertEqual((put["user"], put["decided_by"]), ("root", "root"))
        self.assertGreaterEqual(put["bytes_in"], 2)
        self.assertEqual(put["etag"], hashlib.md5(b"vv").hexdigest())
        self.assertGreater(put["latency_us"], 0)
        get = next(r for r in window if r["operation"] == "GetObject" and r["status"] == 200)
        self.assertEqual(get["bytes_out"], 2)

    def test_query_filters_and_tail_follow(self):
        bucket = unique_bucket("query")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="a", Body=b"1")
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(self.server.url(f"/{bucket}/a"), timeout=10)
        denied = json_lines(self.sbctl("--json", "audit", "query", "t", "--bucket", bucket,
                                       "--key", "a", "--decision", "deny").stdout)
        self.assertEqual([(r["operation"], r["user"]) for r in denied],
                         [("GetObject", "anonymous")])
        mine = json_lines(self.sbctl("--json", "audit", "query", "t", "--bucket", bucket,
                                     "--principal", self.server.access_key,
                                     "--since", "2000-01-01T00:00:00Z",
                                     "--until", "2999-01-01T00:00:00Z").stdout)
        self.assertEqual(sorted(r["operation"] for r in mine), ["CreateBucket", "PutObject"])
        none = self.sbctl("--json", "audit", "query", "t", "--bucket", bucket,
                          "--until", "2000-01-01T00:00:00Z").stdout
        self.assertEqual(json_lines(none), [])
        table = self.sbctl("audit", "query", f"t/{bucket}", "--decision", "deny").stdout
        self.assertIn("anonymous", table)
        self.assertIn("implicit-deny", table)

        # tail -f prints records appended after it started.
        env = {"PATH": os.environ.get("PATH", ""), "HOME": self.tmp.name,
               "SBCTL_CONFIG_DIR": self.tmp.name}
        follow = subprocess.Popen([str(sbctl_path()), "--json", "audit", "tail", "t", "-n", "1",
                                   "--bucket", bucket, "-f"], env=env, stdout=subprocess.PIPE,
                                  text=True)
        try:
            first = json.loads(follow.stdout.readline())
            self.assertEqual(first["bucket"], bucket)
            self.s3.put_object(Bucket=bucket, Key="followed", Body=b"x")
            while True:  # bounded by the test's timeout
                record = json.loads(follow.stdout.readline())
                if record["key"] == "followed":
                    break
            self.assertEqual(record["operation"], "PutObject")
        finally:
            follow.kill()
            follow.wait(10)
            follow.stdout.close()


class AuditOfflineVerifyTest(SbctlServerTestCase):
    """Copies the segments of a stopped server and tampers with the copies."""
    timeout_seconds = 180

    def test_offline_verify_names_the_spot(self):
        bucket = unique_bucket("offline")
        self.s3.create_bucket(Bucket=bucket)
        for i in range(6):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
        work = Path(self.tmp.name)
        pubkey = work / "audit.pub.pem"
        pubkey.write_text(self.sbctl("audit", "pubkey", "t").stdout)
        self.server.stop()  # Close() signs the final head: every record is under a checkpoint
        clean = work / "clean"
        source = self.server.data_dir / "meta" / "audit"
        clean.mkdir()
        for f in list(source.glob("seg-*.log")) + [source / "checkpoints.log"]:
            shutil.copy(f, clean)
        segment = sorted(clean.glob("seg-*.log"))[0].name
        lines = (clean / segment).read_bytes().splitlines(keepends=True)
        self.assertGreater(len(lines), 6)
        script = auditor_script(work)

        def verify(directory):
            res = self.sbctl("audit", "verify", "--segments", str(directory), "--pubkey",
                             str(pubkey), check=False)
            doc = subprocess.run([sys.executable, str(script), str(directory), str(pubkey)],
                                 capture_output=True, text=True, timeout=60)
            return res, doc

        res, doc = verify(clean)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn("audit log intact", res.stdout)
        self.assertEqual(doc.returncode, 0, doc.stdout + doc.stderr)
        self.assertIn(f"OK: {len(lines)} records", doc.stdout)

        def flip(ls):
            at = ls[3].index(b'"request_id":"') + 16
            ls[3] = ls[3][:at] + bytes([ls[3][at] ^ 0x01]) + ls[3][at + 1:]
            return ls

        def delete(ls):
            return ls[:3] + ls[4:]

        def swap(ls):
            return ls[:3] + [ls[4], ls[3]] + ls[5:]

        for name, tamper, kind in (("flip", flip, "hash-mismatch"), ("delete", delete, "seq-gap"),
                                   ("swap", swap, "seq-gap")):
            with self.subTest(name):
                copy = work / name
                shutil.copytree(clean, copy)
                (copy / segment).write_bytes(b"".join(tamper(list(lines))))
                res, doc = verify(copy)
                self.assertNotEqual(res.returncode, 0)
                self.assertIn("TAMPERED", res.stdout)
                self.assertIn(f"({segment} line 4): {kind}", res.stdout)
                self.assertEqual(doc.returncode, 1, doc.stdout + doc.stderr)
                self.assertIn(f"{segment} line 4:", doc.stdout)

        # --from starts at the last checkpoint signed before then (here the final one).
        res = self.sbctl("audit", "verify", "--segments", str(clean), "--pubkey", str(pubkey),
                         "--from", str(time.time() + 1))
        self.assertIn(f"from the checkpoint signed at seq {len(lines)}", res.stdout)
        res = self.sbctl("audit", "verify", "--segments", str(work / "flip"), "--pubkey",
                         str(pubkey), "--from", "1", check=False)
        self.assertIn(f"({segment} line 4): hash-mismatch", res.stdout)  # before any checkpoint

        res = self.sbctl("audit", "verify", "--segments", str(clean), check=False)
        self.assertNotEqual(res.returncode, 0)  # usage: --pubkey is needed too


if __name__ == "__main__":
    main()
