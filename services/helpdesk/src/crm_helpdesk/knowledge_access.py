"""Who reads and who writes the knowledge base: one SQL condition every read applies, one check every write.

- Writers (admins and users with the role "support") see every article and change them.
- Other staff see published articles (internal and public) and what they wrote themselves.
- Portal users see published public articles only.
A hidden article answers NOT_FOUND and is never listed, counted or suggested.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from crm_core.acl import require_role
from crm_core.auth import Caller
from crm_helpdesk.knowledge_models import ArticleRow

WRITER_ROLE = "support"


def is_portal(caller: Caller) -> bool:
    """A customer portal user (not staff)."""
    # TODO(lead): crm_helpdesk.portal_access.is_portal replaces this once it is on main.
    return "portal" in caller.roles and caller.user_id.startswith("portal:")


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
