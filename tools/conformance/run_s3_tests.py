#!/usr/bin/env python3
"""Runs the public ceph/s3-tests suite against a fresh Strongbox and counts passes per group.

    tools/conformance/run.sh SUITE_DIR [pytest args, e.g. -k versioning]

SUITE_DIR is a checkout of https://github.com/ceph/s3-tests (never committed here). The
script starts build/bin/strongbox (STRONGBOX_BIN) over HTTPS with a throwaway CA (SSE-C
needs TLS, as on AWS) and a temporary data directory, makes the suite's three users (main
is root; alt and tenant are IAM users, see ALT_POLICY below) and its two KMS keys, writes
s3tests.conf, runs pytest, and prints the per-group table that docs/s3-compatibility.md
records. Results land in OUT_DIR (default: a new temporary directory).

The selection (PROFILE=core) drops what AWS itself lacks or only Ceph has; the reasons are
listed in docs/s3-compatibility.md:
  files: test_iam.py, test_sts.py, test_sns.py, test_s3select.py
  markers: fails_on_aws, bucket_logging*, fails_without_logging_rollover,
    lifecycle_transition, cloud_transition, cloud_restore, iam_*, sns, s3select,
    webidentity_test, test_of_sts
  tests: test_bucket_policy_tenanted_bucket, test_bucket_policy_different_tenant (RGW tenants)
Lifecycle expiration tests (marker lifecycle_expiration) run with the server's test-only day
scale when it has one (LC_DEBUG_DAY_SECONDS, default 10 s as in Ceph's rgw_lc_debug_interval).
"""
import collections
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "testing"))
from server_harness import (StrongboxServer, binary_path, random_access_key,  # noqa: E402
                            random_secret_key, sbctl_path)

# Fresh root credentials per run; the suite's "main" user is the server's root.
MAIN_KEY = (random_access_key(), random_secret_key())
# alt and tenant are other principals: they may list their (no) buckets and nothing else, so
# a bucket policy or ACL alone decides what they can do with main's buckets, as for another
# AWS account. Tests that need alt to own buckets fail for that reason (documented).
ALT_POLICY = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": ["s3:ListAllMyBuckets"],
                             "Resource": "*"}]}
GROUPS = [  # (group, test-name prefixes); first match wins, else "other"
    ("bucket_list", ["test_bucket_list", "test_bucket_listv2"]),
    ("sse_c", ["test_encryption_sse_c", "test_sse_c", "test_encryption_key_no_sse_c"]),
    ("sse_kms", ["test_sse_kms", "test_encryption_sse_kms"]),
    ("sse_s3", ["test_sse_s3", "test_encryption_sse_s3", "test_get_bucket_encryption",
                "test_put_bucket_encryption", "test_delete_bucket_encryption"]),
    ("acl", ["test_bucket_acl", "test_object_acl", "test_acl", "test_bucket_header_acl",
             "test_object_header_acl", "test_put_bucket_acl", "test_versioned_object_acl",
             "test_access_bucket", "test_bucket_recreate_new_acl", "test_cannedacl",
             "test_object_raw_get_x_amz_expires", "test_bucket_create_exists_nonowner"]),
    ("multipart", ["test_multipart", "test_abort_multipart", "test_list_multipart",
                   "test_upload_part", "test_atomic_multipart"]),
    ("object_lock", ["test_object_lock"]),
    ("post_object", ["test_post_object"]),
    ("versioning", ["test_versioning", "test_versioned", "test_bucket_list_return_data_versioning"]),
    ("headers_auth", ["test_object_create_bad", "test_bucket_create_bad", "test_bucket_put_bad",
                      "test_object_put_bad"]),
    ("conditional", ["test_get_object_if", "test_put_object_if", "test_object_if",
                     "test_copy_object_if", "test_get_object_ifmatch", "test_get_object_ifnonematch",
                     "test_get_object_ifmodified", "test_get_object_ifunmodified",
                     "test_put_object_ifmatch", "test_put_object_ifnonmatch",
                     "test_delete_object_if"]),
    ("bucket_policy", ["test_bucket_policy", "test_get_bucket_policy", "test_bucketv2_policy",
                       "test_get_obj", "test_put_obj", "test_delete_bucket_policy"]),
    ("public_access_block", ["test_get_public_block", "test_put_public_block",
                             "test_block_public", "test_ignore_public", "test_get_default_public",
                             "test_put_get_delete_public_block", "test_get_nonpublicpolicy",
                             "test_get_publicpolicy", "test_get_undefined_public"]),
    ("lifecycle", ["test_lifecycle"]),
    ("cors", ["test_cors", "test_set_cors", "test_get_cors"]),
    ("tagging", ["test_get_obj_tagging", "test_put_obj_tagging", "test_delete_obj_tagging",
                 "test_put_max_tags", "test_put_excess", "test_put_modify_tags",
                 "test_put_delete_tags", "test_set_bucket_tagging", "test_bucket_tagging",
                 "test_put_tags", "test_get_tags", "test_tagging"]),
    ("copy", ["test_object_copy", "test_copy"]),
    ("checksum", ["test_object_checksum", "test_multipart_checksum", "test_checksum"]),
    ("object_attributes", ["test_get_object_attributes", "test_get_versioned_object_attributes",
                           "test_get_sse_c_encrypted_object_attributes",
                           "test_get_paginated_multipart_object_attributes",
                           "test_get_single_multipart_object_attributes",
                           "test_get_checksum_object_attributes"]),
    ("presigned", ["test_presigned", "test_object_presigned"]),
    ("ownership", ["test_create_bucket_no_ownership", "test_create_bucket_bucket_owner",
                   "test_put_bucket_ownership", "test_get_bucket_ownership",
                   "test_bucket_ownership"]),
    ("ranged", ["test_ranged"]),
    ("object_ops", ["test_object", "test_put_object", "test_get_object", "test_delete_object"]),
    ("bucket_ops", ["test_bucket", "test_buckets"]),
    ("list_buckets", ["test_list_buckets"]),
]


