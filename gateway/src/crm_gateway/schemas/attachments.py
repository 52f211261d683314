"""REST shapes of attachments (mirror crm.documents.v1's Attachment and AttachmentVersion).

The file itself is no JSON: POST /api/v1/attachments takes it as multipart/form-data and
GET /api/v1/attachments/{id}/content streams it back (routers.attachments).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import Out


class AttachmentVersionOut(Out):
    version: int
    filename: str
    content_type: str = Field(description="Sniffed from the content, never the client's")
    size_bytes: int
    sha256: str = Field(description="Hex SHA-256 of the content")
    uploaded_by: str
    uploaded_at: datetime | None = None


class AttachmentOut(Out):
    id: str
    record_type: str = Field(description="party, deal or task")
    record_id: str
    filename: str = Field(description="The latest version's name")
    content_type: str
    size_bytes: int
    latest_version: int
    created_by: str
    created_at: datetime | None = None
    versions: list[AttachmentVersionOut] = Field([], description="Newest first; a list carries only the latest version")
