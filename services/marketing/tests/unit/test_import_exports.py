"""Whole exports of amoCRM and Bitrix24, as files, come out as typed rows with no mapping typed by hand."""

from __future__ import annotations

import io

from openpyxl import Workbook

from crm_core.errors import FieldProblem
from crm_marketing.imports.files import read_table
from crm_marketing.imports.mapping import suggest_mapping
from crm_marketing.imports.rows import ContactPointValue, LeadRow, PartyRow, parse_lead_row, parse_party_row


def test_amocrm_contacts_xlsx_export_becomes_leads() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Полное имя", "Имя", "Фамилия", "Компания", "Рабочий телефон", "Мобильный телефон",
                  "Рабочий email", "Должность", "Теги", "Ответственный"])  # fmt: skip
    sheet.append([28791841, "Иван Петров", "Иван", "Петров", "ООО Ромашка", 74951234567, "+7 916 123-45-67",
                  "ivan@romashka.ru", "Директор", "опт,vip", "Мария Смирнова"])  # fmt: skip
    sheet.append([28791842, "", "", "", "", "", "", "", "", "", "Мария Смирнова"])
    out = io.BytesIO()
    workbook.save(out)

    table = read_table(out.getvalue(), "amocrm_export_contacts_2024-03-01.xlsx")
    suggested = suggest_mapping(table.headers, "lead")
    assert suggested.preset == "amocrm"
    results = [parse_lead_row(table.headers, row.cells, suggested.mapping) for row in table.rows()]
    assert results == [
        LeadRow(
            person_name="Иван Петров",
            first_name="Иван",
            last_name="Петров",
            company_name="ООО Ромашка",
            position="Директор",
            emails=("ivan@romashka.ru",),
            phones=("+74951234567", "+79161234567"),
            tags=("опт", "vip"),
        ),
        [FieldProblem("row", "required", "a lead needs a name, a company, an e-mail or a phone")],
    ]


def test_bitrix24_companies_csv_export_in_cp1251_becomes_parties() -> None:
    text = (
        "ID;Название компании;ИНН;Рабочий телефон;Рабочий e-mail;Корпоративный сайт;Адрес;Комментарий\r\n"
        "17;ООО «Василёк»;7707083893;8 (812) 555-12-34;office@vasilek.ru;vasilek.ru;Санкт-Петербург, Невский пр., 1;"
        "Клиент с 2019 г.\r\n"
        "18;АО Берёзка;7707083894;;;;;\r\n"
    )
    table = read_table(text.encode("cp1251"), "COMPANY_20240301.csv")
    suggested = suggest_mapping(table.headers, "party")
    assert suggested.preset == "bitrix24"
    results = [parse_party_row(table.headers, r.cells, suggested.mapping, "company") for r in table.rows()]
    assert results == [
        PartyRow(
            kind="company",
            name="ООО «Василёк»",
            inn="7707083893",
            phones=(ContactPointValue("work", "+78125551234"),),
            emails=(ContactPointValue("work", "office@vasilek.ru"),),
            website="vasilek.ru",
            address="Санкт-Петербург, Невский пр., 1",
            comment="Клиент с 2019 г.",
        ),
        [FieldProblem("inn", "invalid_inn", "'7707083894' is not a valid INN (10 or 12 digits with check digits)")],
    ]
