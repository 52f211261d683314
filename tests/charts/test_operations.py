"""Running the platform: the OpenTelemetry Collector, alerts, network policies, limits, secrets as files,
image digests and dashboards of charts/crm.

Every PromQL expression the chart ships (PrometheusRule alerts, Grafana panels) is parsed with
promql-parser, and every metric it names must be defined in the Python sources (prometheus_client
Counter/Gauge/Histogram) or be one of kube-state-metrics' listed below.
"""

from __future__ import annotations

import json
import re
from typing import Any

import helm_python as helm
import promql_parser
import pytest
from rendering import (
    CHART,
    NAMESPACE,
    RELEASE,
    REPO,
    SERVICES,
    WORKLOADS,
    Manifest,
    container,
    env_of,
    find,
    one,
    render,
    validate,
)

COLLECTOR = f"{RELEASE}-otel-collector"
RULES_ON = {"prometheusRules": {"enabled": True}}
# Metrics of kube-state-metrics the rules and dashboards use: not ours, so not in the Python sources.
KUBE_STATE_METRICS = {"kube_pod_status_ready"}
# Where the platform's metrics are defined.
METRIC_SOURCES = ("libs", "services", "gateway")


# --- OpenTelemetry Collector -------------------------------------------------------------------


def test_collector_is_opt_in() -> None:
    objects = render()
    assert not [o for o in objects if o["metadata"]["name"].startswith(COLLECTOR)]
    for name in WORKLOADS:
        assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}")))


def _collector_config(objects: list[Manifest]) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(one(objects, "ConfigMap", COLLECTOR)["data"]["config.yaml"])


def test_collector_receives_otlp_and_the_workloads_send_to_it() -> None:
    objects = render({"otelCollector": {"enabled": True}})
    validate(objects)
    config = _collector_config(objects)
    assert set(config["receivers"]["otlp"]["protocols"]) == {"grpc", "http"}
    # No backend configured: spans go to the collector's log.
    assert config["service"]["pipelines"]["traces"]["exporters"] == ["debug"]
    assert set(config["exporters"]) == {"debug"}
    service = one(objects, "Service", COLLECTOR)
    assert {p["name"]: p["port"] for p in service["spec"]["ports"]} == {"otlp-grpc": 4317, "otlp-http": 4318}
    deployment = one(objects, "Deployment", COLLECTOR)
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    c = container(deployment)
    assert c["image"] == "otel/opentelemetry-collector:0.116.0"
    assert c["resources"]["limits"]["cpu"]
    for name in WORKLOADS:
        env = env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}")))
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"]["value"] == f"http://{COLLECTOR}:4317", name


def test_collector_exports_to_the_configured_backend_and_global_endpoint_wins() -> None:
    digest = "sha256:" + "a" * 64
    objects = render(
        {
            "global": {"otelEndpoint": "http://otel.observability:4317"},
            "otelCollector": {
                "enabled": True,
                "image": {"digest": digest},
                "exporter": {"endpoint": "tempo.observability:4317", "insecure": True},
            },
        }
    )
    config = _collector_config(objects)
    assert config["exporters"] == {"otlp": {"endpoint": "tempo.observability:4317", "tls": {"insecure": True}}}
    assert config["service"]["pipelines"]["traces"]["exporters"] == ["otlp"]
    assert container(one(objects, "Deployment", COLLECTOR))["image"] == f"otel/opentelemetry-collector@{digest}"
    for name in WORKLOADS:
        env = env_of(container(one(objects, "Deployment", f"{RELEASE}-{name}")))
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"]["value"] == "http://otel.observability:4317", name


# --- PromQL: parsed, and naming only metrics that exist ------------------------------------------


def _defined_metrics() -> set[str]:
    """Every metric name the Python sources define, as Prometheus exposes it."""
    pattern = re.compile(r"\b(Counter|Gauge|Histogram|Summary)\(\s*\"([a-z_:][a-z0-9_:]*)\"", re.S)
    names: set[str] = set()
    for top in METRIC_SOURCES:
        for path in (REPO / top).rglob("*.py"):
            if "tests" in path.parts or ".venv" in path.parts:
                continue
            for kind, name in pattern.findall(path.read_text()):
                if kind == "Counter":
                    names.add(name if name.endswith("_total") else f"{name}_total")
                elif kind in ("Histogram", "Summary"):
                    names |= {name, f"{name}_sum", f"{name}_count"} | (
                        {f"{name}_bucket"} if kind == "Histogram" else set()
                    )
                else:
                    names.add(name)
    return names


