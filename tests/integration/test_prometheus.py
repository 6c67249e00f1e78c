"""Metrics and health, end to end: /_strongbox/metrics refuses unauthenticated scrapes and
accepts SigV4 (root) and the bearer token `sbctl prometheus config` prints; an IAM user's
token works only once a policy allows admin:Prometheus. Debian's real `prometheus` server
then scrapes the test server with the scrape config sbctl printed (scrape_interval 1s) and
its HTTP API (/api/v1/query) must return the expected series with plausible values.
/_strongbox/health/ready answers 200, and 503 naming the failed check when drive folders
are moved away below the write quorum or the audit directory disappears (as root a chmod
would not block the server, so the folders are renamed); /health/live stays 200."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import REGION, SbctlServerTestCase, main, unique_bucket  # noqa: E402

METRICS = "/_strongbox/metrics"


def http_get(url: str, headers=None):
    """(status, body text) of a GET; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MetricsTestBase(SbctlServerTestCase):
    timeout_seconds = 300


    def scrape_config(self, alias: str = "t") -> str:
        return self.sbctl("prometheus", "config", alias).stdout

    @staticmethod
    def token_of(config: str) -> str:
        for line in config.splitlines():
            if line.strip().startswith("bearer_token:"):
                return line.split(":", 1)[1].strip()
        raise AssertionError(f"no bearer_token in {config!r}")

    def get_metrics(self, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return http_get(self.server.url(METRICS), headers)


class MetricsAuthTest(MetricsTestBase):
    def test_unauthenticated_scrape_is_refused(self):
        status, body = self.get_metrics()
        self.assertEqual(status, 403, body)
        self.assertIn("<Code>AccessDenied</Code>", body)

    def test_bad_tokens_are_refused(self):
        token = self.token_of(self.scrape_config())
        head, claims, sig = token.split(".")
        for bad in ["garbage", f"{head}.{claims}.{'A' * len(sig)}", token + "x", ""]:
            status, body = self.get_metrics(bad)
            self.assertEqual(status, 403, (bad, body))
            self.assertIn("AccessDenied", body)

    def test_token_is_only_for_the_metrics_endpoint(self):
        token = self.token_of(self.scrape_config())
        status, body = http_get(self.server.url("/"), {"Authorization": f"Bearer {token}"})
        self.assertEqual(status, 403, body)
        status, body = http_get(self.server.url("/_strongbox/admin/v1/info"),
                                {"Authorization": f"Bearer {token}"})
        self.assertEqual(status, 403, body)

    def test_root_token_and_sigv4_are_accepted(self):
        status, body = self.get_metrics(self.token_of(self.scrape_config()))
        self.assertEqual(status, 200, body)
        self.assertIn("# TYPE strongbox_requests_total counter", body)
        self.assertIn("# TYPE process_resident_memory_bytes gauge", body)
        # SigV4-signed by the root credential, as any admin call.
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        req = botocore.awsrequest.AWSRequest(method="GET", url=self.server.url(METRICS))
        creds = botocore.credentials.Credentials(self.server.access_key, self.server.secret_key)
        botocore.auth.S3SigV4Auth(creds, "s3", REGION).add_auth(req)
        status, body = http_get(self.server.url(METRICS), dict(req.headers.items()))
        self.assertEqual(status, 200, body)
        self.assertIn("strongbox_build_info{version=", body)

    def test_iam_user_token_needs_admin_prometheus(self):
        self.sbctl("user", "add", "t", "scraper")
        key = json.loads(self.sbctl("--json", "key", "create", "t", "scraper").stdout)
        self.sbctl("alias", "set", "scraper", self.server.url("").rstrip("/"),
                   key["accessKey"], key["secretKey"])
        token = self.token_of(self.scrape_config("scraper"))
        status, body = self.get_metrics(token)
        self.assertEqual(status, 403, body)
        policy = Path(self.tmp.name) / "scrape.json"
        policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "Scrape", "Effect": "Allow", "Action": "admin:Prometheus",
             "Resource": "*"}]}))
        self.sbctl("policy", "create", "t", "scrape", str(policy))
        self.sbctl("policy", "attach", "t", "scrape", "--user", "scraper")
        status, body = self.get_metrics(token)
        self.assertEqual(status, 200, body)
        # The grant is for metrics only.
        status, _ = http_get(self.server.url("/_strongbox/admin/v1/info"),
                             {"Authorization": f"Bearer {token}"})
        self.assertEqual(status, 403)


