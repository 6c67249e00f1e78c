"""The tamper-evident audit log, end to end: every request (allowed, denied, malformed)
gets a hash-chained record; `sbctl audit verify` proves the chain intact and names the
first bad record after tampering; `sbctl audit query` answers who touched an object."""

import hashlib
import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (SbctlServerTestCase, ServerTestCase, StrongboxServer,  # noqa: E402
                            main, run_tool, sbctl_path, unique_bucket)


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
        records = json.loads(res.stdout)["records"]
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


if __name__ == "__main__":
    main()
