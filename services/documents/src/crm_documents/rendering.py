"""Templates to PDF: Jinja2 (sandboxed, strict) fills the HTML, WeasyPrint lays it out with its CSS.

A template is HTML with Jinja2 expressions over the document's data (variables.py names them) and a
stylesheet. It is checked when an admin saves it: its syntax, and a render with the sample data under
StrictUndefined, so a misspelt or unknown variable is refused then (`template_variable_unknown`, naming
it), not when a manager needs an invoice. The sandbox keeps templates from reaching Python internals.

WeasyPrint may load nothing from outside: the url fetcher refuses every URL but `data:` ones, so a
template cannot read the server's files or reach the network. Fonts are the system's (DejaVu renders
Cyrillic; make pdf-libs installs it) and are embedded in the PDF. Rendering is CPU work and runs in a
thread, a few at a time per process.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from crm_core.errors import invalid
from crm_documents import wording

# An HTML or CSS text of a template (each), and the HTML a render may produce.
MAX_TEMPLATE_CHARS = 512 * 1024
MAX_HTML_CHARS = 8 * 1024 * 1024
# Loop iterations (`range`) and repeated characters (`"x" * n`) one render may ask for.
MAX_STEPS = 200_000
# PDF renders at once per process: each holds a core.
RENDERS_AT_ONCE = 2
_renders = asyncio.Semaphore(RENDERS_AT_ONCE)


class RenderError(Exception):
    """WeasyPrint could not lay the document out."""


class _Budget(Exception):
    """A template asked for more work than a document needs (loops, repetition, output)."""


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with a work budget: `range` and `*`/`**` are counted and capped, so a template (an admin's,
    or any user's preview) cannot keep a core busy. A document loops over its lines, not over millions."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.spent = 0
        self.globals["range"] = self._range

    def _spend(self, amount: int) -> None:
        self.spent += amount
        if self.spent > MAX_STEPS:
            raise _Budget("the template loops or repeats more than a document needs")

    def _range(self, *args: int) -> Any:
        values = range(*args)
        self._spend(len(values))
        return values

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise _Budget("the template raises to a power larger than a document needs")
        if operator == "*" and (isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple)):
            count = right if isinstance(right, int) else left if isinstance(left, int) else 0
            size = len(left) if isinstance(left, str | list | tuple) else len(right)
            self._spend(max(0, int(count)) * size)
        return super().call_binop(context, operator, left, right)


def _environment(language: str, currency: str) -> _BoundedEnvironment:
    """A sandbox with the filters templates format with, in the document's language and currency."""

    def money(value: Any, cur: str | None = None) -> str:
        return wording.format_money(_decimal(value), cur or currency, language)

    def number(value: Any, digits: int = 2) -> str:
        return wording.format_number(_decimal(value), language, digits)

    def quantity(value: Any) -> str:
        return wording.format_number(_decimal(value), language, None)

    def day(value: Any, style: str = "long") -> str:
        return wording.format_date(_date(value), language, style)  # type: ignore[arg-type]

    def in_words(value: Any, cur: str | None = None) -> str:
        return wording.amount_in_words(_decimal(value), cur or currency, language)

    env = _BoundedEnvironment(undefined=StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update({"money": money, "number": number, "quantity": quantity, "date": day, "in_words": in_words})
    return env


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _where(exc: TemplateError) -> str:
    line = getattr(exc, "lineno", None)
    return f" (line {line})" if line else ""


def fill(html: str, data: Mapping[str, Any], *, language: str, currency: str) -> str:
    """The template's HTML with the data filled in; InvalidArgument naming what is wrong with the template."""
    env = _environment(language, currency)
    try:
        template = env.from_string(html)
        out = _bounded_output(template.generate(**data))
    except TemplateSyntaxError as exc:
        raise invalid(
            "html", "template_syntax_invalid", f"the template cannot be read: {exc.message}{_where(exc)}"
        ) from exc
    except UndefinedError as exc:
        name = _undefined_name(str(exc))
        raise invalid("html", "template_variable_unknown", f"the template uses an unknown variable: {name}") from exc
    except _Budget as exc:
        raise invalid("html", "template_too_costly", str(exc)) from exc
    except SecurityError as exc:
        raise invalid("html", "template_unsafe", f"the template does what templates may not: {exc}") from exc
    except (TemplateError, ArithmeticError, TypeError, ValueError) as exc:
        raise invalid("html", "template_render_failed", f"the template cannot be filled: {exc}"[:300]) from exc
    return out


def _bounded_output(pieces: Any) -> str:
    """The rendered text, stopped as soon as it passes MAX_HTML_CHARS."""
    out: list[str] = []
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > MAX_HTML_CHARS:
            raise invalid("html", "template_output_too_large", "the filled template is larger than 8 MB")
        out.append(piece)
    return "".join(out)


def _undefined_name(message: str) -> str:
    """`'dict object' has no attribute 'foo'` or `'foo' is undefined` -> foo."""
    found = re.findall(r"'([^']+)'", message)
    return found[-1] if found else message


def check_template(html: str, css: str, sample: Mapping[str, Any], *, language: str, currency: str) -> str:
    """Refuse a template that is too long, unreadable, or uses a variable the sample data does not have; the
    HTML filled with the sample when it passes."""
    for name, text in (("html", html), ("css", css)):
        if len(text) > MAX_TEMPLATE_CHARS:
            raise invalid(name, "template_too_large", f"the template's {name} is longer than 512 KB")
    if not html.strip():
        raise invalid("html", "template_html_required", "the template's HTML is empty")
    return fill(html, sample, language=language, currency=currency)


def _data_urls_only() -> Any:
    """WeasyPrint's fetcher allowing `data:` URLs only: a template reaches no file and no host."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def pdf_of(html: str, css: str) -> bytes:
    """Lay the HTML out with the CSS into a PDF (blocking; see render)."""
    from weasyprint import CSS, HTML  # imported on first use: it loads pango

    try:
        fetcher = _data_urls_only()
        document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
        stylesheets = [CSS(string=css, url_fetcher=fetcher, base_url="about:blank")] if css.strip() else []
        return document.write_pdf(stylesheets=stylesheets)  # type: ignore[no-any-return]
    except Exception as exc:  # WeasyPrint raises many kinds; the template is at fault, never the caller's 500
        raise RenderError(str(exc)[:300]) from exc


async def render(html: str, css: str) -> bytes:
    """The PDF of filled HTML, in a thread, at most RENDERS_AT_ONCE at a time in this process."""
    async with _renders:
        try:
            return await asyncio.to_thread(pdf_of, html, css)
        except RenderError as exc:
            raise invalid("html", "template_render_failed", f"the document cannot be laid out: {exc}") from exc
