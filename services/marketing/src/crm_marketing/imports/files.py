"""An uploaded CSV or XLSX file as a header and a stream of text rows.

People upload what their spreadsheet or their old CRM saved: Excel's CSV in cp1251 with ";",
UTF-8 with or without a BOM with ",", or an XLSX. The format, encoding and delimiter are detected
so the user is never asked; what cannot be read safely is refused with one `ImportFileError`
whose `code` is stable (the gateway answers 4xx) before anything is stored.

Rows are streamed (openpyxl's read-only mode, csv over a text stream), so a large file costs its
bytes and one row at a time; `Table.rows()` can be called again, e.g. after `count_rows()`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from crm_core.errors import InvalidArgument

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# An XLSX is a zip: its parts inflated may not exceed this (a small "zip bomb" is refused unread).
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024

EMPTY_FILE = "empty_file"
FILE_TOO_LARGE = "file_too_large"
TOO_MANY_ROWS = "too_many_rows"
TOO_MANY_COLUMNS = "too_many_columns"
UNKNOWN_ENCODING = "unknown_encoding"
MALFORMED_FILE = "malformed_file"
ENCRYPTED_FILE = "encrypted_file"
UNSUPPORTED_FORMAT = "unsupported_format"

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted OOXML file keeps in its CFB container (ECMA-376 part 2 / MS-OFFCRYPTO).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_DELIMITERS = ";,\t"
_SNIFF_LINES = 50
_SPACES = re.compile(r"\s+")
_CYRILLIC_LOWER_THEN_UPPER = re.compile(r"[а-яё][А-ЯЁ]")
_CYRILLIC = re.compile(r"[А-яЁё]")
_FREQUENT = frozenset("оеаинтсрОЕАИНТСР")


class ImportFileError(InvalidArgument):
    """A file that cannot be imported; `code` is one of the constants above, `message` says why in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


@dataclass(frozen=True)
class Row:
    """A data row: `number` is its row in the file (the header is 1; a CSV record with quoted line breaks is one row), `cells` one text per header."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A readable file: detected format, encoding and delimiter (CSV), and its normalized headers."""

    format: Literal["csv", "xlsx"]
    headers: tuple[str, ...]
    encoding: str | None
    delimiter: str | None
    _data: bytes = field(repr=False)
    max_rows: int = MAX_ROWS
    header_row: int = 1

    def rows(self) -> Iterator[Row]:
        """The data rows, streamed; blank rows are skipped; too_many_rows past `max_rows`."""
        count = 0
        width = len(self.headers)
        for number, cells in _raw_rows(self):
            if number <= self.header_row or not any(cells):
                continue
            count += 1
            if count > self.max_rows:
                raise ImportFileError(TOO_MANY_ROWS, f"the file has more than {self.max_rows} rows")
            yield Row(number, tuple((list(cells) + [""] * width)[:width]))

    def count_rows(self) -> int:
        """How many rows `rows()` yields, for a progress total: one streamed pass."""
        return sum(1 for _ in self.rows())


