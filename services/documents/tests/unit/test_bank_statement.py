"""Reading 1CClientBankExchange statements: what banks send is read exactly, what is not a statement is refused."""

from __future__ import annotations

import codecs
import datetime as dt
import random
from decimal import Decimal

import pytest
from statement_files import StatementFiles, StatementPayment, render_statement

from crm_core import requisites
from crm_core.errors import InvalidArgument
from crm_documents.bank_statement import (
    STATEMENT_AMOUNT_INVALID,
    STATEMENT_DATE_INVALID,
    STATEMENT_ENCODING_INVALID,
    STATEMENT_FORMAT_INVALID,
    STATEMENT_TOO_LARGE,
    STATEMENT_TOO_MANY_LINES,
    StatementError,
    parse_statement,
)

PURPOSE = "Оплата по счету №17 от 01.12.2026 за монтаж оборудования, в т.ч. НДС 20% - 2083.33 руб."


@pytest.fixture
def files() -> StatementFiles:
    return StatementFiles(seed=16)


def _minimal(*document: str, account: str = "40702810900000012345", encoding: str = "cp1251") -> bytes:
    """A statement with only the keys the format cannot do without, and one document of the given lines."""
    lines = ["1CClientBankExchange", f"Кодировка={'DOS' if encoding == 'cp866' else 'Windows'}", f"РасчСчет={account}"]
    if document:
        lines += ["СекцияДокумент=Платежное поручение", *document, "КонецДокумента"]
    return render_statement([*lines, "КонецФайла"], encoding)


def _error(data: bytes, **options: int) -> StatementError:
    with pytest.raises(StatementError) as caught:
        parse_statement(data, **options)  # type: ignore[arg-type]
    return caught.value


def _replace(lines: list[str], prefix: str, new: str | None, occurrence: int = 0) -> tuple[list[str], int]:
    """The lines with the `occurrence`-th line starting with `prefix` replaced (None: removed), and its 1-based number."""
    indexes = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    index = indexes[occurrence]
    changed = lines[:index] + ([] if new is None else [new]) + lines[index + 1 :]
    return changed, index + 1


def test_a_generated_statement_reads_back_field_for_field(files: StatementFiles) -> None:
    client = files.company()
    supplier = files.company()
    data = files.statement(
        [
            StatementPayment("12500.00", PURPOSE, payer=client, number="000417", date=dt.date(2026, 12, 3)),
            StatementPayment("990.5", "Аренда офиса за декабрь 2026", payer=supplier, incoming=False),
            StatementPayment(Decimal("100"), "Оплата по сч. 18", payer=client),
        ]
    )
    assert data.startswith(b"1CClientBankExchange\r\n") and data.endswith("КонецФайла\r\n".encode("cp1251"))

    statement = parse_statement(data)

    assert statement.encoding == "cp1251"
    assert statement.format_version == "1.03"
    assert statement.sender == "Бухгалтерия предприятия, редакция 3.0"
    assert statement.account == files.owner.account and statement.accounts == (files.owner.account,)
    assert (statement.created_on, statement.period_start, statement.period_end) == (
        dt.date(2026, 12, 6),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 6),
    )
    (section,) = statement.account_sections
    assert section.account == files.owner.account
    assert (section.opening_balance, section.total_in, section.total_out, section.closing_balance) == (
        Decimal("100000.00"),
        Decimal("12600.00"),
        Decimal("990.50"),
        Decimal("111609.50"),
    )
    first, second, third = statement.documents
    assert first.kind == "Платежное поручение"
    assert (first.number, first.date, first.amount) == ("000417", dt.date(2026, 12, 3), Decimal("12500.00"))
    assert first.payer.name == client.name and first.payer.inn == client.inn and first.payer.kpp == client.kpp
    assert (first.payer.account, first.payer.bic, first.payer.bank) == (client.account, client.bic, client.bank)
    assert first.payer.correspondent_account == client.correspondent_account
    assert first.payee.inn == files.owner.inn and first.payee.account == files.owner.account
    assert first.purpose == PURPOSE
    assert (first.received_on, first.written_off_on) == (dt.date(2026, 12, 3), None)
    assert first.payment_type == "01"
    assert first.direction == "incoming" and first.incoming
    assert second.direction == "outgoing" and second.amount == Decimal("990.50")
    assert (second.payer.inn, second.payee.inn) == (files.owner.inn, supplier.inn)
    assert (second.received_on, second.written_off_on) == (None, dt.date(2026, 12, 6))
    assert third.number == "3" and third.amount == Decimal("100.00")
    assert statement.incoming == (first, third)
    assert [d.line for d in statement.documents] == sorted(d.line for d in statement.documents)
    assert data.decode("cp1251").splitlines()[first.line - 1] == "СекцияДокумент=Платежное поручение"


