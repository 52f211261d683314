"""A 1CClientBankExchange file's bytes as decoded text lines: the limits, the first line and the encoding.

The first half of reading a statement (crm_documents.bank_statement is the second): everything that
concerns bytes is settled here, so the reader of sections works on trusted text.

The encoding: Windows-1251 by default, `Кодировка=DOS` is cp866. A UTF-8 BOM means UTF-8. Otherwise the
encoding is the one the header's `Кодировка=` line is written in: the key's own bytes differ in each
encoding, so finding them tells how the file is written even when the value names another one (an
exporter that writes UTF-8 and says Windows); reading it as the value says would store every name as
gibberish. The value must still be one the format knows. Without the key: UTF-8 when the bytes are
UTF-8 with letters past ASCII (Windows-1251 Russian text is practically never valid UTF-8), else
Windows-1251. Each line must then read in that encoding, and in a single-byte file no line may be
UTF-8 (a line pasted from elsewhere would become "РћРћРћ").

Every refusal is a `StatementError` (an InvalidArgument: the gateway answers 422) whose `code` is one of
the constants below and whose English message ends with the line it is about, "(line 12)", so the web
client's `apierror.<code>.limit` text can name it.
"""

from __future__ import annotations

import codecs
import re

from crm_core.errors import InvalidArgument

MAX_BYTES = 32 * 1024 * 1024
MAX_LINES = 1_000_000
# The format's longest value is a purpose of 210 characters; banks' own keys stay far below this.
MAX_LINE_LENGTH = 4000

STATEMENT_TOO_LARGE = "statement_too_large"
STATEMENT_TOO_MANY_LINES = "statement_too_many_lines"
STATEMENT_FORMAT_INVALID = "statement_format_invalid"
STATEMENT_ENCODING_INVALID = "statement_encoding_invalid"
STATEMENT_AMOUNT_INVALID = "statement_amount_invalid"
STATEMENT_DATE_INVALID = "statement_date_invalid"

MAGIC = "1CClientBankExchange"
# The header's `Кодировка` values: Windows (cp1251) and DOS (cp866) in the format, UTF-8 from newer exporters.
_ENCODING_VALUES = frozenset({"windows", "dos", "utf-8", "utf8"})
_ENCODING_NAMES = {"cp1251": "Windows-1251", "cp866": "DOS (cp866)", "utf-8": "UTF-8"}
_ENCODING_KEY = "Кодировка"
_HEADER_SCAN = 64 * 1024
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# Control characters but the tab (line ends are split off before): binary data, not text.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


class StatementError(InvalidArgument):
    """A file that cannot be read as a statement; `code` is one of the constants above, `line` the line (1-based) or None."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(code, message if line is None else f"{message} (line {line})")
        self.line = line


def read_lines(data: bytes, *, max_bytes: int = MAX_BYTES, max_lines: int = MAX_LINES) -> tuple[str, list[str]]:
    """The codec ("cp1251", "cp866" or "utf-8") and the decoded lines of a statement file, or StatementError."""
    if len(data) > max_bytes:
        raise StatementError(STATEMENT_TOO_LARGE, f"the statement is larger than {_megabytes(max_bytes)} MB")
    data = data.removeprefix(codecs.BOM_UTF8) if (bom := data.startswith(codecs.BOM_UTF8)) else data
    _check_magic(data)
    encoding = "utf-8" if bom else _detect_encoding(data)
    return encoding, _decode_lines(data, encoding, max_lines)


def _megabytes(size: int) -> int:
    return max(size // (1024 * 1024), 1)


def _check_magic(data: bytes) -> None:
    first = _BYTE_LINE_BREAK.split(data[: len(MAGIC) + 64], maxsplit=1)[0]
    if first.strip() == MAGIC.encode():
        return
    if not data.strip():
        raise StatementError(STATEMENT_FORMAT_INVALID, "the file is empty", 1)
    if b"\x00" in data[:_HEADER_SCAN] or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise StatementError(STATEMENT_FORMAT_INVALID, "the file is binary, not a 1C bank statement", 1)
    raise StatementError(
        STATEMENT_FORMAT_INVALID, f"the file is not a 1C bank statement: its first line is not {MAGIC}", 1
    )


def _detect_encoding(data: bytes) -> str:
    """The codec of the file: the one its `Кодировка` line is written in.

    The key's own bytes differ in each encoding, so finding them tells how the file is written even
    when the value names another encoding (an exporter that writes UTF-8 and says Windows): reading it
    as the value says would store every name as gibberish. The value must still be one the format
    knows. Without the key: UTF-8 when the bytes are UTF-8 with letters past ASCII (Windows-1251
    Russian text is practically never valid UTF-8), else Windows-1251, the format's default.
    """
    head = data[:_HEADER_SCAN]
    for codec in ("cp1251", "cp866", "utf-8"):
        key = f"{_ENCODING_KEY}=".encode(codec)
        position = _line_start(head, key)
        if position < 0:
            continue
        line = len(_BYTE_LINE_BREAK.split(head[:position]))
        end = _BYTE_LINE_BREAK.search(head, position)
        value = head[position + len(key) : end.start() if end else len(head)].decode(codec, "replace").strip()
        if value.lower() not in _ENCODING_VALUES:
            raise StatementError(
                STATEMENT_ENCODING_INVALID, f"{_ENCODING_KEY}={value!r} is not an encoding of the format", line
            )
        return codec
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "cp1251"
        return "utf-8"
    return "cp1251"


def _line_start(data: bytes, key: bytes) -> int:
    """Where `key` starts a line of `data`, or -1."""
    for match in re.finditer(re.escape(key), data):
        if match.start() == 0 or data[match.start() - 1] in b"\r\n":
            return match.start()
    return -1


def _decode_lines(data: bytes, encoding: str, max_lines: int) -> list[str]:
    raw_lines = _split_bytes(data)
    if len(raw_lines) > max_lines:
        raise StatementError(STATEMENT_TOO_MANY_LINES, f"the statement has more than {max_lines} lines")
    lines: list[str] = []
    for number, raw in enumerate(raw_lines, 1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError:
            raise StatementError(
                STATEMENT_ENCODING_INVALID, f"the text is not valid {_ENCODING_NAMES[encoding]}", number
            ) from None
        if encoding != "utf-8" and not raw.isascii() and _is_utf8(raw):
            # UTF-8 bytes read as Windows-1251 or DOS become "РћРћРћ": refused, not stored as names.
            raise StatementError(
                STATEMENT_ENCODING_INVALID,
                f"the file is written in {_ENCODING_NAMES[encoding]} but this line is UTF-8",
                number,
            )
        if len(line) > MAX_LINE_LENGTH:
            raise StatementError(
                STATEMENT_FORMAT_INVALID, f"a line is longer than {MAX_LINE_LENGTH} characters", number
            )
        if _CONTROL.search(line):
            raise StatementError(STATEMENT_FORMAT_INVALID, "the file holds binary data", number)
        lines.append(line)
    return lines


def _split_bytes(data: bytes) -> list[bytes]:
    """Lines split at CRLF, LF or CR (all three single-byte in these encodings); a final line end adds no line."""
    lines = _BYTE_LINE_BREAK.split(data)
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
