"""Offline checks of the Helm chart charts/crm.

One chart renders every workload from one template: each entry of `services:`
(the domain services of crm_core/services.toml) and the gateway, merged over
`defaults:`. The chart is linted, rendered with default values, with every
optional object switched on, with the development values and with 1 and 10
replicas of everything, and each rendered object is validated against the
Kubernetes API schemas (kubernetes-validate, strict: unknown fields fail).
Then the behaviour the platform relies on is asserted: native gRPC probes,
migrations as a pre-install/pre-upgrade hook, secrets by reference (only the
signing Secret is generated, as a hook before the migrations), the services
finding the gateway's identity module, the gateway finding every service of
the map, NATS acknowledging only synced writes, dashboards for the platform's
metrics.

No cluster, no network and no helm binary: helm-python-sdk (Helm v4 built into
a shared library) lints and renders.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path
from typing import Any

import helm_python as helm
import pytest
import yaml
from rendering import (
    CHART,
    CHART_VALUES,
    KUBE_VERSIONS,
    NAMESPACE,
    RELEASE,
    REPO,
    SERVICES,
    WORKLOADS,
    Manifest,
    _render_cached,
    container,
    env_of,
    find,
    one,
    pod_specs,
    render,
    secrets_read,
    sources,
    validate,
)

from crm_core.registry import REGISTRY

# The one template every workload's objects come from.
WORKLOAD_TEMPLATE = "crm/templates/workloads.yaml"

EVERYTHING_ON_WORKLOAD: dict[str, Any] = {
    "autoscaling": {"enabled": True, "targetMemoryUtilizationPercentage": 80},
    "pdb": {"enabled": True},
    "serviceMonitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
}
EVERYTHING_ON: dict[str, Any] = {
    "defaults": EVERYTHING_ON_WORKLOAD,
    "gateway": {
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "hosts": [{"host": "crm.example.com", "paths": [{"path": "/"}]}],
        },
    },
    "nats": {"enabled": True, "replicas": 3},
    "otelCollector": {"enabled": True},
    "dashboards": {"enabled": True, "annotations": {"grafana_folder": "CRM"}},
}
DEV_VALUES = helm.values_from_yaml((CHART / "values-dev.yaml").read_text())
SIGNING_SECRET = f"{RELEASE}-signing"
SCENARIOS = {"defaults": {}, "everything-on": EVERYTHING_ON, "dev": DEV_VALUES}


# --- rendering ---------------------------------------------------------------------


# --- lint and Kubernetes schemas ---------------------------------------------------------


@pytest.mark.parametrize("scenario", ["defaults", "everything-on"])
def test_chart_lints_without_warnings(scenario: str) -> None:
    report = helm.lint(CHART, SCENARIOS[scenario], strict=True, kube_version="v" + KUBE_VERSIONS[0])
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert not report["errors"] and not problems, report


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_chart_renders_valid_kubernetes_objects(scenario: str) -> None:
    objects = render(SCENARIOS[scenario])
    validate(objects)
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "Service", "Job"} <= kinds
    workloads = [d for d in find(objects, "Deployment") if d["metadata"]["name"] != f"{RELEASE}-otel-collector"]
    assert len(workloads) == len(WORKLOADS)


@pytest.mark.parametrize("replicas", [1, 10])
@pytest.mark.parametrize("where", ["per-entry", "defaults"])
def test_every_workload_renders_with_1_and_10_replicas_from_the_one_template(replicas: int, where: str) -> None:
    values: dict[str, Any] = (
        {"services": {name: {"replicaCount": replicas} for name in SERVICES}, "gateway": {"replicaCount": replicas}}
        if where == "per-entry"
        else {"defaults": {"replicaCount": replicas}}
    )
    objects = render(values)
    validate(objects)
    deployments = find(objects, "Deployment")
    assert sorted(d["metadata"]["name"] for d in deployments) == sorted(f"{RELEASE}-{n}" for n in WORKLOADS)
    assert {d["metadata"]["name"]: d["spec"]["replicas"] for d in deployments} == {
        f"{RELEASE}-{n}": replicas for n in WORKLOADS
    }
    rendered_by = sources(values)
    for name in WORKLOADS:
        for kind, obj_name in (
            ("Deployment", f"{RELEASE}-{name}"),
            ("Service", f"{RELEASE}-{name}"),
            ("Service", f"{RELEASE}-{name}-grpc"),
            ("Job", f"{RELEASE}-{name}-migrate"),
            ("PodDisruptionBudget", f"{RELEASE}-{name}"),
        ):
            assert rendered_by[(kind, obj_name)] == WORKLOAD_TEMPLATE, (kind, obj_name)


# --- values: one map, one schema, one registry ---------------------------------------------


def test_services_map_names_the_registry_services_with_their_grpc_ports() -> None:
    """crm_core/services.toml is the one list: `make new-service` adds to both, this keeps them equal."""
    in_chart = {name: entry["grpcPort"] for name, entry in CHART_VALUES["services"].items()}
    assert list(CHART_VALUES)[-1] == "services", "services: stays last in values.yaml: make new-service appends to it"
    assert in_chart == {entry.name: entry.grpc_port for entry in REGISTRY.values()}
    objects = render()
    for entry in REGISTRY.values():
        c = container(one(objects, "Deployment", f"{RELEASE}-{entry.name}"))
        assert {p["name"]: p["containerPort"] for p in c["ports"]}["grpc"] == entry.grpc_port, entry.name


def test_a_new_service_is_one_entry_of_the_map() -> None:
    """Everything but the name and the port comes from the name and from defaults:."""
    objects = render({"services": {"billing": {"grpcPort": 50060}}})
    validate(objects)
    deployment = one(objects, "Deployment", f"{RELEASE}-billing")
    app = container(deployment)
    assert app["image"] == "crm/billing:0.1.0"
    assert app["command"] == ["python", "-m", "crm_billing"]
    assert container(one(objects, "Job", f"{RELEASE}-billing-migrate"))["command"] == [
        "python",
        "-m",
        "crm_billing.migrate",
    ]
    env = env_of(app)
    assert env["CRM_GRPC_PORT"]["value"] == env["CRM_BILLING_GRPC_PORT"]["value"] == "50060"
    assert env["CRM_BILLING_METRICS_PORT"]["value"] == "9100"
    assert secrets_read(deployment)["CRM_BILLING_DATABASE_URL"] == {"name": "crm-billing-db", "key": "url"}
    assert env["CRM_IDENTITY_GRPC_TARGET"]["value"] == f"dns:///{RELEASE}-gateway-grpc:50050"
    assert app["startupProbe"]["grpc"] == {"port": 50060}
    assert deployment["spec"]["replicas"] == 2
    one(objects, "PodDisruptionBudget", f"{RELEASE}-billing")
    headless = one(objects, "Service", f"{RELEASE}-billing-grpc")
    assert headless["spec"]["ports"][0]["port"] == 50060
    gateway = env_of(container(one(objects, "Deployment", f"{RELEASE}-gateway")))
    assert gateway["CRM_BILLING_GRPC_TARGET"]["value"] == f"dns:///{RELEASE}-billing-grpc:50060"


def test_templates_name_no_service() -> None:
    """The services' names live in values.yaml only: no template, no gateway target is written per service."""
    for template in (CHART / "templates").rglob("*"):
        if template.is_file():
            text = template.read_text()
            for name in SERVICES:
                assert not re.search(rf"\b{name}\b", text), f"{template.relative_to(REPO)} names {name}"
    assert not [k for k in CHART_VALUES["gateway"].get("env", {}) if k.endswith("_GRPC_TARGET")]