def read_table(
    source: bytes | str | os.PathLike[str], filename: str = "", *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """The table an uploaded file holds, or ImportFileError naming why it cannot be imported."""
    data = _load(source, max_bytes)
    if not data.strip():
        raise ImportFileError(EMPTY_FILE, "the file is empty")
    if data.startswith(_CFB_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise ImportFileError(ENCRYPTED_FILE, "the file is password-protected: save it without a password")
        raise ImportFileError(UNSUPPORTED_FORMAT, "old Excel (.xls) files are not supported: save as .xlsx or CSV")
    if data.startswith(_ZIP_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        table = Table("xlsx", (), None, None, data, max_rows)
    else:
        encoding = detect_encoding(data)
        delimiter = detect_delimiter(data.decode(encoding)[:65536])
        table = Table("csv", (), encoding, delimiter, data, max_rows)
    # The header is the first row with a value: exports sometimes start with blank lines.
    header = next((r for r in _raw_rows(table) if any(r[1])), None)
    if header is None:
        raise ImportFileError(EMPTY_FILE, "the file has no header row")
    number, cells = header
    # An XLSX row runs to the sheet's widest (formatting alone widens it): columns past the last
    # named one are no columns, and their cells are not read.
    while not cells[-1]:
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(TOO_MANY_COLUMNS, f"the file has more than {MAX_COLUMNS} columns")
    headers = normalize_headers(cells)
    return Table(table.format, headers, table.encoding, table.delimiter, data, max_rows, number)


def _load(source: bytes | str | os.PathLike[str], max_bytes: int) -> bytes:
    too_large = ImportFileError(FILE_TOO_LARGE, f"the file is larger than {max_bytes // (1024 * 1024) or 1} MB")
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise too_large
        return source
    with open(source, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV: "utf-8-sig" or "cp1251", else unknown_encoding.

    Valid UTF-8 is UTF-8: Russian cp1251 text is almost never valid UTF-8 (its letters are bytes
    0xC0-0xFF, which UTF-8 takes only as lead bytes followed by 0x80-0xBF). cp1251 decodes nearly
    any bytes, so it is only believed when the text looks like text: no NUL and hardly any control
    characters (UTF-16 without a BOM, binaries) and Cyrillic letters that read as Russian, not KOI8-R's.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(UNKNOWN_ENCODING, "UTF-16 text is not supported: save the file as UTF-8 or Windows-1251")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        text = data.decode("utf-8-sig")
        if _looks_like_text(text):
            return "utf-8-sig"
        raise _unknown_encoding()
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise _unknown_encoding() from None
    if not _looks_like_text(text) or _looks_like_koi8(text):
        raise _unknown_encoding()
    return "cp1251"


def _unknown_encoding() -> ImportFileError:
    return ImportFileError(UNKNOWN_ENCODING, "the file's encoding is neither UTF-8 nor Windows-1251 (cp1251)")


def _looks_like_text(text: str) -> bool:
    """No NUL (UTF-16 without a BOM, binaries) and hardly any other control character: a stray one
    in a cell is the row checks' to clean, a file full of them is no text.
    """
    sample = text[:65536]
    if "\x00" in sample:
        return False
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n")
    return controls * 100 <= len(sample)


def _looks_like_koi8(text: str) -> bool:
    """Another Cyrillic encoding read as cp1251: case flipped inside words, or Russian's eight most
    frequent letters (о е а и н т с р: over half of any Russian text) rare among the letters.
    """
    sample = text[:65536]
    letters = _CYRILLIC.findall(sample)
    if len(letters) < 20:
        return False
    frequent = sum(1 for c in letters if c in _FREQUENT)
    swapped = len(_CYRILLIC_LOWER_THEN_UPPER.findall(sample))
    return swapped * 10 > len(letters) or frequent * 100 < len(letters) * 35


def detect_delimiter(sample: str) -> str:
    """ ";", "," or tab: csv.Sniffer restricted to them when its guess splits the first lines evenly,
    else the one that does with the most columns (a single column file gets ",").
    """
    lines = sample.splitlines()[:_SNIFF_LINES]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut its last line
    head = "\n".join(lines)
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    widths = {d: _even_width(head, d) for d in _DELIMITERS}
    if sniffed in widths and widths[sniffed] > 1:
        return sniffed
    best = max(_DELIMITERS, key=lambda d: (widths[d], head.count(d)))
    return best if widths[best] > 1 or head.count(best) else ","


def _even_width(head: str, delimiter: str) -> int:
    """The column count when every sampled row has the header's, else 0."""
    try:
        widths = {len(r) for r in csv.reader(io.StringIO(head), delimiter=delimiter) if r}
    except csv.Error:
        return 0
    return widths.pop() if len(widths) == 1 else 0


def normalize_headers(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Headers stripped of spaces and BOMs, inner whitespace collapsed; empty ones named "Column N",
    repeated ones numbered ("Телефон", "Телефон (2)") so a mapping tells them apart.
    """
    seen: set[str] = set()
    result = []
    for i, cell in enumerate(cells, 1):
        name = _SPACES.sub(" ", cell.replace("\ufeff", "")).strip() or f"Column {i}"
        unique, n = name, 1
        while unique in seen:
            n += 1
            unique = f"{name} ({n})"
        seen.add(unique)
        result.append(unique)
    return tuple(result)


def _raw_rows(table: Table) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, cells) of every row, the header included, before blank rows are skipped."""
    if table.format == "csv":
        return _csv_rows(table)
    return _xlsx_rows(table._data)


def _csv_rows(table: Table) -> Iterator[tuple[int, tuple[str, ...]]]:
    assert table.encoding is not None and table.delimiter is not None
    text = io.TextIOWrapper(io.BytesIO(table._data), encoding=table.encoding, newline="")
    reader = csv.reader(text, delimiter=table.delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            if len(cells) > MAX_COLUMNS + 1 and number > 1:
                cells = cells[: MAX_COLUMNS + 1]
            yield number, tuple(cells)
    except csv.Error as exc:
        raise ImportFileError(MALFORMED_FILE, f"the CSV file cannot be read at line {number + 1}: {exc}") from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The first sheet's rows, read-only (openpyxl parses the sheet's XML as it goes)."""
    malformed = ImportFileError(MALFORMED_FILE, "the XLSX file is damaged or not a spreadsheet")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ImportFileError(FILE_TOO_LARGE, "the XLSX file is too large once unpacked")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, ParseError, EOFError):
        raise malformed from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, tuple(cell_text(v) for v in values[: MAX_COLUMNS + 1])
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError, EOFError, IndexError):
        raise malformed from None
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees: 42 not "42.0", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
