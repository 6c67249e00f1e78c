"""deploy/systemd: the unit is valid for systemd, hardened, and says what the server reads.

- systemd-analyze verify accepts the unit (warnings fail the test), and offline
  systemd-analyze security rates its exposure at most 2.0 of 10;
- the hardening directives the operations guide promises are present;
- every ExecStart flag is one `strongbox --help` lists, and every variable in the example
  environment file is one the server reads;
- the unit's command line with the example environment file really starts the server
  (paths moved to a temporary directory): drives, credentials and the KMS key file named in
  the file are the ones used, and /_strongbox/health/live answers.
"""

import http.client
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import deploy_common as dc  # noqa: E402

UNIT = dc.DEPLOY / "systemd" / "strongbox.service"
ENV_EXAMPLE = dc.DEPLOY / "systemd" / "strongbox.env.example"
SYSUSERS = dc.DEPLOY / "systemd" / "strongbox.sysusers.conf"


def parse_unit(path):
    """{section: [(key, value), ...]} keeping repeated keys in order."""
    sections, current = {}, None
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def values(section, key):
    return [v for k, v in section if k == key]


def one(section, key):
    found = values(section, key)
    assert len(found) == 1, f"{key}= appears {len(found)} times"
    return found[0]


def parse_env_file(path):
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (no quoting used here)."""
    env = {}
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=VALUE: {raw!r}"
        env[key] = value
    return env


def commented_env_names(path):
    return set(re.findall(r"^#\s*(STRONGBOX_[A-Z0-9_]+)=", Path(path).read_text(), re.M))


class SystemdUnitTest(unittest.TestCase):
    def setUp(self):
        self.unit = parse_unit(UNIT)
        self.service = self.unit["Service"]

    def exec_start(self):
        return shlex.split(one(self.service, "ExecStart"))

    def test_sections(self):
        self.assertEqual(set(self.unit), {"Unit", "Service", "Install"})
        self.assertEqual(one(self.unit["Install"], "WantedBy"), "multi-user.target")
        self.assertIn("network-online.target", one(self.unit["Unit"], "After"))

    def test_hardening(self):
        s = self.service
        self.assertEqual(one(s, "User"), "strongbox")
        self.assertEqual(one(s, "Group"), "strongbox")
        for key, want in [("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"),
                          ("PrivateTmp", "yes"), ("ProtectHome", "yes"),
                          ("PrivateDevices", "yes"), ("RestrictSUIDSGID", "yes"),
                          ("Restart", "on-failure"), ("CapabilityBoundingSet", ""),
                          ("AmbientCapabilities", ""), ("UMask", "0077")]:
            self.assertEqual(one(s, key), want, key)
        self.assertGreaterEqual(int(one(s, "LimitNOFILE")), 65536)
        # Exit code 2 is a configuration error (server/main.cc): no restart loop.
        self.assertEqual(one(s, "RestartPreventExitStatus"), "2")
        # The drain takes up to 30 s (server.cc); systemd must wait longer than that.
        self.assertGreater(int(one(s, "TimeoutStopSec").rstrip("s")), 30)

    def test_writable_paths_cover_data_and_meta(self):
        argv = self.exec_start()
        flags = dict(zip(argv[1::2], argv[2::2]))
        state = "/var/lib/" + one(self.service, "StateDirectory")
        writable = [state] + [p.lstrip("-") for v in values(self.service, "ReadWritePaths")
                              for p in v.split()]
        for flag in ("--data", "--meta"):
            self.assertIn(flag, flags)
            self.assertTrue(any(flags[flag] == w or flags[flag].startswith(w + "/")
                                for w in writable), f"{flag} {flags[flag]} is read-only")
        # Drives named in the example file must be writable too.
        drives = parse_env_file(ENV_EXAMPLE)["STRONGBOX_DRIVES"]
        self.assertTrue(any(drives.startswith(w + "/") for w in writable), drives)

    def test_environment_file_names_are_the_servers(self):
        self.assertEqual(one(self.service, "EnvironmentFile"), "/etc/strongbox/strongbox.env")
        known = dc.server_env_names()
        self.assertIn("STRONGBOX_KMS_KEY_FILE", known)  # the scan itself works
        env = parse_env_file(ENV_EXAMPLE)
        named = set(env) | commented_env_names(ENV_EXAMPLE)
        unknown = named - known
        self.assertFalse(unknown, f"the server reads no such variables: {unknown}")
        for name in ("STRONGBOX_ADDRESS", "STRONGBOX_DRIVES", "STRONGBOX_ROOT_ACCESS_KEY",
                     "STRONGBOX_ROOT_SECRET_KEY", "STRONGBOX_KMS_KEY_FILE"):
            self.assertIn(name, env)
        # Flags override the environment: the unit pins these, so the file must not pretend.
        self.assertNotIn("STRONGBOX_DATA", env)
        self.assertNotIn("STRONGBOX_META", env)

    def test_exec_start_flags_exist(self):
        binary = dc.strongbox_bin()
        if binary is None:
            self.skipTest("no strongbox binary built (STRONGBOX_BIN unset)")
        argv = self.exec_start()
        self.assertEqual(argv[0], "/usr/local/bin/strongbox")
        used = {a.split("=", 1)[0] for a in argv[1:] if a.startswith("--")}
        self.assertTrue(used)
        self.assertFalse(used - dc.server_flags(binary), "flags strongbox --help does not list")

    def test_sysusers_creates_the_unit_user(self):
        tool = dc.require_tool(self, "systemd-sysusers")
        with tempfile.TemporaryDirectory() as root:
            (Path(root) / "etc").mkdir()
            subprocess.run([tool, f"--root={root}", "-"], input=SYSUSERS.read_bytes(),
                           check=True, capture_output=True, timeout=60)
            passwd = (Path(root) / "etc" / "passwd").read_text().splitlines()
        entry = [line.split(":") for line in passwd if line.startswith("strongbox:")]
        self.assertEqual(len(entry), 1, passwd)
        self.assertNotEqual(entry[0][2], "0")
        self.assertEqual(entry[0][6], "/usr/sbin/nologin")

    def _unit_for_analyze(self, tmp, text=None):
        # systemd-analyze verify checks that ExecStart's binary exists: point it at the built
        # one (or any executable when there is none; the flags are checked above).
        binary = str(dc.strongbox_bin() or "/bin/true")
        text = (text or UNIT.read_text()).replace("/usr/local/bin/strongbox", binary)
        path = Path(tmp) / "strongbox.service"
        path.write_text(text)
        return path

    def _analyze(self, *args):
        tool = dc.require_tool(self, "systemd-analyze")
        r = subprocess.run([tool, *args], capture_output=True, text=True, timeout=120)
        return r.returncode, (r.stdout + r.stderr).strip()

    def test_systemd_analyze_verify(self):
        with tempfile.TemporaryDirectory() as tmp:
            # A unit with a typo must produce output, else this container cannot verify.
            bad = self._unit_for_analyze(tmp, UNIT.read_text().replace(
                "NoNewPrivileges=", "NoNewPrivilegs="))
            rc, out = self._analyze("verify", str(bad))
            if "NoNewPrivilegs" not in out:
                self.skipTest(f"systemd-analyze verify does not work here: rc={rc} {out!r}")
            unit = self._unit_for_analyze(tmp)
            rc, out = self._analyze("verify", str(unit))
            self.assertEqual(rc, 0, out)
            self.assertEqual(out, "", "systemd-analyze verify warned")

    def test_systemd_analyze_security(self):
        with tempfile.TemporaryDirectory() as tmp:
            unit = self._unit_for_analyze(tmp)
            rc, out = self._analyze("security", "--offline=true", "--threshold=20", str(unit))
            if "Unknown command" in out or "unrecognized option" in out:
                self.skipTest(f"systemd-analyze security --offline unsupported: {out[:200]}")
            self.assertEqual(rc, 0, out[-3000:])
            self.assertRegex(out, r"Overall exposure level for strongbox.service: [01]\.\d")


class SystemdCommandLineRunsTest(unittest.TestCase):
    """Runs ExecStart with the example environment file, as systemd would, with the paths
    moved under a temporary directory (systemd itself cannot run in this container)."""

    def test_example_environment_starts_the_server(self):
        binary = dc.strongbox_bin()
        if binary is None:
            self.skipTest("no strongbox binary built (STRONGBOX_BIN unset)")
        argv = shlex.split(one(parse_unit(UNIT)["Service"], "ExecStart"))
        example = parse_env_file(ENV_EXAMPLE)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            key_file = tmp / "etc" / "kms-root.key"
            key_file.parent.mkdir()
            key_file.write_text(subprocess.run(
                ["openssl", "rand", "-base64", "32"], capture_output=True, text=True,
                check=True).stdout)
            key_file.chmod(0o600)

            def relocate(value):
                return (value.replace("/var/lib/strongbox", str(tmp / "state"))
                        .replace("/srv/strongbox", str(tmp / "srv"))
                        .replace("/etc/strongbox/kms-root.key", str(key_file)))

            argv = [str(binary)] + [relocate(a) for a in argv[1:]]
            env = {k: v for k, v in os.environ.items() if not k.startswith("STRONGBOX_")}
            env.update({k: relocate(v) for k, v in example.items()})
            env["STRONGBOX_ADDRESS"] = "127.0.0.1:0"
            access_key = "SBSYSTEMD" + secrets.token_hex(4).upper()
            env["STRONGBOX_ROOT_ACCESS_KEY"] = access_key
            env["STRONGBOX_ROOT_SECRET_KEY"] = secrets.token_urlsafe(30)
            log = (tmp / "server.log").open("w+")
            proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
            seen = []
            try:
                address = None
                for line in proc.stdout:
                    seen.append(line)
                    m = re.search(r"listening on http://(\S+)", line)
                    if m:
                        address = m.group(1)
                        break
                self.assertIsNotNone(address, f"server exited: {(tmp / 'server.log').read_text()}")
                host, port = address.rsplit(":", 1)
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                conn.request("GET", dc.LIVE_PATH)
                self.assertEqual(conn.getresponse().status, 200)
                conn.close()
            finally:
                proc.send_signal(signal.SIGTERM)
                rest = "".join(seen) + proc.communicate(timeout=60)[0]
                log.close()
            self.assertEqual(proc.returncode, 0, rest)
            # The file's settings were the ones used: drives from STRONGBOX_DRIVES, metadata
            # from --meta, the KMS key from STRONGBOX_KMS_KEY_FILE, credentials from env.
            drives = sorted(p.name for p in (tmp / "srv").iterdir())
            self.assertEqual(drives, ["d1", "d2", "d3", "d4"])
            for d in drives:
                self.assertTrue((tmp / "srv" / d / ".strongbox" / "format.json").exists())
            meta = tmp / "state" / "meta"
            self.assertTrue((meta / "rocksdb").is_dir())
            self.assertFalse((meta / "kms-root.key").exists(), "generated a KMS key anyway")
            self.assertFalse((meta / "root-credentials").exists(), "generated credentials")
            self.assertIn(access_key, rest)


if __name__ == "__main__":
    unittest.main(verbosity=2)