def test_values_schema_defines_a_workload_once_and_every_entry_uses_it() -> None:
    schema = json.loads((CHART / "values.schema.json").read_text())
    ref = {"$ref": "#/$defs/workload"}
    assert ref in schema["properties"]["services"]["additionalProperties"]["allOf"]
    assert ref in schema["properties"]["gateway"]["allOf"]
    assert ref in schema["properties"]["defaults"]["allOf"]
    assert json.dumps(schema).count('"replicaCount"') == 1, "one definition of a workload's keys"


BAD_WORKLOAD_VALUES = {
    "replicaCount-not-int": {"replicaCount": "x"},
    "unknown-key": {"replicas": 3},  # a typo is not silently ignored
    "probe-type": {"probes": {"type": "tcp"}},
    "port-range": {"ports": {"grpc": {"port": 70000}}},
    "secret-without-name": {"secretEnv": {"CRM_EXTRA_URL": {"key": "url"}}},
    "old-internalToken": {"internalToken": {"existingSecret": "crm-internal"}},  # renamed to signingSecret
    "signingSecret-unknown-key": {"signingSecret": {"name": "crm-signing"}},
    "calls-not-a-list": {"calls": "deals"},
}


@pytest.mark.parametrize("where", ["services.contacts", "gateway", "defaults"])
@pytest.mark.parametrize("bad", BAD_WORKLOAD_VALUES.values(), ids=BAD_WORKLOAD_VALUES)
def test_values_schema_rejects_bad_workload_values(bad: dict[str, Any], where: str) -> None:
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema(chart.merge_values({}))  # the defaults pass
    values: dict[str, Any] = {"services": {"contacts": bad}} if where == "services.contacts" else {where: bad}
    with pytest.raises(helm.HelmValuesError, match=where.replace(".", "/")):
        render(values)


