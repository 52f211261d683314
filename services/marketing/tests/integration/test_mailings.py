"""Mailings: a template to a segment through a real SMTP server, suppressed addresses left out for good,
opens and clicks recorded once with their events, signed links only, each message sent once by two senders."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote

import grpc
import pytest
from sqlalchemy import select

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm.events.v1 import envelope_pb2
from crm.events.v1 import marketing_pb2 as events
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core import links
from crm_core.auth import SYSTEM
from crm_core.events.outbox import OutboxRow
from crm_core.mail import Mailer
from crm_core.service import ServiceApp
from crm_core.testing import ALICE, CallerStub, SmtpServer, eventually
from crm_marketing.mail_content import Links
from crm_marketing.models import MailRecipient, MailSuppression
from crm_marketing.sender import MailSender

HTML = (
    "<html><body><p>Здравствуйте, {{ first_name }}!</p>"
    '<p><a href="https://zavod.example.ru/offer?utm_source=mail&amp;id=7">Смотреть предложение</a></p>'
    '<p><a href="{{ unsubscribe_url }}">Отписаться</a></p></body></html>'
)


@pytest.fixture
def system(channel: Any) -> CallerStub:
    """The gateway's public mail routes call as the system."""
    from crm.marketing.v1 import marketing_pb2_grpc

    return CallerStub(marketing_pb2_grpc.MarketingServiceStub(channel), SYSTEM)


def _tag() -> str:
    return f"mail-{uuid.uuid4().hex[:8]}"


def _address(name: str = "client") -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.ru"


async def _person(peers: Any, first: str, last: str, email: str, tag: str, caller: Any = ALICE) -> str:
    party = contacts_pb2.Party(
        kind="person",
        person=contacts_pb2.PersonDetails(first_name=first, last_name=last),
        emails=[contacts_pb2.ContactPoint(kind="work", value=email)] if email else [],
        tags=[tag],
    )
    return str((await peers.contacts(caller).CreateParty(contacts_pb2.CreatePartyRequest(party=party))).party.id)


async def _campaign(stub: Any) -> pb.Campaign:
    campaign = pb.Campaign(name=f"Весенняя рассылка {uuid.uuid4().hex[:6]}", type="mailing", status="active")
    return await stub.CreateCampaign(pb.CreateCampaignRequest(campaign=campaign))


async def _template(stub: Any, **fields: str) -> pb.MailTemplate:
    values = {
        "name": "Предложение",
        "subject": "Специальное предложение для {{ first_name }} {{ last_name }}",
        "text": "Здравствуйте, {{ first_name }}!\nНовые станки уже на складе.\nОтписаться: {{ unsubscribe_url }}\n",
        "html": HTML,
        **fields,
    }
    return await stub.CreateMailTemplate(pb.CreateMailTemplateRequest(template=pb.MailTemplate(**values)))


async def _party_segment(stub: Any, tag: str) -> pb.Segment:
    segment = pb.Segment(
        name=f"Клиенты {tag}",
        kind="dynamic",
        source="parties",
        filters=[common_pb2.Filter(field="tags", op="in", value=tag)],
    )
    return await stub.CreateSegment(pb.CreateSegmentRequest(segment=segment))


async def _mailing(stub: Any, segment: pb.Segment, template: pb.MailTemplate | None = None) -> pb.Mailing:
    template = template or await _template(stub)
    campaign = await _campaign(stub)
    mailing = pb.Mailing(name="Апрель", template_id=template.id, segment_id=segment.id, campaign_id=campaign.id)
    return await stub.CreateMailing(pb.CreateMailingRequest(mailing=mailing))


async def _sent(stub: Any, mailing: pb.Mailing) -> pb.Mailing:
    """Send the mailing and wait until the sender has finished it."""
    await stub.SendMailing(pb.SendMailingRequest(id=mailing.id, expected_version=mailing.version))

    async def finished() -> pb.Mailing | None:
        current = await stub.GetMailing(pb.GetMailingRequest(id=mailing.id))
        return current if current.status == "sent" else None

    return await eventually(finished)


def _to(server: SmtpServer, address: str) -> list[EmailMessage]:
    return [m for m in server.messages if address in str(m["To"])]


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _token(url: str, kind: str) -> str:
    match = re.search(rf"/api/v1/public/mail/{kind}/([A-Za-z0-9_\-.]+?)(?:\.gif)?(?=[\"'\s>]|$)", url)
    assert match, url
    return unquote(match.group(1))


