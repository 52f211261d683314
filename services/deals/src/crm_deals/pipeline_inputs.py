"""Typed inputs of the pipeline and stage commands (admins'), each parsed once from its protobuf message.

Like inputs.py for deals: a parse function applies every rule a value can be
judged by on its own and raises InvalidArgument naming each bad field; a
stage's probability is judged against its category when the change is
applied (StageChanges.applied_to); a pipeline keeps an active open, won and
lost stage (check_stage_set).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm.deals.v1 import deals_pb2 as pb
from crm_core import fields
from crm_core.errors import FailedPrecondition, Validator, invalid
from crm_core.languages import Bilingual
from crm_core.resources import FieldMask
from crm_deals.domain import CATEGORIES, DEFAULT_STAGES, DEFAULT_STALE_DAYS

NAMES = ("name", "name_ru", "name_en")
PIPELINE_MASK = FieldMask({*NAMES, "stale_days", "archived"})
STAGE_MASK = FieldMask({*NAMES, "probability", "time_limit_days", "archived"})
MAX_DAYS = 3650


def name_columns(names: Bilingual, language: str) -> dict[str, str]:
    """A pipeline's or stage's name columns: each language's, and `name` in the installation's `language`."""
    return {"name": names.in_language(language), "name_ru": names.ru, "name_en": names.en}


@dataclass(frozen=True)
class NameChange:
    """The names an update sets: `name` alone renames in both languages, name_ru or name_en in one;
    None keeps that language's name."""

    ru: str | None = None
    en: str | None = None

    def applied_to(self, current: Mapping[str, Any], language: str) -> dict[str, str]:
        """The name columns (see name_columns) after the change."""
        ru = current["name_ru"] if self.ru is None else self.ru
        en = current["name_en"] if self.en is None else self.en
        return name_columns(Bilingual.both(ru, en), language)


@dataclass(frozen=True)
class StageDraft:
    """A new stage: probability 100 for won, 0 for lost; time_limit_days None is no limit."""

    names: Bilingual
    category: str = "open"
    probability: int = 0
    time_limit_days: int | None = None

    def columns(self, language: str) -> dict[str, Any]:
        """The stage's columns; `name` in the installation's `language`."""
        return {
            **name_columns(self.names, language),
            "category": self.category,
            "probability": self.probability,
            "time_limit_days": self.time_limit_days,
        }


@dataclass(frozen=True)
class PipelineDraft:
    """A new pipeline: its names, the days without activity after which a deal is stalled, its stages in order."""

    names: Bilingual
    stale_days: int
    stages: tuple[StageDraft, ...]


@dataclass(frozen=True)
class PipelineChanges:
    """An UpdatePipeline: the masked paths and their values."""

    paths: tuple[str, ...]
    names: NameChange = field(default_factory=lambda: NameChange())
    stale_days: int = DEFAULT_STALE_DAYS
    archived: bool = False


@dataclass(frozen=True)
class StageChanges:
    """An UpdateStage: the masked paths and their values (probability is judged against the stage's category)."""

    paths: tuple[str, ...]
    names: NameChange = field(default_factory=lambda: NameChange())
    probability: int = 0
    time_limit_days: int | None = None
    archived: bool = False

    def applied_to(self, current: Mapping[str, Any], language: str) -> dict[str, Any]:
        """A stage (names, probability, category, time_limit_days, archived) after the change; category stays.

        A won or lost stage keeps its probability (`fixed_probability`); an open one takes 0 to 100.
        """
        result = {**current, **self.names.applied_to(current, language)}
        for name in ("time_limit_days", "archived"):
            if name in self.paths:
                result[name] = getattr(self, name)
        if "probability" in self.paths:
            probability = self.probability
            if current["category"] != "open" and probability != current["probability"]:
                raise invalid(
                    "stage.probability", "fixed_probability", f"a {current['category']} stage keeps its probability"
                )
            if not 0 <= probability <= 100:
                raise invalid("stage.probability", "out_of_range", "stage.probability must be 0 to 100")
            result["probability"] = probability
        return result


def parse_pipeline_draft(request: pb.CreatePipelineRequest) -> PipelineDraft:
    """CreatePipeline: names, stale_days (0: the default), stages (none: the default ones) making a full set."""
    v = Validator()
    names = _names(v, "", request.name, request.name_ru, request.name_en, "a pipeline needs a name")
    stale_days = request.stale_days or DEFAULT_STALE_DAYS
    if not 0 < stale_days <= MAX_DAYS:
        v.add("stale_days", "out_of_range", f"stale_days must be 1 to {MAX_DAYS}")
    specs = list(request.stages) or [
        pb.StageSpec(name_ru=ru, name_en=en, probability=p, category=c) for ru, en, p, c in DEFAULT_STAGES
    ]
    stages = tuple(_stage_draft(v, spec, path=f"stages[{i}]") for i, spec in enumerate(specs))
    v.raise_if_any()
    check_stage_set([{"category": s.category} for s in stages])
    return PipelineDraft(names, stale_days, stages)


