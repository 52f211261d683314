"""State changes of deals and payments: one transaction each, with audit and outbox event.

Every command takes a typed input (inputs.py) whose values have passed their
rules, checks what needs stored data (custom field definitions, loss reasons,
the deal's status and currency), writes through the ORM, records who changed
what, and adds the event to the outbox in the same transaction. Times come
from the service's clock.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import deals_pb2 as events
from crm_core.acl import check_team_assignment
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.common.code_lists import list_codes
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, invalid
from crm_core.events import Namespace, record_event
from crm_core.resources import check_version, columns_of
from crm_core.scopes import scope_of_record
from crm_core.units import PIECE
from crm_deals import DOMAIN, domain, payments
from crm_deals.catalogue import check_units
from crm_deals.client_names import name_for_deal
from crm_deals.inputs import (
    DealChanges,
    DealDraft,
    DealFields,
    PaymentDraft,
    PaymentReceipt,
    StageMove,
    check_custom_fields,
)
from crm_deals.models import Deal, LossReason, Payment, Stage, StageChange
from crm_deals.repository import DealsRepository


class Deals:
    """Commands on deals: create, update, move between stages, payments."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock

    async def _publish(
        self,
        session: AsyncSession,
        caller: Caller,
        event_type: str,
        deal: Deal,
        payload: Message,
        summary: str,
        former_party_ids: list[str] | None = None,
    ) -> None:
        """Outbox the event; it names the client and the contact persons (their timelines show it).

        A change that removes a client or contact person names them too, so
        their timelines show that the deal left them.
        """
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            event_type,
            subject_id=deal.id,
            payload=payload,
            actor=caller,
            version=deal.version,
            party_ids=[deal.client_id, *deal.contact_ids, *(former_party_ids or [])],
            summary=summary,
            scopes=[scope_of_record("deal", deal)],
        )

    def _changed(self, deal: Deal, changed_fields: list[str] | None = None, stage_name: str = "") -> events.DealChanged:
        return events.DealChanged(
            deal_id=deal.id,
            title=deal.title,
            pipeline_id=deal.pipeline_id,
            stage_id=deal.stage_id,
            status=deal.status,
            client_id=deal.client_id,
            contact_ids=deal.contact_ids,
            owner_id=deal.owner_id,
            team_id=deal.team_id or "",
            amount=domain.money_text(deal.amount),
            currency=deal.currency,
            changed_fields=changed_fields or [],
            source_campaign_id=deal.source_campaign_id or "",
            source_lead_id=deal.source_lead_id or "",
            stage_name=stage_name,
            **_vat_fields(deal),
        )

    # Deals -------------------------------------------------------------------

    async def create_deal(self, caller: Caller, draft: DealDraft) -> Deal:
        """Insert a deal in an open stage; its first stage-history row is that stage."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            repo = DealsRepository(session, caller, now)
            pipeline_id = draft.pipeline_id
            pipeline = await repo.get_pipeline(pipeline_id) if pipeline_id else await repo.default_pipeline()
            if pipeline.archived:
                raise FailedPrecondition("pipeline_archived", f"pipeline '{pipeline.name}' is archived")
            stage = await self._first_stage(repo, pipeline.id, draft.stage_id)
            cols = draft.fields.columns()
            await check_units(session, _line_units(cols["lines"]))
            cols["custom_fields"] = check_custom_fields(cols["custom_fields"], await repo.custom_field_rules())
            cols["client_name"] = await name_for_deal(session, cols["client_id"], cols["client_name"])
            cols["owner_id"] = cols["owner_id"] or caller.user_id
            if not cols["team_id"] and len(caller.team_ids) == 1:
                cols["team_id"] = next(iter(caller.team_ids))
            check_team_assignment(caller, cols["team_id"])
            deal = Deal(
                id=new_id(),
                **cols,
                pipeline_id=pipeline.id,
                stage_id=stage.id,
                status="open",
                stage_entered_at=now,
                last_activity_at=now,
                regressing=False,
                version=1,
                created_at=now,
                updated_at=now,
                created_by=caller.user_id,
            )
            session.add(deal)
            await session.flush()
            session.add(StageChange(deal_id=deal.id, to_stage_id=stage.id, moved_by=caller.user_id, moved_at=now))
            record_audit(
                session,
                entity_type="deal",
                entity_id=deal.id,
                action="created",
                actor_id=caller.user_id,
                changes=diff({}, domain.audit_view({**cols, "stage_id": stage.id})),
            )
            await self._publish(
                session,
                caller,
                "deal.created",
                deal,
                self._changed(deal, stage_name=stage.name),
                f"Deal '{deal.title}' opened in {stage.name}{_money(deal)}",
            )
        return deal

    async def _first_stage(self, repo: DealsRepository, pipeline_id: str, stage_id: str) -> Stage:
        stages = await repo.stages_of(pipeline_id)
        if not stage_id:
            return next(s for s in stages if s.category == "open" and not s.archived)
        stage = await repo.get_stage(stage_id)
        if stage is None:
            raise invalid("stage_id", "unknown_stage", f"no stage {stage_id}")
        if stage.pipeline_id != pipeline_id:
            raise invalid("stage_id", "stage_not_in_pipeline", f"stage '{stage.name}' belongs to another pipeline")
        if stage.category != "open":
            raise invalid("stage_id", "stage_not_open", "a deal opens in an open stage; move it to won or lost after")
        if stage.archived:
            raise FailedPrecondition("stage_archived", f"stage '{stage.name}' is archived")
        return stage

    async def update_deal(self, caller: Caller, deal_id: str, changes: DealChanges, expected_version: int) -> Deal:
        """Replace the masked fields; a stale expected_version is a VersionConflict."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            repo = DealsRepository(session, caller, now)
            deal = await repo.get_deal(deal_id, lock=True)
            check_version("deal", deal, expected_version)
            old = columns_of(deal)
            cols = changes.applied_to(_fields_of(deal)).columns()
            if "lines" in changes.paths:
                await check_units(session, _line_units(cols["lines"]), kept=_line_units(deal.lines or []).values())
            stored = old["custom_fields"] or {}
            custom_keys = [k for k, v in cols["custom_fields"].items() if stored.get(k) != v]
            cols["custom_fields"] = check_custom_fields(
                cols["custom_fields"], await repo.custom_field_rules(), changed_keys=custom_keys
            )
            if cols["client_id"] != deal.client_id:
                cols["client_name"] = await name_for_deal(session, cols["client_id"], cols["client_name"])
            if cols["team_id"] != deal.team_id:
                check_team_assignment(caller, cols["team_id"])
            if deal.status == "won" and not cols["amount"]:
                raise FailedPrecondition("won_requires_amount", "a won deal keeps its amount")
            if cols["currency"] != deal.currency and await _has_payments(session, deal.id):
                raise FailedPrecondition(
                    "currency_locked", f"the deal has payments in {deal.currency}: its currency cannot change"
                )
            changed = diff(domain.audit_view({k: old[k] for k in cols}), domain.audit_view(cols))
            if not changed:
                return deal
            for key, value in cols.items():
                setattr(deal, key, value)
            deal.version += 1
            deal.updated_at = deal.last_activity_at = now
            record_audit(
                session,
                entity_type="deal",
                entity_id=deal.id,
                action="updated",
                actor_id=caller.user_id,
                changes=changed,
            )
            await self._publish(
                session,
                caller,
                "deal.updated",
                deal,
                self._changed(deal, sorted(changed)),
                f"Deal '{deal.title}': changed {', '.join(sorted(changed))}",
                former_party_ids=[old["client_id"], *old["contact_ids"]],
            )
        return deal

    async def move_deal_stage(self, caller: Caller, request: StageMove) -> Deal:
        """Move the deal, recording from, to, who, when and the time spent in the stage it leaves."""
        now = self.clock.now()
        stage_id = request.stage_id
        async with self.db.transaction() as session:
            repo = DealsRepository(session, caller, now)
            deal = await repo.get_deal(request.deal_id, lock=True)
            check_version("deal", deal, request.expected_version)
            current = await repo.get_stage(deal.stage_id)
            assert current is not None, "a deal's stage always exists"
            target = await repo.get_stage(stage_id)
            active_reasons = await list_codes(session, LossReason, include_archived=False)
            reasons = [r.code for r in active_reasons]
            move = domain.plan_move(
                pipeline_id=deal.pipeline_id,
                current=_ref(current),
                target=_ref(target) if target else None,
                target_id=stage_id,
                amount=deal.amount,
                loss_reason=request.loss_reason,
                comment=request.comment,
                active_loss_reasons=reasons,
            )
            assert target is not None
            seconds = float(domain.seconds_between(deal.stage_entered_at, now))
            session.add(
                StageChange(
                    deal_id=deal.id,
                    from_stage_id=current.id,
                    to_stage_id=target.id,
                    moved_by=caller.user_id,
                    moved_at=now,
                    seconds_in_previous_stage=seconds,
                    regression=move.regression,
                    loss_reason=move.loss_reason,
                    comment=move.comment,
                )
            )
            old = {"stage_id": deal.stage_id, "status": deal.status, "loss_reason": deal.loss_reason}
            deal.stage_id = target.id
            deal.status = target.category
            deal.stage_entered_at = deal.last_activity_at = deal.updated_at = now
            deal.regressing = move.regression
            deal.closed_at = now if target.category != "open" else None
            deal.loss_reason = move.loss_reason
            deal.loss_comment = move.comment if target.category == "lost" else None
            deal.version += 1
            changes = diff(old, {"stage_id": deal.stage_id, "status": deal.status, "loss_reason": deal.loss_reason})
            if move.comment:
                changes["comment"] = {"old": None, "new": move.comment}
            record_audit(
                session,
                entity_type="deal",
                entity_id=deal.id,
                action=move.event_type.removeprefix("deal."),
                actor_id=caller.user_id,
                changes=changes,
            )
            payload = events.DealStageChanged(
                deal_id=deal.id,
                title=deal.title,
                pipeline_id=deal.pipeline_id,
                from_stage_id=current.id,
                from_stage_name=current.name,
                to_stage_id=target.id,
                to_stage_name=target.name,
                category=target.category,
                regression=move.regression,
                seconds_in_previous_stage=seconds,
                amount=domain.money_text(deal.amount),
                currency=deal.currency,
                loss_reason=move.loss_reason or "",
                loss_comment=deal.loss_comment or "",
                client_id=deal.client_id,
                owner_id=deal.owner_id,
                **_vat_fields(deal),
            )
            reason = next((r for r in active_reasons if r.code == move.loss_reason), None)
            if reason is not None:
                payload.loss_reason_label_ru, payload.loss_reason_label_en = reason.label_ru, reason.label_en
            await self._publish(
                session, caller, move.event_type, deal, payload, _move_summary(deal, current, target, move)
            )
        return deal

    # Payments ----------------------------------------------------------------

    async def add_payment(self, caller: Caller, deal_id: str, draft: PaymentDraft) -> Payment:
        """Add an expected or a received payment, in the deal's currency, to a visible deal that is not lost."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            deal = await DealsRepository(session, caller, now).get_deal(deal_id, lock=True)
            if deal.status == "lost":
                raise FailedPrecondition("deal_lost", "a lost deal takes no payments; reopen it first")
            payment = Payment(
                id=new_id(),
                deal_id=deal.id,
                client_id=deal.client_id,
                status=draft.status,
                amount=draft.amount,
                currency=draft.in_currency_of(deal.currency),
                due_date=draft.due_date,
                received_on=draft.received_on,
                note=draft.note,
                created_at=now,
                created_by=caller.user_id,
            )
            session.add(payment)
            deal.last_activity_at = now
            record_audit(
                session,
                entity_type="deal",
                entity_id=deal.id,
                action=f"payment_{payment.status}",
                actor_id=caller.user_id,
                changes={"payment": {"old": None, "new": _payment_view(payment)}},
            )
            if payment.status == "received":
                await self._payment_received(session, caller, deal, payment)
        return payment

    async def receive_payment(self, caller: Caller, deal_id: str, payment_id: str, receipt: PaymentReceipt) -> Payment:
        """Mark an expected payment as received (on a date, for its amount or the one given)."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            repo = DealsRepository(session, caller, now)
            deal = await repo.get_deal(deal_id, lock=True)
            payment = await repo.get_payment(deal, payment_id, lock=True)
            if payment.status == "received":
                raise FailedPrecondition("payment_already_received", f"payment {payment.id} was received already")
            old = _payment_view(payment)
            payment.status = "received"
            payment.received_on = receipt.received_on
            payment.amount = receipt.amount or payment.amount
            deal.last_activity_at = now
            record_audit(
                session,
                entity_type="deal",
                entity_id=deal.id,
                action="payment_received",
                actor_id=caller.user_id,
                changes={"payment": {"old": old, "new": _payment_view(payment)}},
            )
            await self._payment_received(session, caller, deal, payment)
        return payment

    async def _payment_received(self, session: AsyncSession, caller: Caller, deal: Deal, payment: Payment) -> None:
        late = payments.late_days(payment.due_date, payment.received_on, self.clock.today())
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            "payment.received",
            subject_id=payment.id,
            payload=events.PaymentReceived(
                payment_id=payment.id,
                deal_id=deal.id,
                client_id=payment.client_id,
                amount=domain.money_text(payment.amount),
                currency=payment.currency,
                due_date=payment.due_date.isoformat() if payment.due_date else "",
                received_on=payment.received_on.isoformat() if payment.received_on else "",
                late_days=late,
                deal_title=deal.title,
            ),
            actor=caller,
            party_ids=[deal.client_id, *deal.contact_ids],
            scopes=[scope_of_record("deal", deal)],
            summary=f"Payment {domain.money_text(payment.amount)} {payment.currency} received for deal '{deal.title}'"
            + (f", {late} days late" if late else ""),
        )


