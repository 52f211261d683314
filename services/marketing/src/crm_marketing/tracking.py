"""What the public mail links do: the open pixel, tracked clicks, unsubscribing; the suppression list.

The links carry signed tokens (crm_core.links); a forged or altered one is
INVALID_ARGUMENT `invalid_link` and changes nothing. An open is recorded once
(message.opened on the first), a click on each link counted and
message.clicked published on a link's first click. Unsubscribing puts the
address on the suppression list, which no API removes from except an admin,
with an audit entry: an address that said no is never mailed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import marketing_pb2 as events
from crm.events.v1.envelope_pb2 import AccessScope
from crm_core import links
from crm_core.acl import require_admin
from crm_core.audit import record_audit
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.contact_points import NotAContactPoint, email_value
from crm_core.db import Database, is_uuid
from crm_core.errors import FieldProblem, InvalidArgument, invalid, not_found
from crm_core.events import Namespace, record_event
from crm_core.pagination import Page
from crm_core.resources import SortKey, SortSpec, keyset_page
from crm_core.scopes import scope_of_record, scope_reference
from crm_marketing import DOMAIN
from crm_marketing.mail_content import masked
from crm_marketing.models import Lead, MailClick, MailRecipient, MailSuppression

SUPPRESSION_SORT = SortSpec[None](
    "suppressions",
    {"created_at": SortKey("datetime", MailSuppression.created_at)},
    "-created_at",
    MailSuppression.email_key,
)


def invalid_link() -> InvalidArgument:
    """A link token that was not signed here for this use (forged, altered, of another kind)."""
    problem = FieldProblem("token", "invalid_link", "this link is not valid")
    return InvalidArgument("invalid_link", problem.message, [problem])


async def recipient_event_scope(session: AsyncSession, recipient: MailRecipient) -> AccessScope:
    """The scope of the record a message went to: a party's by reference (contacts publishes it), a lead's its own."""
    if recipient.record_kind == "lead" and is_uuid(recipient.record_id):
        lead = await session.get(Lead, recipient.record_id)
        if lead is not None:
            return scope_of_record("lead", lead)
    return scope_reference(recipient.record_kind, recipient.record_id)


@dataclass(frozen=True)
class Tracked:
    url: str = ""
    email: str = ""


class Tracking:
    """Opens, clicks, unsubscribes and the suppression list."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock, secret: str) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.secret = secret

    def _recipient_id(self, kind: str, token: str) -> str:
        try:
            return links.verify(kind, token, self.secret)
        except (links.InvalidLink, ValueError) as exc:
            raise invalid_link() from exc

    async def _publish(self, session: AsyncSession, verb: str, recipient: MailRecipient, url: str = "") -> None:
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            f"message.{verb}",
            subject_id=recipient.id,
            payload=events.MessageTracked(
                mailing_id=recipient.mailing_id or "",
                recipient_id=recipient.id,
                record_kind=recipient.record_kind,
                record_id=recipient.record_id,
                url=url,
                subject=recipient.subject,
            ),
            actor=SYSTEM,
            party_ids=[recipient.record_id] if recipient.record_kind == "party" else [],
            summary=f"E-mail '{recipient.subject}' {verb}" + (f": {url}" if url else ""),
            scopes=[await recipient_event_scope(session, recipient)],
        )

    @staticmethod
    async def _locked(session: AsyncSession, recipient_id: str) -> MailRecipient | None:
        if not is_uuid(recipient_id):
            return None
        return await session.scalar(select(MailRecipient).where(MailRecipient.id == recipient_id).with_for_update())

    async def opened(self, token: str) -> None:
        """The pixel was loaded: the first time sets opened_at and publishes message.opened."""
        recipient_id = self._recipient_id(links.OPEN, token)
        async with self.db.transaction() as session:
            recipient = await self._locked(session, recipient_id)
            if recipient is None or recipient.opened_at is not None:
                return
            recipient.opened_at = self.clock.now()
            await self._publish(session, "opened", recipient)

    async def clicked(self, token: str) -> str:
        """A tracked link was followed: counted, message.clicked on the link's first click; returns its target."""
        try:
            recipient_id, url = links.verify_click(token, self.secret)
        except (links.InvalidLink, ValueError) as exc:
            raise invalid_link() from exc
        if not url.lower().startswith(("http://", "https://")):
            raise invalid_link()
        now = self.clock.now()
        async with self.db.transaction() as session:
            recipient = await self._locked(session, recipient_id)
            if recipient is None:
                return url
            recipient.clicks += 1
            if recipient.opened_at is None:
                # A click proves an open the pixel missed (images blocked): it is the first open.
                recipient.opened_at = now
                await self._publish(session, "opened", recipient)
            if recipient.clicked_at is None:
                recipient.clicked_at = now
            click = await session.get(MailClick, (recipient.id, url))
            if click is None:
                session.add(MailClick(recipient_id=recipient.id, url=url, first_at=now, count=1))
                await self._publish(session, "clicked", recipient, url)
            else:
                click.count += 1
        return url

    async def unsubscribe_target(self, token: str) -> str:
        """The (partly hidden) address an unsubscribe link is for; nothing changes."""
        recipient_id = self._recipient_id(links.UNSUBSCRIBE, token)
        async with self.db.readers() as session:
            recipient = await session.get(MailRecipient, recipient_id) if is_uuid(recipient_id) else None
        return masked(recipient.email) if recipient is not None else ""

    async def unsubscribe(self, token: str) -> str:
        """Suppress the link's address for good (a second time changes nothing); returns it partly hidden."""
        recipient_id = self._recipient_id(links.UNSUBSCRIBE, token)
        async with self.db.transaction() as session:
            recipient = await session.get(MailRecipient, recipient_id) if is_uuid(recipient_id) else None
            if recipient is None or not recipient.email:
                return ""
            added = await self._suppress(session, recipient.email.lower(), "unsubscribed", SYSTEM.user_id, recipient.id)
            if added:
                record_audit(
                    session,
                    entity_type="mail_suppression",
                    entity_id=recipient.email.lower(),
                    action="unsubscribed",
                    actor_id=SYSTEM.user_id,
                    changes={"recipient_id": {"old": None, "new": recipient.id}},
                )
        return masked(recipient.email)

    async def _suppress(
        self, session: AsyncSession, email_key: str, reason: str, actor_id: str, recipient_id: str | None = None
    ) -> bool:
        result = await session.execute(
            insert(MailSuppression)
            .values(
                email_key=email_key,
                reason=reason,
                recipient_id=recipient_id,
                created_at=self.clock.now(),
                created_by=actor_id,
            )
            .on_conflict_do_nothing()
            .returning(MailSuppression.email_key)
        )
        return result.first() is not None

    # The suppression list -------------------------------------------------------------------

    @staticmethod
    def email_key(email: str) -> str:
        try:
            return email_value(email.strip()).lower()
        except NotAContactPoint as exc:
            raise invalid("email", "invalid_email", f"not an e-mail address: {email[:100]!r}") from exc

    async def list_suppressions(self, caller: Caller, limit: int, cursor: str) -> Page[MailSuppression]:
        """The list (admins: it holds addresses of parties and leads a user may not see)."""
        require_admin(caller, "read the suppression list")
        async with self.db.readers() as session:
            return await keyset_page(
                session, select(MailSuppression), SUPPRESSION_SORT.parse("").order(None), limit, cursor
            )

    async def add_suppression(self, caller: Caller, email: str) -> MailSuppression:
        key = self.email_key(email)
        async with self.db.transaction() as session:
            if await self._suppress(session, key, "manual", caller.user_id):
                record_audit(
                    session, entity_type="mail_suppression", entity_id=key, action="added", actor_id=caller.user_id
                )
            row = await session.get(MailSuppression, key)
            assert row is not None
        return row

    async def remove_suppression(self, caller: Caller, email: str) -> None:
        """Admins only, audited: the one way an address is mailed again."""
        require_admin(caller, "remove an address from the suppression list")
        key = self.email_key(email)
        async with self.db.transaction() as session:
            row = await session.get(MailSuppression, key)
            if row is None:
                raise not_found("mail_suppression", key)
            await session.execute(delete(MailSuppression).where(MailSuppression.email_key == key))
            record_audit(
                session,
                entity_type="mail_suppression",
                entity_id=key,
                action="removed",
                actor_id=caller.user_id,
                changes={"reason": {"old": row.reason, "new": None}},
            )
