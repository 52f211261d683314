"""Rendering the chart offline for the tests of tests/charts.

helm-python-sdk (Helm v4 built into a shared library) renders; each object is
parsed refusing duplicate keys and validated against the Kubernetes API
schemas (kubernetes-validate, strict). No cluster, no network, no helm binary.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate import utils as kv_utils

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "crm"
RELEASE = "crm"
NAMESPACE = "crm"
# Oldest Kubernetes the chart supports (native gRPC probes are GA since 1.27,
# autoscaling/v2 and policy/v1 long before), and the newest schemas shipped.
KUBE_VERSIONS = ("1.30.0", kv_utils.latest_version())
# Custom resources: no upstream schema, so they are the only objects left unvalidated.
CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor"), ("monitoring.coreos.com/v1", "PrometheusRule")}

Manifest = dict[str, Any]

CHART_VALUES: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text())
SERVICES = list(CHART_VALUES["services"])
WORKLOADS = [*SERVICES, "gateway"]


class _NoDuplicateKeysLoader(yaml.SafeLoader):
    """The API server rejects duplicate keys (e.g. a label set twice); PyYAML would keep the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
        if duplicates:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


@functools.cache
def _render_cached(values_json: str) -> tuple[tuple[str, Manifest], ...]:
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(json.loads(values_json), name=RELEASE, namespace=NAMESPACE, is_install=True)
    objects: list[tuple[str, Manifest]] = []
    for source, text in sorted(rendered.items()):
        if source.endswith("NOTES.txt"):
            continue
        for doc in yaml.load_all(text, Loader=_NoDuplicateKeysLoader):
            if doc:
                objects.append((source, doc))
    return tuple(objects)


def render(values: dict[str, Any] | None = None) -> list[Manifest]:
    """Render the chart offline as release `crm`; returns the objects (deep copies)."""
    objects = _render_cached(json.dumps(values or {}, sort_keys=True))
    return json.loads(json.dumps([doc for _, doc in objects]))


def sources(values: dict[str, Any] | None = None) -> dict[tuple[str, str], str]:
    """(kind, name) -> the template file that rendered it."""
    objects = _render_cached(json.dumps(values or {}, sort_keys=True))
    return {(doc["kind"], doc["metadata"]["name"]): source for source, doc in objects}


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


def validate(objects: list[Manifest]) -> None:
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


def secrets_read(workload: Manifest) -> dict[str, dict[str, Any]]:
    """Variable -> {name, key[, optional]} of each Secret key the workload's container reads.

    As an environment variable (secretKeyRef), or as a file named like the variable
    in the projected volume mounted at its CRM_SECRETS_DIR (secretsAsFiles).
    """
    spec = workload["spec"]["template"]["spec"]
    (c,) = spec["containers"]
    env = env_of(c)
    read = {
        name: var["valueFrom"]["secretKeyRef"]
        for name, var in env.items()
        if "secretKeyRef" in var.get("valueFrom", {})
    }
    if "CRM_SECRETS_DIR" in env:
        (mount,) = [m for m in c["volumeMounts"] if m["mountPath"] == env["CRM_SECRETS_DIR"]["value"]]
        (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
        for source in volume["projected"]["sources"]:
            secret = source["secret"]
            for item in secret["items"]:
                ref = {"name": secret["name"], "key": item["key"]}
                read[item["path"]] = {**ref, "optional": True} if secret.get("optional") else ref
    return read