async def _recipients(stub: Any, mailing_id: str) -> dict[str, pb.MailRecipient]:
    page = await stub.ListMailingRecipients(pb.ListMailingRecipientsRequest(mailing_id=mailing_id, limit=200))
    return {r.email: r for r in page.recipients}


async def _events(app: ServiceApp, event_type: str, subject_id: str) -> list[envelope_pb2.EventEnvelope]:
    async with app.db.readers() as session:
        rows = await session.scalars(select(OutboxRow.payload).where(OutboxRow.subject.endswith(f".{event_type}")))
        envelopes = [envelope_pb2.EventEnvelope.FromString(p) for p in rows]
    return [e for e in envelopes if e.subject_id == subject_id]


async def test_a_mailing_reaches_the_smtp_server_with_merge_fields_and_a_russian_subject(
    alice, peers, mail_server, marketing_app
) -> None:
    tag = _tag()
    ivan, maria, nobody = _address("ivan"), _address("maria"), ""
    ivan_id = await _person(peers, "Иван", "Петров", ivan, tag)
    await _person(peers, "Мария", "Соколова", maria, tag)
    await _person(peers, "Без", "Почты", nobody, tag)
    segment = await _party_segment(alice, tag)
    count = await alice.CountSegment(pb.CountSegmentRequest(segment_id=segment.id))
    assert count.count == 3

    mailing = await _sent(alice, await _mailing(alice, segment))

    assert dict(mailing.counts) == {"sent": 2, "skipped_no_email": 1}
    [message] = _to(mail_server, ivan)
    assert message["Subject"] == "Специальное предложение для Иван Петров"
    assert "Отдел маркетинга" in str(message["From"])
    assert "Здравствуйте, Иван!" in _body(message, "plain")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://crm.example.ru/api/v1/public/mail/unsubscribe/" in message["List-Unsubscribe"]
    html = _body(message, "html")
    assert "https://zavod.example.ru/offer" not in html  # the link goes through the click endpoint
    assert "/api/v1/public/mail/open/" in html
    recipients = await _recipients(alice, mailing.id)
    assert recipients[ivan].status == "sent" and recipients[ivan].record_id == ivan_id
    [sent] = await _events(marketing_app, "mailing.sent", recipients[ivan].id)
    payload = events.MailingSent()
    assert sent.payload.Unpack(payload)
    assert (payload.mailing_id, payload.record_kind, payload.record_id, payload.email) == (
        mailing.id,
        "party",
        ivan_id,
        ivan,
    )
    assert [(s.record, s.known) for s in sent.scopes] == [(f"party:{ivan_id}", False)]
    assert list(sent.party_ids) == [ivan_id]


async def test_an_unsubscribed_address_never_receives_a_mailing_again(
    alice, admin, system, peers, mail_server, rejected
) -> None:
    tag = _tag()
    leaving, staying = _address("leaving"), _address("staying")
    await _person(peers, "Олег", "Уходящий", leaving, tag)
    await _person(peers, "Анна", "Остающаяся", staying, tag)
    segment = await _party_segment(alice, tag)
    await _sent(alice, await _mailing(alice, segment))
    [first] = _to(mail_server, leaving)

    token = _token(str(first["List-Unsubscribe"]), "unsubscribe")
    shown = await system.GetUnsubscribe(pb.TrackRequest(token=token))
    assert shown.email == f"l***@{leaving.split('@')[1]}"
    await system.Unsubscribe(pb.TrackRequest(token=token))
    await system.Unsubscribe(pb.TrackRequest(token=token))  # a second click changes nothing

    second = await _sent(alice, await _mailing(alice, segment))
    assert dict(second.counts) == {"sent": 1, "suppressed": 1}
    assert len(_to(mail_server, leaving)) == 1 and len(_to(mail_server, staying)) == 2
    assert (await _recipients(alice, second.id))[leaving].status == "suppressed"

    detail = await rejected(
        alice.RemoveSuppression(pb.SuppressionRequest(email=leaving)), grpc.StatusCode.PERMISSION_DENIED
    )
    assert detail.code
    await rejected(alice.ListSuppressions(pb.ListSuppressionsRequest()), grpc.StatusCode.PERMISSION_DENIED)
    listed = await admin.ListSuppressions(pb.ListSuppressionsRequest(limit=200))
    assert leaving in [s.email for s in listed.suppressions]


