"""Web forms: a submission is judged (rate limit, origin, honeypot, fields) before it becomes a lead."""

from __future__ import annotations

import uuid

import grpc

from crm.contacts.v1 import contacts_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.testing import ALICE

FIELDS = [
    pb.FormField(name="person_name", type="text", required=True, label_ru="Имя", label_en="Name"),
    pb.FormField(name="email", type="email", required=True, label_ru="E-mail", label_en="E-mail"),
    pb.FormField(name="phone", type="phone", label_ru="Телефон", label_en="Phone"),
    pb.FormField(name="volume", type="select", label_ru="Объём", label_en="Volume", options=["до 1 т", "1-10 т"]),
]


async def _form(stub, **fields: object) -> pb.Form:  # type: ignore[no-untyped-def]
    campaign = await stub.CreateCampaign(
        pb.CreateCampaignRequest(campaign=pb.Campaign(name=f"Сайт {uuid.uuid4().hex[:6]}", type="web_form"))
    )
    values: dict[str, object] = {
        "name": "Запрос прайса",
        "campaign_id": campaign.id,
        "fields": FIELDS,
        "allowed_origins": ["https://metall.ru"],
        "active": True,
        "rate_limit_per_minute": 3,
    }
    values.update(fields)
    return await stub.CreateForm(pb.CreateFormRequest(form=pb.Form(**values)))  # type: ignore[arg-type]


def _submission(form: pb.Form, ip: str, **values: str) -> pb.SubmitFormRequest:
    return pb.SubmitFormRequest(
        token=form.token,
        values={"person_name": "Ольга Кузнецова", "email": f"{uuid.uuid4().hex[:8]}@metall.ru", **values},
        client_ip=ip,
        origin="https://metall.ru",
        visitor_id="v-1",
        utm=pb.Utm(source="yandex", medium="cpc"),
    )


def _ip() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


async def test_a_submission_becomes_a_lead_of_the_form_s_campaign_owned_by_its_author(alice, admin) -> None:
    form = await _form(alice)
    result = await admin.SubmitForm(_submission(form, _ip(), volume="1-10 т"))
    assert result.outcome == "created"
    lead = await alice.GetLead(pb.GetLeadRequest(id=result.lead_id))
    assert (lead.channel, lead.form_id, lead.owner_id, lead.visitor_id) == ("form", form.id, "u-alice", "v-1")
    assert (lead.utm.source, lead.raw["volume"]) == ("yandex", "1-10 т")
    assert lead.campaign_id == form.campaign_id


async def test_a_known_email_attaches_the_lead_to_its_party(alice, admin, peers) -> None:
    email = f"{uuid.uuid4().hex[:8]}@zavod.ru"
    party = contacts_pb2.Party(
        kind="person", display_name="Кузнецова Ольга", emails=[contacts_pb2.ContactPoint(kind="work", value=email)]
    )
    known = await peers.contacts(ALICE).CreateParty(contacts_pb2.CreatePartyRequest(party=party))
    form = await _form(alice)
    result = await admin.SubmitForm(_submission(form, _ip(), email=email))
    assert (result.outcome, result.party_id) == ("attached", known.party.id)


async def test_the_honeypot_the_origin_and_missing_fields_are_refused_and_nothing_is_stored(
    alice, admin, rejected
) -> None:
    form = await _form(alice, rate_limit_per_minute=100)
    before = (await alice.CountLeads(pb.CountLeadsRequest())).count
    spam = _submission(form, _ip())
    spam.honeypot = "http://cheap-pills.example"
    detail = await rejected(admin.SubmitForm(spam), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "spam_rejected"
    elsewhere = _submission(form, _ip())
    elsewhere.origin = "https://evil.example"
    await rejected(admin.SubmitForm(elsewhere), grpc.StatusCode.PERMISSION_DENIED)
    incomplete = _submission(form, _ip(), email="", volume="100 т")
    detail = await rejected(admin.SubmitForm(incomplete), grpc.StatusCode.INVALID_ARGUMENT)
    assert {v.field: v.code for v in detail.field_violations} == {"email": "required", "volume": "not_allowed"}
    assert (await alice.CountLeads(pb.CountLeadsRequest())).count == before


async def test_a_burst_from_one_address_is_limited(alice, admin, rejected) -> None:
    form = await _form(alice)
    ip = _ip()
    for _ in range(3):
        await admin.SubmitForm(_submission(form, ip))
    detail = await rejected(admin.SubmitForm(_submission(form, ip)), grpc.StatusCode.RESOURCE_EXHAUSTED)
    assert detail.code == "rate_limited"
    await admin.SubmitForm(_submission(form, _ip()))  # another address is not held back


async def test_an_unknown_or_inactive_token_is_404(alice, admin, rejected) -> None:
    await rejected(admin.GetPublicForm(pb.GetPublicFormRequest(token="nope")), grpc.StatusCode.NOT_FOUND)
    form = await _form(alice, active=False)
    await rejected(admin.SubmitForm(_submission(form, _ip())), grpc.StatusCode.NOT_FOUND)


async def test_a_form_is_checked_when_defined(alice, rejected) -> None:
    bad = pb.Form(
        name="",
        fields=[pb.FormField(name="Bad Name", type="file"), pb.FormField(name="kind", type="select", label_en="Kind")],
        allowed_origins=["metall.ru"],
    )
    detail = await rejected(alice.CreateForm(pb.CreateFormRequest(form=bad)), grpc.StatusCode.INVALID_ARGUMENT)
    assert {v.field for v in detail.field_violations} >= {
        "name",
        "fields[0].name",
        "fields[0].type",
        "fields[1].options",
        "fields",
        "allowed_origins[0]",
    }


async def test_another_user_s_form_is_404(alice, bob, rejected) -> None:
    form = await _form(alice)
    await rejected(bob.GetForm(pb.GetFormRequest(id=form.id)), grpc.StatusCode.NOT_FOUND)
    assert form.id not in [f.id for f in (await bob.ListForms(pb.ListFormsRequest())).forms]
