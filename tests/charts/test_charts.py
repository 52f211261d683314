"""Offline checks of the Helm charts in charts/.

Every chart is linted, the umbrella chart and each workload chart are
rendered with default values, with every optional object switched on and with
the development values, and each rendered object is validated against the
Kubernetes API schemas (kubernetes-validate, strict: unknown fields fail).
Then the behaviour the platform relies on is asserted: native gRPC probes,
migrations as a pre-install/pre-upgrade hook, secrets by reference (only the
signing Secret is generated, as a hook before the migrations), the services
finding the gateway's identity module, NATS acknowledging only synced writes,
dashboards for the platform's metrics.

No cluster, no network and no helm binary: helm-python-sdk (Helm v4 built into
a shared library) builds the file:// dependencies in a temporary copy of
charts/, lints and renders.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate import utils as kv_utils

REPO = Path(__file__).resolve().parents[2]
CHARTS = REPO / "charts"
RELEASE = "crm"
NAMESPACE = "crm"
# Oldest Kubernetes the charts support (native gRPC probes are GA since 1.27,
# autoscaling/v2 and policy/v1 long before), and the newest schemas shipped.
KUBE_VERSIONS = ("1.30.0", kv_utils.latest_version())
# Custom resources: no upstream schema, so they are the only objects left unvalidated.
CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}

Manifest = dict[str, Any]


def _workloads() -> list[str]:
    """Workload charts, as listed by the umbrella chart (the Tiltfile reads the same list)."""
    meta = yaml.safe_load((CHARTS / "crm" / "Chart.yaml").read_text())
    return [dep["name"] for dep in meta["dependencies"]]


WORKLOADS = _workloads()
SERVICES = [name for name in WORKLOADS if name != "gateway"]
ALL_CHARTS = ["crm-service", *WORKLOADS, "crm"]

EVERYTHING_ON_WORKLOAD: dict[str, Any] = {
    "autoscaling": {"enabled": True, "targetMemoryUtilizationPercentage": 80},
    "pdb": {"enabled": True},
    "serviceMonitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
}
EVERYTHING_ON: dict[str, dict[str, Any]] = {
    **{name: EVERYTHING_ON_WORKLOAD for name in WORKLOADS},
    "gateway": {
        **EVERYTHING_ON_WORKLOAD,
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "hosts": [{"host": "crm.example.com", "paths": [{"path": "/"}]}],
        },
    },
    "nats": {"enabled": True, "replicas": 3},
    "dashboards": {"enabled": True, "annotations": {"grafana_folder": "CRM"}},
}
DEV_VALUES = helm.values_from_yaml((CHARTS / "crm" / "values-dev.yaml").read_text())
# A workload chart installed on its own must be told which signing Secret to read.
STANDALONE: dict[str, Any] = {"signingSecret": {"existingSecret": "platform-signing"}}
SIGNING_SECRET = f"{RELEASE}-signing"
UMBRELLA_SCENARIOS = {"defaults": {}, "everything-on": EVERYTHING_ON, "dev": DEV_VALUES}


# --- building and rendering -----------------------------------------------------


def _file_dependencies(chart_dir: Path) -> list[str]:
    meta = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    return [
        Path(dep["repository"].removeprefix("file://")).name
        for dep in meta.get("dependencies") or []
        if dep["repository"].startswith("file://")
    ]


@pytest.fixture(scope="session")
def charts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of charts/ with every file:// dependency built, leaves first.

    `helm dependency build` packages each dependency as it is on disk, so a
    workload chart must have its library packaged before the umbrella chart
    packages the workload chart.
    """
    root = tmp_path_factory.mktemp("charts")
    shutil.copytree(CHARTS, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.tgz", "Chart.lock"))
    built: set[str] = set()

    def build(name: str) -> None:
        if name in built:
            return
        for dep in _file_dependencies(root / name):
            build(dep)
        shutil.rmtree(root / name / "charts", ignore_errors=True)
        if _file_dependencies(root / name):
            helm.dependency_build(root / name, skip_refresh=True)
        built.add(name)

    for name in ALL_CHARTS:
        build(name)
    return root


class _NoDuplicateKeysLoader(yaml.SafeLoader):
    """The API server rejects duplicate keys (e.g. a label set twice); PyYAML would keep the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
        if duplicates:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


@functools.cache
def _render_cached(chart_dir: Path, values_json: str) -> tuple[Manifest, ...]:
    with helm.Chart.load(chart_dir) as chart:
        rendered = chart.render(json.loads(values_json), name=RELEASE, namespace=NAMESPACE, is_install=True)
    objects: list[Manifest] = []
    for source, text in sorted(rendered.items()):
        if source.endswith("NOTES.txt"):
            continue
        for doc in yaml.load_all(text, Loader=_NoDuplicateKeysLoader):
            if doc:
                objects.append(doc)
    return tuple(objects)


def render(charts_dir: Path, chart: str, values: dict[str, Any] | None = None) -> list[Manifest]:
    """Render `chart` offline as release `crm`; returns the objects (deep copies)."""
    objects = _render_cached(charts_dir / chart, json.dumps(values or {}, sort_keys=True))
    return json.loads(json.dumps(objects))


def find(objects: list[Manifest], kind: str, name: str | None = None) -> list[Manifest]:
    return [o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def one(objects: list[Manifest], kind: str, name: str) -> Manifest:
    found = find(objects, kind, name)
    assert len(found) == 1, f"expected one {kind} {name}, found {[o['metadata']['name'] for o in find(objects, kind)]}"
    return found[0]


def container(workload: Manifest) -> Manifest:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def env_of(c: Manifest) -> dict[str, Manifest]:
    return {e["name"]: e for e in c.get("env", [])}


def pod_specs(objects: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    for o in objects:
        if o["kind"] in ("Deployment", "StatefulSet", "Job"):
            yield f"{o['kind']}/{o['metadata']['name']}", o["spec"]["template"]["spec"]


@pytest.fixture(scope="session", autouse=True)
def _cached_kubernetes_schemas() -> Iterator[None]:
    """kubernetes-validate re-reads its (1-2 MB) schema files per object: read each once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kv_utils, "schema_contents", functools.cache(kv_utils.schema_contents))
        yield