async def test_an_address_suppressed_after_queuing_is_not_sent_to(alice, mail_server, marketing_app) -> None:
    """The sender reads the list again right before each message: a recipient queued before its address was
    suppressed (both written here in one transaction, so no sender pass falls between) gets nothing."""
    late = _address("late")
    template = await _template(alice)
    recipient = MailRecipient(
        template_id=template.id,
        key=f"test-{uuid.uuid4()}",
        record_kind="lead",
        record_id=str(uuid.uuid4()),
        email=late,
        merge={"first_name": "Поздний"},
        status="queued",
    )
    async with marketing_app.db.transaction() as session:
        session.add(recipient)
        session.add(MailSuppression(email_key=late, reason="manual"))

    async def settled() -> str | None:
        async with marketing_app.db.readers() as session:
            status = await session.scalar(select(MailRecipient.status).where(MailRecipient.id == recipient.id))
        return status if status != "queued" else None

    assert await eventually(settled) == "suppressed"
    assert _to(mail_server, late) == []


async def test_open_and_click_are_recorded_once_and_publish_their_events(
    alice, system, peers, mail_server, marketing_app
) -> None:
    tag = _tag()
    reader = _address("reader")
    await _person(peers, "Читатель", "Внимательный", reader, tag)
    mailing = await _sent(alice, await _mailing(alice, await _party_segment(alice, tag)))
    [message] = _to(mail_server, reader)
    html = _body(message, "html")
    open_token = _token(html, "open")
    click_token = _token(html, "click")

    await system.TrackOpen(pb.TrackRequest(token=open_token))
    await system.TrackOpen(pb.TrackRequest(token=open_token))
    first = await system.TrackClick(pb.TrackRequest(token=click_token))
    again = await system.TrackClick(pb.TrackRequest(token=click_token))

    assert first.url == again.url == "https://zavod.example.ru/offer?utm_source=mail&id=7"
    recipient = (await _recipients(alice, mailing.id))[reader]
    assert recipient.HasField("opened_at") and recipient.HasField("clicked_at") and recipient.clicks == 2
    assert len(await _events(marketing_app, "message.opened", recipient.id)) == 1
    [clicked] = await _events(marketing_app, "message.clicked", recipient.id)
    tracked = events.MessageTracked()
    assert clicked.payload.Unpack(tracked)
    assert (tracked.mailing_id, tracked.url) == (mailing.id, first.url)
    counted = await alice.GetMailing(pb.GetMailingRequest(id=mailing.id))
    assert (counted.opened, counted.clicked) == (1, 1)


async def test_a_click_token_redirects_only_to_its_signed_url(system, rejected) -> None:
    secret = os.environ["CRM_LINK_SECRET"]
    recipient_id = str(uuid.uuid4())
    forged = links.sign_click(recipient_id, "https://evil.example.com/", "x" * 40)  # a forger's secret
    good_payload, _, good_signature = links.sign_click(recipient_id, "https://zavod.example.ru/", secret).partition(".")
    evil_payload = forged.partition(".")[0]
    for token in (
        forged,
        f"{evil_payload}.{good_signature}",  # another target under a real signature
        links.sign(links.OPEN, recipient_id, secret),  # an open token is no click token
        f"{good_payload}.",
        "https://evil.example.com/",
    ):
        detail = await rejected(system.TrackClick(pb.TrackRequest(token=token)), grpc.StatusCode.INVALID_ARGUMENT)
        assert detail.code == "invalid_link", token


async def test_leads_of_a_static_segment_are_mailed_with_the_lead_scope_on_their_events(
    alice, mail_server, marketing_app
) -> None:
    email = _address("lead")
    lead = await alice.CreateLead(
        pb.CreateLeadRequest(lead=pb.Lead(person_name="Сергей Лидов", company_name="ООО Ромашка", email=email))
    )
    segment = await alice.CreateSegment(pb.CreateSegmentRequest(segment=pb.Segment(name="Выставка", kind="static")))
    segment = await alice.AddSegmentMembers(
        pb.SegmentMembersRequest(
            segment_id=segment.id, members=[pb.MemberRef(kind="lead", id=lead.id)], expected_version=segment.version
        )
    )
    template = await _template(alice, subject="{{ company }}: предложение для {{ first_name }}")
    mailing = await _sent(alice, await _mailing(alice, segment, template))
    [message] = _to(mail_server, email)
    assert message["Subject"] == "ООО Ромашка: предложение для Сергей"
    recipient = (await _recipients(alice, mailing.id))[email]
    [sent] = await _events(marketing_app, "mailing.sent", recipient.id)
    [scope] = sent.scopes
    assert (scope.record, scope.known, scope.owner_id, scope.team_id) == (
        f"lead:{lead.id}",
        True,
        "u-alice",
        "team-north",
    )