def group_of(name: str) -> str:
    for group, prefixes in GROUPS:
        if any(name.startswith(p) for p in prefixes):
            return group
    return "other"


def sbctl(cfg_dir, *args, stdin=None):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": cfg_dir, "SBCTL_CONFIG_DIR": cfg_dir}
    return subprocess.run([str(sbctl_path()), "--insecure", *args], env=env, input=stdin,
                          capture_output=True, text=True, check=True, timeout=60)


def provision(server, cfg_dir):
    sbctl(cfg_dir, "alias", "set", "s", server.url("").rstrip("/"), *MAIN_KEY)
    policy = Path(cfg_dir) / "alt-policy.json"
    policy.write_text(json.dumps(ALT_POLICY))
    sbctl(cfg_dir, "policy", "create", "s", "s3tests-other", str(policy))
    keys = {}
    for user in ("alt", "tenant"):
        sbctl(cfg_dir, "user", "add", "s", user)
        sbctl(cfg_dir, "policy", "attach", "s", "s3tests-other", "--user", user)
        out = sbctl(cfg_dir, "key", "create", "s", user, "--json").stdout
        doc = json.loads(out)
        keys[user] = (doc["accessKey"], doc["secretKey"])
    for key in ("testkey-1", "testkey-2"):
        sbctl(cfg_dir, "kms", "key", "create", "s", key)
    return keys


def owner_of(server, access, secret):
    client = server.boto3_client(access_key=access, secret_key=secret)
    owner = client.list_buckets()["Owner"]
    return owner.get("ID", ""), owner.get("DisplayName", "")


def write_conf(path, server, keys, owners, lc_day):
    host = "localhost"
    port = server.port
    sections = [f"""[DEFAULT]
host = {host}
port = {port}
is_secure = True
ssl_verify = False

[fixtures]
bucket prefix = s3t-{{random}}-
iam name prefix = s3-tests-
iam path prefix = /s3-tests/
"""]
    for name, (access, secret) in (("main", MAIN_KEY), ("alt", keys["alt"]),
                                   ("tenant", keys["tenant"])):
        uid, display = owners[name]
        extra = ("kms_keyid = testkey-1\nkms_keyid2 = testkey-2\napi_name =\n"
                 f"lc_debug_interval = {lc_day}\n") if name == "main" else ""
        extra += "tenant = testx\n" if name == "tenant" else ""
        sections.append(f"""[s3 {name}]
display_name = {display}
user_id = {uid}
email = {name}@example.com
access_key = {access}
secret_key = {secret}
{extra}""")
    # The suite insists on these sections even when no IAM test runs; they are unused.
    for name in ("iam", "iam root", "iam alt root"):
        sections.append(f"""[{name}]
email = {name.replace(' ', '-')}@example.com
user_id = unused
access_key = {random_access_key()}
secret_key = {random_secret_key()}
display_name = unused
""")
    Path(path).write_text("\n".join(sections))


def pytest_cmd(suite, junit, extra, single=False):
    markers = ("not (fails_on_aws or bucket_logging or bucket_logging_cleanup"
               " or fails_without_logging_rollover or lifecycle_transition or cloud_transition"
               " or cloud_restore or iam_account or iam_user or iam_cross_account or iam_role"
               " or iam_tenant or sns or s3select or webidentity_test or test_of_sts)")
    # The pyenv interpreter keeps its current boto3; Debian's pytest, xdist, timeout, lxml,
    # munch, isodate ... come after it on the path (both are CPython 3.11).
    boot = ("import sys; sys.path.append('/usr/lib/python3/dist-packages'); import pytest; "
            "sys.exit(pytest.main(sys.argv[1:]))")
    cmd = [sys.executable, "-c", boot, "-p", "no:cacheprovider", "-q", "-rN", os.environ.get("TB", "--tb=line"),
           "-o", "junit_family=xunit1", f"--junitxml={junit}", "-m", markers,
           "--timeout=180", "-n", os.environ.get("JOBS", "2"), "--dist", "load"]
    for f in ("test_iam.py", "test_sts.py", "test_sns.py", "test_s3select.py"):
        cmd += ["--deselect", f"s3tests/functional/{f}"]
    for t in ("test_bucket_policy_tenanted_bucket", "test_bucket_policy_different_tenant"):
        cmd += ["--deselect", f"s3tests/functional/test_s3.py::{t}"]
    if single:
        return cmd[:cmd.index("-n")] + ["-p", "no:xdist"] + list(extra)
    return cmd + list(extra) + ["s3tests/functional"]