# --- lint and schemas -------------------------------------------------------------


@pytest.mark.parametrize("chart", ALL_CHARTS)
def test_chart_lints_without_warnings(charts_dir: Path, chart: str) -> None:
    report = helm.lint(charts_dir / chart, strict=True, with_subcharts=True, kube_version="v" + KUBE_VERSIONS[0])
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert not report["errors"] and not problems, report


def test_umbrella_lints_with_everything_enabled(charts_dir: Path) -> None:
    report = helm.lint(charts_dir / "crm", EVERYTHING_ON, strict=True, with_subcharts=True)
    assert not report["errors"] and not [m for m in report["messages"] if m["severity"] >= 2], report


def _validate(objects: list[Manifest]) -> None:
    seen: set[tuple[str, str]] = set()
    for o in objects:
        ident = (o["kind"], o["metadata"]["name"])
        assert ident not in seen, f"{ident} rendered twice"
        seen.add(ident)
        assert o["metadata"].get("namespace") in (None, NAMESPACE)
        if (o["apiVersion"], o["kind"]) in CRD_KINDS:
            continue
        for version in KUBE_VERSIONS:
            try:
                kubernetes_validate.validate(o, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                path = ".".join(str(p) for p in exc.path)
                pytest.fail(
                    f"{o['kind']}/{o['metadata']['name']} invalid for Kubernetes {version}: {path}: {exc.message}"
                )


@pytest.mark.parametrize("scenario", UMBRELLA_SCENARIOS)
def test_umbrella_renders_valid_kubernetes_objects(charts_dir: Path, scenario: str) -> None:
    objects = render(charts_dir, "crm", UMBRELLA_SCENARIOS[scenario])
    _validate(objects)
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "Service", "Job"} <= kinds
    assert len(find(objects, "Deployment")) == len(WORKLOADS)


@pytest.mark.parametrize("everything_on", [False, True], ids=["defaults", "everything-on"])
@pytest.mark.parametrize("chart", WORKLOADS)
def test_workload_chart_renders_valid_kubernetes_objects(charts_dir: Path, chart: str, everything_on: bool) -> None:
    values = {**(EVERYTHING_ON[chart] if everything_on else {}), **STANDALONE}
    objects = render(charts_dir, chart, values)
    _validate(objects)
    one(objects, "Deployment", f"{RELEASE}-{chart}")
    one(objects, "Service", f"{RELEASE}-{chart}")
    assert not find(objects, "Secret"), "only the umbrella chart generates the signing Secret"


@pytest.mark.parametrize("chart", WORKLOADS)
def test_workload_chart_on_its_own_requires_a_named_signing_secret(charts_dir: Path, chart: str) -> None:
    with pytest.raises(helm.HelmRenderError, match=r"signingSecret\.existingSecret .*is required: name the Secret"):
        render(charts_dir, chart)


def test_workload_charts_share_one_values_schema() -> None:
    schemas = {name: (CHARTS / name / "values.schema.json").read_text() for name in WORKLOADS}
    assert len(set(schemas.values())) == 1, "charts/<workload>/values.schema.json differ: copy one to the others"


