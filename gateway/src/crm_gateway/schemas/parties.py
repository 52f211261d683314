"""REST shapes of parties and what hangs off them (mirror crm.contacts.v1).

They check shape only: types, and lengths as a sanity bound no longer than the contacts
service's own. Whether a phone, an e-mail, an INN, an OGRN, a KPP, a BIC or an account is
valid is the service's rule, answered with its code (`invalid`, `invalid_inn`, ...), so that
a value is accepted or refused the same way through REST and through gRPC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from crm_gateway.schemas.common import FilterSpec, Out, Strict

Name = Field(None, max_length=300)
ShortText = Field(None, max_length=100)
LongText = Field(None, max_length=2000)


class ContactPoint(Strict):
    kind: str | None = Field(
        None,
        max_length=32,
        description="phones: work/mobile/home/fax/other; emails: work/personal/other; messengers: telegram/whatsapp/viber/vk/skype/other",
    )
    value: str = Field(
        max_length=300,
        description='Phones: any format, Russian unless it starts with "+" and a country code; returned in E.164 '
        '("+74951234567", ";ext=12" for an extension). E-mails: returned normalized.',
    )
    label: str | None = ShortText
    primary: bool = False
    display: str | None = Field(
        None,
        max_length=300,
        description='Output only, ignored on input: the phone formatted for reading ("+7 495 123-45-67")',
    )


class BankAccount(Strict):
    bank_name: str | None = Name
    bic: str | None = Field(None, max_length=300, description="9 digits (БИК)")
    checking_account: str | None = Field(
        None, max_length=300, description="20 digits, control key checked against the BIC"
    )
    correspondent_account: str | None = Field(None, max_length=300, description="20 digits, checked against the BIC")


class CompanyDetails(Strict):
    legal_name: str | None = Name
    short_name: str | None = Name
    inn: str | None = Field(
        None, max_length=20, description="10 digits (organisation) or 12 (sole trader), check digits verified"
    )
    kpp: str | None = Field(None, max_length=20, description="9 characters: 4 digits, 2 digits or capitals, 3 digits")
    ogrn: str | None = Field(None, max_length=20, description="13 digits (ОГРН) or 15 (ОГРНИП), check digit verified")
    legal_address: str | None = LongText
    postal_address: str | None = LongText
    bank_accounts: list[BankAccount] | None = Field(None, max_length=50)
    industry: str | None = Name
    size: Literal["1-10", "11-50", "51-250", "251-1000", "1000+"] | None = None
    website: str | None = Name


class PersonDetails(Strict):
    first_name: str | None = Name
    last_name: str | None = Name
    middle_name: str | None = Name
    position: str | None = Name


class Need(Strict):
    product: str = Field(max_length=300)
    we_offer: bool = False
    note: str | None = LongText


class PurchaseVolume(Strict):
    amount: str | None = Field(
        None, max_length=30, description='Decimal as text, at least 0, up to 2 places: "150000.00"'
    )
    currency: str | None = Field(None, max_length=3, description="ISO 4217, e.g. RUB")
    period: Literal["month", "quarter", "year"] | None = None


class RefusalReason(Strict):
    code: str = Field(max_length=64)
    note: str | None = LongText
    occurred_at: datetime | None = None


class ClientKnowledge(Strict):
    needs: list[Need] | None = Field(None, max_length=50)
    purchase_volume: PurchaseVolume | None = None
    season_months: list[int] | None = Field(
        None, max_length=50, description="Months 1-12 in which the client buys most"
    )
    payment_discipline: Literal["unknown", "punctual", "minor_delays", "chronic_delays", "defaulted"] | None = None
    refusal_reasons: list[RefusalReason] | None = Field(None, max_length=50)
    obstacles: list[str] | None = Field(None, max_length=50)


class PartyFields(Strict):
    display_name: str | None = Name
    company: CompanyDetails | None = None
    person: PersonDetails | None = None
    phones: list[ContactPoint] | None = Field(None, max_length=50)
    emails: list[ContactPoint] | None = Field(None, max_length=50)
    messengers: list[ContactPoint] | None = Field(None, max_length=50)
    tags: list[str] | None = Field(None, max_length=50)
    relationship_types: list[str] | None = Field(None, max_length=50)
    owner_id: str | None = Field(None, max_length=64)
    team_id: str | None = Field(None, max_length=64)
    shared_with: list[str] | None = Field(None, max_length=50)
    custom_fields: dict[str, Any] | None = None
    knowledge: ClientKnowledge | None = None


class PartyCreate(PartyFields):
    kind: Literal["company", "person"]


class PartyPatch(PartyFields):
    """JSON merge patch: fields present are replaced (nested objects merge), null clears."""


class PartyLinkOut(Out):
    company_id: str
    person_id: str
    role: str = ""
    company_name: str = ""
    person_name: str = ""


class PartyOut(Out):
    id: str
    kind: str
    display_name: str
    company: dict[str, Any] | None = None
    person: dict[str, Any] | None = None
    phones: list[dict[str, Any]] = []
    emails: list[dict[str, Any]] = []
    messengers: list[dict[str, Any]] = []
    tags: list[str] = []
    relationship_types: list[str] = []
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    custom_fields: dict[str, Any] = {}
    knowledge: dict[str, Any] = {}
    links: list[PartyLinkOut] = []
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    created_by: str = ""
    merged_into_id: str = ""


class DuplicateOut(Out):
    party: PartyOut
    reasons: list[str]
    score: float


class PartyCreated(PartyOut):
    possible_duplicates: list[DuplicateOut] = []


class PartyBulkCreate(Strict):
    items: list[PartyCreate] = Field(
        max_length=1000, description="At most 1000 parties, each as POST /api/v1/parties takes it"
    )
    on_duplicate: Literal["create", "skip"] = Field(
        "create",
        description="create: a party with the INN/OGRN of a visible party (or of an earlier item) is not created, "
        "other look-alikes are created and listed; skip: a same INN, OGRN, e-mail or phone is not created "
        "(a same name never blocks, it is listed)",
    )


class BulkDuplicateOut(Out):
    id: str = Field(description="The party it looks like")
    reasons: list[str] = Field(description='"inn", "ogrn", "email", "phone", "name"')
    item: int | None = Field(None, description="Index of an earlier item of this request, when the party is one")


class BulkErrorOut(Out):
    code: str
    detail: str
    errors: list[dict[str, str]] = Field(
        [], description="Invalid fields of the item: field (path within it), code, message"
    )


class BulkItemOut(Out):
    outcome: Literal["created", "duplicate", "rejected"]
    id: str | None = Field(None, description="The new party (created)")
    duplicates: list[BulkDuplicateOut] = Field(
        [], description="duplicate: what blocked it; created: look-alikes that did not"
    )
    error: BulkErrorOut | None = Field(None, description="duplicate and rejected: why it was not created")


class PartyBulkCreated(Out):
    items: list[BulkItemOut] = Field(description="One per request item, in order")


class MergeRequest(Strict):
    merged_id: str = Field(max_length=64, description="The party folded into this one; it is deleted afterwards")


class LinkRequest(Strict):
    role: str = Field("", max_length=300)


class NoteCreate(Strict):
    text: str = Field(min_length=1, max_length=20000)
    mentions: list[str] = Field(default_factory=list, max_length=50, description="User ids to notify")


class NoteOut(Out):
    id: str
    party_id: str
    author_id: str
    text: str
    mentions: list[str] = []
    created_at: datetime


class TimelineEntryOut(Out):
    id: str
    event_id: str
    type: str
    source: str
    occurred_at: datetime
    actor_id: str = ""
    subject_id: str = ""
    # English, by the publisher: clients show it only for types they cannot draw from `data`.
    summary: str = ""
    # The event's payload (proto field names; amounts as decimal text, times as RFC 3339 with offset), for
    # clients to write the entry in the reader's language and time zone; null on entries older than it.
    data: dict[str, Any] | None = None


class SavedFilterCreate(Strict):
    name: str = Field(min_length=1, max_length=300)
    query: str = Field("", max_length=200)
    filters: list[FilterSpec] = Field(default_factory=list, max_length=30)
    sort: str = Field("", max_length=100)
    shared: bool = False


class SavedFilterOut(Out):
    id: str
    owner_id: str
    name: str
    query: str = ""
    filters: list[FilterSpec] = []
    sort: str = ""
    shared: bool = False


class CountByKey(Out):
    key: str
    count: int


class KnowledgeReportOut(Out):
    parties: int = 0
    needs: list[CountByKey] = []
    unmet_needs: list[CountByKey] = []
    refusal_reasons: list[CountByKey] = []
    payment_discipline: list[CountByKey] = []
    season_months: list[CountByKey] = []
    relationship_types: list[CountByKey] = []
