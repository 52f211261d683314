"""Reading a process definition document: YAML or JSON into a Definition, every problem reported at once.

Each problem carries the path of the field as written (steps[2].next) and a
stable code, so an upload is refused with all its errors before anything
is stored: unknown step types, actions and trigger events, steps nothing
leads to, a missing end, steps that cannot reach an end, loops without a
user task or timer, bad conditions and unknown variables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import yaml

from crm_core.errors import FieldProblem, InvalidArgument, Validator
from crm_core.languages import LANGUAGES, Bilingual
from crm_core.untrusted import MAX_DEPTH, TooDeep, TooLarge, document_problems, scan_json
from crm_tasks import domain
from crm_tasks.processes.conditions import ConditionError, check_condition
from crm_tasks.processes.definition import (
    ACTIONS,
    DURATION_UNITS,
    KEY,
    MAX_SOURCE,
    MAX_STEPS,
    NO_TEXT,
    PLACEHOLDER,
    RECORD_FIELDS,
    STEP_ID,
    STEP_TYPES,
    VARIABLE,
    WAITING,
    Assignee,
    Branch,
    Definition,
    Duration,
    Step,
    TaskTemplate,
    Trigger,
)
from crm_tasks.processes.triggers import BUILTIN, MANUAL, TRIGGER_EVENTS


def load_source(source: str, source_format: str = "") -> Any:
    """The document in `source` (YAML unless the format or the first character says JSON).

    Both parsers recurse once per nesting level, so the depth is limited
    before they could hit Python's recursion limit (JSON: measured in the
    text; YAML: while composing), and the loaded document is walked for what
    the database cannot store and for aliases that nest endlessly.
    """
    v = Validator()
    if len(source.encode()) > MAX_SOURCE:
        v.add("source", "too_large", f"a definition is at most {MAX_SOURCE // 1024} KB")
        v.raise_if_any()
    fmt = (source_format or "").lower()
    if fmt not in ("", "yaml", "json"):
        v.add("format", "unknown_format", "format is yaml or json")
        v.raise_if_any()
    try:
        if format_of(source, fmt) == "json":
            if scan_json(source).too_deep:
                raise TooDeep("source")
            doc = json.loads(source)
        else:
            doc = yaml.load(source, Loader=_DefinitionLoader)  # a SafeLoader (plain data only) with a depth limit
        for problem in document_problems(doc):
            v.add(problem.field or "source", problem.code, f"{problem.field or 'the definition'}: {problem.message}")
    except TooDeep as exc:
        # Malformed input, as a JSON body nested too deep anywhere else (the gateway answers 400).
        message = f"a definition nests at most {MAX_DEPTH} levels"
        raise InvalidArgument("malformed_json", message, [FieldProblem("source", "too_deep", message)]) from exc
    except TooLarge:
        v.add("source", "too_large", "a definition expands to too many values (YAML aliases)")
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        v.add("source", "unparsable", f"the definition is not valid {fmt or 'YAML'}: {exc}".strip())
    v.raise_if_any()
    return doc


class _DefinitionLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing collections nested deeper than MAX_DEPTH as it composes them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.collections = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self.collections += 1
        try:
            if self.collections > MAX_DEPTH:
                raise TooDeep("source")
            return super().compose_node(parent, index)
        finally:
            self.collections -= 1


def format_of(source: str, source_format: str = "") -> str:
    """ "json" or "yaml": as given, else JSON when the text starts with "{"."""
    if source_format:
        return source_format.lower()
    return "json" if source.lstrip().startswith("{") else "yaml"


def parse_definition(source: str, source_format: str = "") -> Definition:
    """Parse and validate a definition; InvalidArgument lists every problem found."""
    return _Parser(load_source(source, source_format)).parse()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def bilingual(v: Validator, path: str, raw: Any) -> Bilingual:
    """A text people read, in both languages: `{ru: ..., en: ...}`, or one string (or one language) for both.

    Anything else is a problem in `v` at `path`: `unknown_language` for a key other than ru/en,
    `invalid_text` for a value that is not text.
    """
    if raw is None:
        return NO_TEXT
    if isinstance(raw, str):
        return Bilingual.both(raw, raw)
    if not isinstance(raw, dict):
        v.add(path, "invalid_text", f"{path} is a text, or {{ru: <text>, en: <text>}}")
        return NO_TEXT
    unknown = sorted(str(k) for k in raw if k not in LANGUAGES)
    if unknown:
        v.add(
            f"{path}.{unknown[0]}", "unknown_language", f"{path} has texts in ru and en only, not {', '.join(unknown)}"
        )
    for language in LANGUAGES:
        if raw.get(language) is not None and not isinstance(raw[language], str):
            v.add(f"{path}.{language}", "invalid_text", f"{path}.{language} is a text")
    return Bilingual.both(_text(raw.get("ru")), _text(raw.get("en")))


class _Parser:
    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.v = Validator()
        # Step id -> its position in the document, so errors name steps[i] as written.
        self.position: dict[str, int] = {}

    def parse(self) -> Definition:
        v, doc = self.v, self.doc
        if not isinstance(doc, dict):
            v.add("source", "not_a_mapping", "a definition is a mapping with key, name, trigger and steps")
            v.raise_if_any()
        unknown = sorted(set(doc) - {"key", "name", "description", "trigger", "variables", "start", "steps"})
        if unknown:
            v.add(unknown[0], "unknown_field", f"unknown field(s): {', '.join(unknown)}")
        key = _text(doc.get("key"))
        if not KEY.match(key):
            v.add("key", "invalid_key", "key is 2-63 lower-case letters, digits and '-', starting with a letter")
        name = bilingual(v, "name", doc.get("name"))
        if not name or max(len(name.ru), len(name.en)) > 200:
            v.add("name", "required", "a definition needs a name (up to 200 characters in each language)")
        variables = self._variables(doc.get("variables"))
        trigger = self._trigger(doc.get("trigger"))
        steps = self._steps(doc.get("steps"))
        start = _text(doc.get("start")) or (next(iter(steps)) if steps else "")
        if steps and start not in steps:
            v.add("start", "unknown_step", f"start names no step '{start}'")
        description = bilingual(v, "description", doc.get("description"))
        definition = Definition(key, name, description, trigger, variables, start, steps)
        if steps and start in steps:
            self._check_graph(definition)
        self._check_expressions(definition)
        v.raise_if_any()
        return definition

    def _variables(self, raw: Any) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.v.add("variables", "not_a_mapping", "variables is a mapping of names to default values")
            return {}
        for name, value in raw.items():
            if not isinstance(name, str) or not VARIABLE.match(name):
                self.v.add(f"variables.{name}", "invalid_name", "variable names are lower-case letters, digits, '_'")
            elif name in BUILTIN:
                self.v.add(f"variables.{name}", "reserved_name", f"'{name}' is set by the engine")
            elif value is not None and not isinstance(value, (str, int, float, bool)):
                self.v.add(f"variables.{name}", "invalid_value", "a default is text, a number, a boolean or null")
        return dict(raw)

    def _trigger(self, raw: Any) -> Trigger:
        if isinstance(raw, str):
            raw = {"event": raw}
        if not isinstance(raw, dict):
            self.v.add("trigger", "required", f"trigger names an event ({', '.join(TRIGGER_EVENTS)})")
            return Trigger(MANUAL)
        event = _text(raw.get("event"))
        if event not in TRIGGER_EVENTS:
            self.v.add(
                "trigger.event",
                "unknown_event",
                f"unknown trigger event '{event}' (known: {', '.join(TRIGGER_EVENTS)})",
            )
        condition = _text(raw.get("condition"))
        if condition and event == MANUAL:
            self.v.add("trigger.condition", "bad_condition", "a manual trigger has no condition")
        return Trigger(event, condition)

    def _steps(self, raw: Any) -> dict[str, Step]:
        if not isinstance(raw, list) or not raw:
            self.v.add("steps", "required", "steps is a non-empty list")
            return {}
        if len(raw) > MAX_STEPS:
            self.v.add("steps", "too_many", f"a definition has at most {MAX_STEPS} steps")
        steps: dict[str, Step] = {}
        for i, item in enumerate(raw):
            path = f"steps[{i}]"
            if not isinstance(item, dict):
                self.v.add(path, "not_a_mapping", "a step is a mapping with id and type")
                continue
            step = self._step(path, item)
            if step is None:
                continue
            if step.id in steps:
                self.v.add(f"{path}.id", "duplicate_step", f"step id '{step.id}' is used twice")
                continue
            steps[step.id] = step
            self.position[step.id] = i
        return steps

    def _step(self, path: str, raw: dict[str, Any]) -> Step | None:
        v = self.v
        step_id = _text(raw.get("id"))
        if not STEP_ID.match(step_id):
            v.add(f"{path}.id", "invalid_id", "a step id is lower-case letters, digits and '_'")
            return None
        kind = _text(raw.get("type"))
        if kind not in STEP_TYPES:
            v.add(f"{path}.type", "unknown_step_type", f"unknown step type '{kind}' (known: {', '.join(STEP_TYPES)})")
            return None
        common: dict[str, Any] = {
            "id": step_id,
            "type": kind,
            "name": bilingual(v, f"{path}.name", raw.get("name")),
            "next": _text(raw.get("next")),
        }
        if kind != "end" and kind != "gateway" and not common["next"]:
            v.add(f"{path}.next", "missing_next", f"step '{step_id}' needs next (the step after it)")
        if kind == "end":
            if common["next"]:
                v.add(f"{path}.next", "end_has_next", "an end step has no next")
            return Step(**common)
        if kind == "user_task":
            result_variable = _text(raw.get("result_variable"))
            if result_variable and not VARIABLE.match(result_variable):
                v.add(f"{path}.result_variable", "invalid_name", "a variable name is lower-case letters, digits, '_'")
            return Step(**common, task=self._task(path, raw), result_variable=result_variable)
        if kind == "timer":
            return self._timer(path, raw, common)
        if kind == "gateway":
            return self._gateway(path, raw, common)
        return self._action(path, raw, common)

    def _task(self, path: str, raw: dict[str, Any]) -> TaskTemplate | None:
        v = self.v
        assignee = self._assignee(f"{path}.assignee", raw.get("assignee", "owner"))
        deadline = None if raw.get("deadline") is None else self._duration(f"{path}.deadline", raw["deadline"])
        task = raw.get("task")
        if not isinstance(task, dict):
            v.add(f"{path}.task", "required", "a task step needs task: {type, subject, ...}")
            return None
        subject = bilingual(v, f"{path}.task.subject", task.get("subject"))
        if not subject:
            v.add(f"{path}.task.subject", "required", "a task needs a subject")
        priority = _text(task.get("priority")) or "normal"
        if priority not in domain.PRIORITIES:
            v.add(f"{path}.task.priority", "unknown_priority", f"priority is one of {', '.join(domain.PRIORITIES)}")
        duration = task.get("duration_minutes")
        if duration is not None and (not isinstance(duration, int) or not 0 < duration <= domain.MAX_DURATION):
            v.add(f"{path}.task.duration_minutes", "out_of_range", f"duration is 1..{domain.MAX_DURATION} minutes")
            duration = None
        return TaskTemplate(
            type=_text(task.get("type")) or "todo",
            subject=subject,
            description=bilingual(v, f"{path}.task.description", task.get("description")),
            priority=priority,
            duration_minutes=duration,
            assignee=assignee,
            deadline=deadline,
        )

    def _assignee(self, path: str, raw: Any) -> Assignee:
        if raw == "owner":
            return Assignee("owner")
        if isinstance(raw, dict) and len(raw) == 1:
            ((kind, value),) = raw.items()
            if kind in ("role", "user", "variable") and _text(value):
                return Assignee(kind, _text(value))
        self.v.add(path, "invalid_assignee", "assignee is owner, {role: <code>}, {user: <id>} or {variable: <name>}")
        return Assignee("owner")

    def _duration(self, path: str, raw: Any) -> Duration:
        if isinstance(raw, dict) and len(raw) == 1:
            ((unit, amount),) = raw.items()
            if isinstance(amount, int) and not isinstance(amount, bool) and 0 <= amount <= 3650 * 24 * 60:
                if unit == "working_days" and amount <= 365:
                    return Duration(working_days=amount)
                if unit in DURATION_UNITS and amount * DURATION_UNITS[unit] <= 3650 * 24 * 60:
                    return Duration(minutes=amount * DURATION_UNITS[unit])
        self.v.add(path, "invalid_duration", "a duration is one of {minutes|hours|days|working_days: <whole number>}")
        return Duration()

    def _timer(self, path: str, raw: dict[str, Any], common: dict[str, Any]) -> Step:
        given = [k for k in ("wait", "until", "until_variable") if raw.get(k) is not None]
        if len(given) != 1:
            self.v.add(
                path, "invalid_timer", "a timer has exactly one of wait: {hours: N}, until: <date>, until_variable"
            )
            return Step(**common)
        if given[0] == "wait":
            return Step(**common, wait=self._duration(f"{path}.wait", raw["wait"]))
        if given[0] == "until":
            until = raw["until"]
            text = until.isoformat() if isinstance(until, datetime) else _text(until)
            try:
                parsed = datetime.fromisoformat(text)
                if parsed.tzinfo is None:
                    raise ValueError(text)
            except ValueError:
                self.v.add(f"{path}.until", "invalid_time", "until is a date and time with its offset (ISO 8601)")
            return Step(**common, until=text)
        return Step(**common, until_variable=_text(raw["until_variable"]))

    def _gateway(self, path: str, raw: dict[str, Any], common: dict[str, Any]) -> Step:
        branches = []
        items = raw.get("branches")
        if not isinstance(items, list) or not items:
            self.v.add(f"{path}.branches", "required", "a gateway needs branches: [{when: <condition>, next: <step>}]")
            items = []
        for j, item in enumerate(items):
            when = _text(item.get("when")) if isinstance(item, dict) else ""
            target = _text(item.get("next")) if isinstance(item, dict) else ""
            if not when or not target:
                self.v.add(f"{path}.branches[{j}]", "invalid_branch", "a branch is {when: <condition>, next: <step>}")
                continue
            branches.append(Branch(when, target))
        default = _text(raw.get("default"))
        if not default:
            self.v.add(f"{path}.default", "missing_default", "a gateway needs default: the step when no branch holds")
        return Step(**{**common, "next": ""}, branches=tuple(branches), default=default)

    def _action(self, path: str, raw: dict[str, Any], common: dict[str, Any]) -> Step:
        action = _text(raw.get("action"))
        if action not in ACTIONS:
            self.v.add(f"{path}.action", "unknown_action", f"unknown action '{action}' (known: {', '.join(ACTIONS)})")
            return Step(**common, action=action)
        if action == "create_task":
            return Step(**common, action=action, task=self._task(path, raw))
        if action == "publish_event":
            event = _text(raw.get("event"))
            if not VARIABLE.match(event):
                self.v.add(f"{path}.event", "invalid_name", "event is a name such as onboarding_started")
            return Step(**common, action=action, event=event)
        if action == "webhook":
            url = _text(raw.get("url"))
            if not re.match(r"^https?://[^\s/]+", url):
                self.v.add(f"{path}.url", "invalid_url", "a webhook needs an http(s) url")
            return Step(**common, action=action, url=url)
        if action == "send_email":
            template_id = _text(raw.get("template_id"))
            if not template_id:
                self.v.add(
                    f"{path}.template_id",
                    "required",
                    "send_email needs template_id: a mail template's id or {variable}",
                )
            return Step(**common, action=action, template_id=template_id)
        record = _text(raw.get("record")) or "deal"
        fields = raw.get("fields")
        if record not in RECORD_FIELDS:
            self.v.add(f"{path}.record", "unknown_record", "update_record changes a deal or a party")
        elif not isinstance(fields, dict) or not fields:
            self.v.add(f"{path}.fields", "required", "update_record needs fields: {<field>: <value>}")
        else:
            for name in fields:
                if name not in RECORD_FIELDS[record] and not str(name).startswith("custom_fields."):
                    allowed = ", ".join(RECORD_FIELDS[record])
                    self.v.add(
                        f"{path}.fields.{name}",
                        "unknown_field",
                        f"a {record} field is one of {allowed} or custom_fields.<key>",
                    )
        return Step(**common, action=action, record=record, fields=dict(fields or {}))

    def _check_graph(self, d: Definition) -> None:
        """Every next exists, every step is reachable, an end is reachable from each, loops wait."""
        index = self.position
        dangling = [(s.id, t) for s in d.steps.values() for t in s.targets() if t not in d.steps]
        for step_id, target in dangling:
            self.v.add(f"steps[{index[step_id]}]", "unknown_step", f"step '{step_id}' leads to no step '{target}'")
        if dangling:
            return  # paths through a missing step say nothing more
        if not any(s.type == "end" for s in d.steps.values()):
            self.v.add("steps", "missing_end", "a definition needs an end step")
            return
        edges = {s.id: [t for t in s.targets() if t in d.steps] for s in d.steps.values()}
        reachable = _reach([d.start], edges)
        for step_id in d.steps:
            if step_id not in reachable:
                self.v.add(f"steps[{index[step_id]}]", "unreachable_step", f"no path leads to step '{step_id}'")
        reverse: dict[str, list[str]] = {s: [] for s in d.steps}
        for source, targets in edges.items():
            for target in targets:
                reverse[target].append(source)
        ending = _reach([s.id for s in d.steps.values() if s.type == "end"], reverse)
        for step_id in sorted(reachable - ending, key=index.__getitem__):
            self.v.add(f"steps[{index[step_id]}]", "no_path_to_end", f"from step '{step_id}' no path reaches an end")
        cycle = _cycle(
            {
                s: [t for t in ts if d.steps[t].type not in WAITING]
                for s, ts in edges.items()
                if d.steps[s].type not in WAITING
            }
        )
        if cycle:
            self.v.add(
                f"steps[{index[cycle[0]]}]",
                "cycle_without_wait",
                f"steps {' -> '.join(cycle)} form a loop with no user_task or timer: it would never stop",
            )

    def _check_expressions(self, d: Definition) -> None:
        known = d.known_variables
        if d.trigger.condition:
            self._condition("trigger.condition", d.trigger.condition, known)
        for step in d.steps.values():
            i = self.position[step.id]
            for j, branch in enumerate(step.branches):
                self._condition(f"steps[{i}].branches[{j}].when", branch.when, known)
            texts: list[tuple[str, str]] = []
            if step.task:
                for language in LANGUAGES:
                    texts += [
                        ("task.subject", step.task.subject.in_language(language)),
                        ("task.description", step.task.description.in_language(language)),
                    ]
            texts += [(f"fields.{k}", v) for k, v in step.fields.items() if isinstance(v, str)]
            texts += [("url", step.url), ("template_id", step.template_id)]
            for where, text in dict.fromkeys(texts):  # a text both languages share is checked once
                for name in PLACEHOLDER.findall(text):
                    if name not in known:
                        self.v.add(f"steps[{i}].{where}", "unknown_variable", f"'{{{name}}}' is not a variable")
            names = [
                step.until_variable,
                step.task.assignee.value if step.task and step.task.assignee.kind == "variable" else "",
            ]
            for name in filter(None, names):
                if name not in known:
                    self.v.add(f"steps[{i}]", "unknown_variable", f"'{name}' is not a variable of this process")

    def _condition(self, path: str, expression: str, known: frozenset[str]) -> None:
        try:
            check_condition(expression, known)
        except ConditionError as exc:
            self.v.add(path, exc.code, str(exc))


def _reach(starts: list[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen, stack = set(starts), list(starts)
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _cycle(edges: Mapping[str, list[str]]) -> list[str]:
    """One cycle of the graph as a path that returns to its first step, or []."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in edges.get(node, ()):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and target in edges:
                found = visit(target)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for node in edges:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []
