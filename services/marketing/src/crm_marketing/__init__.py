"""Marketing service."""

DOMAIN = "marketing"