async def test_a_permanent_refusal_fails_the_recipient_and_a_temporary_one_is_retried(
    alice, peers, mail_server
) -> None:
    tag = _tag()
    gone, busy = _address("gone"), _address("busy")
    await _person(peers, "Нет", "Ящика", gone, tag)
    await _person(peers, "Занятой", "Сервер", busy, tag)
    mail_server.refuse(gone, 550)
    mail_server.refuse(busy, 451, "4.7.1 Greylisted, try later")
    mailing = await _mailing(alice, await _party_segment(alice, tag))
    await alice.SendMailing(pb.SendMailingRequest(id=mailing.id, expected_version=mailing.version))

    async def retried() -> bool:
        recipients = await _recipients(alice, mailing.id)
        return recipients[gone].status == "failed" and recipients[busy].attempts >= 1

    await eventually(retried)
    mail_server._refused.pop(busy.lower())  # the greylisting server takes it on the next attempt
    finished = await _sent_already(alice, mailing.id)
    recipients = await _recipients(alice, mailing.id)
    assert dict(finished.counts) == {"sent": 1, "failed": 1}
    assert "550" in recipients[gone].error and recipients[gone].attempts == 1
    assert recipients[busy].status == "sent" and recipients[busy].attempts >= 2
    assert len(_to(mail_server, busy)) == 1 and _to(mail_server, gone) == []


async def _sent_already(stub: Any, mailing_id: str) -> pb.Mailing:
    async def finished() -> pb.Mailing | None:
        current = await stub.GetMailing(pb.GetMailingRequest(id=mailing_id))
        return current if current.status == "sent" else None

    return await eventually(finished)


async def test_two_sender_replicas_send_each_message_once(alice, mail_server, marketing_app) -> None:
    """Beside the service's own sender, two more on the same database: every address gets one message."""
    addresses = [_address(f"many{i}") for i in range(30)]
    refs = []
    for email in addresses:
        lead = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name="Оптовый Покупатель", email=email)))
        refs.append(pb.MemberRef(kind="lead", id=lead.id))
    segment = await alice.CreateSegment(pb.CreateSegmentRequest(segment=pb.Segment(name="Опт", kind="static")))
    segment = await alice.AddSegmentMembers(
        pb.SegmentMembersRequest(segment_id=segment.id, members=refs, expected_version=segment.version)
    )
    mailing = await _mailing(alice, segment)
    settings = marketing_app.settings
    replicas = [
        MailSender(
            marketing_app.db,
            marketing_app.namespace,
            marketing_app.clock,
            Mailer(mail_server.settings()),
            Links("https://crm.example.ru", settings.link_secret),
            messages_per_second=0,
            batch=3,
            interval=0.01,
            max_attempts=3,
            retry_seconds=0.1,
        )
        for _ in range(2)
    ]
    tasks = [asyncio.create_task(r.run()) for r in replicas]
    try:
        finished = await _sent(alice, mailing)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert dict(finished.counts) == {"sent": 30}
    assert sorted(len(_to(mail_server, a)) for a in addresses) == [1] * 30
    async with marketing_app.db.readers() as session:
        ids = set(await session.scalars(select(MailRecipient.message_id).where(MailRecipient.mailing_id == mailing.id)))
    assert len(ids) == 30