class PrometheusScrapeTest(MetricsTestBase):
    PUTS = 7
    GETS = 3

    def setUp(self):
        super().setUp()
        self.prom_dir = Path(tempfile.mkdtemp(prefix="sb-prometheus-"))
        self.prom = None

    def tearDown(self):
        if self.prom is not None and self.prom.poll() is None:
            self.prom.terminate()
            try:
                self.prom.wait(30)
            except subprocess.TimeoutExpired:
                self.prom.kill()
                self.prom.wait(10)
        if self.prom_log is not None:
            self.prom_log.close()
        shutil.rmtree(self.prom_dir, ignore_errors=True)
        super().tearDown()

    prom_log = None

    def start_prometheus(self) -> str:
        binary = shutil.which("prometheus")
        if binary is None:
            self.fail("Debian's prometheus is not installed (deploy/install-deps.sh)")
        config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n" + self.scrape_config()
        (self.prom_dir / "prometheus.yml").write_text(config)
        port = free_port()
        self.prom_log = open(self.prom_dir / "prometheus.log", "w")
        self.prom = subprocess.Popen(
            [binary, f"--config.file={self.prom_dir / 'prometheus.yml'}",
             f"--storage.tsdb.path={self.prom_dir / 'data'}",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL, stdout=self.prom_log, stderr=subprocess.STDOUT,
            cwd=self.prom_dir)
        return f"http://127.0.0.1:{port}"

    def query(self, base: str, expr: str):
        """The instant vector of `expr` as [(labels, float)], or None if Prometheus is not
        answering yet."""
        url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                doc = json.loads(r.read())
        except (urllib.error.URLError, ConnectionError, OSError):
            return None
        self.assertEqual(doc.get("status"), "success", doc)
        return [(s["metric"], float(s["value"][1])) for s in doc["data"]["result"]]

    def wait_for(self, base: str, expr: str, ok):
        """Polls until `ok(result)` holds; the test's own timeout bounds the wait."""
        while True:
            if self.prom.poll() is not None:
                self.fail("prometheus exited:\n" + (self.prom_dir / "prometheus.log").read_text())
            result = self.query(base, expr)
            if result is not None and ok(result):
                return result
            time.sleep(0.25)

    def value(self, base: str, expr: str) -> float:
        result = self.query(base, expr)
        self.assertTrue(result, f"no series for {expr}")
        self.assertEqual(len(result), 1, result)
        return result[0][1]

    def test_prometheus_scrapes_the_expected_series(self):
        bucket = unique_bucket("prom")
        self.s3.create_bucket(Bucket=bucket)
        body = b"x" * 10000
        for i in range(self.PUTS):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=body)
        for i in range(self.GETS):
            self.assertEqual(self.s3.get_object(Bucket=bucket, Key=f"k{i}")["Body"].read(), body)
        with self.assertRaises(Exception):
            self.s3.get_object(Bucket=bucket, Key="missing")

        base = self.start_prometheus()
        self.wait_for(base, 'up{job="strongbox"}', lambda r: r and r[0][1] == 1)
        puts = 'strongbox_requests_total{job="strongbox",operation="PutObject",code="200"}'
        self.wait_for(base, puts, lambda r: r and r[0][1] >= self.PUTS)

        self.assertGreaterEqual(
            self.value(base, 'strongbox_requests_total{operation="GetObject",code="200"}'),
            self.GETS)
        self.assertGreaterEqual(
            self.value(base, 'strongbox_requests_total{operation="GetObject",code="404"}'), 1)
        self.assertGreaterEqual(
            self.value(base, 'strongbox_request_duration_seconds_count{operation="PutObject"}'),
            self.PUTS)
        self.assertGreater(
            self.value(base, 'strongbox_request_duration_seconds_sum{operation="PutObject"}'), 0)
        self.assertEqual(self.value(
            base, 'strongbox_request_duration_seconds_bucket{operation="PutObject",le="+Inf"}'),
            self.value(base, 'strongbox_request_duration_seconds_count{operation="PutObject"}'))
        self.assertGreaterEqual(self.value(base, "strongbox_received_bytes_total"),
                                self.PUTS * len(body))
        self.assertGreaterEqual(self.value(base, "strongbox_sent_bytes_total"),
                                self.GETS * len(body))
        self.assertGreaterEqual(self.value(base, "strongbox_open_connections"), 1)
        # Drives and the erasure set.
        self.assertEqual(self.value(base, "sum(strongbox_drive_online)"), 4)
        self.assertEqual(len(self.query(base, "strongbox_drive_online")), 4)
        self.assertEqual(self.value(base, "strongbox_erasure_set_drives_online"), 4)
        self.assertEqual(self.value(base, "strongbox_erasure_set_drives"), 4)
        self.assertEqual(self.value(base, "strongbox_erasure_set_read_quorum"), 2)
        self.assertEqual(self.value(base, "strongbox_erasure_set_write_quorum"), 3)
        self.assertGreater(self.value(base, "min(strongbox_drive_total_bytes)"), 0)
        self.assertGreater(self.value(base, "min(strongbox_drive_free_bytes)"), 0)
        self.assertEqual(self.value(base, "sum(strongbox_drive_errors_total)"), 0)
        self.assertEqual(self.value(base, "strongbox_bitrot_detected_total"), 0)
        # Audit log, KMS, RocksDB, process.
        self.assertGreaterEqual(self.value(base, "strongbox_audit_records_total"),
                                self.PUTS + self.GETS + 2)
        self.assertGreaterEqual(self.value(base, "strongbox_audit_fsyncs_total"), 1)
        self.assertGreaterEqual(self.value(base, "strongbox_audit_fsync_seconds_count"), 1)
        self.assertEqual(self.value(base, "strongbox_audit_failed"), 0)
        self.assertGreaterEqual(self.value(base, "strongbox_audit_pending_records"), 0)
        self.assertGreaterEqual(self.value(
            base, 'strongbox_kms_operations_total{operation="generate",result="ok"}'), self.PUTS)
        self.assertGreaterEqual(self.value(
            base, 'strongbox_kms_operations_total{operation="unwrap",result="ok"}'), self.GETS)
        self.assertGreaterEqual(self.value(base, "strongbox_metadata_keys"), 0)
        self.assertGreaterEqual(self.value(base, "strongbox_metadata_memtable_bytes"), 1)
        self.assertEqual(self.value(base, "strongbox_metadata_writes_stopped"), 0)
        self.assertGreater(self.value(base, "process_resident_memory_bytes"), 0)
        self.assertGreater(self.value(base, "process_open_fds"), 0)
        self.assertGreater(self.value(base, "process_cpu_seconds_total"), 0)
        self.assertGreater(self.value(base, "process_start_time_seconds"), 1.6e9)


