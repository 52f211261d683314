import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetServiceInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServiceInfo(_message.Message):
    __slots__ = ("name", "schema_revision", "stream", "pending_events")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_REVISION_FIELD_NUMBER: _ClassVar[int]
    STREAM_FIELD_NUMBER: _ClassVar[int]
    PENDING_EVENTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    schema_revision: str
    stream: str
    pending_events: int
    def __init__(self, name: _Optional[str] = ..., schema_revision: _Optional[str] = ..., stream: _Optional[str] = ..., pending_events: _Optional[int] = ...) -> None: ...

class Signatory(_message.Message):
    __slots__ = ("role", "title", "name", "basis")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    role: str
    title: str
    name: str
    basis: str
    def __init__(self, role: _Optional[str] = ..., title: _Optional[str] = ..., name: _Optional[str] = ..., basis: _Optional[str] = ...) -> None: ...

class LegalEntity(_message.Message):
    __slots__ = ("id", "name", "full_name", "inn", "kpp", "ogrn", "address", "phone", "email", "bank_name", "bik", "correspondent_account", "account", "signatories", "vat_payer", "number_prefixes", "is_default", "archived", "version", "created_at", "updated_at")
    class NumberPrefixesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    INN_FIELD_NUMBER: _ClassVar[int]
    KPP_FIELD_NUMBER: _ClassVar[int]
    OGRN_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    BIK_FIELD_NUMBER: _ClassVar[int]
    CORRESPONDENT_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    SIGNATORIES_FIELD_NUMBER: _ClassVar[int]
    VAT_PAYER_FIELD_NUMBER: _ClassVar[int]
    NUMBER_PREFIXES_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    full_name: str
    inn: str
    kpp: str
    ogrn: str
    address: str
    phone: str
    email: str
    bank_name: str
    bik: str
    correspondent_account: str
    account: str
    signatories: _containers.RepeatedCompositeFieldContainer[Signatory]
    vat_payer: bool
    number_prefixes: _containers.ScalarMap[str, str]
    is_default: bool
    archived: bool
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., full_name: _Optional[str] = ..., inn: _Optional[str] = ..., kpp: _Optional[str] = ..., ogrn: _Optional[str] = ..., address: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., bank_name: _Optional[str] = ..., bik: _Optional[str] = ..., correspondent_account: _Optional[str] = ..., account: _Optional[str] = ..., signatories: _Optional[_Iterable[_Union[Signatory, _Mapping]]] = ..., vat_payer: _Optional[bool] = ..., number_prefixes: _Optional[_Mapping[str, str]] = ..., is_default: _Optional[bool] = ..., archived: _Optional[bool] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListLegalEntitiesRequest(_message.Message):
    __slots__ = ("include_archived",)
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    include_archived: bool
    def __init__(self, include_archived: _Optional[bool] = ...) -> None: ...

class ListLegalEntitiesResponse(_message.Message):
    __slots__ = ("legal_entities",)
    LEGAL_ENTITIES_FIELD_NUMBER: _ClassVar[int]
    legal_entities: _containers.RepeatedCompositeFieldContainer[LegalEntity]
    def __init__(self, legal_entities: _Optional[_Iterable[_Union[LegalEntity, _Mapping]]] = ...) -> None: ...

class GetLegalEntityRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CreateLegalEntityRequest(_message.Message):
    __slots__ = ("legal_entity",)
    LEGAL_ENTITY_FIELD_NUMBER: _ClassVar[int]
    legal_entity: LegalEntity
    def __init__(self, legal_entity: _Optional[_Union[LegalEntity, _Mapping]] = ...) -> None: ...

