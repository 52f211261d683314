"""Leads: captured with validated contacts, flagged as duplicates of leads and parties the caller may see,
assigned by rules in turn, qualified or disqualified with a reason, hidden ones 404 and never counted."""

from __future__ import annotations

import uuid

import grpc
from faker import Faker
from sqlalchemy import select

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm.events.v1 import envelope_pb2
from crm.events.v1 import marketing_pb2 as lead_events
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.events.outbox import OutboxRow
from crm_core.testing import ADMIN, ALICE


def _lead(fake: Faker, **fields: object) -> pb.Lead:
    values: dict[str, object] = {
        "person_name": fake.name(),
        "company_name": fake.company(),
        "email": f"{uuid.uuid4().hex[:10]}@example.ru",
        "phone": f"+7 9{uuid.uuid4().int % 10**9:09d}",
        "comment": "Запросил прайс на фрезерные станки",
    }
    values.update(fields)
    return pb.Lead(**values)  # type: ignore[arg-type]


def _only(field: str, value: str) -> list[common_pb2.Filter]:
    return [common_pb2.Filter(field=field, op="eq", value=value)]


async def test_a_lead_is_captured_with_its_phone_parsed_and_owned_by_its_author(alice, fake) -> None:
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(fake, phone="8 (912) 345-67-89", inn="7707083893")))
    assert (lead.status, lead.channel, lead.owner_id, lead.team_id) == ("new", "manual", "u-alice", "team-north")
    assert (lead.phone, lead.phone_e164, lead.inn) == ("8 (912) 345-67-89", "+79123456789", "7707083893")


async def test_bad_lead_input_names_every_field(alice, rejected) -> None:
    bad = pb.Lead(email="not-an-email", phone="12", inn="1234567890", campaign_id="nope")
    detail = await rejected(alice.CreateLead(pb.CreateLeadRequest(lead=bad)), grpc.StatusCode.INVALID_ARGUMENT)
    assert {v.field: v.code for v in detail.field_violations} == {
        "email": "invalid_email",
        "phone": "invalid_phone",
        "inn": "invalid_inn",
        "campaign_id": "not_found",
    }
    empty = await rejected(alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead())), grpc.StatusCode.INVALID_ARGUMENT)
    assert empty.field_violations[0].code == "required"


async def test_a_lead_is_flagged_as_duplicate_of_a_lead_and_a_party_with_its_email(alice, fake, peers) -> None:
    email = f"{uuid.uuid4().hex[:10]}@zavod.ru"
    party = contacts_pb2.Party(
        kind="person", display_name=fake.name(), emails=[contacts_pb2.ContactPoint(kind="work", value=email)]
    )
    created = await peers.contacts(ALICE).CreateParty(contacts_pb2.CreatePartyRequest(party=party))
    first = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(fake, email=email)))
    second = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(fake, email=email.upper())))
    flags = {(d.kind, d.id): list(d.reasons) for d in second.duplicates}
    assert ("lead", first.id) in flags and "email" in flags[("lead", first.id)]
    assert ("party", created.party.id) in flags
    listed = await alice.ListLeads(pb.ListLeadsRequest(filters=_only("has_duplicates", "true"), query=email))
    assert second.id in [lead.id for lead in listed.leads]


async def test_duplicate_flags_show_only_what_the_reader_may_see(alice, bob, fake, peers) -> None:
    """Bob's lead matches Alice's party and lead: the admin who reads it sees both flags, Bob neither."""
    email = f"{uuid.uuid4().hex[:10]}@secret.ru"
    party = contacts_pb2.Party(
        kind="company", display_name="ООО Тайна", emails=[contacts_pb2.ContactPoint(kind="work", value=email)]
    )
    await peers.contacts(ALICE).CreateParty(contacts_pb2.CreatePartyRequest(party=party))
    await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(fake, email=email)))
    found_as_admin = await peers.contacts(ADMIN).FindDuplicates(contacts_pb2.FindDuplicatesRequest(candidate=party))
    assert found_as_admin.candidates
    mine = await bob.CreateLead(pb.CreateLeadRequest(lead=_lead(fake, email=email)))
    assert list(mine.duplicates) == []  # found as Bob: nothing of Alice's


