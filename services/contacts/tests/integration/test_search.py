"""ListParties/CountParties: full-text, fuzzy and phone search, filters, sort, cursors, saved filters."""

from __future__ import annotations

import random

import grpc

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts import repository

INVALID = grpc.StatusCode.INVALID_ARGUMENT


def f(field: str, op: str, value: str) -> common_pb2.Filter:
    return common_pb2.Filter(field=field, op=op, value=value)


async def ids(stub, **request) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.id for p in (await stub.ListParties(pb.ListPartiesRequest(**request))).parties]


async def test_word_prefix_finds_the_party(alice, parties, by_tag) -> None:
    romashka = await parties.new_company(alice, display_name="Ромашка Цветочная")
    await parties.new_company(alice, display_name="Лютик Полевой")
    assert await ids(alice, query="Ром", filters=by_tag) == [romashka.id]
    assert await ids(alice, query="цвет ром", filters=by_tag) == [romashka.id]  # words in any order
    assert (await alice.CountParties(pb.CountPartiesRequest(query="Ром", filters=by_tag))).count == 1


def stem() -> str:
    """A made-up word no other test's party has: similar names are looked for in the whole base."""
    return "Зеф" + "".join(random.choices("абвгдеклмнопрстуф", k=6))


async def test_name_with_a_typo_is_found(alice, parties, by_tag) -> None:
    word = stem()
    named = await parties.new_company(alice, display_name=word)
    await parties.new_company(alice, display_name="Василёк")
    typo = word[:5] + ("о" if word[5] != "о" else "а") + word[6:]
    assert await ids(alice, query=typo, filters=by_tag) == [named.id]


async def test_query_is_ranked_by_relevance_by_default(alice, parties, by_tag) -> None:
    loose = await parties.new_company(alice, display_name="Торговый дом Ромашка и партнёры Северо-Запад")
    exact = await parties.new_company(alice, display_name="Ромашка")
    assert await ids(alice, query="ромашка", filters=by_tag) == [exact.id, loose.id]
    assert await ids(alice, query="ромашка", filters=by_tag, sort="-created_at") == [exact.id, loose.id]
    assert await ids(alice, query="ромашка", filters=by_tag, sort="created_at") == [loose.id, exact.id]


async def test_like_wildcards_in_a_query_are_no_wildcards(alice, parties, by_tag) -> None:
    await parties.new_company(alice, display_name="Ромашка")
    discount = await parties.new_company(alice, display_name="Скидки 100%_всем")
    assert await ids(alice, query="100%_всем", filters=by_tag) == [discount.id]
    for wildcard in ("%", "_", "\\", "%_%"):  # punctuation alone is no word: nothing, rather than everything
        assert await ids(alice, query=wildcard, filters=by_tag) == []
        assert (await alice.CountParties(pb.CountPartiesRequest(query=wildcard, filters=by_tag))).count == 0


