"""Document templates: shipped ones (shipped/<type>.<language>.html with shipped/base.css) and admins' own,
each a series of versions; a document names the version it was made with, so versions are never changed.

Admins create templates and add versions; a version is checked before it is kept (rendering.check_template
with the sample deal), so an unknown variable is refused when saved. Everyone reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_admin
from crm_core.audit import record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, Validator, invalid, not_found
from crm_core.fields import text
from crm_core.resources import check_version
from crm_documents import rendering
from crm_documents.document_data import DOC_TYPES, LANGUAGES, sample, title_of
from crm_documents.models import TemplateRow, TemplateVersionRow

SHIPPED_BY = "system"


def shipped_files() -> dict[tuple[str, str], tuple[str, str]]:
    """(type, language) -> (html, css) of the templates the platform ships."""
    folder = resources.files("crm_documents") / "shipped"
    css = (folder / "base.css").read_text(encoding="utf-8")
    return {
        (doc_type, language): ((folder / f"{doc_type}.{language}.html").read_text(encoding="utf-8"), css)
        for doc_type in DOC_TYPES
        for language in LANGUAGES
    }


def shipped_rows() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Rows of the shipped templates and their first versions (migration 0002 inserts them)."""
    rows = []
    for (doc_type, language), (html, css) in shipped_files().items():
        template_id = new_id()
        rows.append(
            (
                {
                    "id": template_id,
                    "doc_type": doc_type,
                    "language": language,
                    "name": title_of(doc_type, language),
                    "shipped_key": f"{doc_type}.{language}",
                    "is_default": True,
                },
                {"template_id": template_id, "version": 1, "html": html, "css": css, "created_by": SHIPPED_BY},
            )
        )
    return rows


@dataclass(frozen=True)
class TemplateSource:
    """What a document is rendered with: a template's version."""

    template: TemplateRow
    version: TemplateVersionRow


def _language(v: Validator, value: str) -> str:
    if value not in LANGUAGES:
        v.add("language", "not_allowed", "language must be ru or en")
    return value


def _doc_type(v: Validator, value: str) -> str:
    if value not in DOC_TYPES:
        v.add("doc_type", "not_allowed", f"doc_type must be one of: {', '.join(DOC_TYPES)}")
    return value


