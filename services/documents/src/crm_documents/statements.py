"""Bank statements: an imported 1CClientBankExchange file pays the invoices its incoming payments name.

Who: admins and users with the `accountant` role (a statement shows every client's payments). Each
import is one transaction, and imports run one at a time (an advisory lock), so a statement imported
twice, even at once, records each bank payment once: a payment whose fingerprint (bank_statement.py) is
already recorded is a `duplicate` of the first and changes nothing.

A payment that matching.py matches to an invoice is recorded on the invoice's deal as a received payment,
through deals' gRPC API by the platform (the importer may not see the deal) with the idempotency key
`bank-payment:<fingerprint>`: deals answers a repeated call with the first payment, so even a retry after
a failure between the two services never adds a second. The invoice is paid once its total has come.
What matches nothing waits in the statement's report with its reason for a person to resolve
(ResolveBankPayment), or to leave.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm.documents.v1 import documents_pb2 as pb
from crm_core.acl import require_role
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, InvalidArgument, NotFound, invalid, not_found
from crm_core.pagination import Page
from crm_core.peers import PeerChannels
from crm_core.protojson import timestamp
from crm_core.resources.paging import Order, keyset_page
from crm_documents import matching
from crm_documents.bank_statement import StatementDocument, parse_statement
from crm_documents.commands import Documents
from crm_documents.models import BankPaymentRow, BankStatementRow, DocumentRow, LegalEntityRow

ACCOUNTANT_ROLE = "accountant"
IMPORT_LOCK = "crm_documents.bank_statement_import"
ORDER = Order(
    "statements:-created_at", [(BankStatementRow.created_at, True), (BankStatementRow.id, True)], ["datetime", "uuid"]
)
# Invoices a payment may pay (a paid one is a candidate too: its payment is then `already_paid`).
PAYABLE = ("draft", "issued", "sent", "signed", "paid")
PAID_CANDIDATES = timedelta(days=366)


def require_accountant(caller: Caller) -> None:
    require_role(caller, ACCOUNTANT_ROLE, "work with bank statements")


def payment_message(row: BankPaymentRow, numbers: dict[str, str]) -> pb.BankPayment:
    return pb.BankPayment(
        id=row.id,
        number=row.number,
        date=row.paid_on.isoformat() if row.paid_on else "",
        amount=str(row.amount),
        payer_name=row.payer_name,
        payer_inn=row.payer_inn,
        purpose=row.purpose,
        outcome=row.outcome,
        reason=row.reason,
        document_id=row.document_id or "",
        document_number=numbers.get(row.document_id or "", ""),
        deal_payment_id=row.deal_payment_id,
        received_on=row.received_on.isoformat() if row.received_on else "",
    )


def statement_message(
    statement: BankStatementRow, payments: Sequence[BankPaymentRow] | None, numbers: dict[str, str] | None = None
) -> pb.BankStatement:
    rows = list(payments or [])
    message = pb.BankStatement(
        id=statement.id,
        filename=statement.filename,
        account=statement.account,
        period_start=statement.period_start.isoformat() if statement.period_start else "",
        period_end=statement.period_end.isoformat() if statement.period_end else "",
        payments_total=len(rows),
        matched=sum(1 for r in rows if r.outcome in ("matched", "partial", "resolved")),
        unmatched=sum(1 for r in rows if r.outcome == "unmatched"),
        duplicates=sum(1 for r in rows if r.outcome == "duplicate"),
        created_by=statement.created_by,
        created_at=timestamp(statement.created_at),
    )
    if numbers is not None:
        message.payments.extend(payment_message(r, numbers) for r in rows)
    return message


class Statements:
    """Import, list, read and resolve bank statements."""

    def __init__(self, db: Database, clock: Clock, documents: Documents, peers: PeerChannels) -> None:
        self.db = db
        self.clock = clock
        self.documents = documents
        self.peers = peers

    async def _record_on_deal(self, invoice: DocumentRow, payment: BankPaymentRow) -> str:
        """The received payment on the invoice's deal, once per bank payment (idempotency key)."""
        stub = deals_pb2_grpc.DealsServiceStub(self.peers.channel("deals"))
        received = payment.received_on or payment.paid_on or self.clock.now().date()
        request = deals_pb2.AddPaymentRequest(
            deal_id=invoice.deal_id,
            status="received",
            amount=str(payment.amount),
            currency=invoice.currency,
            received_on=received.isoformat(),
            note=f"Платёжное поручение № {payment.number} от {_ru(payment.paid_on)}, счёт № {invoice.number}",
        )
        answer = await self.peers.call(
            "deals", stub.AddPayment, request, SYSTEM, key=f"bank-payment:{payment.fingerprint}"
        )
        return str(answer.id)

    async def import_statement(
        self, caller: Caller, filename: str, content: bytes
    ) -> tuple[BankStatementRow, list[BankPaymentRow], dict[str, str]]:
        require_accountant(caller)
        filename = " ".join(filename.split())[:255] or "statement.txt"
        async with self.db.readers() as session:
            our_inns = set((await session.scalars(select(LegalEntityRow.inn))).all())
        statement = parse_statement(content, our_inns=our_inns)
        now = self.clock.now()
        async with self.db.transaction() as session:
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": IMPORT_LOCK})
            row = BankStatementRow(
                id=new_id(),
                filename=filename,
                account=statement.account if statement.accounts else "",
                period_start=statement.period_start,
                period_end=statement.period_end,
                created_by=caller.user_id,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            fingerprints = [d.fingerprint for d in statement.documents]
            known = dict(
                (
                    await session.execute(
                        select(BankPaymentRow.fingerprint, BankPaymentRow.document_id).where(
                            BankPaymentRow.fingerprint.in_(fingerprints), BankPaymentRow.outcome != "duplicate"
                        )
                    )
                ).all()
            )
            fresh = [d for d in statement.documents if d.fingerprint not in known and d.incoming]
            invoices = await self._candidates(session)
            candidates = [
                matching.IssuedInvoice(
                    id=d.id,
                    number=d.number,
                    date=d.doc_date,
                    client_inn=d.party_inn,
                    total=d.total,
                    paid=d.paid_amount,
                    currency=d.currency,
                )
                for d in invoices.values()
            ]
            matches = {m.document.fingerprint: m for m in matching.match_payments(fresh, candidates)}
            payments = []
            for position, document in enumerate(statement.documents):
                payment = _payment_row(row.id, position, document)
                if document.fingerprint in known:
                    payment.outcome, payment.document_id = "duplicate", known[document.fingerprint]
                elif not document.incoming:
                    payment.outcome, payment.reason = "outgoing", matching.OUTGOING
                else:
                    match = matches[document.fingerprint]
                    if match.invoice is None:
                        payment.outcome, payment.reason = "unmatched", match.reason or ""
                    else:
                        invoice = invoices[match.invoice.id]
                        try:
                            payment.deal_payment_id = await self._record_on_deal(invoice, payment)
                        except (InvalidArgument, FailedPrecondition, NotFound) as refused:
                            # Deals refused this one payment (its deal changed meanwhile): a person decides.
                            payment.outcome, payment.reason = "unmatched", refused.code
                        else:
                            payment.outcome = "matched" if match.outcome == "paid" else "partial"
                            payment.document_id = invoice.id
                            await self.documents.record_payment(session, caller, invoice, payment.amount)
                known.setdefault(document.fingerprint, payment.document_id)
                session.add(payment)
                payments.append(payment)
            numbers = await _numbers(session, payments)
        return row, payments, numbers

    async def _candidates(self, session: AsyncSession) -> dict[str, DocumentRow]:
        rows = await session.scalars(
            select(DocumentRow)
            .where(
                DocumentRow.doc_type == "invoice",
                DocumentRow.status.in_(PAYABLE),
                # Invoices paid long ago are not candidates any more (a late payment of one is unmatched).
                or_(DocumentRow.status != "paid", DocumentRow.paid_at >= self.clock.now() - PAID_CANDIDATES),
            )
            .with_for_update()
        )
        return {r.id: r for r in rows.all()}

    async def list_statements(
        self, caller: Caller, limit: int, cursor: str
    ) -> Page[tuple[BankStatementRow, list[BankPaymentRow]]]:
        require_accountant(caller)
        async with self.db.readers() as session:
            page = await keyset_page(session, select(BankStatementRow), ORDER, limit, cursor)
            ids = [s.id for s in page.items]
            rows = (await session.scalars(select(BankPaymentRow).where(BankPaymentRow.statement_id.in_(ids)))).all()
        by_statement: dict[str, list[BankPaymentRow]] = {i: [] for i in ids}
        for r in rows:
            by_statement[r.statement_id].append(r)
        return Page([(s, by_statement[s.id]) for s in page.items], page.next_cursor)

    async def get(
        self, caller: Caller, statement_id: str
    ) -> tuple[BankStatementRow, list[BankPaymentRow], dict[str, str]]:
        require_accountant(caller)
        async with self.db.readers() as session:
            return await self._get(session, statement_id)

    async def _get(
        self, session: AsyncSession, statement_id: str
    ) -> tuple[BankStatementRow, list[BankPaymentRow], dict[str, str]]:
        statement = await session.get(BankStatementRow, statement_id)
        if statement is None:
            raise not_found("bank_statement", statement_id)
        payments = list(
            (
                await session.scalars(
                    select(BankPaymentRow)
                    .where(BankPaymentRow.statement_id == statement_id)
                    .order_by(BankPaymentRow.position)
                )
            ).all()
        )
        return statement, payments, await _numbers(session, payments)

    async def resolve(
        self, caller: Caller, statement_id: str, payment_id: str, document_id: str
    ) -> tuple[BankStatementRow, list[BankPaymentRow], dict[str, str]]:
        """An unmatched incoming payment pays the invoice a person chose."""
        require_accountant(caller)
        async with self.db.transaction() as session:
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": IMPORT_LOCK})
            payment = await session.get(BankPaymentRow, payment_id, with_for_update=True)
            if payment is None or payment.statement_id != statement_id:
                raise not_found("bank_payment", payment_id)
            if payment.outcome != "unmatched":
                raise FailedPrecondition("bank_payment_not_open", f"the payment is {payment.outcome}, not unmatched")
            invoice = await session.get(DocumentRow, document_id, with_for_update=True)
            if invoice is None or invoice.doc_type != "invoice":
                raise invalid("document_id", "invoice_not_found", "no such invoice")
            if invoice.status not in PAYABLE or invoice.status == "paid":
                raise FailedPrecondition("invoice_not_payable", f"the invoice is {invoice.status}")
            payment.deal_payment_id = await self._record_on_deal(invoice, payment)
            await self.documents.record_payment(session, caller, invoice, payment.amount)
            payment.outcome, payment.reason, payment.document_id = "resolved", "", invoice.id
            await session.flush()
            return await self._get(session, statement_id)


async def _numbers(session: AsyncSession, payments: Sequence[BankPaymentRow]) -> dict[str, str]:
    ids = sorted({p.document_id for p in payments if p.document_id})
    if not ids:
        return {}
    rows = await session.execute(select(DocumentRow.id, DocumentRow.number).where(DocumentRow.id.in_(ids)))
    return dict(rows.all())


def _payment_row(statement_id: str, position: int, document: StatementDocument) -> BankPaymentRow:
    return BankPaymentRow(
        id=new_id(),
        statement_id=statement_id,
        position=position,
        fingerprint=document.fingerprint,
        number=document.number,
        paid_on=document.date,
        received_on=document.received_on,
        amount=document.amount,
        payer_name=document.payer.name,
        payer_inn=document.payer.inn,
        purpose=document.purpose,
        outcome="unmatched",
        reason="",
        document_id=None,
        deal_payment_id="",
    )


def _ru(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""
