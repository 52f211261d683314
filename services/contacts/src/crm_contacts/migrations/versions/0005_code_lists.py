"""Relationship types as a code list (crm_core.common): label_en and label_ru, archived, position.

Revision ID: 0005
"""

from crm_core.migrations import downgrade_code_list_table, upgrade_code_list_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The Russian labels of the shipped relationship types (the English ones are in 0001).
SHIPPED_RU = {
    "prospect": "Потенциальный клиент",
    "client": "Клиент",
    "supplier": "Поставщик",
    "partner": "Партнёр",
    "channel": "Канал продвижения",
    "competitor": "Конкурент",
}


def upgrade() -> None:
    upgrade_code_list_table("relationship_type", SHIPPED_RU)


def downgrade() -> None:
    downgrade_code_list_table("relationship_type", added=("archived", "position"))
