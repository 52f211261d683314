"""crm_core.db.service_registry: each service's tables in a metadata of its own, next to crm_core's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.db import CORE_TABLES, service_registry


class OneBase(DeclarativeBase):
    registry = service_registry("one")


class OtherBase(DeclarativeBase):
    registry = service_registry("other", access_scopes=True)


class OneNote(OneBase):
    __tablename__ = "note"

    id: Mapped[str] = mapped_column(Text, primary_key=True)


class OtherNote(OtherBase):
    __tablename__ = "note"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


def test_two_services_may_name_a_table_alike_each_in_its_own_metadata() -> None:
    assert OneBase.metadata is not OtherBase.metadata
    assert [c.name for c in OneBase.metadata.tables["note"].columns] == ["id"]
    assert [c.name for c in OtherBase.metadata.tables["note"].columns] == ["id", "text"]
    assert OneBase.metadata.info["domain"] == "one"


def test_every_service_metadata_holds_the_core_tables_and_access_scopes_when_asked() -> None:
    assert set(CORE_TABLES) <= set(OneBase.metadata.tables)
    assert "access_scope" not in OneBase.metadata.tables
    assert set(CORE_TABLES) | {"access_scope", "note"} == set(OtherBase.metadata.tables)
    outbox = OneBase.metadata.tables["outbox"]
    assert outbox is not OtherBase.metadata.tables["outbox"]
    assert {"event_id", "subject", "payload", "sent_at"} <= set(outbox.columns.keys())


def test_timestamps_are_timezone_aware_in_a_service_base() -> None:
    class Stamped(OneBase):
        __tablename__ = "stamped"

        id: Mapped[str] = mapped_column(Text, primary_key=True)
        at: Mapped[datetime]

    assert Stamped.__table__.c.at.type.timezone is True