@pytest.mark.parametrize(
    "bad",
    [
        {"replicaCount": "x"},
        {"replicas": 3},  # a typo is not silently ignored
        {"probes": {"type": "tcp"}},
        {"ports": {"grpc": {"port": 70000}}},
        {"secretEnv": {"CRM_EXTRA_URL": {"key": "url"}}},
        {"internalToken": {"existingSecret": "crm-internal"}},  # renamed to signingSecret
        {"signingSecret": {"name": "crm-signing"}},
    ],
    ids=[
        "replicaCount-not-int",
        "unknown-key",
        "probe-type",
        "port-range",
        "secret-without-name",
        "old-internalToken",
        "signingSecret-unknown-key",
    ],
)
def test_values_schema_rejects_bad_values(charts_dir: Path, bad: dict[str, Any]) -> None:
    with helm.Chart.load(charts_dir / "contacts") as chart:
        chart.validate_schema(chart.merge_values({}))  # the defaults pass
        with pytest.raises(helm.HelmValuesError):
            chart.validate_schema(chart.merge_values(bad))
    # Rendering (what install and template do) refuses them too, through the umbrella chart.
    with pytest.raises(helm.HelmValuesError, match="contacts"):
        render(charts_dir, "crm", {"contacts": bad})


@pytest.mark.parametrize(
    "bad",
    [
        {"nats": {"enabled": True, "replicas": 2}},
        {"global": {"internalToken": {"existingSecret": "crm-internal", "key": "token"}}},
        {"global": {"signingSecret": {"jwtSecretKey": ""}}},
        {"global": {"signingSecret": {"generate": "yes"}}},
    ],
    ids=["two-nats-replicas", "old-internalToken", "empty-key-name", "generate-not-bool"],
)
def test_umbrella_schema_rejects_bad_values(charts_dir: Path, bad: dict[str, Any]) -> None:
    with pytest.raises(helm.HelmValuesError):
        render(charts_dir, "crm", bad)


def test_workload_charts_only_include_the_library() -> None:
    for name in WORKLOADS:
        for template in (CHARTS / name / "templates").iterdir():
            body = re.sub(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", "", template.read_text(), flags=re.S).strip()
            assert re.fullmatch(r'(\{\{-? include "crm-service\.[a-z]+" \. -?\}\}\s*)+', body), (
                f"{template}: a workload chart only includes crm-service templates; put the YAML in the library"
            )


# --- probes ------------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_service_probes_are_native_grpc_on_the_grpc_port(charts_dir: Path, service: str) -> None:
    c = container(one(render(charts_dir, "crm"), "Deployment", f"{RELEASE}-{service}"))
    grpc_port = {p["name"]: p["containerPort"] for p in c["ports"]}["grpc"]
    if service == "contacts":
        assert grpc_port == 50051
    assert env_of(c)["CRM_GRPC_PORT"]["value"] == str(grpc_port)
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert set(c[probe]) & {"grpc", "httpGet", "exec", "tcpSocket"} == {"grpc"}, probe
        assert c[probe]["grpc"]["port"] == grpc_port, probe


def test_gateway_probes_are_http_healthz_and_readyz(charts_dir: Path) -> None:
    c = container(one(render(charts_dir, "crm"), "Deployment", f"{RELEASE}-gateway"))
    assert {p["name"]: p["containerPort"] for p in c["ports"]} == {"http": 8000, "identity": 50050}
    assert env_of(c)["CRM_GATEWAY_PORT"]["value"] == "8000"
    assert env_of(c)["CRM_GATEWAY_HOST"]["value"] == "0.0.0.0"  # not its loopback default
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert "grpc" not in c["livenessProbe"] and "grpc" not in c["readinessProbe"]


# --- migrations ----------------------------------------------------------------------


@pytest.mark.parametrize("workload", WORKLOADS)
def test_migrations_job_is_a_pre_install_and_pre_upgrade_hook(charts_dir: Path, workload: str) -> None:
    objects = render(charts_dir, "crm")
    job = one(objects, "Job", f"{RELEASE}-{workload}-migrate")
    hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
    assert hooks == {"pre-install", "pre-upgrade"}
    assert "before-hook-creation" in job["metadata"]["annotations"]["helm.sh/hook-delete-policy"]
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    migrate = container(job)
    assert migrate["command"] == ["python", "-m", f"crm_{workload}.migrate"]

    deployment = one(objects, "Deployment", f"{RELEASE}-{workload}")
    app = container(deployment)
    assert migrate["image"] == app["image"]
    assert app["command"] == ["python", "-m", f"crm_{workload}"]
    database_url = f"CRM_{workload.upper()}_DATABASE_URL"
    assert env_of(migrate)[database_url] == env_of(app)[database_url]
    # Migration pods must never be picked up as serving pods.
    job_labels = job["spec"]["template"]["metadata"]["labels"]
    for selector in (
        deployment["spec"]["selector"]["matchLabels"],
        one(objects, "Service", f"{RELEASE}-{workload}")["spec"]["selector"],
    ):
        assert not selector.items() <= job_labels.items()


def test_migrations_can_be_disabled(charts_dir: Path) -> None:
    objects = render(charts_dir, "crm", {"contacts": {"migrations": {"enabled": False}}})
    assert not find(objects, "Job", f"{RELEASE}-contacts-migrate")
    one(objects, "Job", f"{RELEASE}-gateway-migrate")


# --- scaling, disruption, monitoring ---------------------------------------------------


def test_hpa_is_off_by_default_and_replaces_fixed_replicas_when_enabled(charts_dir: Path) -> None:
    defaults = render(charts_dir, "crm")
    assert not find(defaults, "HorizontalPodAutoscaler")
    for name in WORKLOADS:
        assert one(defaults, "Deployment", f"{RELEASE}-{name}")["spec"]["replicas"] == 2

    scaled = render(charts_dir, "crm", EVERYTHING_ON)
    for name in WORKLOADS:
        hpa = one(scaled, "HorizontalPodAutoscaler", f"{RELEASE}-{name}")
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": f"{RELEASE}-{name}",
        }
        assert {m["resource"]["name"] for m in hpa["spec"]["metrics"]} == {"cpu", "memory"}
        # The HPA owns the replica count; a fixed one would fight it on every upgrade.
        assert "replicas" not in one(scaled, "Deployment", f"{RELEASE}-{name}")["spec"]


