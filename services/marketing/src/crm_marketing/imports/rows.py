"""A file row and its mapping turned into a typed lead or party, or the reasons it cannot be one.

Values are checked with the rules the rest of the platform uses (crm_core.contact_points for
phones and e-mails, crm_core.requisites for INN, KPP and OGRN, crm_core.untrusted for text
PostgreSQL cannot store, crm_core.fields for lengths), so a row accepted here is not refused later
by contacts for a reason the user could have fixed in the file. Every problem of a row is reported
at once, each as a RowError naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, TypeAlias

from crm_core import fields, requisites
from crm_core.contact_points import NotAContactPoint, email_value, normalize_email, phone_value, stored_phone_digits
from crm_core.errors import FieldProblem, Validator
from crm_core.untrusted import INVALID_TEXT, TEXT_MESSAGE, has_bad_text
from crm_marketing.imports.mapping import Mapping

RowError: TypeAlias = FieldProblem  # (field, code, message): the field is the lead's or party's, or "row"
PartyKind = Literal["company", "person"]

MAX_NAME = fields.MAX_NAME
MAX_TEXT = 2000
MAX_VALUES = fields.MAX_ITEMS

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_SPLIT = re.compile(r"[,;\n]+")
_LIST = re.compile(r"[;\n]+")
# A comma between phones, not one before an extension ("+7 495 123-45-67, доб. 12").
_PHONE_COMMA = re.compile(r",(?!\s*(?:доб|вн|ext|x\b|#))", re.IGNORECASE)
_EMAIL_SPLIT = re.compile(r"[,;\s]+")
_KINDS: dict[str, PartyKind] = {
    **dict.fromkeys(("company", "компания", "организация", "юрлицо", "юр лицо", "юридическое лицо"), "company"),
    **dict.fromkeys(("person", "contact", "контакт", "физлицо", "физ лицо", "физическое лицо", "человек"), "person"),
}
_INN = "INN (10 or 12 digits with check digits)"
_PHONE_KINDS = {"phone": "work", "mobile_phone": "mobile", "home_phone": "home", "fax": "fax"}
_EMAIL_KINDS = {"email": "work", "personal_email": "personal"}


@dataclass(frozen=True)
class ContactPointValue:
    """A phone (E.164, ";ext=" when typed) or e-mail (normalized) with contacts' ContactPoint kind."""

    kind: str
    value: str


@dataclass(frozen=True)
class LeadRow:
    person_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    company_name: str | None = None
    position: str | None = None
    inn: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    comment: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None
    tags: tuple[str, ...] = ()
    owner_email: str | None = None


@dataclass(frozen=True)
class PartyRow:
    """What BulkCreateParties takes of one party; `company_name` is a person's employer (for the job to link)."""

    kind: PartyKind
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    position: str | None = None
    company_name: str | None = None
    short_name: str | None = None
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    phones: tuple[ContactPointValue, ...] = ()
    emails: tuple[ContactPointValue, ...] = ()
    address: str | None = None
    postal_address: str | None = None
    website: str | None = None
    industry: str | None = None
    comment: str | None = None
    tags: tuple[str, ...] = ()
    owner_email: str | None = None


@dataclass
class _Values:
    """A row's cells gathered by field, text already cleaned; bad text recorded in `v`."""

    v: Validator
    by_field: dict[str, list[str]] = field(default_factory=dict)

    def text(self, name: str, limit: int = MAX_NAME) -> str | None:
        joined = " ".join(_SPACES.sub(" ", t) for t in self.by_field.get(name, []))
        return fields.text(self.v, joined, name, limit)

    def long_text(self, name: str) -> str | None:
        return fields.text(self.v, "\n".join(self.by_field.get(name, [])), name, MAX_TEXT)


def clean_cell(text: str) -> str:
    """A cell without control characters other than tab and line feed (CR LF as LF), trimmed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _gather(headers: Sequence[str], cells: Sequence[str], mapping: Mapping) -> _Values:
    values = _Values(Validator())
    for header, cell in zip(headers, cells, strict=False):
        target = mapping.get(header)
        if target is None or not cell:
            continue
        if has_bad_text(cell):
            values.v.add(target, INVALID_TEXT, f"{header}: {TEXT_MESSAGE}")
            continue
        text = clean_cell(cell)
        if text:
            values.by_field.setdefault(target, []).append(text)
    return values


def _phones(values: _Values, name: str) -> list[str]:
    """Phones in the field's cells: lists split by ";", line breaks and commas (not the comma before "доб.")."""
    result: list[str] = []
    for cell in values.by_field.get(name, []):
        for part in (p.strip() for chunk in _LIST.split(cell) for p in _PHONE_COMMA.split(chunk)):
            if not part:
                continue
            try:
                result.append(phone_value(part))
            except NotAContactPoint as exc:
                values.v.add(name, "invalid_phone", f"{part!r} is not a phone number: {exc}")
    return result


def _emails(values: _Values, name: str) -> list[str]:
    result: list[str] = []
    for cell in values.by_field.get(name, []):
        for part in filter(None, _EMAIL_SPLIT.split(cell)):
            try:
                result.append(email_value(part))
            except NotAContactPoint as exc:
                values.v.add(name, "invalid_email", f"{part!r} is not an e-mail address: {exc}")
    return result


def _tags(values: _Values) -> tuple[str, ...]:
    tags = [t.strip() for cell in values.by_field.get("tags", []) for t in _SPLIT.split(cell) if t.strip()]
    return tuple(fields.codes(values.v, tags, "tags"))


