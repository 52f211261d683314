"""Settings of the portal and NPS beyond the helpdesk's: where their links lead, how long an invitation holds."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from crm_core.settings import EnvironmentSettings


class PortalSettings(EnvironmentSettings):
    """The public address of invitation and survey links, and the days an invitation holds (peers and mail
    are the helpdesk's own: HelpdeskSettings)."""

    # The gateway's public address: invitation and survey links lead to its /portal/ page.
    public_url: str = Field("http://127.0.0.1:8000", validation_alias=AliasChoices("CRM_PUBLIC_URL"))
    invitation_days: int = Field(7, validation_alias=AliasChoices("CRM_HELPDESK_INVITATION_DAYS"))

    def portal_link(self, fragment: str) -> str:
        """The portal page at `fragment` ("accept/<token>", "nps/<token>")."""
        return f"{self.public_url.rstrip('/')}/portal/#/{fragment}"
