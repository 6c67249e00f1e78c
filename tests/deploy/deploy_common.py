"""Helpers shared by the packaging tests (systemd unit, Dockerfile, Helm chart).

These tests read files under deploy/ and, where noted, run the built strongbox binary
(STRONGBOX_BIN, set by CTest) to compare what the packaging says with what the server does.
"""

import os
import re
import shutil
import unittest
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"

LIVE_PATH = "/_strongbox/health/live"
READY_PATH = "/_strongbox/health/ready"
METRICS_PATH = "/_strongbox/metrics"


def strongbox_bin():
    """The built server binary (STRONGBOX_BIN, set by CTest), or None without one."""
    return _binary("STRONGBOX_BIN")


def sbctl_bin():
    return _binary("SBCTL_BIN")


def _binary(var):
    env = os.environ.get(var)
    if not env:
        return None
    path = Path(env)
    if not path.exists():
        raise AssertionError(f"{var}={path} does not exist: build it first (deploy/build.sh)")
    return path


def work_dir() -> Path:
    """A directory for build products (the Go renderer, its caches): CTest's binary dir."""
    path = Path(os.environ.get("SB_DEPLOY_WORK") or (REPO_ROOT / "build" / "tests" / "deploy"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def require_tool(test: unittest.TestCase, name: str) -> str:
    """The tool's path. deploy/install-deps.sh installs every tool these tests use, so a
    missing one fails the test unless SB_DEPLOY_ALLOW_MISSING_TOOLS=1 (a developer machine
    that has not run install-deps); then the test is skipped."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("SB_DEPLOY_ALLOW_MISSING_TOOLS") == "1":
        test.skipTest(f"{name} is not installed")
    test.fail(f"{name} is not installed; run deploy/install-deps.sh")


def server_env_names():
    """Every STRONGBOX_* environment variable that the server's sources read."""
    names = set()
    for sub in ("server", "common", "policy", "gateway", "erasure", "metadata"):
        for path in (REPO_ROOT / sub).rglob("*"):
            if path.suffix in (".cc", ".h") and "sbctl" not in path.parts:
                names.update(re.findall(r'"(STRONGBOX_[A-Z0-9_]+)"', path.read_text()))
    return names


def server_flags(binary: Path):
    """The long flags that `strongbox --help` lists."""
    import subprocess
    out = subprocess.run([str(binary), "--help"], capture_output=True, text=True, check=True,
                         timeout=30).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", out))
