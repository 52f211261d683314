"""Changes of the knowledge base: one transaction each, with its audit entry (and event, for a publication
or an archiving) written in it.

An article's title and body are versioned: every change of either adds a version row (never changed
afterwards) and moves `content_version` on; restoring a version adds a new one with the old text, so
history only grows. `version` is the row's version for If-Match, bumped by every edit and status change
(not by views and votes, which are no edit: a reader's vote must not make an editor's save stale).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import knowledge_pb2 as events
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, NotFound, invalid
from crm_core.events import Namespace, record_event
from crm_core.resources.versioning import check_version
from crm_helpdesk import DOMAIN
from crm_helpdesk.knowledge_access import require_writer
from crm_helpdesk.knowledge_inputs import ArticleFields, CategoryFields
from crm_helpdesk.knowledge_models import ArticleRow, ArticleVersionRow, ArticleVoteRow, CategoryRow
from crm_helpdesk.knowledge_queries import ArticleView, KnowledgeQueries, reads

# Which status each status change leaves from.
TRANSITIONS = {"published": ("draft", "archived"), "archived": ("draft", "published")}
TRACKED = ("title", "body", "category_id", "language", "tags", "visibility", "status", "content_version")


def _state(row: ArticleRow) -> dict[str, Any]:
    return {name: list(row.tags) if name == "tags" else getattr(row, name) for name in TRACKED}


class Knowledge:
    """Writes of articles, their versions, votes and categories, as a caller."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock

    async def _check_category(self, session: AsyncSession, category_id: str) -> None:
        if category_id and await session.get(CategoryRow, category_id) is None:
            raise invalid("category_id", "kb_category_not_found", f"category {category_id} not found")

    # Articles -----------------------------------------------------------------------------------------

    async def create_article(self, caller: Caller, fields: ArticleFields) -> ArticleView:
        """A new draft by the caller, with its first version."""
        require_writer(caller, "write articles")
        now = self.clock.now()
        async with self.db.transaction() as session:
            await self._check_category(session, fields.category_id)
            row = ArticleRow(
                id=new_id(),
                **fields.values(),
                status="draft",
                author_id=caller.user_id,
                content_version=1,
                view_count=0,
                helpful_count=0,
                not_helpful_count=0,
                created_at=now,
                updated_at=now,
                version=1,
            )
            session.add(row)
            await session.flush()
            self._add_version(session, caller, row, restored_from=0)
            record_audit(
                session,
                entity_type="kb_article",
                entity_id=row.id,
                action="created",
                actor_id=caller.user_id,
                changes=diff({}, _state(row)),
            )
            return await KnowledgeQueries(session, caller).view(row.id)

    async def update_article(
        self, caller: Caller, article_id: str, fields: ArticleFields, expected: int
    ) -> ArticleView:
        """The named fields changed; a new title or body is a new content version."""
        require_writer(caller, "edit articles")
        async with self.db.transaction() as session:
            row = await KnowledgeQueries(session, caller).article(article_id, lock=True)
            check_version("article", row, expected)
            values = fields.values()
            if "category_id" in values:
                await self._check_category(session, values["category_id"] or "")
            before = _state(row)
            for name, value in values.items():
                setattr(row, name, value)
            if (row.title, row.body) != (before["title"], before["body"]):
                row.content_version += 1
                self._add_version(session, caller, row, restored_from=0)
            return await self._saved(session, caller, row, before, "updated")

    async def restore_version(self, caller: Caller, article_id: str, number: int, expected: int) -> ArticleView:
        """A new version with the title and body of version `number`."""
        require_writer(caller, "restore article versions")
        async with self.db.transaction() as session:
            row = await KnowledgeQueries(session, caller).article(article_id, lock=True)
            check_version("article", row, expected)
            old = await session.get(ArticleVersionRow, (row.id, number)) if number > 0 else None
            if old is None:
                raise NotFound("kb_article_version_not_found", f"the article has no version {number}")
            before = _state(row)
            row.title, row.body = old.title, old.body
            row.content_version += 1
            self._add_version(session, caller, row, restored_from=number)
            return await self._saved(session, caller, row, before, "version_restored")

    async def change_status(self, caller: Caller, article_id: str, status: str, expected: int) -> ArticleView:
        """Publish or archive (article.published / article.archived)."""
        require_writer(caller, "publish or archive articles")
        async with self.db.transaction() as session:
            row = await KnowledgeQueries(session, caller).article(article_id, lock=True)
            check_version("article", row, expected)
            if row.status not in TRANSITIONS[status]:
                raise FailedPrecondition("kb_status_transition", f"a {row.status} article cannot become {status}")
            before = _state(row)
            row.status = status
            if status == "published":
                row.published_at = self.clock.now()
            await record_event(
                session,
                self.namespace,
                DOMAIN,
                f"article.{status}",
                subject_id=row.id,
                payload=events.ArticleChanged(
                    article_id=row.id,
                    title=row.title,
                    category_id=row.category_id or "",
                    language=row.language,
                    visibility=row.visibility,
                    status=status,
                    from_status=before["status"],
                    content_version=row.content_version,
                ),
                actor=caller,
                version=row.version + 1,
                summary=row.title,
            )
            return await self._saved(session, caller, row, before, status)

    async def _saved(
        self, session: AsyncSession, caller: Caller, row: ArticleRow, before: dict[str, Any], action: str
    ) -> ArticleView:
        row.version += 1
        row.updated_at = self.clock.now()
        await session.flush()
        record_audit(
            session,
            entity_type="kb_article",
            entity_id=row.id,
            action=action,
            actor_id=caller.user_id,
            changes=diff(before, _state(row)),
        )
        return await KnowledgeQueries(session, caller).view(row.id)

    def _add_version(self, session: AsyncSession, caller: Caller, row: ArticleRow, restored_from: int) -> None:
        session.add(
            ArticleVersionRow(
                article_id=row.id,
                number=row.content_version,
                title=row.title,
                body=row.body,
                restored_from=restored_from,
                created_by=caller.user_id,
                created_at=self.clock.now(),
            )
        )

    async def count_view(self, caller: Caller, article_id: str) -> None:
        """One more view of a published article the caller sees (not audited: reading changes nothing)."""
        async with self.db.transaction() as session:
            queries = await reads(session, caller)
            row = await queries.article(article_id)
            if row.status == "published":
                await session.execute(
                    update(ArticleRow).where(ArticleRow.id == row.id).values(view_count=ArticleRow.view_count + 1)
                )

    async def vote(self, caller: Caller, article_id: str, helpful: bool) -> ArticleView:
        """The caller's vote on a published article; voting again replaces their vote, never adds one."""
        async with self.db.transaction() as session:
            queries = await reads(session, caller)
            row = await queries.article(article_id, lock=True)
            if row.status != "published":
                raise FailedPrecondition("kb_article_not_published", "only a published article can be voted on")
            vote = await session.scalar(
                select(ArticleVoteRow)
                .where(ArticleVoteRow.article_id == row.id, ArticleVoteRow.voter_id == caller.user_id)
                .with_for_update()
            )
            old = None if vote is None else vote.helpful
            if old != helpful:
                if vote is None:
                    session.add(
                        ArticleVoteRow(
                            article_id=row.id, voter_id=caller.user_id, helpful=helpful, voted_at=self.clock.now()
                        )
                    )
                else:
                    vote.helpful, vote.voted_at = helpful, self.clock.now()
                row.helpful_count += int(helpful) - int(old is True)
                row.not_helpful_count += int(not helpful) - int(old is False)
                await session.flush()
                record_audit(
                    session,
                    entity_type="kb_article",
                    entity_id=row.id,
                    action="voted",
                    actor_id=caller.user_id,
                    changes={"vote": {"old": old, "new": helpful}},
                )
            return await queries.view(row.id)

    # Categories ---------------------------------------------------------------------------------------

    async def create_category(self, caller: Caller, fields: CategoryFields) -> CategoryRow:
        require_writer(caller, "change categories")
        now = self.clock.now()
        async with self.db.transaction() as session:
            row = CategoryRow(
                id=new_id(),
                name_ru=fields.name_ru,
                name_en=fields.name_en,
                position=fields.position,
                shipped_key=None,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            record_audit(
                session,
                entity_type="kb_category",
                entity_id=row.id,
                action="created",
                actor_id=caller.user_id,
                changes=diff({}, {"name_ru": row.name_ru, "name_en": row.name_en, "position": row.position}),
            )
            return row

    async def update_category(
        self, caller: Caller, category_id: str, fields: CategoryFields, expected: int
    ) -> CategoryRow:
        require_writer(caller, "change categories")
        async with self.db.transaction() as session:
            row = await KnowledgeQueries(session, caller).category(category_id, lock=True)
            check_version("category", row, expected)
            before = {name: getattr(row, name) for name in ("name_ru", "name_en", "position")}
            for name in fields.fields:
                setattr(row, name, getattr(fields, name))
            row.name_ru, row.name_en = row.name_ru or row.name_en, row.name_en or row.name_ru
            if not row.name_ru:
                raise invalid("name_ru", "required", "a category needs a name")
            row.version += 1
            row.updated_at = self.clock.now()
            record_audit(
                session,
                entity_type="kb_category",
                entity_id=row.id,
                action="updated",
                actor_id=caller.user_id,
                changes=diff(before, {name: getattr(row, name) for name in before}),
            )
            return row