class ReadinessTest(MetricsTestBase):
    def ready(self):
        return http_get(self.server.url("/_strongbox/health/ready"))

    def live(self):
        return http_get(self.server.url("/_strongbox/health/live"))

    def test_ready_fails_below_write_quorum_and_recovers(self):
        self.assertEqual(self.ready(), (200, "OK\n"))
        drives = self.server.data_dir / "drives"
        # 4 drives, 2+2: writes need 3. One drive gone keeps the quorum.
        (drives / "d1").rename(drives / "d1.away")
        self.assertEqual(self.ready()[0], 200)
        # A second one, replaced by an empty folder (a swapped disk), breaks it.
        (drives / "d2").rename(drives / "d2.away")
        (drives / "d2").mkdir()
        try:
            status, body = self.ready()
            self.assertEqual(status, 503, body)
            self.assertIn("write quorum: 2 of 4 drives online, writes need 3", body)
            self.assertNotIn(str(drives), body)  # the probe is public: no paths
            self.assertEqual(self.live(), (200, "OK\n"))
            # The admin info (sbctl info) shows the same probe per drive.
            info = json.loads(self.sbctl("--json", "info", "t").stdout)
            states = {Path(d["path"]).name: d["state"] for d in info["drives"]}
            self.assertEqual(states, {"d1": "offline", "d2": "offline", "d3": "online",
                                      "d4": "online"})
            self.assertEqual(info["drives_online"], 2)
            self.assertEqual(info["write_quorum"], 3)
        finally:
            (drives / "d2").rmdir()
            (drives / "d2.away").rename(drives / "d2")
            (drives / "d1.away").rename(drives / "d1")
        self.assertEqual(self.ready(), (200, "OK\n"))

    def test_ready_fails_when_the_audit_log_directory_is_gone(self):
        audit = self.server.data_dir / "meta" / "audit"
        audit.rename(audit.parent / "audit.away")
        try:
            status, body = self.ready()
            self.assertEqual(status, 503, body)
            self.assertIn("audit log: not writable", body)
        finally:
            (audit.parent / "audit.away").rename(audit)
        self.assertEqual(self.ready(), (200, "OK\n"))


if __name__ == "__main__":
    main()
