"""Every error code the platform can answer with has a translation in both of the web client's dictionaries.

The client shows its own words for a problem's `code` and for each field error's `code` (key
`apierror.<code>` in web/i18n/<language>.json, web/js/messages.js); the server's English text is only a
fallback. The codes are read from the source, so a new code without a translation fails here:

* the arguments that are codes in calls of crm_core.errors (`InvalidArgument("code", ...)`, `not_found(
  "entity", ...)`, `invalid(field, "code", ...)`, `Validator.add(field, "code", ...)`, `FieldProblem(...)`)
  and of the gateway's problems (`Problem(status, "code", ...)`, `problem_response(...)`);
* `{"code": "..."}` literals (errors[] the gateway builds) and `code = "..."` assignments;
* module constants such as `INVALID_TEXT = "invalid_text"` passed as a code;
* the codes docs/api.md lists (its table, the shared field codes, the gRPC-only ones);
* the request-shape checks' codes (pydantic types) the gateway passes on in errors[];
* codes the web client itself raises (`code: '...'` in web/js).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "libs" / "crm_core" / "src", ROOT / "gateway" / "src", *sorted((ROOT / "services").glob("*/src"))]
API_DOC = ROOT / "docs" / "api.md"
WEB = ROOT / "web"

# Calls whose first argument is a code, and calls whose second one is (the first is a field or a status).
CODE_FIRST = {
    "CrmError",
    "InvalidArgument",
    "NotFound",
    "AlreadyExists",
    "FailedPrecondition",
    "VersionConflict",
    "PermissionDenied",
    "TooManyRequests",
    "Unavailable",
    "Unauthenticated",
}
CODE_SECOND = {"add", "invalid", "FieldProblem", "Problem", "problem_response"}
# crm_core.common.code_lists answers `<entity>_exists` / `<entity>_not_found` for each code list.
CODE_LISTS = [
    "loss_reason",
    "relationship_type",
    "task_type",
    "task_result",
    "campaign_type",
    "disqualification_reason",
    "unit",
]
# The request-shape checks (pydantic) of the gateway's request models: errors[].code is the check's type.
REQUEST_SHAPE = [
    "missing",
    "extra_forbidden",
    "string_type",
    "string_too_long",
    "string_too_short",
    "string_pattern_mismatch",
    "int_type",
    "int_parsing",
    "int_from_float",
    "float_type",
    "float_parsing",
    "bool_type",
    "bool_parsing",
    "decimal_type",
    "decimal_parsing",
    "list_type",
    "dict_type",
    "model_type",
    "literal_error",
    "enum",
    "too_short",
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "uuid_type",
    "uuid_parsing",
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "datetime_type",
    "datetime_parsing",
    "datetime_from_date_parsing",
    "timezone_aware",
    "value_error",
    "json_invalid",
]
# Words in backticks in docs/api.md's errors section that are not codes (field and JSON member names).
NOT_CODES = {"website", "code", "message", "detail", "errors", "error", "outcome", "field_violations"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _python_files() -> Iterator[Path]:
    for source in SOURCES:
        for path in source.rglob("*.py"):
            if "migrations" not in path.parts and "tests" not in path.parts and "_pb2" not in path.name:
                yield path


def _literal(node: ast.AST | None, constants: dict[str, str]) -> list[str]:
    """The code(s) an expression certainly is: a string, a known constant, either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.IfExp):
        return _literal(node.body, constants) + _literal(node.orelse, constants)
    return []


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return node.func.id if isinstance(node.func, ast.Name) else None


def source_codes() -> set[str]:
    """The codes raised in the services, crm_core and the gateway."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _python_files()}
    constants = {
        target.id: node.value.value
        for tree in trees.values()
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    }
    # Subclasses of the errors (marketing's ImportFileError) take the code first as well.
    code_first = set(CODE_FIRST)
    classes = [node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    while grown := {
        c.name
        for c in classes
        if c.name not in code_first and any(isinstance(b, ast.Name) and b.id in code_first for b in c.bases)
    }:
        code_first |= grown
    codes: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _call_name(node)
                keywords = {k.arg: k.value for k in node.keywords}
                if name == "not_found" and node.args:
                    codes.update(f"{entity}_not_found" for entity in _literal(node.args[0], {}))
                elif name in code_first or name in CODE_SECOND:
                    index = 0 if name in code_first else 1
                    argument = node.args[index] if len(node.args) > index else keywords.get("code")
                    codes.update(_literal(argument, constants))
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code":
                        codes.update(_literal(value, constants))
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                codes.update(_literal(node.value, constants))
    for entity in CODE_LISTS:
        codes.update({f"{entity}_exists", f"{entity}_not_found"})
    return {code for code in codes if SNAKE.match(code)}


def documented_codes() -> set[str]:
    """The codes docs/api.md names in its errors section (the table and the paragraphs after it)."""
    text = API_DOC.read_text(encoding="utf-8")
    section = text[text.index("## Errors") : text.index("## OpenAPI")]
    table_and_lists = section[section.index("| status | codes |") :]
    return {code for code in re.findall(r"`([a-z_]+)`", table_and_lists) if code not in NOT_CODES}


def client_codes() -> set[str]:
    """Codes the web client raises itself (a number it cannot read, say)."""
    found: set[str] = set()
    for path in (WEB / "js").rglob("*.js"):
        found.update(re.findall(r"\bcode: '([a-z_]+)'", path.read_text(encoding="utf-8")))
    return found


def every_code() -> set[str]:
    return source_codes() | documented_codes() | set(REQUEST_SHAPE) | client_codes()


def test_the_scan_finds_the_codes_we_know_of() -> None:
    """A guard on the scanner itself: codes of each kind of call must be found."""
    codes = source_codes()
    for known in [
        "validation_failed",  # Validator.raise_if_any
        "required",  # Validator.add(field, "required", ...)
        "invalid_inn",  # requisites
        "party_not_found",  # not_found("party", ...)
        "won_requires_amount",  # FailedPrecondition
        "unknown_team",  # {"code": ...} in the gateway
        "invalid_text",  # a constant
        "lead_converted",  # code = ... if ... else ...
        "malformed_json",  # the gateway's problem_response
    ]:
        assert known in codes, known
    assert len(codes) > 150


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_error_code_has_a_translation(language: str) -> None:
    dictionary = json.loads((WEB / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    missing = sorted(code for code in every_code() if not dictionary.get(f"apierror.{code}"))
    assert not missing, f"web/i18n/{language}.json lacks apierror.<code> for: {', '.join(missing)}"


def test_translations_are_of_codes_that_exist() -> None:
    """No stale entries: a translated code that nothing can answer with any more is a typo or a leftover."""
    codes = every_code()
    for language in ["en", "ru"]:
        dictionary = json.loads((WEB / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
        translated = {
            k.removeprefix("apierror.").removesuffix(".limit"): k for k in dictionary if k.startswith("apierror.")
        }
        stale = sorted(key for code, key in translated.items() if code not in codes)
        assert not stale, f"{language}.json translates codes nothing answers with: {stale}"
