"""Fail-closed under a crash: concurrent PUTs run while the server is killed with SIGKILL;
every request that got a response has its audit record, and after a restart (which
truncates a torn final line) the chain verifies intact."""

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402

THREADS = 4
KILL_AFTER = 150  # answered requests before the SIGKILL


class AuditCrashTest(SbctlServerTestCase):
    timeout_seconds = 120

    def logged_request_ids(self):
        ids = set()
        for segment in sorted((self.server.data_dir / "meta" / "audit").glob("seg-*.log")):
            for line in segment.read_bytes().split(b"\n"):
                try:
                    ids.add(json.loads(line)["request_id"])
                except ValueError:
                    pass  # a torn final line (the request it belonged to got no answer)
        return ids

    def test_every_answered_request_is_recorded_after_kill_9(self):
        bucket = unique_bucket("crash")
        self.s3.create_bucket(Bucket=bucket)
        answered = []  # request ids of responses the clients received
        lock = threading.Lock()
        enough = threading.Event()
        clients = [self.server.boto3_client() for _ in range(THREADS)]

        def writer(n, s3):
            i = 0
            while True:
                try:
                    r = s3.put_object(Bucket=bucket, Key=f"t{n}/{i}", Body=b"x" * 100)
                except Exception:  # the server is gone
                    return
                with lock:
                    answered.append(r["ResponseMetadata"]["RequestId"])
                    if len(answered) >= KILL_AFTER:
                        enough.set()
                i += 1

        threads = [threading.Thread(target=writer, args=(n, c)) for n, c in enumerate(clients)]
        for t in threads:
            t.start()
        enough.wait()
        self.server.kill()  # SIGKILL, mid-load
        for t in threads:
            t.join(60)
        with lock:
            got = list(answered)
        self.assertGreaterEqual(len(got), KILL_AFTER)
        logged = self.logged_request_ids()
        missing = [rid for rid in got if rid not in logged]
        self.assertEqual(missing, [], f"{len(missing)} of {len(got)} answered requests unrecorded")

        self.server.start()
        type(self).s3 = self.server.boto3_client()
        self.alias("t", self.server.access_key, self.server.secret_key)
        report = self.sbctl_json("audit", "verify", "t")
        self.assertTrue(report["ok"], report)
        self.assertGreaterEqual(report["records_checked"], len(got))


if __name__ == "__main__":
    main()
