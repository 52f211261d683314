"""The chart through a policy scanner: checkov (its Kubernetes checks) over the rendered objects.

checkov runs from its own virtual environment (`make scanner`, .venv-scan, checkov from PyPI) over the
chart rendered twice, objects in their namespace as `helm install -n` puts them: with the default values,
and as a production install would be (every optional object on, images pinned by digest). Every finding
left is accepted, with its reason, in scanner_accepted.yaml; a new finding fails, and so does an accepted
one that no longer occurs.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from rendering import NAMESPACE, REPO, render

CHECKOV = REPO / ".venv-scan" / "bin" / "checkov"
ACCEPTED = Path(__file__).with_name("scanner_accepted.yaml")
DIGEST = "sha256:" + "0" * 64
PRODUCTION: dict[str, Any] = {
    "defaults": {"image": {"digest": DIGEST}, "serviceMonitor": {"enabled": True}, "autoscaling": {"enabled": True}},
    "gateway": {"ingress": {"enabled": True, "hosts": [{"host": "crm.example.com", "paths": [{"path": "/"}]}]}},
    "nats": {"enabled": True, "replicas": 3, "image": {"digest": DIGEST}},
    "otelCollector": {"enabled": True, "image": {"digest": DIGEST}},
}
SCENARIOS = {"defaults": {}, "production": PRODUCTION}


def _findings(tmp_path: Path, values: dict[str, Any]) -> set[tuple[str, str]]:
    """(check id, Kind/name) of every failed check."""
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: run `make scanner` (checkov in its own virtual environment)")
    objects = render(values)
    for o in objects:
        o["metadata"]["namespace"] = NAMESPACE
    (tmp_path / "chart.yaml").write_text(yaml.safe_dump_all(objects))
    run = subprocess.run(
        # --skip-download: offline, no guideline links from Prisma Cloud.
        [
            str(CHECKOV),
            "--directory",
            str(tmp_path),
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert run.returncode in (0, 1), run.stderr[-3000:]  # 1: findings
    report = json.loads(run.stdout)
    reports = report if isinstance(report, list) else [report]
    assert sum(r["summary"]["passed"] for r in reports) > 100, "checkov ran no checks"
    found = set()
    for r in reports:
        for check in r["results"]["failed_checks"]:
            # Kind.namespace.name, and for graph checks the pod's labels after it.
            kind, namespace, name = check["resource"].split(".", 3)[:3]
            assert namespace == NAMESPACE, check["resource"]
            found.add((check["check_id"], f"{kind}/{name}"))
    return found


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_checkov_finds_nothing_but_the_accepted_findings(scenario: str, tmp_path: Path) -> None:
    accepted = [e for e in yaml.safe_load(ACCEPTED.read_text()) if scenario in e["scenarios"]]
    for entry in accepted:
        assert entry["reason"].strip() and entry["id"] and entry["resources"], entry
    found = _findings(tmp_path, SCENARIOS[scenario])

    def is_accepted(finding: tuple[str, str]) -> bool:
        check, resource = finding
        return any(
            e["id"] == check and any(fnmatch.fnmatchcase(resource, pattern) for pattern in e["resources"])
            for e in accepted
        )

    new = sorted(f for f in found if not is_accepted(f))
    assert not new, f"new scanner findings (fix them, or accept them with a reason in {ACCEPTED.name}): {new}"
    stale = [e["id"] for e in accepted if not any(e["id"] == check for check, _ in found)]
    assert not stale, f"accepted findings that no longer occur (remove them from {ACCEPTED.name}): {stale}"