async def test_phone_typed_in_another_format_finds_the_party(alice, parties, by_tag) -> None:
    d = "9" + "".join(random.choices("0123456789", k=9))
    mobile = await parties.new_person(
        alice, phones=[{"kind": "mobile", "value": f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"}]
    )
    await parties.new_person(alice)
    assert await ids(alice, query=f"8 {d[:3]} {d[3:6]} {d[6:8]} {d[8:]}", filters=by_tag) == [mobile.id]
    assert await ids(alice, query=f"8{d}", filters=by_tag) == [mobile.id]
    assert await ids(alice, filters=[*by_tag, f("phone", "eq", f"8-{d[:3]}-{d[3:]}")]) == [mobile.id]


async def test_the_last_digits_of_a_phone_find_the_party(alice, parties, by_tag) -> None:
    d = "9" + "".join(random.choices("0123456789", k=9))
    mobile = await parties.new_person(
        alice, phones=[{"kind": "mobile", "value": f"8 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"}]
    )
    await parties.new_person(alice, phones=[{"kind": "work", "value": f"+7 495 {d[4:7]}-{d[2:4]}-{d[:2]}"}])
    for fragment in (d[-4:], d[-5:], d[-6:], f"{d[-4:-2]}-{d[-2:]}", f"{d[3:6]}-{d[6:8]}"):
        assert await ids(alice, query=fragment, filters=by_tag) == [mobile.id], fragment
    assert (await alice.CountParties(pb.CountPartiesRequest(query=d[-5:], filters=by_tag))).count == 1


async def test_relevance_bands_exact_then_leading_names_then_words_then_similar(alice, parties, by_tag) -> None:
    word = stem()
    words = await parties.new_company(alice, display_name=f"Торговый дом {word}")
    similar = await parties.new_company(alice, display_name=f"{word[:-1]}ино")
    plus = await parties.new_company(alice, display_name=f"{word} Плюс")
    agro = await parties.new_company(alice, display_name=f"{word}-Агро")
    exact = await parties.new_company(alice, display_name=f"ООО «{word}»")
    await parties.new_company(alice, display_name="Василёк")
    expected = [exact.id, agro.id, plus.id, words.id, similar.id]
    assert await ids(alice, query=word, filters=by_tag) == expected
    for limit in (1, 2, 3, 4, 5):  # bands cut across pages, every party exactly once, no empty last page
        seen, pages = await _all_pages(alice, limit, query=word, filters=by_tag)
        assert seen == expected and pages == -(-len(expected) // limit), limit
    count = await alice.CountParties(pb.CountPartiesRequest(query=word, filters=by_tag))
    assert (count.count, count.capped) == (5, False)


async def test_a_count_beyond_the_cap_says_more_than(alice, parties, by_tag, monkeypatch) -> None:
    monkeypatch.setattr(repository, "COUNT_CAP", 3)
    for _ in range(4):
        await parties.new_company(alice, display_name="Ромашка")
    capped = await alice.CountParties(pb.CountPartiesRequest(query="ромашка", filters=by_tag))
    assert (capped.count, capped.capped) == (3, True)
    exact = await alice.CountParties(pb.CountPartiesRequest(filters=[*by_tag, f("kind", "eq", "person")]))
    assert (exact.count, exact.capped) == (0, False)


async def test_inn_and_email_find_the_party(alice, parties, by_tag) -> None:
    company = await parties.new_company(alice)
    await parties.new_company(alice)
    assert await ids(alice, query=company.company.inn, filters=by_tag) == [company.id]
    assert await ids(alice, query=company.emails[0].value.upper(), filters=by_tag) == [company.id]
    assert await ids(alice, filters=[*by_tag, f("company.inn", "eq", company.company.inn)]) == [company.id]


async def test_filters_on_columns_tags_and_dates(alice, parties, tag, by_tag) -> None:
    retail = await parties.new_company(alice, company={"industry": "Ритейл"}, tags=[tag, "vip"])
    bank = await parties.new_company(alice, company={"industry": "Банки"}, tags=[tag, "key"])
    third = await parties.new_company(alice, company={"industry": "Ритейл"})
    assert await ids(alice, filters=[*by_tag, f("industry", "eq", "Ритейл")], sort="created_at") == [
        retail.id,
        third.id,
    ]
    assert await ids(alice, filters=[*by_tag, f("industry", "ne", "Ритейл")]) == [bank.id]
    assert await ids(alice, filters=[*by_tag, f("tags", "in", "vip,key")], sort="created_at") == [retail.id, bank.id]
    since = bank.created_at.ToJsonString()
    assert await ids(alice, filters=[*by_tag, f("created_at", "gte", since)], sort="created_at") == [bank.id, third.id]
    assert await ids(alice, filters=[*by_tag, f("created_at", "lt", since)]) == [retail.id]


async def test_filter_on_a_custom_number_field(admin, alice, parties, tag, by_tag) -> None:
    key = f"budget_{tag}"
    await admin.CreateCustomField(
        common_pb2.CustomFieldDefinition(entity_type="company", key=key, label="Бюджет", type="number")
    )
    small = await parties.new_company(alice, custom_fields={key: 90000})
    big = await parties.new_company(alice, custom_fields={key: 250000.5})
    await parties.new_company(alice)
    assert await ids(alice, filters=[*by_tag, f(f"cf.{key}", "gte", "100000")]) == [big.id]
    assert await ids(alice, filters=[*by_tag, f(f"cf.{key}", "lt", "100000")]) == [small.id]
    assert await ids(alice, filters=[*by_tag, f(f"cf.{key}", "exists", "true")], sort="created_at") == [
        small.id,
        big.id,
    ]


async def test_filters_on_client_knowledge(alice, parties, by_tag) -> None:
    cashier = await parties.new_company(
        alice,
        knowledge={
            "needs": [{"product": "Кассы", "we_offer": True}, {"product": "Доставка"}],
            "payment_discipline": "punctual",
            "season_months": [11, 12],
            "refusal_reasons": [{"code": "price"}],
        },
    )
    courier = await parties.new_company(
        alice,
        knowledge={
            "needs": [{"product": "Доставка", "we_offer": True}],
            "payment_discipline": "chronic_delays",
            "season_months": [6],
            "refusal_reasons": [{"code": "competitor"}],
        },
    )
    await parties.new_company(alice)

    async def found(*filters: common_pb2.Filter) -> set[str]:
        return set(await ids(alice, filters=[*by_tag, *filters]))

    assert await found(f("need", "eq", "Доставка")) == {cashier.id, courier.id}
    assert await found(f("unmet_need", "eq", "Доставка")) == {cashier.id}
    assert await found(f("unmet_need", "eq", "Кассы")) == set()
    assert await found(f("refusal_reason", "in", "price,timing")) == {cashier.id}
    assert await found(f("payment_discipline", "eq", "chronic_delays")) == {courier.id}
    assert await found(f("season_months", "eq", "12")) == {cashier.id}
    assert await found(f("season_months", "in", "6,11")) == {cashier.id, courier.id}


async def test_bad_filter_is_invalid_argument_naming_it(alice, by_tag, rejected) -> None:
    detail = await rejected(
        alice.ListParties(pb.ListPartiesRequest(filters=[*by_tag, f("secret", "eq", "x")])), INVALID
    )
    assert [(v.field, v.code) for v in detail.field_violations] == [("filters[1]", "unknown_filter_field")]
    detail = await rejected(
        alice.CountParties(pb.CountPartiesRequest(filters=[f("created_at", "gte", "вчера")])), INVALID
    )
    assert [(v.field, v.code) for v in detail.field_violations] == [("filters[0]", "invalid_filter_value")]
    detail = await rejected(alice.ListParties(pb.ListPartiesRequest(sort="-relevance")), INVALID)
    assert detail.field_violations[0].code == "relevance_needs_query"


async def test_sort_by_name_ascending_and_by_creation_descending(alice, parties, by_tag) -> None:
    names = ["Вектор", "Альфа", "Гранит", "Бриз"]
    created = [await parties.new_company(alice, display_name=name) for name in names]
    by_name = await alice.ListParties(pb.ListPartiesRequest(filters=by_tag, sort="display_name"))
    assert [p.display_name for p in by_name.parties] == sorted(names)
    newest = await ids(alice, filters=by_tag, sort="-created_at")
    assert newest == [p.id for p in reversed(created)]


async def _all_pages(stub, limit: int, **request) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    cursor, pages = "", 0
    while True:
        page = await stub.ListParties(pb.ListPartiesRequest(limit=limit, cursor=cursor, **request))
        pages += 1
        assert len(page.parties) <= limit
        seen += [p.id for p in page.parties]
        cursor = page.next_cursor
        if not cursor:
            return seen, pages


async def test_cursor_pages_return_every_party_exactly_once(alice, parties, tag, by_tag) -> None:
    # Duplicate names and one creation burst give ties that only the id breaks.
    created = [await parties.new_company(alice, display_name=f"Сеть {i % 3}") for i in range(8)]
    expected = {p.id for p in created}
    for sort, query in (("display_name", ""), ("-display_name,created_at", ""), ("-created_at", ""), ("", tag)):
        seen, pages = await _all_pages(alice, 3, filters=by_tag, sort=sort, query=query)
        assert len(seen) == len(expected) and set(seen) == expected, (sort, query)
        assert pages == 3, (sort, query)
    newest_first, _ = await _all_pages(alice, 3, filters=by_tag, sort="-created_at")
    assert newest_first == [p.id for p in reversed(created)]


async def test_malformed_or_foreign_cursor_is_invalid_argument(alice, parties, by_tag, rejected) -> None:
    for _ in range(3):
        await parties.new_company(alice)
    page = await alice.ListParties(pb.ListPartiesRequest(filters=by_tag, sort="display_name", limit=1))
    assert page.next_cursor
    for cursor, sort in (
        ("garbage!", "display_name"),
        (page.next_cursor, "-created_at"),
        (page.next_cursor, "created_at,display_name"),
    ):
        detail = await rejected(
            alice.ListParties(pb.ListPartiesRequest(filters=by_tag, sort=sort, cursor=cursor, limit=1)), INVALID
        )
        assert [(v.field, v.code) for v in detail.field_violations] == [("cursor", "invalid_cursor")], sort


async def test_saved_filters_own_and_shared(alice, bob, parties, tag, rejected) -> None:
    retail = await parties.new_company(alice, company={"industry": "Ритейл"})
    await parties.new_company(alice, company={"industry": "Банки"})
    private = await alice.CreateSavedFilter(
        pb.SavedFilter(
            name=f"Ритейл {tag}", filters=[f("tags", "eq", tag), f("industry", "eq", "Ритейл")], sort="display_name"
        )
    )
    shared = await alice.CreateSavedFilter(
        pb.SavedFilter(name=f"Все {tag}", filters=[f("tags", "eq", tag)], shared=True)
    )
    assert private.owner_id == "u-alice" and [x.field for x in private.filters] == ["tags", "industry"]

    alice_filters = {s.id for s in (await alice.ListSavedFilters(pb.ListSavedFiltersRequest())).filters}
    bob_filters = {s.id for s in (await bob.ListSavedFilters(pb.ListSavedFiltersRequest())).filters}
    assert {private.id, shared.id} <= alice_filters
    assert shared.id in bob_filters and private.id not in bob_filters

    assert await ids(alice, saved_filter_id=private.id) == [retail.id]
    on_top = await ids(alice, saved_filter_id=shared.id, filters=[f("industry", "eq", "Ритейл")])
    assert on_top == [retail.id]
    await rejected(bob.ListParties(pb.ListPartiesRequest(saved_filter_id=private.id)), grpc.StatusCode.NOT_FOUND)

    detail = await rejected(
        bob.DeleteSavedFilter(pb.DeleteSavedFilterRequest(id=shared.id)), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert detail.code == "not_filter_owner"
    await rejected(bob.DeleteSavedFilter(pb.DeleteSavedFilterRequest(id=private.id)), grpc.StatusCode.NOT_FOUND)
    await alice.DeleteSavedFilter(pb.DeleteSavedFilterRequest(id=private.id))
    remaining = {s.id for s in (await alice.ListSavedFilters(pb.ListSavedFiltersRequest())).filters}
    assert private.id not in remaining and shared.id in remaining


async def test_broken_saved_filter_is_rejected_at_save_time(alice, tag, rejected) -> None:
    cases = {
        ("filters[0]", "unknown_filter_field"): pb.SavedFilter(name=tag, filters=[f("secret", "eq", "x")]),
        ("filters[0]", "invalid_filter_value"): pb.SavedFilter(name=tag, filters=[f("created_at", "gte", "вчера")]),
        ("sort", "unknown_sort_key"): pb.SavedFilter(name=tag, sort="-inn"),
        ("sort", "relevance_needs_query"): pb.SavedFilter(name=tag, sort="-relevance"),
        ("name", "required"): pb.SavedFilter(name="  "),
    }
    for expected, saved in cases.items():
        detail = await rejected(alice.CreateSavedFilter(saved), INVALID)
        assert [(v.field, v.code) for v in detail.field_violations] == [expected]
    names = {s.name for s in (await alice.ListSavedFilters(pb.ListSavedFiltersRequest())).filters}
    assert tag not in names
