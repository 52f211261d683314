"""Who reads and who writes the knowledge base: one SQL condition every read applies, one check every write.

Portal callers are recognised by crm_helpdesk.portal_access (is_portal) and admitted while their portal user is
active (admit).

- Writers (admins and users with the role "support") see every article and change them.
- Other staff see published articles (internal and public) and what they wrote themselves.
- Portal users see published public articles only.
A hidden article answers NOT_FOUND and is never listed, counted or suggested.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_role
from crm_core.auth import Caller
from crm_helpdesk.knowledge_models import ArticleRow
from crm_helpdesk.portal_access import is_portal, portal_user

WRITER_ROLE = "support"


async def admit(session: AsyncSession, caller: Caller) -> None:
    """A portal caller's portal user is active (UNAUTHENTICATED `portal_session_ended` once their access ended):
    asked on every call, as the tickets do, so a deactivated client reads nothing more."""
    if is_portal(caller):
        await portal_user(session, caller)


def can_write(caller: Caller) -> bool:
    """Admins and support staff write articles (never a portal user, whatever roles it carries)."""
    return not is_portal(caller) and (caller.is_admin or WRITER_ROLE in caller.roles)


def require_writer(caller: Caller, action: str) -> None:
    """PERMISSION_DENIED `support_only` unless the caller may write articles."""
    if is_portal(caller):
        require_role(Caller(caller.user_id), WRITER_ROLE, action)
    require_role(caller, WRITER_ROLE, action)


def visible_articles(caller: Caller) -> ColumnElement[bool]:
    """SQL condition: the articles the caller may see."""
    published = ArticleRow.status == "published"
    if is_portal(caller):
        return and_(published, ArticleRow.visibility == "public")
    if can_write(caller):
        return true()
    return or_(published, ArticleRow.author_id == caller.user_id)
