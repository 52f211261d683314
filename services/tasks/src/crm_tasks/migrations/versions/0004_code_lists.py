"""Task types and results as code lists (crm_core.common): label_en and label_ru.

Revision ID: 0004
"""

from crm_core.migrations import downgrade_code_list_table, upgrade_code_list_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The Russian labels of the shipped task types and results (the English ones are in 0001).
TYPES_RU = {"call": "Звонок", "meeting": "Встреча", "email": "Письмо", "todo": "Дело"}
RESULTS_RU = {"reached": "Дозвонились", "no_answer": "Не дозвонились", "postponed": "Перенесено", "other": "Другое"}


def upgrade() -> None:
    upgrade_code_list_table("task_type", TYPES_RU)
    upgrade_code_list_table("task_result", RESULTS_RU)


def downgrade() -> None:
    downgrade_code_list_table("task_result")
    downgrade_code_list_table("task_type")