def test_the_generated_parties_pass_the_platform_s_requisite_checks(files: StatementFiles) -> None:
    for _ in range(30):
        company = files.company()
        assert requisites.is_valid_inn(company.inn)
        assert requisites.is_valid_kpp(company.kpp) and company.kpp[:4] == company.inn[:4]
        assert requisites.is_valid_checking_account(company.account, company.bic)
        assert requisites.is_valid_correspondent_account(company.correspondent_account, company.bic)


def test_the_same_seed_writes_the_same_file() -> None:
    payments = [StatementPayment("1", "Оплата по счету 1")]
    assert StatementFiles(seed=3).statement(payments) == StatementFiles(seed=3).statement(payments)
    assert StatementFiles(seed=3).statement(payments) != StatementFiles(seed=4).statement(payments)


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_any_line_end_reads_the_same(files: StatementFiles, line_end: str) -> None:
    lines = files.lines([StatementPayment("12500", PURPOSE)])
    statement = parse_statement(render_statement(lines, line_end=line_end))
    assert [(d.amount, d.purpose) for d in statement.documents] == [(Decimal("12500.00"), PURPOSE)]


def test_a_dos_statement_is_read_as_cp866(files: StatementFiles) -> None:
    data = files.statement([StatementPayment("12500", PURPOSE)], encoding="cp866")
    statement = parse_statement(data)
    assert statement.encoding == "cp866"
    assert statement.documents[0].purpose == PURPOSE


def test_a_dos_statement_writes_typographic_quotes_and_dashes_plainly() -> None:
    data = _minimal("Номер=1", "Дата=05.12.2026", "Сумма=10", "Плательщик1=«Томскнефть» ВНК — №1", encoding="cp866")
    assert parse_statement(data).documents[0].payer.name == '"Томскнефть" ВНК - №1'


def test_a_utf8_statement_that_says_so_or_has_a_bom_is_read_as_utf8(files: StatementFiles) -> None:
    lines = files.lines([StatementPayment("12500", PURPOSE)])
    said, _ = _replace(lines, "Кодировка=", "Кодировка=UTF-8")
    assert parse_statement(render_statement(said, "utf-8")).documents[0].purpose == PURPOSE
    unsaid, _ = _replace(lines, "Кодировка=", None)
    assert parse_statement(render_statement(unsaid, "utf-8")).encoding == "utf-8"
    with_bom = codecs.BOM_UTF8 + render_statement(unsaid, "utf-8")
    assert parse_statement(with_bom).documents[0].purpose == PURPOSE


def test_without_an_encoding_key_windows_1251_is_the_default(files: StatementFiles) -> None:
    lines, _ = _replace(files.lines([StatementPayment("12500", PURPOSE)]), "Кодировка=", None)
    statement = parse_statement(render_statement(lines))
    assert statement.encoding == "cp1251" and statement.documents[0].purpose == PURPOSE


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("12500.00", "12500.00"),
        ("12500", "12500.00"),
        ("12500.5", "12500.50"),
        ("12500,00", "12500.00"),
        ("0.01", "0.01"),
    ],
)
def test_amounts_are_read_with_or_without_kopecks(written: str, amount: str) -> None:
    data = _minimal("Номер=1", "Дата=05.12.2026", f"Сумма={written}", "ПолучательСчет=40702810900000012345")
    assert parse_statement(data).documents[0].amount == Decimal(amount)


def test_a_document_with_only_the_required_keys_reads_with_empty_optional_fields() -> None:
    data = _minimal("Номер=1", "Дата=05.12.2026", "Сумма=10")
    (document,) = parse_statement(data).documents
    assert document.payer.name == document.payer.inn == document.payee.account == document.purpose == ""
    assert document.received_on is None and document.written_off_on is None
    assert document.direction == "outgoing"  # nothing says the money came to us


