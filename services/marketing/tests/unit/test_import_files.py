"""Uploaded files are read whatever spreadsheet wrote them, and refused with a stable code when they cannot be."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from crm_core.errors import InvalidArgument
from crm_marketing.imports import files
from crm_marketing.imports.files import ImportFileError, Row, read_table


def xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refused(data: bytes, filename: str = "leads.csv", **limits: int) -> str:
    with pytest.raises(ImportFileError) as info:
        table = read_table(data, filename, **limits)
        list(table.rows())
    assert info.value.message
    return info.value.code


def test_excel_csv_in_cp1251_with_semicolons_is_detected_and_read() -> None:
    text = "Имя;Компания;Телефон\r\nИван Петров;ООО «Ромашка»;+7 495 123-45-67\r\nЁлкина Анна;ИП Щукин;89161234567\r\n"
    table = read_table(text.encode("cp1251"), "leads.csv")
    assert (table.format, table.encoding, table.delimiter) == ("csv", "cp1251", ";")
    assert table.headers == ("Имя", "Компания", "Телефон")
    assert list(table.rows()) == [
        Row(2, ("Иван Петров", "ООО «Ромашка»", "+7 495 123-45-67")),
        Row(3, ("Ёлкина Анна", "ИП Щукин", "89161234567")),
    ]


def test_utf8_csv_with_bom_and_commas_keeps_quoted_commas_and_line_breaks() -> None:
    text = (
        '\ufeffName,Email,Comment\n"Smith, John",john@example.com,"first line\nsecond, line"\nЮля,yulia@example.ru,\n'
    )
    table = read_table(text.encode("utf-8"), "leads.csv")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert table.headers == ("Name", "Email", "Comment")
    assert list(table.rows()) == [
        Row(2, ("Smith, John", "john@example.com", "first line\nsecond, line")),
        Row(3, ("Юля", "yulia@example.ru", "")),
    ]


def test_utf8_without_bom_and_tabs_is_detected() -> None:
    table = read_table("Имя\tТелефон\nОля\t+79161234567\n".encode(), "leads.txt")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", "\t")
    assert list(table.rows()) == [Row(2, ("Оля", "+79161234567"))]


def test_a_stray_control_character_in_a_cell_does_not_make_the_file_unreadable() -> None:
    text = "Имя;Комментарий\n" + "".join(f"Клиент {i};заметка\n" for i in range(20)) + "Иван;звонок\x07 в 10:00\n"
    table = read_table(text.encode("cp1251"), "x.csv")
    assert table.encoding == "cp1251"
    assert list(table.rows())[-1] == Row(22, ("Иван", "звонок\x07 в 10:00"))


def test_delimiter_is_the_one_splitting_rows_evenly_when_values_hold_the_other() -> None:
    text = "Имя;Адрес\nИван;Москва, ул. Ленина, 1\nПётр;Казань, ул. Баумана, 2\n"
    assert read_table(text.encode("cp1251"), "x.csv").delimiter == ";"


def test_headers_are_trimmed_collapsed_and_duplicates_numbered() -> None:
    table = read_table("  Имя ;Телефон;Телефон;;Рабочий   e-mail\nА;1;2;3;4\n".encode(), "x.csv")
    assert table.headers == ("Имя", "Телефон", "Телефон (2)", "Column 4", "Рабочий e-mail")


def test_header_is_the_first_row_with_a_value_and_columns_after_the_last_header_are_dropped() -> None:
    table = read_table(xlsx([], [None, None], ["Имя", None, "Телефон", None], ["Иван", "x", "1", "ignored"]), "a.xlsx")
    assert table.headers == ("Имя", "Column 2", "Телефон")
    assert list(table.rows()) == [Row(4, ("Иван", "x", "1"))]


def test_more_columns_than_the_limit_are_refused() -> None:
    assert refused(",".join(f"c{i}" for i in range(files.MAX_COLUMNS + 1)).encode()) == files.TOO_MANY_COLUMNS


def test_blank_rows_are_skipped_short_rows_padded_and_rows_keep_their_file_numbers() -> None:
    table = read_table(b"a,b,c\n1,2,3\n,,\n\n4\n", "x.csv")
    assert list(table.rows()) == [Row(2, ("1", "2", "3")), Row(5, ("4", "", ""))]
    assert table.count_rows() == 2
    assert table.count_rows() == 2  # streaming again gives the same rows


def test_xlsx_cells_read_as_people_see_them() -> None:
    data = xlsx(
        ["Имя", "Телефон", "Сумма", "Дата", "Время записи", "Пусто"],
        ["Иван", 79161234567, 1500.0, dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1, 10, 30), None],
        ["Анна", "+7 916 000-00-00", 12.5, dt.date(2023, 12, 31), True, None],
    )
    table = read_table(data, "leads.xlsx")
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.headers == ("Имя", "Телефон", "Сумма", "Дата", "Время записи", "Пусто")
    assert list(table.rows()) == [
        Row(2, ("Иван", "79161234567", "1500", "2024-03-01", "2024-03-01T10:30:00", "")),
        Row(3, ("Анна", "+7 916 000-00-00", "12.5", "2023-12-31", "TRUE", "")),
    ]


def test_xlsx_is_recognised_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(xlsx(["Имя"], ["Иван"]))
    table = read_table(path, "upload.bin")
    assert table.format == "xlsx"
    assert list(table.rows()) == [Row(2, ("Иван",))]


def test_password_protected_xlsx_is_refused_as_encrypted() -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx(["Имя"], ["Иван"]))).encrypt("secret", encrypted)
    assert encrypted.getvalue()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert refused(encrypted.getvalue(), "leads.xlsx") == files.ENCRYPTED_FILE


def test_old_xls_is_refused_as_unsupported() -> None:
    ole_without_encryption = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    assert refused(ole_without_encryption, "leads.xls") == files.UNSUPPORTED_FORMAT


def test_truncated_xlsx_is_malformed() -> None:
    data = xlsx(["Имя"], ["Иван"])
    assert refused(data[: len(data) // 2], "leads.xlsx") == files.MALFORMED_FILE


def test_a_zip_that_is_no_spreadsheet_is_malformed() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(out.getvalue(), "leads.xlsx") == files.MALFORMED_FILE


def with_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """The workbook with one part replaced (None: removed)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in source.namelist():
            body = content if part == name else source.read(part)
            if body is not None:
                archive.writestr(part, body)
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "content"),
    [("xl/worksheets/sheet1.xml", b"<<<not xml"), ("xl/workbook.xml", None), ("xl/styles.xml", b"<x")],
    ids=["sheet-not-xml", "no-workbook", "styles-not-xml"],
)
def test_xlsx_with_a_damaged_part_is_malformed_even_when_found_while_streaming(
    part: str, content: bytes | None
) -> None:
    assert refused(with_part(xlsx(["Имя"], ["Иван"]), part, content), "leads.xlsx") == files.MALFORMED_FILE


