"""REST shapes of business processes: definitions, instances, roles (mirror crm.tasks.v1.ProcessesService)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict


class DefinitionStepOut(Out):
    id: str
    type: str
    name: str = Field("", description="In the installation's default language")
    name_ru: str = ""
    name_en: str = ""


class InstanceCountsOut(Out):
    running: int = 0
    late: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0


class DefinitionOut(Out):
    id: str = Field("", description="Empty for a definition only validated (dry_run)")
    key: str
    version: int = 0
    name: str = Field(description="In the installation's default language (CRM_DEFAULT_LANGUAGE)")
    description: str = ""
    name_ru: str = ""
    name_en: str = ""
    description_ru: str = ""
    description_en: str = ""
    trigger_event: str = Field(description="An event type such as deal.stage_changed, or manual")
    trigger_condition: str = ""
    active: bool = False
    steps: list[DefinitionStepOut] = []
    user_ids: list[str] = []
    roles: list[str] = []
    source: str = ""
    format: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    counts: InstanceCountsOut | None = Field(None, description="Instances of every version (admins, in lists)")
    variables: dict[str, Any] = Field({}, description="Declared variables with their defaults")


class RecordRef(Strict):
    kind: Literal["deal", "party"]
    id: str = Field(max_length=64)


class StartProcess(Strict):
    key: str = Field(max_length=63, description="The definition to start (its newest active version)")
    record: RecordRef | None = Field(None, description="The deal or party the process is about")
    variables: dict[str, Any] = Field(default_factory=dict, description="Values of variables the definition declares")


class StepRunOut(Out):
    step_id: str
    step_type: str
    step_name: str = Field("", description="In the installation's default language")
    step_name_ru: str = ""
    step_name_en: str = ""
    entered_at: datetime
    left_at: datetime | None = None
    due_at: datetime | None = None
    task_id: str = ""
    result: str = ""
    seconds: float = Field(0.0, description="Time in the step (so far, when it has not left)")
    late: bool = False


class InstanceOut(Out):
    id: str
    definition_key: str
    definition_version: int
    definition_name: str = Field("", description="In the installation's default language")
    definition_name_ru: str = ""
    definition_name_en: str = ""
    status: str = Field(description="running, completed, failed or cancelled")
    current_step: str = ""
    variables: dict[str, Any] = {}
    record_kind: str = ""
    record_id: str = ""
    started_by: str
    started_at: datetime
    finished_at: datetime | None = None
    error: str = ""
    late: bool = False
    steps: list[StepRunOut] = Field([], description="Every step visited (one instance) or the current one (lists)")
    version: int


class CancelInstance(Strict):
    reason: str = Field("", max_length=1000)


class RoleIn(Strict):
    label: str = Field(max_length=200)
    member_ids: list[str] = Field(default_factory=list, max_length=200)


class RoleOut(Out):
    code: str
    label: str
    member_ids: list[str] = []
