"""Image build files: one recipe, docker/service.Dockerfile, for every workload.

Every image is built from it with build arguments (SERVICE, SERVICE_DIR, WEB_CLIENT for the gateway), by
hand, in CI and by the Tiltfile; there is no copy per service to drift.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SHARED_DOCKERFILE = REPO / "docker" / "service.Dockerfile"


def workloads() -> list[str]:
    """Workloads as the chart lists them: its `services:` map and the gateway (the Tiltfile reads the same)."""
    values = yaml.safe_load((REPO / "charts" / "crm" / "values.yaml").read_text())
    return [*values["services"], "gateway"]


def source_dir(workload: str) -> str:
    return "gateway" if workload == "gateway" else f"services/{workload}"


def test_one_dockerfile_and_no_copy_per_workload() -> None:
    places = ("Dockerfile*", "services/*/Dockerfile*", "gateway/Dockerfile*", "docker/*Dockerfile*")
    copies = sorted(str(p.relative_to(REPO)) for place in places for p in REPO.glob(place) if p != SHARED_DOCKERFILE)
    assert not copies, f"build every image from docker/service.Dockerfile with build arguments, not copies: {copies}"


def test_shared_dockerfile_builds_a_non_root_image_of_local_packages() -> None:
    text = SHARED_DOCKERFILE.read_text()
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\} AS runtime$", text, flags=re.M)
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert re.search(r"^USER 10001:10001$", text, flags=re.M), "numeric non-root user (runAsNonRoot checks it)"
    install = re.search(r"^RUN pip install (.*?)(\\|$)", text, flags=re.M)
    assert install and "-e " not in install.group(1) and "[" not in install.group(1), "regular installs, no extras"
    assert "PIP_NO_CACHE_DIR=1" in text
    assert "CRM_SERVICE_MODULE=crm_${SERVICE}" in text and r"exec python -m \"$CRM_SERVICE_MODULE\"" in text
    # The build argument the Tiltfile and the docs pass: services/<name> unless told otherwise.
    assert re.search(r"^ARG SERVICE_DIR=services/\$\{SERVICE\}$", text, flags=re.M)


def test_dockerignore_lets_in_everything_the_images_copy() -> None:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*", "an allowlist: start from nothing, then let in what the images need"
    allowed = {p.strip("!/") for p in patterns if p.startswith("!")}
    for ignored in ("**/.venv", "**/.git", "**/__pycache__", "**/.pytest_cache", "**/*.egg-info"):
        assert ignored in patterns
    sources = re.findall(r"^COPY (?!--from)(\S+) ", SHARED_DOCKERFILE.read_text(), flags=re.M)
    for name in workloads():
        for source in sources:
            top = source.replace("${SERVICE_DIR}", source_dir(name)).split("/")[0]
            assert top in allowed, f"{source} is copied but .dockerignore keeps {top}/ out"


def test_every_service_package_is_a_workload_of_the_chart() -> None:
    packages = [*sorted(p.parent.name for p in (REPO / "services").glob("*/pyproject.toml")), "gateway"]
    for name in packages:
        assert name in workloads(), f"add {name} to `services:` in charts/crm/values.yaml"
    for name in workloads():
        assert (REPO / source_dir(name) / "pyproject.toml").exists(), f"{name}: no package at {source_dir(name)}"


def test_tiltfile_builds_and_deploys_the_charts_workloads() -> None:
    tiltfile = (REPO / "Tiltfile").read_text()
    assert "read_yaml('charts/crm/values.yaml')['services']" in tiltfile
    assert "dockerfile='docker/service.Dockerfile'" in tiltfile
    assert "Chart.yaml" not in tiltfile and "dependency build" not in tiltfile
