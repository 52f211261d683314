"""Idempotency-Key on POST: a retried request gets the first response, not a second effect.

The key is scoped to the user. The first request stores a placeholder row
leased for a few seconds (a concurrent duplicate gets 409), then the response;
a retry with the same key and body replays it, and a retry with another body is
rejected. The key also travels with the request to the services
(crm_core.answered), which store their answer with their change: when the
gateway dies between a service's commit and its own answer, the placeholder's
lease runs out, the retry takes it over and the service answers it with the
original result. Changes the gateway makes itself (users, keys) commit with
the stored response (Database.unit_of_work). Requests without the header pass
straight through (pure ASGI, no overhead), and so do multipart/form-data
uploads (imports, attachments): comparing their body would mean holding the
whole file, which the upload routes stream to the services instead.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import Integer, LargeBinary, Text, delete
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, mapped_column
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_core.db import Base, Database, utcnow
from crm_gateway.portal_auth import portal_token_claims
from crm_gateway.problems import problem_response
from crm_gateway.security import token_claims

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = (b"content-type", b"location", b"etag")


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"

    user_id: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    request_hash: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict] = mapped_column(JSONB, default=dict)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Until when the request that stored the placeholder is presumed alive; a retry after it takes over.
    locked_until: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, db: Database, secret: str, hours: int, lease_seconds: float) -> None:
        self.app = app
        self.db = db
        self.secret = secret
        self.ttl = timedelta(hours=hours)
        self.lease = timedelta(seconds=lease_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
            await self.app(scope, receive, send)  # an upload streams through (see the module's docstring)
            return
        key = request.headers.get(HEADER)
        # Keys are scoped to the token's user (a staff user, or "portal:<id>" for a portal token); whether the
        # session still holds is the endpoint's question.
        user_id = _key_owner(request, self.secret) if key else ""
        if not key or not user_id:  # without a caller the endpoint answers 401 itself
            await self.app(scope, receive, send)
            return
        if len(key) > 200:
            await problem_response(422, "invalid_idempotency_key", f"{HEADER} must be at most 200 characters")(
                scope, receive, send
            )
            return
        body = await request.body()
        digest = hashlib.sha256(scope["path"].encode() + b"\n" + body).hexdigest()
        replay = await self._claim(user_id, key, digest)
        if replay is not None:
            await replay(scope, receive, send)
            return
        scope.setdefault("state", {})["idempotency_key"] = key  # passed on to the services (ServiceCall)
        await self._forward(scope, body, send, user_id, key)

    async def _claim(self, user_id: str, key: str, digest: str) -> Response | None:
        """Store the key for this request; a response to send instead when it was seen before."""
        async with self.db.transaction() as session:
            await session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - self.ttl))
            now = utcnow()
            statement = insert(IdempotencyKey).values(
                user_id=user_id, key=key, request_hash=digest, created_at=now, locked_until=now + self.lease
            )
            table = IdempotencyKey.__table__
            claimed = await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.user_id, table.c.key],
                    set_={"locked_until": statement.excluded.locked_until},
                    # A placeholder whose request died (its lease ran out) is taken over by the retry.
                    where=(table.c.status.is_(None))
                    & (table.c.locked_until < now)
                    & (table.c.request_hash == statement.excluded.request_hash),
                ).returning(IdempotencyKey.key)
            )
            if claimed.first() is not None:
                return None
            stored = await session.get(IdempotencyKey, (user_id, key))
        if stored is None or stored.request_hash != digest:
            return problem_response(422, "idempotency_key_reused", f"{HEADER} was used with a different request")
        if stored.status is None:
            return problem_response(409, "request_in_progress", "A request with this key is still being processed")
        return Response(
            stored.body, status_code=stored.status, headers={**stored.headers, "Idempotent-Replayed": "true"}
        )

    async def _forward(self, scope: Scope, body: bytes, send: Send, user_id: str, key: str) -> None:
        """Run the request, store its response for replays, then send it. Not stored: 5xx (those may be
        retried) and 401 (the session had ended: the same user retries with a new token).

        The response is held back until it is stored, so a client that retries the
        moment it has the answer gets the replay, not "request in progress".
        """
        delivered = False
        status = 500
        headers: dict[str, str] = {}
        messages: list[Message] = []

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def hold(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.update({k.decode(): v.decode() for k, v in message.get("headers", []) if k in REPLAYED_HEADERS})
            messages.append(message)

        try:
            # What the gateway changes itself commits with the stored response, or not at all.
            async with self.db.unit_of_work() as session:
                await self.app(scope, replay_body, hold)
                row = await session.get(IdempotencyKey, (user_id, key))
                if row is not None and status < 500 and status != 401:
                    body_parts = [m.get("body", b"") for m in messages if m["type"] == "http.response.body"]
                    row.status, row.headers, row.body = status, headers, b"".join(body_parts)
                elif row is not None:
                    await session.delete(row)
        except Exception:
            # The endpoint raised (a 500 to the client) and its unit of work rolled back: free the key in a
            # transaction of its own, or a retry would meet "request in progress" until the lease ran out.
            async with self.db.transaction() as session:
                await session.execute(
                    delete(IdempotencyKey).where(
                        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key, IdempotencyKey.status.is_(None)
                    )
                )
            raise
        for message in messages:
            await send(message)


def _key_owner(request: Request, secret: str) -> str:
    """Whose Idempotency-Key this is: the staff token's user, "portal:<id>" for a portal token, "" for neither."""
    staff = token_claims(request, secret)
    if staff is not None:
        return staff.user_id
    portal = portal_token_claims(request, secret)
    return f"portal:{portal.portal_user_id}" if portal is not None else ""
