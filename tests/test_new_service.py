"""scripts/new_service.py: what `make new-service` writes, and what it refuses.

These run the generator with --root (a temporary folder); e2e/test_new_service.py starts what it makes.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from crm_core.registry import REGISTRY, ServiceEntry, load

ROOT = Path(__file__).resolve().parent.parent
ROLE_FILES = {
    "__init__.py",
    "__main__.py",
    "main.py",
    "migrate.py",
    "models.py",
    "domain.py",
    "commands.py",
    "repository.py",
    "grpc_api.py",
    "consumers.py",
}


@pytest.fixture(scope="module")
def scaffold() -> ModuleType:
    spec = importlib.util.spec_from_file_location("new_service", ROOT / "scripts" / "new_service.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["new_service"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/new_service.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_a_new_service_has_every_role_file_migrations_tests_proto_stubs_and_a_registry_entry(tmp_path: Path) -> None:
    result = run("survey", "--root", str(tmp_path), "--title-en", "Surveys", "--title-ru", "Опросы")
    assert result.returncode == 0, result.stderr
    package = tmp_path / "services" / "survey" / "src" / "crm_survey"
    assert {p.name for p in package.glob("*.py")} == ROLE_FILES
    assert (package / "migrations" / "versions" / "0001_initial.py").exists()
    assert (package / "migrations" / "env.py").exists()
    tests = tmp_path / "services" / "survey" / "tests"
    assert {str(p.relative_to(tests)) for p in tests.rglob("*.py")} == {
        "conftest.py",
        "unit/test_wiring.py",
        "integration/test_smoke.py",
    }
    proto = (tmp_path / "proto" / "crm" / "survey" / "v1" / "survey.proto").read_text()
    assert "package crm.survey.v1;" in proto and "service SurveyService {" in proto
    assert (tmp_path / "stubs" / "crm" / "survey" / "v1" / "survey_pb2_grpc.py").exists()
    registry = load((tmp_path / "services.toml").read_text(), REGISTRY)
    assert registry["survey"] == ServiceEntry(
        "survey", max(e.grpc_port for e in REGISTRY.values()) + 1, "Surveys", "Опросы"
    )
    assert "{{" not in "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".pyc")


def test_the_generated_code_is_lint_clean(tmp_path: Path) -> None:
    assert run("survey", "--root", str(tmp_path)).returncode == 0
    ruff = Path(sys.executable).with_name("ruff")
    for check in (["check"], ["format", "--check"]):
        lint = subprocess.run(
            [str(ruff), *check, "--no-cache", "--config", str(ROOT / "ruff.toml"), str(tmp_path / "services")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deals"], "in the registry already"),
        (["Survey"], "lowercase identifier"),
        (["9lives"], "lowercase identifier"),
        (["common"], "lowercase identifier"),
        (["survey", "--port", "50051"], "is taken"),
        (["survey", "--port", "50050"], "is taken"),
    ],
)
def test_a_taken_or_malformed_name_or_port_is_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(*args, "--root", str(tmp_path))
    assert result.returncode != 0
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_refuses_and_leaves_the_first_service_as_it_was(tmp_path: Path) -> None:
    assert run("survey", "--root", str(tmp_path)).returncode == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = run("survey", "--root", str(tmp_path))
    assert again.returncode != 0
    assert "in the registry already" in again.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_folder_left_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "services" / "survey").mkdir(parents=True)
    result = run("survey", "--root", str(tmp_path))
    assert result.returncode != 0
    assert "exists already" in result.stderr
    assert not (tmp_path / "services.toml").exists()


def test_the_chart_entry_goes_under_the_services_map(scaffold: ModuleType, tmp_path: Path) -> None:
    values = tmp_path / "charts" / "crm" / "values.yaml"
    values.parent.mkdir(parents=True)
    values.write_text("global:\n  logLevel: INFO\n\nservices:\n  contacts:\n    grpcPort: 50051\n\ngateway:\n  x: 1\n")
    entry = ServiceEntry("survey", 50070, "Surveys", "Опросы")
    assert "added" in scaffold.add_to_chart(tmp_path, entry)
    parsed = yaml.safe_load(values.read_text())
    assert parsed["services"] == {"contacts": {"grpcPort": 50051}, "survey": {"grpcPort": 50070}}
    assert parsed["gateway"] == {"x": 1}


def test_without_a_services_map_the_chart_is_left_alone_and_the_entry_is_shown(
    scaffold: ModuleType, tmp_path: Path
) -> None:
    values = tmp_path / "charts" / "crm" / "values.yaml"
    values.parent.mkdir(parents=True)
    values.write_text("contacts:\n  enabled: true\n")
    note = scaffold.add_to_chart(tmp_path, ServiceEntry("survey", 50070, "Surveys", "Опросы"))
    assert "survey:" in note and "grpcPort: 50070" in note
    assert values.read_text() == "contacts:\n  enabled: true\n"


def test_a_failed_step_takes_back_what_was_written(
    scaffold: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def protoc_fails(*args: object, **kwargs: object) -> None:
        raise SystemExit("protoc failed")

    monkeypatch.setattr(scaffold.gen_proto, "generate", protoc_fails)
    with pytest.raises(SystemExit, match="protoc failed"):
        scaffold.generate(ServiceEntry("survey", 50070, "Surveys", "Опросы"), scaffold.Target.of(tmp_path))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert not (tmp_path / "services" / "survey").exists()
