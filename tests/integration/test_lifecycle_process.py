"""Process lifecycle: generated root credentials, restart persistence, SIGTERM draining
while an upload is in flight."""

import hashlib
import json
import os
import re
import socket
import stat
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

import sigv4  # noqa: E402
from server_harness import (RawClient, StrongboxServer, TimedTestCase, main,  # noqa: E402
                            md5_hex)

MiB = 1024 * 1024


def _candidates_from_json(line):
    try:
        obj = json.loads(line)
    except ValueError:
        return None, None
    access = secret = None
    stack = [obj]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                lk = k.lower()
                if isinstance(v, str) and "secret" in lk:
                    secret = v
                elif isinstance(v, str) and "access" in lk and "key" in lk:
                    access = v
                elif isinstance(v, (dict, list)):
                    stack.append(v)
        elif isinstance(cur, list):
            stack.extend(cur)
    return access, secret


def find_printed_credentials(output: str):
    """Finds the generated root credentials in the server's output. Accepts a JSON log line
    with fields named like access_key / secret_key, or text such as
    'access key: AK...' / 'secret key: ...' (also AWS_ACCESS_KEY_ID=... style)."""
    access = secret = None
    for line in output.splitlines():
        a, s = _candidates_from_json(line)
        access = access or a
        secret = secret or s
        m = re.search(r"(?i)access[ _-]?key(?:[ _-]?id)?\W{1,4}([A-Za-z0-9]{8,128})\b", line)
        if m and not access:
            access = m.group(1)
        # The separator is explicit: a secret may itself begin with '+' or '/'.
        m = re.search(r"(?i)secret(?:[ _-]?access)?[ _-]?key\s*[:=]\s*([A-Za-z0-9/+=]{16,128})",
                      line)
        if m and not secret:
            secret = m.group(1)
    return access, secret