@pytest.mark.parametrize(
    "bad",
    [
        {"contacts": {"replicaCount": 3}},  # the per-workload charts' old shape fails instead of being ignored
        {"services": {"billing": {"replicaCount": 1}}},
        {"services": {"Billing": {"grpcPort": 50060}}},
        {"services": {"gateway": {"grpcPort": 50060}}},
        {"gateway": {"grpcPort": 50050}},
        {"defaults": {"grpcPort": 50050}},
        {"nats": {"enabled": True, "replicas": 2}},
        {"global": {"internalToken": {"existingSecret": "crm-internal", "key": "token"}}},
        {"global": {"signingSecret": {"jwtSecretKey": ""}}},
        {"global": {"signingSecret": {"generate": "yes"}}},
    ],
    ids=[
        "old-top-level-workload-key",
        "service-without-grpcPort",
        "service-name-not-lowercase",
        "gateway-in-services",
        "gateway-with-grpcPort",
        "grpcPort-in-defaults",
        "two-nats-replicas",
        "old-internalToken",
        "empty-key-name",
        "generate-not-bool",
    ],
)
def test_values_schema_rejects_bad_chart_values(bad: dict[str, Any]) -> None:
    with pytest.raises(helm.HelmValuesError):
        render(bad)


def test_calls_name_services_of_the_map() -> None:
    with pytest.raises(helm.HelmRenderError, match=r'tasks\.calls: "billing" is not an entry of services'):
        render({"services": {"tasks": {"calls": ["billing"]}}})


# --- probes ------------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_service_probes_are_native_grpc_on_the_grpc_port(service: str) -> None:
    c = container(one(render(), "Deployment", f"{RELEASE}-{service}"))
    grpc_port = {p["name"]: p["containerPort"] for p in c["ports"]}["grpc"]
    if service == "contacts":
        assert grpc_port == 50051
    assert env_of(c)["CRM_GRPC_PORT"]["value"] == str(grpc_port)
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert set(c[probe]) & {"grpc", "httpGet", "exec", "tcpSocket"} == {"grpc"}, probe
        assert c[probe]["grpc"]["port"] == grpc_port, probe


def test_gateway_probes_are_http_healthz_and_readyz() -> None:
    c = container(one(render(), "Deployment", f"{RELEASE}-gateway"))
    assert {p["name"]: p["containerPort"] for p in c["ports"]} == {"http": 8000, "metrics": 9100, "identity": 50050}
    assert env_of(c)["CRM_GATEWAY_PORT"]["value"] == "8000"
    assert env_of(c)["CRM_GATEWAY_HOST"]["value"] == "0.0.0.0"  # not its loopback default
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert "grpc" not in c["livenessProbe"] and "grpc" not in c["readinessProbe"]


# --- migrations ----------------------------------------------------------------------


@pytest.mark.parametrize("workload", WORKLOADS)
def test_migrations_job_is_a_pre_install_and_pre_upgrade_hook(workload: str) -> None:
    objects = render()
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
    assert secrets_read(job)[database_url] == secrets_read(deployment)[database_url]
    # Migration pods must never be picked up as serving pods.
    job_labels = job["spec"]["template"]["metadata"]["labels"]
    for selector in (
        deployment["spec"]["selector"]["matchLabels"],
        one(objects, "Service", f"{RELEASE}-{workload}")["spec"]["selector"],
    ):
        assert not selector.items() <= job_labels.items()


