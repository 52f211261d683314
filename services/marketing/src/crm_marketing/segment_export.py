"""A segment's members as a file: CSV (UTF-8 with a BOM, ";", CRLF, which Excel opens as is) or XLSX, the
members read page by page as the reader sees them (segments.Segments.iter_members)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import AsyncIterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from crm_marketing.segments import Member

EXPORT_HEADER = ["Тип", "ID", "Имя", "Фамилия", "Название", "Компания", "Должность", "E-mail", "Телефон"]


def _cells(member: Member) -> list[str]:
    kind = "Контакт" if member.kind == "party" else "Лид"
    return [
        kind,
        member.id,
        member.first_name,
        member.last_name,
        member.name,
        member.company,
        member.position,
        member.email,
        member.phone,
    ]


async def export_csv(members: AsyncIterator[Member], rows_per_chunk: int = 200) -> AsyncIterator[bytes]:
    """The members as CSV chunks: UTF-8 with a BOM, ";" and CRLF, which Excel opens as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    count = 0
    first = True
    async for member in members:
        writer.writerow([_safe(c) for c in _cells(member)])
        count += 1
        if count % rows_per_chunk == 0:
            yield (codecs.BOM_UTF8 if first else b"") + buffer.getvalue().encode("utf-8")
            first = False
            buffer.seek(0)
            buffer.truncate()
    yield (codecs.BOM_UTF8 if first else b"") + buffer.getvalue().encode("utf-8")


def _safe(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would make it a formula (CSV injection)."""
    if value[:1] in ("=", "@", "\t", "\r") or (value[:1] in ("+", "-") and not value[1:2].isdigit()):
        return "'" + value
    return value


async def export_xlsx(members: AsyncIterator[Member]) -> bytes:
    """The members as an XLSX workbook (openpyxl write-only: rows go to a temporary file, not memory); every
    cell is text, so "+7…" and "=…" stay as they are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Сегмент")
    sheet.append(EXPORT_HEADER)
    async for member in members:
        row = []
        for value in _cells(member):
            cell = WriteOnlyCell(sheet, value=value[:32767])
            cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