def test_pdb_is_on_by_default_and_false_in_values_turns_it_off(charts_dir: Path) -> None:
    defaults = render(charts_dir, "crm")
    for name in WORKLOADS:
        pdb = one(defaults, "PodDisruptionBudget", f"{RELEASE}-{name}")
        assert pdb["apiVersion"] == "policy/v1"
        assert pdb["spec"]["maxUnavailable"] == 1
        assert (
            pdb["spec"]["selector"]["matchLabels"]
            == one(defaults, "Deployment", f"{RELEASE}-{name}")["spec"]["selector"]["matchLabels"]
        )
    # An explicit false must win over the library's true default.
    off = render(charts_dir, "crm", {"contacts": {"pdb": {"enabled": False}}})
    assert not find(off, "PodDisruptionBudget", f"{RELEASE}-contacts")
    one(off, "PodDisruptionBudget", f"{RELEASE}-gateway")


def test_service_monitor_is_off_by_default_and_scrapes_the_metrics_port(charts_dir: Path) -> None:
    assert not find(render(charts_dir, "crm"), "ServiceMonitor")
    objects = render(charts_dir, "crm", EVERYTHING_ON)
    for name in WORKLOADS:
        monitor = one(objects, "ServiceMonitor", f"{RELEASE}-{name}")
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
        assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
        service = one(objects, "Service", f"{RELEASE}-{name}")
        assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
        (endpoint,) = monitor["spec"]["endpoints"]
        assert endpoint["path"] == "/metrics"
        port = {p["name"]: p["port"] for p in service["spec"]["ports"]}[endpoint["port"]]
        assert port == (8000 if name == "gateway" else 9100)


def test_gateway_ingress_routes_to_the_gateway_service(charts_dir: Path) -> None:
    assert not find(render(charts_dir, "crm"), "Ingress")
    ingress = one(render(charts_dir, "crm", EVERYTHING_ON), "Ingress", f"{RELEASE}-gateway")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": f"{RELEASE}-gateway", "port": {"name": "http"}}


# --- pods --------------------------------------------------------------------------------


def test_pods_run_as_non_root_with_a_read_only_root_filesystem(charts_dir: Path) -> None:
    objects = render(charts_dir, "crm", EVERYTHING_ON)
    specs = dict(pod_specs(objects))
    assert len(specs) == 2 * len(WORKLOADS) + 1  # Deployments, migration Jobs, NATS
    for ident, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, ident
        assert spec["automountServiceAccountToken"] is False, ident
        for c in spec["containers"]:
            assert c["securityContext"]["readOnlyRootFilesystem"] is True, ident
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, ident
            assert c["securityContext"]["capabilities"]["drop"] == ["ALL"], ident
            assert c["resources"]["requests"], ident


