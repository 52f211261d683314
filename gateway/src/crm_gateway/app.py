"""The FastAPI application: routers, middleware, error handlers, lifecycle."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from crm.identity.v1 import identity_pb2, identity_pb2_grpc
from crm_core.access_signals import AccessSignals
from crm_core.db import Database
from crm_core.events import EventBus, Namespace
from crm_core.grpc_server import GrpcServer
from crm_core.logging import configure_logging, get_logger
from crm_core.metrics import declare_build, serve_metrics
from crm_core.telemetry import configure_tracing
from crm_gateway import public_forms, public_mail, public_visits
from crm_gateway.clients import ServiceClients
from crm_gateway.first_admin import first_admin_password
from crm_gateway.hygiene import InputHygieneMiddleware
from crm_gateway.idempotency import IdempotencyMiddleware
from crm_gateway.identity import ensure_first_admin
from crm_gateway.identity_grpc import IdentityServicer
from crm_gateway.login_throttle import LoginLimits, LoginThrottle
from crm_gateway.middleware import RequestContextMiddleware
from crm_gateway.openapi import install_openapi
from crm_gateway.portal_auth import PortalSessionCache
from crm_gateway.problems import install_handlers
from crm_gateway.routers import (
    api_keys,
    attachments,
    auth,
    common,
    deals,
    documents,
    helpdesk,
    helpdesk_mail,
    imports,
    knowledge,
    mailings,
    marketing,
    nps,
    parties,
    pipelines,
    portal,
    processes,
    products,
    reference,
    sales,
    system,
    tasks,
    users,
    visits,
)
from crm_gateway.sessions import SessionCache
from crm_gateway.settings import GatewaySettings
from crm_gateway.shutdown import DrainingServer
from crm_gateway.webclient import install_web_client

log = get_logger("crm.gateway")

DESCRIPTION = """
REST API of the CRM platform, for the web client, mobile clients and partners.

* Authenticate with `POST /api/v1/auth/login`, then send `Authorization: Bearer <access_token>`.
* Lists are paginated by cursor: pass `next_cursor` back as `cursor`.
* Filters: repeat `filter=field:op:value` (ops: eq, ne, lt, lte, gt, gte, in, contains, exists).
* Updates take `If-Match: "<version>"` (the `ETag` of a read); a stale one answers 412.
* `POST` takes an `Idempotency-Key` header; a retry with the same key replays the first response.
* Errors are `application/problem+json` with a stable `code` and, for invalid input, `errors[]` per field.
* Text may not hold NUL characters (U+0000) or unpaired surrogates (422 `invalid_text`); JSON bodies nest at most
  64 levels (400 `malformed_json`).
"""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    db = Database(settings.database_url, settings.db_pool_size, service="gateway")
    declare_build("gateway", "crm-gateway")
    bus = EventBus(settings.nats_url, Namespace(settings.events_namespace), name="crm-gateway")
    access_signals = AccessSignals(bus)
    sessions = SessionCache(db)
    access_signals.on_change(sessions.forget_user)

    identity_server = GrpcServer("identity", settings.grpc_port, settings.internal_secret, host=settings.host)
    identity_server.add(
        identity_pb2_grpc.add_IdentityServiceServicer_to_server,
        IdentityServicer(db),
        identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].full_name,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.require_secrets()
        configure_tracing("gateway")
        if settings.grpc_port:
            await identity_server.start()
        # NATS carries access changes between replicas; the gateway serves while it is away.
        background = [asyncio.create_task(bus.connect()), asyncio.create_task(access_signals.run())]
        app.state.clients = ServiceClients(settings)
        async with db.transaction() as session:
            created = await ensure_first_admin(session, settings.admin_username, lambda: first_admin_password(settings))
        if created:
            log.warning(
                "first_admin_created",
                username=settings.admin_username,
                password_from="CRM_ADMIN_PASSWORD" if settings.admin_password else str(settings.admin_password_file),
            )
        yield
        if settings.grpc_port:
            await identity_server.stop(settings.shutdown_grace)
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await bus.close()
        await app.state.clients.close()
        await db.dispose()

    app = FastAPI(
        title="CRM platform API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        # FastAPI's own request and operation spans are off: RequestContextMiddleware makes the one server span
        # of a request, named by its route, with the query's values redacted (FastAPI's keeps them).
        telemetry={"tracing": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.draining = False

    async def begin_drain() -> None:
        """SIGTERM: /readyz answers 503 and the identity module's health NOT_SERVING, while requests are still
        served (crm_gateway.shutdown)."""
        app.state.draining = True
        await identity_server.health.enter_graceful_shutdown()

    app.state.begin_drain = begin_drain
    app.state.db = db
    app.state.login_throttle = LoginThrottle(
        db,
        LoginLimits(
            per_account_address=settings.login_failures_per_account_address,
            per_address=settings.login_failures_per_address,
            per_account=settings.login_failures_per_account,
            window=timedelta(minutes=settings.login_window_minutes),
        ),
    )
    app.state.sessions = sessions
    app.state.portal_sessions = PortalSessionCache()
    app.state.access_signals = access_signals
    install_handlers(app)
    app.add_middleware(
        IdempotencyMiddleware,
        db=db,
        secret=settings.jwt_secret,
        hours=settings.idempotency_hours,
        lease_seconds=settings.idempotency_lease_seconds,
    )
    app.add_middleware(InputHygieneMiddleware)  # inside the request context (logged, counted), before anything stores
    app.add_middleware(RequestContextMiddleware)
    # common before the domains: its fixed paths (/deals/loss-reasons) must not be taken for record ids.
    for module in (
        auth,
        users,
        api_keys,
        system,
        common,
        parties,
        reference,
        deals,
        pipelines,
        products,
        sales,
        tasks,
        processes,
        marketing,
        documents,
        helpdesk,
        portal,
        nps,
        mailings,
        visits,
        imports,
        attachments,
        knowledge,
        helpdesk_mail,
        public_forms,
        public_mail,
        public_visits,
    ):
        app.include_router(module.router)
    app.include_router(deals.party_router)
    install_openapi(app)
    # No /metrics here: this port is the public one (the Ingress publishes it). Metrics are served on
    # CRM_GATEWAY_METRICS_PORT (main), which only the cluster's Prometheus reaches.

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        if app.state.draining:
            return JSONResponse({"status": "shutting down"}, status_code=503)
        try:
            async with db.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - readiness reports, it does not raise
            return JSONResponse({"status": "database unavailable", "error": str(exc)[:200]}, status_code=503)
        return JSONResponse({"status": "ready"})

    install_web_client(app, settings.web_dir, settings.web_bundle, settings.default_language)
    return app


def main() -> None:
    import uvicorn

    settings = GatewaySettings()
    settings.require_secrets()
    configure_logging("gateway", settings.log_level, settings.log_format)
    app = create_app(settings)
    serve_metrics(settings.metrics_port)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # uvicorn's loggers propagate to the root logger: JSON like every other line
        access_log=False,  # RequestContextMiddleware logs each request with its route, status and user
        timeout_graceful_shutdown=math.ceil(settings.shutdown_grace),
    )
    DrainingServer(config, app.state.begin_drain, settings.shutdown_drain_seconds).run()
