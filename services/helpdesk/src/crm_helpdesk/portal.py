"""The customer portal's users: invitations, passwords, sessions, deactivation.

Staff (role "support" or admins) invite a person they see in contacts; the
person gets a one-time link (only its SHA-256 is stored, it holds 7 days, a
new invitation replaces it) where they set a password. Logging in opens a
session row that the gateway's portal tokens name: deactivating a user ends
their sessions in the same transaction, so the next request fails. Every
change is audited and published (portal_user.*) in its transaction.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import helpdesk_pb2 as events
from crm_core.acl import require_role
from crm_core.audit import record_audit
from crm_core.auth import SYSTEM_USER, Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied, Unauthenticated, invalid
from crm_core.events import Namespace, record_event
from crm_core.mail import Mailer, MailError, build_message
from crm_core.pagination import Page, clamp_limit
from crm_core.passwords import hash_password, verify_nobody, verify_password
from crm_core.resources import Order, keyset_page
from crm_core.scopes import scope_reference
from crm_helpdesk import DOMAIN
from crm_helpdesk.portal_access import PORTAL_ROLE, PREFIX, is_portal, portal_user_id
from crm_helpdesk.portal_inputs import AcceptInput, InviteInput, PortalUserQuery, token_digest
from crm_helpdesk.portal_models import PortalInvitationRow, PortalSessionRow, PortalUserRow
from crm_helpdesk.portal_peers import PortalPeers
from crm_helpdesk.portal_settings import PortalSettings

# Portal users, newest invitation first.
_USERS = Order("portal_users", [(PortalUserRow.invited_at, True), (PortalUserRow.id, True)], ["datetime", "uuid"])
INVITATION = {
    "ru": (
        "Приглашение в клиентский портал",
        "Здравствуйте, {name}!\n\nВас пригласили в клиентский портал службы поддержки: там видны ваши обращения "
        "и можно создать новое. Задайте пароль по ссылке (она действует {days} дн.):\n\n{link}\n",
    ),
    "en": (
        "Invitation to the customer portal",
        "Hello {name},\n\nYou are invited to our support portal, where you see your requests and file new ones. "
        "Set your password at this link (it holds for {days} days):\n\n{link}\n",
    ),
}


def portal_caller(user_id: str) -> Caller:
    """The caller the gateway sends for a live portal session."""
    return Caller(f"{PREFIX}{user_id}", frozenset({PORTAL_ROLE}))


def portal_user_id_of(caller: Caller) -> str:
    """The portal user a portal caller is ("" for staff and the system)."""
    return portal_user_id(caller) if is_portal(caller) else ""


def require_staff(caller: Caller, action: str) -> None:
    """PERMISSION_DENIED support_only unless an admin or the role "support" (portal callers never)."""
    if portal_user_id_of(caller):
        raise PermissionDenied("support_only", f"only support staff can {action}")
    require_role(caller, "support", action)


def require_system(caller: Caller) -> None:
    """The gateway's anonymous portal steps come as the system caller; nobody else may take them."""
    if caller.user_id != SYSTEM_USER:
        raise PermissionDenied("system_only", "only the gateway takes this step")


def status_of(user: PortalUserRow) -> str:
    if not user.active:
        return "inactive"
    return "active" if user.password_hash else "invited"


def portal_user_not_found(user_id: str) -> NotFound:
    return NotFound("portal_user_not_found", f"portal user {user_id[:64]} not found")


