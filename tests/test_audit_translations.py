"""Every change a record's history panel can show reads in both languages.

The web client names an audit entry by `audit.<kind>.<action>` or, failing that, `audit.<action>` (web/js/
components/audit-list.js) and shows the raw action otherwise. The kinds are those a screen shows a history of
(`auditPanel({kind: '...'})` in web/js); the actions are read from the `record_audit(entity_type="...",
action="...")` calls of the services and the gateway, so a new action without words fails here.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "gateway" / "src", *sorted((ROOT / "services").glob("*/src"))]
LANGUAGES = ("ru", "en")


def shown_kinds() -> set[str]:
    scripts = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "web" / "js").rglob("*.js"))
    return set(re.findall(r"auditPanel\(\{\s*kind: '([a-z_]+)'", scripts))


def recorded() -> set[tuple[str, str]]:
    """(entity type, action) of every record_audit call that names both literally."""
    found = set()
    for source in SOURCES:
        for path in source.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                values = {k.arg: k.value for k in node.keywords}
                kind, action = values.get("entity_type"), values.get("action")
                if name == "record_audit" and isinstance(kind, ast.Constant) and isinstance(action, ast.Constant):
                    found.add((kind.value, action.value))
    return found


def test_the_history_panels_show_kinds_whose_actions_are_recorded() -> None:
    kinds = shown_kinds()
    assert {"party", "deal", "task", "ticket"} <= kinds
    assert {kind for kind, _ in recorded()} & kinds == kinds


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_recorded_action_of_a_shown_kind_has_words(language: str) -> None:
    words = json.loads((ROOT / "web" / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    missing = sorted(
        f"audit.{kind}.{action}"
        for kind, action in recorded()
        if kind in shown_kinds() and f"audit.{kind}.{action}" not in words and f"audit.{action}" not in words
    )
    assert not missing, f"web/i18n/{language}.json lacks {missing}"