def test_the_payer_s_name_comes_from_the_combined_key_when_the_name_key_is_absent() -> None:
    data = _minimal(
        "Номер=1",
        "Дата=05.12.2026",
        "Сумма=10",
        "Плательщик=ИНН 7707083893 ПАО СБЕРБАНК",
        "ПлательщикИНН=0",
        "ПлательщикКПП=0",
    )
    payer = parse_statement(data).documents[0].payer
    assert payer.name == "ПАО СБЕРБАНК"
    assert payer.inn == "" and payer.kpp == ""  # "0": a payer without one


def test_the_purpose_is_joined_from_its_parts_or_continuation_lines() -> None:
    parts = _minimal(
        "Номер=1",
        "Дата=05.12.2026",
        "Сумма=10",
        "НазначениеПлатежа1=Оплата по счету №17",
        "НазначениеПлатежа2=от 01.12.2026",
    )
    assert parse_statement(parts).documents[0].purpose == "Оплата по счету №17 от 01.12.2026"
    continued = _minimal(
        "Номер=1",
        "Дата=05.12.2026",
        "Сумма=10",
        "НазначениеПлатежа=Оплата по счету №17",
        "от 01.12.2026",
        "Очередность=5",
    )
    assert parse_statement(continued).documents[0].purpose == "Оплата по счету №17 от 01.12.2026"


def test_money_to_one_of_our_inns_is_incoming_even_through_another_account() -> None:
    data = _minimal(
        "Номер=1", "Дата=05.12.2026", "Сумма=10", "ПолучательСчет=30232810000000000001", "ПолучательИНН=7707083893"
    )
    assert parse_statement(data).documents[0].direction == "outgoing"
    assert parse_statement(data, our_inns={"7707083893"}).documents[0].direction == "incoming"


def test_the_payee_s_settlement_account_counts_as_the_statement_s() -> None:
    data = _minimal(
        "Номер=1",
        "Дата=05.12.2026",
        "Сумма=10",
        "ПолучательСчет=30101810400000000225",
        "ПолучательРасчСчет=40702810900000012345",
    )
    assert parse_statement(data).documents[0].incoming


def test_the_account_may_come_from_the_account_section_alone(files: StatementFiles) -> None:
    lines, _ = _replace(files.lines([StatementPayment("5", PURPOSE)]), "РасчСчет=", None)
    statement = parse_statement(render_statement(lines))
    assert statement.accounts == (files.owner.account,) and statement.documents[0].incoming


def test_blank_lines_unknown_keys_and_text_after_the_end_are_ignored(files: StatementFiles) -> None:
    lines = files.lines([StatementPayment("5", PURPOSE)])
    lines, _ = _replace(lines, "Очередность=", "КодНазПлатежа=1")
    lines = [*lines[:5], "", "   ", *lines[5:], "мусор после конца файла"]
    assert parse_statement(render_statement(lines)).documents[0].purpose == PURPOSE


def test_the_same_payment_has_the_same_fingerprint_in_any_import(files: StatementFiles) -> None:
    client = files.company()
    payment = StatementPayment("12500", PURPOSE, payer=client, number="17", date=dt.date(2026, 12, 3))
    monday = parse_statement(files.statement([payment], end=dt.date(2026, 12, 4)))
    week = parse_statement(files.statement([StatementPayment("7", "Аренда"), payment, StatementPayment("8", "х")]))
    assert monday.documents[0].fingerprint == week.documents[1].fingerprint
    assert len({d.fingerprint for d in week.documents}) == 3
    assert len(monday.documents[0].fingerprint) == 64


def test_the_fingerprint_ignores_leading_zeros_and_how_the_amount_is_written() -> None:
    def fingerprint(number: str, amount: str, payer_account: str = "40702810000000000001") -> str:
        data = _minimal("Номер=" + number, "Дата=05.12.2026", "Сумма=" + amount, "ПлательщикСчет=" + payer_account)
        return parse_statement(data).documents[0].fingerprint

    assert fingerprint("17", "12500") == fingerprint("00017", "12500.00")
    assert fingerprint("17", "12500") != fingerprint("17", "12500.01")
    assert fingerprint("17", "12500") != fingerprint("170", "12500")
    assert fingerprint("17", "12500") != fingerprint("17", "12500", "40702810000000000002")


