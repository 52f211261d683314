"""Conditions of process triggers and gateways: small Python-like expressions on the variables.

`amount >= 100000 and stage_name == "Proposal"`, `kind in ("company",)`,
`not qualified`. Only comparisons, boolean logic, arithmetic, literals and
variable names are allowed: no calls, attributes or subscripts, so a
definition cannot reach anything but its variables. Checked once on upload
(`check_condition`), evaluated by simpleeval at run time.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Collection, Mapping
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

_ALLOWED = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Mod,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Tuple,
    ast.List,
)
MAX_LENGTH = 1000


class ConditionError(ValueError):
    """A condition that cannot be used; `code` says why (for the field error)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_condition(expression: str, known: Collection[str]) -> None:
    """Raise ConditionError unless `expression` parses, uses allowed syntax only and names known variables."""
    if not expression.strip():
        raise ConditionError("empty_condition", "a condition must not be empty")
    if len(expression) > MAX_LENGTH:
        raise ConditionError("condition_too_long", f"a condition is at most {MAX_LENGTH} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError("bad_condition", f"condition '{expression}' is not an expression: {exc.msg}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ConditionError(
                "bad_condition",
                f"condition '{expression}' uses {type(node).__name__}: only comparisons, and/or/not, "
                "arithmetic, literals and variable names are allowed",
            )
        if isinstance(node, ast.Name) and node.id not in known and node.id not in ("true", "false", "null"):
            raise ConditionError(
                "unknown_variable",
                f"condition '{expression}' names '{node.id}', which is not a variable of this process "
                f"(known: {', '.join(sorted(known))})",
            )


@functools.lru_cache(maxsize=1024)
def _parsed(expression: str) -> ast.AST:
    """Definitions never change, so each condition is parsed once per process."""
    return EvalWithCompoundTypes.parse(expression.strip())


def evaluate(expression: str, variables: Mapping[str, Any], known: Collection[str] = ()) -> bool:
    """The truth of a checked condition; variables that are not set yet are None.

    A condition that fails at run time (e.g. comparing None with a number) is
    false, so a gateway takes its default branch instead of stopping the process.
    """
    names = {name: None for name in known} | dict(variables) | {"true": True, "false": False, "null": None}
    try:
        return bool(EvalWithCompoundTypes(names=names, functions={}).eval(expression, _parsed(expression)))
    except (InvalidExpression, SyntaxError, TypeError, ArithmeticError, ValueError):
        return False
