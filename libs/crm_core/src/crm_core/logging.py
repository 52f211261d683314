"""structlog configuration: JSON lines with service, request, user and trace ids, for every library too."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace


def _add_trace_ids(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        event["trace_id"] = format(span.trace_id, "032x")
        event["span_id"] = format(span.span_id, "016x")
    return event


def _drop_color_message(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """uvicorn passes a colored copy of its message as an `extra`; the JSON line keeps the plain one."""
    event.pop("color_message", None)
    return event


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Configure structlog and the stdlib root logger once per process: one JSON object per line on stdout.

    Everything goes through the same renderer: structlog's own lines and every library that logs
    through the standard `logging` module (uvicorn, alembic, grpc, nats, sqlalchemy), so a log
    shipper parses every line of a pod the same way.
    """
    renderer: Any = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_trace_ids,
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                *shared,
                structlog.stdlib.add_logger_name,
                structlog.stdlib.ExtraAdder(),
                _drop_color_message,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn and alembic bring handlers of their own: their records go to the root's JSON handler instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "grpc"):
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    # Chatty libraries stay at warning level (the gateway logs each request itself).
    for noisy in ("nats", "asyncio", "sqlalchemy.engine", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str = "crm") -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
