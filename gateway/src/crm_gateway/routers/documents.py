"""/api/v1/documents, /document-templates, /legal-entities and /bank-statements: the documents service.

A document is made from a deal you can see (POST /documents), numbered, stored as a PDF with the data it
was made from; its PDF streams from /documents/{id}/pdf. A deal you cannot see has no documents for you:
404 on each, absent from lists and counts. Templates and legal entities are read by everyone and changed by
admins; bank statements are for accountants and admins. See docs/documents.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from google.protobuf import field_mask_pb2

from crm.documents.v1 import documents_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.downloads import content_disposition, stream_file
from crm_gateway.problems import Problem
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.documents import (
    BankStatementOut,
    DocumentCreate,
    DocumentOut,
    DocumentPreviewIn,
    DocumentsPage,
    LegalEntityCreate,
    LegalEntityFields,
    LegalEntityOut,
    RegenerateIn,
    ResolveIn,
    SendIn,
    StatusIn,
    TemplateCreate,
    TemplateOut,
    TemplatePatch,
    TemplatePreviewIn,
    TemplateVariableOut,
    TemplateVersionIn,
)

router = APIRouter(prefix="/api/v1", tags=["documents"])

# A bank statement's size limit (the documents service's own: crm_documents.statement_text.MAX_BYTES).
MAX_STATEMENT_BYTES = 10 * 1024 * 1024
# Calls that render PDFs, send mail or import a statement: seconds of work when many come at once.
RENDER_DEADLINE = 60.0
PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}
DocType = Annotated[str, Query(max_length=20, description="quote, invoice, act, delivery_note or contract")]


def _pdf(rendered: pb.RenderedFile) -> Response:
    headers = {
        "Content-Disposition": content_disposition(rendered.filename, inline=True),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
    }
    return Response(rendered.content, media_type="application/pdf", headers=headers)


def _document(message: pb.Document, response: Response) -> DocumentOut:
    return rest.versioned(message, DocumentOut, response)


# --- legal entities --------------------------------------------------------------------------------


@router.get("/legal-entities", response_model=list[LegalEntityOut], summary="Your company's legal entities")
async def list_legal_entities(call: Call, include_archived: bool = False) -> list[LegalEntityOut]:
    result = await call.documents.ListLegalEntities(pb.ListLegalEntitiesRequest(include_archived=include_archived))
    return [rest.out(e, LegalEntityOut) for e in result.legal_entities]


@router.post("/legal-entities", response_model=LegalEntityOut, status_code=201, summary="Add a legal entity (admins)")
async def create_legal_entity(body: LegalEntityCreate, call: Call, response: Response) -> LegalEntityOut:
    message = await call.documents.CreateLegalEntity(
        pb.CreateLegalEntityRequest(legal_entity=rest.body_message(body, pb.LegalEntity))
    )
    response.headers["Location"] = f"/api/v1/legal-entities/{message.id}"
    return rest.versioned(message, LegalEntityOut, response)


@router.get("/legal-entities/{entity_id}", response_model=LegalEntityOut, summary="A legal entity (ETag = version)")
async def get_legal_entity(entity_id: str, call: Call, response: Response) -> LegalEntityOut:
    message = await call.documents.GetLegalEntity(pb.GetLegalEntityRequest(id=entity_id))
    return rest.versioned(message, LegalEntityOut, response)


@router.patch("/legal-entities/{entity_id}", response_model=LegalEntityOut, summary="Change a legal entity (admins)")
async def update_legal_entity(
    entity_id: str, body: LegalEntityFields, call: Call, response: Response, if_match: IfMatch = None
) -> LegalEntityOut:
    entity, mask = rest.patch_message(body, pb.LegalEntity, entity_id)
    message = await call.documents.UpdateLegalEntity(
        pb.UpdateLegalEntityRequest(
            legal_entity=entity,
            update_mask=mask,
            expected_version=rest.expected_version(if_match),
        )
    )
    return rest.versioned(message, LegalEntityOut, response)


# --- templates (fixed paths before /{template_id}) --------------------------------------------------


@router.get("/document-templates", response_model=list[TemplateOut], summary="Document templates")
async def list_templates(
    call: Call,
    doc_type: DocType = "",
    language: Annotated[str, Query(max_length=2)] = "",
    include_archived: bool = False,
) -> list[TemplateOut]:
    request = pb.ListTemplatesRequest(doc_type=doc_type, language=language, include_archived=include_archived)
    result = await call.documents.ListTemplates(request)
    return [rest.out(t, TemplateOut) for t in result.templates]


@router.get(
    "/document-templates/variables", response_model=list[TemplateVariableOut], summary="What a template may use"
)
async def template_variables(call: Call, doc_type: DocType = "") -> list[TemplateVariableOut]:
    result = await call.documents.ListTemplateVariables(pb.ListTemplateVariablesRequest(doc_type=doc_type))
    return [rest.out(v, TemplateVariableOut) for v in result.variables]


@router.post(
    "/document-templates/preview",
    responses=PDF,
    response_class=Response,
    summary="A PDF of a template (stored, or html + css) with the sample deal or a deal you see; nothing is kept",
)
async def preview_template(body: TemplatePreviewIn, call: Call) -> Response:
    return _pdf(
        await call.documents.PreviewTemplate(rest.body_message(body, pb.PreviewTemplateRequest), RENDER_DEADLINE)
    )


@router.post("/document-templates", response_model=TemplateOut, status_code=201, summary="Add a template (admins)")
async def create_template(body: TemplateCreate, call: Call, response: Response) -> TemplateOut:
    message = await call.documents.CreateTemplate(rest.body_message(body, pb.CreateTemplateRequest))
    response.headers["Location"] = f"/api/v1/document-templates/{message.id}"
    rest.set_etag(response, message.row_version)
    return rest.out(message, TemplateOut)


@router.get(
    "/document-templates/{template_id}",
    response_model=TemplateOut,
    summary="A template with the html and css of a version (default: the current one) and its versions",
)
async def get_template(
    template_id: str, call: Call, response: Response, version: Annotated[int, Query(ge=0, le=1_000_000)] = 0
) -> TemplateOut:
    message = await call.documents.GetTemplate(pb.GetTemplateRequest(id=template_id, version=version))
    rest.set_etag(response, message.row_version)
    return rest.out(message, TemplateOut)


@router.post(
    "/document-templates/{template_id}/versions",
    response_model=TemplateOut,
    status_code=201,
    summary="A new version of a template (admins; checked with the sample deal; If-Match)",
)
async def add_template_version(
    template_id: str, body: TemplateVersionIn, call: Call, response: Response, if_match: IfMatch = None
) -> TemplateOut:
    request = pb.AddTemplateVersionRequest(
        template_id=template_id,
        html=body.html,
        css=body.css,
        comment=body.comment,
        expected_version=rest.expected_version(if_match),
    )
    message = await call.documents.AddTemplateVersion(request)
    rest.set_etag(response, message.row_version)
    return rest.out(message, TemplateOut)


@router.patch("/document-templates/{template_id}", response_model=TemplateOut, summary="Rename, make default, archive")
async def update_template(
    template_id: str, body: TemplatePatch, call: Call, response: Response, if_match: IfMatch = None
) -> TemplateOut:
    fields = body.model_dump(exclude_unset=True)
    if any(v is None for v in fields.values()):
        raise Problem(422, "validation_failed", "fields of a template cannot be null")
    request = pb.UpdateTemplateRequest(
        template_id=template_id,
        update_mask=field_mask_pb2.FieldMask(paths=list(fields)),
        expected_version=rest.expected_version(if_match),
        **fields,
    )
    message = await call.documents.UpdateTemplate(request)
    rest.set_etag(response, message.row_version)
    return rest.out(message, TemplateOut)


# --- documents (fixed paths before /{document_id}) ---------------------------------------------------


@router.get("/documents", response_model=DocumentsPage, summary="Documents of deals you can see")
async def list_documents(
    call: Call,
    deal_id: Annotated[str, Query(max_length=64)] = "",
    party_id: Annotated[str, Query(max_length=64, description="The client's documents")] = "",
    doc_type: DocType = "",
    status: Annotated[str, Query(max_length=20)] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> DocumentsPage:
    request = pb.ListDocumentsRequest(
        deal_id=deal_id, party_id=party_id, doc_type=doc_type, status=status, limit=limit, cursor=cursor
    )
    result = await call.documents.ListDocuments(request)
    return DocumentsPage(
        items=[rest.out(d, DocumentOut) for d in result.documents], next_cursor=result.next_cursor, total=result.total
    )


@router.post(
    "/documents",
    response_model=DocumentOut,
    status_code=201,
    summary="Make a document of a deal: numbered, rendered to PDF, stored (status draft)",
)
async def create_document(body: DocumentCreate, call: Call, response: Response) -> DocumentOut:
    message = await call.documents.GenerateDocument(
        rest.body_message(body, pb.GenerateDocumentRequest), RENDER_DEADLINE
    )
    response.headers["Location"] = f"/api/v1/documents/{message.id}"
    return _document(message, response)


@router.post(
    "/documents/preview",
    responses=PDF,
    response_class=Response,
    summary="The PDF a document of a deal would be, without a number; nothing is kept",
)
async def preview_document(body: DocumentPreviewIn, call: Call) -> Response:
    request = rest.body_message(body, pb.PreviewTemplateRequest)  # no template: the service takes the default
    return _pdf(await call.documents.PreviewTemplate(request, RENDER_DEADLINE))


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="A document (ETag = version)")
async def get_document(document_id: str, call: Call, response: Response) -> DocumentOut:
    return _document(await call.documents.GetDocument(pb.GetDocumentRequest(id=document_id)), response)


@router.get(
    "/documents/{document_id}/pdf",
    responses=PDF,
    response_class=Response,
    summary="The document's PDF (a version; inline=true to show it in the browser)",
)
async def document_pdf(
    document_id: str,
    call: Call,
    version: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    inline: bool = False,
) -> Response:
    request = pb.DownloadDocumentRequest(id=document_id, version=version)
    return await stream_file(call, "documents", "DownloadDocument", request, inline=inline)


@router.post(
    "/documents/{document_id}/regenerate",
    response_model=DocumentOut,
    summary="A new version of a draft or issued document from the deal's current data (same number; If-Match)",
)
async def regenerate_document(
    document_id: str, body: RegenerateIn, call: Call, response: Response, if_match: IfMatch = None
) -> DocumentOut:
    request = pb.RegenerateDocumentRequest(
        document_id=document_id, template_id=body.template_id, expected_version=rest.expected_version(if_match)
    )
    return _document(await call.documents.RegenerateDocument(request, RENDER_DEADLINE), response)


@router.post(
    "/documents/{document_id}/status",
    response_model=DocumentOut,
    summary="Issue, sign, mark paid or cancel (with a reason) a document (If-Match)",
)
async def change_status(
    document_id: str, body: StatusIn, call: Call, response: Response, if_match: IfMatch = None
) -> DocumentOut:
    request = pb.ChangeDocumentStatusRequest(
        id=document_id, status=body.status, reason=body.reason, expected_version=rest.expected_version(if_match)
    )
    return _document(await call.documents.ChangeDocumentStatus(request), response)


@router.post(
    "/documents/{document_id}/send",
    response_model=DocumentOut,
    summary="E-mail the PDF (to the given addresses or the client's e-mail) and mark it sent (If-Match)",
)
async def send_document(
    document_id: str, body: SendIn, call: Call, response: Response, if_match: IfMatch = None
) -> DocumentOut:
    request = pb.SendDocumentRequest(
        id=document_id,
        to=body.to,
        subject=body.subject,
        message=body.message,
        expected_version=rest.expected_version(if_match),
    )
    return _document(await call.documents.SendDocument(request, RENDER_DEADLINE), response)


# --- bank statements -----------------------------------------------------------------------------------


@router.post(
    "/bank-statements",
    response_model=BankStatementOut,
    status_code=201,
    summary="Import a bank statement (1CClientBankExchange, the file as the body): pays the invoices it names",
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def import_statement(
    request: Request,
    call: Call,
    filename: Annotated[str, Query(max_length=255, description="The file's name, for the report")] = "statement.txt",
) -> BankStatementOut:
    if int(request.headers.get("content-length") or 0) > MAX_STATEMENT_BYTES:
        raise Problem(413, "statement_too_large", "the statement is larger than 10 MB")
    content = bytearray()
    async for data in request.stream():
        content += data
        if len(content) > MAX_STATEMENT_BYTES:
            raise Problem(413, "statement_too_large", "the statement is larger than 10 MB")
    if not content:
        raise Problem(422, "statement_format_invalid", "send the statement file as the request body")
    message = await call.documents.ImportBankStatement(
        pb.ImportBankStatementRequest(filename=filename, content=bytes(content)), RENDER_DEADLINE
    )
    return rest.out(message, BankStatementOut)


@router.get("/bank-statements", response_model=Page[BankStatementOut], summary="Imported statements (newest first)")
async def list_statements(call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[BankStatementOut]:
    result = await call.documents.ListBankStatements(pb.ListBankStatementsRequest(limit=limit, cursor=cursor))
    return Page[BankStatementOut](
        items=[rest.out(s, BankStatementOut) for s in result.statements], next_cursor=result.next_cursor
    )


@router.get("/bank-statements/{statement_id}", response_model=BankStatementOut, summary="A statement's match report")
async def get_statement(statement_id: str, call: Call) -> BankStatementOut:
    return rest.out(
        await call.documents.GetBankStatement(pb.GetBankStatementRequest(id=statement_id)), BankStatementOut
    )


@router.post(
    "/bank-statements/{statement_id}/payments/{payment_id}/resolve",
    response_model=BankStatementOut,
    summary="Match an unmatched payment to an invoice by hand",
)
async def resolve_payment(statement_id: str, payment_id: str, body: ResolveIn, call: Call) -> BankStatementOut:
    request = pb.ResolveBankPaymentRequest(
        statement_id=statement_id, payment_id=payment_id, document_id=body.document_id
    )
    return rest.out(await call.documents.ResolveBankPayment(request), BankStatementOut)
