"""Contacts service: companies and people, client knowledge, notes, timeline, dedup and merge."""

DOMAIN = "contacts"
