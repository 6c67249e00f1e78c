"""Starts the real `strongbox` binary for integration tests and builds clients for it.

StrongboxServer owns one server process, its temporary data directory and its log.
ServerTestCase (a unittest.TestCase) gives every test a hard timeout and prints the server
log when a test of the class failed. Not thread-safe: drive a server from one test thread
(clients created from it may be used from worker threads).
"""

import configparser
import faulthandler
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
LISTENING_RE = re.compile(r"listening on (https?://(127\.0\.0\.1|\[::1\]|localhost):(\d+))")
DEFAULT_START_TIMEOUT = 30.0
DEFAULT_STOP_TIMEOUT = 20.0
# Per-test wall-clock limit; ctest adds an outer limit per file.
DEFAULT_TEST_TIMEOUT = int(os.environ.get("SB_ITEST_TIMEOUT", "180"))


def _keep_traffic_on_loopback():
    """Tests talk to 127.0.0.1 only: a proxy from the environment must not capture that
    traffic (in-process clients and the tools started from here inherit this)."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(name, None)
        os.environ.pop(name.upper(), None)
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost,::1"


_keep_traffic_on_loopback()


def binary_path() -> Path:
    env = os.environ.get("STRONGBOX_BIN")
    path = Path(env) if env else REPO_ROOT / "build" / "bin" / "strongbox"
    return path


def aws_cli_path() -> str:
    """The aws cli installed with the interpreter running the tests (the pyenv one carries
    it), so the suite does not depend on PATH order; falls back to PATH."""
    beside = Path(sys.executable).parent / "aws"
    return str(beside) if beside.exists() else (shutil.which("aws") or "aws")


def random_access_key() -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "SBIT" + "".join(secrets.choice(alphabet) for _ in range(16))


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "+/"
    return "".join(secrets.choice(alphabet) for _ in range(40))


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def file_md5(path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_random_file(path, size: int, seed: int = None) -> str:
    """Writes `size` incompressible bytes and returns their md5. With a seed the content is
    deterministic (SHA-256 in counter mode), otherwise it comes from os.urandom."""
    h = hashlib.md5()
    state = hashlib.sha256(str(seed).encode()).digest() if seed is not None else None
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(1 << 20, left)
            if state is None:
                data = os.urandom(n)
            else:
                blocks = []
                for i in range((n + 31) // 32):
                    state = hashlib.sha256(state + i.to_bytes(4, "big")).digest()
                    blocks.append(state)
                data = b"".join(blocks)[:n]
            f.write(data)
            h.update(data)
            left -= n
    return h.hexdigest()


def make_tree(root, seed: int = 1) -> dict:
    """Creates a small directory tree of varied files under root; returns tree_digest."""
    import random
    rnd = random.Random(seed)
    files = {
        "README.txt": b"strongbox sync test\n",
        "empty.bin": b"",
        "docs/guide.md": b"# Guide\n" * 200,
        "docs/nested/deeper/leaf.json": b'{"a": 1}\n',
        "docs/with space/file name.txt": b"spaces in names\n",
        "data/unicode-ü.bin": bytes(rnd.getrandbits(8) for _ in range(3000)),
        "data/medium.bin": rnd.randbytes(700_000),
        "data/small-0.bin": rnd.randbytes(10),
        "data/small-1.bin": rnd.randbytes(4096),
        "data/plus+and=equals.txt": b"odd chars\n",
    }
    for rel, data in files.items():
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tree_digest(root)


def tree_digest(root) -> dict:
    """Maps every regular file's path relative to root ('/'-separated) to its md5."""
    out = {}
    root = Path(root)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = file_md5(path)
    return out


class ServerError(AssertionError):
    pass


class TestPki:
    """A throwaway certificate authority in `directory`, made with the openssl CLI: ca.pem
    (trust it in clients), and server or client certificates it signs (P-256 keys)."""

    def __init__(self, directory):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ca_cert = self.dir / "ca.pem"
        self.ca_key = self.dir / "ca.key"
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                      "-nodes", "-keyout", self.ca_key, "-out", self.ca_cert, "-days", "2",
                      "-subj", "/CN=Strongbox Test CA",
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def _openssl(self, *args):
        return run_tool(["openssl"] + [str(a) for a in args], dict(os.environ), 60, True)

    def issue(self, name: str, cn: str, serial: int = None, client: bool = False):
        """Writes NAME.pem and NAME.key signed by the CA; returns (cert_path, key_path).
        A server certificate is for 127.0.0.1 and localhost."""
        cert, key, csr = (self.dir / f"{name}.pem", self.dir / f"{name}.key",
                          self.dir / f"{name}.csr")
        ext = self.dir / f"{name}.ext"
        if client:
            ext.write_text("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n")
        else:
            ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                           "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n")
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                      "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={cn}")
        serial = serial if serial is not None else secrets.randbelow(1 << 62) + 1
        self._openssl("x509", "-req", "-in", csr, "-CA", self.ca_cert, "-CAkey", self.ca_key,
                      "-set_serial", serial, "-days", "2", "-out", cert, "-extfile", ext)
        return cert, key


