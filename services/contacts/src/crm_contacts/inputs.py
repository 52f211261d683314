"""Typed inputs of the contacts commands, each parsed once from its protobuf message.

A parse function applies every rule a value can be judged by on its own
(domain.py's: requisites, phones, e-mails, codes, lengths) and raises
InvalidArgument naming each bad field; what it returns is a frozen dataclass
the commands take as it is. Rules that need stored data are applied where
that data is: custom field definitions and relationship types against the
stored ones (`checked_against`), an update against the party it changes
(`PartyChanges.applied_to`), a link against the kinds of its parties, a
saved filter by counting once (commands.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts import domain, search
from crm_core import custom_fields
from crm_core.contact_points import NotAContactPoint, normalize_email, phone_value, stored_phone_digits
from crm_core.errors import InvalidArgument, Validator, invalid
from crm_core.protojson import to_dict
from crm_core.requisites import compact
from crm_core.resources import is_named, with_fields

MAX_MENTIONS = domain.MAX_ITEMS


@dataclass(frozen=True)
class ContactPoint:
    """A phone (E.164), e-mail or messenger handle of a party."""

    kind: str
    value: str
    label: str = ""
    primary: bool = False


@dataclass(frozen=True)
class BankAccount:
    """A company's account: BIC, and accounts agreeing with its control key."""

    bank_name: str = ""
    bic: str = ""
    checking_account: str = ""
    correspondent_account: str = ""


@dataclass(frozen=True)
class Need:
    """A product the party needs, and whether we offer it."""

    product: str
    we_offer: bool = False
    note: str = ""


@dataclass(frozen=True)
class RefusalReason:
    """Why the party said no (a code of the list), with when, if known."""

    code: str
    note: str = ""
    occurred_at: str | None = None


@dataclass(frozen=True)
class PartyFields:
    """The editable fields of a party, as the table holds them, each valid by itself.

    display_name empty means derived (from the company's or person's names);
    custom_fields are the values as given, judged against their stored
    definitions by `checked_against`.
    """

    display_name: str = ""
    legal_name: str | None = None
    short_name: str | None = None
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    legal_address: str | None = None
    postal_address: str | None = None
    bank_accounts: tuple[BankAccount, ...] = ()
    industry: str | None = None
    size: str | None = None
    website: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    position: str | None = None
    phones: tuple[ContactPoint, ...] = ()
    emails: tuple[ContactPoint, ...] = ()
    messengers: tuple[ContactPoint, ...] = ()
    tags: tuple[str, ...] = ()
    relationship_types: tuple[str, ...] = ()
    owner_id: str | None = None
    team_id: str | None = None
    shared_with: tuple[str, ...] = ()
    custom_fields: Mapping[str, Any] = field(default_factory=dict)
    needs: tuple[Need, ...] = ()
    purchase_amount: Decimal | None = None
    purchase_currency: str | None = None
    purchase_period: str | None = None
    season_months: tuple[int, ...] = ()
    payment_discipline: str = "unknown"
    refusal_reasons: tuple[RefusalReason, ...] = ()
    obstacles: tuple[str, ...] = ()

    @classmethod
    def from_columns(cls, cols: Mapping[str, Any]) -> PartyFields:
        """The fields of checked or stored columns (the inverse of `values`)."""
        items = {
            "bank_accounts": BankAccount,
            "phones": ContactPoint,
            "emails": ContactPoint,
            "messengers": ContactPoint,
            "needs": Need,
            "refusal_reasons": RefusalReason,
        }
        given: dict[str, Any] = {}
        for f in fields(cls):
            value = cols.get(f.name)
            if f.name in items:
                value = tuple(_item(items[f.name], item) for item in value or [])
            elif f.name in ("tags", "relationship_types", "shared_with", "season_months", "obstacles"):
                value = tuple(value or ())
            elif f.name in ("display_name", "payment_discipline", "custom_fields") and not value:
                continue
            given[f.name] = value
        return cls(**given)

    def values(self) -> dict[str, Any]:
        """The party table's columns these fields set (lists of JSON objects as the table stores them)."""
        cols: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [_plain(item) for item in value]
            elif f.name == "custom_fields":
                value = dict(value)
            cols[f.name] = value
        return cols


@dataclass(frozen=True)
class PartyDraft:
    """A new company or person: every field valid by itself, the details fitting the kind, a name."""

    kind: str
    fields: PartyFields


