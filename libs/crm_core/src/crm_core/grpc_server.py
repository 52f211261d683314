"""gRPC server plumbing: the interceptor every service uses and server creation.

The interceptor authenticates the call (an internal token signed with the
platform's secret, or a partner's API key with the method's scope), puts the
caller in context, traces and logs it, counts it in metrics, and maps domain
exceptions to status codes with a `crm-error-bin` trailer. Servicers hold
no error handling of their own. Before a servicer runs, the request is
refused when its bytes did not decode or its text cannot be stored.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import structlog
from google.protobuf.message import DecodeError
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry import context as otel_context
from opentelemetry import trace

from crm_core.answered import IDEMPOTENCY_KEY, answer_once, request_key
from crm_core.auth import (
    API_KEY_KEY,
    REQUEST_ID_KEY,
    TOKEN_KEY,
    Caller,
    caller_from_internal_token,
    metadata_values,
    reset_current_caller,
    set_current_caller,
)
from crm_core.db import Database, is_concurrent_change, is_outage
from crm_core.errors import (
    ERROR_TRAILER,
    CrmError,
    InvalidArgument,
    Unauthenticated,
    Unavailable,
    VersionConflict,
    invalid,
)
from crm_core.grpc_client import rpc_attributes
from crm_core.logging import get_logger
from crm_core.metrics import GRPC_LATENCY, GRPC_REQUESTS
from crm_core.partner_keys import PartnerKeys
from crm_core.rpc_methods import is_read_only, response_class
from crm_core.telemetry import extract_context, tracer
from crm_core.untrusted import message_problems

log = get_logger("crm.grpc")

UNAUTHENTICATED_PREFIXES = ("/grpc.health.", "/grpc.reflection.")
MAX_CONNECTION_AGE_MS = 60_000
# The largest request a server takes by default; a service with bigger ones (the helpdesk's raw e-mails) raises
# its server's `max_receive_bytes` before start.
MAX_RECEIVE_BYTES = 16 * 1024 * 1024


class ServiceInterceptor(grpc.aio.ServerInterceptor):
    """Auth, tracing, logging, metrics and error mapping for unary, server-streaming and client-streaming calls."""

    def __init__(
        self,
        service: str,
        internal_secret: str,
        partner_keys: PartnerKeys | None = None,
        db: Database | None = None,
    ) -> None:
        self.service = service
        self.internal_secret = internal_secret
        self.partner_keys = partner_keys
        # The service's database, where writes sent with an idempotency key store their answers.
        self.db = db

    async def _call(
        self,
        full_method: str,
        inner: Callable,
        request: Any,
        context: grpc.aio.ServicerContext,
        caller: Caller,
        values: dict[str, str],
    ) -> Any:
        """Run the servicer; a write with an idempotency key is answered once (crm_core.answered)."""
        key = values.get(IDEMPOTENCY_KEY)
        if not key or self.db is None or is_read_only(full_method):
            return await inner(request, context)
        if len(key) > 200:
            raise invalid(IDEMPOTENCY_KEY, "too_long", f"{IDEMPOTENCY_KEY} must be at most 200 characters")
        digest = request_key(caller.user_id, key, full_method, request)
        return await answer_once(
            self.db, digest, full_method, response_class(full_method), lambda: inner(request, context)
        )

    async def authenticate(self, values: dict[str, str], method: str) -> Caller:
        """The caller, from the internal token or (where partners are admitted) an API key; never from
        anything else the call's metadata claims."""
        token = values.get(TOKEN_KEY)
        if token:
            return caller_from_internal_token(token, self.internal_secret)
        key = values.get(API_KEY_KEY)
        if key and self.partner_keys is not None:
            principal = await self.partner_keys.authorize(key, self.service, method)
            # Lines about a partner's call name the key, not only its service account.
            structlog.contextvars.bind_contextvars(key_id=principal.key_id)
            return principal.caller
        raise Unauthenticated("unauthenticated", "send an API key (x-api-key) to call this service")

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        if handler is None or details.method.startswith(UNAUTHENTICATED_PREFIXES):
            return handler
        if handler.unary_stream is not None:
            return self._stream_handler(handler, details.method)
        if handler.stream_unary is not None:
            return self._upload_handler(handler, details.method)
        if handler.unary_unary is None:
            return handler
        inner = checked_requests(handler.unary_unary)
        full_method = details.method

        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            return await self._serve(full_method, inner, request, context)

        return grpc.unary_unary_rpc_method_handler(
            wrapper,
            request_deserializer=lenient(handler.request_deserializer),
            response_serializer=handler.response_serializer,
        )

    def _stream_handler(self, handler: grpc.RpcMethodHandler, full_method: str) -> grpc.RpcMethodHandler:
        """A server-streaming method (a file download) behind the same checks as a unary one: the caller
        authenticated and in context for the whole stream, the input checked, a domain error before or
        between messages mapped to its status and trailer, one log line and metric when the stream ends."""
        inner = handler.unary_stream

        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            method = full_method.rsplit("/", 1)[-1]
            values = metadata_values(tuple(context.invocation_metadata() or ()))
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            caller_token = None
            structlog.contextvars.bind_contextvars(request_id=values.get(REQUEST_ID_KEY, ""), rpc=method)
            try:
                try:
                    caller = await self.authenticate(values, full_method)
                    caller_token = set_current_caller(caller)
                    structlog.contextvars.bind_contextvars(user_id=caller.user_id)
                    refuse_bad_input(request)
                    async for item in inner(request, context):
                        yield item
                except CrmError as exc:
                    code = exc.status
                    log.info("rpc_rejected", code=exc.code, status=code.name, message=exc.message)
                    context.set_trailing_metadata(((ERROR_TRAILER, exc.detail().SerializeToString()),))
                    await context.abort(code, exc.message)
                except grpc.aio.AbortError:
                    raise
                except asyncio.CancelledError:
                    code = grpc.StatusCode.CANCELLED  # the client went away (or the server is stopping)
                    raise
                except Exception:
                    code = grpc.StatusCode.INTERNAL
                    log.exception("rpc_failed")
                    await context.abort(code, "internal error")
            finally:
                GRPC_REQUESTS.labels(self.service, method, code.name).inc()
                GRPC_LATENCY.labels(self.service, method).observe(time.perf_counter() - started)
                log.info(
                    "rpc_served",
                    method=full_method,
                    status=code.name,
                    ms=round((time.perf_counter() - started) * 1000, 1),
                )
                if caller_token is not None:
                    reset_current_caller(caller_token)
                structlog.contextvars.unbind_contextvars("request_id", "rpc", "user_id", "key_id")

        return grpc.unary_stream_rpc_method_handler(
            wrapper,
            request_deserializer=lenient(handler.request_deserializer),
            response_serializer=handler.response_serializer,
        )

    def _upload_handler(self, handler: grpc.RpcMethodHandler, full_method: str) -> grpc.RpcMethodHandler:
        """A client-streaming method (a file upload) behind the same checks as a unary one: the caller
        authenticated, every streamed message checked as it arrives, a domain error mapped to its status and
        trailer. Not answered once by idempotency key: a stream cannot be replayed to compare it."""
        inner = handler.stream_unary

        async def checked(requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
            async for request in requests:
                refuse_bad_input(request)
                yield request

        async def wrapper(requests: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> Any:
            return await self._serve(
                full_method, lambda stream, ctx: inner(checked(stream), ctx), requests, context, once=False
            )

        return grpc.stream_unary_rpc_method_handler(
            wrapper,
            request_deserializer=lenient(handler.request_deserializer),
            response_serializer=handler.response_serializer,
        )

    async def _serve(
        self, full_method: str, inner: Callable, request: Any, context: grpc.aio.ServicerContext, *, once: bool = True
    ) -> Any:
        method = full_method.rsplit("/", 1)[-1]
        values = metadata_values(tuple(context.invocation_metadata() or ()))
        otel_token = otel_context.attach(extract_context(values))
        caller_token = None
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        structlog.contextvars.bind_contextvars(request_id=values.get(REQUEST_ID_KEY, ""), rpc=method)
        try:
            with tracer().start_as_current_span(
                full_method.lstrip("/"),
                kind=trace.SpanKind.SERVER,
                attributes={**rpc_attributes(full_method), "crm.service": self.service},
            ) as span:
                try:
                    caller = await self.authenticate(values, full_method)
                    caller_token = set_current_caller(caller)
                    structlog.contextvars.bind_contextvars(user_id=caller.user_id)
                    span.set_attribute("crm.user_id", caller.user_id)
                    try:
                        if not once:
                            return await inner(request, context)
                        return await self._call(full_method, inner, request, context, caller, values)
                    except (grpc.aio.AbortError, CrmError):
                        raise
                    except Exception as exc:
                        expected = database_failure(exc)
                        if expected is None:
                            raise
                        raise expected from exc
                except CrmError as exc:
                    code = exc.status
                    span.set_attribute("crm.error_code", exc.code)
                    span.set_attribute("rpc.grpc.status_code", code.value[0])
                    log.info("rpc_rejected", code=exc.code, status=code.name, message=exc.message)
                    context.set_trailing_metadata(((ERROR_TRAILER, exc.detail().SerializeToString()),))
                    await context.abort(code, exc.message)
                except grpc.aio.AbortError:
                    raise
                except asyncio.CancelledError:
                    code = grpc.StatusCode.CANCELLED  # the client went away (or the server is stopping)
                    raise
                except Exception:
                    code = grpc.StatusCode.INTERNAL
                    span.set_status(trace.Status(trace.StatusCode.ERROR, code.name))
                    log.exception("rpc_failed")
                    await context.abort(code, "internal error")
        finally:
            elapsed = time.perf_counter() - started
            GRPC_REQUESTS.labels(self.service, method, code.name).inc()
            GRPC_LATENCY.labels(self.service, method).observe(elapsed)
            # One line per call, whatever its outcome (user_id and key_id come from the context).
            log.info("rpc_served", method=full_method, status=code.name, ms=round(elapsed * 1000, 1))
            if caller_token is not None:
                reset_current_caller(caller_token)
            otel_context.detach(otel_token)
            structlog.contextvars.unbind_contextvars("request_id", "rpc", "user_id", "key_id")


@dataclass(frozen=True)
class MalformedRequest:
    """Stands in for request bytes that did not deserialize, so the call is refused after authentication."""

    error: str


def lenient(deserialize: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    """The handler's deserializer, answering a MalformedRequest instead of raising (grpc made that INTERNAL)."""
    if deserialize is None:
        return None

    def parse(data: bytes) -> Any:
        try:
            return deserialize(data)
        except DecodeError as exc:  # invalid UTF-8 in a string field, a broken wire format, nesting past 100
            return MalformedRequest(str(exc))

    return parse


def checked_requests(inner: Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]) -> Callable:
    """`inner` behind the input checks every call gets: partners call the services directly, not via the gateway."""

    async def handle(request: Any, context: grpc.aio.ServicerContext) -> Any:
        refuse_bad_input(request)
        return await inner(request, context)

    return handle


def refuse_bad_input(request: Any) -> None:
    """INVALID_ARGUMENT for undecodable bytes (malformed_request), text PostgreSQL cannot store (invalid_text) and
    numbers and times nothing downstream can hold (validation_failed), each field named."""
    if isinstance(request, MalformedRequest):
        raise InvalidArgument("malformed_request", f"the request could not be decoded: {request.error}")
    problems = message_problems(request)
    if problems:
        first = problems[0]
        code = "invalid_text" if any(p.code == "invalid_text" for p in problems) else "validation_failed"
        raise InvalidArgument(code, f"{first.field}: {first.message}", problems)


def database_failure(exc: Exception) -> CrmError | None:
    """A collision with a concurrent transaction is ABORTED (try again), an unreachable database UNAVAILABLE."""
    if is_concurrent_change(exc):
        return VersionConflict(
            "concurrent_change", "someone changed the same records at the same moment; reload and try again"
        )
    if is_outage(exc):
        return Unavailable("database_unavailable", "the service's database cannot be reached; try again shortly")
    return None


Registrar = Callable[[Any, grpc.aio.Server], None]


class GrpcServer:
    """A grpc.aio server with health, reflection and the service interceptor.

    The aio server is created in `start()`, inside the running event loop
    (grpc.aio binds a server to the loop it was created in).
    """

    def __init__(
        self,
        service: str,
        port: int,
        internal_secret: str,
        host: str = "0.0.0.0",
        partner_keys: PartnerKeys | None = None,
        db: Database | None = None,
    ) -> None:
        self.service = service
        self.internal_secret = internal_secret
        self.partner_keys = partner_keys
        self.db = db
        self.address = f"{host}:{port}"
        self.port = port
        self.health = health.aio.HealthServicer()
        self.service_names = [health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME]
        self._registrations: list[tuple[Registrar, Any]] = []
        self.server: grpc.aio.Server | None = None
        self.max_receive_bytes = MAX_RECEIVE_BYTES

    def add(self, registrar: Registrar, servicer: Any, full_name: str) -> None:
        """Register a servicer; `full_name` is e.g. "crm.contacts.v1.ContactsService"."""
        self._registrations.append((registrar, servicer))
        self.service_names.append(full_name)

    async def start(self) -> None:
        self.server = grpc.aio.server(
            interceptors=[ServiceInterceptor(self.service, self.internal_secret, self.partner_keys, self.db)],
            options=[
                ("grpc.so_reuseport", 0),
                ("grpc.max_receive_message_length", self.max_receive_bytes),
                # Clients reconnect (and re-resolve the replicas) at least this often, so load spreads
                # over replicas that came up after they connected; in-flight calls get the grace to finish.
                ("grpc.max_connection_age_ms", MAX_CONNECTION_AGE_MS),
                ("grpc.max_connection_age_grace_ms", 10_000),
            ],
        )
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        for registrar, servicer in self._registrations:
            registrar(servicer, self.server)
        reflection.enable_server_reflection(self.service_names, self.server)
        self.port = self.server.add_insecure_port(self.address)
        await self.server.start()
        for name in ["", *self.service_names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)

    async def stop(self, grace: float, drain: float = 0.0) -> None:
        """Stop in the order that loses no call.

        Every health service name reports NOT_SERVING first (Kubernetes' gRPC probe and
        load balancers see it), calls are still served for `drain` seconds while they stop
        sending new ones, then the server stops accepting and in-flight calls get `grace`
        seconds to finish.
        """
        await self.health.enter_graceful_shutdown()
        if drain > 0:
            log.info("grpc_draining", seconds=drain)
            await asyncio.sleep(drain)
        if self.server is not None:
            await self.server.stop(grace)