def summarize(junits):
    counts = collections.defaultdict(collections.Counter)
    failed = []
    cases = [c for j in junits for c in ET.parse(j).getroot().iter("testcase")]
    for case in cases:
        name = case.get("name", "").split("[")[0]
        group = group_of(name)
        if case.find("skipped") is not None:
            outcome = "skip"
        elif case.find("failure") is not None or case.find("error") is not None:
            outcome = "fail"
            failed.append(name)
        else:
            outcome = "pass"
        counts[group][outcome] += 1
    lines = [f"  {'group':<22}{'total':>7}{'pass':>7}{'fail':>7}{'skip':>7}{'pass%':>8}"]
    total = collections.Counter()
    for group, c in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        total.update(c)
        lines.append(f"  {group:<22}{n:>7}{c['pass']:>7}{c['fail']:>7}{c['skip']:>7}"
                     f"{100.0 * c['pass'] / n:>8.1f}")
    n = sum(total.values())
    lines.append(f"  {'all':<22}{n:>7}{total['pass']:>7}{total['fail']:>7}{total['skip']:>7}"
                 f"{100.0 * total['pass'] / max(n, 1):>8.1f}")
    return "\n".join(lines), total, sorted(failed)


def main(argv):
    if len(argv) < 2 or not (Path(argv[1]) / "s3tests" / "functional").is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    suite = Path(argv[1]).resolve()
    out = Path(os.environ.get("OUT_DIR") or tempfile.mkdtemp(prefix="sb-s3tests-"))
    out.mkdir(parents=True, exist_ok=True)
    day = os.environ.get("LC_DEBUG_DAY_SECONDS", "10")
    extra_args = ["--kms-key-file", str(out / "kms.key")]
    (out / "kms.key").write_text(subprocess.run(["openssl", "rand", "-base64", "32"],
                                                capture_output=True, text=True,
                                                check=True).stdout)
    os.chmod(out / "kms.key", 0o600)
    help_text = subprocess.run([str(binary_path()), "--help"],
                               capture_output=True, text=True).stdout
    if "--lifecycle-day-seconds" in help_text:
        extra_args += ["--lifecycle-day-seconds", day, "--lifecycle-interval", "1"]
    server = StrongboxServer(access_key=MAIN_KEY[0], secret_key=MAIN_KEY[1], tls=True,
                             work_dir=out / "server", extra_args=extra_args)
    server.start()
    try:
        cfg_dir = str(out / "sbctl")
        os.makedirs(cfg_dir, exist_ok=True)
        keys = provision(server, cfg_dir)
        owners = {"main": owner_of(server, *MAIN_KEY), "alt": owner_of(server, *keys["alt"]),
                  "tenant": owner_of(server, *keys["tenant"])}
        conf = out / "s3tests.conf"
        write_conf(conf, server, keys, owners, day)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"S3TEST_CONF": str(conf), "AWS_CONFIG_FILE": str(out / "aws-config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(out / "aws-credentials"),
                    "AWS_EC2_METADATA_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1",
                    # raw-socket tests verify TLS with the default context: trust the test CA
                    "SSL_CERT_FILE": str(server.ca_cert),
                    # and so do the requests-based POST tests that pass no `verify`
                    "REQUESTS_CA_BUNDLE": str(server.ca_cert)})
        junit = out / "junit.xml"
        serial = out / "junit-serial.xml"
        first = "s3tests/functional/test_s3.py::test_list_buckets_paginated"
        with open(out / "pytest.log", "w") as log:
            # It assumes main owns no other bucket, so it runs alone, first.
            if not argv[2:]:
                subprocess.run(pytest_cmd(suite, serial, [first], single=True), cwd=suite,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
            subprocess.run(pytest_cmd(suite, junit, ["--deselect", first] + argv[2:]),
                           cwd=suite, env=env, stdout=log, stderr=subprocess.STDOUT)
    finally:
        server.stop(expect_code=None)
    if not junit.exists():
        print(f"s3-tests: pytest wrote no results; see {out / 'pytest.log'}", file=sys.stderr)
        return 2
    table, total, failed = summarize([p for p in (serial, junit) if p.exists()])
    snapshot = (suite / ".snapshot-commit").read_text().strip()[:12] \
        if (suite / ".snapshot-commit").exists() else "unknown"
    report = f"s3-tests snapshot {snapshot}, profile core, results in {out}\n{table}\n"
    (out / "summary.txt").write_text(report + "\nfailed:\n" + "\n".join(failed) + "\n")
    print(report)
    print(f"s3-tests: {total['pass']} passed, {total['fail']} failed, {total['skip']} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
