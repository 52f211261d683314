"""Deals service: pipelines and stages, deals and their lines, stage history, loss reasons, payments."""

DOMAIN = "deals"