@dataclass(frozen=True)
class PartyChanges:
    """An UpdateParty: the mask's paths and, for those, the new values (unmasked ones are ignored).

    `unparsed_phones` are masked phones that are no number ((path, value,
    why)): they may stay only if the party already has them, which
    `applied_to` decides. Migration 0004 kept such phones as typed
    ("123-45-67"); refusing them would block every later change of the
    phones, so sent back unchanged they stay and a new or changed one is refused.
    """

    paths: tuple[str, ...]
    values: PartyFields
    unparsed_phones: tuple[tuple[str, str, str], ...] = ()

    def columns(self) -> tuple[str, ...]:
        """The columns the mask replaces."""
        names = (domain.MASKED_COLUMNS.get(path, (path.rpartition(".")[2],)) for path in self.paths)
        return tuple(dict.fromkeys(column for group in names for column in group))

    def applied_to(self, kind: str, current: PartyFields) -> PartyFields:
        """`current` with the masked columns replaced (absent values clear them), judged as a whole party.

        A display name that merely repeats the derived one should be left out
        of `current` (see `current_fields`), so renaming derives it again.
        """
        v = Validator()
        stored = {p.value for p in current.phones}
        for path, value, why in self.unparsed_phones:
            if value not in stored:
                v.add(path, "invalid", f"{path} '{value}' is not valid: {why}")
        result = with_fields(current, self.values, self.columns())
        domain.record_problems(v, kind, result.values())
        v.raise_if_any()
        return result


@dataclass(frozen=True)
class NoteDraft:
    """An AddNote: text (trimmed, 1..20000 characters) and distinct mentioned user ids (at most 50)."""

    party_id: str
    text: str
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkDraft:
    """A LinkPerson: the person at the company, in a role (at most 300 characters)."""

    company_id: str
    person_id: str
    role: str = ""


@dataclass(frozen=True)
class Merge:
    """A MergeParties: fold `merged_id` into `survivor_id` (two different parties)."""

    survivor_id: str
    merged_id: str
    expected_survivor_version: int = 0


@dataclass(frozen=True)
class SavedFilterDraft:
    """A CreateSavedFilter: a name (1..300 characters), a query, filters and a sort that parse."""

    name: str
    query: str = ""
    filters: tuple[tuple[str, str, str], ...] = ()
    sort: str = ""
    shared: bool = False


def parse_party_draft(message: pb.Party) -> PartyDraft:
    """A CreateParty's party (or a FindDuplicates candidate): kind first, then every field at once."""
    kind = message.kind
    if kind not in domain.KINDS:
        raise invalid("kind", "not_allowed", "kind must be 'company' or 'person'")
    data = to_dict(message)
    v = Validator()
    cols = domain.party_values(v, data, kind)
    if kind == "company" and data.get("person"):
        v.add("person", "not_allowed", "a company has no person details")
    if kind == "person" and data.get("company"):
        v.add("company", "not_allowed", "a person has no company details")
    domain.record_problems(v, kind, cols)
    v.raise_if_any()
    return PartyDraft(kind, PartyFields.from_columns(cols))


def parse_party_drafts(messages: Sequence[pb.Party]) -> list[PartyDraft | InvalidArgument]:
    """A BulkCreateParties' parties, each parsed as CreateParty's; a bad one is its error (the others go on)."""
    if len(messages) > domain.MAX_BULK:
        raise invalid("parties", "too_many", f"at most {domain.MAX_BULK} parties in one request")
    drafts: list[PartyDraft | InvalidArgument] = []
    for message in messages:
        try:
            drafts.append(parse_party_draft(message))
        except InvalidArgument as exc:
            drafts.append(exc)
    return drafts


def parse_party_changes(request: pb.UpdatePartyRequest) -> PartyChanges:
    """An UpdateParty: the mask checked first, then each masked field; a party keeps an owner."""
    paths = tuple(domain.PARTY_MASK.check(request.update_mask.paths))
    unparsed: dict[str, str] = {}

    def phone(raw: str) -> str:
        """phone_value, except that a phone that is no number is kept for applied_to to judge."""
        try:
            return phone_value(raw)
        except NotAContactPoint as exc:
            unparsed[raw] = str(exc)
            return raw

    data = to_dict(request.party)
    whole = Validator()
    cols = domain.party_values(whole, data, phone=phone)
    v = Validator()
    for problem in whole.problems:
        if is_named(paths, _mask_path(problem.field)):
            v.problems.append(problem)
    if "owner_id" in paths and not cols["owner_id"] and not any(p.field == "owner_id" for p in v.problems):
        v.add("owner_id", "required", "a party must have an owner")
    v.raise_if_any()
    # Every phone parsed (else the request failed above), so their indexes are the request's.
    phones = tuple(
        (f"phones[{i}].value", p["value"], unparsed[p["value"]])
        for i, p in enumerate(cols["phones"])
        if p["value"] in unparsed
    )
    return PartyChanges(paths, PartyFields.from_columns(cols), phones if is_named(paths, "phones") else ())


