"""Tables of the marketing database.

`Base` is the service's own declarative base: its metadata holds crm_core's core tables (outbox, inbox,
relay checkpoint, answered requests, audit, access scopes of the deals it attributes) beside the
service's own.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.common.code_lists import CodeColumns
from crm_core.db import new_id, service_registry, utcnow
from crm_marketing import DOMAIN

__all__ = [
    "AssignmentRule",
    "Base",
    "Campaign",
    "CampaignCost",
    "CampaignType",
    "DealSource",
    "DisqualificationReason",
    "Form",
    "FormHit",
    "ImportChunk",
    "ImportJob",
    "ImportRow",
    "Lead",
    "MailClick",
    "MailRecipient",
    "MailSuppression",
    "MailTemplate",
    "Mailing",
    "Segment",
    "SegmentMember",
    "Visit",
    "Visitor",
]


class Base(DeclarativeBase):
    """Declarative base of the marketing database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN, access_scopes=True)


class CampaignType(CodeColumns, Base):
    """A channel campaigns belong to (web form, exhibition, advertising, ...): the code list campaign_types."""

    __tablename__ = "campaign_type"


class DisqualificationReason(CodeColumns, Base):
    """Why a lead was not worth working (spam, no need, ...): the code list disqualification_reasons."""

    __tablename__ = "disqualification_reason"


class Campaign(Base):
    """A channel leads come from, regular or one-off, with its budget and what it actually cost."""

    __tablename__ = "campaign"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="planned")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(Text, default="RUB")
    description: Mapped[str] = mapped_column(Text, default="")
    utm_campaign: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class CampaignCost(Base):
    """One actual cost of a campaign (a stand, an ad invoice), in the campaign's currency."""

    __tablename__ = "campaign_cost"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("campaign.id"), index=True)
    spent_on: Mapped[date] = mapped_column(Date)
    item: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class Lead(Base):
    """An unqualified contact from a channel, worked until it is qualified and converted or disqualified."""

    __tablename__ = "lead"
    __table_args__ = (
        Index("ix_lead_created", "created_at", "id"),
        Index("ix_lead_email_key", "email_key", postgresql_where="email_key <> ''"),
        Index("ix_lead_phone_e164", "phone_e164", postgresql_where="phone_e164 <> ''"),
        Index("ix_lead_inn", "inn", postgresql_where="inn <> ''"),
        Index("ix_lead_campaign", "campaign_id"),
        Index("ix_lead_search", "search_text", postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"}),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(Text, default="new")
    person_name: Mapped[str] = mapped_column(Text, default="")
    company_name: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    # Lower-cased e-mail: the duplicate key.
    email_key: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    phone_e164: Mapped[str] = mapped_column(Text, default="")
    inn: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    campaign_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False), ForeignKey("campaign.id"))
    channel: Mapped[str] = mapped_column(Text, default="manual")
    utm: Mapped[dict] = mapped_column(JSONB, default=dict)
    raw: Mapped[dict] = mapped_column(JSONB, default=dict)
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # [{"kind": "lead"|"party", "id", "name", "reasons": [...]}], as found when captured or last changed.
    duplicates: Mapped[list] = mapped_column(JSONB, default=list)
    disqualification_reason: Mapped[str | None] = mapped_column(Text)
    disqualification_comment: Mapped[str] = mapped_column(Text, default="")
    company_id: Mapped[str | None] = mapped_column(Text)
    person_id: Mapped[str | None] = mapped_column(Text)
    deal_id: Mapped[str | None] = mapped_column(Text)
    # A conversion asked for and not finished yet: what it was asked to do (ConvertLead retries complete it).
    conversion: Mapped[dict | None] = mapped_column(JSONB)
    form_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    visitor_id: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    # Names, e-mail, phone digits and INN, lower-cased: what a search matches (trigram index).
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)
    converted_at: Mapped[datetime | None]


class AssignmentRule(Base):
    """An ordered rule giving matching new leads to its users in turn (round robin)."""

    __tablename__ = "assignment_rule"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    # [{"field", "op", "value"}]
    conditions: Mapped[list] = mapped_column(JSONB, default=list)
    user_ids: Mapped[list[str]] = mapped_column(ARRAY(Text))
    team_id: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How many leads the rule has given: the next one goes to user_ids[assigned % len(user_ids)].
    assigned: Mapped[int] = mapped_column(BigInteger, default=0)


