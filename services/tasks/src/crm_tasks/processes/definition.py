"""Process definitions as the engine reads them: frozen steps, triggers and variables.

A definition is data (see docs/processes.md): a key, a trigger
(an event type with an optional condition, or "manual"), declared
variables, and steps of five types: user_task, action (create_task,
update_record, publish_event, webhook, send_email), timer, gateway and end. parser.py
turns a YAML/JSON document into one, or says everything wrong with it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crm_core.languages import Bilingual
from crm_tasks.processes.triggers import BUILTIN, TRIGGER_EVENTS

NO_TEXT = Bilingual("", "")

STEP_TYPES = ("user_task", "action", "timer", "gateway", "end")
ACTIONS = ("create_task", "update_record", "publish_event", "webhook", "send_email")
# Steps that wait for a person or for time: a cycle must pass through one, or it would never stop.
WAITING = ("user_task", "timer")
RECORD_FIELDS = {
    "deal": ("title", "owner_id", "team_id", "amount", "currency", "expected_close_date", "source"),
    "party": ("owner_id", "team_id", "tags", "knowledge"),
}
KEY = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
STEP_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
VARIABLE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
DURATION_UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}
MAX_SOURCE = 256 * 1024
MAX_STEPS = 200


@dataclass(frozen=True)
class Duration:
    """A relative time: calendar minutes, or working days (weekends and holidays skipped)."""

    minutes: int = 0
    working_days: int = 0


@dataclass(frozen=True)
class Assignee:
    """Who gets a task: the record's owner, the least busy member of a role, a fixed user, or a variable."""

    kind: str
    value: str = ""


@dataclass(frozen=True)
class TaskTemplate:
    """A task a step creates; subject and description are written in both languages, the task gets one."""

    type: str
    subject: Bilingual
    description: Bilingual = NO_TEXT
    priority: str = "normal"
    duration_minutes: int | None = None
    assignee: Assignee = Assignee("owner")
    deadline: Duration | None = None


@dataclass(frozen=True)
class Branch:
    when: str
    next: str


@dataclass(frozen=True)
class Step:
    id: str
    type: str
    name: Bilingual = NO_TEXT
    next: str = ""
    task: TaskTemplate | None = None
    result_variable: str = ""
    branches: tuple[Branch, ...] = ()
    default: str = ""
    wait: Duration | None = None
    until: str = ""
    until_variable: str = ""
    action: str = ""
    record: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)
    event: str = ""
    url: str = ""
    # send_email: the marketing mail template (an id or a {variable} holding one).
    template_id: str = ""

    def targets(self) -> list[str]:
        """The steps this one may lead to."""
        found = [self.next] if self.next else []
        found += [b.next for b in self.branches]
        if self.default:
            found.append(self.default)
        return found


@dataclass(frozen=True)
class Trigger:
    event: str
    condition: str = ""


@dataclass(frozen=True)
class Definition:
    key: str
    name: Bilingual
    description: Bilingual
    trigger: Trigger
    variables: Mapping[str, Any]
    start: str
    steps: Mapping[str, Step]

    @functools.cached_property
    def known_variables(self) -> frozenset[str]:
        """Every name a condition or template may use (worked out once: a definition never changes)."""
        names = set(BUILTIN) | set(TRIGGER_EVENTS.get(self.trigger.event, ())) | set(self.variables)
        names |= {s.result_variable for s in self.steps.values() if s.result_variable}
        return frozenset(names)

    def user_ids(self) -> list[str]:
        """Fixed users named as assignees (the gateway checks them in its directory)."""
        return sorted({s.task.assignee.value for s in self.steps.values() if s.task and s.task.assignee.kind == "user"})

    def roles(self) -> list[str]:
        return sorted({s.task.assignee.value for s in self.steps.values() if s.task and s.task.assignee.kind == "role"})


def render(template: str, variables: Mapping[str, Any]) -> str:
    """`{name}` placeholders replaced by variable values (no attribute access: plain names only)."""
    return PLACEHOLDER.sub(lambda m: "" if variables.get(m.group(1)) is None else str(variables[m.group(1)]), template)
