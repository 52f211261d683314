"""Merge-field templates of e-mails (subject, text, HTML): `{{ first_name }}` and Jinja2's statements.

Templates are written by users, so they run in Jinja2's immutable sandbox (no
attribute of Python's internals, no changing what they are given), HTML
output escapes every value (a contact named `<script>` stays text), and
`check_template` runs when a template is saved: a syntax error or a merge
field outside the allowed ones comes back as a field problem naming it,
instead of a mailing that fails (or silently prints nothing) at send time.
At send time a field that has no value for a recipient renders empty.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crm_core.errors import FieldProblem

# Values a check renders with, so what the sandbox refuses only when rendering ({{ first_name.__class__ }})
# is found at save time too.
_SAMPLE = "Пример"


def _environment(*, html: bool, strict: bool = False) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        autoescape=html,
        undefined=StrictUndefined if strict else ChainableUndefined,
        keep_trailing_newline=True,
    )


_TEXT = _environment(html=False)
_HTML = _environment(html=True)
_STRICT = {False: _environment(html=False, strict=True), True: _environment(html=True, strict=True)}


class TemplateRenderError(ValueError):
    """A template failed while rendering for one recipient (a template that passed check_template rarely does)."""


def check_template(
    source: str, allowed_fields: Collection[str], *, field: str = "template", html: bool = False
) -> list[FieldProblem]:
    """Problems of `source` as the value of `field`: a syntax error (code `template_syntax`), each merge field
    not in `allowed_fields` (code `unknown_field`, the message names it), an attribute the sandbox refuses
    (code `template_unsafe`). Empty when the template is good."""
    environment = _STRICT[html]
    try:
        tree = environment.parse(source)
    except TemplateSyntaxError as exc:
        return [FieldProblem(field, "template_syntax", f"line {exc.lineno}: {exc.message}")]
    allowed = set(allowed_fields)
    try:
        # Compiles the tree: an unknown filter or test is an error here.
        unknown = sorted(meta.find_undeclared_variables(tree) - allowed)
    except TemplateSyntaxError as exc:
        return [FieldProblem(field, "template_syntax", f"line {exc.lineno}: {exc.message}")]
    known = ", ".join(sorted(allowed)) or "none"
    problems = [
        FieldProblem(field, "unknown_field", f"unknown merge field '{name}' (known fields: {known})")
        for name in unknown
    ]
    if problems:
        return problems
    try:
        environment.from_string(source).render({name: _SAMPLE for name in allowed})
    except SecurityError as exc:
        return [FieldProblem(field, "template_unsafe", f"the template reaches outside its fields: {exc}")]
    except (TemplateError, TypeError, ValueError, ArithmeticError):
        # Sample strings cannot stand for every real value ({{ company.name }}, {{ amount + 1 }}): only what
        # the sandbox refuses whatever the values is an error at save time; the rest shows per recipient.
        return []
    return []


def render_template(source: str, values: Mapping[str, Any], *, html: bool = False) -> str:
    """`source` rendered with `values` (HTML-escaped when `html`); a field without a value renders empty."""
    return _render((_HTML if html else _TEXT).from_string(source), values)


def _render(template: Template, values: Mapping[str, Any]) -> str:
    try:
        return template.render(values)
    except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateRenderError(str(exc)) from exc


@dataclass(frozen=True)
class RenderedMail:
    """What one recipient gets: a one-line subject, the plain text and the HTML (empty when there is none)."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class MailTemplate:
    """The subject, plain-text and HTML templates of one e-mail; compiled once, rendered per recipient."""

    subject: str
    text: str
    html: str = ""

    def check(self, allowed_fields: Collection[str]) -> list[FieldProblem]:
        """Problems of the three templates, as fields `subject`, `text` and `html` (see check_template)."""
        problems = check_template(self.subject, allowed_fields, field="subject")
        problems += check_template(self.text, allowed_fields, field="text")
        if self.html:
            problems += check_template(self.html, allowed_fields, field="html", html=True)
        if not self.subject.strip():
            problems.append(FieldProblem("subject", "required", "a mail needs a subject"))
        return problems

    @cached_property
    def _templates(self) -> tuple[Template, Template, Template | None]:
        html = _HTML.from_string(self.html) if self.html else None
        return _TEXT.from_string(self.subject), _TEXT.from_string(self.text), html

    def render(self, values: Mapping[str, Any]) -> RenderedMail:
        """The mail for one recipient's `values`; TemplateRenderError when a template fails."""
        subject, text, html = self._templates
        return RenderedMail(
            subject=" ".join(_render(subject, values).split()),
            text=_render(text, values),
            html=_render(html, values) if html is not None else "",
        )