def _registration_id(values: _Values, name: str, valid: Callable[[str], bool], what: str) -> str | None:
    """An INN, KPP or OGRN without the spaces people type into it, when its format and check digits hold."""
    raw = values.text(name, 32)
    if raw is None:
        return None
    value = requisites.compact(raw)
    if not valid(value):
        values.v.add(name, f"invalid_{name}", f"{raw!r} is not a valid {what}")
        return None
    return value


def _owner_email(values: _Values) -> str | None:
    emails = _emails(values, "owner_email")
    return emails[0] if emails else None


def _deduplicated(items: list[str], key: Callable[[str], str]) -> tuple[str, ...]:
    """Values without repeats as duplicates compare them (the same number typed twice, an address in two cases)."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())[:MAX_VALUES]


def parse_lead_row(headers: Sequence[str], cells: Sequence[str], mapping: Mapping) -> LeadRow | list[RowError]:
    """The lead a row describes, or every problem it has; a lead needs a name, a company, an e-mail or a phone."""
    values = _gather(headers, cells, mapping)
    row = LeadRow(
        person_name=values.text("person_name"),
        first_name=values.text("first_name"),
        last_name=values.text("last_name"),
        middle_name=values.text("middle_name"),
        company_name=values.text("company_name"),
        position=values.text("position"),
        inn=_registration_id(values, "inn", requisites.is_valid_inn, _INN),
        emails=_deduplicated(_emails(values, "email"), normalize_email),
        phones=_deduplicated(_phones(values, "phone"), stored_phone_digits),
        comment=values.long_text("comment"),
        utm_source=values.text("utm_source"),
        utm_medium=values.text("utm_medium"),
        utm_campaign=values.text("utm_campaign"),
        utm_content=values.text("utm_content"),
        utm_term=values.text("utm_term"),
        tags=_tags(values),
        owner_email=_owner_email(values),
    )
    if not values.v.problems and not (
        row.person_name or row.first_name or row.last_name or row.company_name or row.emails or row.phones
    ):
        values.v.add("row", "required", "a lead needs a name, a company, an e-mail or a phone")
    return values.v.problems or row


def parse_party_row(
    headers: Sequence[str], cells: Sequence[str], mapping: Mapping, default_kind: PartyKind = "person"
) -> PartyRow | list[RowError]:
    """The party a row describes, or every problem it has.

    Its kind is the "kind" column's ("компания", "физлицо", ...) or else `default_kind` (what the
    user said the file holds). A company needs a name; a person a name or a first or last name.
    """
    values = _gather(headers, cells, mapping)
    kind = default_kind
    kind_text = values.text("kind")
    if kind_text is not None:
        if kind_text.casefold() not in _KINDS:
            values.v.add("kind", "invalid_kind", f"{kind_text!r} is neither a company nor a person")
        kind = _KINDS.get(kind_text.casefold(), default_kind)
    row = PartyRow(
        kind=kind,
        name=values.text("name"),
        first_name=values.text("first_name"),
        last_name=values.text("last_name"),
        middle_name=values.text("middle_name"),
        position=values.text("position"),
        company_name=values.text("company_name"),
        short_name=values.text("short_name"),
        inn=_registration_id(values, "inn", requisites.is_valid_inn, _INN),
        kpp=_registration_id(values, "kpp", requisites.is_valid_kpp, "KPP (9 characters)"),
        ogrn=_registration_id(values, "ogrn", requisites.is_valid_ogrn, "OGRN (13 or 15 digits with a check digit)"),
        phones=_points([(k, p) for f, k in _PHONE_KINDS.items() for p in _phones(values, f)], stored_phone_digits),
        emails=_points([(k, e) for f, k in _EMAIL_KINDS.items() for e in _emails(values, f)], normalize_email),
        address=values.text("address", MAX_TEXT),
        postal_address=values.text("postal_address", MAX_TEXT),
        website=values.text("website"),
        industry=values.text("industry"),
        comment=values.long_text("comment"),
        tags=_tags(values),
        owner_email=_owner_email(values),
    )
    if kind == "company" and row.name is None and row.company_name is not None:
        row = _with_company_name_as_name(row)
    named = row.name or (kind == "person" and (row.first_name or row.last_name))
    if not values.v.problems and not named:
        need = "a name" if kind == "company" else "a name, a first name or a last name"
        values.v.add("name", "required", f"a {kind} needs {need}")
    return values.v.problems or row


def _with_company_name_as_name(row: PartyRow) -> PartyRow:
    """A company row whose name came in a "company name" column (Bitrix24's "Название компании")."""
    return replace(row, name=row.company_name, company_name=None)


def _points(items: list[tuple[str, str]], key: Callable[[str], str]) -> tuple[ContactPointValue, ...]:
    """Contact points without repeats (the same number in two columns is one), first kind kept, at most MAX_VALUES."""
    seen: dict[str, ContactPointValue] = {}
    for kind, value in items:
        seen.setdefault(key(value), ContactPointValue(kind, value))
    return tuple(seen.values())[:MAX_VALUES]


def dedup_keys(row: LeadRow | PartyRow) -> tuple[str, ...]:
    """Keys two rows of one file share when they describe the same lead or party:
    "email:<lower-cased>", "phone:<E.164 digits>", "inn:<digits>" (and "ogrn:" for parties).
    """
    if isinstance(row, LeadRow):
        emails, phones = row.emails, row.phones
        ids = [("inn", row.inn)]
    else:
        emails = tuple(p.value for p in row.emails)
        phones = tuple(p.value for p in row.phones)
        ids = [("inn", row.inn), ("ogrn", row.ogrn)]
    keys = [f"{name}:{value}" for name, value in ids if value]
    keys += [f"email:{normalize_email(e)}" for e in emails]
    keys += [f"phone:{stored_phone_digits(p)}" for p in phones]
    return tuple(dict.fromkeys(keys))
