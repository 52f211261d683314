import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OnDuplicate(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ON_DUPLICATE_UNSPECIFIED: _ClassVar[OnDuplicate]
    ON_DUPLICATE_CREATE: _ClassVar[OnDuplicate]
    ON_DUPLICATE_SKIP: _ClassVar[OnDuplicate]
ON_DUPLICATE_UNSPECIFIED: OnDuplicate
ON_DUPLICATE_CREATE: OnDuplicate
ON_DUPLICATE_SKIP: OnDuplicate

class ContactPoint(_message.Message):
    __slots__ = ("kind", "value", "label", "primary", "display")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_FIELD_NUMBER: _ClassVar[int]
    kind: str
    value: str
    label: str
    primary: bool
    display: str
    def __init__(self, kind: _Optional[str] = ..., value: _Optional[str] = ..., label: _Optional[str] = ..., primary: _Optional[bool] = ..., display: _Optional[str] = ...) -> None: ...

class BankAccount(_message.Message):
    __slots__ = ("bank_name", "bic", "checking_account", "correspondent_account")
    BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    BIC_FIELD_NUMBER: _ClassVar[int]
    CHECKING_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CORRESPONDENT_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    bank_name: str
    bic: str
    checking_account: str
    correspondent_account: str
    def __init__(self, bank_name: _Optional[str] = ..., bic: _Optional[str] = ..., checking_account: _Optional[str] = ..., correspondent_account: _Optional[str] = ...) -> None: ...

class CompanyDetails(_message.Message):
    __slots__ = ("legal_name", "short_name", "inn", "kpp", "ogrn", "legal_address", "postal_address", "bank_accounts", "industry", "size", "website")
    LEGAL_NAME_FIELD_NUMBER: _ClassVar[int]
    SHORT_NAME_FIELD_NUMBER: _ClassVar[int]
    INN_FIELD_NUMBER: _ClassVar[int]
    KPP_FIELD_NUMBER: _ClassVar[int]
    OGRN_FIELD_NUMBER: _ClassVar[int]
    LEGAL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    POSTAL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    WEBSITE_FIELD_NUMBER: _ClassVar[int]
    legal_name: str
    short_name: str
    inn: str
    kpp: str
    ogrn: str
    legal_address: str
    postal_address: str
    bank_accounts: _containers.RepeatedCompositeFieldContainer[BankAccount]
    industry: str
    size: str
    website: str
    def __init__(self, legal_name: _Optional[str] = ..., short_name: _Optional[str] = ..., inn: _Optional[str] = ..., kpp: _Optional[str] = ..., ogrn: _Optional[str] = ..., legal_address: _Optional[str] = ..., postal_address: _Optional[str] = ..., bank_accounts: _Optional[_Iterable[_Union[BankAccount, _Mapping]]] = ..., industry: _Optional[str] = ..., size: _Optional[str] = ..., website: _Optional[str] = ...) -> None: ...

class PersonDetails(_message.Message):
    __slots__ = ("first_name", "last_name", "middle_name", "position")
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    MIDDLE_NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    first_name: str
    last_name: str
    middle_name: str
    position: str
    def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., middle_name: _Optional[str] = ..., position: _Optional[str] = ...) -> None: ...

class Need(_message.Message):
    __slots__ = ("product", "we_offer", "note")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    WE_OFFER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    product: str
    we_offer: bool
    note: str
    def __init__(self, product: _Optional[str] = ..., we_offer: _Optional[bool] = ..., note: _Optional[str] = ...) -> None: ...

