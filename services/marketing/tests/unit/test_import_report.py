"""Refused rows come back as a file that reads like the upload, with the reasons in an "Ошибка" column."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from crm_core.errors import FieldProblem
from crm_marketing.imports.files import Row, read_table
from crm_marketing.imports.report import (
    ERROR_COLUMN,
    RejectedRow,
    iter_error_csv,
    write_error_csv,
    write_error_xlsx,
)

HEADERS = ("Имя", "Телефон", "E-mail")
ROWS = [
    RejectedRow(("Иван", "123", "ivan@"), [
        FieldProblem("phone", "invalid_phone", "'123' is not a phone number: too short"),
        FieldProblem("email", "invalid_email", "'ivan@' is not an e-mail address"),
    ]),
    RejectedRow(("=HYPERLINK(\"x\")", "007", ""), [FieldProblem("row", "required", "a lead needs a name")]),
]  # fmt: skip
ERRORS = [
    "phone: '123' is not a phone number: too short; email: 'ivan@' is not an e-mail address",
    "row: a lead needs a name",
]


def test_error_csv_is_utf8_with_bom_and_semicolons_in_the_upload_columns_plus_the_error() -> None:
    data = b"".join(iter_error_csv(HEADERS, ROWS))
    assert data.startswith(b"\xef\xbb\xbf\xd0\x98\xd0\xbc\xd1\x8f;")  # BOM, "Имя;"
    assert data.decode("utf-8-sig").splitlines()[0] == "Имя;Телефон;E-mail;Ошибка"


def test_error_csv_reads_back_as_an_upload_with_the_same_cells() -> None:
    out = io.BytesIO()
    write_error_csv(HEADERS, ROWS, out)
    table = read_table(out.getvalue(), "errors.csv")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.headers == (*HEADERS, ERROR_COLUMN)
    assert list(table.rows()) == [
        Row(2, ("Иван", "123", "ivan@", ERRORS[0])),
        Row(3, ('=HYPERLINK("x")', "007", "", ERRORS[1])),
    ]


def test_error_xlsx_keeps_every_cell_as_text_and_reads_back_as_an_upload() -> None:
    out = io.BytesIO()
    write_error_xlsx(HEADERS, ROWS, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet["A3"].data_type == "s"  # "=…" stays text, not a formula
    table = read_table(out.getvalue(), "errors.xlsx")
    assert table.headers == (*HEADERS, ERROR_COLUMN)
    assert [r.cells for r in table.rows()] == [
        ("Иван", "123", "ivan@", ERRORS[0]),
        ('=HYPERLINK("x")', "007", "", ERRORS[1]),
    ]


def test_a_reuploaded_error_file_gets_its_error_column_replaced_not_doubled() -> None:
    headers = (*HEADERS, ERROR_COLUMN)
    rows = [RejectedRow(("Иван", "124", "ivan@x", "old reason"), [FieldProblem("phone", "invalid_phone", "new")])]
    text = b"".join(iter_error_csv(headers, rows)).decode("utf-8-sig")
    assert text.splitlines() == ["Имя;Телефон;E-mail;Ошибка", "Иван;124;ivan@x;phone: new"]
