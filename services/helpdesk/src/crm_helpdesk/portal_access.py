"""Who a portal caller is: the portal user behind a "portal:<id>" caller, and what they may see.

The gateway signs portal callers as Caller("portal:<portal user id>", {"portal"}) after checking their portal
session; staff never have that role (the gateway's identity refuses it). Each call loads the portal user, so
a deactivated one is refused at once: UNAUTHENTICATED, as a session that ended.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.auth import Caller
from crm_core.db import is_uuid
from crm_core.errors import PermissionDenied, Unauthenticated
from crm_helpdesk.models import TicketRow
from crm_helpdesk.portal_models import PortalUserRow

PORTAL_ROLE = "portal"
PREFIX = "portal:"


def is_portal(caller: Caller) -> bool:
    """True for a customer portal user (never for staff, partners or the system)."""
    return PORTAL_ROLE in caller.roles and caller.user_id.startswith(PREFIX)


def portal_user_id(caller: Caller) -> str:
    return caller.user_id.removeprefix(PREFIX)


async def portal_user(session: AsyncSession, caller: Caller) -> PortalUserRow:
    """The active portal user a portal caller is (UNAUTHENTICATED `portal_session_ended` otherwise)."""
    user_id = portal_user_id(caller)
    user = await session.get(PortalUserRow, user_id) if is_uuid(user_id) else None
    if user is None or not user.active or user.password_hash is None:
        raise Unauthenticated("portal_session_ended", "your portal access has ended; sign in again")
    return user


def tickets_of(user: PortalUserRow) -> ColumnElement[bool]:
    """SQL: the tickets a portal user sees: their organisation's, or (without one) their own."""
    if user.organisation_id:
        return TicketRow.organisation_id == user.organisation_id
    if user.party_id:
        return and_(TicketRow.organisation_id.is_(None), TicketRow.requester_party_id == user.party_id)
    return false()


def staff_only(caller: Caller, action: str) -> None:
    """PERMISSION_DENIED `staff_only` for a portal caller: `action` is for the company's own people."""
    if is_portal(caller):
        raise PermissionDenied("staff_only", f"only staff can {action}")


__all__ = ["is_portal", "portal_user", "portal_user_id", "staff_only", "tickets_of"]
