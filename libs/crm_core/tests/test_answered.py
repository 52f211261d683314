"""The key a stored answer goes by: one caller's one request, copied fields aside."""

from __future__ import annotations

from crm.deals.v1 import deals_pb2 as pb
from crm_core.answered import copied_fields, request_key

METHOD = "/crm.test.v1.Copies/CreateDeal"


def create(title: str, client_name: str) -> pb.CreateDealRequest:
    return pb.CreateDealRequest(deal=pb.Deal(title=title, client_id="c-1", client_name=client_name))


def test_another_body_is_another_request() -> None:
    first = request_key("u-1", "k", "/crm.test.v1.Plain/CreateDeal", create("Поставка", "ООО Старое"))
    renamed = request_key("u-1", "k", "/crm.test.v1.Plain/CreateDeal", create("Поставка", "ООО Новое"))
    assert first != renamed


def test_a_copied_field_does_not_tell_a_retry_apart_but_the_rest_of_the_body_does() -> None:
    copied_fields(METHOD, "deal.client_name")
    first = request_key("u-1", "k", METHOD, create("Поставка", "ООО Старое"))
    assert request_key("u-1", "k", METHOD, create("Поставка", "ООО Новое")) == first
    assert request_key("u-1", "k", METHOD, create("Другая поставка", "ООО Старое")) != first
    assert request_key("u-2", "k", METHOD, create("Поставка", "ООО Старое")) != first


def test_clearing_a_copied_field_leaves_the_request_itself_alone() -> None:
    copied_fields(METHOD, "deal.client_name")
    request = create("Поставка", "ООО Старое")
    request_key("u-1", "k", METHOD, request)
    assert request.deal.client_name == "ООО Старое"
