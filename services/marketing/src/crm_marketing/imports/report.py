"""The rows an import refused, written back as a file the user fixes and uploads again.

The file keeps the original columns in their order, so the same mapping applies on re-upload,
plus an "Ошибка" column naming each field and why it was refused. A re-uploaded error file has
that column already: it is replaced, never doubled. CSV is written as Excel opens it without an
import dialog (UTF-8 with a BOM, ";"); XLSX with openpyxl's write-only mode. Both are streamed:
rows are written as they come, never held in a list.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from crm_marketing.imports.rows import RowError

ERROR_COLUMN = "Ошибка"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses a cell over 32,767 characters.
_MAX_CELL = 32_767


@dataclass(frozen=True)
class RejectedRow:
    """A refused row: its cells as read (one per header) and why it was refused."""

    cells: Sequence[str]
    errors: Sequence[RowError]


def error_text(errors: Iterable[RowError]) -> str:
    """The errors of a row as one cell: "phone: '123' is not a phone number: too short; email: …"."""
    return "; ".join(f"{e.field}: {e.message}" for e in errors)


def _layout(headers: Sequence[str]) -> tuple[list[int], list[str]]:
    """Indexes of the columns to keep (an earlier error column dropped) and the output header row."""
    keep = [i for i, h in enumerate(headers) if h != ERROR_COLUMN]
    return keep, [headers[i] for i in keep] + [ERROR_COLUMN]


def _out_row(keep: list[int], row: RejectedRow) -> list[str]:
    cells = [row.cells[i] if i < len(row.cells) else "" for i in keep]
    return [*cells, error_text(row.errors)]


def iter_error_csv(headers: Sequence[str], rows: Iterable[RejectedRow]) -> Iterator[bytes]:
    """The error file as CSV chunks (UTF-8 with BOM, ";", CRLF), one per row, for a streamed response."""
    keep, header = _layout(headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def chunk(cells: list[str]) -> bytes:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield codecs.BOM_UTF8 + chunk(header)
    for row in rows:
        yield chunk(_out_row(keep, row))


def write_error_csv(headers: Sequence[str], rows: Iterable[RejectedRow], out: BinaryIO) -> None:
    """The error file as CSV, written to `out`."""
    for part in iter_error_csv(headers, rows):
        out.write(part)


def write_error_xlsx(headers: Sequence[str], rows: Iterable[RejectedRow], out: BinaryIO) -> None:
    """The error file as XLSX, written to `out`; every cell is text, so "007" and "+7…" stay as typed."""
    keep, header = _layout(headers)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ошибки")
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, c) for c in _out_row(keep, row)])
    workbook.save(out)


def _text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    """A cell Excel keeps as text: "=…" stays a string, not a formula; cut to Excel's length limit."""
    cell = WriteOnlyCell(sheet, value=value[:_MAX_CELL])
    cell.data_type = "s"
    return cell