class Templates:
    """Commands and reads of templates."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def list_templates(self, doc_type: str, language: str, include_archived: bool) -> list[TemplateRow]:
        async with self.db.readers() as session:
            query = select(TemplateRow).order_by(TemplateRow.doc_type, TemplateRow.language, TemplateRow.name)
            if doc_type:
                query = query.where(TemplateRow.doc_type == doc_type)
            if language:
                query = query.where(TemplateRow.language == language)
            if not include_archived:
                query = query.where(TemplateRow.archived.is_(False))
            return list((await session.scalars(query)).all())

    async def get(self, template_id: str, version: int = 0) -> tuple[TemplateSource, list[TemplateVersionRow]]:
        async with self.db.readers() as session:
            return await self._get(session, template_id, version)

    async def _get(
        self, session: AsyncSession, template_id: str, version: int = 0
    ) -> tuple[TemplateSource, list[TemplateVersionRow]]:
        row = await session.get(TemplateRow, template_id)
        if row is None:
            raise not_found("template", template_id)
        versions = list(
            (
                await session.scalars(
                    select(TemplateVersionRow)
                    .where(TemplateVersionRow.template_id == template_id)
                    .order_by(TemplateVersionRow.version)
                )
            ).all()
        )
        wanted = version or row.current_version
        chosen = next((v for v in versions if v.version == wanted), None)
        if chosen is None:
            raise not_found("template_version", f"{template_id} v{wanted}")
        return TemplateSource(row, chosen), versions

    async def source_for(self, session: AsyncSession, template_id: str, doc_type: str, language: str) -> TemplateSource:
        """The named template (current version) or the default one of the type and language."""
        if template_id:
            source, _ = await self._get(session, template_id)
            if source.template.doc_type != doc_type:
                raise invalid("template_id", "template_wrong_type", f"the template is not for a {doc_type}")
            if source.template.archived:
                raise FailedPrecondition("template_archived", "the template is archived")
            return source
        row = await session.scalar(
            select(TemplateRow).where(
                TemplateRow.doc_type == doc_type,
                TemplateRow.language == language,
                TemplateRow.is_default,
                TemplateRow.archived.is_(False),
            )
        )
        if row is None:
            raise FailedPrecondition("template_missing", f"no default {language} template for a {doc_type}")
        source, _ = await self._get(session, row.id)
        return source

    def check(self, html: str, css: str, doc_type: str, language: str, units: dict[str, str]) -> None:
        rendering.check_template(html, css, sample(doc_type, language, units), language=language, currency="RUB")

    async def create(
        self,
        caller: Caller,
        *,
        doc_type: str,
        language: str,
        name: str,
        html: str,
        css: str,
        is_default: bool,
        units: dict[str, str],
    ) -> TemplateRow:
        require_admin(caller, "add templates")
        v = Validator()
        doc_type, language = _doc_type(v, doc_type), _language(v, language)
        name = text(v, name, "name") or ""
        if not name:
            v.add("name", "required", "the template needs a name")
        v.raise_if_any()
        self.check(html, css, doc_type, language, units)
        now = self.clock.now()
        async with self.db.transaction() as session:
            if is_default:
                await self._undefault(session, doc_type, language)
            row = TemplateRow(
                id=new_id(),
                doc_type=doc_type,
                language=language,
                name=name,
                is_default=is_default,
                current_version=1,
                version=1,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            session.add(
                TemplateVersionRow(
                    template_id=row.id, version=1, html=html, css=css, created_by=caller.user_id, created_at=now
                )
            )
            record_audit(
                session,
                entity_type="template",
                entity_id=row.id,
                action="created",
                actor_id=caller.user_id,
                changes={"name": {"old": None, "new": name}, "version": {"old": None, "new": 1}},
            )
        return row

    async def _undefault(self, session: AsyncSession, doc_type: str, language: str) -> None:
        await session.execute(
            update(TemplateRow)
            .where(TemplateRow.doc_type == doc_type, TemplateRow.language == language, TemplateRow.is_default)
            .values(is_default=False)
        )
        await session.flush()

    async def add_version(
        self,
        caller: Caller,
        template_id: str,
        *,
        html: str,
        css: str,
        comment: str,
        expected_version: int,
        units: dict[str, str],
    ) -> TemplateRow:
        require_admin(caller, "change templates")
        v = Validator()
        comment = text(v, comment, "comment", 1000) or ""
        v.raise_if_any()
        now = self.clock.now()
        async with self.db.transaction() as session:
            row = await session.get(TemplateRow, template_id, with_for_update=True)
            if row is None:
                raise not_found("template", template_id)
            check_version("template", row, expected_version)
            self.check(html, css, row.doc_type, row.language, units)
            last = await session.scalar(
                select(func.max(TemplateVersionRow.version)).where(TemplateVersionRow.template_id == template_id)
            )
            number = int(last or 0) + 1
            session.add(
                TemplateVersionRow(
                    template_id=row.id,
                    version=number,
                    html=html,
                    css=css,
                    comment=comment,
                    created_by=caller.user_id,
                    created_at=now,
                )
            )
            old = row.current_version
            row.current_version, row.version = number, row.version + 1
            record_audit(
                session,
                entity_type="template",
                entity_id=row.id,
                action="version_added",
                actor_id=caller.user_id,
                changes={"current_version": {"old": old, "new": number}},
            )
        return row

    async def update(
        self, caller: Caller, template_id: str, paths: list[str], values: dict[str, Any], expected_version: int
    ) -> TemplateRow:
        require_admin(caller, "change templates")
        v = Validator()
        if "name" in paths and not (text(v, values["name"], "name") or ""):
            v.add("name", "required", "the template needs a name")
        v.raise_if_any()
        async with self.db.transaction() as session:
            row = await session.get(TemplateRow, template_id, with_for_update=True)
            if row is None:
                raise not_found("template", template_id)
            check_version("template", row, expected_version)
            changes: dict[str, dict[str, Any]] = {}
            if "current_version" in paths:
                exists = await session.scalar(
                    select(TemplateVersionRow.version).where(
                        TemplateVersionRow.template_id == template_id,
                        TemplateVersionRow.version == values["current_version"],
                    )
                )
                if exists is None:
                    raise invalid("current_version", "template_version_unknown", "the template has no such version")
            if values.get("is_default") and "is_default" in paths and not row.is_default:
                await self._undefault(session, row.doc_type, row.language)
            for name in ("name", "is_default", "archived", "current_version"):
                if name in paths and getattr(row, name) != values[name]:
                    changes[name] = {"old": getattr(row, name), "new": values[name]}
                    setattr(row, name, values[name].strip() if name == "name" else values[name])
            if row.archived and row.is_default:
                raise FailedPrecondition("template_default", "make another template the default before archiving")
            if changes:
                row.version += 1
                record_audit(
                    session,
                    entity_type="template",
                    entity_id=row.id,
                    action="updated",
                    actor_id=caller.user_id,
                    changes=changes,
                )
        return row
