"""Record-level access: one SQL condition every repository applies.

A caller sees a record when they own it, are in its team, it is shared with
them, or they are an admin. Lists, searches, counts, aggregates and gets all
filter by this condition, so hidden records are never counted or leaked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Text, false, literal, or_, true
from sqlalchemy.dialects.postgresql import ARRAY

from crm_core.auth import Caller
from crm_core.errors import PermissionDenied


def visible_to(caller: Caller, model: Any) -> ColumnElement[bool]:
    """SQL condition: rows of `model` (with owner_id, team_id, shared_with) the caller may see."""
    if caller.is_admin:
        return true()
    conditions: list[ColumnElement[bool]] = [
        model.owner_id == caller.user_id,
        model.shared_with.contains(literal([caller.user_id], ARRAY(Text))),
    ]
    if caller.team_ids:
        conditions.append(model.team_id.in_(sorted(caller.team_ids)))
    return or_(*conditions) if conditions else false()


def can_see(caller: Caller, owner_id: str, team_id: str | None, shared_with: list[str]) -> bool:
    """The same rule as `visible_to`, for a record already in memory."""
    return (
        caller.is_admin
        or owner_id == caller.user_id
        or (team_id is not None and team_id in caller.team_ids)
        or caller.user_id in shared_with
    )


def check_team_assignment(caller: Caller, team_id: str | None) -> None:
    """Only admins may put a record into a team they are not a member of (PERMISSION_DENIED)."""
    if team_id and not caller.is_admin and team_id not in caller.team_ids:
        raise PermissionDenied("team_not_allowed", f"you are not a member of team {team_id}")


def require_admin(caller: Caller, action: str) -> None:
    """PERMISSION_DENIED (admin_only) unless the caller is an admin; `action` says what was refused."""
    if not caller.is_admin:
        raise PermissionDenied("admin_only", f"only an admin can {action}")


def require_role(caller: Caller, role: str, action: str) -> None:
    """PERMISSION_DENIED (`<role>_only`) unless the caller is an admin or has `role` ("catalog_manager")."""
    if not caller.is_admin and role not in caller.roles:
        raise PermissionDenied(f"{role}_only", f"only an admin or a {role.replace('_', ' ')} can {action}")
