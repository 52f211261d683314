"""Typed inputs of the attachment RPCs: the upload's first message, and the record a list names."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from crm.documents.v1 import attachments_pb2 as pb
from crm_core.errors import Validator

# The record types attachments hang on, by proto enum value (documents join later).
RECORD_TYPES: dict[int, str] = {
    pb.RECORD_TYPE_PARTY: "party",
    pb.RECORD_TYPE_DEAL: "deal",
    pb.RECORD_TYPE_TASK: "task",
    pb.RECORD_TYPE_TICKET: "ticket",
}
RECORD_TYPE_VALUES = {name: value for value, name in RECORD_TYPES.items()}
MAX_FILENAME = 255


@dataclass(frozen=True)
class RecordRef:
    """A record of another service, by kind and id."""

    record_type: str
    record_id: str


@dataclass(frozen=True)
class UploadStart:
    """What the first message of an upload says: where the file goes, its name and announced size."""

    # Empty for a new version that leaves the record to the attachment's.
    record: RecordRef
    filename: str
    declared_size: int
    # A new version of this attachment; "" for a new attachment.
    attachment_id: str


def clean_filename(name: str) -> str:
    """The name without folders, control characters and surrounding blanks, normalised (NFC)."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = name.strip()
    return "" if name in (".", "..") else name


def _record(errors: Validator, record_type: int, record_id: str) -> RecordRef:
    kind = RECORD_TYPES.get(record_type, "")
    if not kind:
        errors.add("record_type", "unknown_record_type", "record_type must be party, deal, task or ticket")
    if not record_id.strip():
        errors.add("record_id", "required", "record_id is required")
    elif len(record_id) > 64:
        errors.add("record_id", "too_long", "record_id must be at most 64 characters")
    return RecordRef(kind, record_id.strip())


def parse_record(message: pb.ListAttachmentsRequest) -> RecordRef:
    """The record a list names, or InvalidArgument naming each bad field."""
    errors = Validator()
    record = _record(errors, message.record_type, message.record_id)
    errors.raise_if_any()
    return record


def parse_upload_start(message: pb.UploadAttachmentStart) -> UploadStart:
    """The upload's first message, or InvalidArgument naming each bad field."""
    errors = Validator()
    new_version = bool(message.attachment_id.strip())
    if new_version and not message.record_type and not message.record_id:
        record = RecordRef("", "")  # the attachment's own record
    else:
        record = _record(errors, message.record_type, message.record_id)
    filename = clean_filename(message.filename)
    if not filename:
        errors.add("filename", "required", "filename is required")
    elif len(filename) > MAX_FILENAME:
        errors.add("filename", "too_long", f"filename must be at most {MAX_FILENAME} characters")
    if message.declared_size < 0:
        errors.add("declared_size", "negative", "declared_size cannot be negative")
    if len(message.attachment_id) > 64:
        errors.add("attachment_id", "too_long", "attachment_id must be at most 64 characters")
    errors.raise_if_any()
    return UploadStart(record, filename, message.declared_size, message.attachment_id.strip())
