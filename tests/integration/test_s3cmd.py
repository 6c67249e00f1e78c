"""s3cmd (Debian package) against the server: mb, put (single and multipart), get, ls,
del, rb."""

import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (ServerTestCase, file_md5, main, run_tool,  # noqa: E402
                            unique_bucket, write_random_file)

MiB = 1024 * 1024


class S3cmdTest(ServerTestCase):
    timeout_seconds = 300

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="sb-s3cmd-")
        cls.config = cls.server.write_s3cmd_config(Path(cls.tmp.name, "s3cmd.cfg"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def s3cmd(self, *args, check=True, timeout=180):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["HOME"] = self.tmp.name  # no ~/.s3cfg from the machine
        cmd = ["s3cmd", "-c", str(self.config), "--no-progress"] + [str(a) for a in args]
        return run_tool(cmd, env, timeout, check)

    def test_full_cycle(self):
        bucket = unique_bucket("s3cmd")
        res = self.s3cmd("mb", f"s3://{bucket}")
        self.assertIn(f"Bucket 's3://{bucket}/' created", res.stdout)
        res = self.s3cmd("ls")
        self.assertIn(f"s3://{bucket}", res.stdout)

        small = Path(self.tmp.name, "small.txt")
        small.write_bytes(b"s3cmd small object\n" * 50)
        big = Path(self.tmp.name, "big.bin")
        big_md5 = write_random_file(big, 12 * MiB + 3)

        self.s3cmd("put", small, f"s3://{bucket}/dir/small.txt")
        self.s3cmd("put", "--multipart-chunk-size-mb=5", big, f"s3://{bucket}/dir/big.bin")
        # The server's view matches, independent of s3cmd's own checks.
        head = self.s3.head_object(Bucket=bucket, Key="dir/big.bin")
        self.assertEqual(head["ContentLength"], 12 * MiB + 3)
        self.assertRegex(head["ETag"], r'-3"$')
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="dir/small.txt")["ETag"],
                         f'"{file_md5(small)}"')

        res = self.s3cmd("ls", f"s3://{bucket}/")
        self.assertRegex(res.stdout, rf"DIR\s+s3://{bucket}/dir/")
        res = self.s3cmd("ls", f"s3://{bucket}/dir/")
        sizes = {m.group(2): int(m.group(1))
                 for m in re.finditer(r"\s(\d+)\s+(s3://\S+)", res.stdout)}
        self.assertEqual(sizes, {f"s3://{bucket}/dir/big.bin": 12 * MiB + 3,
                                 f"s3://{bucket}/dir/small.txt": small.stat().st_size})

        out_small = Path(self.tmp.name, "out-small.txt")
        out_big = Path(self.tmp.name, "out-big.bin")
        self.s3cmd("get", f"s3://{bucket}/dir/small.txt", out_small)
        self.s3cmd("get", f"s3://{bucket}/dir/big.bin", out_big)
        self.assertEqual(file_md5(out_small), file_md5(small))
        self.assertEqual(file_md5(out_big), big_md5)

        res = self.s3cmd("rb", f"s3://{bucket}", check=False)
        self.assertNotEqual(res.returncode, 0, "rb of a non-empty bucket must fail")
        self.assertIn("BucketNotEmpty", res.stderr + res.stdout)

        res = self.s3cmd("del", f"s3://{bucket}/dir/small.txt")
        self.assertIn("delete:", res.stdout)
        self.s3cmd("del", f"s3://{bucket}/dir/big.bin")
        res = self.s3cmd("ls", f"s3://{bucket}/")
        self.assertEqual(res.stdout.strip(), "")
        res = self.s3cmd("rb", f"s3://{bucket}")
        self.assertIn(f"Bucket 's3://{bucket}/' removed", res.stdout)
        res = self.s3cmd("ls")
        self.assertNotIn(f"s3://{bucket}", res.stdout)

    def test_get_missing(self):
        bucket = unique_bucket("s3cmd-miss")
        self.s3cmd("mb", f"s3://{bucket}")
        res = self.s3cmd("get", f"s3://{bucket}/nothing", Path(self.tmp.name, "nothing"),
                         check=False)
        self.assertNotEqual(res.returncode, 0)
        # s3cmd HEADs the object first and reports the 404 in its own words.
        self.assertRegex(res.stderr + res.stdout, r"404|does not exist")
        self.s3cmd("rb", f"s3://{bucket}")


if __name__ == "__main__":
    main()
