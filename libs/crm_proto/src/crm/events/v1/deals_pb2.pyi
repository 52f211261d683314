from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DealChanged(_message.Message):
    __slots__ = ("deal_id", "title", "pipeline_id", "stage_id", "status", "client_id", "contact_ids", "owner_id", "team_id", "amount", "currency", "changed_fields", "source_campaign_id", "source_lead_id", "stage_name", "vat_mode", "vat_amount", "total_with_vat")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_IDS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    VAT_MODE_FIELD_NUMBER: _ClassVar[int]
    VAT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_WITH_VAT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    title: str
    pipeline_id: str
    stage_id: str
    status: str
    client_id: str
    contact_ids: _containers.RepeatedScalarFieldContainer[str]
    owner_id: str
    team_id: str
    amount: str
    currency: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    source_campaign_id: str
    source_lead_id: str
    stage_name: str
    vat_mode: str
    vat_amount: str
    total_with_vat: str
    def __init__(self, deal_id: _Optional[str] = ..., title: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., status: _Optional[str] = ..., client_id: _Optional[str] = ..., contact_ids: _Optional[_Iterable[str]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ..., source_campaign_id: _Optional[str] = ..., source_lead_id: _Optional[str] = ..., stage_name: _Optional[str] = ..., vat_mode: _Optional[str] = ..., vat_amount: _Optional[str] = ..., total_with_vat: _Optional[str] = ...) -> None: ...

class DealStageChanged(_message.Message):
    __slots__ = ("deal_id", "title", "pipeline_id", "from_stage_id", "from_stage_name", "to_stage_id", "to_stage_name", "category", "regression", "seconds_in_previous_stage", "amount", "currency", "loss_reason", "loss_comment", "client_id", "owner_id", "loss_reason_label_ru", "loss_reason_label_en", "vat_mode", "vat_amount", "total_with_vat")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REGRESSION_FIELD_NUMBER: _ClassVar[int]
    SECONDS_IN_PREVIOUS_STAGE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LOSS_REASON_FIELD_NUMBER: _ClassVar[int]
    LOSS_COMMENT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LOSS_REASON_LABEL_RU_FIELD_NUMBER: _ClassVar[int]
    LOSS_REASON_LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    VAT_MODE_FIELD_NUMBER: _ClassVar[int]
    VAT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_WITH_VAT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    title: str
    pipeline_id: str
    from_stage_id: str
    from_stage_name: str
    to_stage_id: str
    to_stage_name: str
    category: str
    regression: bool
    seconds_in_previous_stage: float
    amount: str
    currency: str
    loss_reason: str
    loss_comment: str
    client_id: str
    owner_id: str
    loss_reason_label_ru: str
    loss_reason_label_en: str
    vat_mode: str
    vat_amount: str
    total_with_vat: str
    def __init__(self, deal_id: _Optional[str] = ..., title: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., from_stage_id: _Optional[str] = ..., from_stage_name: _Optional[str] = ..., to_stage_id: _Optional[str] = ..., to_stage_name: _Optional[str] = ..., category: _Optional[str] = ..., regression: _Optional[bool] = ..., seconds_in_previous_stage: _Optional[float] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., loss_reason: _Optional[str] = ..., loss_comment: _Optional[str] = ..., client_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., loss_reason_label_ru: _Optional[str] = ..., loss_reason_label_en: _Optional[str] = ..., vat_mode: _Optional[str] = ..., vat_amount: _Optional[str] = ..., total_with_vat: _Optional[str] = ...) -> None: ...

class PaymentReceived(_message.Message):
    __slots__ = ("payment_id", "deal_id", "client_id", "amount", "currency", "due_date", "received_on", "late_days", "deal_title")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_ON_FIELD_NUMBER: _ClassVar[int]
    LATE_DAYS_FIELD_NUMBER: _ClassVar[int]
    DEAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    deal_id: str
    client_id: str
    amount: str
    currency: str
    due_date: str
    received_on: str
    late_days: int
    deal_title: str
    def __init__(self, payment_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., client_id: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., due_date: _Optional[str] = ..., received_on: _Optional[str] = ..., late_days: _Optional[int] = ..., deal_title: _Optional[str] = ...) -> None: ...