async def test_a_template_with_an_unknown_merge_field_or_bad_syntax_is_refused(alice, rejected) -> None:
    bad = pb.MailTemplate(name="Ошибка", subject="Привет, {{ middle_name }}", text="{% if %}", html="")
    detail = await rejected(
        alice.CreateMailTemplate(pb.CreateMailTemplateRequest(template=bad)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert {(v.field, v.code) for v in detail.field_violations} == {
        ("subject", "unknown_field"),
        ("text", "template_syntax"),
    }


async def test_a_mailing_needs_a_mailing_campaign_and_visible_parts(alice, bob, rejected) -> None:
    segment = await _party_segment(alice, _tag())
    template = await _template(alice)
    other = await alice.CreateCampaign(
        pb.CreateCampaignRequest(campaign=pb.Campaign(name="Выставка", type="exhibition"))
    )
    wrong = pb.Mailing(name="X", template_id=template.id, segment_id=segment.id, campaign_id=other.id)
    detail = await rejected(
        alice.CreateMailing(pb.CreateMailingRequest(mailing=wrong)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "not_a_mailing_campaign"
    campaign = await _campaign(bob)
    foreign = pb.Mailing(name="X", template_id=template.id, segment_id=segment.id, campaign_id=campaign.id)
    detail = await rejected(
        bob.CreateMailing(pb.CreateMailingRequest(mailing=foreign)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert {v.code for v in detail.field_violations} == {"mail_template_not_found"}


async def test_a_mailing_is_sent_once_and_hidden_from_others(alice, bob, peers, rejected) -> None:
    mailing = await _mailing(alice, await _party_segment(alice, _tag()))
    await _sent(alice, mailing)
    await rejected(alice.SendMailing(pb.SendMailingRequest(id=mailing.id)), grpc.StatusCode.FAILED_PRECONDITION)
    await rejected(bob.GetMailing(pb.GetMailingRequest(id=mailing.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(
        bob.ListMailingRecipients(pb.ListMailingRecipientsRequest(mailing_id=mailing.id)), grpc.StatusCode.NOT_FOUND
    )
    listed = await bob.ListMailings(pb.ListMailingsRequest(limit=200))
    assert mailing.id not in [m.id for m in listed.mailings]


async def test_a_test_send_reaches_one_address_marked_as_a_test(alice, peers, mail_server) -> None:
    tag = _tag()
    await _person(peers, "Пётр", "Первый", _address("first"), tag)
    mailing = await _mailing(alice, await _party_segment(alice, tag))
    me = _address("me")
    await alice.TestSendMailing(pb.TestSendMailingRequest(id=mailing.id, email=me))
    [message] = _to(mail_server, me)
    assert message["Subject"].startswith("[Тест] Специальное предложение для Пётр")
    assert (await alice.GetMailing(pb.GetMailingRequest(id=mailing.id))).status == "draft"


async def test_send_template_queues_one_message_per_key(alice, mail_server) -> None:
    email = _address("nurture")
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name="Нина Тёплая", email=email)))
    template = await _template(alice, subject="Напоминание для {{ first_name }}")
    request = pb.SendTemplateRequest(
        template_id=template.id, record_kind="lead", record_id=lead.id, key=f"job-{lead.id}"
    )
    first = await alice.SendTemplate(request)
    again = await alice.SendTemplate(request)
    assert first.recipient_id == again.recipient_id and first.status == "queued"
    await eventually(lambda: _to(mail_server, email))
    await asyncio.sleep(0.3)
    [message] = _to(mail_server, email)
    assert message["Subject"] == "Напоминание для Нина"


async def test_recipients_show_a_reader_only_the_parties_they_may_see(alice, bob, peers) -> None:
    """Bob may read Alice's shared mailing, but its recipient rows of parties not shared with him stay hidden."""
    tag = _tag()
    shared, private = _address("shared"), _address("private")
    party = contacts_pb2.Party(
        kind="person",
        person=contacts_pb2.PersonDetails(first_name="Общий", last_name="Клиент"),
        emails=[contacts_pb2.ContactPoint(kind="work", value=shared)],
        tags=[tag],
        shared_with=["u-bob"],
    )
    await peers.contacts(ALICE).CreateParty(contacts_pb2.CreatePartyRequest(party=party))
    await _person(peers, "Личный", "Клиент", private, tag)
    segment = await _party_segment(alice, tag)
    template = await _template(alice)
    campaign = await _campaign(alice)
    mailing = await alice.CreateMailing(
        pb.CreateMailingRequest(
            mailing=pb.Mailing(
                name="Общая",
                template_id=template.id,
                segment_id=segment.id,
                campaign_id=campaign.id,
                shared_with=["u-bob"],
            )
        )
    )
    await _sent(alice, mailing)
    assert set(await _recipients(alice, mailing.id)) == {shared, private}
    assert set(await _recipients(bob, mailing.id)) == {shared}


async def test_a_click_without_the_pixel_counts_as_the_first_open(
    alice, system, peers, mail_server, marketing_app
) -> None:
    tag = _tag()
    blocked = _address("noimages")
    await _person(peers, "Без", "Картинок", blocked, tag)
    mailing = await _sent(alice, await _mailing(alice, await _party_segment(alice, tag)))
    [message] = _to(mail_server, blocked)
    html = _body(message, "html")
    await system.TrackClick(pb.TrackRequest(token=_token(html, "click")))
    await system.TrackOpen(pb.TrackRequest(token=_token(html, "open")))  # images shown later: no second open
    recipient = (await _recipients(alice, mailing.id))[blocked]
    assert recipient.HasField("opened_at") and recipient.clicks == 1
    assert len(await _events(marketing_app, "message.opened", recipient.id)) == 1
    assert len(await _events(marketing_app, "message.clicked", recipient.id)) == 1