class Form(Base):
    """A web form on the company's site: its fields, campaign, allowed origins and public token."""

    __tablename__ = "form"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    token: Mapped[str] = mapped_column(Text, unique=True)
    campaign_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False), ForeignKey("campaign.id"))
    # [{"name", "type", "required", "label_ru", "label_en", "options"}]
    fields: Mapped[list] = mapped_column(JSONB, default=list)
    allowed_origins: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    success_message_ru: Mapped[str] = mapped_column(Text, default="")
    success_message_en: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str | None] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    rate_limit_per_minute: Mapped[int] = mapped_column(Integer, default=5)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class FormHit(Base):
    """One submission attempt from an address: the per-address rate limit counts these (every replica sees them)."""

    __tablename__ = "form_hit"
    __table_args__ = (Index("ix_form_hit_ip_at", "client_ip", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    form_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    client_ip: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class ImportJob(Base):
    """An uploaded file of leads or parties, its mapping, and the progress of its background job."""

    __tablename__ = "import_job"
    __table_args__ = (
        Index("ix_import_job_waiting", "created_at", postgresql_where="status IN ('queued', 'running')"),
        Index("ix_import_job_owner", "owner_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    target: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="uploading")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    declared_size: Mapped[int] = mapped_column(BigInteger, default=0)
    format: Mapped[str] = mapped_column(Text, default="")
    encoding: Mapped[str] = mapped_column(Text, default="")
    delimiter: Mapped[str] = mapped_column(Text, default="")
    preset: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # header -> target field
    mapping: Mapped[dict] = mapped_column(JSONB, default=dict)
    samples: Mapped[dict] = mapped_column(JSONB, default=dict)
    campaign_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    on_duplicate: Mapped[str] = mapped_column(Text, default="skip")
    rows_total: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_done: Mapped[int] = mapped_column(BigInteger, default=0)
    created: Mapped[int] = mapped_column(BigInteger, default=0)
    duplicates: Mapped[int] = mapped_column(BigInteger, default=0)
    errors: Mapped[int] = mapped_column(BigInteger, default=0)
    failure: Mapped[str] = mapped_column(Text, default="")
    # The importing user as the job acts for them: {"user_id", "roles", "team_ids"}.
    caller: Mapped[dict] = mapped_column(JSONB, default=dict)
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Parties: the kind of a row without a "kind" column.
    party_kind: Mapped[str] = mapped_column(Text, default="person", server_default="person")
    # The replica working the import and until when its claim holds (renewed every batch): a replica that
    # died mid-import is taken over once the lease has run out (imports.job).
    worker: Mapped[str] = mapped_column(Text, default="", server_default="")
    lease_until: Mapped[datetime | None]


class ImportChunk(Base):
    """A piece of an uploaded file, in order (files are uploaded in pieces so no request holds a whole file)."""

    __tablename__ = "import_chunk"

    import_id: Mapped[str] = mapped_column(
        UUID(as_uuid=False), ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ImportRow(Base):
    """The result of one row of an import (written with its batch, in the batch's transaction)."""

    __tablename__ = "import_row"
    __table_args__ = (Index("ix_import_row_outcome", "import_id", "outcome", "row_number"),)

    import_id: Mapped[str] = mapped_column(
        UUID(as_uuid=False), ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True
    )
    row_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    outcome: Mapped[str] = mapped_column(Text)
    record_id: Mapped[str] = mapped_column(Text, default="")
    duplicate_kind: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_row: Mapped[int] = mapped_column(BigInteger, default=0)
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    # The row as read from the file (for the error file).
    values: Mapped[list] = mapped_column(JSONB, default=list)


class DealSource(Base):
    """A deal whose source is a campaign, as deals' events tell it: what attribution and ROI sum.

    The deal's access scope is in access_scope ("deal:<id>"), so a report counts only deals its reader sees.
    """

    __tablename__ = "deal_source"

    deal_id: Mapped[str] = mapped_column(Text, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Text, index=True)
    lead_id: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text, default="open")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(Text, default="RUB")
    # Payments received on the deal (a payment counted once: payment_ids).
    revenue: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    payment_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Segment(Base):
    """A saved set of parties or leads: a filter evaluated as its reader (dynamic) or explicit members (static)."""

    __tablename__ = "segment"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="parties")
    query: Mapped[str] = mapped_column(Text, default="")
    # [[field, op, value], ...] as ListParties / ListLeads take them.
    filters: Mapped[list] = mapped_column(JSONB, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class SegmentMember(Base):
    """A party or lead put into a static segment (who sees it is decided by its own service when read)."""

    __tablename__ = "segment_member"

    segment_id: Mapped[str] = mapped_column(
        UUID(as_uuid=False), ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True
    )
    record_kind: Mapped[str] = mapped_column(Text, primary_key=True)
    record_id: Mapped[str] = mapped_column(Text, primary_key=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(Text)


class MailTemplate(Base):
    """An e-mail with merge fields (subject, text, optional HTML), checked when saved."""

    __tablename__ = "mail_template"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class Mailing(Base):
    """An e-mail campaign: a template sent to a segment's members within a campaign of type mailing."""

    __tablename__ = "mailing"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    template_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("mail_template.id"))
    segment_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("segment.id"))
    campaign_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("campaign.id"), index=True)
    from_address: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text, default="draft")
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)
    send_requested_at: Mapped[datetime | None]
    sent_by: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None]


