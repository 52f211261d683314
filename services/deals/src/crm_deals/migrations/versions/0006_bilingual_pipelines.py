"""Pipelines and stages named in Russian and English (name_ru, name_en); `name` in the default language.

The pipeline the platform ships ("Sales", created by 0001) gets its Russian
labels and its `name`s in the installation's language (CRM_DEFAULT_LANGUAGE);
pipelines and stages an admin made keep their name in both languages.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

from crm_core.settings import CommonSettings

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SHIPPED_PIPELINE = ("Sales", "Продажи")
# The shipped stages (0001): English name -> Russian.
SHIPPED_STAGES = {
    "Lead": "Новая",
    "Qualified": "Квалификация",
    "Proposal": "Коммерческое предложение",
    "Negotiation": "Переговоры",
    "Won": "Выиграна",
    "Lost": "Проиграна",
}


def upgrade() -> None:
    for table in ("pipeline", "stage"):
        op.add_column(table, sa.Column("name_ru", sa.Text, nullable=True))
        op.add_column(table, sa.Column("name_en", sa.Text, nullable=True))
        op.execute(f"UPDATE {table} SET name_ru = name, name_en = name")
        op.alter_column(table, "name_ru", nullable=False)
        op.alter_column(table, "name_en", nullable=False)
    english, russian = SHIPPED_PIPELINE
    # The oldest pipeline still called "Sales" is the shipped one; its stages still called as shipped are too.
    shipped = sa.text("SELECT id FROM pipeline WHERE name = :name ORDER BY created_at LIMIT 1")
    pipeline_id = op.get_bind().scalar(shipped, {"name": english})
    if pipeline_id is None:
        return  # renamed by an admin: theirs now
    in_russian = CommonSettings().default_language == "ru"
    op.execute(
        sa.text("UPDATE pipeline SET name_ru = :ru, name = :name WHERE id = :id").bindparams(
            ru=russian, name=russian if in_russian else english, id=pipeline_id
        )
    )
    for en, ru in SHIPPED_STAGES.items():
        op.execute(
            sa.text("UPDATE stage SET name_ru = :ru, name = :name WHERE pipeline_id = :id AND name = :en").bindparams(
                ru=ru, name=ru if in_russian else en, id=pipeline_id, en=en
            )
        )


def downgrade() -> None:
    for table in ("pipeline", "stage"):
        op.execute(f"UPDATE {table} SET name = name_en")
        op.drop_column(table, "name_en")
        op.drop_column(table, "name_ru")