async def test_rules_give_new_leads_to_their_users_in_turn(admin, alice, fake) -> None:
    source = f"yandex-{uuid.uuid4().hex[:6]}"
    rules = [
        pb.AssignmentRule(
            name="Директ",
            conditions=[pb.RuleCondition(field="utm_source", op="eq", value=source)],
            user_ids=["u-alice", "u-carol"],
            team_id="team-north",
            active=True,
        ),
        pb.AssignmentRule(name="Остальные", user_ids=["u-bob"], team_id="team-south", active=False),
    ]
    stored = await admin.ReplaceAssignmentRules(pb.ReplaceAssignmentRulesRequest(rules=rules))
    assert [r.name for r in stored.rules] == ["Директ", "Остальные"]
    owners = []
    for _ in range(3):
        lead = await admin.CreateLead(pb.CreateLeadRequest(lead=_lead(fake, utm=pb.Utm(source=source)), channel="api"))
        owners.append((lead.owner_id, lead.team_id))
    assert owners == [("u-alice", "team-north"), ("u-carol", "team-north"), ("u-alice", "team-north")]
    await admin.ReplaceAssignmentRules(pb.ReplaceAssignmentRulesRequest(rules=[]))


async def test_only_an_admin_replaces_the_rules(alice, rejected) -> None:
    await rejected(
        alice.ReplaceAssignmentRules(pb.ReplaceAssignmentRulesRequest(rules=[])), grpc.StatusCode.PERMISSION_DENIED
    )


async def test_a_lead_moves_through_its_statuses_and_needs_a_reason_to_be_disqualified(
    alice, rejected, fake, marketing_app
) -> None:
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(fake)))
    lead = await alice.AssignLead(
        pb.AssignLeadRequest(id=lead.id, owner_id="u-carol", team_id="team-north", expected_version=lead.version)
    )
    assert (lead.status, lead.owner_id) == ("in_work", "u-carol")
    detail = await rejected(
        alice.DisqualifyLead(pb.DisqualifyLeadRequest(id=lead.id, expected_version=lead.version)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].field == "reason"
    await rejected(
        alice.DisqualifyLead(pb.DisqualifyLeadRequest(id=lead.id, reason="bad_weather", expected_version=lead.version)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    lead = await alice.DisqualifyLead(
        pb.DisqualifyLeadRequest(
            id=lead.id, reason="no_budget", comment="Бюджет на следующий год", expected_version=lead.version
        )
    )
    assert (lead.status, lead.disqualification_reason) == ("disqualified", "no_budget")
    # Its event carries the reason's labels: a client's timeline writes it in the reader's language.
    async with marketing_app.db.readers() as session:
        rows = await session.scalars(select(OutboxRow.payload).where(OutboxRow.subject.endswith(".lead.disqualified")))
        (envelope,) = [e for e in map(envelope_pb2.EventEnvelope.FromString, rows) if e.subject_id == lead.id]
    changed = lead_events.LeadChanged()
    assert envelope.payload.Unpack(changed)
    assert (changed.disqualification_reason_label_ru, changed.disqualification_reason_label_en) == (
        "Нет бюджета",
        "No budget",
    )
    detail = await rejected(
        alice.QualifyLead(pb.QualifyLeadRequest(id=lead.id, expected_version=lead.version)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "lead_status"


async def test_a_hidden_lead_is_404_and_never_listed_or_counted(alice, bob, fake, rejected) -> None:
    marker = uuid.uuid4().hex[:8]
    lead = await alice.CreateLead(
        pb.CreateLeadRequest(lead=_lead(fake, comment=marker, company_name=f"Север {marker}"))
    )
    await rejected(bob.GetLead(pb.GetLeadRequest(id=lead.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(bob.QualifyLead(pb.QualifyLeadRequest(id=lead.id, expected_version=1)), grpc.StatusCode.NOT_FOUND)
    await rejected(bob.GetLead(pb.GetLeadRequest(id="not-a-uuid")), grpc.StatusCode.NOT_FOUND)
    assert not (await bob.ListLeads(pb.ListLeadsRequest(query=marker))).leads
    assert (await bob.CountLeads(pb.CountLeadsRequest(query=marker))).count == 0
    assert (await alice.CountLeads(pb.CountLeadsRequest(query=marker))).count == 1


async def test_the_audit_of_a_lead_is_as_visible_as_the_lead(alice, bob, fake, rejected) -> None:
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=_lead(fake)))
    audit = await alice.ListAudit(common_pb2.ListAuditRequest(entity_type="lead", entity_id=lead.id))
    assert [e.action for e in audit.entries] == ["created"]
    await rejected(
        bob.ListAudit(common_pb2.ListAuditRequest(entity_type="lead", entity_id=lead.id)), grpc.StatusCode.NOT_FOUND
    )