def current_fields(kind: str, cols: Mapping[str, Any]) -> PartyFields:
    """A stored party's fields as an update starts from them: a display name equal to the derived one left out."""
    current = PartyFields.from_columns(cols)
    if cols.get("display_name") == domain.derive_display_name(kind, cols):
        current = replace(current, display_name="")
    return current


def checked_against(
    values: PartyFields,
    custom_field_defs: Mapping[str, Mapping[str, Any]],
    relationship_codes: Iterable[str],
    changed_custom_keys: Iterable[str] | None = None,
) -> PartyFields:
    """`values` judged by the stored definitions: custom fields (normalized) and relationship types.

    `custom_field_defs` are the active definitions for the party's kind by
    key; only `changed_custom_keys` (all when None) face the archived check;
    `relationship_codes` are the types a party may be given.
    """
    v = Validator()
    domain.unknown_relationship_types(v, values.relationship_types, relationship_codes)
    checked = custom_fields.validate_values(v, dict(values.custom_fields), custom_field_defs, changed_custom_keys)
    v.raise_if_any()
    return replace(values, custom_fields=checked)


def parse_note_draft(request: pb.AddNoteRequest) -> NoteDraft:
    """An AddNote: the text trimmed and required, the mentions at most 50 (repeats dropped)."""
    text = request.text.strip()
    if not text:
        raise invalid("text", "required", "a note needs text")
    if len(text) > domain.MAX_NOTE:
        raise invalid("text", "too_long", f"a note must be at most {domain.MAX_NOTE} characters")
    if len(request.mentions) > MAX_MENTIONS:
        raise invalid("mentions", "too_many", f"at most {MAX_MENTIONS} mentions")
    return NoteDraft(request.party_id, text, tuple(dict.fromkeys(request.mentions)))


def parse_link_draft(request: pb.LinkPersonRequest) -> LinkDraft:
    """A LinkPerson: the role at most 300 characters (the kinds of the parties are the command's)."""
    if len(request.role) > domain.MAX_NAME:
        raise invalid("role", "too_long", f"role must be at most {domain.MAX_NAME} characters")
    return LinkDraft(request.company_id, request.person_id, request.role)


def parse_merge(request: pb.MergePartiesRequest) -> Merge:
    """A MergeParties: a party is never merged into itself."""
    if request.survivor_id == request.merged_id:
        raise invalid("merged_id", "same_party", "a party cannot be merged into itself")
    return Merge(request.survivor_id, request.merged_id, request.expected_survivor_version)


def parse_saved_filter_draft(message: pb.SavedFilter) -> SavedFilterDraft:
    """A CreateSavedFilter: a name, and a sort that parses (the filters are tried by the command)."""
    name = message.name.strip()
    if not name or len(message.name) > domain.MAX_NAME:
        raise invalid("name", "required", f"name is required (at most {domain.MAX_NAME} characters)")
    search.check_sort(message.sort, message.query)
    return SavedFilterDraft(
        name,
        message.query,
        tuple((f.field, f.op, f.value) for f in message.filters),
        message.sort,
        message.shared,
    )


def _mask_path(problem_field: str) -> str:
    """The message path of a problem's field: "phones[2].value" -> "phones.value"."""
    return ".".join(part.partition("[")[0] for part in problem_field.split("."))


def _item(kind: type[Any], stored: Mapping[str, Any]) -> Any:
    """A list item of a JSON column as its dataclass; keys it does not know (written before it) are left out."""
    known = {f.name for f in fields(kind)}
    return kind(**{key: value for key, value in stored.items() if key in known})


def _plain(item: Any) -> Any:
    """A list item as the table stores it: a JSON object without unset optional keys."""
    if not hasattr(item, "__dataclass_fields__"):
        return item
    return {key: value for key, value in asdict(item).items() if value is not None}


def party_keys(request: pb.FindPartiesByKeysRequest) -> tuple[list[str], list[str], list[str]]:
    """The keys of a FindPartiesByKeys as stored parties hold them: INN digits, normalized e-mails, phone digits.

    At most MAX_BULK of each; empty values are dropped, repeats kept once.
    """
    v = Validator()
    for name in ("inns", "emails", "phones"):
        if len(getattr(request, name)) > domain.MAX_BULK:
            v.add(name, "too_many", f"at most {domain.MAX_BULK} {name} in one request")
    v.raise_if_any()
    inns = sorted({compact(i) for i in request.inns if i.strip()})
    emails = sorted({normalize_email(e) for e in request.emails if e.strip()})
    phones = sorted({stored_phone_digits(p.strip()) for p in request.phones if p.strip()})
    return inns, emails, [p for p in phones if p]
