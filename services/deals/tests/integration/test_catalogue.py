"""The catalogue over gRPC: who may change it, search and pages, articles, archiving, bad input."""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb
from crm_core.auth import Caller
from crm_core.testing import CallerStub


@pytest.fixture
def manager(channel) -> CallerStub:  # type: ignore[no-untyped-def]
    """A user with the catalog_manager role (and no admin rights)."""
    from crm.deals.v1 import deals_pb2_grpc

    return CallerStub(deals_pb2_grpc.DealsServiceStub(channel), Caller("u-cm", frozenset({"catalog_manager"})))


def product(**fields) -> pb.Product:  # type: ignore[no-untyped-def]
    data = {"name": f"Стеллаж {uuid.uuid4().hex[:8]}", "unit_code": "796", "vat_rate": "22"}
    data.update(fields)
    prices = data.pop("prices", [{"price_list": "base", "currency": "RUB", "price": "12200.00"}])
    return pb.Product(**data, prices=[pb.ProductPrice(**p) for p in prices])


def update(p: pb.Product, paths: list[str], version: int = 0) -> pb.UpdateProductRequest:
    return pb.UpdateProductRequest(
        product=p, update_mask=field_mask_pb2.FieldMask(paths=paths), expected_version=version
    )


async def test_a_catalog_manager_creates_and_everyone_reads_a_product(manager, alice) -> None:
    created = await manager.CreateProduct(pb.CreateProductRequest(product=product(description="Металлический")))
    assert (created.kind, created.unit_code, created.vat_rate, created.version) == ("product", "796", "22", 1)
    assert created.created_by == "u-cm" and created.prices[0].price == "12200.00"
    read = await alice.GetProduct(pb.GetProductRequest(id=created.id))
    assert read == created


async def test_a_user_without_the_role_may_not_change_the_catalogue(alice, admin, rejected) -> None:
    detail = await rejected(
        alice.CreateProduct(pb.CreateProductRequest(product=product())), grpc.StatusCode.PERMISSION_DENIED
    )
    assert detail.code == "catalog_manager_only"
    created = await admin.CreateProduct(pb.CreateProductRequest(product=product()))
    created.name = "Чужое"
    await rejected(alice.UpdateProduct(update(created, ["name"])), grpc.StatusCode.PERMISSION_DENIED)


async def test_update_with_version_and_archive_hides_it_from_the_list_but_not_from_get(admin, alice, rejected) -> None:
    tag = uuid.uuid4().hex[:8]
    created = await admin.CreateProduct(pb.CreateProductRequest(product=product(name=f"Монтаж {tag}", kind="service")))
    created.name = f"Монтаж стеллажей {tag}"
    renamed = await admin.UpdateProduct(update(created, ["name"], created.version))
    assert (renamed.name, renamed.version) == (f"Монтаж стеллажей {tag}", 2)
    await rejected(admin.UpdateProduct(update(created, ["name"], 1)), grpc.StatusCode.ABORTED)
    renamed.archived = True
    archived = await admin.UpdateProduct(update(renamed, ["archived"], renamed.version))
    assert archived.archived
    listed = await alice.ListProducts(pb.ListProductsRequest(query="монтаж"))
    assert archived.id not in [p.id for p in listed.products]
    with_archived = await alice.ListProducts(pb.ListProductsRequest(query="Монтаж", include_archived=True, limit=200))
    assert archived.id in [p.id for p in with_archived.products]
    assert (await alice.GetProduct(pb.GetProductRequest(id=archived.id))).archived


async def test_list_searches_name_or_article_prefix_by_kind_in_pages(admin, alice) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    for i in range(5):
        await admin.CreateProduct(
            pb.CreateProductRequest(product=product(name=f"Кабель {tag} {i}", article=f"KB-{tag}-{i}"))
        )
    await admin.CreateProduct(pb.CreateProductRequest(product=product(name=f"Прокладка кабеля {tag}", kind="service")))
    seen: list[str] = []
    cursor = ""
    while True:
        page = await alice.ListProducts(pb.ListProductsRequest(query=f"кабель {tag.lower()}", limit=2, cursor=cursor))
        seen += [p.name for p in page.products]
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == [f"Кабель {tag} {i}" for i in range(5)]
    by_article = await alice.ListProducts(pb.ListProductsRequest(query=f"kb-{tag.lower()}-3"))
    assert [p.article for p in by_article.products] == [f"KB-{tag}-3"]
    services = await alice.ListProducts(pb.ListProductsRequest(query="Прокладка", kind="service", limit=200))
    assert f"Прокладка кабеля {tag}" in [p.name for p in services.products]
    goods = await alice.ListProducts(pb.ListProductsRequest(query="Прокладка", kind="product", limit=200))
    assert f"Прокладка кабеля {tag}" not in [p.name for p in goods.products]


async def test_article_is_unique_among_products_on_offer(admin, rejected) -> None:
    article = f"SKU-{uuid.uuid4().hex[:8]}"
    first = await admin.CreateProduct(pb.CreateProductRequest(product=product(article=article)))
    detail = await rejected(
        admin.CreateProduct(pb.CreateProductRequest(product=product(article=article))), grpc.StatusCode.ALREADY_EXISTS
    )
    assert detail.code == "article_exists"
    first.archived = True
    await admin.UpdateProduct(update(first, ["archived"]))
    second = await admin.CreateProduct(pb.CreateProductRequest(product=product(article=article)))
    assert second.article == article
    # Restoring the archived one would put two products with one article on offer.
    await rejected(
        admin.UpdateProduct(update(pb.Product(id=first.id, archived=False), ["archived"])),
        grpc.StatusCode.ALREADY_EXISTS,
    )


async def test_bad_product_input_names_every_field(admin, rejected) -> None:
    bad = product(
        name="x" * 301,
        kind="gadget",
        unit_code="шт",
        vat_rate="18",
        prices=[{"price_list": "base", "currency": "RUB", "price": "-1"}, {"price_list": "Base!", "price": "1"}],
    )
    detail = await rejected(admin.CreateProduct(pb.CreateProductRequest(product=bad)), grpc.StatusCode.INVALID_ARGUMENT)
    assert {(f.field, f.code) for f in detail.field_violations} == {
        ("name", "too_long"),
        ("kind", "unknown_kind"),
        ("unit_code", "unknown_unit"),
        ("vat_rate", "unknown_vat_rate"),
        ("prices[0].price", "negative_amount"),
        ("prices[1].price_list", "invalid_code"),
    }
    unlisted = await rejected(
        admin.CreateProduct(pb.CreateProductRequest(product=product(unit_code="999"))), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert [(f.field, f.code) for f in unlisted.field_violations] == [("unit_code", "unknown_unit")]


async def test_units_are_a_shipped_bilingual_code_list(alice) -> None:
    units = await alice.ListCodes(common_pb2.ListCodesRequest(list="units"))
    labels = {u.code: (u.label_ru, u.label_en) for u in units.codes}
    assert labels["796"] == ("шт", "pcs")
    assert labels["055"] == ("м²", "m²")
    assert labels["539"] == ("чел.-ч", "man-h")
    assert {"006", "113", "112", "166", "168", "356", "362", "839", "778", "876"} <= set(labels)