class LifecycleTest(TimedTestCase):
    timeout_seconds = 240

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        self.servers = []
        try:
            return super().run(result)
        finally:
            failed = len(result.failures) + len(result.errors) > before
            for srv in self.servers:
                if failed:
                    sys.stderr.write(srv.log_tail())
                srv.cleanup()

    def new_server(self, **kw) -> StrongboxServer:
        srv = StrongboxServer(**kw)
        self.servers.append(srv)
        return srv

    def test_generated_root_credentials(self):
        srv = self.new_server(use_env_credentials=False)
        srv.start()
        access, secret = find_printed_credentials(srv.output())
        self.assertTrue(access and secret,
                        f"no generated credentials found in the output:\n{srv.output()}")
        srv.access_key, srv.secret_key = access, secret
        s3 = srv.boto3_client()
        s3.create_bucket(Bucket="gen-creds")
        s3.put_object(Bucket="gen-creds", Key="k", Body=b"persisted")

        # The credentials are stored in the data dir, readable by the owner only.
        holders = []
        for root, _, files in os.walk(srv.data_dir):
            for name in files:
                path = os.path.join(root, name)
                try:
                    with open(path, "rb") as f:
                        content = f.read(1 << 20)
                except OSError:
                    continue
                if secret.encode() in content:
                    holders.append(path)
        self.assertTrue(holders, "no file in the data dir holds the generated secret")
        for path in holders:
            mode = stat.S_IMODE(os.stat(path).st_mode)
            self.assertEqual(mode, 0o600, f"{path} has mode {oct(mode)}")
        srv.stop()

        # A second start reuses them and does not print the secret again.
        srv.start()
        self.assertNotIn(secret, srv.output())
        self.assertEqual(srv.boto3_client().get_object(Bucket="gen-creds", Key="k")["Body"]
                         .read(), b"persisted")
        # A different first character (the secret itself may start with "x").
        bad = srv.boto3_client(secret_key=("y" if secret[0] == "x" else "x") + secret[1:])
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            bad.list_buckets()
        self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        srv.stop()

    def test_generated_credentials_are_random(self):
        a = self.new_server(use_env_credentials=False).start()
        b = self.new_server(use_env_credentials=False).start()
        ca, cb = find_printed_credentials(a.output()), find_printed_credentials(b.output())
        self.assertTrue(all(ca) and all(cb), a.output() + "\n" + b.output())
        self.assertNotEqual(ca[0], cb[0])
        self.assertNotEqual(ca[1], cb[1])
        self.assertGreaterEqual(len(ca[1]), 30, "secret key too short")
        a.stop()
        b.stop()

    def test_restart_keeps_objects(self):
        srv = self.new_server().start()
        s3 = srv.boto3_client()
        s3.create_bucket(Bucket="persist")
        small = b"inline-sized object"
        medium = os.urandom(3 * MiB + 1)
        s3.put_object(Bucket="persist", Key="small", Body=small, Metadata={"a": "b"},
                      ContentType="text/plain")
        s3.put_object(Bucket="persist", Key="dir/medium", Body=medium)
        s3.put_object(Bucket="persist", Key="deleted", Body=b"gone")
        s3.delete_object(Bucket="persist", Key="deleted")
        p1, p2 = os.urandom(5 * MiB), os.urandom(1234)
        uid = s3.create_multipart_upload(Bucket="persist", Key="mp")["UploadId"]
        e1 = s3.upload_part(Bucket="persist", Key="mp", UploadId=uid, PartNumber=1,
                            Body=p1)["ETag"]
        e2 = s3.upload_part(Bucket="persist", Key="mp", UploadId=uid, PartNumber=2,
                            Body=p2)["ETag"]
        s3.complete_multipart_upload(Bucket="persist", Key="mp", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        # An upload still in progress across the restart.
        pending = s3.create_multipart_upload(Bucket="persist", Key="pending")["UploadId"]
        q1 = os.urandom(5 * MiB)
        f1 = s3.upload_part(Bucket="persist", Key="pending", UploadId=pending, PartNumber=1,
                            Body=q1)["ETag"]
        srv.stop()

        srv.start()
        s3 = srv.boto3_client()
        self.assertIn("persist", [b["Name"] for b in s3.list_buckets()["Buckets"]])
        got = s3.get_object(Bucket="persist", Key="small")
        self.assertEqual(got["Body"].read(), small)
        self.assertEqual(got["Metadata"], {"a": "b"})
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(md5_hex(s3.get_object(Bucket="persist", Key="dir/medium")["Body"]
                                 .read()), md5_hex(medium))
        self.assertEqual(md5_hex(s3.get_object(Bucket="persist", Key="mp")["Body"].read()),
                         md5_hex(p1 + p2))
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="persist")["Contents"]]
        self.assertEqual(keys, ["dir/medium", "mp", "small"])
        uploads = s3.list_multipart_uploads(Bucket="persist").get("Uploads", [])
        self.assertEqual([(u["Key"], u["UploadId"]) for u in uploads], [("pending", pending)])
        q2 = b"last"
        f2 = s3.upload_part(Bucket="persist", Key="pending", UploadId=pending, PartNumber=2,
                            Body=q2)["ETag"]
        s3.complete_multipart_upload(
            Bucket="persist", Key="pending", UploadId=pending, MultipartUpload={
                "Parts": [{"PartNumber": 1, "ETag": f1}, {"PartNumber": 2, "ETag": f2}]})
        self.assertEqual(md5_hex(s3.get_object(Bucket="persist", Key="pending")["Body"].read()),
                         md5_hex(q1 + q2))
        srv.stop()

    def test_sigterm_during_large_upload(self):
        srv = self.new_server().start()
        raw = RawClient(srv)
        self.assertEqual(raw.request("PUT", "/drain").status, 200)
        size = 48 * MiB
        body = os.urandom(size)
        full_md5 = md5_hex(body)
        path = "/drain/big"
        signed = sigv4.sign_request(raw.creds, "PUT", path,
                                    headers={"Host": srv.host, "Content-Length": str(size)},
                                    payload_hash=sigv4.UNSIGNED_PAYLOAD)
        head = f"PUT {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n"
        response = bytearray()
        sent = [0]

        def client():
            try:
                with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as sock:
                    sock.sendall(head.encode())
                    view = memoryview(body)
                    step = 256 * 1024
                    for off in range(0, size, step):
                        sock.sendall(view[off:off + step])
                        sent[0] = off + step
                    while True:
                        chunk = sock.recv(65536)
                        if not chunk:
                            break
                        response.extend(chunk)
                        if b"\r\n\r\n" in response:
                            break
            except OSError:
                pass

        t = threading.Thread(target=client, daemon=True)
        t.start()
        deadline = time.monotonic() + 30
        while sent[0] < 8 * MiB and t.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertGreaterEqual(sent[0], 8 * MiB, "upload did not get going")
        srv.proc.send_signal(15)  # SIGTERM mid-upload
        code = srv.proc.wait(20)
        t.join(30)
        self.assertEqual(code, 0, srv.log_tail())
        srv.stop()  # reaps the reader; process already gone

        srv.start()
        status_line = bytes(response).split(b"\r\n", 1)[0]
        head_resp = raw.request("HEAD", path)
        if status_line.startswith(b"HTTP/1.1 200"):
            self.assertEqual(head_resp.status, 200, "acknowledged upload lost over restart")
        if head_resp.status == 200:
            got = raw.request("GET", path)
            self.assertEqual(len(got.body), size, "partial object visible")
            self.assertEqual(md5_hex(got.body), full_md5, "corrupt object visible")
        else:
            self.assertEqual(head_resp.status, 404, head_resp)
        listed = raw.request("GET", "/drain")
        keys = [c.findtext("Key") for c in listed.xml().iter("Contents")]
        self.assertEqual(keys, ["big"] if head_resp.status == 200 else [])
        srv.stop()

    def test_sigterm_with_stalled_upload_has_a_deadline(self):
        # A client that stops sending mid-body must not keep the server from exiting: the
        # drain has a deadline (the server's is 30 s), and the partial object never appears.
        srv = self.new_server().start()
        raw = RawClient(srv)
        self.assertEqual(raw.request("PUT", "/stall").status, 200)
        signed = sigv4.sign_request(raw.creds, "PUT", "/stall/obj",
                                    headers={"Host": srv.host, "Content-Length": str(4 * MiB)},
                                    payload_hash=sigv4.UNSIGNED_PAYLOAD)
        head = "PUT /stall/obj HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n"
        with socket.create_connection(("127.0.0.1", srv.port), timeout=60) as sock:
            sock.sendall(head.encode() + os.urandom(MiB))
            time.sleep(0.5)  # the request is now in flight, waiting for the rest
            started = time.monotonic()
            self.assertEqual(srv.stop(timeout=45), 0)
            self.assertLess(time.monotonic() - started, 45)
        srv.start()
        self.assertEqual(RawClient(srv).request("HEAD", "/stall/obj").status, 404)
        srv.stop()

    def test_sigkill_keeps_acknowledged_objects(self):
        # A crash (SIGKILL) must not lose acknowledged writes nor expose a half-written one,
        # and the server must start again on the same data directory.
        srv = self.new_server().start()
        s3 = srv.boto3_client()
        s3.create_bucket(Bucket="crash")
        acked = {f"acked/{i}": os.urandom(200_000 * (i + 1)) for i in range(4)}
        for key, data in acked.items():
            s3.put_object(Bucket="crash", Key=key, Body=data)
        raw = RawClient(srv)
        size = 32 * MiB
        body = os.urandom(size)
        signed = sigv4.sign_request(raw.creds, "PUT", "/crash/inflight",
                                    headers={"Host": srv.host, "Content-Length": str(size)},
                                    payload_hash=sigv4.UNSIGNED_PAYLOAD)
        head = "PUT /crash/inflight HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in signed.headers.items()) + "\r\n"
        with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as sock:
            sock.sendall(head.encode() + body[:12 * MiB])
            srv.proc.kill()
            srv.proc.wait(10)
        srv.kill()  # reap the reader thread and log file

        srv.start()
        s3 = srv.boto3_client()
        for key, data in acked.items():
            got = s3.get_object(Bucket="crash", Key=key)["Body"].read()
            self.assertEqual(md5_hex(got), md5_hex(data), key)
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="crash")["Contents"]]
        self.assertEqual(keys, sorted(acked), "the interrupted upload must not be listed")
        self.assertEqual(RawClient(srv).request("HEAD", "/crash/inflight").status, 404)
        srv.stop()

    def test_sigterm_with_idle_keepalive_connection(self):
        # An idle keep-alive client must not keep the server from exiting.
        srv = self.new_server().start()
        raw = RawClient(srv)
        conn = raw.connection()
        self.assertEqual(raw.request("GET", "/", conn=conn).status, 200)
        started = time.monotonic()
        srv.stop(timeout=20)
        self.assertLess(time.monotonic() - started, 20)
        conn.close()

    def test_ready_and_sigterm_exit_code(self):
        srv = self.new_server().start()
        raw = RawClient(srv)
        self.assertEqual(raw.request("GET", "/_strongbox/health/ready", sign=False).status, 200)
        self.assertEqual(srv.stop(), 0)

    def test_env_credentials_not_logged(self):
        srv = self.new_server().start()
        s3 = srv.boto3_client()
        s3.create_bucket(Bucket="quiet")
        s3.put_object(Bucket="quiet", Key="k", Body=b"v")
        srv.stop()
        self.assertNotIn(srv.secret_key, srv.output())
        digest = hashlib.sha256(srv.secret_key.encode()).hexdigest()
        self.assertNotIn(digest, srv.output())


if __name__ == "__main__":
    main()
