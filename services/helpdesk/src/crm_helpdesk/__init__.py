"""Helpdesk service."""

DOMAIN = "helpdesk"
