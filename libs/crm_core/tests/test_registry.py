import pytest

from crm_core.registry import REGISTRY, SERVICES, load


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
