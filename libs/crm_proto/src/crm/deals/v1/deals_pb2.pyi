import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Stage(_message.Message):
    __slots__ = ("id", "name", "position", "probability", "category", "time_limit_days", "archived", "name_ru", "name_en")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    position: int
    probability: int
    category: str
    time_limit_days: int
    archived: bool
    name_ru: str
    name_en: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., position: _Optional[int] = ..., probability: _Optional[int] = ..., category: _Optional[str] = ..., time_limit_days: _Optional[int] = ..., archived: _Optional[bool] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class Pipeline(_message.Message):
    __slots__ = ("id", "name", "stages", "stale_days", "archived", "version", "created_at", "name_ru", "name_en")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    STALE_DAYS_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    stages: _containers.RepeatedCompositeFieldContainer[Stage]
    stale_days: int
    archived: bool
    version: int
    created_at: _timestamp_pb2.Timestamp
    name_ru: str
    name_en: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., stages: _Optional[_Iterable[_Union[Stage, _Mapping]]] = ..., stale_days: _Optional[int] = ..., archived: _Optional[bool] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class ListPipelinesRequest(_message.Message):
    __slots__ = ("include_archived",)
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    include_archived: bool
    def __init__(self, include_archived: _Optional[bool] = ...) -> None: ...

class ListPipelinesResponse(_message.Message):
    __slots__ = ("pipelines",)
    PIPELINES_FIELD_NUMBER: _ClassVar[int]
    pipelines: _containers.RepeatedCompositeFieldContainer[Pipeline]
    def __init__(self, pipelines: _Optional[_Iterable[_Union[Pipeline, _Mapping]]] = ...) -> None: ...

class GetPipelineRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class StageSpec(_message.Message):
    __slots__ = ("name", "probability", "category", "time_limit_days", "name_ru", "name_en")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    name: str
    probability: int
    category: str
    time_limit_days: int
    name_ru: str
    name_en: str
    def __init__(self, name: _Optional[str] = ..., probability: _Optional[int] = ..., category: _Optional[str] = ..., time_limit_days: _Optional[int] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class CreatePipelineRequest(_message.Message):
    __slots__ = ("name", "stages", "stale_days", "name_ru", "name_en")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    STALE_DAYS_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    name: str
    stages: _containers.RepeatedCompositeFieldContainer[StageSpec]
    stale_days: int
    name_ru: str
    name_en: str
    def __init__(self, name: _Optional[str] = ..., stages: _Optional[_Iterable[_Union[StageSpec, _Mapping]]] = ..., stale_days: _Optional[int] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class UpdatePipelineRequest(_message.Message):
    __slots__ = ("pipeline", "update_mask", "expected_version")
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    pipeline: Pipeline
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, pipeline: _Optional[_Union[Pipeline, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class AddStageRequest(_message.Message):
    __slots__ = ("pipeline_id", "stage", "position", "expected_version")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    stage: StageSpec
    position: int
    expected_version: int
    def __init__(self, pipeline_id: _Optional[str] = ..., stage: _Optional[_Union[StageSpec, _Mapping]] = ..., position: _Optional[int] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateStageRequest(_message.Message):
    __slots__ = ("pipeline_id", "stage", "update_mask", "expected_version")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    stage: Stage
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, pipeline_id: _Optional[str] = ..., stage: _Optional[_Union[Stage, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ReorderStagesRequest(_message.Message):
    __slots__ = ("pipeline_id", "stage_ids", "expected_version")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    stage_ids: _containers.RepeatedScalarFieldContainer[str]
    expected_version: int
    def __init__(self, pipeline_id: _Optional[str] = ..., stage_ids: _Optional[_Iterable[str]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class DealLine(_message.Message):
    __slots__ = ("product", "quantity", "price", "discount_percent", "subtotal", "total", "product_id", "article", "unit_code", "vat_rate", "vat_amount")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VAT_RATE_FIELD_NUMBER: _ClassVar[int]
    VAT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    product: str
    quantity: str
    price: str
    discount_percent: str
    subtotal: str
    total: str
    product_id: str
    article: str
    unit_code: str
    vat_rate: str
    vat_amount: str
    def __init__(self, product: _Optional[str] = ..., quantity: _Optional[str] = ..., price: _Optional[str] = ..., discount_percent: _Optional[str] = ..., subtotal: _Optional[str] = ..., total: _Optional[str] = ..., product_id: _Optional[str] = ..., article: _Optional[str] = ..., unit_code: _Optional[str] = ..., vat_rate: _Optional[str] = ..., vat_amount: _Optional[str] = ...) -> None: ...

class VatRateTotal(_message.Message):
    __slots__ = ("rate", "net", "vat", "gross")
    RATE_FIELD_NUMBER: _ClassVar[int]
    NET_FIELD_NUMBER: _ClassVar[int]
    VAT_FIELD_NUMBER: _ClassVar[int]
    GROSS_FIELD_NUMBER: _ClassVar[int]
    rate: str
    net: str
    vat: str
    gross: str
    def __init__(self, rate: _Optional[str] = ..., net: _Optional[str] = ..., vat: _Optional[str] = ..., gross: _Optional[str] = ...) -> None: ...

class DealSource(_message.Message):
    __slots__ = ("campaign_id", "lead_id")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    lead_id: str
    def __init__(self, campaign_id: _Optional[str] = ..., lead_id: _Optional[str] = ...) -> None: ...

class DistanceToMoney(_message.Message):
    __slots__ = ("probability", "days_in_stage", "time_factor", "expected_amount", "distance", "stalled", "stalled_reasons")
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    DAYS_IN_STAGE_FIELD_NUMBER: _ClassVar[int]
    TIME_FACTOR_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    STALLED_FIELD_NUMBER: _ClassVar[int]
    STALLED_REASONS_FIELD_NUMBER: _ClassVar[int]
    probability: int
    days_in_stage: float
    time_factor: float
    expected_amount: str
    distance: str
    stalled: bool
    stalled_reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, probability: _Optional[int] = ..., days_in_stage: _Optional[float] = ..., time_factor: _Optional[float] = ..., expected_amount: _Optional[str] = ..., distance: _Optional[str] = ..., stalled: _Optional[bool] = ..., stalled_reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class Deal(_message.Message):
    __slots__ = ("id", "title", "pipeline_id", "stage_id", "stage_name", "status", "client_id", "client_name", "contact_ids", "owner_id", "team_id", "shared_with", "amount", "currency", "lines", "discount_amount", "expected_close_date", "source", "custom_fields", "stage_entered_at", "last_activity_at", "regressing", "distance", "closed_at", "loss_reason", "loss_comment", "version", "created_at", "updated_at", "created_by", "next_step_at", "has_next_step", "vat_mode", "vat_amount", "total_with_vat", "vat_by_rate")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_IDS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    STAGE_ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_ACTIVITY_AT_FIELD_NUMBER: _ClassVar[int]
    REGRESSING_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    LOSS_REASON_FIELD_NUMBER: _ClassVar[int]
    LOSS_COMMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    NEXT_STEP_AT_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_STEP_FIELD_NUMBER: _ClassVar[int]
    VAT_MODE_FIELD_NUMBER: _ClassVar[int]
    VAT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_WITH_VAT_FIELD_NUMBER: _ClassVar[int]
    VAT_BY_RATE_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    pipeline_id: str
    stage_id: str
    stage_name: str
    status: str
    client_id: str
    client_name: str
    contact_ids: _containers.RepeatedScalarFieldContainer[str]
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    amount: str
    currency: str
    lines: _containers.RepeatedCompositeFieldContainer[DealLine]
    discount_amount: str
    expected_close_date: str
    source: DealSource
    custom_fields: _struct_pb2.Struct
    stage_entered_at: _timestamp_pb2.Timestamp
    last_activity_at: _timestamp_pb2.Timestamp
    regressing: bool
    distance: DistanceToMoney
    closed_at: _timestamp_pb2.Timestamp
    loss_reason: str
    loss_comment: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    created_by: str
    next_step_at: _timestamp_pb2.Timestamp
    has_next_step: bool
    vat_mode: str
    vat_amount: str
    total_with_vat: str
    vat_by_rate: _containers.RepeatedCompositeFieldContainer[VatRateTotal]
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., stage_name: _Optional[str] = ..., status: _Optional[str] = ..., client_id: _Optional[str] = ..., client_name: _Optional[str] = ..., contact_ids: _Optional[_Iterable[str]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[DealLine, _Mapping]]] = ..., discount_amount: _Optional[str] = ..., expected_close_date: _Optional[str] = ..., source: _Optional[_Union[DealSource, _Mapping]] = ..., custom_fields: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., stage_entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_activity_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., regressing: _Optional[bool] = ..., distance: _Optional[_Union[DistanceToMoney, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., loss_reason: _Optional[str] = ..., loss_comment: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., next_step_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., has_next_step: _Optional[bool] = ..., vat_mode: _Optional[str] = ..., vat_amount: _Optional[str] = ..., total_with_vat: _Optional[str] = ..., vat_by_rate: _Optional[_Iterable[_Union[VatRateTotal, _Mapping]]] = ...) -> None: ...

class CreateDealRequest(_message.Message):
    __slots__ = ("deal",)
    DEAL_FIELD_NUMBER: _ClassVar[int]
    deal: Deal
    def __init__(self, deal: _Optional[_Union[Deal, _Mapping]] = ...) -> None: ...

class GetDealRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateDealRequest(_message.Message):
    __slots__ = ("deal", "update_mask", "expected_version")
    DEAL_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    deal: Deal
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, deal: _Optional[_Union[Deal, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class MoveDealStageRequest(_message.Message):
    __slots__ = ("deal_id", "stage_id", "loss_reason", "comment", "expected_version")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    LOSS_REASON_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    stage_id: str
    loss_reason: str
    comment: str
    expected_version: int
    def __init__(self, deal_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., loss_reason: _Optional[str] = ..., comment: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ListDealsRequest(_message.Message):
    __slots__ = ("query", "filters", "sort", "limit", "cursor")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    sort: str
    limit: int
    cursor: str
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., sort: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListDealsResponse(_message.Message):
    __slots__ = ("deals", "next_cursor")
    DEALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    deals: _containers.RepeatedCompositeFieldContainer[Deal]
    next_cursor: str
    def __init__(self, deals: _Optional[_Iterable[_Union[Deal, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class StageChange(_message.Message):
    __slots__ = ("id", "deal_id", "from_stage_id", "from_stage_name", "to_stage_id", "to_stage_name", "moved_by", "moved_at", "seconds_in_previous_stage", "regression", "loss_reason", "comment")
    ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    MOVED_BY_FIELD_NUMBER: _ClassVar[int]
    MOVED_AT_FIELD_NUMBER: _ClassVar[int]
    SECONDS_IN_PREVIOUS_STAGE_FIELD_NUMBER: _ClassVar[int]
    REGRESSION_FIELD_NUMBER: _ClassVar[int]
    LOSS_REASON_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    deal_id: str
    from_stage_id: str
    from_stage_name: str
    to_stage_id: str
    to_stage_name: str
    moved_by: str
    moved_at: _timestamp_pb2.Timestamp
    seconds_in_previous_stage: float
    regression: bool
    loss_reason: str
    comment: str
    def __init__(self, id: _Optional[str] = ..., deal_id: _Optional[str] = ..., from_stage_id: _Optional[str] = ..., from_stage_name: _Optional[str] = ..., to_stage_id: _Optional[str] = ..., to_stage_name: _Optional[str] = ..., moved_by: _Optional[str] = ..., moved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seconds_in_previous_stage: _Optional[float] = ..., regression: _Optional[bool] = ..., loss_reason: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class ListStageHistoryRequest(_message.Message):
    __slots__ = ("deal_id",)
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    def __init__(self, deal_id: _Optional[str] = ...) -> None: ...

class ListStageHistoryResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[StageChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[StageChange, _Mapping]]] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("id", "deal_id", "client_id", "status", "amount", "currency", "due_date", "received_on", "late_days", "note", "created_at", "created_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_ON_FIELD_NUMBER: _ClassVar[int]
    LATE_DAYS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    deal_id: str
    client_id: str
    status: str
    amount: str
    currency: str
    due_date: str
    received_on: str
    late_days: int
    note: str
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, id: _Optional[str] = ..., deal_id: _Optional[str] = ..., client_id: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., due_date: _Optional[str] = ..., received_on: _Optional[str] = ..., late_days: _Optional[int] = ..., note: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class AddPaymentRequest(_message.Message):
    __slots__ = ("deal_id", "status", "amount", "currency", "due_date", "received_on", "note")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_ON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    status: str
    amount: str
    currency: str
    due_date: str
    received_on: str
    note: str
    def __init__(self, deal_id: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., due_date: _Optional[str] = ..., received_on: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ReceivePaymentRequest(_message.Message):
    __slots__ = ("deal_id", "payment_id", "received_on", "amount")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_ON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    payment_id: str
    received_on: str
    amount: str
    def __init__(self, deal_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., received_on: _Optional[str] = ..., amount: _Optional[str] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ("deal_id",)
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    def __init__(self, deal_id: _Optional[str] = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ("payments",)
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ...) -> None: ...

class GetPartyPaymentSummaryRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class MoneyAmount(_message.Message):
    __slots__ = ("currency", "amount")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    currency: str
    amount: str
    def __init__(self, currency: _Optional[str] = ..., amount: _Optional[str] = ...) -> None: ...

class PartyPaymentSummary(_message.Message):
    __slots__ = ("party_id", "deals", "payments_received", "paid_on_time", "paid_late", "overdue", "average_late_days", "max_late_days", "received", "outstanding", "discipline", "recent")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DEALS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    PAID_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    PAID_LATE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_LATE_DAYS_FIELD_NUMBER: _ClassVar[int]
    MAX_LATE_DAYS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    DISCIPLINE_FIELD_NUMBER: _ClassVar[int]
    RECENT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    deals: int
    payments_received: int
    paid_on_time: int
    paid_late: int
    overdue: int
    average_late_days: float
    max_late_days: int
    received: _containers.RepeatedCompositeFieldContainer[MoneyAmount]
    outstanding: _containers.RepeatedCompositeFieldContainer[MoneyAmount]
    discipline: str
    recent: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, party_id: _Optional[str] = ..., deals: _Optional[int] = ..., payments_received: _Optional[int] = ..., paid_on_time: _Optional[int] = ..., paid_late: _Optional[int] = ..., overdue: _Optional[int] = ..., average_late_days: _Optional[float] = ..., max_late_days: _Optional[int] = ..., received: _Optional[_Iterable[_Union[MoneyAmount, _Mapping]]] = ..., outstanding: _Optional[_Iterable[_Union[MoneyAmount, _Mapping]]] = ..., discipline: _Optional[str] = ..., recent: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ...) -> None: ...

class KanbanCard(_message.Message):
    __slots__ = ("id", "title", "client_id", "client_name", "owner_id", "team_id", "amount", "currency", "expected_close_date", "stage_entered_at", "regressing", "stalled", "expected_amount", "version", "next_step_at", "has_next_step")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    STAGE_ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    REGRESSING_FIELD_NUMBER: _ClassVar[int]
    STALLED_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NEXT_STEP_AT_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_STEP_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    client_id: str
    client_name: str
    owner_id: str
    team_id: str
    amount: str
    currency: str
    expected_close_date: str
    stage_entered_at: _timestamp_pb2.Timestamp
    regressing: bool
    stalled: bool
    expected_amount: str
    version: int
    next_step_at: _timestamp_pb2.Timestamp
    has_next_step: bool
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., client_id: _Optional[str] = ..., client_name: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., expected_close_date: _Optional[str] = ..., stage_entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., regressing: _Optional[bool] = ..., stalled: _Optional[bool] = ..., expected_amount: _Optional[str] = ..., version: _Optional[int] = ..., next_step_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., has_next_step: _Optional[bool] = ...) -> None: ...

class KanbanSum(_message.Message):
    __slots__ = ("currency", "amount", "weighted_amount")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    currency: str
    amount: str
    weighted_amount: str
    def __init__(self, currency: _Optional[str] = ..., amount: _Optional[str] = ..., weighted_amount: _Optional[str] = ...) -> None: ...

class KanbanColumn(_message.Message):
    __slots__ = ("stage", "count", "sums", "cards", "next_cursor")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SUMS_FIELD_NUMBER: _ClassVar[int]
    CARDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    stage: Stage
    count: int
    sums: _containers.RepeatedCompositeFieldContainer[KanbanSum]
    cards: _containers.RepeatedCompositeFieldContainer[KanbanCard]
    next_cursor: str
    def __init__(self, stage: _Optional[_Union[Stage, _Mapping]] = ..., count: _Optional[int] = ..., sums: _Optional[_Iterable[_Union[KanbanSum, _Mapping]]] = ..., cards: _Optional[_Iterable[_Union[KanbanCard, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class GetKanbanRequest(_message.Message):
    __slots__ = ("pipeline_id", "query", "filters", "limit", "sort", "stage_id", "cursor", "include_closed")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_CLOSED_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    limit: int
    sort: str
    stage_id: str
    cursor: str
    include_closed: bool
    def __init__(self, pipeline_id: _Optional[str] = ..., query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., limit: _Optional[int] = ..., sort: _Optional[str] = ..., stage_id: _Optional[str] = ..., cursor: _Optional[str] = ..., include_closed: _Optional[bool] = ...) -> None: ...

class Kanban(_message.Message):
    __slots__ = ("pipeline", "columns", "count", "sums")
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SUMS_FIELD_NUMBER: _ClassVar[int]
    pipeline: Pipeline
    columns: _containers.RepeatedCompositeFieldContainer[KanbanColumn]
    count: int
    sums: _containers.RepeatedCompositeFieldContainer[KanbanSum]
    def __init__(self, pipeline: _Optional[_Union[Pipeline, _Mapping]] = ..., columns: _Optional[_Iterable[_Union[KanbanColumn, _Mapping]]] = ..., count: _Optional[int] = ..., sums: _Optional[_Iterable[_Union[KanbanSum, _Mapping]]] = ...) -> None: ...

class GetForecastRequest(_message.Message):
    __slots__ = ("pipeline_id", "group_by", "from_month", "to_month", "filters")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    FROM_MONTH_FIELD_NUMBER: _ClassVar[int]
    TO_MONTH_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    group_by: _containers.RepeatedScalarFieldContainer[str]
    from_month: str
    to_month: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    def __init__(self, pipeline_id: _Optional[str] = ..., group_by: _Optional[_Iterable[str]] = ..., from_month: _Optional[str] = ..., to_month: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ...) -> None: ...

class ForecastRow(_message.Message):
    __slots__ = ("month", "owner_id", "team_id", "currency", "deals", "amount", "weighted_amount", "overdue")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DEALS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    month: str
    owner_id: str
    team_id: str
    currency: str
    deals: int
    amount: str
    weighted_amount: str
    overdue: bool
    def __init__(self, month: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., currency: _Optional[str] = ..., deals: _Optional[int] = ..., amount: _Optional[str] = ..., weighted_amount: _Optional[str] = ..., overdue: _Optional[bool] = ...) -> None: ...

class Forecast(_message.Message):
    __slots__ = ("rows", "totals", "overdue_totals")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_TOTALS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[ForecastRow]
    totals: _containers.RepeatedCompositeFieldContainer[ForecastRow]
    overdue_totals: _containers.RepeatedCompositeFieldContainer[ForecastRow]
    def __init__(self, rows: _Optional[_Iterable[_Union[ForecastRow, _Mapping]]] = ..., totals: _Optional[_Iterable[_Union[ForecastRow, _Mapping]]] = ..., overdue_totals: _Optional[_Iterable[_Union[ForecastRow, _Mapping]]] = ...) -> None: ...

class SalesPlan(_message.Message):
    __slots__ = ("id", "month", "user_id", "team_id", "amount", "currency", "version", "updated_at", "updated_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    month: str
    user_id: str
    team_id: str
    amount: str
    currency: str
    version: int
    updated_at: _timestamp_pb2.Timestamp
    updated_by: str
    def __init__(self, id: _Optional[str] = ..., month: _Optional[str] = ..., user_id: _Optional[str] = ..., team_id: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., version: _Optional[int] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[str] = ...) -> None: ...

class ListSalesPlansRequest(_message.Message):
    __slots__ = ("from_month", "to_month", "team_id", "user_id")
    FROM_MONTH_FIELD_NUMBER: _ClassVar[int]
    TO_MONTH_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    from_month: str
    to_month: str
    team_id: str
    user_id: str
    def __init__(self, from_month: _Optional[str] = ..., to_month: _Optional[str] = ..., team_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class ListSalesPlansResponse(_message.Message):
    __slots__ = ("plans",)
    PLANS_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[SalesPlan]
    def __init__(self, plans: _Optional[_Iterable[_Union[SalesPlan, _Mapping]]] = ...) -> None: ...

class PutSalesPlanRequest(_message.Message):
    __slots__ = ("month", "user_id", "team_id", "amount", "currency")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    month: str
    user_id: str
    team_id: str
    amount: str
    currency: str
    def __init__(self, month: _Optional[str] = ..., user_id: _Optional[str] = ..., team_id: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class DeleteSalesPlanRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetSalesDashboardRequest(_message.Message):
    __slots__ = ("period", "date", "team_id", "owner_id")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    period: str
    date: str
    team_id: str
    owner_id: str
    def __init__(self, period: _Optional[str] = ..., date: _Optional[str] = ..., team_id: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class WonFigures(_message.Message):
    __slots__ = ("currency", "deals", "amount", "plan")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DEALS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    currency: str
    deals: int
    amount: str
    plan: str
    def __init__(self, currency: _Optional[str] = ..., deals: _Optional[int] = ..., amount: _Optional[str] = ..., plan: _Optional[str] = ...) -> None: ...

class PeriodFigures(_message.Message):
    __slots__ = ("period", "start", "end", "won")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    WON_FIELD_NUMBER: _ClassVar[int]
    period: str
    start: str
    end: str
    won: _containers.RepeatedCompositeFieldContainer[WonFigures]
    def __init__(self, period: _Optional[str] = ..., start: _Optional[str] = ..., end: _Optional[str] = ..., won: _Optional[_Iterable[_Union[WonFigures, _Mapping]]] = ...) -> None: ...

class MoneySum(_message.Message):
    __slots__ = ("currency", "count", "amount", "weighted_amount")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    currency: str
    count: int
    amount: str
    weighted_amount: str
    def __init__(self, currency: _Optional[str] = ..., count: _Optional[int] = ..., amount: _Optional[str] = ..., weighted_amount: _Optional[str] = ...) -> None: ...

class MonthFigures(_message.Message):
    __slots__ = ("month", "currency", "expected", "expected_weighted", "won", "plan")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_WEIGHTED_FIELD_NUMBER: _ClassVar[int]
    WON_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    month: str
    currency: str
    expected: str
    expected_weighted: str
    won: str
    plan: str
    def __init__(self, month: _Optional[str] = ..., currency: _Optional[str] = ..., expected: _Optional[str] = ..., expected_weighted: _Optional[str] = ..., won: _Optional[str] = ..., plan: _Optional[str] = ...) -> None: ...

class DealRef(_message.Message):
    __slots__ = ("id", "title", "owner_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    owner_id: str
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class SalesDashboard(_message.Message):
    __slots__ = ("month", "quarter", "pipeline", "overdue_deals", "months", "overdue_payments", "no_next_step_count", "no_next_step")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_DEALS_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    NO_NEXT_STEP_COUNT_FIELD_NUMBER: _ClassVar[int]
    NO_NEXT_STEP_FIELD_NUMBER: _ClassVar[int]
    month: PeriodFigures
    quarter: PeriodFigures
    pipeline: _containers.RepeatedCompositeFieldContainer[MoneySum]
    overdue_deals: _containers.RepeatedCompositeFieldContainer[MoneySum]
    months: _containers.RepeatedCompositeFieldContainer[MonthFigures]
    overdue_payments: _containers.RepeatedCompositeFieldContainer[MoneySum]
    no_next_step_count: int
    no_next_step: _containers.RepeatedCompositeFieldContainer[DealRef]
    def __init__(self, month: _Optional[_Union[PeriodFigures, _Mapping]] = ..., quarter: _Optional[_Union[PeriodFigures, _Mapping]] = ..., pipeline: _Optional[_Iterable[_Union[MoneySum, _Mapping]]] = ..., overdue_deals: _Optional[_Iterable[_Union[MoneySum, _Mapping]]] = ..., months: _Optional[_Iterable[_Union[MonthFigures, _Mapping]]] = ..., overdue_payments: _Optional[_Iterable[_Union[MoneySum, _Mapping]]] = ..., no_next_step_count: _Optional[int] = ..., no_next_step: _Optional[_Iterable[_Union[DealRef, _Mapping]]] = ...) -> None: ...

class ProductPrice(_message.Message):
    __slots__ = ("price_list", "currency", "price")
    PRICE_LIST_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    price_list: str
    currency: str
    price: str
    def __init__(self, price_list: _Optional[str] = ..., currency: _Optional[str] = ..., price: _Optional[str] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("id", "name", "article", "description", "kind", "unit_code", "vat_rate", "prices", "archived", "version", "created_at", "created_by", "updated_at", "updated_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VAT_RATE_FIELD_NUMBER: _ClassVar[int]
    PRICES_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    article: str
    description: str
    kind: str
    unit_code: str
    vat_rate: str
    prices: _containers.RepeatedCompositeFieldContainer[ProductPrice]
    archived: bool
    version: int
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    updated_at: _timestamp_pb2.Timestamp
    updated_by: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., article: _Optional[str] = ..., description: _Optional[str] = ..., kind: _Optional[str] = ..., unit_code: _Optional[str] = ..., vat_rate: _Optional[str] = ..., prices: _Optional[_Iterable[_Union[ProductPrice, _Mapping]]] = ..., archived: _Optional[bool] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[str] = ...) -> None: ...

class CreateProductRequest(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class GetProductRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateProductRequest(_message.Message):
    __slots__ = ("product", "update_mask", "expected_version")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    product: Product
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ListProductsRequest(_message.Message):
    __slots__ = ("query", "kind", "include_archived", "limit", "cursor")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    query: str
    kind: str
    include_archived: bool
    limit: int
    cursor: str
    def __init__(self, query: _Optional[str] = ..., kind: _Optional[str] = ..., include_archived: _Optional[bool] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListProductsResponse(_message.Message):
    __slots__ = ("products", "next_cursor")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    next_cursor: str
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...