@pytest.mark.parametrize("workload", WORKLOADS)
def test_deployment_drains_gracefully_and_spreads_over_nodes(charts_dir: Path, workload: str) -> None:
    deployment = one(render(charts_dir, "crm"), "Deployment", f"{RELEASE}-{workload}")
    pod = deployment["spec"]["template"]["spec"]
    c = container(deployment)
    assert c["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"]
    assert pod["terminationGracePeriodSeconds"] > 5
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    (term,) = pod["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert term["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    assert term["podAffinityTerm"]["labelSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"]


def test_workload_values_override_library_defaults(charts_dir: Path) -> None:
    values = {
        "contacts": {
            "podAnnotations": {"example.com/team": "crm"},
            "replicaCount": 3,
            "terminationGracePeriodSeconds": 45,
            "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
            # Empty and zero values win over the library defaults too.
            "podAntiAffinity": "",
            "preStopSleepSeconds": 0,
        }
    }
    deployment = one(render(charts_dir, "crm", values), "Deployment", f"{RELEASE}-contacts")
    assert "affinity" not in deployment["spec"]["template"]["spec"]
    assert "lifecycle" not in container(deployment)
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["template"]["metadata"]["annotations"] == {"example.com/team": "crm"}
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 45
    assert container(deployment)["resources"]["requests"] == {"cpu": "1", "memory": "1Gi"}


def test_global_image_settings_reach_every_workload(charts_dir: Path) -> None:
    values = {"global": {"image": {"registry": "registry.example.com/acme", "tag": "1.2.3", "pullPolicy": "Always"}}}
    objects = render(charts_dir, "crm", values)
    for name in WORKLOADS:
        for kind, obj_name in (("Deployment", f"{RELEASE}-{name}"), ("Job", f"{RELEASE}-{name}-migrate")):
            c = container(one(objects, kind, obj_name))
            assert c["image"] == f"registry.example.com/acme/crm/{name}:1.2.3"
            assert c["imagePullPolicy"] == "Always"
    default_image = container(one(render(charts_dir, "crm"), "Deployment", f"{RELEASE}-contacts"))["image"]
    assert default_image == "crm/contacts:0.1.0"  # the chart's appVersion


# --- configuration and secrets ---------------------------------------------------------------


def secret_ref(var: Manifest) -> tuple[str, str]:
    ref = var["valueFrom"]["secretKeyRef"]
    return ref["name"], ref["key"]


def workload_containers(objects: list[Manifest], name: str) -> dict[str, Manifest]:
    """The workload's container and its migrations Job's: both must see the same settings."""
    return {
        kind: container(one(objects, kind, obj_name))
        for kind, obj_name in (("Deployment", f"{RELEASE}-{name}"), ("Job", f"{RELEASE}-{name}-migrate"))
    }


def decoded_secret(objects: list[Manifest], name: str) -> dict[str, str]:
    return {k: base64.b64decode(v).decode() for k, v in one(objects, "Secret", name)["data"].items()}


EXISTING_SIGNING = {
    "existingSecret": "{{ .Release.Name }}-keys",
    "internalSecretKey": "internal",
    "jwtSecretKey": "jwt",
}


@pytest.mark.parametrize("existing", [False, True], ids=["generated", "existing"])
def test_only_the_signing_secret_is_rendered_and_env_never_holds_a_secret(charts_dir: Path, existing: bool) -> None:
    values: dict[str, Any] = (
        {**EVERYTHING_ON, "global": {"signingSecret": EXISTING_SIGNING}} if existing else EVERYTHING_ON
    )
    objects = render(charts_dir, "crm", values)
    secrets = find(objects, "Secret")
    assert [s["metadata"]["name"] for s in secrets] == ([] if existing else [SIGNING_SECRET])
    generated = [] if existing else list(decoded_secret(objects, SIGNING_SECRET).values())
    for ident, spec in pod_specs(objects):
        for c in spec["containers"] + spec.get("initContainers", []):
            for name, var in env_of(c).items():
                if re.search(r"TOKEN|SECRET|PASSWORD|DATABASE_URL|KEY", name):
                    assert "value" not in var and "secretKeyRef" in var["valueFrom"], f"{ident}: {name}"
                assert not any(g in var.get("value", "") for g in generated), f"{ident}: {name} holds a secret"
    # Nothing but the Secret itself carries the generated values (config maps, annotations, ...).
    others = json.dumps([o for o in objects if o["kind"] != "Secret"])
    assert not [g for g in generated if g in others or base64.b64encode(g.encode()).decode() in others]

    signing = ("crm-keys", "internal") if existing else (SIGNING_SECRET, "internal-secret")
    for name in WORKLOADS:
        refs = {
            k: secret_ref(v)
            for k, v in env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}"))).items()
            if "valueFrom" in v
        }
        assert refs[f"CRM_{name.upper()}_DATABASE_URL"] == (f"crm-{name}-db", "url")
        assert refs["CRM_INTERNAL_SECRET"] == signing
    gateway = env_of(container(one(objects, "Deployment", f"{RELEASE}-gateway")))
    assert gateway["CRM_ADMIN_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
        "name": "crm-gateway",
        "key": "admin-password",
        "optional": True,
    }


