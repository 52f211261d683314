"""What the helpdesk ships: the general queue and SLA policies per priority (and for VIP clients).

Their names are in Russian (the platform's default language); clients translate them by `shipped_key`
(web/i18n: helpdesk.queue.<key>, helpdesk.sla.<key>). Targets are business minutes: a working day is
9:00-18:00 in the business calendar (crm_core.business_hours).
"""

from __future__ import annotations

from typing import Any

from crm_core.db import new_id, utcnow

# key: (name, priority, tier, first response, resolution, position)
SLA_POLICIES: dict[str, tuple[str, str, str, int, int, int]] = {
    "vip": ("VIP-клиенты", "", "vip", 15, 240, 0),
    "urgent": ("Срочные", "urgent", "", 30, 240, 10),
    "high": ("Высокий приоритет", "high", "", 60, 540, 20),
    "normal": ("Обычный приоритет", "normal", "", 240, 1620, 30),
    "low": ("Низкий приоритет", "low", "", 480, 2700, 40),
}
GENERAL_QUEUE = ("general", "Общая очередь")


def shipped_rows(op: Any) -> None:
    """Insert the shipped queue and policies (migration 0002)."""
    from crm_helpdesk.models import QueueRow, SlaPolicyRow

    now = utcnow()
    op.bulk_insert(
        QueueRow.__table__,
        [
            {
                "id": new_id(),
                "name": GENERAL_QUEUE[1],
                "team_id": None,
                "lead_id": "",
                "agent_ids": [],
                "strategy": "manual",
                "last_assigned_id": "",
                "categories": [],
                "email_address": "",
                "shipped_key": GENERAL_QUEUE[0],
                "is_default": True,
                "archived": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    op.bulk_insert(
        SlaPolicyRow.__table__,
        [
            {
                "id": new_id(),
                "name": name,
                "priority": priority,
                "category": "",
                "tier": tier,
                "first_response_minutes": first,
                "resolution_minutes": resolution,
                "warning_percent": 80,
                "position": position,
                "shipped_key": key,
                "archived": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for key, (name, priority, tier, first, resolution, position) in SLA_POLICIES.items()
        ],
    )
