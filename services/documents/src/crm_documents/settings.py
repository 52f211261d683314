"""Settings of the documents service beyond every service's (CRM_DOCUMENTS_*): its peers and its blob store."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from crm_core.mail import MailSettings
from crm_core.registry import REGISTRY
from crm_core.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    """ServiceSettings plus where the records attachments hang on answer, and where file contents are kept."""

    contacts_grpc_target: str = Field(
        REGISTRY["contacts"].local_target, validation_alias=AliasChoices("CRM_CONTACTS_GRPC_TARGET")
    )
    deals_grpc_target: str = Field(
        REGISTRY["deals"].local_target, validation_alias=AliasChoices("CRM_DEALS_GRPC_TARGET")
    )
    tasks_grpc_target: str = Field(
        REGISTRY["tasks"].local_target, validation_alias=AliasChoices("CRM_TASKS_GRPC_TARGET")
    )
    helpdesk_grpc_target: str = Field(
        REGISTRY["helpdesk"].local_target, validation_alias=AliasChoices("CRM_HELPDESK_GRPC_TARGET")
    )
    # The blob store (blobs.py): a local folder unless an S3 endpoint or bucket is set.
    blob_dir: str = ".dev/blobs"
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_region: str = "us-east-1"
    # Bytes of one attachment (each version); larger uploads are refused while they stream.
    max_attachment_bytes: int = 25 * 1024 * 1024
    # Documents sent by e-mail go through the SMTP settings mailings use (CRM_SMTP_*, CRM_MAIL_FROM).
    mail: MailSettings = Field(default_factory=MailSettings)
