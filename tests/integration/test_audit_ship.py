"""Audit segment shipping into a COMPLIANCE-locked bucket, and local segment retention
(docs/audit.md, "Shipping and local retention"): shipped segments are WORM, a downloaded
copy verifies offline with only the public key, and pruned local logs still verify."""
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_harness import SbctlServerTestCase, main, unique_bucket  # noqa: E402
from test_audit import auditor_script  # noqa: E402

VAULT = "audit-vault"
SHIP_ARGS = ("--audit-segment-bytes", "4096", "--audit-ship-bucket", VAULT,
             "--audit-ship-interval", "1")


class ShipTestBase(SbctlServerTestCase):
    timeout_seconds = 240

    def make_vault(self, mode="COMPLIANCE"):
        self.s3.create_bucket(Bucket=VAULT, ObjectLockEnabledForBucket=True)
        self.s3.put_object_lock_configuration(Bucket=VAULT, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": mode, "Days": 1}}})

    def traffic(self, n=60):
        bucket = unique_bucket("ship")
        self.s3.create_bucket(Bucket=bucket)
        for i in range(n):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x" * 10)

    def wait_for(self, predicate, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.5)
        self.fail(f"timed out waiting for {what}\n{self.server.log_tail()}")

    def shipped_keys(self):
        res = self.s3.list_objects_v2(Bucket=VAULT, Prefix="audit/")
        return sorted(o["Key"] for o in res.get("Contents", []))

    def local_segments(self):
        return sorted(p.name for p in (self.server.data_dir / "meta" / "audit").glob("seg-*.log"))


class AuditShipTest(ShipTestBase):
    server_args = SHIP_ARGS

    def test_sealed_segments_are_shipped_locked_and_verify_offline(self):
        self.make_vault()
        self.traffic()
        self.wait_for(lambda: "audit/seg-00000003.log" in self.shipped_keys(), "3 segments")
        keys = self.shipped_keys()
        self.assertIn("audit/checkpoints.log", keys)
        self.assertIn("audit/audit-key.pub.pem", keys)
        # WORM: no one, root included, removes a shipped version during its retention.
        versions = self.s3.list_object_versions(Bucket=VAULT, Prefix="audit/seg-")["Versions"]
        self.assertClientError(self.s3.delete_object, "AccessDenied", 403, Bucket=VAULT,
                               Key=versions[0]["Key"], VersionId=versions[0]["VersionId"])
        retention = self.s3.get_object_retention(Bucket=VAULT, Key=versions[0]["Key"])
        self.assertEqual(retention["Retention"]["Mode"], "COMPLIANCE")

        # An auditor downloads the bucket and checks it with the public key alone.
        # checkpoints.log first: shipping goes on meanwhile (these GETs are audited too), and
        # segments newer than the checkpoints verify, while checkpoints newer than the
        # segments read as missing records (docs/audit.md).
        copy = Path(self.tmp.name) / "downloaded"
        copy.mkdir()
        keys = ["audit/checkpoints.log"] + [k for k in self.shipped_keys()
                                            if k != "audit/checkpoints.log"]
        for key in keys:
            body = self.s3.get_object(Bucket=VAULT, Key=key)["Body"].read()
            (copy / key.split("/")[-1]).write_bytes(body)
        pubkey = copy / "audit-key.pub.pem"
        self.assertEqual(pubkey.read_text(), self.sbctl("audit", "pubkey", "t").stdout)
        res = self.sbctl("audit", "verify", "--segments", str(copy), "--pubkey", str(pubkey),
                         check=False)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn("audit log intact", res.stdout)
        script = auditor_script(Path(self.tmp.name))
        doc = subprocess.run([sys.executable, str(script), str(copy), str(pubkey)],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(doc.returncode, 0, doc.stdout + doc.stderr)

        # Shipping is on the record, as the system principal.
        records = self.audit_records("t", "--operation", "AuditShip")
        self.assertTrue(any(r["key"] == "audit/seg-00000001.log" for r in records), records)


class AuditShipRefusesUnlockedBucketTest(ShipTestBase):
    server_args = SHIP_ARGS + ("--audit-local-retention", "1s")

    def test_unlocked_bucket_gets_nothing_and_nothing_is_pruned(self):
        self.s3.create_bucket(Bucket=VAULT)  # no Object Lock: not a WORM target
        self.traffic()
        time.sleep(3)
        self.assertEqual(self.shipped_keys(), [])
        # Unshipped segments are never pruned, whatever their age.
        self.assertIn("seg-00000001.log", self.local_segments())
        self.assertIn("must exist with Object Lock", self.server.output())


class AuditLocalRetentionTest(ShipTestBase):
    server_args = SHIP_ARGS + ("--audit-local-retention", "1s")

    def test_shipped_segments_are_pruned_and_the_local_log_still_verifies(self):
        self.make_vault()
        self.traffic()
        self.wait_for(lambda: "seg-00000001.log" not in self.local_segments(),
                      "the first segment to be pruned")
        self.assertIn("audit/seg-00000001.log", self.shipped_keys())
        # The local log now starts mid-chain, at a sealed boundary: still verifiable.
        report = self.sbctl_json("audit", "verify", "t")
        self.assertTrue(report["ok"], report)
        self.assertGreater(report["anchored_at_seq"], 0, report)
        records = self.audit_records("t", "--operation", "AuditPrune")
        self.assertTrue(any(r["key"] == "seg-00000001.log" for r in records), records)


if __name__ == "__main__":
    main()
