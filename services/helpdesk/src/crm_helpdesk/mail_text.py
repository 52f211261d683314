"""An e-mail's text as a ticket message shows it: HTML read as plain text, the quoted previous message cut off.

HTML is never rendered or kept: `html_to_text` keeps the words, breaks lines at
block elements (paragraphs stay paragraphs), drops scripts, styles and the head,
and marks quoted blocks (<blockquote>, where Gmail and Thunderbird put the quote)
with "> " so that `cut_quoted` removes them like a plain-text quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser

from crm_helpdesk.inputs import MAX_BODY

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "section", "article", "header", "footer", "address", "dl", "dt", "dd",
}  # fmt: skip
_HIDDEN = {"script", "style", "head", "title", "template", "noscript", "svg"}
# "On Mon, 7 Dec 2026 at 10:00, Ivan <ivan@example.ru> wrote:", "7 дек. 2026 г., в 10:00, Иван написал(а):",
# "Иван Петров пишет:", Outlook's separator lines.
_ATTRIBUTION = re.compile(
    r"^(?:on\b.{0,300}\bwrote:|.{0,300}\b(?:написал|написала|написал\(а\)|пишет|wrote)\s*:)\s*$", re.IGNORECASE
)
_WRAPPED_START = re.compile(r"^on\b(?!.*:\s*$)", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|forwarded message)\s*-{2,}\s*$",
    re.IGNORECASE,
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.quote = 0

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        self.current = []
        prefix = "> " * self.quote
        self.lines.append(f"{prefix}{line}" if line else "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quote += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote" and self.quote:
                self.quote -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML body as plain text, one line per block, at most one blank line in a row."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:  # html.parser's last resort on markup it cannot go on with: keep what it read
        pass
    parser._break()
    return _squeeze("\n".join(parser.lines))


def _squeeze(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def cut_quoted(text: str) -> str:
    """The text without the quoted message it answers: from the attribution line ("On ... wrote:",
    "... написал(а):") or an "Original message" separator that quoted lines follow, to the end; quoted lines
    ("> ...") at the very end are dropped too. Text without a quote comes back as it was (trimmed)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            return _squeeze("\n".join(lines[:index]))
        if not _quoted_follows(lines, index + 1):
            continue
        previous = lines[index - 1].strip() if index else ""
        if _WRAPPED_START.match(previous) and _ATTRIBUTION.match(f"{previous} {line.strip()}"):
            return _squeeze("\n".join(lines[: index - 1]))  # "On ..., Name\n<address> wrote:"
        if _ATTRIBUTION.match(line.strip()):
            return _squeeze("\n".join(lines[:index]))
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return _squeeze("\n".join(lines))


def _quoted_follows(lines: list[str], start: int) -> bool:
    for line in lines[start:]:
        if line.strip():
            return line.lstrip().startswith(">")
    return False


def with_notes(body: str, skipped: Sequence[str]) -> str:
    """A message's text with the files not kept named under it (in both languages: staff and client read it)."""
    if not skipped:
        return body
    lines = "\n".join(f"- {name}" for name in skipped)
    return f"{body}\n\n[Файлы не сохранены / Files not kept:\n{lines}]"[:MAX_BODY]
