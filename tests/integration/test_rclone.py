"""rclone (Debian package, s3 backend, provider Other) against the server: copy a tree in,
`rclone check`, copy it back out and compare."""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import (ServerTestCase, main, make_tree, run_tool,  # noqa: E402
                            tree_digest, unique_bucket, write_random_file)

MiB = 1024 * 1024


class RcloneTest(ServerTestCase):
    timeout_seconds = 300

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="sb-rclone-")
        cls.config = cls.server.write_rclone_config(Path(cls.tmp.name, "rclone.conf"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def rclone(self, *args, check=True, timeout=180):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("RCLONE_")}
        env["HOME"] = self.tmp.name
        cmd = ["rclone", "--config", str(self.config), "--retries", "1",
               "--low-level-retries", "1", "--contimeout", "10s", "--timeout", "60s",
               # Multipart above 5 MiB so the tree's large file takes that path.
               "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M"] + [str(a) for a in args]
        return run_tool(cmd, env, timeout, check)

    def test_copy_check_and_back(self):
        bucket = unique_bucket("rclone")
        src = Path(self.tmp.name, "src")
        make_tree(src)
        write_random_file(src / "data" / "large.bin", 11 * MiB + 1)
        expected = tree_digest(src)

        self.rclone("mkdir", f"sb:{bucket}")
        self.s3.head_bucket(Bucket=bucket)
        self.rclone("copy", src, f"sb:{bucket}/tree")
        res = self.rclone("check", src, f"sb:{bucket}/tree")
        self.assertEqual(res.returncode, 0, res.stderr)

        listed = self.rclone("lsf", "-R", "--files-only", f"sb:{bucket}/tree")
        self.assertEqual(sorted(listed.stdout.split("\n")[:-1]), sorted(expected))
        head = self.s3.head_object(Bucket=bucket, Key="tree/data/large.bin")
        self.assertEqual(head["ContentLength"], 11 * MiB + 1)
        self.assertRegex(head["ETag"], r'-3"$')

        dst = Path(self.tmp.name, "dst")
        self.rclone("copy", f"sb:{bucket}/tree", dst)
        self.assertEqual(tree_digest(dst), expected)

        # check must notice a difference, too.
        (src / "README.txt").write_bytes(b"locally modified\n")
        res = self.rclone("check", src, f"sb:{bucket}/tree", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("README.txt", res.stderr)

        self.rclone("purge", f"sb:{bucket}")
        self.assertEqual([b for b in self.s3.list_buckets()["Buckets"] if b["Name"] == bucket],
                         [])

    def test_sync_deletes_remote_extras(self):
        bucket = unique_bucket("rclone-sync")
        src = Path(self.tmp.name, "sync-src")
        make_tree(src, seed=5)
        self.rclone("mkdir", f"sb:{bucket}")
        self.rclone("sync", src, f"sb:{bucket}")
        (src / "docs" / "guide.md").unlink()
        self.rclone("sync", src, f"sb:{bucket}")
        keys = sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket)["Contents"])
        self.assertEqual(keys, sorted(tree_digest(src)))
        self.rclone("purge", f"sb:{bucket}")


if __name__ == "__main__":
    main()