def _fields_of(deal: Deal) -> DealFields:
    """A stored deal's editable fields (its lines keep the totals they were stored with)."""
    lines = list(deal.lines or [])
    return DealFields(
        title=deal.title,
        client_id=deal.client_id,
        client_name=deal.client_name or "",
        contact_ids=tuple(deal.contact_ids or ()),
        owner_id=deal.owner_id,
        team_id=deal.team_id,
        shared_with=tuple(deal.shared_with or ()),
        amount=deal.amount,
        currency=deal.currency,
        lines=domain.LineTotals(
            lines,
            sum((Decimal(line["subtotal"]) for line in lines), Decimal("0.00")),
            deal.discount_amount or Decimal("0.00"),
            sum((Decimal(line["total"]) for line in lines), Decimal("0.00")),
        ),
        expected_close_date=deal.expected_close_date,
        source_campaign_id=deal.source_campaign_id,
        source_lead_id=deal.source_lead_id,
        custom_fields=dict(deal.custom_fields or {}),
        vat_mode=deal.vat_mode,
    )


def _line_units(lines: list[dict[str, Any]]) -> dict[str, str]:
    """The unit of each line, by its path ("lines[0].unit_code")."""
    return {f"lines[{i}].unit_code": line.get("unit_code") or PIECE for i, line in enumerate(lines)}