class Portal:
    """Commands and reads of portal users and sessions."""

    def __init__(
        self,
        db: Database,
        namespace: Namespace,
        clock: Clock,
        peers: PortalPeers,
        mailer: Mailer,
        settings: PortalSettings,
    ) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.peers = peers
        self.mailer = mailer
        self.settings = settings

    async def invite(self, caller: Caller, data: InviteInput) -> tuple[PortalUserRow, datetime]:
        """Create or re-invite the portal user of a person the caller sees, and mail them the link."""
        require_staff(caller, "invite portal users")
        person = await self.peers.person(caller, data.party_id)
        if person.kind != "person":
            raise invalid("party_id", "not_a_person", "only a person can be invited to the portal")
        email = data.email or (person.emails[0].lower() if person.emails else "")
        if not email:
            raise invalid("email", "required", "the person has no e-mail: give one")
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        expires_at = now + timedelta(days=self.settings.invitation_days)
        async with self.db.transaction() as session:
            user = await session.scalar(
                select(PortalUserRow).where(PortalUserRow.party_id == person.id).with_for_update()
            )
            holder = await session.scalar(select(PortalUserRow).where(PortalUserRow.email == email))
            if holder is not None and (user is None or holder.id != user.id):
                raise AlreadyExists("portal_user_exists", "this e-mail belongs to another portal user")
            if user is not None and not user.active:
                raise FailedPrecondition("portal_user_inactive", "reactivate the portal user before inviting again")
            if user is None:
                user = PortalUserRow(
                    id=new_id(), email=email, name=person.name, party_id=person.id, invited_at=now,
                    created_at=now, updated_at=now, active=True, version=1,
                )  # fmt: skip
                session.add(user)
                old: dict[str, object] = {}
            else:
                old = {"email": user.email, "language": user.language, "organisation_id": user.organisation_id}
                user.version += 1
            user.email, user.name, user.language = email, person.name, data.language
            user.organisation_id = person.organisation_id or None
            user.invited_by, user.invited_at, user.updated_at = caller.user_id, now, now
            await session.flush()
            await session.execute(
                update(PortalInvitationRow)
                .where(
                    PortalInvitationRow.portal_user_id == user.id,
                    PortalInvitationRow.used_at.is_(None),
                    PortalInvitationRow.replaced_at.is_(None),
                )
                .values(replaced_at=now)
            )
            session.add(
                PortalInvitationRow(
                    token_hash=token_digest(token), portal_user_id=user.id, expires_at=expires_at,
                    created_by=caller.user_id, created_at=now,
                )
            )  # fmt: skip
            new = {"email": user.email, "language": user.language, "organisation_id": user.organisation_id}
            record_audit(
                session, entity_type="portal_user", entity_id=user.id, action="invited", actor_id=caller.user_id,
                changes={k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v},
            )  # fmt: skip
            await self._publish(session, caller, "portal_user.invited", user)
        await self._mail_invitation(user, token)
        return user, expires_at

    async def _mail_invitation(self, user: PortalUserRow, token: str) -> None:
        subject, body = INVITATION["en" if user.language == "en" else "ru"]
        link = self.settings.portal_link(f"accept/{token}")
        message = build_message(
            sender=self.mailer.settings.mail_from,
            to=user.email,
            subject=subject,
            text=body.format(name=user.name or user.email, days=self.settings.invitation_days, link=link),
        )
        try:
            await self.mailer.send(message)
        except (MailError, ValueError) as exc:
            raise FailedPrecondition("mail_not_sent", f"the invitation was not mailed: {exc}"[:300]) from exc

    async def list_users(
        self, caller: Caller, query: PortalUserQuery, limit: int, cursor: str
    ) -> tuple[Page[PortalUserRow], int]:
        """Portal users matching the filter, newest invitation first, and their number (staff)."""
        require_staff(caller, "list portal users")
        limit = clamp_limit(limit)
        statement = _filtered(select(PortalUserRow), query)
        async with self.db.readers() as session:
            total = await session.scalar(_filtered(select(func.count()).select_from(PortalUserRow), query))
            page = await keyset_page(session, statement, _USERS, limit, cursor)
        return page, int(total or 0)

    async def get_user(self, caller: Caller, user_id: str) -> tuple[PortalUserRow, datetime | None]:
        """A portal user (staff: any; a portal caller: themself) and their open invitation's expiry."""
        own = portal_user_id_of(caller)
        if own != user_id:
            if own:
                raise portal_user_not_found(user_id)
            require_staff(caller, "read portal users")
        async with self.db.readers() as session:
            user = await session.get(PortalUserRow, user_id)
            if user is None:
                raise portal_user_not_found(user_id)
            expires = await session.scalar(
                select(PortalInvitationRow.expires_at).where(
                    PortalInvitationRow.portal_user_id == user_id,
                    PortalInvitationRow.used_at.is_(None),
                    PortalInvitationRow.replaced_at.is_(None),
                )
            )
        return user, expires

    async def set_active(self, caller: Caller, user_id: str, active: bool) -> PortalUserRow:
        """Deactivate (ending every session and open invitation at once) or reactivate a portal user."""
        require_staff(caller, "deactivate portal users")
        now = self.clock.now()
        async with self.db.transaction() as session:
            user = await session.get(PortalUserRow, user_id, with_for_update=True)
            if user is None:
                raise portal_user_not_found(user_id)
            if user.active == active:
                return user
            user.active, user.updated_at, user.version = active, now, user.version + 1
            if not active:
                await end_sessions(session, user.id, now, "deactivated")
                await session.execute(
                    update(PortalInvitationRow)
                    .where(PortalInvitationRow.portal_user_id == user.id, PortalInvitationRow.used_at.is_(None))
                    .values(replaced_at=now)
                )
            action = "reactivated" if active else "deactivated"
            record_audit(
                session, entity_type="portal_user", entity_id=user.id, action=action, actor_id=caller.user_id,
                changes={"active": {"old": not active, "new": active}},
            )  # fmt: skip
            await self._publish(session, caller, f"portal_user.{action}", user)
        return user

    async def accept(self, caller: Caller, data: AcceptInput) -> PortalUserRow:
        """Set the password of an invitation's token and use the token up (the gateway, for anyone with the link)."""
        require_system(caller)
        now = self.clock.now()
        async with self.db.transaction() as session:
            invitation = await session.get(PortalInvitationRow, token_digest(data.token), with_for_update=True)
            if (
                invitation is None
                or invitation.used_at is not None
                or invitation.replaced_at is not None
                or invitation.expires_at <= now
            ):
                raise NotFound("invitation_invalid", "this invitation link is unknown, used or expired")
            user = await session.get(PortalUserRow, invitation.portal_user_id, with_for_update=True)
            if user is None or not user.active:
                raise NotFound("invitation_invalid", "this invitation link is unknown, used or expired")
            first = user.password_hash is None
            invitation.used_at = now
            user.password_hash = await hash_password(data.password)
            user.activated_at = user.activated_at or now
            user.updated_at, user.version = now, user.version + 1
            # A new password ends the sessions opened with the old one.
            await end_sessions(session, user.id, now, "password_changed")
            actor = portal_caller(user.id)
            record_audit(
                session, entity_type="portal_user", entity_id=user.id, action="accepted", actor_id=actor.user_id,
                changes={"password": {"old": None if first else "***", "new": "***"}},
            )  # fmt: skip
            if first:
                await self._publish(session, actor, "portal_user.activated", user)
        return user

    async def authenticate(self, caller: Caller, email: str, password: str) -> tuple[str, PortalUserRow]:
        """Open a session for a right e-mail and password; the same refusal for every wrong case."""
        require_system(caller)
        refused = Unauthenticated("invalid_credentials", "wrong e-mail or password")
        async with self.db.transaction() as session:
            user = await session.scalar(select(PortalUserRow).where(PortalUserRow.email == email.strip().lower()))
            if user is None or not user.password_hash:
                await verify_nobody(password)
                raise refused
            if not await verify_password(user.password_hash, password) or not user.active:
                raise refused
            login = PortalSessionRow(id=new_id(), portal_user_id=user.id, created_at=self.clock.now())
            session.add(login)
        return login.id, user

    async def check_session(self, caller: Caller, session_id: str) -> PortalUserRow:
        """The session's user while it is live and they are active; NotFound session_ended otherwise."""
        ended = NotFound("session_ended", "this portal session has ended")
        own = portal_user_id_of(caller)
        if not own and caller.user_id != SYSTEM_USER:
            raise PermissionDenied("system_only", "only the gateway or the portal user checks a session")
        if not is_uuid(session_id):
            raise ended
        async with self.db.readers() as session:
            row = (
                await session.execute(
                    select(PortalSessionRow, PortalUserRow)
                    .join(PortalUserRow, PortalUserRow.id == PortalSessionRow.portal_user_id)
                    .where(PortalSessionRow.id == session_id)
                )
            ).first()
        if row is None:
            raise ended
        login, user = row
        if login.ended_at is not None or not user.active or (own and own != user.id):
            raise ended
        return user

    async def end_session(self, caller: Caller, session_id: str) -> None:
        """Log out: end the session (its own user, or the system)."""
        await self.check_session(caller, session_id)
        async with self.db.transaction() as session:
            await session.execute(
                update(PortalSessionRow)
                .where(PortalSessionRow.id == session_id, PortalSessionRow.ended_at.is_(None))
                .values(ended_at=self.clock.now(), ended_reason="logout")
            )

    async def _publish(self, session: AsyncSession, caller: Caller, event_type: str, user: PortalUserRow) -> None:
        payload = events.PortalUserChanged(
            portal_user_id=user.id,
            party_id=user.party_id,
            organisation_id=user.organisation_id or "",
            email=user.email,
            status=status_of(user),
        )
        await record_event(
            session, self.namespace, DOMAIN, event_type, subject_id=user.id, payload=payload, actor=caller,
            version=user.version, party_ids=[p for p in (user.party_id, user.organisation_id) if p],
            summary=user.email, scopes=[scope_reference("party", user.party_id)],
        )  # fmt: skip


async def end_sessions(session: AsyncSession, user_id: str, now: datetime, reason: str) -> None:
    """End every live session of the portal user."""
    await session.execute(
        update(PortalSessionRow)
        .where(PortalSessionRow.portal_user_id == user_id, PortalSessionRow.ended_at.is_(None))
        .values(ended_at=now, ended_reason=reason)
    )


def _filtered(statement: Select, query: PortalUserQuery) -> Select:  # type: ignore[type-arg]
    if query.organisation_id:
        statement = statement.where(PortalUserRow.organisation_id == query.organisation_id)
    if query.party_id:
        statement = statement.where(PortalUserRow.party_id == query.party_id)
    if query.status == "inactive":
        statement = statement.where(PortalUserRow.active.is_(False))
    elif query.status == "active":
        statement = statement.where(PortalUserRow.active.is_(True), PortalUserRow.password_hash.is_not(None))
    elif query.status == "invited":
        statement = statement.where(PortalUserRow.active.is_(True), PortalUserRow.password_hash.is_(None))
    if query.query:
        pattern = "%" + query.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(PortalUserRow.email.ilike(pattern), PortalUserRow.name.ilike(pattern)))
    return statement
