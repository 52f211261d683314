"""Code lists: admin-managed codes with Russian and English labels, stored on records.

Relationship types (contacts), loss reasons (deals), task types and task
results (tasks) are the same thing: a code that records keep and that never
changes, labels in both languages the platform speaks, an order for pick
lists and an archived flag that keeps old records valid while the code can no
longer be chosen. Each service keeps one table per list (CodeColumns); the
rules and the gRPC servicer are here, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from sqlalchemy import Boolean, Integer, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm.common.v1 import common_pb2, common_pb2_grpc
from crm_core.acl import require_admin
from crm_core.audit import diff, record_audit
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.errors import AlreadyExists, Validator, invalid, not_found
from crm_core.languages import Bilingual as Labels

# One rule for every code of every list: snake_case, starting with a letter, at most 63 characters.
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_LABEL = 300
# Code fields an update may change (the code itself is stored on records, so it is fixed).
UPDATABLE = frozenset({"label_ru", "label_en", "archived", "order"})


class CodeColumns:
    """The columns of a code list table; a service's model is `class LossReason(CodeColumns, Base)`.

    A list whose codes come from an outside classifier (OKEI units: "796")
    sets `code_pattern` and `code_rule` on its model instead of snake_case.
    """

    code_pattern: ClassVar[re.Pattern[str]] = CODE_PATTERN
    code_rule: ClassVar[str] = "code must be snake_case, starting with a letter, at most 63 characters"

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    label_ru: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


def code_labels(label_ru: str | None, label_en: str | None, v: Validator) -> Labels:
    """Validated labels; one given label serves both languages (an admin may write only one)."""
    ru, en = (label_ru or "").strip(), (label_en or "").strip()
    if not ru and not en:
        v.add("label_ru", "required", "a code needs a label (label_ru or label_en)")
    for name, value in (("label_ru", ru), ("label_en", en)):
        if len(value) > MAX_LABEL:
            v.add(name, "too_long", f"{name} must be at most {MAX_LABEL} characters")
    return Labels.both(ru, en)


def check_code(code: str, v: Validator, model: Any = CodeColumns) -> str:
    """The code itself, or a problem in `v` (by the list model's pattern)."""
    if not model.code_pattern.match(code or ""):
        v.add("code", "invalid_code", model.code_rule)
    return code


def entity_of(list_name: str) -> str:
    """The singular a list's errors and audit speak of: "loss_reasons" -> "loss_reason"."""
    return list_name.removesuffix("s")


def code_message(row: CodeColumns) -> common_pb2.Code:
    """A code row as crm.common.v1.Code."""
    return common_pb2.Code(
        code=row.code,
        label_ru=row.label_ru,
        label_en=row.label_en,
        builtin=row.builtin,
        archived=row.archived,
        order=row.position,
    )


async def list_codes(session: AsyncSession, model: Any, include_archived: bool = True) -> list[Any]:
    """A list's codes in their order (code as the tie-break)."""
    query = select(model).order_by(model.position, model.code)
    if not include_archived:
        query = query.where(model.archived.is_(False))
    return list((await session.scalars(query)).all())


async def create_code(session: AsyncSession, model: Any, list_name: str, data: common_pb2.Code, actor_id: str) -> Any:
    """Validate and add a code at the end of the list (or at `order` when given), audited.

    ALREADY_EXISTS (`<entity>_exists`) when the list has the code already.
    """
    v = Validator()
    code = check_code(data.code, v, model)
    labels = code_labels(data.label_ru, data.label_en, v)
    v.raise_if_any()
    entity = entity_of(list_name)
    if await session.get(model, code) is not None:
        raise AlreadyExists(f"{entity}_exists", f"{entity.replace('_', ' ')} '{code}' already exists")
    position = data.order or ((await session.scalar(select(func.max(model.position)))) or 0) + 1
    row = model(code=code, label_ru=labels.ru, label_en=labels.en, builtin=False, archived=False, position=position)
    session.add(row)
    record_audit(
        session,
        entity_type=entity,
        entity_id=code,
        action="created",
        actor_id=actor_id,
        changes={"label_ru": {"old": None, "new": labels.ru}, "label_en": {"old": None, "new": labels.en}},
    )
    return row


def check_update_paths(paths: Iterable[str]) -> list[str]:
    """The update mask of a code change; anything but UPDATABLE fields is INVALID_ARGUMENT."""
    paths = list(paths)
    if not paths or set(paths) - UPDATABLE:
        raise invalid("update_mask", "unknown_field", f"update_mask may name only: {', '.join(sorted(UPDATABLE))}")
    return paths


async def update_code(
    session: AsyncSession, model: Any, list_name: str, data: common_pb2.Code, paths: Iterable[str], actor_id: str
) -> Any:
    """Relabel, reorder or archive a code, audited; NOT_FOUND (`<entity>_not_found`) for an unknown code."""
    paths = check_update_paths(paths)
    entity = entity_of(list_name)
    row = await session.get(model, data.code, with_for_update=True)
    if row is None:
        raise not_found(entity, data.code)
    old = {"label_ru": row.label_ru, "label_en": row.label_en, "archived": row.archived, "order": row.position}
    new = dict(old)
    v = Validator()
    if "label_ru" in paths or "label_en" in paths:
        # A cleared label takes the other one: both languages always have a label.
        labels = code_labels(
            data.label_ru if "label_ru" in paths else row.label_ru,
            data.label_en if "label_en" in paths else row.label_en,
            v,
        )
        new["label_ru"], new["label_en"] = labels.ru, labels.en
    if "order" in paths:
        if data.order < 0:
            v.add("order", "out_of_range", "order must not be negative")
        new["order"] = data.order
    if "archived" in paths:
        new["archived"] = data.archived
    v.raise_if_any()
    changes = diff(old, new)
    if changes:
        row.label_ru, row.label_en, row.archived, row.position = (
            new["label_ru"],
            new["label_en"],
            new["archived"],
            new["order"],
        )
        record_audit(
            session, entity_type=entity, entity_id=row.code, action="updated", actor_id=actor_id, changes=changes
        )
    return row


class CodeListsServicer(common_pb2_grpc.CodeListsServiceServicer):
    """crm.common.v1.CodeListsService over the lists a service declares (name -> model with CodeColumns)."""

    def __init__(self, db: Database, lists: Mapping[str, Any]) -> None:
        self.db = db
        self.lists = dict(lists)

    def _model(self, list_name: str) -> Any:
        model = self.lists.get(list_name)
        if model is None:
            raise not_found("code_list", list_name)
        return model

    async def ListCodes(self, request: common_pb2.ListCodesRequest, context: Any) -> common_pb2.ListCodesResponse:
        """The codes of a list in their order; archived ones only when asked."""
        model = self._model(request.list)
        async with self.db.readers() as session:
            rows = await list_codes(session, model, request.include_archived)
            return common_pb2.ListCodesResponse(codes=[code_message(r) for r in rows])

    async def CreateCode(self, request: common_pb2.CreateCodeRequest, context: Any) -> common_pb2.Code:
        """Add a code to a list (admin)."""
        model = self._model(request.list)
        caller = current_caller()
        require_admin(caller, f"change {request.list.replace('_', ' ')}")
        async with self.db.transaction() as session:
            row = await create_code(session, model, request.list, request.code, caller.user_id)
            return code_message(row)

    async def UpdateCode(self, request: common_pb2.UpdateCodeRequest, context: Any) -> common_pb2.Code:
        """Relabel, reorder or archive a code of a list (admin)."""
        model = self._model(request.list)
        caller = current_caller()
        require_admin(caller, f"change {request.list.replace('_', ' ')}")
        async with self.db.transaction() as session:
            row = await update_code(
                session, model, request.list, request.code, request.update_mask.paths, caller.user_id
            )
            return code_message(row)