def _vat_fields(deal: Deal) -> dict[str, str]:
    """The VAT fields of the deal events (DealChanged, DealStageChanged)."""
    totals = domain.deal_vat(deal.lines or [], deal.vat_mode)
    return {
        "vat_mode": totals.mode,
        "vat_amount": domain.money_text(totals.vat),
        "total_with_vat": domain.money_text(domain.total_with_vat(deal.amount, totals)),
    }


def _ref(stage: Stage) -> domain.StageRef:
    return domain.StageRef(stage.id, stage.pipeline_id, stage.name, stage.position, stage.category, stage.archived)


async def _has_payments(session: AsyncSession, deal_id: str) -> bool:
    count = await session.scalar(select(func.count()).select_from(Payment).where(Payment.deal_id == deal_id))
    return bool(count)


def _money(deal: Deal) -> str:
    return f" ({domain.money_text(deal.amount)} {deal.currency})" if deal.amount is not None else ""


def _move_summary(deal: Deal, current: Stage, target: Stage, move: domain.Move) -> str:
    if move.event_type == "deal.won":
        return f"Deal '{deal.title}' won{_money(deal)}"
    if move.event_type == "deal.lost":
        return f"Deal '{deal.title}' lost: {move.loss_reason}" + (f" ({move.comment})" if move.comment else "")
    if move.event_type == "deal.reopened":
        return f"Deal '{deal.title}' reopened in {target.name}"
    direction = "back " if move.regression else ""
    return f"Deal '{deal.title}' moved {direction}from {current.name} to {target.name}"


def _payment_view(payment: Payment) -> dict[str, Any]:
    return domain.audit_view(
        {
            "id": payment.id,
            "status": payment.status,
            "amount": payment.amount,
            "currency": payment.currency,
            "due_date": payment.due_date,
            "received_on": payment.received_on,
        }
    )
