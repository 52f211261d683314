"""GetKnowledgeReport: client-knowledge counts over the visible parties matching a search."""

from __future__ import annotations

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb


def counts(items) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c.key: c.count for c in items}


async def test_report_counts_needs_refusals_discipline_and_months_of_visible_parties(
    alice, bob, carol, parties, by_tag
) -> None:
    await parties.new_company(
        alice,
        relationship_types=["client"],
        knowledge={
            "needs": [{"product": "Кассы", "we_offer": True}, {"product": "Доставка"}],
            "refusal_reasons": [{"code": "price"}],
            "payment_discipline": "punctual",
            "season_months": [11, 12],
        },
    )
    await parties.new_company(
        carol,  # same team as alice: visible to her
        relationship_types=["client", "partner"],
        knowledge={
            "needs": [{"product": "Доставка"}, {"product": "Эквайринг", "we_offer": True}],
            "refusal_reasons": [{"code": "price"}, {"code": "timing"}],
            "payment_discipline": "chronic_delays",
            "season_months": [12],
        },
    )
    await parties.new_person(alice, knowledge={"needs": [{"product": "Кассы", "we_offer": True}]})
    # Another team's party and a deleted one match the tag but are not counted.
    await parties.new_company(
        bob,
        knowledge={
            "needs": [{"product": "Кассы"}],
            "refusal_reasons": [{"code": "competitor"}],
            "payment_discipline": "defaulted",
            "season_months": [6],
        },
    )
    deleted = await parties.new_company(alice, knowledge={"needs": [{"product": "Склад"}], "season_months": [1]})
    await alice.DeleteParty(pb.DeletePartyRequest(id=deleted.id))

    report = await alice.GetKnowledgeReport(pb.GetKnowledgeReportRequest(filters=by_tag))
    assert report.parties == 3
    assert counts(report.needs) == {"Кассы": 2, "Доставка": 2, "Эквайринг": 1}
    assert [c.key for c in report.needs][:2] == ["Доставка", "Кассы"]  # most frequent first, then by name
    assert counts(report.unmet_needs) == {"Доставка": 2}
    assert counts(report.refusal_reasons) == {"price": 2, "timing": 1}
    assert counts(report.payment_discipline) == {"punctual": 1, "chronic_delays": 1, "unknown": 1}
    assert counts(report.season_months) == {"12": 2, "11": 1}
    assert counts(report.relationship_types) == {"client": 2, "partner": 1}

    bobs = await bob.GetKnowledgeReport(pb.GetKnowledgeReportRequest(filters=by_tag))
    assert bobs.parties == 1
    assert counts(bobs.needs) == {"Кассы": 1}
    assert counts(bobs.unmet_needs) == {"Кассы": 1}
    assert counts(bobs.refusal_reasons) == {"competitor": 1}


async def test_report_follows_query_and_filters(alice, parties, by_tag) -> None:
    await parties.new_company(
        alice, display_name="Ромашка", knowledge={"needs": [{"product": "Кассы"}], "payment_discipline": "punctual"}
    )
    await parties.new_company(
        alice, display_name="Лютик", knowledge={"needs": [{"product": "Доставка"}], "payment_discipline": "defaulted"}
    )
    by_query = await alice.GetKnowledgeReport(pb.GetKnowledgeReportRequest(query="Ромаш", filters=by_tag))
    assert by_query.parties == 1 and counts(by_query.needs) == {"Кассы": 1}
    defaulted = [*by_tag, common_pb2.Filter(field="payment_discipline", op="eq", value="defaulted")]
    by_filter = await alice.GetKnowledgeReport(pb.GetKnowledgeReportRequest(filters=defaulted))
    assert by_filter.parties == 1 and counts(by_filter.unmet_needs) == {"Доставка": 1}


async def test_a_product_listed_twice_counts_once_per_party(alice, parties, by_tag) -> None:
    await parties.new_company(alice, knowledge={"needs": [{"product": "Кассы"}, {"product": "Кассы", "note": "ещё"}]})
    report = await alice.GetKnowledgeReport(pb.GetKnowledgeReportRequest(filters=by_tag))
    assert counts(report.needs) == {"Кассы": 1}