def test_migrations_can_be_disabled() -> None:
    objects = render({"services": {"contacts": {"migrations": {"enabled": False}}}})
    assert not find(objects, "Job", f"{RELEASE}-contacts-migrate")
    one(objects, "Job", f"{RELEASE}-gateway-migrate")


# --- scaling, disruption, monitoring ---------------------------------------------------


def test_hpa_is_off_by_default_and_replaces_fixed_replicas_when_enabled() -> None:
    defaults = render()
    assert not find(defaults, "HorizontalPodAutoscaler")
    for name in WORKLOADS:
        assert one(defaults, "Deployment", f"{RELEASE}-{name}")["spec"]["replicas"] == 2

    scaled = render(EVERYTHING_ON)
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


def test_pdb_is_on_by_default_and_false_in_values_turns_it_off() -> None:
    defaults = render()
    for name in WORKLOADS:
        pdb = one(defaults, "PodDisruptionBudget", f"{RELEASE}-{name}")
        assert pdb["apiVersion"] == "policy/v1"
        assert pdb["spec"]["maxUnavailable"] == 1
        assert (
            pdb["spec"]["selector"]["matchLabels"]
            == one(defaults, "Deployment", f"{RELEASE}-{name}")["spec"]["selector"]["matchLabels"]
        )
    # An explicit false must win over the true in defaults:.
    off = render({"services": {"contacts": {"pdb": {"enabled": False}}}})
    assert not find(off, "PodDisruptionBudget", f"{RELEASE}-contacts")
    one(off, "PodDisruptionBudget", f"{RELEASE}-gateway")


def test_service_monitor_is_off_by_default_and_scrapes_the_metrics_port() -> None:
    assert not find(render(), "ServiceMonitor")
    objects = render(EVERYTHING_ON)
    for name in WORKLOADS:
        monitor = one(objects, "ServiceMonitor", f"{RELEASE}-{name}")
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
        assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
        service = one(objects, "Service", f"{RELEASE}-{name}")
        assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
        (endpoint,) = monitor["spec"]["endpoints"]
        assert endpoint["path"] == "/metrics"
        assert endpoint["honorLabels"] is True  # the processes' own `service` label, which rules and dashboards use
        port = {p["name"]: p["port"] for p in service["spec"]["ports"]}[endpoint["port"]]
        assert port == 9100


def test_gateway_metrics_are_on_their_own_port_which_the_ingress_does_not_publish() -> None:
    objects = render(EVERYTHING_ON)
    env = env_of(container(one(objects, "Deployment", f"{RELEASE}-gateway")))
    assert env["CRM_GATEWAY_METRICS_PORT"]["value"] == "9100"
    assert env["CRM_GATEWAY_PORT"]["value"] == "8000"
    (endpoint,) = one(objects, "ServiceMonitor", f"{RELEASE}-gateway")["spec"]["endpoints"]
    assert endpoint["port"] == "metrics"
    ingress = one(objects, "Ingress", f"{RELEASE}-gateway")
    ports = {p["backend"]["service"]["port"]["name"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]}
    assert ports == {"http"}


def test_gateway_ingress_routes_to_the_gateway_service() -> None:
    assert not find(render(), "Ingress")
    ingress = one(render(EVERYTHING_ON), "Ingress", f"{RELEASE}-gateway")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": f"{RELEASE}-gateway", "port": {"name": "http"}}


# --- pods --------------------------------------------------------------------------------


def test_pods_run_as_non_root_with_a_read_only_root_filesystem() -> None:
    objects = render(EVERYTHING_ON)
    specs = dict(pod_specs(objects))
    assert len(specs) == 2 * len(WORKLOADS) + 2  # Deployments, migration Jobs, NATS, the OTLP collector
    for ident, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, ident
        assert spec["automountServiceAccountToken"] is False, ident
        for c in spec["containers"]:
            assert c["securityContext"]["readOnlyRootFilesystem"] is True, ident
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, ident
            assert c["securityContext"]["capabilities"]["drop"] == ["ALL"], ident
            assert c["resources"]["requests"], ident


