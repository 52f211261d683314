"""gRPC servicer of crm.documents.v1.DocumentsService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeAlias

import grpc

from crm.documents.v1 import documents_pb2 as pb
from crm.documents.v1 import documents_pb2_grpc
from crm_core.acl import require_admin
from crm_core.auth import current_caller
from crm_core.db import Database, is_uuid
from crm_core.errors import Validator, invalid
from crm_core.pagination import clamp_limit
from crm_core.protojson import struct, timestamp
from crm_core.resources import FieldMask
from crm_documents import DOMAIN, document_data, domain, legal_entities, rendering
from crm_documents.blobs import READ_CHUNK, BlobStore
from crm_documents.commands import Documents, filename_of
from crm_documents.inputs import parse_generate, parse_id, parse_send
from crm_documents.legal_entities import LegalEntities, legal_entity_message, seller_of
from crm_documents.models import DocumentFileRow, DocumentRow, TemplateRow
from crm_documents.repository import DocumentQuery, DocumentsRepository, ServiceRepository
from crm_documents.sources import Sources
from crm_documents.statements import Statements, statement_message
from crm_documents.templates import Templates, TemplateSource
from crm_documents.variables import VARIABLES

Context: TypeAlias = grpc.aio.ServicerContext
TEMPLATE_MASK = FieldMask(paths=("name", "is_default", "archived", "current_version"))


def document_message(
    doc: DocumentRow, files: list[DocumentFileRow] | None = None, with_snapshot: bool = False
) -> pb.Document:
    message = pb.Document(
        id=doc.id,
        doc_type=doc.doc_type,
        number=doc.number,
        sequence=doc.sequence,
        year=doc.year,
        doc_date=doc.doc_date.isoformat(),
        valid_until=doc.valid_until.isoformat() if doc.valid_until else "",
        status=doc.status,
        deal_id=doc.deal_id,
        deal_title=doc.deal_title,
        party_id=doc.party_id or "",
        party_name=doc.party_name,
        legal_entity_id=doc.legal_entity_id,
        language=doc.language,
        currency=doc.currency,
        vat_mode=doc.vat_mode,
        net_amount=str(doc.net_amount),
        vat_amount=str(doc.vat_amount),
        total=str(doc.total),
        paid_amount=str(doc.paid_amount),
        lines=[
            pb.DocumentLine(**{k: str(line.get(k, "")) for k in pb.DocumentLine.DESCRIPTOR.fields_by_name})
            for line in doc.lines
        ],
        current_version=doc.current_version,
        sent_to=doc.sent_to,
        sent_at=timestamp(doc.sent_at),
        paid_at=timestamp(doc.paid_at),
        cancel_reason=doc.cancel_reason,
        created_by=doc.created_by,
        created_at=timestamp(doc.created_at),
        updated_at=timestamp(doc.updated_at),
        version=doc.version,
    )
    for file in files or []:
        message.files.append(
            pb.DocumentFile(
                version=file.version,
                sha256=file.sha256,
                size_bytes=file.size_bytes,
                template_id=file.template_id,
                template_version=file.template_version,
                created_at=timestamp(file.created_at),
                created_by=file.created_by,
            )
        )
        if with_snapshot and file.version == doc.current_version:
            message.snapshot.CopyFrom(struct(file.snapshot))
    return message


def template_message(
    row: TemplateRow, source: TemplateSource | None = None, versions: list | None = None
) -> pb.Template:
    message = pb.Template(
        id=row.id,
        doc_type=row.doc_type,
        language=row.language,
        name=row.name,
        shipped=row.shipped_key is not None,
        is_default=row.is_default,
        archived=row.archived,
        current_version=row.current_version,
        row_version=row.version,
        created_at=timestamp(row.created_at),
    )
    if source is not None:
        message.version, message.html, message.css = source.version.version, source.version.html, source.version.css
    for v in versions or []:
        message.versions.append(
            pb.TemplateVersion(
                version=v.version, created_at=timestamp(v.created_at), created_by=v.created_by, comment=v.comment
            )
        )
    return message


class DocumentsServicer(documents_pb2_grpc.DocumentsServiceServicer):
    """Every method reads the caller from context; access rules live in the repository and the commands."""

    def __init__(
        self,
        db: Database,
        stream: str,
        documents: Documents,
        templates: Templates,
        entities: LegalEntities,
        statements: Statements,
        sources: Sources,
        store: BlobStore,
    ) -> None:
        self.db = db
        self.stream = stream
        self.documents = documents
        self.templates = templates
        self.entities = entities
        self.statements = statements
        self.sources = sources
        self.store = store

    async def GetServiceInfo(self, request: pb.GetServiceInfoRequest, context: Context) -> pb.ServiceInfo:
        """The database revision, the event stream and the events waiting to be published."""
        state = await ServiceRepository(self.db).service_state()
        return pb.ServiceInfo(
            name=DOMAIN,
            schema_revision=state.schema_revision,
            stream=self.stream,
            pending_events=state.pending_events,
        )

    # --- legal entities ---

    async def ListLegalEntities(
        self, request: pb.ListLegalEntitiesRequest, context: Context
    ) -> pb.ListLegalEntitiesResponse:
        rows = await self.entities.list_entities(request.include_archived)
        return pb.ListLegalEntitiesResponse(legal_entities=[legal_entity_message(r) for r in rows])

    async def GetLegalEntity(self, request: pb.GetLegalEntityRequest, context: Context) -> pb.LegalEntity:
        return legal_entity_message(await self.entities.get(parse_id(request.id)))

    async def CreateLegalEntity(self, request: pb.CreateLegalEntityRequest, context: Context) -> pb.LegalEntity:
        data = legal_entities.parse(request.legal_entity)
        return legal_entity_message(await self.entities.create(current_caller(), data))

    async def UpdateLegalEntity(self, request: pb.UpdateLegalEntityRequest, context: Context) -> pb.LegalEntity:
        entity_id = parse_id(request.legal_entity.id)
        paths = legal_entities.MASK.check(request.update_mask.paths)
        data = legal_entities.parse(request.legal_entity, paths)
        row = await self.entities.update(current_caller(), entity_id, paths, data, request.expected_version)
        return legal_entity_message(row)

    # --- templates ---

    async def ListTemplates(self, request: pb.ListTemplatesRequest, context: Context) -> pb.ListTemplatesResponse:
        rows = await self.templates.list_templates(request.doc_type, request.language, request.include_archived)
        return pb.ListTemplatesResponse(templates=[template_message(r) for r in rows])

    async def GetTemplate(self, request: pb.GetTemplateRequest, context: Context) -> pb.Template:
        if request.version < 0:
            raise invalid("version", "out_of_range", "version must be positive")
        source, versions = await self.templates.get(parse_id(request.id), request.version)
        return template_message(source.template, source, versions)

    async def CreateTemplate(self, request: pb.CreateTemplateRequest, context: Context) -> pb.Template:
        caller = current_caller()
        units = await self.sources.units(caller, request.language)
        row = await self.templates.create(
            caller,
            doc_type=request.doc_type,
            language=request.language,
            name=request.name,
            html=request.html,
            css=request.css,
            is_default=request.is_default,
            units=units,
        )
        source, versions = await self.templates.get(row.id)
        return template_message(row, source, versions)

    async def AddTemplateVersion(self, request: pb.AddTemplateVersionRequest, context: Context) -> pb.Template:
        caller = current_caller()
        template_id = parse_id(request.template_id, "template_id")
        current, _ = await self.templates.get(template_id)
        units = await self.sources.units(caller, current.template.language)
        row = await self.templates.add_version(
            caller,
            template_id,
            html=request.html,
            css=request.css,
            comment=request.comment,
            expected_version=request.expected_version,
            units=units,
        )
        source, versions = await self.templates.get(row.id)
        return template_message(row, source, versions)

    async def UpdateTemplate(self, request: pb.UpdateTemplateRequest, context: Context) -> pb.Template:
        template_id = parse_id(request.template_id, "template_id")
        paths = TEMPLATE_MASK.check(request.update_mask.paths)
        values = {
            "name": request.name,
            "is_default": request.is_default,
            "archived": request.archived,
            "current_version": request.current_version,
        }
        row = await self.templates.update(current_caller(), template_id, paths, values, request.expected_version)
        source, versions = await self.templates.get(row.id)
        return template_message(row, source, versions)

    async def ListTemplateVariables(
        self, request: pb.ListTemplateVariablesRequest, context: Context
    ) -> pb.ListTemplateVariablesResponse:
        return pb.ListTemplateVariablesResponse(variables=[pb.TemplateVariable(**v) for v in VARIABLES])

    async def PreviewTemplate(self, request: pb.PreviewTemplateRequest, context: Context) -> pb.RenderedFile:
        """A PDF of a template (stored or given) filled with the sample deal or a visible deal; nothing kept."""
        caller = current_caller()
        v = Validator()
        if request.version < 0:
            v.add("version", "out_of_range", "version must be positive")
        if not request.template_id and request.doc_type not in document_data.DOC_TYPES:
            v.add("doc_type", "not_allowed", f"doc_type must be one of: {', '.join(document_data.DOC_TYPES)}")
        # Without HTML of its own, an empty language is the installation's (its default template is shown).
        language_needed = bool(request.html or request.language)
        if not request.template_id and language_needed and request.language not in document_data.LANGUAGES:
            v.add("language", "not_allowed", "language must be ru or en")
        v.raise_if_any()
        if request.template_id or not request.html:
            source = await self._preview_source(request)
            html, css = source.version.html, source.version.css
            doc_type, language = source.template.doc_type, source.template.language
        else:
            # HTML of one's own is a template being written: template authors are admins.
            require_admin(caller, "preview template HTML")
            html, css, doc_type, language = request.html, request.css, request.doc_type, request.language
        units = await self.sources.units(caller, language)
        seller = None
        if request.legal_entity_id:
            seller = seller_of(await self.entities.get(parse_id(request.legal_entity_id, "legal_entity_id")))
        if request.deal_id:
            deal = (await self.sources.deal(caller, parse_id(request.deal_id, "deal_id"))).deal
            buyer = await self.sources.party(caller, deal.client_id, deal.client_name)
            data = document_data.build(
                doc_type=doc_type,
                number="—",
                doc_date=self.documents.today(),
                valid_until=None,
                language=language,
                deal=deal,
                buyer=buyer,
                seller=seller or document_data.SAMPLE_SELLER,
                units=units,
            )
            currency = deal.currency
        else:
            data, currency = document_data.sample(doc_type, language, units, seller), "RUB"
        filled = rendering.check_template(html, css, data, language=language, currency=currency)
        pdf = await rendering.render(filled, css)
        return pb.RenderedFile(content=pdf, content_type="application/pdf", filename="preview.pdf")

    async def _preview_source(self, request: pb.PreviewTemplateRequest) -> TemplateSource:
        """The named template (at the asked version), else the default one of the type and language."""
        if request.template_id:
            source, _ = await self.templates.get(parse_id(request.template_id, "template_id"), request.version)
            return source
        language = request.language or self.documents.default_language
        async with self.db.readers() as session:
            return await self.templates.source_for(session, "", request.doc_type, language)

    # --- documents ---

    async def _message(self, doc: DocumentRow, with_snapshot: bool = False) -> pb.Document:
        async with self.db.readers() as session:
            files = await DocumentsRepository(session, current_caller()).files(doc.id)
        return document_message(doc, files, with_snapshot)

    async def GenerateDocument(self, request: pb.GenerateDocumentRequest, context: Context) -> pb.Document:
        doc = await self.documents.generate(current_caller(), parse_generate(request))
        return await self._message(doc)

    async def RegenerateDocument(self, request: pb.RegenerateDocumentRequest, context: Context) -> pb.Document:
        template_id = parse_id(request.template_id, "template_id") if request.template_id else ""
        doc = await self.documents.regenerate(
            current_caller(), parse_id(request.document_id, "document_id"), template_id, request.expected_version
        )
        return await self._message(doc)

    async def GetDocument(self, request: pb.GetDocumentRequest, context: Context) -> pb.Document:
        async with self.db.readers() as session:
            repository = DocumentsRepository(session, current_caller())
            doc = await repository.get(parse_id(request.id))
            return document_message(doc, await repository.files(doc.id), with_snapshot=True)

    async def ListDocuments(self, request: pb.ListDocumentsRequest, context: Context) -> pb.ListDocumentsResponse:
        v = Validator()
        for name in ("deal_id", "party_id"):
            value = getattr(request, name)
            if value and not is_uuid(value):
                v.add(name, "invalid_id", f"{name} is not an id")
        if request.doc_type and request.doc_type not in document_data.DOC_TYPES:
            v.add("doc_type", "not_allowed", f"doc_type must be one of: {', '.join(document_data.DOC_TYPES)}")
        if request.status and request.status not in domain.STATUSES:
            v.add("status", "not_allowed", "unknown status")
        v.raise_if_any()
        query = DocumentQuery(request.deal_id, request.party_id, request.doc_type, request.status)
        async with self.db.readers() as session:
            page, total = await DocumentsRepository(session, current_caller()).list_documents(
                query, clamp_limit(request.limit), request.cursor
            )
        return pb.ListDocumentsResponse(
            documents=[document_message(d) for d in page.items], next_cursor=page.next_cursor, total=total
        )

    async def DownloadDocument(
        self, request: pb.DownloadDocumentRequest, context: Context
    ) -> AsyncIterator[pb.DocumentChunk]:
        if request.version < 0:
            raise invalid("version", "out_of_range", "version must be positive")
        async with self.db.readers() as session:
            repository = DocumentsRepository(session, current_caller())
            doc = await repository.get(parse_id(request.id))
            file = await repository.file(doc.id, request.version or doc.current_version)
        first = True
        async for chunk in self.store.open(file.blob_key):
            for start in range(0, len(chunk), READ_CHUNK):
                piece = chunk[start : start + READ_CHUNK]
                if first:
                    first = False
                    yield pb.DocumentChunk(
                        data=piece,
                        filename=filename_of(doc, file.version),
                        content_type="application/pdf",
                        size_bytes=file.size_bytes,
                        sha256=file.sha256,
                    )
                else:
                    yield pb.DocumentChunk(data=piece)

    async def ChangeDocumentStatus(self, request: pb.ChangeDocumentStatusRequest, context: Context) -> pb.Document:
        doc = await self.documents.change_status(
            current_caller(), parse_id(request.id), request.status, request.reason, request.expected_version
        )
        return await self._message(doc)

    async def SendDocument(self, request: pb.SendDocumentRequest, context: Context) -> pb.Document:
        data = parse_send(request)
        doc = await self.documents.send(current_caller(), parse_id(request.id), data, request.expected_version)
        return await self._message(doc)

    # --- bank statements ---

    async def ImportBankStatement(self, request: pb.ImportBankStatementRequest, context: Context) -> pb.BankStatement:
        caller = current_caller()
        statement, payments, numbers = await self.statements.import_statement(caller, request.filename, request.content)
        return statement_message(statement, payments, numbers)

    async def ListBankStatements(
        self, request: pb.ListBankStatementsRequest, context: Context
    ) -> pb.ListBankStatementsResponse:
        page = await self.statements.list_statements(current_caller(), clamp_limit(request.limit), request.cursor)
        return pb.ListBankStatementsResponse(
            statements=[statement_message(s, payments) for s, payments in page.items], next_cursor=page.next_cursor
        )

    async def GetBankStatement(self, request: pb.GetBankStatementRequest, context: Context) -> pb.BankStatement:
        statement, payments, numbers = await self.statements.get(current_caller(), parse_id(request.id))
        return statement_message(statement, payments, numbers)

    async def ResolveBankPayment(self, request: pb.ResolveBankPaymentRequest, context: Context) -> pb.BankStatement:
        statement, payments, numbers = await self.statements.resolve(
            current_caller(),
            parse_id(request.statement_id, "statement_id"),
            parse_id(request.payment_id, "payment_id"),
            parse_id(request.document_id, "document_id"),
        )
        return statement_message(statement, payments, numbers)
