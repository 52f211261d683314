"""Documents service."""

DOMAIN = "documents"
