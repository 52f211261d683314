"""Rules of the marketing domain, on plain data: no database, no gRPC.

Lead statuses and the moves between them, campaign statuses, the matching of
assignment rules, and the funnel arithmetic of the campaign report (ROI, cost
per lead and per won deal) in Decimal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crm_core.errors import FailedPrecondition

LEAD_STATUSES = ("new", "in_work", "qualified", "disqualified", "converted")
CAMPAIGN_STATUSES = ("planned", "active", "completed", "cancelled")
CHANNELS = ("form", "import", "manual", "api")
# Where a lead may go from each status (converted is final; a disqualified lead can be taken back to work).
LEAD_MOVES: dict[str, tuple[str, ...]] = {
    "new": ("in_work", "qualified", "disqualified", "converted"),
    "in_work": ("qualified", "disqualified", "converted"),
    "qualified": ("in_work", "disqualified", "converted"),
    "disqualified": ("in_work",),
    "converted": (),
}
RULE_FIELDS = (
    "campaign_id",
    "channel",
    "form_id",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "email_domain",
    "phone_region",
    "has_company",
)
RULE_OPS = ("eq", "ne", "in", "contains")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ServiceState:
    """What a running instance reports about itself (GetServiceInfo)."""

    schema_revision: str
    pending_events: int


def check_lead_move(current: str, target: str) -> None:
    """FAILED_PRECONDITION unless a lead in `current` may move to `target`."""
    if target not in LEAD_MOVES.get(current, ()):
        code = "lead_converted" if current == "converted" else "lead_status"
        raise FailedPrecondition(code, f"a lead in status {current} cannot become {target}")


def lead_name(person_name: str, company_name: str, email: str = "", phone: str = "") -> str:
    """What a lead is called in lists, timelines and task subjects: the company, else the person, else a contact."""
    return company_name or person_name or email or phone


def rule_values(lead: Mapping[str, Any]) -> dict[str, str]:
    """The values assignment-rule conditions look at, from a lead's columns."""
    email = str(lead.get("email") or "")
    phone = str(lead.get("phone_e164") or "")
    utm = lead.get("utm") or {}
    return {
        "campaign_id": str(lead.get("campaign_id") or ""),
        "channel": str(lead.get("channel") or ""),
        "form_id": str(lead.get("form_id") or ""),
        "utm_source": str(utm.get("source") or ""),
        "utm_medium": str(utm.get("medium") or ""),
        "utm_campaign": str(utm.get("campaign") or ""),
        "email_domain": email.rsplit("@", 1)[1].lower() if "@" in email else "",
        # The country calling code: "+7 ..." -> "7".
        "phone_region": _calling_code(phone),
        "has_company": "true" if lead.get("company_name") else "false",
    }


def _calling_code(e164: str) -> str:
    if not e164.startswith("+"):
        return ""
    import phonenumbers

    try:
        return str(phonenumbers.parse(e164).country_code)
    except phonenumbers.NumberParseException:
        return ""


def condition_holds(condition: Mapping[str, str], values: Mapping[str, str]) -> bool:
    """One condition ({"field", "op", "value"}) against a lead's rule values; text compares case-insensitively."""
    actual = values.get(condition["field"], "").casefold()
    expected = condition["value"].casefold()
    op = condition["op"]
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op == "in":
        return actual in {v.strip() for v in expected.split(",")}
    return expected in actual  # contains


def rule_matches(conditions: Sequence[Mapping[str, str]], values: Mapping[str, str]) -> bool:
    """All conditions hold (a rule without conditions takes every lead)."""
    return all(condition_holds(c, values) for c in conditions)


def round_robin(user_ids: Sequence[str], assigned: int) -> str:
    """The user the rule's next lead goes to, after `assigned` leads given before."""
    return user_ids[assigned % len(user_ids)]


# --- the campaign report -------------------------------------------------------------


@dataclass
class Funnel:
    """A campaign's (or channel's) funnel in one currency; counts and Decimal sums."""

    currency: str
    cost: Decimal = Decimal(0)
    leads: int = 0
    qualified: int = 0
    converted: int = 0
    deals: int = 0
    won: int = 0
    revenue: Decimal = Decimal(0)
    won_amount: Decimal = Decimal(0)

    def add(self, other: Funnel) -> None:
        self.cost += other.cost
        self.leads += other.leads
        self.qualified += other.qualified
        self.converted += other.converted
        self.deals += other.deals
        self.won += other.won
        self.revenue += other.revenue
        self.won_amount += other.won_amount

    @property
    def roi(self) -> Decimal | None:
        """(revenue - cost) / cost, to four places; None without a cost to divide by."""
        if not self.cost:
            return None
        return ((self.revenue - self.cost) / self.cost).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def cost_per_lead(self) -> Decimal | None:
        return (self.cost / self.leads).quantize(CENT, ROUND_HALF_UP) if self.leads and self.cost else None

    @property
    def cost_per_won(self) -> Decimal | None:
        return (self.cost / self.won).quantize(CENT, ROUND_HALF_UP) if self.won and self.cost else None


def money_text(value: Decimal | None) -> str:
    """Decimal text with two places ("1500.00"), "" for None."""
    return "" if value is None else str(Decimal(value).quantize(CENT, ROUND_HALF_UP))