def _selectors(node: Any) -> list[Any]:
    """Vector selectors of a parsed expression, wherever they are nested."""
    if isinstance(node, promql_parser.VectorSelector):
        return [node]
    found = []
    for attr in ("expr", "lhs", "rhs", "param", "vector_selector", "args"):  # every node kind with children
        child = getattr(node, attr, None)
        if child is None:
            continue
        for item in child if isinstance(child, list) else [child]:
            found += _selectors(item)
    return found


def metrics_of(expr: str) -> set[str]:
    """Parse a PromQL expression (Grafana's variables filled in) and return the metrics it selects."""
    query = expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
    parsed = promql_parser.parse(query)  # raises on a syntax error
    selectors = _selectors(parsed)
    assert selectors, f"no metric in {expr}"
    return {s.name for s in selectors}


def _assert_known(used: set[str], where: str) -> None:
    unknown = used - _defined_metrics() - KUBE_STATE_METRICS
    assert not unknown, f"{where} uses metrics nothing defines: {sorted(unknown)}"


def test_the_metric_check_sees_a_typo() -> None:
    """The checks below would pass vacuously if these helpers found nothing."""
    assert {"crm_grpc_requests_total", "crm_grpc_request_duration_seconds_bucket"} <= _defined_metrics()
    assert metrics_of('sum(rate(crm_grpc_requests_totl{code="OK"}[5m]))') == {"crm_grpc_requests_totl"}
    with pytest.raises(AssertionError, match="crm_grpc_requests_totl"):
        _assert_known({"crm_grpc_requests_totl"}, "a typo")
    with pytest.raises(Exception):  # noqa: B017 - the parser's own error type
        promql_parser.parse('sum(rate(crm_grpc_requests_total{code="OK"[5m]))')


# --- PrometheusRule ---------------------------------------------------------------------------


def _rules(objects: list[Manifest]) -> list[dict[str, Any]]:
    (rule,) = find(objects, "PrometheusRule")
    return [r for group in rule["spec"]["groups"] for r in group["rules"]]


def test_rules_follow_the_service_monitor_toggle_or_are_forced() -> None:
    assert not find(render(), "PrometheusRule")  # no ServiceMonitors, no Operator expected
    assert find(render({"defaults": {"serviceMonitor": {"enabled": True}}}), "PrometheusRule")
    assert find(render(RULES_ON), "PrometheusRule")
    assert not find(
        render({"defaults": {"serviceMonitor": {"enabled": True}}, "prometheusRules": {"enabled": False}}),
        "PrometheusRule",
    )


def test_every_alert_parses_names_existing_metrics_and_says_what_to_do() -> None:
    rules = _rules(render({**RULES_ON, "prometheusRules": {"enabled": True, "labels": {"release": "kps"}}}))
    alerts = {r["alert"]: r for r in rules}
    assert set(alerts) >= {
        "CrmOutboxEventsWaiting",
        "CrmConsumerPendingGrowing",
        "CrmEventsDeadLettered",
        "CrmGatewayServerErrors",
        "CrmGrpcServerErrors",
        "CrmGrpcLatencyHigh",
        "CrmPodNotReady",
    }
    used: set[str] = set()
    for name, rule in alerts.items():
        metrics = metrics_of(rule["expr"])
        used |= metrics
        assert rule["labels"]["severity"] in ("warning", "critical"), name
        assert rule["annotations"]["summary"].strip() and rule["annotations"]["runbook"].strip(), name
        # Scoped to the release's namespace, so two installs never alert on each other.
        assert rule["expr"].count(f'namespace="{NAMESPACE}"') == rule["expr"].count("{"), name
    assert {
        "crm_outbox_oldest_pending_seconds",
        "crm_consumer_pending",
        "crm_dead_letters",
        "crm_http_requests_total",
        "crm_grpc_requests_total",
        "crm_grpc_request_duration_seconds_bucket",
        "kube_pod_status_ready",
    } <= used
    _assert_known(used, "PrometheusRule")


def test_alert_thresholds_come_from_values() -> None:
    rules = _rules(render({"prometheusRules": {"enabled": True, "thresholds": {"outboxOldestPendingSeconds": 42}}}))
    (outbox,) = [r for r in rules if r["alert"] == "CrmOutboxEventsWaiting"]
    assert outbox["expr"].endswith("> 42")


# --- NetworkPolicies --------------------------------------------------------------------------


def _policy(objects: list[Manifest], name: str) -> Manifest:
    return one(objects, "NetworkPolicy", f"{RELEASE}-{name}")


def _ports(rule: Manifest) -> set[int]:
    return {p["port"] for p in rule.get("ports", [])}


def test_every_workload_has_a_default_deny_policy_that_selects_its_pods() -> None:
    objects = render()
    validate(objects)
    # The workloads' and their migrations Jobs'.
    assert len(find(objects, "NetworkPolicy")) == 2 * len(WORKLOADS)
    for name in WORKLOADS:
        policy = _policy(objects, name)
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
        deployment = one(objects, "Deployment", f"{RELEASE}-{name}")
        assert policy["spec"]["podSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert not find(render({"networkPolicy": {"enabled": False}}), "NetworkPolicy")


@pytest.mark.parametrize("service", SERVICES)
def test_services_accept_grpc_from_the_release_and_metrics_from_prometheus_only(service: str) -> None:
    objects = render()
    ingress = _policy(objects, service)["spec"]["ingress"]
    ports = {
        p["name"]: p["containerPort"] for p in container(one(objects, "Deployment", f"{RELEASE}-{service}"))["ports"]
    }
    assert len(ingress) == 2
    grpc, metrics = ingress
    assert _ports(grpc) == {ports["grpc"]}
    assert grpc["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/instance": RELEASE, "app.kubernetes.io/part-of": "crm"}}}
    ]
    assert _ports(metrics) == {ports["metrics"]}
    assert metrics["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]


def test_gateway_accepts_the_ingress_controller_and_the_services_identity_calls() -> None:
    objects = render({"networkPolicy": {"ingressController": {"namespaceSelector": {"matchLabels": {"team": "edge"}}}}})
    assert "ingress-nginx" in json.dumps(_policy(render(), "gateway"))
    rules = _policy(objects, "gateway")["spec"]["ingress"]
    release = {"matchLabels": {"app.kubernetes.io/instance": RELEASE, "app.kubernetes.io/part-of": "crm"}}
    assert {"from": [{"podSelector": release}], "ports": [{"port": 50050, "protocol": "TCP"}]} in rules
    edge = [{"namespaceSelector": {"matchLabels": {"team": "edge"}}}]
    assert {"from": edge, "ports": [{"port": 8000, "protocol": "TCP"}]} in rules
    assert all(r["from"] in ([{"podSelector": release}], edge) or "monitoring" in json.dumps(r) for r in rules)


def test_egress_reaches_dns_postgresql_nats_the_collector_and_the_workloads_only() -> None:
    values = {
        "nats": {"enabled": True},
        "otelCollector": {"enabled": True},
        "networkPolicy": {"postgresql": {"cidrs": ["10.0.12.0/24"], "port": 6432}},
    }
    objects = render(values)
    validate(objects)
    grpc_ports = {
        p["containerPort"]
        for name in WORKLOADS
        for p in container(one(objects, "Deployment", f"{RELEASE}-{name}"))["ports"]
        if p["name"] in ("grpc", "identity")
    }
    for name in WORKLOADS:
        egress = _policy(objects, name)["spec"]["egress"]
        assert all(r.get("ports") for r in egress), "every egress rule is limited to ports"
        by_port = {frozenset(_ports(r)): r.get("to") for r in egress}
        assert by_port[frozenset({53})][0]["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
        assert by_port[frozenset({6432})] == [{"ipBlock": {"cidr": "10.0.12.0/24"}}]
        nats_to = by_port[frozenset({4222})][0]["podSelector"]["matchLabels"]
        assert (
            nats_to.items() <= one(objects, "StatefulSet", f"{RELEASE}-nats")["spec"]["selector"]["matchLabels"].items()
        )
        collector_to = by_port[frozenset({4317})][0]["podSelector"]["matchLabels"]
        assert collector_to == one(objects, "Deployment", COLLECTOR)["spec"]["selector"]["matchLabels"]
        assert by_port[frozenset(grpc_ports)][0]["podSelector"]["matchLabels"]["app.kubernetes.io/instance"] == RELEASE
    # Outside peers without a selector or CIDR: their port, any destination; no OTLP egress without an endpoint.
    egress = _policy(render(), "contacts")["spec"]["egress"]
    assert {"ports": [{"port": 4222, "protocol": "TCP"}]} in egress
    assert {"ports": [{"port": 5432, "protocol": "TCP"}]} in egress
    assert "4317" not in json.dumps(egress)
    egress = _policy(render({"global": {"otelEndpoint": "http://otel.observability:4317"}}), "contacts")["spec"]
    assert {"ports": [{"port": 4317, "protocol": "TCP"}]} in egress["egress"]


# --- pods: limits, secrets as files, digests, NATS user ----------------------------------------


def test_every_container_has_cpu_and_memory_limits() -> None:
    objects = render({"nats": {"enabled": True}, "otelCollector": {"enabled": True}})
    for o in objects:
        if o["kind"] in ("Deployment", "StatefulSet", "Job"):
            for c in o["spec"]["template"]["spec"]["containers"]:
                limits = c["resources"].get("limits", {})
                assert limits.get("cpu") and limits.get("memory"), f"{o['kind']}/{o['metadata']['name']}"


def test_secrets_are_files_named_like_their_variables_and_never_environment() -> None:
    objects = render()
    for name in WORKLOADS:
        for kind, obj in (("Deployment", f"{RELEASE}-{name}"), ("Job", f"{RELEASE}-{name}-migrate")):
            workload = one(objects, kind, obj)
            c = container(workload)
            env = env_of(c)
            assert not [v for v in env.values() if "valueFrom" in v and "secretKeyRef" in v["valueFrom"]], obj
            assert env["CRM_SECRETS_DIR"]["value"] == "/var/run/secrets/crm"
            assert {"name": "secrets", "mountPath": "/var/run/secrets/crm", "readOnly": True} in c["volumeMounts"]
            (volume,) = [v for v in workload["spec"]["template"]["spec"]["volumes"] if v["name"] == "secrets"]
            files = {
                item["path"]: (s["secret"]["name"], item["key"])
                for s in volume["projected"]["sources"]
                for item in s["secret"]["items"]
            }
            assert files[f"CRM_{name.upper()}_DATABASE_URL"] == (f"{RELEASE}-{name}-db", "url"), obj
            assert files["CRM_INTERNAL_SECRET"] == (f"{RELEASE}-signing", "internal-secret"), obj
            assert ("CRM_JWT_SECRET" in files) == (name == "gateway"), obj
    # Back to variables for one workload.
    env = env_of(container(one(render({"services": {"deals": {"secretsAsFiles": False}}}), "Deployment", "crm-deals")))
    assert env["CRM_DEALS_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": "crm-deals-db", "key": "url"}
    assert "CRM_SECRETS_DIR" not in env


def test_images_can_be_pinned_by_digest() -> None:
    digest = "sha256:" + "b" * 64
    objects = render(
        {"defaults": {"image": {"digest": digest}}, "nats": {"enabled": True, "image": {"digest": digest}}}
    )
    for name in WORKLOADS:
        assert container(one(objects, "Deployment", f"{RELEASE}-{name}"))["image"] == f"crm/{name}@{digest}"
    assert container(one(objects, "StatefulSet", f"{RELEASE}-nats"))["image"] == f"nats@{digest}"
    with pytest.raises(helm.HelmValuesError):
        render({"nats": {"image": {"digest": "latest"}}})


def test_nats_runs_with_a_high_uid() -> None:
    nats = one(render({"nats": {"enabled": True}}), "StatefulSet", f"{RELEASE}-nats")
    assert nats["spec"]["template"]["spec"]["securityContext"]["runAsUser"] >= 10000


# --- dashboards ---------------------------------------------------------------------------------


def _dashboards(objects: list[Manifest]) -> dict[str, dict[str, Any]]:
    return {
        key: json.loads(document)
        for o in find(objects, "ConfigMap")
        if o["metadata"].get("labels", {}).get("grafana_dashboard") == "1"
        for key, document in o["data"].items()
    }


def test_an_overview_and_one_dashboard_per_service_from_one_template() -> None:
    dashboards = _dashboards(render())
    assert set(dashboards) == {"crm-overview.json", *(f"crm-service-{s}.json" for s in SERVICES)}
    assert len({d["uid"] for d in dashboards.values()}) == len(dashboards)
    template = (CHART / "dashboards" / "per-service" / "crm-service.json").read_text()
    for service in SERVICES:
        dashboard = dashboards[f"crm-service-{service}.json"]
        assert dashboard == json.loads(template.replace("__SERVICE__", service).replace("__RELEASE__", RELEASE))
        assert "__SERVICE__" not in json.dumps(dashboard) and "__RELEASE__" not in json.dumps(dashboard)
    # A new service gets its dashboard without a file of its own.
    assert "crm-service-billing.json" in _dashboards(render({"services": {"billing": {"grpcPort": 50060}}}))


def test_dashboards_parse_and_name_only_existing_metrics() -> None:
    used: set[str] = set()
    for key, dashboard in _dashboards(render()).items():
        panels = [p for p in dashboard["panels"] if p["type"] != "row"]
        assert panels, key
        for panel in panels:
            assert panel["targets"], f"{key}: {panel['title']}"
            for target in panel["targets"]:
                used |= metrics_of(target["expr"])
    assert {"crm_consumer_pending", "kube_pod_status_ready"} <= used
    _assert_known(used, "dashboards")