class UpdateLegalEntityRequest(_message.Message):
    __slots__ = ("legal_entity", "update_mask", "expected_version")
    LEGAL_ENTITY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    legal_entity: LegalEntity
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, legal_entity: _Optional[_Union[LegalEntity, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class TemplateVersion(_message.Message):
    __slots__ = ("version", "created_at", "created_by", "comment")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    version: int
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    comment: str
    def __init__(self, version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("id", "doc_type", "language", "name", "shipped", "is_default", "archived", "current_version", "version", "html", "css", "versions", "row_version", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    CSS_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    ROW_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    doc_type: str
    language: str
    name: str
    shipped: bool
    is_default: bool
    archived: bool
    current_version: int
    version: int
    html: str
    css: str
    versions: _containers.RepeatedCompositeFieldContainer[TemplateVersion]
    row_version: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., doc_type: _Optional[str] = ..., language: _Optional[str] = ..., name: _Optional[str] = ..., shipped: _Optional[bool] = ..., is_default: _Optional[bool] = ..., archived: _Optional[bool] = ..., current_version: _Optional[int] = ..., version: _Optional[int] = ..., html: _Optional[str] = ..., css: _Optional[str] = ..., versions: _Optional[_Iterable[_Union[TemplateVersion, _Mapping]]] = ..., row_version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListTemplatesRequest(_message.Message):
    __slots__ = ("doc_type", "language", "include_archived")
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    doc_type: str
    language: str
    include_archived: bool
    def __init__(self, doc_type: _Optional[str] = ..., language: _Optional[str] = ..., include_archived: _Optional[bool] = ...) -> None: ...

class ListTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[Template]
    def __init__(self, templates: _Optional[_Iterable[_Union[Template, _Mapping]]] = ...) -> None: ...

class GetTemplateRequest(_message.Message):
    __slots__ = ("id", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    version: int
    def __init__(self, id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class CreateTemplateRequest(_message.Message):
    __slots__ = ("doc_type", "language", "name", "html", "css", "is_default")
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    CSS_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    doc_type: str
    language: str
    name: str
    html: str
    css: str
    is_default: bool
    def __init__(self, doc_type: _Optional[str] = ..., language: _Optional[str] = ..., name: _Optional[str] = ..., html: _Optional[str] = ..., css: _Optional[str] = ..., is_default: _Optional[bool] = ...) -> None: ...

class AddTemplateVersionRequest(_message.Message):
    __slots__ = ("template_id", "html", "css", "comment", "expected_version")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    CSS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    html: str
    css: str
    comment: str
    expected_version: int
    def __init__(self, template_id: _Optional[str] = ..., html: _Optional[str] = ..., css: _Optional[str] = ..., comment: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateTemplateRequest(_message.Message):
    __slots__ = ("template_id", "update_mask", "name", "is_default", "archived", "current_version", "expected_version")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    update_mask: _field_mask_pb2.FieldMask
    name: str
    is_default: bool
    archived: bool
    current_version: int
    expected_version: int
    def __init__(self, template_id: _Optional[str] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., name: _Optional[str] = ..., is_default: _Optional[bool] = ..., archived: _Optional[bool] = ..., current_version: _Optional[int] = ..., expected_version: _Optional[int] = ...) -> None: ...

class TemplateVariable(_message.Message):
    __slots__ = ("path", "description_ru", "description_en", "example")
    PATH_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_RU_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_EN_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    path: str
    description_ru: str
    description_en: str
    example: str
    def __init__(self, path: _Optional[str] = ..., description_ru: _Optional[str] = ..., description_en: _Optional[str] = ..., example: _Optional[str] = ...) -> None: ...

class ListTemplateVariablesRequest(_message.Message):
    __slots__ = ("doc_type",)
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    doc_type: str
    def __init__(self, doc_type: _Optional[str] = ...) -> None: ...

class ListTemplateVariablesResponse(_message.Message):
    __slots__ = ("variables",)
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    variables: _containers.RepeatedCompositeFieldContainer[TemplateVariable]
    def __init__(self, variables: _Optional[_Iterable[_Union[TemplateVariable, _Mapping]]] = ...) -> None: ...

class PreviewTemplateRequest(_message.Message):
    __slots__ = ("template_id", "version", "html", "css", "doc_type", "language", "deal_id", "legal_entity_id")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    CSS_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    LEGAL_ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    version: int
    html: str
    css: str
    doc_type: str
    language: str
    deal_id: str
    legal_entity_id: str
    def __init__(self, template_id: _Optional[str] = ..., version: _Optional[int] = ..., html: _Optional[str] = ..., css: _Optional[str] = ..., doc_type: _Optional[str] = ..., language: _Optional[str] = ..., deal_id: _Optional[str] = ..., legal_entity_id: _Optional[str] = ...) -> None: ...

class RenderedFile(_message.Message):
    __slots__ = ("content", "content_type", "filename")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., filename: _Optional[str] = ...) -> None: ...

class DocumentLine(_message.Message):
    __slots__ = ("name", "article", "unit_code", "unit", "quantity", "price", "discount_percent", "vat_rate", "vat_amount", "total")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    VAT_RATE_FIELD_NUMBER: _ClassVar[int]
    VAT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    name: str
    article: str
    unit_code: str
    unit: str
    quantity: str
    price: str
    discount_percent: str
    vat_rate: str
    vat_amount: str
    total: str
    def __init__(self, name: _Optional[str] = ..., article: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit: _Optional[str] = ..., quantity: _Optional[str] = ..., price: _Optional[str] = ..., discount_percent: _Optional[str] = ..., vat_rate: _Optional[str] = ..., vat_amount: _Optional[str] = ..., total: _Optional[str] = ...) -> None: ...

class DocumentFile(_message.Message):
    __slots__ = ("version", "sha256", "size_bytes", "template_id", "template_version", "created_at", "created_by")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    version: int
    sha256: str
    size_bytes: int
    template_id: str
    template_version: int
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, version: _Optional[int] = ..., sha256: _Optional[str] = ..., size_bytes: _Optional[int] = ..., template_id: _Optional[str] = ..., template_version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("id", "doc_type", "number", "sequence", "year", "doc_date", "status", "deal_id", "deal_title", "party_id", "party_name", "legal_entity_id", "language", "currency", "vat_mode", "net_amount", "vat_amount", "total", "paid_amount", "lines", "current_version", "files", "snapshot", "sent_to", "sent_at", "paid_at", "cancel_reason", "created_by", "created_at", "updated_at", "version", "valid_until")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    DOC_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_NAME_FIELD_NUMBER: _ClassVar[int]
    LEGAL_ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    VAT_MODE_FIELD_NUMBER: _ClassVar[int]
    NET_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VAT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAID_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    SENT_TO_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    doc_type: str
    number: str
    sequence: int
    year: int
    doc_date: str
    status: str
    deal_id: str
    deal_title: str
    party_id: str
    party_name: str
    legal_entity_id: str
    language: str
    currency: str
    vat_mode: str
    net_amount: str
    vat_amount: str
    total: str
    paid_amount: str
    lines: _containers.RepeatedCompositeFieldContainer[DocumentLine]
    current_version: int
    files: _containers.RepeatedCompositeFieldContainer[DocumentFile]
    snapshot: _struct_pb2.Struct
    sent_to: str
    sent_at: _timestamp_pb2.Timestamp
    paid_at: _timestamp_pb2.Timestamp
    cancel_reason: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    version: int
    valid_until: str
    def __init__(self, id: _Optional[str] = ..., doc_type: _Optional[str] = ..., number: _Optional[str] = ..., sequence: _Optional[int] = ..., year: _Optional[int] = ..., doc_date: _Optional[str] = ..., status: _Optional[str] = ..., deal_id: _Optional[str] = ..., deal_title: _Optional[str] = ..., party_id: _Optional[str] = ..., party_name: _Optional[str] = ..., legal_entity_id: _Optional[str] = ..., language: _Optional[str] = ..., currency: _Optional[str] = ..., vat_mode: _Optional[str] = ..., net_amount: _Optional[str] = ..., vat_amount: _Optional[str] = ..., total: _Optional[str] = ..., paid_amount: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[DocumentLine, _Mapping]]] = ..., current_version: _Optional[int] = ..., files: _Optional[_Iterable[_Union[DocumentFile, _Mapping]]] = ..., snapshot: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., sent_to: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_reason: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., valid_until: _Optional[str] = ...) -> None: ...

class GenerateDocumentRequest(_message.Message):
    __slots__ = ("deal_id", "doc_type", "legal_entity_id", "template_id", "language", "doc_date", "valid_until")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    LEGAL_ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    DOC_DATE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    doc_type: str
    legal_entity_id: str
    template_id: str
    language: str
    doc_date: str
    valid_until: str
    def __init__(self, deal_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., legal_entity_id: _Optional[str] = ..., template_id: _Optional[str] = ..., language: _Optional[str] = ..., doc_date: _Optional[str] = ..., valid_until: _Optional[str] = ...) -> None: ...

class RegenerateDocumentRequest(_message.Message):
    __slots__ = ("document_id", "template_id", "expected_version")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    template_id: str
    expected_version: int
    def __init__(self, document_id: _Optional[str] = ..., template_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class GetDocumentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("deal_id", "party_id", "doc_type", "status", "limit", "cursor")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    party_id: str
    doc_type: str
    status: str
    limit: int
    cursor: str
    def __init__(self, deal_id: _Optional[str] = ..., party_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., status: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListDocumentsResponse(_message.Message):
    __slots__ = ("documents", "next_cursor", "total")
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    next_cursor: str
    total: int
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class DownloadDocumentRequest(_message.Message):
    __slots__ = ("id", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    version: int
    def __init__(self, id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class DocumentChunk(_message.Message):
    __slots__ = ("data", "filename", "content_type", "size_bytes", "sha256")
    DATA_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    def __init__(self, data: _Optional[bytes] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class ChangeDocumentStatusRequest(_message.Message):
    __slots__ = ("id", "status", "reason", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    reason: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class SendDocumentRequest(_message.Message):
    __slots__ = ("id", "to", "subject", "message", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    to: _containers.RepeatedScalarFieldContainer[str]
    subject: str
    message: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., to: _Optional[_Iterable[str]] = ..., subject: _Optional[str] = ..., message: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class BankPayment(_message.Message):
    __slots__ = ("id", "number", "date", "amount", "payer_name", "payer_inn", "purpose", "outcome", "reason", "document_id", "document_number", "deal_id", "deal_payment_id", "received_on")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYER_INN_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_ON_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: str
    date: str
    amount: str
    payer_name: str
    payer_inn: str
    purpose: str
    outcome: str
    reason: str
    document_id: str
    document_number: str
    deal_id: str
    deal_payment_id: str
    received_on: str
    def __init__(self, id: _Optional[str] = ..., number: _Optional[str] = ..., date: _Optional[str] = ..., amount: _Optional[str] = ..., payer_name: _Optional[str] = ..., payer_inn: _Optional[str] = ..., purpose: _Optional[str] = ..., outcome: _Optional[str] = ..., reason: _Optional[str] = ..., document_id: _Optional[str] = ..., document_number: _Optional[str] = ..., deal_id: _Optional[str] = ..., deal_payment_id: _Optional[str] = ..., received_on: _Optional[str] = ...) -> None: ...

class BankStatement(_message.Message):
    __slots__ = ("id", "filename", "account", "period_start", "period_end", "payments_total", "matched", "unmatched", "duplicates", "payments", "created_by", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    MATCHED_FIELD_NUMBER: _ClassVar[int]
    UNMATCHED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    filename: str
    account: str
    period_start: str
    period_end: str
    payments_total: int
    matched: int
    unmatched: int
    duplicates: int
    payments: _containers.RepeatedCompositeFieldContainer[BankPayment]
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., filename: _Optional[str] = ..., account: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., payments_total: _Optional[int] = ..., matched: _Optional[int] = ..., unmatched: _Optional[int] = ..., duplicates: _Optional[int] = ..., payments: _Optional[_Iterable[_Union[BankPayment, _Mapping]]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ImportBankStatementRequest(_message.Message):
    __slots__ = ("filename", "content")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    filename: str
    content: bytes
    def __init__(self, filename: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ListBankStatementsRequest(_message.Message):
    __slots__ = ("limit", "cursor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    cursor: str
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListBankStatementsResponse(_message.Message):
    __slots__ = ("statements", "next_cursor")
    STATEMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    statements: _containers.RepeatedCompositeFieldContainer[BankStatement]
    next_cursor: str
    def __init__(self, statements: _Optional[_Iterable[_Union[BankStatement, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class GetBankStatementRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ResolveBankPaymentRequest(_message.Message):
    __slots__ = ("statement_id", "payment_id", "document_id")
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    statement_id: str
    payment_id: str
    document_id: str
    def __init__(self, statement_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., document_id: _Optional[str] = ...) -> None: ...