@pytest.mark.parametrize("existing", [False, True], ids=["generated", "existing"])
@pytest.mark.parametrize("workload", WORKLOADS)
def test_workload_and_migrations_sign_with_the_signing_secret(charts_dir: Path, workload: str, existing: bool) -> None:
    values = {"global": {"signingSecret": EXISTING_SIGNING}} if existing else {}
    secret, internal_key, jwt_key = (
        ("crm-keys", "internal", "jwt") if existing else (SIGNING_SECRET, "internal-secret", "jwt-secret")
    )
    for kind, c in workload_containers(render(charts_dir, "crm", values), workload).items():
        env = env_of(c)
        assert secret_ref(env["CRM_INTERNAL_SECRET"]) == (secret, internal_key), kind
        assert "CRM_INTERNAL_TOKEN" not in env, kind
        if workload == "gateway":
            assert secret_ref(env["CRM_JWT_SECRET"]) == (secret, jwt_key), kind
        else:
            # A service that knew the JWT secret could mint any user's access token.
            assert "CRM_JWT_SECRET" not in env, kind


def test_generated_signing_secret_is_random_and_created_before_the_migrations(charts_dir: Path) -> None:
    objects = render(charts_dir, "crm")
    secret = one(objects, "Secret", SIGNING_SECRET)
    values = decoded_secret(objects, SIGNING_SECRET)
    assert set(values) == {"internal-secret", "jwt-secret"}
    for key, value in values.items():
        assert re.fullmatch(r"[A-Za-z0-9]{48,}", value), key  # the processes refuse fewer than 32 characters
    assert values["internal-secret"] != values["jwt-secret"]  # the gateway refuses equal ones
    # New values for every new install: nothing fixed in the chart.
    again = _render_cached.__wrapped__(charts_dir / "crm", "{}")
    assert not set(decoded_secret(list(again), SIGNING_SECRET).values()) & set(values.values())

    annotations = secret["metadata"]["annotations"]
    hooks = set(annotations["helm.sh/hook"].split(","))
    # Re-created on each install and upgrade (from what lookup finds), never deleted after it ran or on uninstall.
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation"
    assert annotations["helm.sh/resource-policy"] == "keep"
    for name in WORKLOADS:
        job = one(objects, "Job", f"{RELEASE}-{name}-migrate")["metadata"]["annotations"]
        assert set(job["helm.sh/hook"].split(",")) <= hooks, name
        assert int(annotations["helm.sh/hook-weight"]) < int(job["helm.sh/hook-weight"]), name


def test_signing_secret_keeps_the_values_it_finds(charts_dir: Path, tmp_path: Path) -> None:
    """Upgrades keep the secrets: the template hands what `lookup` found to crm.signingSecret.

    lookup answers nothing offline, so a copy of the chart hands the helper a
    Secret as lookup returns it, with one of the two keys.
    """
    template = (CHARTS / "crm" / "templates" / "signing-secret.yaml").read_text()
    assert re.search(
        r'include "crm\.signingSecret" \(list \. \(lookup "v1" "Secret" \.Release\.Namespace \$name\)\)', template
    )
    chart = tmp_path / "crm"
    shutil.copytree(charts_dir / "crm", chart)
    kept = base64.b64encode(b"k" * 40).decode()
    found = f'(dict "data" (dict "internal-secret" "{kept}"))'
    (chart / "templates" / "signing-secret.yaml").write_text('{{ include "crm.signingSecret" (list . ' + found + ") }}")
    with helm.Chart.load(chart) as loaded:
        rendered = loaded.render({}, name=RELEASE, namespace=NAMESPACE, is_upgrade=True)
    (secret,) = [o for o in yaml.safe_load_all(rendered["crm/templates/signing-secret.yaml"]) if o]
    assert secret["data"]["internal-secret"] == kept
    assert len(base64.b64decode(secret["data"]["jwt-secret"])) >= 48  # a missing key is generated


