"""deploy/helm/strongbox: the chart renders and its objects are what Kubernetes and the
server expect.

No Helm binary can be installed here, so tools/helmrender (Go text/template plus the Helm
and Sprig functions the chart uses, same names and signatures) renders it, in strict mode
(a reference to a missing value fails). The test renders the default values and two other
value sets, lints the static YAML and every rendering with yamllint, and checks each object:
known kind/apiVersion, name and labels, required fields per kind, cross-references between
objects (selectors, ports, Secret keys, ConfigMap, ServiceMonitor target), probe and metrics
paths, PVC count = drivesPerPod, --drives matching the mounts, a non-root read-only pod, and
that env variable names and flags are the server's. Bad values must fail the render.
"""

import base64
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import deploy_common as dc  # noqa: E402

CHART = dc.DEPLOY / "helm" / "strongbox"
YAMLLINT_CONFIG = dc.DEPLOY / "helm" / ".yamllint"
RENDERER_SRC = dc.REPO_ROOT / "tools" / "helmrender"
RELEASE, NAMESPACE = "sb", "storage"

KNOWN_KINDS = {
    ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Service"), ("v1", "ServiceAccount"),
    ("apps/v1", "StatefulSet"), ("policy/v1", "PodDisruptionBudget"),
    ("networking.k8s.io/v1", "Ingress"), ("monitoring.coreos.com/v1", "ServiceMonitor"),
}
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
KMS_KEY = base64.b64encode(bytes(range(32))).decode()

# Value sets besides the defaults. BIG: everything optional switched on, 8 drives, an
# existing Secret. CUSTOM: the chart's own Secret, resources, storage classes, naming and
# scheduling changed.
BIG = {
    "drivesPerPod": 8,
    "server": {"parity": 3, "region": "eu-central-1", "auditMode": "best-effort"},
    "existingSecret": "sb-credentials",
    "secretKeys": {"rootAccessKey": "ak", "rootSecretKey": "sk", "kmsRootKey": "kms"},
    "ingress": {"enabled": True, "className": "nginx",
                "annotations": {"nginx.ingress.kubernetes.io/proxy-body-size": "0"},
                "hosts": ["s3.example.internal", "objects.example.internal"],
                "tls": [{"secretName": "s3-tls", "hosts": ["s3.example.internal"]}]},
    "metrics": {"serviceMonitor": {"enabled": True, "labels": {"release": "prometheus"},
                                   "bearerTokenSecret": {"name": "sb-metrics"}}},
    "podDisruptionBudget": {"maxUnavailable": 0},
}
CUSTOM = {
    "fullnameOverride": "objects",
    "drivesPerPod": 6,
    "auth": {"rootAccessKey": "SBROOTKEY0001", "rootSecretKey": "a-secret-of-40-characters-0123456789abcd"},
    "kms": {"rootKey": KMS_KEY},
    "resources": {"requests": {"cpu": "2", "memory": "8Gi"},
                  "limits": {"cpu": "4", "memory": "16Gi"}},
    "persistence": {"drives": {"storageClass": "local-nvme", "size": "2Ti"},
                    "meta": {"storageClass": "-", "size": "50Gi"},
                    "annotations": {"backup.example/skip": "true"}},
    "service": {"type": "LoadBalancer", "port": 443, "nodePort": 30443,
                "annotations": {"lb.example/internal": "true"}},
    "serviceAccount": {"create": False, "name": "storage-sa"},
    "podDisruptionBudget": {"enabled": False},
    "server": {"port": 9100, "extraEnv": [{"name": "TZ", "value": "UTC"}]},
    "nodeSelector": {"storage": "nvme"},
    "tolerations": [{"key": "storage", "operator": "Exists", "effect": "NoSchedule"}],
    "priorityClassName": "storage-critical",
    "image": {"repository": "registry.example.internal/strongbox", "tag": "0.1.0-rc1"},
}


def deep_merge(base, over):
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def expand_drives(spec):
    """server/config.cc ExpandDrives: comma list with brace ranges /d{1...4}."""
    out = []
    for part in filter(None, spec.split(",")):
        m = re.fullmatch(r"(.*)\{(\d+)\.\.\.(\d+)\}(.*)", part)
        if not m:
            out.append(part)
            continue
        lo, hi = int(m.group(2)), int(m.group(3))
        out.extend(f"{m.group(1)}{i}{m.group(4)}" for i in range(lo, hi + 1))
    return out


