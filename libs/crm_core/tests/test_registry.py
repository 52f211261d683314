import os
from pathlib import Path

import pytest

from crm_core.launcher import PlatformConfig
from crm_core.registry import EXTRA_VARIABLE, REGISTRY, SERVICES, extra_files, load, load_with, next_free_port


def test_the_shipped_registry_names_every_service_once_with_its_own_port() -> None:
    assert SERVICES[:3] == ("contacts", "deals", "tasks")
    assert len({e.grpc_port for e in REGISTRY.values()}) == len(SERVICES)
    deals = REGISTRY["deals"]
    assert (deals.package, deals.database, deals.env_prefix) == ("crm_deals", "crm_deals", "CRM_DEALS_")
    assert deals.local_target == "127.0.0.1:50052"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[Bad-Name]\ngrpc_port = 1\ntitle_en = "x"\ntitle_ru = "x"', "lowercase identifier"),
        ('[a1]\ngrpc_port = 50050\ntitle_en = "x"\ntitle_ru = "x"', "is taken"),
        (
            '[aa]\ngrpc_port = 2\ntitle_en = "x"\ntitle_ru = "x"\n[bb]\ngrpc_port = 2\ntitle_en = "y"\ntitle_ru = "y"',
            "is taken",
        ),
    ],
)
def test_a_malformed_registry_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load(text)


def test_an_extra_registry_file_adds_services_after_the_shipped_ones(tmp_path: Path) -> None:
    extra = tmp_path / "services.toml"
    extra.write_text('[demo]\ngrpc_port = 50077\ntitle_en = "Demo"\ntitle_ru = "Демо"\n', encoding="utf-8")
    merged = load_with(extra_files(str(extra)))
    assert tuple(merged) == (*SERVICES, "demo")
    assert merged["demo"].title_ru == "Демо"
    assert next_free_port(merged) == 50078


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[deals]\ngrpc_port = 50077\ntitle_en = "x"\ntitle_ru = "x"', "in the registry already"),
        ('[demo]\ngrpc_port = 50051\ntitle_en = "x"\ntitle_ru = "x"', "is taken"),
        ('[demo]\ngrpc_port = 50077\ntitle_en = "x"', "title_ru"),
    ],
)
def test_an_extra_registry_may_not_take_a_name_or_port_or_leave_a_field_out(
    tmp_path: Path, text: str, message: str
) -> None:
    extra = tmp_path / "services.toml"
    extra.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_with([extra])
    assert str(extra) in str(info.value)


def test_the_launcher_passes_the_extra_registry_and_import_path_to_its_processes(tmp_path: Path) -> None:
    extra = tmp_path / "services.toml"
    extra.write_text('[demo]\ngrpc_port = 50077\ntitle_en = "Demo"\ntitle_ru = "Демо"\n', encoding="utf-8")
    config = PlatformConfig.isolated("reg", "pw", extra_registry=[extra], pythonpath=[tmp_path / "src"])
    assert config.services == (*SERVICES, "demo")
    env = config.env()
    assert env[EXTRA_VARIABLE].split(os.pathsep)[-1] == str(extra)
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path / "src")
    assert env["CRM_DEMO_GRPC_PORT"] == str(config.grpc_ports["demo"]) != "50077"
    assert env["CRM_DEMO_DATABASE_URL"].endswith("/crm_reg_demo")