class MailRecipient(Base):
    """One message to one address: of a mailing, or of a template sent by a process (key = the job's id).

    The merge values are taken when the recipients are resolved (as the sending user), so the sender needs
    no other service. The background sender claims queued rows with FOR UPDATE SKIP LOCKED.
    """

    __tablename__ = "mail_recipient"
    __table_args__ = (
        UniqueConstraint("mailing_id", "record_kind", "record_id", name="uq_mail_recipient_mailing_record"),
        Index("ix_mail_recipient_due", "next_attempt_at", postgresql_where="status = 'queued'"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    mailing_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False), ForeignKey("mailing.id"))
    template_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    # A template sent for a process job: sent once per key.
    key: Mapped[str | None] = mapped_column(Text, unique=True)
    record_kind: Mapped[str] = mapped_column(Text)
    record_id: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    # {"first_name", "last_name", "name", "company", "position", "email"}
    merge: Mapped[dict] = mapped_column(JSONB, default=dict)
    from_address: Mapped[str] = mapped_column(Text, default="")
    campaign_id: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    clicked_at: Mapped[datetime | None]
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)


class MailClick(Base):
    """A link of a message clicked (first time per link: message.clicked)."""

    __tablename__ = "mail_click"

    recipient_id: Mapped[str] = mapped_column(
        UUID(as_uuid=False), ForeignKey("mail_recipient.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(BigInteger, default=1)


class MailSuppression(Base):
    """An address no mailing is sent to, for ever (only an admin removes one, audited)."""

    __tablename__ = "mail_suppression"

    email_key: Mapped[str] = mapped_column(Text, primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="unsubscribed")
    recipient_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text, default="")


class Visit(Base):
    """One page view the tracking snippet reported (visits.py): anonymous until its visitor is identified."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_visitor_at", "visitor_id", "at"),
        Index("ix_visit_ip_at", "client_ip_hash", "at"),
        Index("ix_visit_lead_at", "lead_id", "at", postgresql_where="lead_id IS NOT NULL"),
        Index("ix_visit_party_at", "party_id", "at", postgresql_where="party_id IS NOT NULL"),
        # What the retention purge deletes: anonymous visits by age.
        Index("ix_visit_anonymous_at", "at", postgresql_where="lead_id IS NULL"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    visitor_id: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    referrer: Mapped[str] = mapped_column(Text, default="")
    # {"source", "medium", "campaign", "content", "term"}: the url's utm_* marks.
    utm: Mapped[dict] = mapped_column(JSONB, default=dict)
    at: Mapped[datetime]
    # A keyed hash of the visitor's address (the per-address limit), never the address.
    client_ip_hash: Mapped[str] = mapped_column(Text, default="")
    lead_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    party_id: Mapped[str | None] = mapped_column(Text)


class Visitor(Base):
    """An identified site visitor: the lead (and its party) its visits now belong to (the newest lead naming it)."""

    __tablename__ = "visitor"

    visitor_id: Mapped[str] = mapped_column(Text, primary_key=True)
    lead_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    party_id: Mapped[str | None] = mapped_column(Text)
    identified_at: Mapped[datetime]