@pytest.mark.parametrize(
    "data",
    [
        "Имя;Телефон\nИван;1\n".encode("utf-16"),
        "Имя;Телефон\nИван;1\n".encode("utf-16-le"),
        "Фамилия;Имя;Компания\nПетров;Иван;Ромашка\nСидорова;Анна;Василёк\nКузнецов;Олег;Берёзка\n".encode("koi8-r"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
    ids=["utf-16", "utf-16-without-bom", "koi8-r", "png"],
)
def test_text_in_other_encodings_is_refused_as_unknown_encoding(data: bytes) -> None:
    assert refused(data) == files.UNKNOWN_ENCODING


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    data = b"a,b\n" + b"1,2\n" * (files.MAX_BYTES // 4)
    assert len(data) > files.MAX_BYTES
    assert refused(data) == files.FILE_TOO_LARGE
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError) as info:
        read_table(path, "big.csv")
    assert info.value.code == files.FILE_TOO_LARGE


def test_rows_past_the_row_limit_are_refused_while_streaming() -> None:
    table = read_table(b"a\n1\n2\n3\n4\n", "x.csv", max_rows=3)
    with pytest.raises(ImportFileError) as info:
        table.count_rows()
    assert info.value.code == files.TOO_MANY_ROWS


@pytest.mark.parametrize("data", [b"", b"   \r\n", b";;\n\n", xlsx()], ids=["empty", "blank", "no-header", "xlsx"])
def test_file_without_a_header_is_empty(data: bytes) -> None:
    assert refused(data) == files.EMPTY_FILE


def test_file_errors_are_invalid_argument_for_the_gateway_to_answer_4xx() -> None:
    with pytest.raises(InvalidArgument):
        read_table(b"", "x.csv")
