"""Image build files: one recipe (docker/service.Dockerfile) for every workload.

services/<domain>/Dockerfile and gateway/Dockerfile are generated from it so
that a plain `docker build -f <dir>/Dockerfile .` works; these tests fail when
one drifts, is missing, or a workload has no chart. Regenerate with

    .venv/bin/python tests/charts/test_images.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SHARED_DOCKERFILE = REPO / "docker" / "service.Dockerfile"


def workloads() -> list[str]:
    """Workloads as the umbrella chart lists them (the Tiltfile and chart tests use the same list)."""
    meta = yaml.safe_load((REPO / "charts" / "crm" / "Chart.yaml").read_text())
    return [dep["name"] for dep in meta["dependencies"]]


def source_dir(workload: str) -> str:
    return "gateway" if workload == "gateway" else f"services/{workload}"


def generated_dockerfile(workload: str) -> str:
    """The shared Dockerfile with the SERVICE (and SERVICE_DIR, WEB_CLIENT) defaults filled in."""
    directive, rest = SHARED_DOCKERFILE.read_text().split("\n", 1)
    assert directive.startswith("# syntax="), "the syntax directive must stay on the first line"
    global_args, first_from, stages = re.split(r"^(FROM .*)$", rest, maxsplit=1, flags=re.M)
    global_args = re.sub(r"^ARG SERVICE$", f"ARG SERVICE={workload}", global_args, count=1, flags=re.M)
    if source_dir(workload) != f"services/{workload}":
        global_args = re.sub(
            r"^ARG SERVICE_DIR=.*$", f"ARG SERVICE_DIR={source_dir(workload)}", global_args, count=1, flags=re.M
        )
    if workload == "gateway":  # the gateway serves the web client: its image carries web/
        global_args = re.sub(r"^ARG WEB_CLIENT=.*$", "ARG WEB_CLIENT=web", global_args, count=1, flags=re.M)
    notice = (
        f"# GENERATED from docker/service.Dockerfile (SERVICE={workload}): edit that file,\n"
        "# then run `.venv/bin/python tests/charts/test_images.py`.\n"
        f"# Build from the repository root: docker build -f {source_dir(workload)}/Dockerfile -t crm/{workload} .\n"
    )
    return f"{directive}\n{notice}{global_args}{first_from}{stages}"


@pytest.mark.parametrize("workload", workloads())
def test_workload_dockerfile_is_generated_from_the_shared_one(workload: str) -> None:
    path = REPO / source_dir(workload) / "Dockerfile"
    assert path.exists(), f"{path} missing: run .venv/bin/python tests/charts/test_images.py"
    assert path.read_text() == generated_dockerfile(workload), (
        f"{path} is stale: run .venv/bin/python tests/charts/test_images.py"
    )


def test_shared_dockerfile_builds_a_non_root_image_of_local_packages() -> None:
    text = SHARED_DOCKERFILE.read_text()
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\} AS runtime$", text, flags=re.M)
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert re.search(r"^USER 10001:10001$", text, flags=re.M), "numeric non-root user (runAsNonRoot checks it)"
    install = re.search(r"^RUN pip install (.*?)(\\|$)", text, flags=re.M)
    assert install and "-e " not in install.group(1) and "[" not in install.group(1), "regular installs, no extras"
    assert "PIP_NO_CACHE_DIR=1" in text
    assert "CRM_SERVICE_MODULE=crm_${SERVICE}" in text and r"exec python -m \"$CRM_SERVICE_MODULE\"" in text


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


def test_every_service_package_has_an_image_a_chart_and_a_place_in_the_umbrella() -> None:
    packages = [*sorted(p.parent.name for p in (REPO / "services").glob("*/pyproject.toml")), "gateway"]
    for name in packages:
        assert name in workloads(), f"add {name} to charts/crm/Chart.yaml dependencies"
        assert (REPO / "charts" / name / "Chart.yaml").exists(), f"charts/{name} missing (copy charts/contacts)"
        assert (REPO / source_dir(name) / "pyproject.toml").exists()


if __name__ == "__main__":
    for name in workloads():
        target = REPO / source_dir(name) / "Dockerfile"
        if target.parent.exists():
            target.write_text(generated_dockerfile(name))
            print(f"wrote {target.relative_to(REPO)}")
        else:
            print(f"skipped {name}: {target.parent.relative_to(REPO)} does not exist", file=sys.stderr)