class PurchaseVolume(_message.Message):
    __slots__ = ("amount", "currency", "period")
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    amount: str
    currency: str
    period: str
    def __init__(self, amount: _Optional[str] = ..., currency: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class RefusalReason(_message.Message):
    __slots__ = ("code", "note", "occurred_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    note: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., note: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClientKnowledge(_message.Message):
    __slots__ = ("needs", "purchase_volume", "season_months", "payment_discipline", "refusal_reasons", "obstacles")
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_VOLUME_FIELD_NUMBER: _ClassVar[int]
    SEASON_MONTHS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_DISCIPLINE_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_REASONS_FIELD_NUMBER: _ClassVar[int]
    OBSTACLES_FIELD_NUMBER: _ClassVar[int]
    needs: _containers.RepeatedCompositeFieldContainer[Need]
    purchase_volume: PurchaseVolume
    season_months: _containers.RepeatedScalarFieldContainer[int]
    payment_discipline: str
    refusal_reasons: _containers.RepeatedCompositeFieldContainer[RefusalReason]
    obstacles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, needs: _Optional[_Iterable[_Union[Need, _Mapping]]] = ..., purchase_volume: _Optional[_Union[PurchaseVolume, _Mapping]] = ..., season_months: _Optional[_Iterable[int]] = ..., payment_discipline: _Optional[str] = ..., refusal_reasons: _Optional[_Iterable[_Union[RefusalReason, _Mapping]]] = ..., obstacles: _Optional[_Iterable[str]] = ...) -> None: ...

class PartyLink(_message.Message):
    __slots__ = ("company_id", "person_id", "role", "company_name", "person_name")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    person_id: str
    role: str
    company_name: str
    person_name: str
    def __init__(self, company_id: _Optional[str] = ..., person_id: _Optional[str] = ..., role: _Optional[str] = ..., company_name: _Optional[str] = ..., person_name: _Optional[str] = ...) -> None: ...

class Party(_message.Message):
    __slots__ = ("id", "kind", "display_name", "company", "person", "phones", "emails", "messengers", "tags", "relationship_types", "owner_id", "team_id", "shared_with", "custom_fields", "knowledge", "links", "version", "created_at", "updated_at", "deleted_at", "created_by", "merged_into_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    MESSENGERS_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    RELATIONSHIP_TYPES_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    LINKS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELETED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    MERGED_INTO_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    display_name: str
    company: CompanyDetails
    person: PersonDetails
    phones: _containers.RepeatedCompositeFieldContainer[ContactPoint]
    emails: _containers.RepeatedCompositeFieldContainer[ContactPoint]
    messengers: _containers.RepeatedCompositeFieldContainer[ContactPoint]
    tags: _containers.RepeatedScalarFieldContainer[str]
    relationship_types: _containers.RepeatedScalarFieldContainer[str]
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    custom_fields: _struct_pb2.Struct
    knowledge: ClientKnowledge
    links: _containers.RepeatedCompositeFieldContainer[PartyLink]
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    deleted_at: _timestamp_pb2.Timestamp
    created_by: str
    merged_into_id: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., display_name: _Optional[str] = ..., company: _Optional[_Union[CompanyDetails, _Mapping]] = ..., person: _Optional[_Union[PersonDetails, _Mapping]] = ..., phones: _Optional[_Iterable[_Union[ContactPoint, _Mapping]]] = ..., emails: _Optional[_Iterable[_Union[ContactPoint, _Mapping]]] = ..., messengers: _Optional[_Iterable[_Union[ContactPoint, _Mapping]]] = ..., tags: _Optional[_Iterable[str]] = ..., relationship_types: _Optional[_Iterable[str]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., custom_fields: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., knowledge: _Optional[_Union[ClientKnowledge, _Mapping]] = ..., links: _Optional[_Iterable[_Union[PartyLink, _Mapping]]] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deleted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., merged_into_id: _Optional[str] = ...) -> None: ...

class CreatePartyRequest(_message.Message):
    __slots__ = ("party", "allow_duplicate")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    party: Party
    allow_duplicate: bool
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ..., allow_duplicate: _Optional[bool] = ...) -> None: ...

class CreatePartyResponse(_message.Message):
    __slots__ = ("party", "possible_duplicates")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    POSSIBLE_DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    party: Party
    possible_duplicates: _containers.RepeatedCompositeFieldContainer[DuplicateCandidate]
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ..., possible_duplicates: _Optional[_Iterable[_Union[DuplicateCandidate, _Mapping]]] = ...) -> None: ...

class BulkCreatePartiesRequest(_message.Message):
    __slots__ = ("parties", "on_duplicate")
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    ON_DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    parties: _containers.RepeatedCompositeFieldContainer[Party]
    on_duplicate: OnDuplicate
    def __init__(self, parties: _Optional[_Iterable[_Union[Party, _Mapping]]] = ..., on_duplicate: _Optional[_Union[OnDuplicate, str]] = ...) -> None: ...

class BulkDuplicate(_message.Message):
    __slots__ = ("party_id", "reasons", "in_request", "row")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    IN_REQUEST_FIELD_NUMBER: _ClassVar[int]
    ROW_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    in_request: bool
    row: int
    def __init__(self, party_id: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., in_request: _Optional[bool] = ..., row: _Optional[int] = ...) -> None: ...

class BulkCreateResult(_message.Message):
    __slots__ = ("outcome", "party_id", "duplicates", "error")
    class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        OUTCOME_UNSPECIFIED: _ClassVar[BulkCreateResult.Outcome]
        CREATED: _ClassVar[BulkCreateResult.Outcome]
        DUPLICATE: _ClassVar[BulkCreateResult.Outcome]
        REJECTED: _ClassVar[BulkCreateResult.Outcome]
    OUTCOME_UNSPECIFIED: BulkCreateResult.Outcome
    CREATED: BulkCreateResult.Outcome
    DUPLICATE: BulkCreateResult.Outcome
    REJECTED: BulkCreateResult.Outcome
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    outcome: BulkCreateResult.Outcome
    party_id: str
    duplicates: _containers.RepeatedCompositeFieldContainer[BulkDuplicate]
    error: _common_pb2.ErrorDetail
    def __init__(self, outcome: _Optional[_Union[BulkCreateResult.Outcome, str]] = ..., party_id: _Optional[str] = ..., duplicates: _Optional[_Iterable[_Union[BulkDuplicate, _Mapping]]] = ..., error: _Optional[_Union[_common_pb2.ErrorDetail, _Mapping]] = ...) -> None: ...

class BulkCreatePartiesResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BulkCreateResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BulkCreateResult, _Mapping]]] = ...) -> None: ...

class GetPartyRequest(_message.Message):
    __slots__ = ("id", "include_deleted")
    ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    id: str
    include_deleted: bool
    def __init__(self, id: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class UpdatePartyRequest(_message.Message):
    __slots__ = ("party", "update_mask", "expected_version")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    party: Party
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class DeletePartyRequest(_message.Message):
    __slots__ = ("id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class RestorePartyRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListPartiesRequest(_message.Message):
    __slots__ = ("query", "filters", "sort", "limit", "cursor", "deleted", "saved_filter_id")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    SAVED_FILTER_ID_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    sort: str
    limit: int
    cursor: str
    deleted: str
    saved_filter_id: str
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., sort: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., deleted: _Optional[str] = ..., saved_filter_id: _Optional[str] = ...) -> None: ...

class ListPartiesResponse(_message.Message):
    __slots__ = ("parties", "next_cursor")
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    parties: _containers.RepeatedCompositeFieldContainer[Party]
    next_cursor: str
    def __init__(self, parties: _Optional[_Iterable[_Union[Party, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class CountPartiesRequest(_message.Message):
    __slots__ = ("query", "filters", "deleted")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    deleted: str
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., deleted: _Optional[str] = ...) -> None: ...

class CountPartiesResponse(_message.Message):
    __slots__ = ("count", "capped")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    CAPPED_FIELD_NUMBER: _ClassVar[int]
    count: int
    capped: bool
    def __init__(self, count: _Optional[int] = ..., capped: _Optional[bool] = ...) -> None: ...

class FindDuplicatesRequest(_message.Message):
    __slots__ = ("party_id", "candidate", "limit")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    candidate: Party
    limit: int
    def __init__(self, party_id: _Optional[str] = ..., candidate: _Optional[_Union[Party, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class DuplicateCandidate(_message.Message):
    __slots__ = ("party", "reasons", "score")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    party: Party
    reasons: _containers.RepeatedScalarFieldContainer[str]
    score: float
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ..., reasons: _Optional[_Iterable[str]] = ..., score: _Optional[float] = ...) -> None: ...

class FindDuplicatesResponse(_message.Message):
    __slots__ = ("candidates",)
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    candidates: _containers.RepeatedCompositeFieldContainer[DuplicateCandidate]
    def __init__(self, candidates: _Optional[_Iterable[_Union[DuplicateCandidate, _Mapping]]] = ...) -> None: ...

class FindPartiesByKeysRequest(_message.Message):
    __slots__ = ("inns", "emails", "phones")
    INNS_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    inns: _containers.RepeatedScalarFieldContainer[str]
    emails: _containers.RepeatedScalarFieldContainer[str]
    phones: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, inns: _Optional[_Iterable[str]] = ..., emails: _Optional[_Iterable[str]] = ..., phones: _Optional[_Iterable[str]] = ...) -> None: ...

class PartyKeyMatch(_message.Message):
    __slots__ = ("party", "keys")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    party: Party
    keys: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ..., keys: _Optional[_Iterable[str]] = ...) -> None: ...

class FindPartiesByKeysResponse(_message.Message):
    __slots__ = ("matches",)
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[PartyKeyMatch]
    def __init__(self, matches: _Optional[_Iterable[_Union[PartyKeyMatch, _Mapping]]] = ...) -> None: ...

class MergePartiesRequest(_message.Message):
    __slots__ = ("survivor_id", "merged_id", "expected_survivor_version")
    SURVIVOR_ID_FIELD_NUMBER: _ClassVar[int]
    MERGED_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_SURVIVOR_VERSION_FIELD_NUMBER: _ClassVar[int]
    survivor_id: str
    merged_id: str
    expected_survivor_version: int
    def __init__(self, survivor_id: _Optional[str] = ..., merged_id: _Optional[str] = ..., expected_survivor_version: _Optional[int] = ...) -> None: ...

class LinkPersonRequest(_message.Message):
    __slots__ = ("company_id", "person_id", "role")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    person_id: str
    role: str
    def __init__(self, company_id: _Optional[str] = ..., person_id: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class UnlinkPersonRequest(_message.Message):
    __slots__ = ("company_id", "person_id")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    person_id: str
    def __init__(self, company_id: _Optional[str] = ..., person_id: _Optional[str] = ...) -> None: ...

class UnlinkPersonResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Note(_message.Message):
    __slots__ = ("id", "party_id", "author_id", "text", "mentions", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    author_id: str
    text: str
    mentions: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., author_id: _Optional[str] = ..., text: _Optional[str] = ..., mentions: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddNoteRequest(_message.Message):
    __slots__ = ("party_id", "text", "mentions")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    text: str
    mentions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party_id: _Optional[str] = ..., text: _Optional[str] = ..., mentions: _Optional[_Iterable[str]] = ...) -> None: ...

class ListNotesRequest(_message.Message):
    __slots__ = ("party_id", "limit", "cursor")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    limit: int
    cursor: str
    def __init__(self, party_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListNotesResponse(_message.Message):
    __slots__ = ("notes", "next_cursor")
    NOTES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    notes: _containers.RepeatedCompositeFieldContainer[Note]
    next_cursor: str
    def __init__(self, notes: _Optional[_Iterable[_Union[Note, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class TimelineEntry(_message.Message):
    __slots__ = ("id", "event_id", "type", "source", "occurred_at", "actor_id", "subject_id", "summary", "data")
    ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    event_id: str
    type: str
    source: str
    occurred_at: _timestamp_pb2.Timestamp
    actor_id: str
    subject_id: str
    summary: str
    data: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., event_id: _Optional[str] = ..., type: _Optional[str] = ..., source: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor_id: _Optional[str] = ..., subject_id: _Optional[str] = ..., summary: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ListTimelineRequest(_message.Message):
    __slots__ = ("party_id", "limit", "cursor", "sources")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    limit: int
    cursor: str
    sources: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., sources: _Optional[_Iterable[str]] = ...) -> None: ...

class ListTimelineResponse(_message.Message):
    __slots__ = ("entries", "next_cursor")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[TimelineEntry]
    next_cursor: str
    def __init__(self, entries: _Optional[_Iterable[_Union[TimelineEntry, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class SavedFilter(_message.Message):
    __slots__ = ("id", "owner_id", "name", "query", "filters", "sort", "shared")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    id: str
    owner_id: str
    name: str
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    sort: str
    shared: bool
    def __init__(self, id: _Optional[str] = ..., owner_id: _Optional[str] = ..., name: _Optional[str] = ..., query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., sort: _Optional[str] = ..., shared: _Optional[bool] = ...) -> None: ...

class ListSavedFiltersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSavedFiltersResponse(_message.Message):
    __slots__ = ("filters",)
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    filters: _containers.RepeatedCompositeFieldContainer[SavedFilter]
    def __init__(self, filters: _Optional[_Iterable[_Union[SavedFilter, _Mapping]]] = ...) -> None: ...

class DeleteSavedFilterRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteSavedFilterResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetKnowledgeReportRequest(_message.Message):
    __slots__ = ("query", "filters")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ...) -> None: ...

class CountByKey(_message.Message):
    __slots__ = ("key", "count")
    KEY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    key: str
    count: int
    def __init__(self, key: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class KnowledgeReport(_message.Message):
    __slots__ = ("parties", "needs", "unmet_needs", "refusal_reasons", "payment_discipline", "season_months", "relationship_types")
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    UNMET_NEEDS_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_REASONS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_DISCIPLINE_FIELD_NUMBER: _ClassVar[int]
    SEASON_MONTHS_FIELD_NUMBER: _ClassVar[int]
    RELATIONSHIP_TYPES_FIELD_NUMBER: _ClassVar[int]
    parties: int
    needs: _containers.RepeatedCompositeFieldContainer[CountByKey]
    unmet_needs: _containers.RepeatedCompositeFieldContainer[CountByKey]
    refusal_reasons: _containers.RepeatedCompositeFieldContainer[CountByKey]
    payment_discipline: _containers.RepeatedCompositeFieldContainer[CountByKey]
    season_months: _containers.RepeatedCompositeFieldContainer[CountByKey]
    relationship_types: _containers.RepeatedCompositeFieldContainer[CountByKey]
    def __init__(self, parties: _Optional[int] = ..., needs: _Optional[_Iterable[_Union[CountByKey, _Mapping]]] = ..., unmet_needs: _Optional[_Iterable[_Union[CountByKey, _Mapping]]] = ..., refusal_reasons: _Optional[_Iterable[_Union[CountByKey, _Mapping]]] = ..., payment_discipline: _Optional[_Iterable[_Union[CountByKey, _Mapping]]] = ..., season_months: _Optional[_Iterable[_Union[CountByKey, _Mapping]]] = ..., relationship_types: _Optional[_Iterable[_Union[CountByKey, _Mapping]]] = ...) -> None: ...
