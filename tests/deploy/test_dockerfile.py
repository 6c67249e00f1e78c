"""deploy/docker/Dockerfile: static checks (no Docker engine runs here).

- the build stage is Debian 12 and builds with deploy/install-deps.sh and
  deploy/build.sh release, the scripts CI runs;
- the runtime stage is Debian 12 slim, runs as a non-root user (the uid the Helm chart
  expects), declares the data and metadata volumes, exposes the listen port and has a
  HEALTHCHECK on /_strongbox/health/live with a tool it installs;
- every shared library that the built strongbox and sbctl link (ldd) belongs to a Debian
  package that the runtime stage installs or that those packages depend on (dpkg -S and
  the dependency closure from dpkg's database), and no package is listed for nothing;
- .dockerignore keeps build directories and .git out of the context but not the sources.
"""

import fnmatch
import os
import re
import shlex
import subprocess
import sys
import unittest
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import deploy_common as dc  # noqa: E402

DOCKERFILE = dc.DEPLOY / "docker" / "Dockerfile"
DOCKERIGNORE = dc.REPO_ROOT / ".dockerignore"
# Installed for the image's own use, not for a linked library.
TOOLS = {"curl", "ca-certificates"}


def parse_dockerfile(path):
    """[(stage_name, [(INSTRUCTION, arguments), ...]), ...] with continuations joined."""
    stages, logical, buf = [], [], ""
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        logical.append(buf + line)
        buf = ""
    for line in logical:
        instr, _, args = line.partition(" ")
        instr = instr.upper()
        if instr == "FROM":
            m = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", args.strip(), re.I)
            stages.append({"image": m.group(1), "name": m.group(2), "ops": []})
        else:
            stages[-1]["ops"].append((instr, args.strip()))
    return stages


def ops(stage, instr):
    return [a for i, a in stage["ops"] if i == instr]


def apt_packages(stage):
    pkgs = []
    for run in ops(stage, "RUN"):
        for cmd in run.split("&&"):
            words = shlex.split(cmd)
            if "apt-get" in words and "install" in words:
                after = words[words.index("install") + 1:]
                pkgs += [w for w in after if not w.startswith("-")]
    return pkgs


def env_of(stage):
    env = {}
    for args in ops(stage, "ENV"):
        for tok in shlex.split(args):
            key, _, value = tok.partition("=")
            env[key] = value
    return env


def dpkg_owners(libs):
    """{library path: Debian package shipping it}, from one dpkg-query -S call. With
    usrmerge the database may name /lib/... or /usr/lib/..., so ask for both spellings of
    the path and of its symlink target."""
    spellings = {}
    for lib in libs:
        for p in (lib, os.path.realpath(lib)):
            for c in (p, re.sub(r"^/usr/lib/", "/lib/", p), re.sub(r"^/lib/", "/usr/lib/", p)):
                spellings.setdefault(c, set()).add(lib)
    r = subprocess.run(["dpkg-query", "-S", *spellings], capture_output=True, text=True)
    owners = {}
    for line in r.stdout.splitlines():
        pkgs, _, path = line.rpartition(": ")
        for lib in spellings.get(path.strip(), ()):
            owners[lib] = pkgs.split(",")[0].split(":")[0].strip()
    return owners


def installed_depends(pkg):
    """Names in Depends and Pre-Depends of an installed package (every alternative)."""
    r = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", pkg],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    names = set()
    for clause in r.stdout.split(","):
        for alt in clause.split("|"):
            name = alt.strip().split(" ")[0].split(":")[0]
            if name:
                names.add(name)
    return names


class DockerfileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stages = parse_dockerfile(DOCKERFILE)
        cls.build, cls.runtime = cls.stages[0], cls.stages[-1]

    def test_build_stage_uses_the_ci_scripts(self):
        self.assertEqual(len(self.stages), 2)
        self.assertEqual(self.build["image"], "debian:12")
        runs = " ; ".join(ops(self.build, "RUN"))
        self.assertIn("deploy/install-deps.sh", runs)
        self.assertIn("deploy/build.sh release", runs)
        for script in ("install-deps.sh", "build.sh"):
            self.assertTrue(os.access(dc.DEPLOY / script, os.X_OK), script)
        # build.sh release builds into build/, where the runtime stage copies from.
        self.assertIn("release) dir=build;", (dc.DEPLOY / "build.sh").read_text())

    def test_runtime_stage(self):
        rt = self.runtime
        self.assertEqual(rt["image"], "debian:12-slim")
        copies = ops(rt, "COPY")
        self.assertTrue(copies)
        for c in copies:
            words = c.split()
            self.assertEqual(words[0], f"--from={self.build['name']}")
            for src in words[1:-1]:
                self.assertRegex(src, r"^/src/build/bin/(strongbox|sbctl)$")
        entry = ops(rt, "ENTRYPOINT")
        self.assertEqual(len(entry), 1)
        self.assertEqual(yaml.safe_load(entry[0]), ["/usr/local/bin/strongbox"])

        # Non-root, with the uid the Helm chart runs as.
        user = ops(rt, "USER")[-1]
        uid = user.split(":")[0]
        self.assertNotIn(uid, ("0", "root"))
        chart = yaml.safe_load((dc.DEPLOY / "helm" / "strongbox" / "values.yaml").read_text())
        self.assertEqual(int(uid), chart["podSecurityContext"]["runAsUser"])
        runs = " ".join(ops(rt, "RUN"))
        self.assertIn(f"--uid {uid}", runs)
        self.assertIn(f"--gid {chart['podSecurityContext']['runAsGroup']}", runs)

        # Settings are the server's variables; volumes hold data and metadata; the port
        # exposed is the one it listens on, and the chart's.
        env = env_of(rt)
        self.assertFalse(set(env) - dc.server_env_names())
        volumes = yaml.safe_load(ops(rt, "VOLUME")[0])
        self.assertEqual(sorted(volumes), sorted([env["STRONGBOX_DATA"], env["STRONGBOX_META"]]))
        self.assertIn(f"-o strongbox -g strongbox -m 0700 {' '.join(volumes)}", runs)
        port = env["STRONGBOX_ADDRESS"].rsplit(":", 1)[1]
        self.assertEqual(env["STRONGBOX_ADDRESS"].rsplit(":", 1)[0], "0.0.0.0")
        self.assertEqual(ops(rt, "EXPOSE"), [port])
        self.assertEqual(int(port), chart["server"]["port"])

        health = ops(rt, "HEALTHCHECK")
        self.assertEqual(len(health), 1)
        cmd = yaml.safe_load(health[0].split("CMD", 1)[1].strip())
        self.assertIn(f"http://127.0.0.1:{port}{dc.LIVE_PATH}", cmd)
        self.assertIn(cmd[0], apt_packages(rt))
        self.assertIn("-f", " ".join(cmd), "the check must fail on an HTTP error")

    def test_runtime_libraries_are_installed(self):
        binaries = [b for b in (dc.strongbox_bin(), dc.sbctl_bin()) if b is not None]
        if not binaries:
            self.skipTest("no strongbox/sbctl built (STRONGBOX_BIN, SBCTL_BIN unset)")
        listed = apt_packages(self.runtime)
        self.assertEqual(len(listed), len(set(listed)), "a package listed twice")
        libs = set()
        for b in binaries:
            out = subprocess.run(["ldd", str(b)], capture_output=True, text=True,
                                 check=True).stdout
            self.assertNotIn("not found", out)
            libs.update(re.findall(r"=> (/\S+)", out))
        owners = dpkg_owners(libs)
        needed = {}
        for lib in sorted(libs):
            self.assertIn(lib, owners, f"no Debian package ships {lib}")
            needed.setdefault(owners[lib], set()).add(Path(lib).name)
        self.assertIn("libc6", needed)  # the mapping itself works

        # What apt installs: the listed packages and everything they depend on.
        closure, todo = set(), list(listed)
        while todo:
            pkg = todo.pop()
            if pkg in closure:
                continue
            closure.add(pkg)
            deps = installed_depends(pkg)
            if deps is None:
                # Not installed on this machine (curl might not be): apt must know it.
                r = subprocess.run(["apt-cache", "show", pkg], capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, f"no Debian package {pkg}")
                continue
            todo += deps
        missing = {p: sorted(libs) for p, libs in needed.items() if p not in closure}
        self.assertFalse(missing, "libraries the runtime stage does not install")
        stray = set(listed) - set(needed) - TOOLS
        self.assertFalse(stray, "packages the binaries do not link")
        for pkg in listed:
            self.assertFalse(pkg.endswith("-dev"), pkg)

    def test_dockerignore(self):
        patterns = [p.strip() for p in DOCKERIGNORE.read_text().splitlines()
                    if p.strip() and not p.startswith("#")]

        def ignored(path):
            result = False
            for p in patterns:
                neg = p.startswith("!")
                pat = p[1:] if neg else p
                parts = path.split("/")
                prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
                if any(fnmatch.fnmatch(x, pat) or fnmatch.fnmatch(x, pat.replace("**/", ""))
                       for x in prefixes):
                    result = not neg
            return result

        for path in (".git/HEAD", "build/bin/strongbox", "build-pkg/CMakeCache.txt",
                     "tests/integration/__pycache__/x.pyc"):
            self.assertTrue(ignored(path), path)
        needed = ["CMakeLists.txt", "CMakePresets.json", "deploy/install-deps.sh",
                  "deploy/build.sh", "cmake/sb_test.cmake"]
        needed += [str(p.relative_to(dc.REPO_ROOT)) for p in dc.REPO_ROOT.glob("*/CMakeLists.txt")
                   if not p.parts[-2].startswith("build")]
        for path in needed:
            self.assertFalse(ignored(path), f"{path} is needed by the build stage")


if __name__ == "__main__":
    unittest.main(verbosity=2)
