"""/api/v1/helpdesk/inbound-email: a mail server (or a script) hands the helpdesk one raw e-mail.

The body is the message itself (Content-Type message/rfc822), at most 25 MB, read
as it streams so a larger one is refused (413 `email_too_large`) without being
held whole. Callers: admins, and users with the role `mail_intake` (the helpdesk
service checks). See docs/helpdesk.md, "E-mail".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call
from crm_gateway.problems import Problem
from crm_gateway.schemas.helpdesk_mail import InboundEmailOut

router = APIRouter(prefix="/api/v1/helpdesk", tags=["helpdesk"])

# The helpdesk's own limit (crm_helpdesk.mail_intake.MAX_EMAIL_BYTES).
MAX_EMAIL_BYTES = 25 * 1024 * 1024
# message/rfc822 is the message's own type; the others are what piping tools (curl --data-binary) send.
MEDIA_TYPES = {"message/rfc822", "application/octet-stream", "text/plain"}
# Storing the e-mail's files with documents is a few calls per file.
INTAKE_DEADLINE = 60.0


def too_large() -> Problem:
    return Problem(413, "email_too_large", "the e-mail is larger than 25 MB")


@router.post(
    "/inbound-email",
    response_model=InboundEmailOut,
    summary="Take one e-mail (the raw RFC 822 message as the body): opens a ticket, appends to one or ignores it",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in sorted(MEDIA_TYPES)},
        }
    },
)
async def inbound_email(
    request: Request,
    call: Call,
    mailbox: Annotated[str, Query(max_length=320, description="The address it came to (chooses the queue)")] = "",
) -> InboundEmailOut:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise Problem(415, "unsupported_media_type", "send the e-mail as message/rfc822")
    try:
        declared = int(request.headers.get("content-length") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_EMAIL_BYTES:
        raise too_large()
    raw = bytearray()
    async for data in request.stream():
        raw += data
        if len(raw) > MAX_EMAIL_BYTES:
            raise too_large()
    response = await call.helpdesk.IngestEmail(
        pb.IngestEmailRequest(raw=bytes(raw), mailbox=mailbox.strip()), INTAKE_DEADLINE
    )
    return rest.out(response, InboundEmailOut)
