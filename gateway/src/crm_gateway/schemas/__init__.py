"""Pydantic models of the REST API (request shapes are strict: unknown fields are rejected)."""
