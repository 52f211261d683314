"""Legal entities, templates and their versions, number counters, documents and their files, bank statements.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from crm_core.migrations import create_access_scope_table
from crm_documents.templates import shipped_rows

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(18, 2)


def _now() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    create_access_scope_table()
    op.create_table(
        "legal_entity",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        *(
            sa.Column(name, sa.Text(), nullable=False, server_default="")
            for name in (
                "full_name",
                "kpp",
                "ogrn",
                "address",
                "phone",
                "email",
                "bank_name",
                "bik",
                "correspondent_account",
                "account",
            )
        ),
        sa.Column("inn", sa.Text(), nullable=False),
        sa.Column("signatories", JSONB(), nullable=False, server_default="[]"),
        sa.Column("vat_payer", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("number_prefixes", JSONB(), nullable=False, server_default="{}"),
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="1"),
        _now(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    # At most one default legal entity.
    op.create_index(
        "legal_entity_one_default", "legal_entity", ["is_default"], unique=True, postgresql_where=sa.text("is_default")
    )
    op.create_table(
        "template",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("doc_type", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("shipped_key", sa.Text(), unique=True),
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("current_version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="1"),
        _now(),
    )
    # At most one default template per type and language.
    op.create_index(
        "template_one_default",
        "template",
        ["doc_type", "language"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "template_version",
        sa.Column("template_id", UUID(as_uuid=False), sa.ForeignKey("template.id"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False, server_default=""),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_by", sa.Text(), nullable=False),
        _now(),
    )
    op.create_table(
        "number_counter",
        sa.Column("legal_entity_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("doc_type", sa.Text(), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_number", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_table(
        "document",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("doc_type", sa.Text(), nullable=False),
        sa.Column("legal_entity_id", UUID(as_uuid=False), sa.ForeignKey("legal_entity.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("deal_id", UUID(as_uuid=False), nullable=False, index=True),
        sa.Column("deal_title", sa.Text(), nullable=False, server_default=""),
        sa.Column("party_id", UUID(as_uuid=False), index=True),
        sa.Column("party_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("party_inn", sa.Text(), nullable=False, server_default=""),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("vat_mode", sa.Text(), nullable=False),
        sa.Column("net_amount", MONEY, nullable=False),
        sa.Column("vat_amount", MONEY, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("paid_amount", MONEY, nullable=False, server_default="0"),
        sa.Column("lines", JSONB(), nullable=False, server_default="[]"),
        sa.Column("current_version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("scope_keys", ARRAY(sa.Text()), nullable=False),
        sa.Column("sent_to", sa.Text(), nullable=False, server_default=""),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("paid_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_by", sa.Text(), nullable=False),
        _now(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="1"),
        sa.UniqueConstraint("legal_entity_id", "doc_type", "year", "sequence"),
    )
    op.create_index("document_listing", "document", ["created_at", "id"])
    op.create_table(
        "document_file",
        sa.Column("document_id", UUID(as_uuid=False), sa.ForeignKey("document.id"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("blob_key", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("template_id", UUID(as_uuid=False), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("snapshot", JSONB(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        _now(),
    )
    op.create_table(
        "bank_statement",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("account", sa.Text(), nullable=False, server_default=""),
        sa.Column("period_start", sa.Date()),
        sa.Column("period_end", sa.Date()),
        sa.Column("created_by", sa.Text(), nullable=False),
        _now(),
    )
    op.create_table(
        "bank_payment",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("statement_id", UUID(as_uuid=False), sa.ForeignKey("bank_statement.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False, server_default=""),
        sa.Column("paid_on", sa.Date()),
        sa.Column("received_on", sa.Date()),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("payer_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("payer_inn", sa.Text(), nullable=False, server_default=""),
        sa.Column("purpose", sa.Text(), nullable=False, server_default=""),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("document_id", UUID(as_uuid=False), sa.ForeignKey("document.id")),
        sa.Column("deal_payment_id", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("bank_payment_statement", "bank_payment", ["statement_id"])
    op.create_index("bank_payment_fingerprint", "bank_payment", ["fingerprint"])
    _ship_templates()


def _ship_templates() -> None:
    """The shipped templates (quote, invoice, act, delivery note, contract; ru and en), default for their type."""
    template = sa.table(
        "template",
        *(sa.column(c) for c in ("id", "doc_type", "language", "name", "shipped_key", "is_default")),
    )
    version = sa.table(
        "template_version", *(sa.column(c) for c in ("template_id", "version", "html", "css", "created_by"))
    )
    rows = shipped_rows()
    op.bulk_insert(template, [t for t, _ in rows])
    op.bulk_insert(version, [v for _, v in rows])


def downgrade() -> None:
    for table in (
        "bank_payment",
        "bank_statement",
        "document_file",
        "document",
        "number_counter",
        "template_version",
        "template",
        "legal_entity",
        "access_scope",
    ):
        op.drop_table(table)