def parse_pipeline_changes(request: pb.UpdatePipelineRequest) -> PipelineChanges:
    """UpdatePipeline: names (see NameChange), stale_days 1 to 3650, archived."""
    paths = _mask(PIPELINE_MASK, request.update_mask.paths)
    v = Validator()
    names = _name_change(v, "", request.pipeline, paths)
    v.raise_if_any()
    stale_days = request.pipeline.stale_days
    if "stale_days" in paths and not 0 < stale_days <= MAX_DAYS:
        raise invalid("stale_days", "out_of_range", f"stale_days must be 1 to {MAX_DAYS}")
    return PipelineChanges(paths, names, stale_days, request.pipeline.archived)


def parse_stage_draft(spec: pb.StageSpec, path: str = "stage") -> StageDraft:
    """AddStage's stage (see StageDraft)."""
    v = Validator()
    stage = _stage_draft(v, spec, path=path)
    v.raise_if_any()
    return stage


def parse_stage_changes(request: pb.UpdateStageRequest) -> StageChanges:
    """UpdateStage: names (see NameChange), time_limit_days 1 to 3650 (0: none), archived; probability later."""
    paths = _mask(STAGE_MASK, request.update_mask.paths)
    stage = request.stage
    v = Validator()
    names = _name_change(v, "stage.", stage, paths)
    limit = _time_limit(v, stage.time_limit_days, "stage.time_limit_days") if "time_limit_days" in paths else None
    v.raise_if_any()
    return StageChanges(paths, names, stage.probability, limit, stage.archived)


def check_stage_set(stages: Sequence[Mapping[str, Any]]) -> None:
    """A pipeline keeps at least one active open, won and lost stage."""
    active = {s["category"] for s in stages if not s.get("archived")}
    missing = [c for c in CATEGORIES if c not in active]
    if missing:
        raise FailedPrecondition(
            "stages_incomplete",
            f"a pipeline needs at least one active {' and one '.join(missing)} stage",
        )


def _stage_draft(v: Validator, spec: pb.StageSpec, *, path: str) -> StageDraft:
    names = _names(v, f"{path}.", spec.name, spec.name_ru, spec.name_en, f"{path}.name is required")
    probability, limit = spec.probability, spec.time_limit_days
    category = spec.category or "open"
    if category not in CATEGORIES:
        v.add(f"{path}.category", "not_allowed", f"{path}.category must be open, won or lost")
    if category == "won":
        probability = probability or 100
    fixed = {"won": 100, "lost": 0}.get(category)
    if not 0 <= probability <= 100:
        v.add(f"{path}.probability", "out_of_range", f"{path}.probability must be 0 to 100")
    elif fixed is not None and probability != fixed:
        v.add(f"{path}.probability", "fixed_probability", f"a {category} stage has probability {fixed}")
    return StageDraft(names, category, probability, _time_limit(v, limit, f"{path}.time_limit_days"))


def _time_limit(v: Validator, value: int, path: str) -> int | None:
    """Days a deal should stay in a stage at most: 1 to 3650, 0 for no limit."""
    if not value:
        return None
    if not 0 < value <= MAX_DAYS:
        v.add(path, "out_of_range", f"{path} must be 1 to {MAX_DAYS} days (0: no limit)")
        return None
    return value


def _names(v: Validator, prefix: str, name: str, name_ru: str, name_en: str, required: str) -> Bilingual:
    """name_ru and name_en, `name` for a language not given; one given serves both (like a code's labels)."""
    plain = fields.text(v, name, f"{prefix}name")
    ru = fields.text(v, name_ru, f"{prefix}name_ru") or plain
    en = fields.text(v, name_en, f"{prefix}name_en") or plain
    if not ru and not en:
        v.add(f"{prefix}name", "required", required)
    return Bilingual.both(ru, en)


def _name_change(v: Validator, prefix: str, message: pb.Pipeline | pb.Stage, paths: Sequence[str]) -> NameChange:
    """The names an update's mask names (see NameChange); a language it names may not end up empty."""
    plain = fields.text(v, message.name, f"{prefix}name") if "name" in paths else None
    given = {}
    for language in ("ru", "en"):
        path = f"name_{language}"
        if path in paths:
            given[language] = fields.text(v, getattr(message, path), f"{prefix}{path}") or plain or ""
        elif "name" in paths:
            given[language] = plain or ""
    if given and not any(given.values()):
        only = f"{prefix}name_{next(iter(given))}" if len(given) == 1 else f"{prefix}name"
        v.add(only, "required", f"{only} is required")
    return NameChange(given.get("ru"), given.get("en"))


def _mask(mask: FieldMask, paths: Iterable[str]) -> tuple[str, ...]:
    """The update mask's paths: at least one, each one the mask allows (`update_mask` `unknown_field`)."""
    paths = list(paths)
    if not paths or any(mask.problem(p) for p in paths):
        raise invalid("update_mask", "unknown_field", f"update_mask may name only: {', '.join(sorted(mask.paths))}")
    return tuple(paths)