def test_refusals_are_invalid_argument_with_the_line_last_in_the_message(files: StatementFiles) -> None:
    lines, number = _replace(files.lines([StatementPayment("5", PURPOSE)]), "Сумма=", "Сумма=5 000")
    error = _error(render_statement(lines))
    assert isinstance(error, InvalidArgument)
    assert error.code == STATEMENT_AMOUNT_INVALID and error.line == number
    assert error.message.endswith(f"(line {number})") and "Сумма" in error.message


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", 1),
        (b"  \r\n\r\n", 1),
        (b"Hello, world\r\n", 1),
        ("Дата;Сумма;Назначение\r\n05.12.2026;100;Оплата\r\n".encode("cp1251"), 1),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1),
        ("1CClientBankExchange\r\n".encode("utf-16"), 1),
        (b'{"1CClientBankExchange": true}', 1),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused_on_its_first_line(data: bytes, line: int) -> None:
    error = _error(data)
    assert (error.code, error.line) == (STATEMENT_FORMAT_INVALID, line)


def test_binary_data_after_a_good_first_line_is_refused() -> None:
    data = render_statement(["1CClientBankExchange", "Кодировка=Windows"]) + b"\x00\x01\x02\r\n"
    error = _error(data)
    assert (error.code, error.line) == (STATEMENT_FORMAT_INVALID, 3)
    assert "binary" in error.message


def test_a_utf8_line_in_a_windows_1251_file_is_refused(files: StatementFiles) -> None:
    lines = files.lines([StatementPayment("5", PURPOSE)])
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("НазначениеПлатежа="))
    data = render_statement(lines).replace(
        f"НазначениеПлатежа={PURPOSE}".encode("cp1251"), f"НазначениеПлатежа={PURPOSE}".encode()
    )
    error = _error(data)
    assert (error.code, error.line) == (STATEMENT_ENCODING_INVALID, number)
    assert "UTF-8" in error.message


def test_the_encoding_the_key_is_written_in_wins_over_the_value_it_names(files: StatementFiles) -> None:
    lines = files.lines([StatementPayment("5", PURPOSE)])  # Кодировка=Windows
    utf8 = parse_statement(render_statement(lines, "utf-8"))
    assert (utf8.encoding, utf8.documents[0].purpose) == ("utf-8", PURPOSE)
    says_dos = parse_statement(render_statement(lines).replace(b"=Windows", b"=DOS"))
    assert (says_dos.encoding, says_dos.documents[0].purpose) == ("cp1251", PURPOSE)


def test_an_unknown_encoding_is_refused() -> None:
    koi8 = _minimal().replace(b"Windows", b"KOI8-R")
    assert (_error(koi8).code, _error(koi8).line) == (STATEMENT_ENCODING_INVALID, 2)


def test_a_byte_windows_1251_lacks_is_refused_naming_its_line() -> None:
    data = render_statement(["1CClientBankExchange", "Кодировка=Windows", "РасчСчет=1"]) + b"\x98\r\n"
    error = _error(data)
    assert (error.code, error.line) == (STATEMENT_ENCODING_INVALID, 4)


CHANGED = ("changed", 0)


