"""The knowledge base's shipped categories, named in Russian and English (migration 0003)."""

from __future__ import annotations

# key: (Russian name, English name, position)
CATEGORIES: dict[str, tuple[str, str, int]] = {
    "getting_started": ("Начало работы", "Getting started", 10),
    "billing": ("Оплата и документы", "Billing and documents", 20),
    "faq": ("Частые вопросы", "FAQ", 30),
}
