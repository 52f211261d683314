"""Converting a lead: a company, a person and a deal made once as the converting user, whatever repeats."""

from __future__ import annotations

import uuid

import grpc
from google.protobuf import field_mask_pb2

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.testing import ALICE, BOB, eventually


async def _campaign(stub) -> pb.Campaign:  # type: ignore[no-untyped-def]
    campaign = pb.Campaign(name=f"Конференция {uuid.uuid4().hex[:6]}", type="conference", status="active")
    return await stub.CreateCampaign(pb.CreateCampaignRequest(campaign=campaign))


def _lead(campaign_id: str, company: str) -> pb.Lead:
    return pb.Lead(
        person_name="Смирнова Анна Петровна",
        company_name=company,
        position="Главный инженер",
        email=f"{uuid.uuid4().hex[:10]}@metall.ru",
        phone="+7 912 111-22-33",
        inn="7707083893",
        campaign_id=campaign_id,
    )


FULL = {"create_company": True, "create_person": True, "create_deal": True, "deal_amount": "1250000.50"}


async def test_converting_twice_creates_one_company_one_person_one_deal(alice, peers) -> None:
    campaign = await _campaign(alice)
    company = f"ООО «Металлоконструкции {uuid.uuid4().hex[:6]}»"
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(campaign.id, company)))
    first = await alice.ConvertLead(pb.ConvertLeadRequest(id=lead.id, **FULL))
    again = await alice.ConvertLead(pb.ConvertLeadRequest(id=lead.id, **FULL))
    assert first.status == again.status == "converted"
    assert (first.company_id, first.person_id, first.deal_id) == (again.company_id, again.person_id, again.deal_id)
    contacts = peers.contacts(ALICE)
    found = await contacts.ListParties(contacts_pb2.ListPartiesRequest(query=company))
    assert [p.id for p in found.parties] == [first.company_id]
    person = await contacts.GetParty(contacts_pb2.GetPartyRequest(id=first.person_id))
    assert (person.person.last_name, person.person.first_name, person.person.middle_name) == (
        "Смирнова",
        "Анна",
        "Петровна",
    )
    assert [link.company_id for link in person.links] == [first.company_id]
    deal = await peers.deals(ALICE).GetDeal(deals_pb2.GetDealRequest(id=first.deal_id))
    assert (deal.client_id, list(deal.contact_ids), deal.amount) == (first.company_id, [first.person_id], "1250000.50")
    assert (deal.source.campaign_id, deal.source.lead_id, deal.owner_id) == (campaign.id, lead.id, "u-alice")


async def test_a_conversion_refused_by_contacts_changes_nothing_and_can_be_retried(alice, rejected) -> None:
    lead = await alice.CreateLead(
        pb.CreateLeadRequest(lead=pb.Lead(person_name="Иван", email=f"{uuid.uuid4().hex[:8]}@mail.ru"))
    )
    # No company name on the lead: nothing to create a company from.
    detail = await rejected(
        alice.ConvertLead(pb.ConvertLeadRequest(id=lead.id, create_company=True)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "no_company_name"
    converted = await alice.ConvertLead(pb.ConvertLeadRequest(id=lead.id, create_person=True))
    assert (converted.status, converted.company_id, bool(converted.person_id)) == ("converted", "", True)


async def test_a_party_the_converter_may_not_see_cannot_be_named(alice, bob, peers, rejected) -> None:
    hidden = await peers.contacts(BOB).CreateParty(
        contacts_pb2.CreatePartyRequest(party=contacts_pb2.Party(kind="company", display_name="ООО Юг"))
    )
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name="Пётр Сидоров", phone="+79001234567")))
    await rejected(
        alice.ConvertLead(pb.ConvertLeadRequest(id=lead.id, company_id=hidden.party.id, create_person=True)),
        grpc.StatusCode.NOT_FOUND,
    )
    after = await alice.GetLead(pb.GetLeadRequest(id=lead.id))
    assert (after.status, after.company_id, after.person_id) == ("new", "", "")


async def test_the_new_card_s_timeline_shows_the_conversion(alice, peers) -> None:
    campaign = await _campaign(alice)
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(campaign.id, f"АО Ромашка {uuid.uuid4().hex[:6]}")))
    converted = await alice.ConvertLead(pb.ConvertLeadRequest(id=lead.id, create_company=True))

    async def converted_entry() -> bool:
        timeline = await peers.contacts(ALICE).ListTimeline(
            contacts_pb2.ListTimelineRequest(party_id=converted.company_id)
        )
        return any(e.type == "lead.converted" for e in timeline.entries)

    assert await eventually(converted_entry)

    # Bob is given the company, not the lead: its lead entries stay hidden from him.
    company = await peers.contacts(ALICE).GetParty(contacts_pb2.GetPartyRequest(id=converted.company_id))
    await peers.contacts(ALICE).UpdateParty(
        contacts_pb2.UpdatePartyRequest(
            party=contacts_pb2.Party(id=company.id, shared_with=["u-bob"]),
            update_mask=field_mask_pb2.FieldMask(paths=["shared_with"]),
            expected_version=company.version,
        )
    )

    async def bobs_view() -> list[str]:
        timeline = await peers.contacts(BOB).ListTimeline(contacts_pb2.ListTimelineRequest(party_id=company.id))
        return [e.type for e in timeline.entries]

    types = await eventually(lambda: _with(bobs_view(), "party.created"))
    assert not [t for t in types if t.startswith("lead.")]


async def _with(types, wanted: str) -> list[str] | None:  # type: ignore[no-untyped-def]
    found = await types
    return found if wanted in found else None