@pytest.mark.parametrize(
    ("prefix", "replacement", "code", "expected"),
    [
        # a document not closed before the next one starts: where the next one starts
        ("КонецДокумента", None, STATEMENT_FORMAT_INVALID, ("СекцияДокумент", 1)),
        ("КонецРасчСчет", None, STATEMENT_FORMAT_INVALID, ("СекцияДокумент", 0)),
        # a cut-off download: no КонецФайла
        ("КонецФайла", None, STATEMENT_FORMAT_INVALID, ("end", 0)),
        ("Сумма=", "Сумма=-5", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("Сумма=", "Сумма=1e3", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("Сумма=", "Сумма=12.345", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("Сумма=", "Сумма=двести", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("Сумма=", "Сумма=NaN", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("Сумма=", "Сумма=10000000000000000", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("НачальныйОстаток=", "НачальныйОстаток=много", STATEMENT_AMOUNT_INVALID, CHANGED),
        ("Дата=", "Дата=31.02.2026", STATEMENT_DATE_INVALID, CHANGED),
        ("Дата=", "Дата=2026-12-05", STATEMENT_DATE_INVALID, CHANGED),
        ("ДатаПоступило=", "ДатаПоступило=5.12.26", STATEMENT_DATE_INVALID, CHANGED),
        ("ДатаНачала=", "ДатаНачала=вчера", STATEMENT_DATE_INVALID, CHANGED),
        # a document without a required key: where the document starts
        ("Сумма=", "Сумма=", STATEMENT_FORMAT_INVALID, ("СекцияДокумент", 0)),
        ("Номер=", None, STATEMENT_FORMAT_INVALID, ("СекцияДокумент", 0)),
        ("Очередность=", "просто текст без ключа", STATEMENT_FORMAT_INVALID, CHANGED),
        ("Очередность=", "КонецРасчСчет", STATEMENT_FORMAT_INVALID, CHANGED),
        ("Очередность=", "Очередность=" + "5" * 5000, STATEMENT_FORMAT_INVALID, CHANGED),
    ],
)
def test_a_broken_statement_is_refused_naming_the_line(
    files: StatementFiles, prefix: str, replacement: str | None, code: str, expected: tuple[str, int]
) -> None:
    lines, changed = _replace(
        files.lines([StatementPayment("5", PURPOSE), StatementPayment("6", PURPOSE)]), prefix, replacement
    )
    error = _error(render_statement(lines))
    where, occurrence = expected
    if where == "changed":
        line = changed
    elif where == "end":
        line = len(lines)
    else:
        line = [i for i, text in enumerate(lines, 1) if text.startswith(where)][occurrence]
    assert (error.code, error.line) == (code, line), error.message


def test_a_statement_without_an_account_is_refused() -> None:
    data = render_statement(["1CClientBankExchange", "Кодировка=Windows", "КонецФайла"])
    error = _error(data)
    assert error.code == STATEMENT_FORMAT_INVALID and "РасчСчет" in error.message


def test_a_document_open_at_the_end_of_the_file_is_refused() -> None:
    data = render_statement(
        ["1CClientBankExchange", "РасчСчет=40702810900000012345", "СекцияДокумент=Платежное поручение", "КонецФайла"]
    )
    error = _error(data)
    assert (error.code, error.line) == (STATEMENT_FORMAT_INVALID, 4) and "line 3" in error.message


def test_files_past_the_limits_are_refused_before_reading(files: StatementFiles) -> None:
    data = files.statement([StatementPayment(str(i), PURPOSE) for i in range(1, 11)])
    assert _error(data, max_bytes=len(data) - 1).code == STATEMENT_TOO_LARGE
    assert parse_statement(data, max_bytes=len(data)).documents
    lines = data.count(b"\r\n")
    assert _error(data, max_lines=lines - 1).code == STATEMENT_TOO_MANY_LINES
    assert len(parse_statement(data, max_lines=lines).documents) == 10


def test_a_refused_encoding_names_its_line_in_a_file_of_cr_line_ends() -> None:
    data = render_statement(["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=KOI8-R"], line_end="\r")
    assert (_error(data).code, _error(data).line) == (STATEMENT_ENCODING_INVALID, 3)


def test_any_damage_to_a_statement_reads_or_is_refused_with_a_statement_error(files: StatementFiles) -> None:
    """Bytes flipped, dropped or cut anywhere: never an exception the gateway would answer 500 with."""
    good = files.statement([StatementPayment(f"{n}00.50", PURPOSE) for n in range(1, 4)])
    rng = random.Random(16)
    outcomes: set[str] = set()
    for _ in range(600):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(data))
            damage = rng.choice(("flip", "drop", "cut", "insert"))
            if damage == "flip":
                data[position] = rng.randrange(256)
            elif damage == "drop":
                del data[position]
            elif damage == "cut":
                del data[position:]
                break
            else:
                data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        try:
            statement = parse_statement(bytes(data))
        except StatementError as error:
            assert error.code.startswith("statement_") and error.message
            outcomes.add(error.code)
        else:
            assert all(d.amount >= 0 for d in statement.documents)
            outcomes.add("read")
    assert {"read", STATEMENT_FORMAT_INVALID, STATEMENT_ENCODING_INVALID} <= outcomes