def test_an_existing_signing_secret_is_read_and_nothing_is_generated(charts_dir: Path) -> None:
    values = {
        "global": {"signingSecret": {"existingSecret": "platform-signing"}},
        "contacts": {"secretEnv": {"CRM_CONTACTS_DATABASE_URL": {"existingSecret": "pg-contacts-app", "key": "uri"}}},
    }
    objects = render(charts_dir, "crm", values)
    assert not find(objects, "Secret")
    for name in WORKLOADS:
        for kind, c in workload_containers(objects, name).items():
            refs = {secret_ref(v) for k, v in env_of(c).items() if k in ("CRM_INTERNAL_SECRET", "CRM_JWT_SECRET")}
            expected = {("platform-signing", "internal-secret")}
            if name == "gateway":
                expected.add(("platform-signing", "jwt-secret"))
            assert refs == expected, f"{kind} {name}"
    env = env_of(container(one(objects, "Deployment", f"{RELEASE}-contacts")))
    assert secret_ref(env["CRM_CONTACTS_DATABASE_URL"]) == ("pg-contacts-app", "uri")
    # Without generation, forgetting the Secret's name fails the render instead of reading a missing one.
    with pytest.raises(helm.HelmRenderError, match="is required"):
        render(charts_dir, "crm", {"global": {"signingSecret": {"generate": False}}})
    with pytest.raises(helm.HelmRenderError, match="must differ"):
        render(charts_dir, "crm", {"global": {"signingSecret": {"internalSecretKey": "k", "jwtSecretKey": "k"}}})


def test_services_find_the_identity_module_on_the_gateway_service(charts_dir: Path) -> None:
    objects = render(charts_dir, "crm")
    gateway = one(objects, "Service", f"{RELEASE}-gateway")
    (identity,) = [p for p in gateway["spec"]["ports"] if p["name"] == "identity"]
    assert identity == {
        "name": "identity",
        "port": 50050,
        "targetPort": "identity",
        "protocol": "TCP",
        "appProtocol": "grpc",
    }
    gateway_env = env_of(container(one(objects, "Deployment", f"{RELEASE}-gateway")))
    assert gateway_env["CRM_GATEWAY_GRPC_PORT"]["value"] == "50050"
    assert "CRM_IDENTITY_GRPC_TARGET" not in gateway_env  # it serves the module
    headless = one(objects, "Service", f"{RELEASE}-gateway-grpc")
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["selector"] == gateway["spec"]["selector"]
    assert headless["spec"]["ports"] == [identity]
    for name in SERVICES:
        for kind, c in workload_containers(objects, name).items():
            host, port = env_of(c)["CRM_IDENTITY_GRPC_TARGET"]["value"].rsplit(":", 1)
            assert (host, int(port)) == (f"dns:///{RELEASE}-gateway-grpc", identity["port"]), f"{kind} {name}"

    values = {"global": {"identityTarget": "{{ .Release.Name }}-identity:443"}, "deals": {"identityTarget": "id:1"}}
    objects = render(charts_dir, "crm", values)
    targets = {
        n: env_of(container(one(objects, "Deployment", f"{RELEASE}-{n}")))["CRM_IDENTITY_GRPC_TARGET"]["value"]
        for n in SERVICES
    }
    assert targets == {n: "id:1" if n == "deals" else "crm-identity:443" for n in SERVICES}


def test_gateway_announces_access_changes_over_nats(charts_dir: Path) -> None:
    env = env_of(container(one(render(charts_dir, "crm"), "Deployment", f"{RELEASE}-gateway")))
    assert env["CRM_NATS_URL"]["value"] == f"nats://{RELEASE}-nats:4222"


def test_gateway_grpc_targets_point_at_service_grpc_ports(charts_dir: Path) -> None:
    objects = render(charts_dir, "crm")
    env = env_of(container(one(objects, "Deployment", f"{RELEASE}-gateway")))
    targets = {k: v["value"] for k, v in env.items() if k.endswith("_GRPC_TARGET")}
    assert set(targets) == {f"CRM_{name.upper()}_GRPC_TARGET" for name in SERVICES}, (
        "the gateway needs a target per service"
    )
    for target in targets.values():
        # dns:/// of the headless Service: resolved to every replica, called round robin.
        assert target.startswith("dns:///"), target
        host, port = target.removeprefix("dns:///").rsplit(":", 1)
        service = one(objects, "Service", host)
        assert service["spec"]["clusterIP"] == "None", target
        assert {p["port"]: p["name"] for p in service["spec"]["ports"]}.get(int(port)) == "grpc", target
        (workload,) = [d for d in objects if d["kind"] == "Deployment" and host == d["metadata"]["name"] + "-grpc"]
        assert service["spec"]["selector"] == workload["spec"]["selector"]["matchLabels"], target


