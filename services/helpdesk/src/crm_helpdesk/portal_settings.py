"""Settings of the portal and NPS beyond every service's: the peers they ask, the mail, the public address."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from crm_core.mail import MailSettings
from crm_core.registry import REGISTRY
from crm_core.settings import EnvironmentSettings


class PortalSettings(EnvironmentSettings):
    """Where contacts and marketing answer, how invitations and surveys are mailed, where their links lead."""

    contacts_grpc_target: str = Field(
        REGISTRY["contacts"].local_target, validation_alias=AliasChoices("CRM_CONTACTS_GRPC_TARGET")
    )
    marketing_grpc_target: str = Field(
        REGISTRY["marketing"].local_target, validation_alias=AliasChoices("CRM_MARKETING_GRPC_TARGET")
    )
    # The gateway's public address: invitation and survey links lead to its /portal/ page.
    public_url: str = Field("http://127.0.0.1:8000", validation_alias=AliasChoices("CRM_PUBLIC_URL"))
    # Days an invitation link holds.
    invitation_days: int = Field(7, validation_alias=AliasChoices("CRM_HELPDESK_INVITATION_DAYS"))
    # Invitations and surveys go through the SMTP settings mailings use (CRM_SMTP_*, CRM_MAIL_FROM).
    mail: MailSettings = Field(default_factory=MailSettings)

    def portal_link(self, fragment: str) -> str:
        """The portal page at `fragment` ("accept/<token>", "nps/<token>")."""
        return f"{self.public_url.rstrip('/')}/portal/#/{fragment}"
