"""Admin-managed reference data deals are built on: pipelines and stages, loss reasons, custom fields.

Changing a pipeline never breaks its deals: stages are archived, not
deleted, and keep their category; deals in an archived stage stay there and
are shown on the board until they move on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_admin
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, invalid, not_found
from crm_core.resources import check_version, get_visible
from crm_deals.models import Pipeline, Stage
from crm_deals.pipeline_inputs import (
    PipelineChanges,
    PipelineDraft,
    StageChanges,
    StageDraft,
    check_stage_set,
    name_columns,
)

NAME_COLUMNS = ("name", "name_ru", "name_en")


class Reference:
    """Commands on pipelines, stages, loss reasons and custom field definitions (admins only)."""

    def __init__(self, db: Database, clock: Clock, language: str) -> None:
        self.db = db
        self.clock = clock
        # The installation's language (CRM_DEFAULT_LANGUAGE): the one of a pipeline's and stage's `name`.
        self.language = language

    # Pipelines and stages ------------------------------------------------------

    async def create_pipeline(self, caller: Caller, draft: PipelineDraft) -> Pipeline:
        """A pipeline with its stages in order."""
        require_admin(caller, "change pipelines")
        pipeline = Pipeline(
            id=new_id(),
            **name_columns(draft.names, self.language),
            stale_days=draft.stale_days,
            archived=False,
            version=1,
            created_at=self.clock.now(),
        )
        async with self.db.transaction() as session:
            session.add(pipeline)
            await session.flush()
            for position, stage in enumerate(draft.stages):
                session.add(
                    Stage(
                        id=new_id(),
                        pipeline_id=pipeline.id,
                        position=position,
                        archived=False,
                        **stage.columns(self.language),
                    )
                )
            created = {k: {"old": None, "new": v} for k, v in name_columns(draft.names, self.language).items()}
            _audit(session, caller, pipeline, "created", created)
        return pipeline

    async def update_pipeline(
        self, caller: Caller, pipeline_id: str, changes: PipelineChanges, expected_version: int
    ) -> Pipeline:
        """Rename, archive or set stale_days; the last active pipeline cannot be archived."""
        require_admin(caller, "change pipelines")
        async with self.db.transaction() as session:
            pipeline = await _locked_pipeline(session, pipeline_id, expected_version)
            old = {
                **{k: getattr(pipeline, k) for k in NAME_COLUMNS},
                "stale_days": pipeline.stale_days,
                "archived": pipeline.archived,
            }
            new = {**old, **changes.names.applied_to(old, self.language)}
            new.update({path: getattr(changes, path) for path in changes.paths if path in ("stale_days", "archived")})
            if new["archived"] and not old["archived"]:
                active = await session.scalar(
                    select(func.count()).select_from(Pipeline).where(Pipeline.archived.is_(False))
                )
                if (active or 0) <= 1:
                    raise FailedPrecondition("last_pipeline", "the last active pipeline cannot be archived")
            changed = diff(old, new)
            if changed:
                for key, value in new.items():
                    setattr(pipeline, key, value)
                pipeline.version += 1
                _audit(session, caller, pipeline, "updated", changed)
        return pipeline

    async def add_stage(
        self, caller: Caller, pipeline_id: str, draft: StageDraft, position: int, expected_version: int
    ) -> Pipeline:
        """Insert a stage among the active ones at `position` (at the end when out of range)."""
        require_admin(caller, "change pipelines")
        async with self.db.transaction() as session:
            pipeline = await _locked_pipeline(session, pipeline_id, expected_version)
            stages = await _stages(session, pipeline.id)
            stage = Stage(
                id=new_id(), pipeline_id=pipeline.id, position=0, archived=False, **draft.columns(self.language)
            )
            session.add(stage)
            active = [s for s in stages if not s.archived]
            at = position if 0 <= position <= len(active) else len(active)
            _renumber([*active[:at], stage, *active[at:]], stages)
            pipeline.version += 1
            added = draft.names.in_language(self.language)
            _audit(session, caller, pipeline, "stage_added", {"stage": {"old": None, "new": added}})
        return pipeline

    async def update_stage(
        self,
        caller: Caller,
        pipeline_id: str,
        stage_id: str,
        changes: StageChanges,
        expected_version: int,
    ) -> Pipeline:
        """Rename, re-probabilise, re-limit or archive a stage; its category and deals stay."""
        require_admin(caller, "change pipelines")
        async with self.db.transaction() as session:
            pipeline = await _locked_pipeline(session, pipeline_id, expected_version)
            stages = await _stages(session, pipeline.id)
            stage = next((s for s in stages if s.id == stage_id), None)
            if stage is None:
                raise not_found("stage", stage_id)
            columns = (*NAME_COLUMNS, "probability", "category", "time_limit_days", "archived")
            old = {k: getattr(stage, k) for k in columns}
            new = changes.applied_to(old, self.language)
            if new["archived"] != old["archived"]:
                check_stage_set(
                    [
                        {"category": s.category, "archived": new["archived"] if s is stage else s.archived}
                        for s in stages
                    ]
                )
            changed = diff(old, new)
            if changed:
                for key, value in new.items():
                    setattr(stage, key, value)
                if "archived" in changed:
                    _renumber([s for s in stages if not s.archived], stages)
                pipeline.version += 1
                _audit(session, caller, pipeline, "stage_updated", {f"{stage.id}.{k}": c for k, c in changed.items()})
        return pipeline

    async def reorder_stages(
        self, caller: Caller, pipeline_id: str, stage_ids: list[str], expected_version: int
    ) -> Pipeline:
        """Put the active stages in the order given (every active stage exactly once)."""
        require_admin(caller, "change pipelines")
        async with self.db.transaction() as session:
            pipeline = await _locked_pipeline(session, pipeline_id, expected_version)
            stages = await _stages(session, pipeline.id)
            active = {s.id: s for s in stages if not s.archived}
            if len(stage_ids) != len(set(stage_ids)) or set(stage_ids) != set(active):
                raise invalid(
                    "stage_ids", "not_every_active_stage", "stage_ids must list every active stage of the pipeline once"
                )
            before = [s.id for s in stages if not s.archived]
            _renumber([active[i] for i in stage_ids], stages)
            if before != stage_ids:
                pipeline.version += 1
                _audit(session, caller, pipeline, "stages_reordered", {"stage_ids": {"old": before, "new": stage_ids}})
        return pipeline


async def _locked_pipeline(session: AsyncSession, pipeline_id: str, expected_version: int) -> Pipeline:
    pipeline = await get_visible(session, Pipeline, "pipeline", pipeline_id, lock=True)
    check_version("pipeline", pipeline, expected_version)
    return pipeline


async def _stages(session: AsyncSession, pipeline_id: str) -> list[Stage]:
    query = select(Stage).where(Stage.pipeline_id == pipeline_id).order_by(Stage.archived, Stage.position, Stage.id)
    return list((await session.scalars(query)).all())


def _renumber(active_in_order: Sequence[Stage], stages: Sequence[Stage]) -> None:
    """Positions 0..n-1 for the active stages in the given order, then the archived ones."""
    archived = [s for s in stages if s.archived and s not in active_in_order]
    for position, stage in enumerate([*active_in_order, *archived]):
        stage.position = position


def _audit(session: AsyncSession, caller: Caller, pipeline: Pipeline, action: str, changes: dict[str, Any]) -> None:
    record_audit(
        session, entity_type="pipeline", entity_id=pipeline.id, action=action, actor_id=caller.user_id, changes=changes
    )
