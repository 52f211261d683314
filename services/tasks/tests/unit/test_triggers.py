"""Trigger events: what each lead.* event gives a process, and whose scope its tasks follow."""

from __future__ import annotations

import uuid

import pytest
from faker import Faker

from crm.events.v1 import marketing_pb2
from crm_core.auth import SYSTEM
from crm_core.errors import InvalidArgument
from crm_core.events.envelope import build_envelope
from crm_core.scopes import scope_of, scope_reference
from crm_tasks.processes.parser import parse_definition
from crm_tasks.processes.triggers import LEAD_EVENTS, TRIGGER_EVENTS, read_event


def lead_envelope(event_type: str, lead: marketing_pb2.LeadChanged, *scopes, party_ids=()):  # type: ignore[no-untyped-def]
    return build_envelope(
        "marketing", event_type, subject_id=lead.lead_id, payload=lead, actor=SYSTEM, party_ids=party_ids, scopes=scopes
    )


def test_a_captured_lead_gives_its_fields_and_is_the_record_of_the_process(fake: Faker) -> None:
    lead = marketing_pb2.LeadChanged(
        lead_id=str(uuid.uuid4()),
        status="new",
        person_name=fake.name(),
        company_name=fake.company(),
        email=fake.email(),
        phone=fake.phone_number(),
        inn=fake.businesses_inn(),
        campaign_id=str(uuid.uuid4()),
        channel="form",
        form_id=str(uuid.uuid4()),
        owner_id="u-payload-owner",
        team_id="team-payload",
        utm_source="yandex",
        utm_medium="cpc",
        utm_campaign="spring",
    )
    scope = scope_of("lead", lead.lead_id, owner_id="u-owner", team_id="team-north", version=3)
    starting = read_event(lead_envelope("lead.captured", lead, scope))
    assert starting is not None
    assert (starting.record_kind, starting.record_id, starting.party_ids) == ("lead", lead.lead_id, [])
    values = starting.variables
    assert values["name"] == lead.company_name and values["person_name"] == lead.person_name
    assert (values["email"], values["phone"], values["inn"]) == (lead.email, lead.phone, lead.inn)
    assert (values["channel"], values["form_id"], values["campaign_id"]) == ("form", lead.form_id, lead.campaign_id)
    assert (values["utm_source"], values["utm_medium"], values["utm_term"]) == ("yandex", "cpc", "")
    # The envelope's scope is marketing's access rule: it wins over the payload's copy.
    assert (values["owner_id"], values["team_id"]) == ("u-owner", "team-north")
    assert values["client_id"] == ""
    assert set(values) - {"client_id", "owner_id", "team_id"} == set(TRIGGER_EVENTS["lead.captured"])


def test_a_lead_without_a_company_is_named_by_its_person_and_without_a_scope_by_its_payload(fake: Faker) -> None:
    lead = marketing_pb2.LeadChanged(lead_id=str(uuid.uuid4()), person_name=fake.name(), owner_id="u-x", team_id="t")
    other = scope_of("party", str(uuid.uuid4()), owner_id="u-someone-else")
    starting = read_event(lead_envelope("lead.assigned", lead, other, scope_reference("lead", lead.lead_id)))
    assert starting is not None
    assert starting.variables["name"] == lead.person_name
    assert (starting.variables["owner_id"], starting.variables["team_id"]) == ("u-x", "t")


def test_a_converted_lead_names_what_it_became_and_its_client() -> None:
    lead = marketing_pb2.LeadChanged(
        lead_id=str(uuid.uuid4()), status="converted", company_id="c-1", person_id="p-1", deal_id="d-1"
    )
    starting = read_event(lead_envelope("lead.converted", lead, party_ids=["c-1", "p-1"]))
    assert starting is not None and starting.party_ids == ["c-1", "p-1"]
    values = starting.variables
    assert (values["company_id"], values["person_id"], values["deal_id"], values["client_id"]) == (
        "c-1",
        "p-1",
        "d-1",
        "c-1",
    )


def test_a_lead_event_with_another_payload_starts_nothing() -> None:
    wrong = marketing_pb2.CampaignChanged(campaign_id=str(uuid.uuid4()))
    envelope = build_envelope("marketing", "lead.captured", subject_id="x", payload=wrong, actor=SYSTEM)
    assert read_event(envelope) is None


@pytest.mark.parametrize("event", LEAD_EVENTS)
def test_definitions_may_trigger_on_every_lead_event_with_its_variables(event: str) -> None:
    source = f"""
key: lead-follow-up
name: Follow up
trigger:
  event: {event}
  condition: channel == "form" and utm_source == "yandex" and disqualification_reason == ""
steps:
  - id: call
    type: user_task
    task: {{type: call, subject: "Call {{name}} ({{phone}}, {{email}})"}}
    assignee: owner
    next: done
  - id: done
    type: end
"""
    assert parse_definition(source).trigger.event == event


def test_a_lead_trigger_refuses_the_variables_of_a_deal() -> None:
    source = """
key: lead-follow-up
name: Follow up
trigger:
  event: lead.captured
  condition: stage_name == "Proposal"
steps:
  - {id: done, type: end}
"""
    with pytest.raises(InvalidArgument) as caught:
        parse_definition(source)
    assert [p.field for p in caught.value.fields] == ["trigger.condition"]