# An aws cli (v1) plugin, loaded through the [plugins] section of the cli config file.
AWS_TRAILER_PLUGIN = '''
import os


def _force_trailer(params, **kwargs):
    algo = params.get("context", {}).get("checksum", {}).get("request_algorithm")
    if isinstance(algo, dict) and algo.get("in") == "header":
        algo["in"] = "trailer"
        with open(os.environ["SB_TRAILER_LOG"], "a") as f:
            f.write(kwargs.get("event_name", "?") + "\\n")


def awscli_initialize(cli):
    for op in ("PutObject", "UploadPart"):
        cli.register("before-call.s3." + op, _force_trailer)
'''


class StrongboxServer:
    """One strongbox process with a fresh temporary data directory.

    With credentials=None the root credentials come from fresh random values passed in
    STRONGBOX_ROOT_ACCESS_KEY / STRONGBOX_ROOT_SECRET_KEY; with use_env_credentials=False the
    variables are left out so the server generates (or reloads) its own.
    """

    def __init__(self, data_dir=None, use_env_credentials=True, access_key=None,
                 secret_key=None, extra_args=(), binary=None, work_dir=None, tls=False):
        self.binary = Path(binary) if binary else binary_path()
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="sb-itest-"))
        self.data_dir = Path(data_dir) if data_dir else self.work_dir / "data"
        self.use_env_credentials = use_env_credentials
        self.access_key = access_key or (random_access_key() if use_env_credentials else None)
        self.secret_key = secret_key or (random_secret_key() if use_env_credentials else None)
        self.extra_args = list(extra_args)
        # tls=True: HTTPS with a throwaway CA (self.pki; self.ca_cert for clients), server
        # certificate tls/server.pem (serial 1) and --tls-client-ca set to the same CA.
        self.tls = tls
        self.pki = None
        self.ca_cert = None
        if tls:
            self.pki = TestPki(self.work_dir / "tls")
            self.ca_cert = self.pki.ca_cert
            self.tls_cert, self.tls_key = self.pki.issue("server", "localhost", serial=1)
            self.extra_args += ["--tls-cert", str(self.tls_cert), "--tls-key", str(self.tls_key),
                                "--tls-client-ca", str(self.ca_cert)]
        self.proc = None
        self.endpoint = None
        self.host = None
        self.port = None
        self.stdout_lines = []  # every stdout line of the current run
        self.run_count = 0
        self.log_path = None
        self._reader = None
        self._lines_lock = threading.Lock()
        self._ready = threading.Event()

    # ----- process lifecycle -------------------------------------------------------------
    def start(self, timeout: float = DEFAULT_START_TIMEOUT):
        if not self.binary.exists():
            raise ServerError(f"strongbox binary not found at {self.binary} "
                              "(set STRONGBOX_BIN or build the strongbox target)")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.run_count += 1
        self.log_path = self.work_dir / f"server-{self.run_count}.log"
        self.stdout_lines = []
        self._ready.clear()
        env = dict(os.environ)
        env.pop("STRONGBOX_ROOT_ACCESS_KEY", None)
        env.pop("STRONGBOX_ROOT_SECRET_KEY", None)
        if self.use_env_credentials:
            env["STRONGBOX_ROOT_ACCESS_KEY"] = self.access_key
            env["STRONGBOX_ROOT_SECRET_KEY"] = self.secret_key
        cmd = [str(self.binary), "--address", "127.0.0.1:0", "--data", str(self.data_dir)]
        cmd += self.extra_args
        self._log_file = open(self.log_path, "w", buffering=1)
        self._log_file.write(f"# {' '.join(cmd)}\n")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=env, cwd=self.work_dir)
        self._reader = threading.Thread(target=self._drain, name="sb-stdout", daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self.proc.poll() is not None:
                self._reader.join(5)
                raise ServerError(f"strongbox exited with {self.proc.returncode} before "
                                  f"listening\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise ServerError(f"strongbox did not print 'listening on' within "
                                  f"{timeout}s\n{self.log_tail()}")
        return self

    def _drain(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lines_lock:
                self.stdout_lines.append(line)
            self._log_file.write(line + "\n")
            if not self._ready.is_set():
                m = LISTENING_RE.search(line)
                if m:
                    self.endpoint = m.group(1)
                    self.host = f"{m.group(2)}:{m.group(3)}"
                    self.port = int(m.group(3))
                    self._ready.set()
        self._log_file.flush()

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT, expect_code: int = 0) -> int:
        """Sends SIGTERM and waits; raises ServerError unless it exits with expect_code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ServerError(f"strongbox did not exit within {timeout}s of SIGTERM\n"
                              f"{self.log_tail()}")
        self._finish_reader()
        if expect_code is not None and code != expect_code:
            raise ServerError(f"strongbox exited with {code}, expected {expect_code}\n"
                              f"{self.log_tail()}")
        return code

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._finish_reader()

    def _finish_reader(self):
        if self._reader is not None:
            self._reader.join(10)
        if getattr(self, "_log_file", None) is not None and not self._log_file.closed:
            self._log_file.close()
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def cleanup(self):
        """Stops (kills) the process if needed and removes the temporary directory."""
        self.kill()
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def output(self) -> str:
        with self._lines_lock:
            return "\n".join(self.stdout_lines)

    def log_tail(self, lines: int = 80) -> str:
        text = ""
        for path in sorted(self.work_dir.glob("server-*.log")):
            try:
                content = path.read_text(errors="replace").splitlines()
            except OSError:
                continue
            text += f"----- {path} (last {lines} lines) -----\n"
            text += "\n".join(content[-lines:]) + "\n"
        return text

    # ----- clients -------------------------------------------------------------------------
    def url(self, path: str = "/") -> str:
        return self.endpoint + path

    def boto3_client(self, access_key=None, secret_key=None, unsigned=False, **config_kw):
        import boto3
        import botocore
        from botocore.config import Config
        cfg = dict(signature_version=botocore.UNSIGNED if unsigned else "s3v4",
                   s3={"addressing_style": "path"}, region_name=REGION,
                   retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=120,
                   max_pool_connections=16)
        cfg.update(config_kw)
        session = boto3.session.Session()
        return session.client(
            "s3", endpoint_url=self.endpoint,
            aws_access_key_id=access_key or self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            region_name=REGION, config=Config(**cfg),
            verify=str(self.ca_cert) if self.tls else None)

    def boto3_trailer_client(self, **kw):
        """A client whose PutObject/UploadPart bodies are aws-chunked with an unsigned CRC
        trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER, HTTP chunked) — what current boto3 and
        aws cli send by default over https. botocore only picks that mode for https URLs,
        so this flips the resolved checksum location before the request is built."""
        client = self.boto3_client(**kw)

        def force_trailer(params, **_):
            algo = params.get("context", {}).get("checksum", {}).get("request_algorithm")
            if isinstance(algo, dict) and algo.get("in") == "header":
                algo["in"] = "trailer"

        for op in ("PutObject", "UploadPart"):
            client.meta.events.register(f"before-call.s3.{op}", force_trailer)
        return client

    def aws_env(self, access_key=None, secret_key=None, trailer: bool = False) -> dict:
        """Environment for the aws cli: credentials, region and an otherwise empty config
        file. With trailer=True the config loads a cli plugin (AWS_TRAILER_PLUGIN) that makes
        PutObject/UploadPart bodies aws-chunked with an unsigned CRC trailer, as the cli sends
        them over https; the plugin records each switch in trailer-uses.log."""
        cfg = self.work_dir / "aws-config-empty"
        cfg.touch()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        if trailer:
            plugin_dir = self.work_dir / "aws-plugin"
            plugin_dir.mkdir(exist_ok=True)
            (plugin_dir / "sb_trailer_plugin.py").write_text(AWS_TRAILER_PLUGIN)
            cfg = self.work_dir / "aws-config-trailer"
            cfg.write_text("[plugins]\nsbtrailer = sb_trailer_plugin\n")
            env["PYTHONPATH"] = os.pathsep.join(
                [str(plugin_dir)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
            env["SB_TRAILER_LOG"] = str(self.work_dir / "trailer-uses.log")
        env.update({
            "AWS_ACCESS_KEY_ID": access_key or self.access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key or self.secret_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": str(cfg),
            "AWS_SHARED_CREDENTIALS_FILE": str(cfg),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
        })
        return env

    def aws(self, *args, timeout: float = 300, check: bool = True, access_key=None,
            secret_key=None, input: bytes = None,
            trailer: bool = False) -> subprocess.CompletedProcess:
        """Runs `aws --endpoint-url ENDPOINT ARGS...` and returns the completed process."""
        cmd = [aws_cli_path(), "--endpoint-url", self.endpoint] + [str(a) for a in args]
        if self.tls:
            cmd[1:1] = ["--ca-bundle", str(self.ca_cert)]
        return run_tool(cmd, self.aws_env(access_key, secret_key, trailer), timeout, check,
                        input)

    def write_s3cmd_config(self, path=None) -> Path:
        path = Path(path or self.work_dir / "s3cmd.cfg")
        path.write_text("[default]\n"
                        f"access_key = {self.access_key}\n"
                        f"secret_key = {self.secret_key}\n"
                        f"host_base = {self.host}\n"
                        f"host_bucket = {self.host}\n"
                        f"bucket_location = {REGION}\n"
                        "use_https = False\n"
                        "signature_v2 = False\n"
                        "check_ssl_certificate = False\n"
                        "guess_mime_type = True\n"
                        "socket_timeout = 60\n"
                        "progress_meter = False\n")
        return path

    def write_rclone_config(self, path=None, remote: str = "sb") -> Path:
        path = Path(path or self.work_dir / "rclone.conf")
        cp = configparser.ConfigParser()
        cp[remote] = {
            "type": "s3",
            "provider": "Other",
            "access_key_id": self.access_key,
            "secret_access_key": self.secret_key,
            "endpoint": self.endpoint,
            "region": REGION,
            "force_path_style": "true",
        }
        with open(path, "w") as f:
            cp.write(f)
        return path


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body

    def xml(self):
        import xml.etree.ElementTree as ET
        root = ET.fromstring(self.body)
        # Strip a default namespace so tests can use plain tag names.
        for el in root.iter():
            if "}" in el.tag:
                el.tag = el.tag.split("}", 1)[1]
        return root

    def error_code(self):
        return self.xml().findtext("Code")

    def __repr__(self):
        return f"RawResponse({self.status}, {self.headers}, {self.body[:500]!r})"


class RawClient:
    """Signs requests with the independent signer in sigv4.py and sends them with
    http.client, so tests control every header and byte."""

    def __init__(self, server, access_key=None, secret_key=None, timeout: float = 30):
        import sigv4
        self.server = server
        self.creds = sigv4.Credentials(access_key or server.access_key,
                                       secret_key or server.secret_key)
        self.timeout = timeout

    def connection(self):
        import http.client
        if self.server.tls:
            import ssl
            context = ssl.create_default_context(cafile=str(self.server.ca_cert))
            return http.client.HTTPSConnection("127.0.0.1", self.server.port,
                                               timeout=self.timeout, context=context)
        return http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)

    def request(self, method, path, query=(), headers=None, body=b"", sign=True,
                payload_hash=None, when=None, conn=None) -> RawResponse:
        """path is decoded ("/bucket/key"); query is a list of (name, value)."""
        import sigv4
        hdrs = dict(headers or {})
        hdrs.setdefault("Host", self.server.host)
        if sign:
            if payload_hash is None:
                payload_hash = sigv4.sha256_hex(body if isinstance(body, bytes) else b"")
            signed = sigv4.sign_request(self.creds, method, path, query, hdrs, payload_hash,
                                        when=when)
            hdrs = signed.headers
        target = sigv4.uri_encode(path, encode_slash=False)
        if query:
            target += "?" + sigv4.query_string(query)
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request(method, target, body=body if body != b"" or method in (
                "PUT", "POST") else None, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            if own:
                conn.close()


def raw_exchange(port: int, payload: bytes, timeout: float = 10, half_close: bool = False,
                 read_limit: int = 1 << 20) -> bytes:
    """Sends raw bytes on a new connection and returns what comes back until the peer
    closes, a complete response (status line, headers and Content-Length body) has arrived,
    or `timeout` passes (b"" if the peer closed without answering)."""
    import socket
    out = bytearray()
    deadline = time.monotonic() + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(payload)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while len(out) < read_limit and time.monotonic() < deadline:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
            head_end = out.find(b"\r\n\r\n")
            if head_end >= 0:
                m = re.search(rb"(?im)^content-length:\s*(\d+)", out[:head_end])
                if m and len(out) >= head_end + 4 + int(m.group(1)):
                    break
    return bytes(out)


def run_tool(cmd, env, timeout: float, check: bool, input: bytes = None,
             cwd=None) -> subprocess.CompletedProcess:
    """Runs an external client; raises AssertionError on timeout or (check) failure."""
    try:
        res = subprocess.run(cmd, env=env, input=input, capture_output=True, timeout=timeout,
                             cwd=cwd, stdin=None if input is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"{cmd[0]} timed out after {timeout}s: {' '.join(cmd)}\n"
                             f"stdout: {e.stdout!r}\nstderr: {e.stderr!r}")
    res.stdout = res.stdout.decode("utf-8", "replace")
    res.stderr = res.stderr.decode("utf-8", "replace")
    if check and res.returncode != 0:
        raise AssertionError(f"command failed ({res.returncode}): {' '.join(cmd)}\n"
                             f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}")
    return res


class _TestTimeout(Exception):
    pass


class TimedTestCase(unittest.TestCase):
    """TestCase with a per-test wall-clock limit (SIGALRM in the main thread, plus a
    faulthandler traceback dump and hard exit if even that does not unwind)."""

    timeout_seconds = DEFAULT_TEST_TIMEOUT

    def run(self, result=None):
        use_alarm = threading.current_thread() is threading.main_thread()
        if use_alarm:
            def on_alarm(signum, frame):
                raise _TestTimeout(f"{self.id()} exceeded {self.timeout_seconds}s")

            old = signal.signal(signal.SIGALRM, on_alarm)
            signal.alarm(self.timeout_seconds)
            faulthandler.dump_traceback_later(self.timeout_seconds + 30, exit=True)
        try:
            return super().run(result)
        finally:
            if use_alarm:
                signal.alarm(0)
                faulthandler.cancel_dump_traceback_later()
                signal.signal(signal.SIGALRM, old)


class ServerTestCase(TimedTestCase):
    """Starts one server per test class (cls.server, cls.s3); prints its log on failure."""

    server = None
    s3 = None
    _failed = False
    server_args = ()  # extra strongbox flags for the class's server
    tls = False  # True: the server speaks HTTPS with a test CA (StrongboxServer(tls=True))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._failed = False
        cls.server = StrongboxServer(extra_args=cls.server_args, tls=cls.tls)
        try:
            cls.server.start()
        except BaseException:
            sys.stderr.write(cls.server.log_tail())
            cls.server.cleanup()
            raise
        cls.s3 = cls.server.boto3_client()

    @classmethod
    def tearDownClass(cls):
        server, cls.server = cls.server, None
        if server is not None:
            try:
                server.stop()
            except ServerError:
                cls._failed = True
                raise
            finally:
                if cls._failed:
                    sys.stderr.write(f"\nserver work dir kept: {server.work_dir}\n")
                    sys.stderr.write(server.log_tail())
                else:
                    server.cleanup()
        super().tearDownClass()

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            type(self)._failed = True
        return out

    # ----- assertions shared by the suites -----------------------------------------------
    def assertClientError(self, fn, code: str, status: int, *args, **kwargs):
        """Calls fn(*args, **kwargs) and asserts a botocore ClientError with code/status."""
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        err = cm.exception.response
        self.assertEqual(err.get("Error", {}).get("Code"), code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err


def sbctl_path() -> Path:
    return binary_path().parent / "sbctl"


class SbctlServerTestCase(ServerTestCase):
    """ServerTestCase plus sbctl with a private config directory (cls.tmp) and the alias
    "t" for the root credential."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="sb-sbctl-")
        cls.alias("t", cls.server.access_key, cls.server.secret_key)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    @classmethod
    def alias(cls, name, access_key, secret_key):
        cls.sbctl("alias", "set", name, cls.server.url("").rstrip("/"), access_key, secret_key)

    @classmethod
    def sbctl(cls, *args, check=True, input=None):
        env = {"PATH": os.environ.get("PATH", ""), "HOME": cls.tmp.name,
               "SBCTL_CONFIG_DIR": cls.tmp.name}
        return run_tool([str(sbctl_path())] + list(args), env, 60, check, input=input)

    def sbctl_json(self, *args):
        return json.loads(self.sbctl("--json", *args).stdout)

    def audit_records(self, *args):
        """`sbctl --json audit query ARGS...`: one JSON record per line, as a list."""
        out = self.sbctl("--json", "audit", "query", *args).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]


def unique_bucket(prefix: str = "it") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def main():
    """Entry point for `python3 tests/integration/test_x.py`."""
    unittest.main(verbosity=2)
