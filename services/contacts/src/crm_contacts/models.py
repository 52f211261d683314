"""Tables of the contacts database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Computed, ForeignKey, Identity, Integer, Numeric, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_contacts import DOMAIN
from crm_core.common.code_lists import CodeColumns
from crm_core.db import new_id, service_registry, utcnow


class Base(DeclarativeBase):
    """Declarative base of the contacts database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN, access_scopes=True)


class Party(Base):
    """A company or a person, with its requisites, contacts and client knowledge."""

    __tablename__ = "party"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(Text)
    # Company requisites.
    legal_name: Mapped[str | None] = mapped_column(Text)
    short_name: Mapped[str | None] = mapped_column(Text)
    inn: Mapped[str | None] = mapped_column(Text)
    kpp: Mapped[str | None] = mapped_column(Text)
    ogrn: Mapped[str | None] = mapped_column(Text)
    legal_address: Mapped[str | None] = mapped_column(Text)
    postal_address: Mapped[str | None] = mapped_column(Text)
    bank_accounts: Mapped[list] = mapped_column(JSONB, default=list)
    industry: Mapped[str | None] = mapped_column(Text)
    size: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    # Person.
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    middle_name: Mapped[str | None] = mapped_column(Text)
    position: Mapped[str | None] = mapped_column(Text)
    # Contact points as given, plus normalized copies for dedup and search.
    phones: Mapped[list] = mapped_column(JSONB, default=list)
    emails: Mapped[list] = mapped_column(JSONB, default=list)
    messengers: Mapped[list] = mapped_column(JSONB, default=list)
    phones_norm: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    emails_norm: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # phones_norm joined by spaces, trigram-indexed: any fragment of digits finds its number.
    phone_digits: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    relationship_types: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # Access.
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    custom_fields: Mapped[dict] = mapped_column(JSONB, default=dict)
    # Client knowledge, in columns so it can be filtered and aggregated.
    needs: Mapped[list] = mapped_column(JSONB, default=list)
    purchase_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    purchase_currency: Mapped[str | None] = mapped_column(Text)
    purchase_period: Mapped[str | None] = mapped_column(Text)
    season_months: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    payment_discipline: Mapped[str] = mapped_column(Text, default="unknown")
    refusal_reasons: Mapped[list] = mapped_column(JSONB, default=list)
    obstacles: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # Search: text assembled by the service, indexed as tsvector and trigrams.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Duplicates: the normalized name (crm_contacts.names), GiST trigram index for nearest-first lookups.
    name_key: Mapped[str] = mapped_column(Text, default="")
    search_tsv: Mapped[str] = mapped_column(TSVECTOR, Computed("to_tsvector('simple', search_text)", persisted=True))
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(Text)
    merged_into_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))


class PartyLink(Base):
    """A person working at a company, in a role."""

    __tablename__ = "party_link"
    __table_args__ = (UniqueConstraint("company_id", "person_id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("party.id"))
    person_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("party.id"))
    role: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Note(Base):
    __tablename__ = "note"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    party_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("party.id"))
    author_id: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TimelineEntry(Base):
    """One event about a party, projected from any domain's stream."""

    __tablename__ = "timeline_entry"
    __table_args__ = (UniqueConstraint("event_id", "party_id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    party_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    event_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    type: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime]
    actor_id: Mapped[str] = mapped_column(Text, default="")
    subject_id: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # The event's payload as JSON (consumers.timeline_data); None for entries projected before it was kept.
    data: Mapped[dict | None] = mapped_column(JSONB, nullable=True)
    # The records this entry reveals (crm_core.scopes): it shows to readers who may see all of them.
    scope_keys: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)


class CustomFieldDefinition(Base):
    __tablename__ = "custom_field"
    __table_args__ = (UniqueConstraint("entity_type", "key"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    entity_type: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class RelationshipType(CodeColumns, Base):
    """A relationship type (client, supplier, ...): the code list relationship_types (crm_core.common)."""

    __tablename__ = "relationship_type"


class SavedFilter(Base):
    __tablename__ = "saved_filter"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    query: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[list] = mapped_column(JSONB, default=list)
    sort: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
