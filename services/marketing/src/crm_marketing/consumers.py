"""Events the marketing service reacts to.

- deals (`marketing-attribution`): a deal whose source is a campaign is kept in
  deal_source (status, amount, revenue of its received payments) with its access
  scope, which is what the campaign report sums: first-touch attribution of a
  deal's money to the campaign it came from.
- contacts (`marketing-party-scopes`): the access scopes of parties flagged as a
  lead's duplicates stay current, so a flag shows only to who may see the party.

Each consumer is durable, records handled event ids in the inbox in the same
transaction as its effect, and acks after the commit.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import deals_pb2, envelope_pb2
from crm_core.scopes import remember_scopes
from crm_core.service import ServiceApp
from crm_marketing.models import DealSource

_DEAL_CHANGES = ("deal.created", "deal.updated")
_STAGE_MOVES = ("deal.won", "deal.lost", "deal.reopened", "deal.stage_changed")


def _amount(text: str) -> Decimal | None:
    return Decimal(text) if text else None


async def attribute_deals(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """Keep deal_source current from deals' facts (see the module's docstring)."""
    tracked = False  # a deal attributed now starts having its scope kept; others' are only refreshed
    if envelope.type in _DEAL_CHANGES:
        deal = deals_pb2.DealChanged()
        if not envelope.payload.Unpack(deal):
            return
        tracked = await _follow_deal(session, envelope, deal)
    elif envelope.type in _STAGE_MOVES:
        move = deals_pb2.DealStageChanged()
        if envelope.payload.Unpack(move):
            row = await session.get(DealSource, move.deal_id, with_for_update=True)
            if row is not None and row.version <= envelope.version:
                row.status = move.category
                row.amount = _amount(move.amount) if move.amount else row.amount
                row.version = envelope.version
    elif envelope.type == "payment.received":
        payment = deals_pb2.PaymentReceived()
        if envelope.payload.Unpack(payment):
            row = await session.get(DealSource, payment.deal_id, with_for_update=True)
            if row is not None and payment.payment_id not in row.payment_ids:
                row.revenue += Decimal(payment.amount or "0")
                row.payment_ids = [*row.payment_ids, payment.payment_id]
    await remember_scopes(session, envelope, add_new=tracked)


async def _follow_deal(
    session: AsyncSession, envelope: envelope_pb2.EventEnvelope, deal: deals_pb2.DealChanged
) -> bool:
    """Upsert (or drop) the deal's attribution row; True when the deal is attributed to a campaign by this fact."""
    current = await session.scalar(select(DealSource.version).where(DealSource.deal_id == deal.deal_id))
    if current is not None and current > envelope.version:
        return False  # an older fact arriving late
    if not deal.source_campaign_id:
        await session.execute(delete(DealSource).where(DealSource.deal_id == deal.deal_id))
        return False
    values = {
        "campaign_id": deal.source_campaign_id,
        "lead_id": deal.source_lead_id,
        "status": deal.status or "open",
        "amount": _amount(deal.amount),
        "currency": deal.currency or "RUB",
        "version": envelope.version,
    }
    statement = insert(DealSource).values(
        deal_id=deal.deal_id,
        revenue=Decimal(0),
        payment_ids=[],
        created_at=envelope.occurred_at.ToDatetime(tzinfo=UTC),
        **values,
    )
    await session.execute(statement.on_conflict_do_update(index_elements=[DealSource.deal_id], set_=values))
    return True


async def follow_party_scopes(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """Refresh the scopes of parties already flagged as duplicates (others are not tracked)."""
    await remember_scopes(session, envelope, add_new=False)


def add_consumers(app: ServiceApp) -> None:
    """The deals attribution and the party scopes; backlogs are applied sixteen events per commit."""
    app.add_consumer("attribution", ["deals"], attribute_deals, per_transaction=16)
    app.add_consumer("party-scopes", ["contacts"], follow_party_scopes, per_transaction=16)
