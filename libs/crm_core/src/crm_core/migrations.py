"""Alembic helpers: run a service's migrations and create the core tables.

Each service keeps its own alembic folder (`migrations/`) whose env.py calls
`run_env`, and whose first revision calls `create_core_tables` so outbox,
inbox and audit tables are the same everywhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import create_async_engine

from crm_core.db import ensure_database
from crm_core.logging import configure_logging
from crm_core.settings import CommonSettings


def alembic_config(migrations_dir: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(migrations_dir: Path, url: str, revision: str = "head") -> None:
    """Create the database if missing and migrate it to `revision`."""
    asyncio.run(ensure_database(url))
    command.upgrade(alembic_config(migrations_dir, url), revision)


def run_migrations(process: str, migrations_dir: Path, url: str) -> None:
    """The body of every `python -m <package>.migrate`: JSON logs like the servers', then `upgrade`.

    Alembic reports each revision it applies through the standard logging module; configured here,
    those lines are JSON objects (`"logger": "alembic.runtime.migration"`) with `service` set to
    `<process>-migrate`, so a migrations Job's output parses like every other pod's.
    """
    settings = CommonSettings()
    configure_logging(f"{process}-migrate", settings.log_level, settings.log_format)
    upgrade(migrations_dir, url)


def run_env(target_metadata: sa.MetaData) -> None:
    """Body of every service's alembic env.py (online, async engine)."""
    url = context.config.get_main_option("sqlalchemy.url") or ""

    def do_run(connection: sa.Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


def create_core_tables() -> None:
    """Outbox, inbox and audit tables (call from a service's first revision)."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", pg.UUID(as_uuid=False), nullable=False, unique=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_pending", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL"))
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("event_id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("entity_type", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("changes", pg.JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("ix_audit_entry_entity", "audit_entry", ["entity_id", "id"])


def create_access_scope_table() -> None:
    """The `access_scope` table of a service that copies other domains' records (crm_core.scopes)."""
    op.create_table(
        "access_scope",
        sa.Column("record", sa.Text, primary_key=True),
        sa.Column("owner_id", sa.Text, nullable=False, server_default=""),
        sa.Column("team_id", sa.Text, nullable=False, server_default=""),
        sa.Column("shared_with", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("team_role", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
    )


def create_recovery_tables() -> None:
    """What lets a service recover by itself: the relay's checkpoint of its stream (a broker that lost its
    data is noticed and refilled) and requests already answered (a retried request gets the first answer)."""
    op.create_table(
        "relay_checkpoint",
        sa.Column("stream", sa.Text, primary_key=True),
        sa.Column("stream_created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "answered_request",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("response", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_answered_request_created", "answered_request", ["created_at"])


def upgrade_code_list_table(table: str, shipped_ru: Mapping[str, str]) -> None:
    """Give a code list table the columns of crm_core.common.code_lists.CodeColumns, keeping its rows.

    The single `label` becomes `label_en` (what the platform shipped, and what
    admins typed, stays where it was); `label_ru` is the shipped Russian label
    of a shipped code and a copy of the one label otherwise; `archived` and
    `position` are added where the table lacks them (positions follow the old
    listing order: built-in codes first, then by code).
    """
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    if "label" in columns:
        op.alter_column(table, "label", new_column_name="label_en")
    if "label_ru" not in columns:
        op.add_column(table, sa.Column("label_ru", sa.Text))
        op.execute(sa.text(f"UPDATE {table} SET label_ru = label_en"))
        for code, label in shipped_ru.items():
            op.execute(
                sa.text(f"UPDATE {table} SET label_ru = :label WHERE code = :code AND builtin").bindparams(
                    label=label, code=code
                )
            )
        op.alter_column(table, "label_ru", nullable=False)
    if "archived" not in columns:
        op.add_column(table, sa.Column("archived", sa.Boolean, nullable=False, server_default="false"))
    if "position" not in columns:
        op.add_column(table, sa.Column("position", sa.Integer, nullable=False, server_default="0"))
        op.execute(
            sa.text(
                f"UPDATE {table} t SET position = o.n FROM (SELECT code, row_number() OVER "
                f"(ORDER BY builtin DESC, code) - 1 AS n FROM {table}) o WHERE t.code = o.code"
            )
        )


def downgrade_code_list_table(table: str, added: tuple[str, ...] = ()) -> None:
    """Back to the single `label` (English) of the table; the Russian labels and the `added` columns are dropped."""
    for column in ("label_ru", *added):
        op.drop_column(table, column)
    op.alter_column(table, "label_en", new_column_name="label")
