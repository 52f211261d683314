"""Process definitions: the format, and every way a definition is refused on upload."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crm_core.errors import InvalidArgument
from crm_tasks.processes.calendar import WorkCalendar
from crm_tasks.processes.conditions import ConditionError, check_condition, evaluate
from crm_tasks.processes.definition import Duration, render
from crm_tasks.processes.parser import parse_definition

SHIPPED = sorted((Path(__file__).parents[2] / "src/crm_tasks/processes/shipped").glob("*.yaml"))

PROPOSAL = """
key: proposal-quote
name: Prepare the quote
trigger:
  event: deal.stage_changed
  condition: stage_name == "Proposal"
steps:
  - id: quote
    type: user_task
    task: {type: todo, subject: "Prepare the quote for {title}"}
    assignee: owner
    deadline: {working_days: 1}
    next: done
  - id: done
    type: end
"""


def problems(source: str, fmt: str = "") -> dict[str, str]:
    with pytest.raises(InvalidArgument) as caught:
        parse_definition(source, fmt)
    return {p.field: p.code for p in caught.value.fields}


def with_steps(steps: str, trigger: str = "manual") -> str:
    return f"key: sample\nname: Sample\ntrigger: {trigger}\nsteps:\n{steps}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_definitions_are_valid(path: Path) -> None:
    definition = parse_definition(path.read_text())
    assert definition.key == path.stem
    assert any(step.type == "end" for step in definition.steps.values())


def test_a_definition_parses_into_steps_with_its_trigger() -> None:
    definition = parse_definition(PROPOSAL)
    assert definition.trigger.event == "deal.stage_changed"
    assert definition.start == "quote"
    quote = definition.steps["quote"]
    assert quote.task is not None and quote.task.assignee.kind == "owner"
    assert quote.task.deadline == Duration(working_days=1)
    assert quote.next == "done"


def test_json_is_accepted_as_well_as_yaml() -> None:
    import yaml

    as_json = json.dumps(yaml.safe_load(PROPOSAL))
    assert parse_definition(as_json).steps.keys() == parse_definition(PROPOSAL).steps.keys()


def test_unparsable_text_is_refused() -> None:
    assert problems("key: [unclosed") == {"source": "unparsable"}
    assert problems("{not json", "json") == {"source": "unparsable"}


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("[" * 500 + "]" * 500, "yaml"),
        ("[" * 500 + "]" * 500, "json"),
        ("[" * 100_000 + "]" * 100_000, "json"),
        ("a:\n" + "".join(" " * i + "- \n" for i in range(1, 200)), "yaml"),
        ('{"key": ' + "{" * 65 + "}" * 65 + "}", ""),
        ("key: " + "{a: " * 65 + "1" + "}" * 65, "yaml"),
    ],
    ids=["yaml-lists", "json-lists", "json-100000", "yaml-block", "json-detected", "yaml-mappings"],
)
def test_a_document_nested_deeper_than_64_is_too_deep_not_a_crash(source: str, fmt: str) -> None:
    assert problems(source, fmt) == {"source": "too_deep"}


def test_nesting_up_to_64_levels_is_parsed_and_judged_on_its_content() -> None:
    assert problems("[" * 64 + "]" * 64, "json") == {"source": "not_a_mapping"}
    assert problems("[" * 64 + "]" * 64, "yaml") == {"source": "not_a_mapping"}


def test_yaml_aliases_that_nest_endlessly_or_explode_are_refused() -> None:
    assert problems(with_steps("  - &a [*a]")) == {"source": "too_deep"}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(6)
    )
    assert problems(bomb) == {"source": "too_large"}


def test_text_and_numbers_the_database_cannot_store_are_named() -> None:
    source = with_steps("  - id: done\n    type: end\n").replace("name: Sample", 'name: "Sa\\0mple"')
    source += "variables:\n  rate: .nan\n  big: " + "9" * 400 + "\n"
    assert problems(source) == {
        "name": "invalid_text",
        "variables.rate": "invalid_number",
        "variables.big": "invalid_number",
    }
    assert problems('{"key": "k", "name": "x\\u0000", "variables": {"n": NaN}}', "json") == {
        "name": "invalid_text",
        "variables.n": "invalid_number",
    }


def test_unknown_step_type_is_refused() -> None:
    source = with_steps("  - {id: a, type: sleep, next: b}\n  - {id: b, type: end}\n")
    assert problems(source)["steps[0].type"] == "unknown_step_type"


def test_missing_end_is_refused() -> None:
    source = with_steps("  - {id: a, type: timer, wait: {hours: 1}, next: a}\n")
    assert problems(source)["steps"] == "missing_end"


def test_unreachable_step_is_refused() -> None:
    source = with_steps(
        "  - {id: a, type: timer, wait: {hours: 1}, next: z}\n"
        "  - {id: lonely, type: timer, wait: {hours: 1}, next: z}\n"
        "  - {id: z, type: end}\n"
    )
    assert problems(source) == {"steps[1]": "unreachable_step"}


def test_next_to_an_unknown_step_is_refused() -> None:
    source = with_steps("  - {id: a, type: timer, wait: {hours: 1}, next: nowhere}\n  - {id: z, type: end}\n")
    assert problems(source)["steps[0]"] == "unknown_step"


def test_a_loop_without_a_wait_is_refused() -> None:
    source = with_steps(
        "  - id: check\n    type: gateway\n    branches: [{when: 'true', next: mark}]\n    default: z\n"
        "  - {id: mark, type: action, action: publish_event, event: looped, next: check}\n"
        "  - {id: z, type: end}\n"
    )
    assert problems(source)["steps[0]"] == "cycle_without_wait"


def test_a_loop_through_a_user_task_is_allowed() -> None:
    source = with_steps(
        "  - id: call\n    type: user_task\n    task: {type: call, subject: Call}\n"
        "    assignee: owner\n    result_variable: result\n    next: check\n"
        "  - id: check\n    type: gateway\n    branches: [{when: result == 'no_answer', next: call}]\n    default: z\n"
        "  - {id: z, type: end}\n"
    )
    assert parse_definition(source).steps["check"].branches[0].next == "call"


def test_a_step_that_cannot_reach_the_end_is_refused() -> None:
    source = with_steps(
        "  - id: g\n    type: gateway\n    branches: [{when: 'true', next: trap}]\n    default: z\n"
        "  - {id: trap, type: timer, wait: {hours: 1}, next: trap}\n"
        "  - {id: z, type: end}\n"
    )
    assert problems(source)["steps[1]"] == "no_path_to_end"


def test_bad_conditions_are_refused() -> None:
    bad_syntax = PROPOSAL.replace('stage_name == "Proposal"', "stage_name ==")
    assert problems(bad_syntax)["trigger.condition"] == "bad_condition"
    a_call = PROPOSAL.replace('stage_name == "Proposal"', "__import__('os')")
    assert problems(a_call)["trigger.condition"] == "bad_condition"
    unknown = PROPOSAL.replace('stage_name == "Proposal"', "budget > 5")
    assert problems(unknown)["trigger.condition"] == "unknown_variable"


def test_unknown_placeholders_and_trigger_events_are_refused() -> None:
    found = problems(PROPOSAL.replace("{title}", "{titel}").replace("deal.stage_changed", "deal.teleported"))
    assert found["trigger.event"] == "unknown_event"
    assert found["steps[0].task.subject"] == "unknown_variable"


def test_every_problem_is_reported_at_once() -> None:
    source = (
        "key: Bad Key\nname: ''\ntrigger: manual\nsteps:\n"
        "  - {id: a, type: user_task, assignee: {boss: x}, deadline: {weeks: 1}, next: b}\n"
        "  - {id: a, type: end}\n"
        "  - {id: b, type: action, action: update_record, record: deal, fields: {stage: won}, next: c}\n"
        "  - {id: c, type: timer, until: tomorrow, next: d}\n"
        "  - {id: d, type: end}\n"
    )
    found = problems(source)
    assert found["key"] == "invalid_key"
    assert found["name"] == "required"
    assert found["steps[0].task"] == "required"
    assert found["steps[0].assignee"] == "invalid_assignee"
    assert found["steps[0].deadline"] == "invalid_duration"
    assert found["steps[1].id"] == "duplicate_step"
    assert found["steps[2].fields.stage"] == "unknown_field"
    assert found["steps[3].until"] == "invalid_time"


def test_conditions_evaluate_on_variables_and_missing_ones_are_none() -> None:
    assert evaluate("amount >= 100000 and currency == 'RUB'", {"amount": 150000.0, "currency": "RUB"})
    assert not evaluate("amount >= 100000", {"amount": None})
    assert evaluate("result in ('reached', 'postponed')", {}, known=["result"]) is False
    assert evaluate("not flag", {}, known=["flag"])


def test_check_condition_allows_only_plain_expressions() -> None:
    check_condition("a + 1 > 2 or b != 'x'", {"a", "b"})
    for expression in ("a.__class__", "a[0]", "len(a)", "lambda: 1", "a if b else c"):
        with pytest.raises(ConditionError):
            check_condition(expression, {"a", "b", "c"})


def test_render_fills_plain_placeholders_only() -> None:
    assert render("Call {name} about {title}", {"name": "ООО Ромашка", "title": None}) == "Call ООО Ромашка about "
    assert render("{name.__class__}", {"name": "x"}) == "{name.__class__}"


def test_working_days_skip_weekends_and_public_holidays() -> None:
    calendar = WorkCalendar("Europe/Moscow", "RU")
    friday = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    monday = calendar.add(friday, Duration(working_days=1))
    assert monday.astimezone(calendar.zone).isoformat() == "2026-11-30T10:00:00+03:00"
    new_year_eve = datetime(2026, 12, 31, 7, 0, tzinfo=UTC)
    after_holidays = calendar.add(new_year_eve, Duration(working_days=1))
    assert after_holidays.astimezone(calendar.zone).date().isoformat() == "2027-01-11"
    assert calendar.add(friday, Duration(minutes=90)) == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)


def test_the_documented_example_is_a_valid_definition() -> None:
    page = (Path(__file__).parents[4] / "docs" / "processes.md").read_text()
    example = page.split("```yaml", 1)[1].split("```", 1)[0]
    definition = parse_definition(example)
    assert definition.key == "proposal-quote"
    assert [s.type for s in definition.steps.values()] == ["user_task", "gateway", "timer", "action", "end"]


def test_texts_people_read_are_given_in_both_languages_or_one_for_both() -> None:
    source = PROPOSAL.replace("name: Prepare the quote", "name: {ru: Подготовить КП, en: Prepare the quote}").replace(
        'subject: "Prepare the quote for {title}"', 'subject: {ru: "КП для {title}"}'
    )
    d = parse_definition(source)
    assert (d.name.ru, d.name.en) == ("Подготовить КП", "Prepare the quote")
    assert d.name.in_language("ru") == "Подготовить КП"
    task = d.steps["quote"].task
    assert task is not None
    assert (task.subject.ru, task.subject.en) == ("КП для {title}", "КП для {title}")  # one language serves both
    plain = parse_definition(PROPOSAL)
    assert (plain.name.ru, plain.name.en) == ("Prepare the quote", "Prepare the quote")


def test_a_bad_bilingual_text_is_refused_with_its_path_and_code() -> None:
    found = problems(
        PROPOSAL.replace("name: Prepare the quote", "name: {ru: Подготовить КП, de: Angebot}").replace(
            'subject: "Prepare the quote for {title}"', "subject: {ru: [1, 2]}"
        )
    )
    assert found["name.de"] == "unknown_language"
    assert found["steps[0].task.subject.ru"] == "invalid_text"
    with pytest.raises(InvalidArgument) as caught:
        parse_definition(PROPOSAL.replace("name: Prepare the quote", "name: [Prepare]"))
    assert ("name", "invalid_text") in [(p.field, p.code) for p in caught.value.fields]
    assert problems(PROPOSAL.replace("name: Prepare the quote", "name: {ru: '', en: ''}"))["name"] == "required"


def test_placeholders_are_checked_in_each_language() -> None:
    source = PROPOSAL.replace(
        'subject: "Prepare the quote for {title}"', 'subject: {ru: "КП для {title}", en: "Quote for {titel}"}'
    )
    assert problems(source)["steps[0].task.subject"] == "unknown_variable"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_definitions_speak_russian_and_english(path: Path) -> None:
    d = parse_definition(path.read_text(encoding="utf-8"))
    cyrillic = re.compile("[а-яё]", re.IGNORECASE)
    texts = [d.name, d.description, *(s.name for s in d.steps.values() if s.name)]
    texts += [t for s in d.steps.values() if s.task for t in (s.task.subject, s.task.description) if t]
    for text in texts:
        assert cyrillic.search(text.ru), text
        assert not cyrillic.search(text.en), text
