"""Portal users: invited by support staff for a person they see, accept a one-time link, log in with sessions
that end on logout and deactivation; every refusal is a clear code."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import grpc
import pytest
from sqlalchemy import select

from crm.contacts.v1 import contacts_pb2
from crm.helpdesk.v1 import portal_pb2 as pb
from crm_core.audit import AuditEntry
from crm_core.auth import SYSTEM, Caller
from crm_core.events.outbox import OutboxRow
from crm_core.service import ServiceApp
from crm_core.testing import ALICE, BOB, Rejected, SmtpServer
from crm_helpdesk.portal import portal_caller

SUPPORT = Caller("u-support", frozenset({"support"}), frozenset({"team-north"}))
PASSWORD = "надёжный-пароль-42"


async def _person(stubs: Any, caller: Caller, email: str, company_id: str = "") -> str:
    party = contacts_pb2.Party(
        kind="person",
        person=contacts_pb2.PersonDetails(first_name="Ольга", last_name="Клиентова"),
        emails=[contacts_pb2.ContactPoint(kind="work", value=email)],
        team_id="team-north",
    )
    person = (await stubs.contacts(caller).CreateParty(contacts_pb2.CreatePartyRequest(party=party))).party
    if company_id:
        await stubs.contacts(caller).LinkPerson(
            contacts_pb2.LinkPersonRequest(company_id=company_id, person_id=person.id)
        )
    return str(person.id)


async def _company(stubs: Any, caller: Caller) -> str:
    party = contacts_pb2.Party(
        kind="company", company=contacts_pb2.CompanyDetails(legal_name=f"ООО Клиент {uuid.uuid4().hex[:6]}"),
        team_id="team-north",
    )  # fmt: skip
    request = contacts_pb2.CreatePartyRequest(party=party, allow_duplicate=True)
    return str((await stubs.contacts(caller).CreateParty(request)).party.id)


def _email() -> str:
    return f"client-{uuid.uuid4().hex[:8]}@example.ru"


def _token(mail: SmtpServer, address: str) -> str:
    message = [m for m in mail.messages if m["To"] == address][-1]
    match = re.search(r"/portal/#/accept/([\w-]+)", message.get_body(("plain",)).get_content())
    assert match, "no invitation link"
    return match.group(1)


async def test_an_invited_person_accepts_the_link_and_logs_in_with_their_organisation(
    stubs: Any, portal_mail: SmtpServer, portal_app: ServiceApp
) -> None:
    company = await _company(stubs, ALICE)
    address = _email()
    person = await _person(stubs, ALICE, address, company)

    invited = await stubs.portal(SUPPORT).InvitePortalUser(pb.InvitePortalUserRequest(party_id=person, language="ru"))
    assert (invited.email, invited.organisation_id, invited.status) == (address, company, "invited")
    assert invited.HasField("invitation_expires_at")
    mail = [m for m in portal_mail.messages if m["To"] == address][-1]
    assert mail["Subject"] == "Приглашение в клиентский портал"
    assert "https://crm.example.ru/portal/#/accept/" in mail.get_body(("plain",)).get_content()

    accepted = await stubs.portal(SYSTEM).AcceptInvitation(
        pb.AcceptInvitationRequest(token=_token(portal_mail, address), password=PASSWORD)
    )
    assert accepted.status == "active"
    login = await stubs.portal(SYSTEM).AuthenticatePortalUser(
        pb.AuthenticatePortalUserRequest(email=address.upper(), password=PASSWORD)
    )
    assert login.user.id == invited.id
    me = await stubs.portal(portal_caller(invited.id)).CheckPortalSession(
        pb.CheckPortalSessionRequest(session_id=login.session_id)
    )
    assert me.organisation_id == company

    async with portal_app.db.readers() as session:
        actions = (await session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == invited.id))).all()
        subjects = (
            await session.scalars(select(OutboxRow.subject).where(OutboxRow.subject.like("%portal_user%")))
        ).all()
        stored = await session.scalar(select(OutboxRow.payload).limit(1))
    assert {"invited", "accepted"} <= set(actions)
    assert any(s.endswith("portal_user.invited") for s in subjects)
    assert any(s.endswith("portal_user.activated") for s in subjects)
    assert stored is not None


async def test_a_used_replaced_or_expired_link_is_refused(
    stubs: Any, portal_mail: SmtpServer, rejected: Rejected, time_travel: Any
) -> None:
    address = _email()
    person = await _person(stubs, ALICE, address)
    await stubs.portal(SUPPORT).InvitePortalUser(pb.InvitePortalUserRequest(party_id=person))
    first = _token(portal_mail, address)
    await stubs.portal(SUPPORT).InvitePortalUser(pb.InvitePortalUserRequest(party_id=person))
    second = _token(portal_mail, address)
    accept = stubs.portal(SYSTEM).AcceptInvitation

    detail = await rejected(
        accept(pb.AcceptInvitationRequest(token=first, password=PASSWORD)), grpc.StatusCode.NOT_FOUND
    )
    assert detail.code == "invitation_invalid"
    await accept(pb.AcceptInvitationRequest(token=second, password=PASSWORD))
    detail = await rejected(
        accept(pb.AcceptInvitationRequest(token=second, password=PASSWORD)), grpc.StatusCode.NOT_FOUND
    )
    assert detail.code == "invitation_invalid"

    await stubs.portal(SUPPORT).InvitePortalUser(pb.InvitePortalUserRequest(party_id=person))
    third = _token(portal_mail, address)
    time_travel(timedelta(days=7, minutes=1))
    detail = await rejected(
        accept(pb.AcceptInvitationRequest(token=third, password=PASSWORD)), grpc.StatusCode.NOT_FOUND
    )
    assert detail.code == "invitation_invalid"


async def test_deactivation_ends_sessions_and_refuses_login_alike(
    stubs: Any, portal_mail: SmtpServer, rejected: Rejected
) -> None:
    address = _email()
    user = await stubs.portal(SUPPORT).InvitePortalUser(
        pb.InvitePortalUserRequest(party_id=await _person(stubs, ALICE, address))
    )
    await stubs.portal(SYSTEM).AcceptInvitation(
        pb.AcceptInvitationRequest(token=_token(portal_mail, address), password=PASSWORD)
    )
    login = await stubs.portal(SYSTEM).AuthenticatePortalUser(
        pb.AuthenticatePortalUserRequest(email=address, password=PASSWORD)
    )

    off = await stubs.portal(SUPPORT).SetPortalUserActive(pb.SetPortalUserActiveRequest(id=user.id, active=False))
    assert off.status == "inactive"
    check = pb.CheckPortalSessionRequest(session_id=login.session_id)
    detail = await rejected(stubs.portal(portal_caller(user.id)).CheckPortalSession(check), grpc.StatusCode.NOT_FOUND)
    assert detail.code == "session_ended"
    authenticate = stubs.portal(SYSTEM).AuthenticatePortalUser
    for request in (
        pb.AuthenticatePortalUserRequest(email=address, password=PASSWORD),
        pb.AuthenticatePortalUserRequest(email=address, password="wrong-password"),
        pb.AuthenticatePortalUserRequest(email=_email(), password=PASSWORD),
    ):
        detail = await rejected(authenticate(request), grpc.StatusCode.UNAUTHENTICATED)
        assert detail.code == "invalid_credentials"

    await stubs.portal(SUPPORT).SetPortalUserActive(pb.SetPortalUserActiveRequest(id=user.id, active=True))
    again = await authenticate(pb.AuthenticatePortalUserRequest(email=address, password=PASSWORD))
    await stubs.portal(portal_caller(user.id)).EndPortalSession(pb.EndPortalSessionRequest(session_id=again.session_id))
    check = pb.CheckPortalSessionRequest(session_id=again.session_id)
    await rejected(stubs.portal(portal_caller(user.id)).CheckPortalSession(check), grpc.StatusCode.NOT_FOUND)


async def test_only_support_staff_invite_and_only_people_they_see(stubs: Any, rejected: Rejected) -> None:
    person = await _person(stubs, ALICE, _email())
    invite = pb.InvitePortalUserRequest(party_id=person)
    detail = await rejected(stubs.portal(ALICE).InvitePortalUser(invite), grpc.StatusCode.PERMISSION_DENIED)
    assert detail.code == "support_only"
    outsider = Caller("u-south-support", frozenset({"support"}), frozenset({"team-south"}))
    await rejected(stubs.portal(outsider).InvitePortalUser(invite), grpc.StatusCode.NOT_FOUND)
    company = await _company(stubs, ALICE)
    detail = await rejected(
        stubs.portal(SUPPORT).InvitePortalUser(pb.InvitePortalUserRequest(party_id=company)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].code == "not_a_person"
    portal_user = await stubs.portal(SUPPORT).InvitePortalUser(invite)
    detail = await rejected(
        stubs.portal(portal_caller(portal_user.id)).ListPortalUsers(pb.ListPortalUsersRequest()),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    await rejected(stubs.portal(BOB).ListPortalUsers(pb.ListPortalUsersRequest()), grpc.StatusCode.PERMISSION_DENIED)
    listed = await stubs.portal(SUPPORT).ListPortalUsers(pb.ListPortalUsersRequest(party_id=person))
    assert [u.id for u in listed.users] == [portal_user.id] and listed.total == 1


async def test_an_address_of_another_portal_user_is_refused(stubs: Any, rejected: Rejected) -> None:
    address = _email()
    await stubs.portal(SUPPORT).InvitePortalUser(
        pb.InvitePortalUserRequest(party_id=await _person(stubs, ALICE, address))
    )
    other = await _person(stubs, ALICE, _email())
    detail = await rejected(
        stubs.portal(SUPPORT).InvitePortalUser(pb.InvitePortalUserRequest(party_id=other, email=address)),
        grpc.StatusCode.ALREADY_EXISTS,
    )
    assert detail.code == "portal_user_exists"


@pytest.mark.parametrize(
    ("request_", "field", "code"),
    [
        (pb.InvitePortalUserRequest(party_id="not-an-id"), "party_id", "invalid_id"),
        (pb.InvitePortalUserRequest(party_id=str(uuid.uuid4()), email="nope"), "email", "invalid_email"),
        (pb.InvitePortalUserRequest(party_id=str(uuid.uuid4()), language="de"), "language", "not_allowed"),
    ],
)
async def test_bad_invitations_name_the_field(
    stubs: Any, rejected: Rejected, request_: pb.InvitePortalUserRequest, field: str, code: str
) -> None:
    detail = await rejected(stubs.portal(SUPPORT).InvitePortalUser(request_), grpc.StatusCode.INVALID_ARGUMENT)
    assert (detail.field_violations[0].field, detail.field_violations[0].code) == (field, code)


async def test_a_short_password_and_a_huge_token_are_invalid_and_only_the_gateway_accepts(
    stubs: Any, rejected: Rejected
) -> None:
    detail = await rejected(
        stubs.portal(SYSTEM).AcceptInvitation(pb.AcceptInvitationRequest(token="x" * 5000, password="short")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {v.code for v in detail.field_violations} == {"invalid_token", "password_length"}
    detail = await rejected(
        stubs.portal(ALICE).AcceptInvitation(pb.AcceptInvitationRequest(token="abc", password=PASSWORD)),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    assert detail.code == "system_only"
