"""The pure parts of the import job: rows to leads and parties, dedup indexes, contacts' answers as outcomes."""

from __future__ import annotations

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm_marketing.imports import rows
from crm_marketing.imports.job import FileIndex, Outcome
from crm_marketing.imports.lead_batch import Found, StoredMatches, lead_draft
from crm_marketing.imports.party_batch import party_message, party_outcomes
from crm_marketing.imports.uploads import mapping_gaps, preview_values
from crm_marketing.models import ImportJob

HEADERS = ("Фамилия", "Имя", "Email", "Телефон", "UTM")
MAPPING = {"Фамилия": "last_name", "Имя": "first_name", "Email": "email", "Телефон": "phone", "UTM": "utm_source"}


def test_a_lead_takes_its_first_email_and_phone_and_keeps_every_cell_in_raw() -> None:
    cells = ("Иванов", "Иван", "a@x.ru; b@x.ru", "8 916 123-45-67", "yandex")
    row = rows.parse_lead_row(HEADERS, cells, MAPPING)
    assert isinstance(row, rows.LeadRow)
    draft = lead_draft(row, cells, HEADERS, None)
    assert (draft.person_name, draft.email, draft.phone_e164, draft.utm) == (
        "Иванов Иван",
        "a@x.ru",
        "+79161234567",
        {"source": "yandex"},
    )
    assert draft.raw["Email"] == "a@x.ru; b@x.ru"


def test_a_row_repeating_any_key_of_an_earlier_row_points_at_the_first() -> None:
    index = FileIndex()
    index.add(2, ["email:a@x.ru", "phone:79161234567"])
    index.add(3, ["email:b@x.ru"])
    assert index.earlier(["email:c@x.ru", "phone:79161234567"]) == 2
    assert index.earlier(["email:b@x.ru", "email:a@x.ru"]) == 2
    assert index.earlier(["inn:7707083893"]) == 0


def test_stored_matches_merge_reasons_per_record_and_put_leads_first() -> None:
    found = StoredMatches(
        by_key={
            "email:a@x.ru": [Found("party", "p1", "ООО Север", ("email",)), Found("lead", "l1", "Иван", ("email",))],
            "phone:79161234567": [Found("party", "p1", "ООО Север", ("phone",))],
        }
    )
    matches = found.of(["email:a@x.ru", "phone:79161234567"])
    assert [(m.kind, m.id, m.reasons) for m in matches] == [
        ("lead", "l1", ("email",)),
        ("party", "p1", ("email", "phone")),
    ]


def test_a_company_row_becomes_the_party_contacts_takes() -> None:
    headers = ("Название", "ИНН", "Телефон", "Email")
    mapping = {"Название": "name", "ИНН": "inn", "Телефон": "phone", "Email": "email"}
    row = rows.parse_party_row(
        headers, ("ООО «Север»", "7707083893", "+7 495 123-45-67", "info@sever.ru"), mapping, "company"
    )
    assert isinstance(row, rows.PartyRow)
    party = party_message(row)
    assert (party.kind, party.display_name, party.company.inn) == ("company", "ООО «Север»", "7707083893")
    assert [(p.kind, p.value) for p in party.phones] == [("work", "+74951234567")]
    assert [(e.kind, e.value) for e in party.emails] == [("work", "info@sever.ru")]


def test_contacts_answers_become_row_outcomes() -> None:
    results = [
        contacts_pb2.BulkCreateResult(outcome=contacts_pb2.BulkCreateResult.CREATED, party_id="p-new"),
        contacts_pb2.BulkCreateResult(
            outcome=contacts_pb2.BulkCreateResult.DUPLICATE,
            duplicates=[contacts_pb2.BulkDuplicate(party_id="p-old", reasons=["inn"])],
        ),
        contacts_pb2.BulkCreateResult(
            outcome=contacts_pb2.BulkCreateResult.REJECTED,
            error=common_pb2.ErrorDetail(
                code="validation_failed",
                field_violations=[common_pb2.FieldViolation(field="company.kpp", code="invalid_kpp", message="bad")],
            ),
        ),
    ]
    outcomes = [Outcome(n, "created", []) for n in (2, 3, 4)]
    party_outcomes(outcomes, results)
    assert [(o.outcome, o.record_id, o.duplicate_kind) for o in outcomes] == [
        ("created", "p-new", ""),
        ("duplicate", "p-old", "party"),
        ("error", "", ""),
    ]
    assert [(e.field, e.code) for e in outcomes[2].errors] == [("company.kpp", "invalid_kpp")]


def test_only_refused_rows_keep_their_cells() -> None:
    assert Outcome(2, "created", ["a"]).row("i")["values"] == []
    assert Outcome(3, "error", ["a"]).row("i")["values"] == ["a"]


def test_a_mapping_without_a_column_that_makes_a_record_has_a_gap() -> None:
    leads = ImportJob(target="leads", party_kind="person", mapping={"Должность": "position"})
    assert [p.code for p in mapping_gaps(leads)] == ["required"]
    leads.mapping = {"Должность": "position", "Почта": "email"}
    assert mapping_gaps(leads) == []
    companies = ImportJob(target="parties", party_kind="company", mapping={"Фамилия": "last_name"})
    assert [p.field for p in mapping_gaps(companies)] == ["mapping"]


def test_a_preview_shows_lists_joined() -> None:
    row = rows.parse_lead_row(HEADERS, ("Иванов", "", "a@x.ru, b@x.ru", "", ""), MAPPING)
    assert isinstance(row, rows.LeadRow)
    assert preview_values(row) == {"last_name": "Иванов", "emails": "a@x.ru; b@x.ru"}
