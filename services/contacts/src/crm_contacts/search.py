"""Party search: full-text + fuzzy query, filters (incl. custom fields and client knowledge), sort."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Numeric, and_, cast, false, func, literal, literal_column, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from crm_contacts.models import Party
from crm_contacts.names import name_key
from crm_core import custom_fields
from crm_core.contact_points import normalize_email, normalize_phone
from crm_core.errors import invalid
from crm_core.filtering import FieldSpec, condition
from crm_core.resources import Band, Order, SortKey, SortSpec

_TEXT = {
    c: FieldSpec(getattr(Party, c))
    for c in (
        "kind",
        "display_name",
        "legal_name",
        "short_name",
        "inn",
        "kpp",
        "ogrn",
        "industry",
        "size",
        "website",
        "first_name",
        "last_name",
        "middle_name",
        "position",
        "owner_id",
        "team_id",
        "payment_discipline",
        "purchase_currency",
        "purchase_period",
        "legal_address",
    )
}
FIELDS: dict[str, FieldSpec] = {
    **_TEXT,
    # Party message paths are accepted as aliases of their columns.
    **{
        f"company.{c}": _TEXT[c]
        for c in ("legal_name", "short_name", "inn", "kpp", "ogrn", "industry", "size", "website", "legal_address")
    },
    **{f"person.{c}": _TEXT[c] for c in ("first_name", "last_name", "middle_name", "position")},
    "created_at": FieldSpec(Party.created_at, "datetime"),
    "updated_at": FieldSpec(Party.updated_at, "datetime"),
    "deleted_at": FieldSpec(Party.deleted_at, "datetime"),
    "purchase_amount": FieldSpec(Party.purchase_amount, "number"),
    "tags": FieldSpec(Party.tags, "text_array"),
    "relationship_types": FieldSpec(Party.relationship_types, "text_array"),
    "season_months": FieldSpec(Party.season_months, "int_array"),
    "obstacles": FieldSpec(Party.obstacles, "text_array"),
    "email": FieldSpec(Party.emails_norm, "text_array"),
    "phone": FieldSpec(Party.phones_norm, "text_array"),
}


def _jsonb_contains(column: Any, item: Mapping[str, Any]) -> ColumnElement[bool]:
    return column.op("@>")(literal([dict(item)], JSONB))


def filter_condition(
    field: str, op: str, value: str, where: str, custom_types: Mapping[str, str]
) -> ColumnElement[bool]:
    """SQL for one filter; knows custom fields ("cf.<key>") and client-knowledge lists."""
    if field in ("need", "unmet_need", "refusal_reason"):
        if op not in ("eq", "in"):
            raise invalid(where, "unsupported_operator", f"{where}: '{field}' takes eq or in")
        column, key = (Party.refusal_reasons, "code") if field == "refusal_reason" else (Party.needs, "product")
        extra = {"we_offer": False} if field == "unmet_need" else {}
        values = [v.strip() for v in value.split(",") if v.strip()] if op == "in" else [value]
        return or_(*(_jsonb_contains(column, {key: v, **extra}) for v in values))
    if field.startswith("cf."):
        return custom_fields.filter_condition(Party.custom_fields, field[3:], op, value, where, custom_types)
    if field in ("phone", "email") and op in ("eq", "in"):
        normalize = normalize_phone if field == "phone" else str.lower
        value = ",".join(normalize(v) for v in value.split(","))
    spec = FIELDS.get(field)
    if spec is None:
        raise invalid(where, "unknown_filter_field", f"{where}: cannot filter on '{field}'")
    return condition(spec, op, value, where)


def filter_conditions(
    filters: Sequence[tuple[str, str, str]], custom_types: Mapping[str, str]
) -> list[ColumnElement[bool]]:
    return [filter_condition(f, op, v, f"filters[{i}]", custom_types) for i, (f, op, v) in enumerate(filters)]


_WORD = re.compile(r"[\w@.+-]+", re.UNICODE)
# A query made of digits and what people type between them: a phone, an INN or an OGRN.
_NUMBER = re.compile(r"^[\d\s()+.-]+$")

# Fuzzy matches: the nearest names by word similarity, at most this many, at least this close
# (the contacts database's pg_trgm.word_similarity_threshold, migration 0007).
FUZZY_CANDIDATES = 200
FUZZY_FLOOR = 0.4


def prefix_tsquery(query: str) -> str:
    """'ром кот' -> 'ром:* & кот:*' (search as you type)."""
    words = [re.sub(r"[\W_]", "", w) for w in _WORD.findall(query.lower())]
    return " & ".join(f"{w}:*" for w in words if w)


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _name_key_c() -> ColumnElement[str]:
    # The C collation makes the b-tree (ix_party_name_key_c) answer both = and LIKE 'prefix%', in order.
    return Party.name_key.collate("C")


def _identifiers(text: str) -> list[ColumnElement[bool]]:
    """Exact lookups a query may be: an INN, an OGRN, an e-mail, or digits of a phone number."""
    clauses: list[ColumnElement[bool]] = []
    if "@" in text:
        clauses.append(Party.emails_norm.contains([normalize_email(text)]))
    if _NUMBER.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) in (10, 12):
            clauses.append(Party.inn == digits)
        if len(digits) in (13, 15):
            clauses.append(Party.ogrn == digits)
        if len(digits) >= 4:
            # A whole number ("8 916 123-45-67") as stored; a part of one ("45-67") as its digits.
            fragment = normalize_phone(text) if len(digits) >= 10 else digits
            clauses.append(Party.phone_digits.like(f"%{fragment}%"))
    return clauses


@dataclass(frozen=True)
class Match:
    """What a search text matches, best first; bands left out (None) cannot match this text."""

    key: str
    # The whole name, or a registration id, e-mail or phone.
    exact: ColumnElement[bool] | None
    # Names that start with the text.
    leading: ColumnElement[bool] | None
    # Every word of the text starts a word of the party (names, ids, e-mails, phones, tags).
    words: ColumnElement[bool] | None

    def any(self) -> ColumnElement[bool]:
        """The rows of every exact band (the fuzzy one left out), false when there is none."""
        bands = [b for b in (self.exact, self.leading, self.words) if b is not None]
        return or_(*bands) if bands else false()

    def fuzzy(self) -> ColumnElement[bool] | None:
        """Names among the FUZZY_CANDIDATES nearest the text by word similarity, in the whole base.

        The GiST index reads them nearest first, skips what `<%` (the database's threshold)
        rules out, and stops at FUZZY_CANDIDATES, so a text close to nothing or to a hundred
        thousand names costs the same. The caller's access and filters apply to those few
        afterwards: inside the scan they would make it read on past every name they hide.
        A number (an INN, a phone) has no fuzzy matches.
        """
        if not self.key or self.key.replace(" ", "").isdigit():
            return None
        nearest = (
            select(Party.id)
            .where(literal(self.key).op("<%")(Party.name_key))
            .order_by(literal(self.key).op("<<->")(Party.name_key))
            .limit(FUZZY_CANDIDATES)
        )
        return and_(Party.id.in_(nearest.scalar_subquery()), self.similarity() >= FUZZY_FLOOR)

    def similarity(self) -> ColumnElement[Any]:
        # Rounded so a cursor compares exactly.
        return func.round(cast(func.word_similarity(self.key, Party.name_key), Numeric), 6)


def match(query: str) -> Match:
    text = query.strip().lower()
    key = name_key(text)
    identifiers = _identifiers(text)
    if key:
        identifiers.append(_name_key_c() == key)
    tsquery = prefix_tsquery(text)
    return Match(
        key=key,
        exact=or_(*identifiers) if identifiers else None,
        leading=_name_key_c().like(_like_prefix(key)) if key else None,
        words=Party.search_tsv.op("@@")(func.to_tsquery("simple", tsquery)) if tsquery else None,
    )


def bands(m: Match, caller_sees_all: bool) -> list[Band]:
    """The relevance order: exact matches, names starting with the text, word matches, similar names.

    Within a band: the newest change first, names alphabetically, the most similar first.

    The exact band (a few rows) is fetched through its own indexes and sorted, never found by
    walking the whole table in update order. So is the word band for a caller who sees only
    part of the base: walking in update order until a page of visible matches turns up reads
    the whole table when the matches are someone else's. An admin's word band walks that
    order, which for a common word finds its page at once.
    """
    found: list[Band] = []
    if m.exact is not None:
        found.append(Band(m.exact, _newest("parties:exact", indexed=False)))
    if m.leading is not None:
        by_name = Order("parties:leading", [(_name_key_c(), False), (Party.id, False)], ["text", "uuid"])
        found.append(Band(m.leading, by_name))
    if m.words is not None:
        found.append(Band(m.words, _newest("parties:words", indexed=caller_sees_all)))
    fuzzy = m.fuzzy()
    if fuzzy is not None:
        similar = Order("parties:similar", [(m.similarity(), True), (Party.id, False)], ["decimal", "uuid"])
        found.append(Band(fuzzy, similar))
    return found


def _newest(signature: str, *, indexed: bool) -> Order:
    # `updated_at + 0 s` sorts the same, but the planner cannot read it from ix_party_updated in order.
    updated = Party.updated_at if indexed else Party.updated_at + literal_column("interval '0 s'")
    return Order(signature, [(updated, True), (Party.id, True)], ["datetime", "uuid"])


# Parties sort by these keys; with a query and no other sort (or "relevance"), by relevance bands.
SORT = SortSpec[str](
    "parties",
    {
        "created_at": SortKey("datetime", Party.created_at),
        "updated_at": SortKey("datetime", Party.updated_at),
        "display_name": SortKey("text", Party.display_name),
    },
    default="-updated_at",
    tie_breaker=Party.id,
)


def ranked(sort: str, query: str) -> bool:
    """Whether a listing is ordered by relevance (bands) rather than by sort keys.

    "relevance" (either direction: it has one sensible order) stands alone and needs a query.
    """
    terms = [t.strip().lstrip("-") for t in sort.split(",") if t.strip()]
    if "relevance" not in terms:
        return bool(query.strip()) and not terms
    if not query.strip():
        raise invalid("sort", "relevance_needs_query", "sorting by relevance needs a query")
    if terms != ["relevance"]:
        raise invalid("sort", "relevance_alone", "relevance cannot be combined with other sort keys")
    return True


def check_sort(sort: str, query: str) -> None:
    """A sort a listing with `query` accepts (INVALID_ARGUMENT naming the fault otherwise)."""
    if not ranked(sort, query):
        SORT.parse(sort, "")