@pytest.mark.parametrize("workload", WORKLOADS)
def test_deployment_drains_gracefully_and_spreads_over_nodes(workload: str) -> None:
    deployment = one(render(), "Deployment", f"{RELEASE}-{workload}")
    pod = deployment["spec"]["template"]["spec"]
    c = container(deployment)
    assert c["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"]
    assert pod["terminationGracePeriodSeconds"] > 5
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    (term,) = pod["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert term["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    assert term["podAffinityTerm"]["labelSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"]


def test_an_entry_overrides_the_defaults_for_its_workload_only() -> None:
    values = {
        "defaults": {"replicaCount": 4, "podAnnotations": {"example.com/owner": "platform"}},
        "services": {
            "contacts": {
                "podAnnotations": {"example.com/team": "crm"},
                "replicaCount": 3,
                "terminationGracePeriodSeconds": 45,
                "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
                # Empty and zero values win over the defaults too.
                "podAntiAffinity": "",
                "preStopSleepSeconds": 0,
            }
        },
    }
    objects = render(values)
    deployment = one(objects, "Deployment", f"{RELEASE}-contacts")
    assert "affinity" not in deployment["spec"]["template"]["spec"]
    assert "lifecycle" not in container(deployment)
    assert deployment["spec"]["replicas"] == 3
    # Maps merge key by key: the entry's annotations beside the defaults' ones.
    assert deployment["spec"]["template"]["metadata"]["annotations"] == {
        "example.com/team": "crm",
        "example.com/owner": "platform",
    }
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 45
    assert container(deployment)["resources"]["requests"] == {"cpu": "1", "memory": "1Gi"}
    for name in WORKLOADS:
        if name == "contacts":
            continue
        other = one(objects, "Deployment", f"{RELEASE}-{name}")
        assert other["spec"]["replicas"] == 4, name
        assert other["spec"]["template"]["metadata"]["annotations"] == {"example.com/owner": "platform"}, name
        assert "affinity" in other["spec"]["template"]["spec"], name
        assert container(other)["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"], name


def test_a_disabled_workload_renders_nothing() -> None:
    objects = render({"services": {"deals": {"enabled": False}}})
    assert not [o for o in objects if o["metadata"]["name"].startswith(f"{RELEASE}-deals")]
    one(objects, "Deployment", f"{RELEASE}-contacts")


def test_global_image_settings_reach_every_workload() -> None:
    values = {"global": {"image": {"registry": "registry.example.com/acme", "tag": "1.2.3", "pullPolicy": "Always"}}}
    objects = render(values)
    for name in WORKLOADS:
        for kind, obj_name in (("Deployment", f"{RELEASE}-{name}"), ("Job", f"{RELEASE}-{name}-migrate")):
            c = container(one(objects, kind, obj_name))
            assert c["image"] == f"registry.example.com/acme/crm/{name}:1.2.3"
            assert c["imagePullPolicy"] == "Always"
    default_image = container(one(render(), "Deployment", f"{RELEASE}-contacts"))["image"]
    assert default_image == "crm/contacts:0.1.0"  # the chart's appVersion


# --- configuration and secrets ---------------------------------------------------------------


def secret_refs(workload: Manifest) -> dict[str, tuple[str, str]]:
    """Variable -> (Secret, key) the workload reads, as a variable or as a file (rendering.secrets_read)."""
    return {name: (ref["name"], ref["key"]) for name, ref in secrets_read(workload).items()}


def workload_objects(objects: list[Manifest], name: str) -> dict[str, Manifest]:
    """The workload's Deployment and its migrations Job: both must see the same settings."""
    return {
        kind: one(objects, kind, obj_name)
        for kind, obj_name in (("Deployment", f"{RELEASE}-{name}"), ("Job", f"{RELEASE}-{name}-migrate"))
    }


def workload_containers(objects: list[Manifest], name: str) -> dict[str, Manifest]:
    """The workload's container and its migrations Job's."""
    return {kind: container(o) for kind, o in workload_objects(objects, name).items()}


def decoded_secret(objects: list[Manifest], name: str) -> dict[str, str]:
    return {k: base64.b64decode(v).decode() for k, v in one(objects, "Secret", name)["data"].items()}


EXISTING_SIGNING = {
    "existingSecret": "{{ .Release.Name }}-keys",
    "internalSecretKey": "internal",
    "jwtSecretKey": "jwt",
}


@pytest.mark.parametrize("existing", [False, True], ids=["generated", "existing"])
def test_only_the_signing_secret_is_rendered_and_env_never_holds_a_secret(existing: bool) -> None:
    values: dict[str, Any] = (
        {**EVERYTHING_ON, "global": {"signingSecret": EXISTING_SIGNING}} if existing else EVERYTHING_ON
    )
    objects = render(values)
    secrets = find(objects, "Secret")
    assert [s["metadata"]["name"] for s in secrets] == ([] if existing else [SIGNING_SECRET])
    generated = [] if existing else list(decoded_secret(objects, SIGNING_SECRET).values())
    for ident, spec in pod_specs(objects):
        for c in spec["containers"] + spec.get("initContainers", []):
            for name, var in env_of(c).items():
                if re.search(r"TOKEN|SECRET|PASSWORD|DATABASE_URL|KEY", name) and name != "CRM_SECRETS_DIR":
                    assert "value" not in var and "secretKeyRef" in var["valueFrom"], f"{ident}: {name}"
                assert not any(g in var.get("value", "") for g in generated), f"{ident}: {name} holds a secret"
    # Nothing but the Secret itself carries the generated values (config maps, annotations, ...).
    others = json.dumps([o for o in objects if o["kind"] != "Secret"])
    assert not [g for g in generated if g in others or base64.b64encode(g.encode()).decode() in others]

    signing = ("crm-keys", "internal") if existing else (SIGNING_SECRET, "internal-secret")
    for name in WORKLOADS:
        refs = secret_refs(one(objects, "Deployment", f"{RELEASE}-{name}"))
        assert refs[f"CRM_{name.upper()}_DATABASE_URL"] == (f"crm-{name}-db", "url")
        assert refs["CRM_INTERNAL_SECRET"] == signing
    # The first admin's password comes with the signing secrets (generated), never from a log.
    gateway = secrets_read(one(objects, "Deployment", f"{RELEASE}-gateway"))
    assert gateway["CRM_ADMIN_PASSWORD"] == {
        "name": "crm-keys" if existing else SIGNING_SECRET,
        "key": "admin-password",
        "optional": True,
    }


@pytest.mark.parametrize("existing", [False, True], ids=["generated", "existing"])
@pytest.mark.parametrize("workload", WORKLOADS)
def test_workload_and_migrations_sign_with_the_signing_secret(workload: str, existing: bool) -> None:
    values = {"global": {"signingSecret": EXISTING_SIGNING}} if existing else {}
    secret, internal_key, jwt_key = (
        ("crm-keys", "internal", "jwt") if existing else (SIGNING_SECRET, "internal-secret", "jwt-secret")
    )
    for kind, obj in workload_objects(render(values), workload).items():
        env = secret_refs(obj)
        assert env["CRM_INTERNAL_SECRET"] == (secret, internal_key), kind
        assert "CRM_INTERNAL_TOKEN" not in env, kind
        if workload == "gateway":
            assert env["CRM_JWT_SECRET"] == (secret, jwt_key), kind
        else:
            # A service that knew the JWT secret could mint any user's access token.
            assert "CRM_JWT_SECRET" not in env, kind


def test_generated_signing_secret_is_random_and_created_before_the_migrations() -> None:
    objects = render()
    secret = one(objects, "Secret", SIGNING_SECRET)
    values = decoded_secret(objects, SIGNING_SECRET)
    assert set(values) == {"internal-secret", "jwt-secret", "admin-password"}
    for key, value in values.items():
        assert re.fullmatch(r"[A-Za-z0-9]{48,}", value), key  # the processes refuse fewer than 32 characters
    assert values["internal-secret"] != values["jwt-secret"]  # the gateway refuses equal ones
    # New values for every new install: nothing fixed in the chart.
    again = _render_cached.__wrapped__("{}")
    assert not set(decoded_secret([doc for _, doc in again], SIGNING_SECRET).values()) & set(values.values())

    annotations = secret["metadata"]["annotations"]
    hooks = set(annotations["helm.sh/hook"].split(","))
    # Re-created on each install and upgrade (from what lookup finds), never deleted after it ran or on uninstall.
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation"
    assert annotations["helm.sh/resource-policy"] == "keep"
    for name in WORKLOADS:
        job = one(objects, "Job", f"{RELEASE}-{name}-migrate")["metadata"]["annotations"]
        assert set(job["helm.sh/hook"].split(",")) <= hooks, name
        assert int(annotations["helm.sh/hook-weight"]) < int(job["helm.sh/hook-weight"]), name


def test_signing_secret_keeps_the_values_it_finds(tmp_path: Path) -> None:
    """Upgrades keep the secrets: the template hands what `lookup` found to crm.signingSecret.

    lookup answers nothing offline, so a copy of the chart hands the helper a
    Secret as lookup returns it, with one of the two keys.
    """
    template = (CHART / "templates" / "signing-secret.yaml").read_text()
    assert re.search(
        r'include "crm\.signingSecret" \(list \. \(lookup "v1" "Secret" \.Release\.Namespace \$name\)\)', template
    )
    chart = tmp_path / "crm"
    shutil.copytree(CHART, chart)
    kept = base64.b64encode(b"k" * 40).decode()
    found = f'(dict "data" (dict "internal-secret" "{kept}"))'
    (chart / "templates" / "signing-secret.yaml").write_text('{{ include "crm.signingSecret" (list . ' + found + ") }}")
    with helm.Chart.load(chart) as loaded:
        rendered = loaded.render({}, name=RELEASE, namespace=NAMESPACE, is_upgrade=True)
    (secret,) = [o for o in yaml.safe_load_all(rendered["crm/templates/signing-secret.yaml"]) if o]
    assert secret["data"]["internal-secret"] == kept
    assert len(base64.b64decode(secret["data"]["jwt-secret"])) >= 48  # a missing key is generated


def test_an_existing_signing_secret_is_read_and_nothing_is_generated() -> None:
    values = {
        "global": {"signingSecret": {"existingSecret": "platform-signing"}},
        "services": {
            "contacts": {
                "secretEnv": {"CRM_CONTACTS_DATABASE_URL": {"existingSecret": "pg-contacts-app", "key": "uri"}}
            }
        },
    }
    objects = render(values)
    assert not find(objects, "Secret")
    for name in WORKLOADS:
        for kind, obj in workload_objects(objects, name).items():
            refs = {v for k, v in secret_refs(obj).items() if k in ("CRM_INTERNAL_SECRET", "CRM_JWT_SECRET")}
            expected = {("platform-signing", "internal-secret")}
            if name == "gateway":
                expected.add(("platform-signing", "jwt-secret"))
            assert refs == expected, f"{kind} {name}"
    assert secret_refs(one(objects, "Deployment", f"{RELEASE}-contacts"))["CRM_CONTACTS_DATABASE_URL"] == (
        "pg-contacts-app",
        "uri",
    )
    # Without generation, forgetting the Secret's name fails the render instead of reading a missing one.
    with pytest.raises(helm.HelmRenderError, match="is required"):
        render({"global": {"signingSecret": {"generate": False}}})
    with pytest.raises(helm.HelmRenderError, match="must differ"):
        render({"global": {"signingSecret": {"internalSecretKey": "k", "jwtSecretKey": "k"}}})


def test_services_find_the_identity_module_on_the_gateway_service() -> None:
    objects = render()
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

    values = {
        "global": {"identityTarget": "{{ .Release.Name }}-identity:443"},
        "services": {"deals": {"identityTarget": "id:1"}},
    }
    objects = render(values)
    targets = {
        n: env_of(container(one(objects, "Deployment", f"{RELEASE}-{n}")))["CRM_IDENTITY_GRPC_TARGET"]["value"]
        for n in SERVICES
    }
    assert targets == {n: "id:1" if n == "deals" else "crm-identity:443" for n in SERVICES}


def test_gateway_announces_access_changes_over_nats() -> None:
    env = env_of(container(one(render(), "Deployment", f"{RELEASE}-gateway")))
    assert env["CRM_NATS_URL"]["value"] == f"nats://{RELEASE}-nats:4222"


def _assert_targets_headless_grpc_services(objects: list[Manifest], targets: dict[str, str]) -> None:
    for variable, target in targets.items():
        # dns:/// of the headless Service: resolved to every replica, called round robin.
        assert target.startswith("dns:///"), target
        host, port = target.removeprefix("dns:///").rsplit(":", 1)
        assert host == f"{RELEASE}-{variable.removeprefix('CRM_').removesuffix('_GRPC_TARGET').lower()}-grpc", target
        service = one(objects, "Service", host)
        assert service["spec"]["clusterIP"] == "None", target
        assert {p["port"]: p["name"] for p in service["spec"]["ports"]}.get(int(port)) == "grpc", target
        (workload,) = [d for d in objects if d["kind"] == "Deployment" and host == d["metadata"]["name"] + "-grpc"]
        assert service["spec"]["selector"] == workload["spec"]["selector"]["matchLabels"], target


def test_gateway_grpc_targets_are_generated_for_every_service_of_the_map() -> None:
    objects = render()
    env = env_of(container(one(objects, "Deployment", f"{RELEASE}-gateway")))
    targets = {k: v["value"] for k, v in env.items() if k.endswith("_GRPC_TARGET")}
    assert set(targets) == {f"CRM_{name.upper()}_GRPC_TARGET" for name in SERVICES}, (
        "the gateway needs a target per service"
    )
    _assert_targets_headless_grpc_services(objects, targets)
    # An explicit variable wins over the generated target.
    env = env_of(
        container(
            one(
                render({"gateway": {"env": {"CRM_DEALS_GRPC_TARGET": "deals.example:443"}}}),
                "Deployment",
                "crm-gateway",
            )
        )
    )
    assert env["CRM_DEALS_GRPC_TARGET"]["value"] == "deals.example:443"


def test_services_reach_the_services_they_call_on_their_headless_services() -> None:
    objects = render()
    for name, entry in CHART_VALUES["services"].items():
        for kind, c in workload_containers(objects, name).items():
            env = env_of(c)
            targets = {k: v["value"] for k, v in env.items() if k.endswith("_GRPC_TARGET") and "IDENTITY" not in k}
            expected = {f"CRM_{callee.upper()}_GRPC_TARGET" for callee in entry.get("calls", [])}
            assert set(targets) == expected, f"{kind} {name}"
            _assert_targets_headless_grpc_services(objects, targets)
    # Process steps of tasks change deals and parties.
    assert set(CHART_VALUES["services"]["tasks"]["calls"]) == {"deals", "contacts"}


def test_settings_come_from_global_values() -> None:
    values = {
        "global": {
            "logLevel": "DEBUG",
            "defaultLanguage": "en",
            "otelEndpoint": "http://otel-collector:4317",
            "natsUrl": "nats://nats.nats:4222",
        }
    }
    objects = render(values)
    for name in WORKLOADS:
        env = env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}")))
        assert env["CRM_LOG_LEVEL"]["value"] == "DEBUG"
        assert env["CRM_DEFAULT_LANGUAGE"]["value"] == "en"
        assert env["CRM_NATS_URL"]["value"] == "nats://nats.nats:4222"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"]["value"] == "http://otel-collector:4317"
        assert env["OTEL_SERVICE_NAME"]["value"] == name
    defaults = env_of(container(one(render(), "Deployment", f"{RELEASE}-contacts")))
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in defaults
    assert defaults["CRM_DEFAULT_LANGUAGE"]["value"] == "ru"


# --- NATS --------------------------------------------------------------------------------------


def test_nats_is_opt_in() -> None:
    objects = render()
    assert not find(objects, "StatefulSet")
    assert not [o for o in objects if o["metadata"]["name"].startswith(f"{RELEASE}-nats")]


def _jetstream_block(conf: str) -> str:
    match = re.search(r"^jetstream\s*\{(.*?)^\}", conf, flags=re.S | re.M)
    assert match, conf
    return match.group(1)


@pytest.mark.parametrize("replicas", [1, 3])
def test_in_chart_nats_acknowledges_only_synced_writes(replicas: int) -> None:
    objects = render({"nats": {"enabled": True, "replicas": replicas}})
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


def test_grafana_dashboard_is_shipped_for_the_sidecar_and_covers_platform_metrics() -> None:
    configmap = one(render(), "ConfigMap", f"{RELEASE}-dashboard-crm-overview")
    assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
    (document,) = configmap["data"].values()
    dashboard = json.loads(document)
    assert document == (CHART / "dashboards" / "crm-overview.json").read_text().rstrip("\n")

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
        o for o in find(render({"dashboards": {"enabled": False}}), "ConfigMap") if "dashboard" in o["metadata"]["name"]
    ]
