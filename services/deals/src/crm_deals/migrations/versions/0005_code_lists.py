"""Loss reasons as a code list (crm_core.common): label_en and label_ru.

Revision ID: 0005
"""

from crm_core.migrations import downgrade_code_list_table, upgrade_code_list_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The Russian labels of the shipped loss reasons (the English ones are in 0001).
SHIPPED_RU = {
    "price": "Дорого",
    "competitor": "Выбрали конкурента",
    "no_budget": "Нет бюджета",
    "timing": "Не время",
    "no_response": "Перестали отвечать",
    "other": "Другое",
}


def upgrade() -> None:
    upgrade_code_list_table("loss_reason", SHIPPED_RU)


def downgrade() -> None:
    downgrade_code_list_table("loss_reason")
