"""State changes of documents: generate (number, render, store), render again, change status, send.

Numbering: a document takes its number in a short transaction that increments the counter row of
(legal entity, type, year) (models.NumberCounter) and inserts the document's row. The row lock makes
issuers of one series, on any replica, take numbers one after another; a refusal in that transaction (the
deal's data, the template's variables: all checked before the commit) rolls the increment back. So numbers
are consecutive and never reused. The PDF is rendered after that commit, side by side with other
documents of the series, and stored with the file's row in a second transaction. When that fails (the
renderer, the blob store, the database), the document is cancelled with the reason and keeps its number,
as a cancelled paper document does: the register has no gap. A process that dies in between leaves a
document without a file; `void_stalled` cancels it a few minutes later.

A stored PDF whose row is not written is deleted, so no file outlives its row.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import documents_pb2 as events
from crm_core.audit import record_audit
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, invalid, not_found
from crm_core.events import Namespace, record_event
from crm_core.mail import Mailer, MailError, build_message
from crm_core.resources import check_version
from crm_core.scopes import remember_scope, scope_reference
from crm_documents import DOMAIN, document_data, domain, rendering
from crm_documents.blobs import BlobStore, StoredBlob
from crm_documents.inputs import GenerateInput, SendInput
from crm_documents.legal_entities import seller_of
from crm_documents.models import DocumentFileRow, DocumentRow, LegalEntityRow, NumberCounter
from crm_documents.repository import DocumentsRepository
from crm_documents.sources import Sources
from crm_documents.templates import Templates, TemplateSource

# A generated PDF larger than this is refused (a template gone wrong, not a document).
MAX_PDF_BYTES = 20 * 1024 * 1024
ZONE = ZoneInfo("Europe/Moscow")
# A document without its PDF this long after its number was taken lost its render (void_stalled).
STALLED_AFTER = timedelta(minutes=5)


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def filename_of(doc: DocumentRow, version: int = 0) -> str:
    title = document_data.title_of(doc.doc_type, doc.language)
    suffix = f" v{version}" if version > 1 else ""
    return f"{title} {doc.number} {doc.doc_date.strftime('%d.%m.%Y')}{suffix}.pdf"


class Documents:
    """Commands on documents."""

    def __init__(
        self,
        db: Database,
        namespace: Namespace,
        clock: Clock,
        sources: Sources,
        templates: Templates,
        store: BlobStore,
        mailer: Mailer,
        default_language: str,
    ) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.sources = sources
        self.templates = templates
        self.store = store
        self.mailer = mailer
        self.default_language = default_language

    def today(self) -> date:
        return self.clock.now().astimezone(ZONE).date()

    async def _legal_entity(self, session: AsyncSession, entity_id: str) -> LegalEntityRow:
        if entity_id:
            row = await session.get(LegalEntityRow, entity_id)
            if row is None:
                raise not_found("legal_entity", entity_id)
            if row.archived:
                raise FailedPrecondition("legal_entity_archived", "the legal entity is archived")
            return row
        row = await session.scalar(select(LegalEntityRow).where(LegalEntityRow.is_default))
        if row is None:
            raise FailedPrecondition(
                "legal_entity_required", "add your company's requisites (a legal entity) before making documents"
            )
        return row

    async def _next_number(self, session: AsyncSession, entity_id: str, doc_type: str, year: int) -> int:
        """The series' next number; the counter row stays locked until the transaction ends."""
        table = cast(Table, NumberCounter.__table__)
        values = insert(table).values(legal_entity_id=entity_id, doc_type=doc_type, year=year, last_number=1)
        statement = values.on_conflict_do_update(
            index_elements=[table.c.legal_entity_id, table.c.doc_type, table.c.year],
            set_={"last_number": table.c.last_number + 1},
        ).returning(table.c.last_number)
        return int((await session.execute(statement)).scalar_one())

    async def _store_pdf(self, html: str, css: str) -> StoredBlob:
        """The filled HTML laid out as a PDF and put in the blob store."""
        pdf = await rendering.render(html, css)
        if len(pdf) > MAX_PDF_BYTES:
            raise invalid("template_id", "document_too_large", "the rendered document is larger than 20 MB")
        return await self.store.put(_once(pdf), MAX_PDF_BYTES)

    async def generate(self, caller: Caller, data: GenerateInput) -> DocumentRow:
        """A numbered draft of a deal the caller may see, its PDF stored with the data it was made from."""
        deal_source = await self.sources.deal(caller, data.deal_id)
        deal = deal_source.deal
        if not deal.lines:
            raise FailedPrecondition("deal_has_no_lines", "the deal has no lines: add products or services first")
        async with self.db.readers() as session:
            template = await self.templates.source_for(
                session, data.template_id, data.doc_type, data.language or self.default_language
            )
        language = template.template.language
        buyer = await self.sources.party(caller, deal.client_id, deal.client_name)
        units = await self.sources.units(caller, language)
        doc_date = data.doc_date or self.today()
        now = self.clock.now()
        async with self.db.transaction() as session:
            # The number, with the document's row: everything that can refuse (the data, the template's
            # variables) is checked here, before the number is kept.
            entity = await self._legal_entity(session, data.legal_entity_id)
            sequence = await self._next_number(session, entity.id, data.doc_type, doc_date.year)
            number = domain.number_text(entity.number_prefixes.get(data.doc_type, ""), sequence)
            snapshot = document_data.build(
                doc_type=data.doc_type,
                number=number,
                doc_date=doc_date,
                valid_until=data.valid_until,
                language=language,
                deal=deal,
                buyer=buyer,
                seller=seller_of(entity),
                units=units,
            )
            html = rendering.fill(template.version.html, snapshot, language=language, currency=deal.currency)
            totals = snapshot["totals"]
            doc = DocumentRow(
                id=new_id(),
                doc_type=data.doc_type,
                legal_entity_id=entity.id,
                year=doc_date.year,
                sequence=sequence,
                number=number,
                doc_date=doc_date,
                valid_until=data.valid_until,
                status="draft",
                deal_id=deal.id,
                deal_title=deal.title,
                party_id=deal.client_id or None,
                party_name=buyer.name or deal.client_name,
                party_inn=buyer.inn,
                language=language,
                currency=deal.currency,
                vat_mode=snapshot["doc"]["vat_mode"],
                net_amount=Decimal(totals["net"]),
                vat_amount=Decimal(totals["vat"]),
                total=Decimal(totals["gross"]),
                paid_amount=Decimal(0),
                lines=snapshot["lines"],
                current_version=0,
                scope_keys=[deal_source.scope.record],
                created_by=caller.user_id,
                created_at=now,
                updated_at=now,
                version=1,
            )
            session.add(doc)
            await remember_scope(session, deal_source.scope, add_new=True)
        # The PDF, outside any transaction: documents of one series render side by side.
        stored: StoredBlob | None = None
        try:
            stored = await self._store_pdf(html, template.version.css)
            async with self.db.transaction() as session:
                doc = await session.get_one(DocumentRow, doc.id, with_for_update=True)
                session.add(self._file(doc, 1, stored, template, snapshot, caller, now))
                doc.current_version = 1
                record_audit(
                    session,
                    entity_type="document",
                    entity_id=doc.id,
                    action="generated",
                    actor_id=caller.user_id,
                    changes={"number": {"old": None, "new": number}, "status": {"old": None, "new": "draft"}},
                )
                await self._publish(session, caller, "document.generated", doc)
        except BaseException as exc:
            if stored is not None:
                await self.store.delete(stored.key)
            await asyncio.shield(self._void(doc.id, f"generation failed: {exc}"[:300]))
            raise
        return doc

    async def _void(self, document_id: str, reason: str) -> None:
        """A document whose PDF could not be made keeps its number as a cancelled one (never reused or skipped)."""
        async with self.db.transaction() as session:
            doc = await session.get(DocumentRow, document_id, with_for_update=True)
            if doc is None or doc.current_version > 0 or doc.status == "cancelled":
                return
            doc.status, doc.cancel_reason = "cancelled", reason
            doc.version += 1
            doc.updated_at = self.clock.now()
            record_audit(
                session,
                entity_type="document",
                entity_id=doc.id,
                action="generation_failed",
                actor_id=SYSTEM.user_id,
                changes={"status": {"old": "draft", "new": "cancelled"}, "cancel_reason": {"old": None, "new": reason}},
            )

    async def void_stalled(self) -> int:
        """Cancel the documents whose PDF never came (their process died between the number and the file);
        run by every replica now and then, idempotent."""
        cutoff = self.clock.now() - STALLED_AFTER
        async with self.db.readers() as session:
            ids = (
                await session.scalars(
                    select(DocumentRow.id).where(
                        DocumentRow.current_version == 0,
                        DocumentRow.status != "cancelled",
                        DocumentRow.created_at < cutoff,
                    )
                )
            ).all()
        for document_id in ids:
            await self._void(document_id, "generation interrupted")
        return len(ids)

    @staticmethod
    def _file(
        doc: DocumentRow,
        version: int,
        stored: StoredBlob,
        template: TemplateSource,
        snapshot: dict,
        caller: Caller,
        now: datetime,
    ) -> DocumentFileRow:
        return DocumentFileRow(
            document_id=doc.id,
            version=version,
            blob_key=stored.key,
            sha256=stored.sha256,
            size_bytes=stored.size,
            template_id=template.template.id,
            template_version=template.version.version,
            snapshot=snapshot,
            created_by=caller.user_id,
            created_at=now,
        )

    async def regenerate(
        self, caller: Caller, document_id: str, template_id: str, expected_version: int
    ) -> DocumentRow:
        """A new version of a draft or issued document from the deal's current data, under the same number."""
        async with self.db.readers() as session:
            current = await DocumentsRepository(session, caller).get(document_id)
            domain.check_regenerable(current.status)
            file = await DocumentsRepository(session, caller).file(document_id, current.current_version)
            template = await self.templates.source_for(session, template_id or file.template_id, current.doc_type, "")
        deal_source = await self.sources.deal(caller, current.deal_id)
        buyer = await self.sources.party(caller, deal_source.deal.client_id, deal_source.deal.client_name)
        language = template.template.language
        units = await self.sources.units(caller, language)
        now = self.clock.now()
        stored: StoredBlob | None = None
        try:
            async with self.db.transaction() as session:
                doc = await DocumentsRepository(session, caller).get(document_id, lock=True)
                check_version("document", doc, expected_version)
                domain.check_regenerable(doc.status)
                entity = await self._legal_entity(session, doc.legal_entity_id)
                snapshot = document_data.build(
                    doc_type=doc.doc_type,
                    number=doc.number,
                    doc_date=doc.doc_date,
                    valid_until=doc.valid_until,
                    language=language,
                    deal=deal_source.deal,
                    buyer=buyer,
                    seller=seller_of(entity),
                    units=units,
                )
                html = rendering.fill(
                    template.version.html, snapshot, language=language, currency=deal_source.deal.currency
                )
                stored = await self._store_pdf(html, template.version.css)
                totals = snapshot["totals"]
                version = doc.current_version + 1
                session.add(self._file(doc, version, stored, template, snapshot, caller, now))
                doc.current_version, doc.language, doc.lines = version, language, snapshot["lines"]
                doc.net_amount, doc.vat_amount = Decimal(totals["net"]), Decimal(totals["vat"])
                doc.total, doc.vat_mode = Decimal(totals["gross"]), snapshot["doc"]["vat_mode"]
                doc.party_name, doc.party_inn, doc.deal_title = buyer.name, buyer.inn, deal_source.deal.title
                doc.version += 1
                doc.updated_at = now
                await remember_scope(session, deal_source.scope, add_new=True)
                record_audit(
                    session,
                    entity_type="document",
                    entity_id=doc.id,
                    action="regenerated",
                    actor_id=caller.user_id,
                    changes={"current_version": {"old": version - 1, "new": version}},
                )
                await self._publish(session, caller, "document.generated", doc)
        except BaseException:
            if stored is not None:
                await self.store.delete(stored.key)
            raise
        return doc

    async def change_status(
        self, caller: Caller, document_id: str, status: str, reason: str, expected_version: int
    ) -> DocumentRow:
        """issue, sign, pay (in full, by hand) or cancel (with a reason) a document the caller may see."""
        if status not in domain.REQUESTABLE:
            raise invalid("status", "not_allowed", f"status must be one of: {', '.join(domain.REQUESTABLE)}")
        reason = " ".join(reason.split())[:1000]
        if status == "cancelled" and not reason:
            raise invalid("reason", "required", "say why the document is cancelled")
        async with self.db.transaction() as session:
            doc = await DocumentsRepository(session, caller).get(document_id, lock=True)
            check_version("document", doc, expected_version)
            await self._move(session, caller, doc, status, reason=reason)
        return doc

    async def _move(
        self,
        session: AsyncSession,
        caller: Caller,
        doc: DocumentRow,
        status: str,
        *,
        reason: str = "",
        paid: Decimal | None = None,
        sent_to: str = "",
    ) -> None:
        domain.check_transition(doc.doc_type, doc.status, status)
        now = self.clock.now()
        changes: dict[str, dict[str, Any]] = {"status": {"old": doc.status, "new": status}}
        doc.status = status
        if status == "cancelled":
            doc.cancel_reason = reason
        if status == "paid":
            doc.paid_amount = paid if paid is not None else doc.total
            doc.paid_at = now
            changes["paid_amount"] = {"old": None, "new": str(doc.paid_amount)}
        if status == "sent":
            doc.sent_to, doc.sent_at = sent_to, now
            changes["sent_to"] = {"old": None, "new": sent_to}
        doc.version += 1
        doc.updated_at = now
        record_audit(
            session, entity_type="document", entity_id=doc.id, action=status, actor_id=caller.user_id, changes=changes
        )
        await self._publish(session, caller, f"document.{status}", doc)

    async def record_payment(self, session: AsyncSession, caller: Caller, doc: DocumentRow, amount: Decimal) -> None:
        """A bank payment of an invoice (in the caller's transaction): paid once the whole total has come."""
        doc.paid_amount += amount
        if doc.paid_amount >= doc.total and doc.status in ("draft", "issued", "sent", "signed"):
            if doc.status == "draft":
                await self._move(session, caller, doc, "issued")
            paid = doc.paid_amount
            await self._move(session, caller, doc, "paid", paid=paid)
        else:
            doc.version += 1
            doc.updated_at = self.clock.now()
            record_audit(
                session,
                entity_type="document",
                entity_id=doc.id,
                action="payment_received",
                actor_id=caller.user_id,
                changes={"paid_amount": {"old": str(doc.paid_amount - amount), "new": str(doc.paid_amount)}},
            )

    async def send(self, caller: Caller, document_id: str, data: SendInput, expected_version: int) -> DocumentRow:
        """E-mail the current PDF (to the given addresses or the client's e-mail), then mark the document sent."""
        async with self.db.readers() as session:
            repository = DocumentsRepository(session, caller)
            doc = await repository.get(document_id)
            check_version("document", doc, expected_version)
            if doc.status not in ("draft", "issued", "sent"):
                raise FailedPrecondition("document_status_transition", f"a {doc.status} document is not sent")
            file = await repository.file(doc.id, doc.current_version)
        to = list(data.to)
        if not to:
            buyer = await self.sources.party(caller, doc.party_id or "", doc.party_name)
            if not buyer.email:
                raise invalid("to", "required", "the client has no e-mail: name the recipients")
            to = [buyer.email]
        pdf = bytearray()
        async for chunk in self.store.open(file.blob_key):
            pdf += chunk
        title = f"{document_data.title_of(doc.doc_type, doc.language)} № {doc.number}"
        message = build_message(
            sender=self.mailer.settings.mail_from,
            to=to[0],
            subject=data.subject or title,
            text=data.message or title,
        )
        if len(to) > 1:
            message["Cc"] = ", ".join(to[1:])
        message.add_attachment(bytes(pdf), maintype="application", subtype="pdf", filename=filename_of(doc))
        try:
            await self.mailer.send(message)
        except MailError as exc:
            raise FailedPrecondition("mail_not_sent", f"the mail server did not take the message: {exc}"[:300]) from exc
        async with self.db.transaction() as session:
            doc = await DocumentsRepository(session, caller).get(document_id, lock=True)
            if doc.status == "draft":
                await self._move(session, caller, doc, "issued")
            if doc.status == "sent":
                doc.sent_to, doc.sent_at, doc.version = ", ".join(to), self.clock.now(), doc.version + 1
                record_audit(
                    session,
                    entity_type="document",
                    entity_id=doc.id,
                    action="sent",
                    actor_id=caller.user_id,
                    changes={"sent_to": {"old": None, "new": doc.sent_to}},
                )
                await self._publish(session, caller, "document.sent", doc)
            else:
                await self._move(session, caller, doc, "sent", sent_to=", ".join(to))
        return doc

    async def _publish(self, session: AsyncSession, caller: Caller, event_type: str, doc: DocumentRow) -> None:
        """The event of a document, with its deal's scope (by reference: deals publishes it) and its client."""
        payload = events.DocumentChanged(
            document_id=doc.id,
            doc_type=doc.doc_type,
            number=doc.number,
            doc_date=doc.doc_date.isoformat(),
            status=doc.status,
            deal_id=doc.deal_id,
            deal_title=doc.deal_title,
            party_id=doc.party_id or "",
            total=str(doc.total),
            currency=doc.currency,
            language=doc.language,
            file_version=doc.current_version,
            sent_to=doc.sent_to,
            paid_amount=str(doc.paid_amount),
            cancel_reason=doc.cancel_reason,
        )
        title = document_data.title_of(doc.doc_type, "en")
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            event_type,
            subject_id=doc.id,
            payload=payload,
            actor=caller,
            version=doc.version,
            party_ids=[doc.party_id] if doc.party_id else [],
            summary=f"{title} {doc.number}: {doc.status}",
            scopes=[scope_reference("deal", doc.deal_id)],
        )