def test_settings_come_from_global_values(charts_dir: Path) -> None:
    values = {
        "global": {
            "logLevel": "DEBUG",
            "otelEndpoint": "http://otel-collector:4317",
            "natsUrl": "nats://nats.nats:4222",
        }
    }
    objects = render(charts_dir, "crm", values)
    for name in WORKLOADS:
        env = env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}")))
        assert env["CRM_LOG_LEVEL"]["value"] == "DEBUG"
        assert env["CRM_NATS_URL"]["value"] == "nats://nats.nats:4222"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"]["value"] == "http://otel-collector:4317"
        assert env["OTEL_SERVICE_NAME"]["value"] == name
    defaults = env_of(container(one(render(charts_dir, "crm"), "Deployment", f"{RELEASE}-contacts")))
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in defaults


# --- NATS --------------------------------------------------------------------------------------


def test_nats_is_opt_in(charts_dir: Path) -> None:
    objects = render(charts_dir, "crm")
    assert not find(objects, "StatefulSet")
    assert not [o for o in objects if o["metadata"]["name"].startswith(f"{RELEASE}-nats")]


def _jetstream_block(conf: str) -> str:
    match = re.search(r"^jetstream\s*\{(.*?)^\}", conf, flags=re.S | re.M)
    assert match, conf
    return match.group(1)


@pytest.mark.parametrize("replicas", [1, 3])
def test_in_chart_nats_acknowledges_only_synced_writes(charts_dir: Path, replicas: int) -> None:
    objects = render(charts_dir, "crm", {"nats": {"enabled": True, "replicas": replicas}})
    conf = one(objects, "ConfigMap", f"{RELEASE}-nats-config")["data"]["nats.conf"]
    jetstream = _jetstream_block(conf)
    assert re.search(r"^\s*sync_interval:\s*always\s*$", jetstream, flags=re.M), jetstream
    assert ("cluster {" in conf) == (replicas > 1)

    nats = one(objects, "StatefulSet", f"{RELEASE}-nats")
    assert nats["spec"]["replicas"] == replicas
    pod = nats["spec"]["template"]["spec"]
    assert {"name": "config", "configMap": {"name": f"{RELEASE}-nats-config"}} in pod["volumes"]
    c = container(nats)
    assert c["command"] == ["nats-server", "--config", "/etc/nats/nats.conf"]
    # sync_interval needs nats-server 2.10 or newer.
    version = re.match(r"(\d+)\.(\d+)", c["image"].split(":")[1])
    assert version and (int(version[1]), int(version[2])) >= (2, 10), c["image"]
    assert nats["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    assert "checksum/config" in nats["spec"]["template"]["metadata"]["annotations"]

    client = one(objects, "Service", f"{RELEASE}-nats")
    assert {p["name"]: p["port"] for p in client["spec"]["ports"]}["client"] == 4222
    for name in WORKLOADS:
        env = env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}")))
        assert env["CRM_NATS_URL"]["value"] == f"nats://{RELEASE}-nats:4222"


# --- dashboards ---------------------------------------------------------------------------------

PLATFORM_METRICS = {
    "crm_grpc_requests_total",
    "crm_grpc_request_duration_seconds_bucket",
    "crm_outbox_pending",
    "crm_outbox_oldest_pending_seconds",
    "crm_inbox_handled_total",
    "crm_consumer_failures_total",
    "crm_http_requests_total",
    "crm_http_request_duration_seconds_bucket",
}


def test_grafana_dashboard_is_shipped_for_the_sidecar_and_covers_platform_metrics(charts_dir: Path) -> None:
    (configmap,) = [o for o in find(render(charts_dir, "crm"), "ConfigMap") if "dashboard" in o["metadata"]["name"]]
    assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
    (document,) = configmap["data"].values()
    dashboard = json.loads(document)
    assert document == (CHARTS / "crm" / "dashboards" / "crm-overview.json").read_text().rstrip("\n")

    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    exprs = " ".join(t["expr"] for p in panels for t in p["targets"])
    used = set(re.findall(r"\bcrm_[a-z_]+", exprs))
    assert used >= PLATFORM_METRICS, PLATFORM_METRICS - used
    assert all(t["datasource"]["uid"] == "${datasource}" for p in panels for t in p["targets"])
    assert {v["name"] for v in dashboard["templating"]["list"]} >= {"datasource", "service"}
    # Panels must not overlap on Grafana's 24-column grid.
    cells: set[tuple[int, int]] = set()
    for p in dashboard["panels"]:
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24
        area = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not cells & area, p["title"]
        cells |= area

    assert not [
        o
        for o in find(render(charts_dir, "crm", {"dashboards": {"enabled": False}}), "ConfigMap")
        if "dashboard" in o["metadata"]["name"]
    ]
