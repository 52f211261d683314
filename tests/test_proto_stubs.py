"""The checked-in stubs in libs/crm_proto are exactly what `make proto` generates."""

import filecmp
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED_IN = ROOT / "libs" / "crm_proto" / "src"


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_proto", ROOT / "scripts" / "gen_proto.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_proto"] = module
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_generated_stubs_are_up_to_date(tmp_path):
    _load_generator().generate(tmp_path)
    generated = _files(tmp_path)
    checked_in = {f for f in _files(CHECKED_IN) if not f.startswith("crm_proto.egg-info")}
    assert generated == checked_in, "stale stubs: run `make proto` and commit libs/crm_proto"
    different = [f for f in generated if not filecmp.cmp(tmp_path / f, CHECKED_IN / f, shallow=False)]
    assert different == [], f"stale stubs: run `make proto` and commit libs/crm_proto ({different})"


def test_every_proto_has_a_package_matching_its_path():
    for proto in (ROOT / "proto").rglob("*.proto"):
        package = next(line for line in proto.read_text().splitlines() if line.startswith("package "))
        expected = ".".join(proto.parent.relative_to(ROOT / "proto").parts)
        assert package == f"package {expected};", proto