class Rendering:
    def __init__(self, text, values):
        self.text = text
        self.values = values
        self.docs = [d for d in yaml.safe_load_all(text) if d is not None]
        self.sources = re.findall(r"^# Source: (\S+)$", text, re.M)

    def of_kind(self, kind):
        return [d for d in self.docs if d["kind"] == kind]

    def one(self, kind):
        found = self.of_kind(kind)
        assert len(found) == 1, f"{len(found)} {kind} objects"
        return found[0]

    def named(self, kind, name):
        found = [d for d in self.of_kind(kind) if d["metadata"]["name"] == name]
        return found[0] if found else None


class HelmChartTest(unittest.TestCase):
    renderer = None
    defaults = None

    @classmethod
    def setUpClass(cls):
        cls.defaults = yaml.safe_load((CHART / "values.yaml").read_text())
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def build_renderer(self):
        if HelmChartTest.renderer:
            return HelmChartTest.renderer
        go = dc.require_tool(self, "go")
        work = dc.work_dir()
        env = dict(os.environ, GOFLAGS="-mod=mod", GOPROXY="off", GO111MODULE="on",
                   CGO_ENABLED="0", GOCACHE=str(work / "gocache"),
                   GOPATH=str(work / "gopath"))
        out = work / "helmrender"
        r = subprocess.run([go, "build", "-o", str(out), "."], cwd=RENDERER_SRC, env=env,
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        HelmChartTest.renderer = out
        return out

    def render_raw(self, overrides=None, sets=(), notes=False):
        """(returncode, stdout, stderr) of the renderer over values.yaml + overrides."""
        renderer = self.build_renderer()
        tmp = Path(self.tmp.name)
        files = [tmp / "values.json"]
        files[0].write_text(json.dumps(self.defaults))
        if overrides:
            files.append(tmp / "override.json")
            files[1].write_text(json.dumps(overrides))
        argv = [str(renderer), "--chart", str(CHART), "--strict", "--name", RELEASE,
                "--namespace", NAMESPACE]
        for f in files:
            argv += ["--values", str(f)]
        for s in sets:
            argv += ["--set", s]
        if notes:
            argv.append("--notes")
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        return r.returncode, r.stdout, r.stderr

    def render(self, overrides=None, sets=()):
        rc, out, err = self.render_raw(overrides, sets)
        self.assertEqual(rc, 0, err)
        values = deep_merge(self.defaults, overrides or {})
        for s in sets:
            key, _, raw = s.partition("=")
            node = values
            for p in key.split(".")[:-1]:
                node = node.setdefault(p, {})
            node[key.split(".")[-1]] = int(raw) if raw.isdigit() else raw
        rendering = Rendering(out, values)
        self.yamllint_text(out)
        self.check_rendering(rendering)
        rc, notes, err = self.render_raw(overrides, sets, notes=True)
        self.assertEqual(rc, 0, err)
        self.assertIn("# Source: strongbox/templates/NOTES.txt", notes)
        return rendering

    def yamllint_text(self, text):
        tool = dc.require_tool(self, "yamllint")
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(text)
        try:
            r = subprocess.run([tool, "-f", "parsable", "-c", str(YAMLLINT_CONFIG), f.name],
                               capture_output=True, text=True, timeout=120)
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 0, f"yamllint on rendered manifests:\n{r.stdout}")

    # ----- checks of one rendering --------------------------------------------------------
    def check_rendering(self, r):
        self.assertTrue(r.docs)
        self.assertEqual(len(r.docs), len(r.sources), "one object per template file")
        seen = set()
        for d in r.docs:
            kind = (d.get("apiVersion"), d.get("kind"))
            self.assertIn(kind, KNOWN_KINDS)
            meta = d.get("metadata") or {}
            name = meta.get("name")
            self.assertTrue(name, f"{kind} without metadata.name")
            self.assertRegex(name, DNS_SUBDOMAIN)
            self.assertLessEqual(len(name), 63)
            self.assertEqual(meta.get("namespace"), NAMESPACE)
            labels = meta.get("labels") or {}
            self.assertEqual(labels.get("app.kubernetes.io/instance"), RELEASE)
            self.assertEqual(labels.get("app.kubernetes.io/managed-by"), "Helm")
            for v in labels.values():
                self.assertIsInstance(v, str)
                self.assertLessEqual(len(v), 63)
            self.assertNotIn((kind, name), seen, "duplicate object")
            seen.add((kind, name))
        checks = {"StatefulSet": self.check_statefulset, "Service": self.check_service,
                  "Secret": self.check_secret, "ConfigMap": self.check_configmap,
                  "PodDisruptionBudget": self.check_pdb, "Ingress": self.check_ingress,
                  "ServiceMonitor": self.check_servicemonitor,
                  "ServiceAccount": self.check_serviceaccount}
        for d in r.docs:
            with self.subTest(kind=d["kind"], name=d["metadata"]["name"]):
                checks[d["kind"]](d, r)

    def pod_labels(self, r):
        return r.one("StatefulSet")["spec"]["template"]["metadata"]["labels"]

    def container(self, r):
        containers = r.one("StatefulSet")["spec"]["template"]["spec"]["containers"]
        self.assertEqual(len(containers), 1)
        return containers[0]

    def assert_selects_pod(self, selector, r):
        self.assertTrue(selector)
        pod = self.pod_labels(r)
        for k, v in selector.items():
            self.assertEqual(pod.get(k), v, f"selector {selector} misses the pod {pod}")

    def check_statefulset(self, sts, r):
        v = r.values
        spec = sts["spec"]
        self.assertEqual(spec["replicas"], 1, "one node per release until cluster mode")
        self.assert_selects_pod(spec["selector"]["matchLabels"], r)
        headless = r.named("Service", spec["serviceName"])
        self.assertIsNotNone(headless, "serviceName names no rendered Service")
        self.assertEqual(headless["spec"]["clusterIP"], "None")
        pod = spec["template"]["spec"]
        c = self.container(r)
        self.assertEqual(c["name"], "strongbox")
        self.assertTrue(c["image"])
        self.assertEqual(pod["automountServiceAccountToken"], False)
        if v["serviceAccount"]["create"]:
            self.assertIsNotNone(r.named("ServiceAccount", pod["serviceAccountName"]))
        else:
            self.assertEqual(pod["serviceAccountName"], v["serviceAccount"]["name"])

        # Volumes: one claim per drive plus the metadata claim; every mount has a volume.
        claims = [t["metadata"]["name"] for t in spec["volumeClaimTemplates"]]
        self.assertEqual(len(claims), len(set(claims)))
        drive_claims = [n for n in claims if n.startswith("drive-")]
        self.assertEqual(len(drive_claims), v["drivesPerPod"])
        self.assertEqual(set(claims) - set(drive_claims), {"meta"})
        for t in spec["volumeClaimTemplates"]:
            self.assertTrue(t["spec"]["accessModes"])
            size = t["spec"]["resources"]["requests"]["storage"]
            self.assertRegex(size, r"^\d+(Ki|Mi|Gi|Ti|Pi)$")
            block = v["persistence"]["meta" if t["metadata"]["name"] == "meta" else "drives"]
            self.assertEqual(size, block["size"])
            want_class = {"": None, "-": ""}.get(block["storageClass"], block["storageClass"])
            self.assertEqual(t["spec"].get("storageClassName"), want_class)
        volumes = {vol["name"] for vol in pod.get("volumes", [])} | set(claims)
        mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
        self.assertEqual(len(mounts), len(c["volumeMounts"]))
        self.assertFalse(set(mounts) - volumes, "mounts without a volume")
        self.assertFalse(set(claims) - set(mounts), "claims that are not mounted")

        # Arguments: the server's flags; --drives expands to the drive mounts, in order.
        args = c["args"]
        flags = dict(zip(args[0::2], args[1::2]))
        self.assertEqual(len(flags) * 2, len(args))
        binary = dc.strongbox_bin()
        if binary is not None:
            self.assertFalse(set(flags) - dc.server_flags(binary), "unknown server flags")
        drives = expand_drives(flags["--drives"])
        self.assertEqual(drives, [mounts[f"drive-{i}"] for i in range(1, v["drivesPerPod"] + 1)])
        self.assertLessEqual(len(drives), 16)
        self.assertEqual(flags["--meta"], mounts["meta"])
        host, port = flags["--address"].rsplit(":", 1)
        self.assertEqual(host, "0.0.0.0")
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        self.assertEqual(ports, {"http": int(port)})
        self.assertEqual(int(port), v["server"]["port"])

        # Probes: the server's health endpoints on the named port.
        for probe, path in [("livenessProbe", dc.LIVE_PATH), ("readinessProbe", dc.READY_PATH),
                            ("startupProbe", dc.LIVE_PATH)]:
            get = c[probe]["httpGet"]
            self.assertEqual(get["path"], path, probe)
            self.assertIn(get["port"], ports, probe)
            self.assertGreater(c[probe]["periodSeconds"], 0)
        self.assertGreater(pod["terminationGracePeriodSeconds"], 30, "the drain takes 30 s")

        # Security: non-root, read-only root file system, no privileges.
        psc, csc = pod["securityContext"], c["securityContext"]
        self.assertIs(psc["runAsNonRoot"], True)
        self.assertNotEqual(psc["runAsUser"], 0)
        self.assertIn("fsGroup", psc, "volumes must be writable by the non-root user")
        self.assertIs(csc["readOnlyRootFilesystem"], True)
        self.assertIs(csc["allowPrivilegeEscalation"], False)
        self.assertIn("ALL", csc["capabilities"]["drop"])
        self.assertNotIn("privileged", csc)
        self.assertIn("/tmp", mounts.values(), "read-only root needs a writable /tmp")

        # Resources, scheduling and env straight from the values.
        self.assertEqual(c["resources"], v["resources"])
        for key in ("nodeSelector", "tolerations", "affinity"):
            self.assertEqual(pod.get(key, type(v[key])()), v[key])
        known_env = dc.server_env_names()
        extra = {e["name"] for e in v["server"]["extraEnv"]}
        env = {e["name"]: e for e in c.get("env", [])}
        self.assertFalse(set(env) - known_env - extra, "env the server does not read")
        for e in env.values():
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                self.assert_secret_has(ref["name"], ref["key"], r)
        creds = {"STRONGBOX_ROOT_ACCESS_KEY", "STRONGBOX_ROOT_SECRET_KEY"}
        self.assertIn(len(creds & set(env)), (0, 2), "both root credentials or neither")
        if v["existingSecret"] or v["auth"]["rootAccessKey"]:
            self.assertLessEqual(creds, set(env))
        if v["existingSecret"] or v["kms"]["rootKey"]:
            self.assertIn("STRONGBOX_KMS_KEY", env)
        for src in c["envFrom"]:
            self.assertIsNotNone(r.named("ConfigMap", src["configMapRef"]["name"]))

    def assert_secret_has(self, name, key, r):
        if name == r.values["existingSecret"]:
            self.assertIn(key, r.values["secretKeys"].values())
            self.assertIsNone(r.named("Secret", name), "existingSecret must not be rendered")
            return
        secret = r.named("Secret", name)
        self.assertIsNotNone(secret, f"env refers to Secret {name}, which is not rendered")
        self.assertIn(key, secret["data"])

    def check_service(self, svc, r):
        spec = svc["spec"]
        self.assert_selects_pod(spec["selector"], r)
        container_ports = {p["name"] for p in self.container(r)["ports"]}
        self.assertTrue(spec["ports"])
        for p in spec["ports"]:
            self.assertIsInstance(p["port"], int)
            self.assertIn(p["targetPort"], container_ports)
            self.assertRegex(p["name"], DNS_LABEL)
        self.assertRegex(svc["metadata"]["name"], DNS_LABEL)
        if spec.get("clusterIP") != "None":
            self.assertEqual(spec["type"], r.values["service"]["type"])
            self.assertEqual(spec["ports"][0]["port"], r.values["service"]["port"])

    def check_secret(self, secret, r):
        self.assertEqual(secret["type"], "Opaque")
        self.assertFalse(r.values["existingSecret"])
        for k, val in secret["data"].items():
            self.assertRegex(k, r"^[-._a-zA-Z0-9]+$")
            decoded = base64.b64decode(val, validate=True).decode()
            self.assertTrue(decoded)
        if "kms-root-key" in secret["data"]:
            raw = base64.b64decode(base64.b64decode(secret["data"]["kms-root-key"]))
            self.assertEqual(len(raw), 32)

    def check_configmap(self, cm, r):
        data = cm["data"]
        self.assertFalse(set(data) - dc.server_env_names(), "settings the server does not read")
        for val in data.values():
            self.assertIsInstance(val, str)
        self.assertEqual(data["STRONGBOX_REGION"], r.values["server"]["region"])
        self.assertEqual(data["STRONGBOX_AUDIT_MODE"], r.values["server"]["auditMode"])
        parity = r.values["server"]["parity"]
        self.assertEqual(data.get("STRONGBOX_PARITY"), None if parity is None else str(parity))

    def check_pdb(self, pdb, r):
        spec = pdb["spec"]
        self.assertEqual(len({"minAvailable", "maxUnavailable"} & set(spec)), 1)
        self.assert_selects_pod(spec["selector"]["matchLabels"], r)

    def check_ingress(self, ing, r):
        spec = ing["spec"]
        self.assertEqual([rule["host"] for rule in spec["rules"]], r.values["ingress"]["hosts"])
        for rule in spec["rules"]:
            for path in rule["http"]["paths"]:
                self.assertIn(path["pathType"], ("Prefix", "Exact", "ImplementationSpecific"))
                backend = path["backend"]["service"]
                svc = r.named("Service", backend["name"])
                self.assertIsNotNone(svc)
                self.assertIn(backend["port"]["name"], [p["name"] for p in svc["spec"]["ports"]])

    def check_servicemonitor(self, sm, r):
        spec = sm["spec"]
        selected = [s for s in r.of_kind("Service")
                    if all(s["metadata"]["labels"].get(k) == v
                           for k, v in spec["selector"]["matchLabels"].items())]
        self.assertEqual(len(selected), 1, "scrape the client Service only, not the headless")
        self.assertNotEqual(selected[0]["spec"].get("clusterIP"), "None")
        self.assertEqual(spec["namespaceSelector"]["matchNames"], [NAMESPACE])
        for ep in spec["endpoints"]:
            self.assertEqual(ep["path"], dc.METRICS_PATH)
            self.assertIn(ep["port"], [p["name"] for p in selected[0]["spec"]["ports"]])
            auth = ep["authorization"]
            self.assertEqual(auth["type"], "Bearer")
            want = r.values["metrics"]["serviceMonitor"]["bearerTokenSecret"]
            self.assertEqual(auth["credentials"], want)

    def check_serviceaccount(self, sa, r):
        self.assertIs(sa["automountServiceAccountToken"], False)

    # ----- the tests -----------------------------------------------------------------------
    def test_static_yaml_lints(self):
        tool = dc.require_tool(self, "yamllint")
        r = subprocess.run([tool, "-f", "parsable", "-c", str(YAMLLINT_CONFIG),
                            str(CHART / "values.yaml"), str(CHART / "Chart.yaml"),
                            str(YAMLLINT_CONFIG)], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_chart_metadata(self):
        chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
        self.assertEqual(chart["apiVersion"], "v2")
        self.assertEqual(chart["name"], CHART.name)
        self.assertEqual(chart["type"], "application")
        self.assertRegex(chart["version"], r"^\d+\.\d+\.\d+$")
        server_version = re.search(r'kVersion\[\] = "([^"]+)"',
                                   (dc.REPO_ROOT / "server" / "server.cc").read_text())
        self.assertEqual(chart["appVersion"], server_version.group(1))

    def test_values_are_documented_and_used(self):
        lines = (CHART / "values.yaml").read_text().splitlines()
        key_re = re.compile(r"^(\s*)([A-Za-z][A-Za-z0-9]*):")
        templates = "\n".join(p.read_text() for p in (CHART / "templates").iterdir())

        def indent(line):
            return len(line) - len(line.lstrip())

        def documented(i):
            for j in range(i - 1, -1, -1):
                line = lines[j]
                if not line.strip() or line.strip() == "---":
                    return False
                if indent(line) < indent(lines[i]):
                    return documented(j)
                if indent(line) == indent(lines[i]) and line.lstrip().startswith("#"):
                    return True
            return False

        # A field is used when a template reads it by name, or hands one of its parents
        # to toYaml whole (e.g. resources, podSecurityContext, probe timings).
        whole = set(re.findall(r"(?:toYaml|with) \.Values\.([A-Za-z.]+)", templates))
        path = []
        for i, line in enumerate(lines):
            m = key_re.match(line)
            if not m:
                continue
            depth = len(m.group(1)) // 2
            path = path[:depth] + [m.group(2)]
            with self.subTest(key=".".join(path), line=i + 1):
                self.assertTrue(documented(i), "values.yaml field without a comment")
                parents = {".".join(path[:n]) for n in range(1, len(path))}
                used = re.search(r"\." + m.group(2) + r"\b", templates) or parents & whole
                self.assertTrue(used, "value never used by a template")
        self.assertRegex("\n".join(lines[:12]), r"(?i)one node per release")

    def test_default_values(self):
        r = self.render()
        kinds = sorted(d["kind"] for d in r.docs)
        self.assertEqual(kinds, ["ConfigMap", "PodDisruptionBudget", "Service", "Service",
                                 "ServiceAccount", "StatefulSet"])
        # No credentials or KMS key given: no Secret, the server generates both.
        self.assertNotIn("env", self.container(r))
        self.assertEqual(r.one("StatefulSet")["metadata"]["name"], "sb-strongbox")

    def test_eight_drives_ingress_servicemonitor_existing_secret(self):
        r = self.render(BIG)
        kinds = sorted(d["kind"] for d in r.docs)
        self.assertEqual(kinds, ["ConfigMap", "Ingress", "PodDisruptionBudget", "Service",
                                 "Service", "ServiceAccount", "ServiceMonitor", "StatefulSet"])
        self.assertIn("--drives", self.container(r)["args"])
        self.assertIn("/drives/d{1...8}", self.container(r)["args"])
        self.assertEqual(r.one("Ingress")["spec"]["ingressClassName"], "nginx")
        self.assertEqual(r.one("ServiceMonitor")["metadata"]["labels"]["release"], "prometheus")
        self.assertEqual(r.one("PodDisruptionBudget")["spec"]["maxUnavailable"], 0)

    def test_custom_resources_storage_and_own_secret(self):
        r = self.render(CUSTOM)
        self.assertEqual(r.one("StatefulSet")["metadata"]["name"], "objects")
        secret = r.one("Secret")
        self.assertEqual(set(secret["data"]), {"root-access-key", "root-secret-key",
                                               "kms-root-key"})
        self.assertEqual(r.of_kind("ServiceAccount"), [])
        self.assertEqual(r.of_kind("PodDisruptionBudget"), [])
        svc = r.named("Service", "objects")
        self.assertEqual(svc["spec"]["ports"][0]["nodePort"], 30443)
        self.assertEqual(self.container(r)["image"], "registry.example.internal/strongbox:0.1.0-rc1")

    def test_set_overrides(self):
        r = self.render(sets=["drivesPerPod=1", "persistence.drives.size=5Gi"])
        self.assertIn("/drives/d{1...1}", self.container(r)["args"])

    def test_config_change_rolls_the_pod(self):
        a = self.render()
        b = self.render({"server": {"region": "eu-west-1"}})
        key = "checksum/config"
        pod = lambda r: r.one("StatefulSet")["spec"]["template"]["metadata"]["annotations"]
        self.assertNotEqual(pod(a)[key], pod(b)[key])

    def test_bad_values_fail_the_render(self):
        cases = {
            "drivesPerPod": {"drivesPerPod": 17},
            "drivesPerPod must be": {"drivesPerPod": 0},
            "server.parity": {"server": {"parity": 3}},
            "parity must be": {"server": {"parity": -1}},
            "auditMode": {"server": {"auditMode": "sometimes"}},
            "set both": {"auth": {"rootAccessKey": "SBROOT"}},
            "rootSecretKey must": {"auth": {"rootAccessKey": "SBROOT", "rootSecretKey": "short"}},
            "kms.rootKey": {"kms": {"rootKey": "not-a-key"}},
            "bearerTokenSecret": {"metrics": {"serviceMonitor": {"enabled": True}}},
        }
        for message, overrides in cases.items():
            with self.subTest(message=message):
                rc, _, err = self.render_raw(overrides)
                self.assertNotEqual(rc, 0)
                self.assertIn(message, err)
        # Strict mode: a value the templates read but values.yaml lacks is an error.
        broken = copy.deepcopy(self.defaults)
        del broken["server"]["region"]
        self.defaults, saved = broken, self.defaults
        try:
            rc, _, err = self.render_raw()
        finally:
            self.defaults = saved
        self.assertNotEqual(rc, 0)
        self.assertIn("region", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
