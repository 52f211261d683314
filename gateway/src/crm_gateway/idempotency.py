"""Idempotency-Key on POST: a retried request gets the first response, not a second effect.

The key is scoped to the user. The first request stores a placeholder row
(so a concurrent duplicate gets 409), then the response; a retry with the
same key and body replays it, and a retry with another body is rejected.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy import Integer, LargeBinary, Text, delete
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, mapped_column
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from crm_core.db import Base, Database, utcnow
from crm_gateway.problems import problem_response
from crm_gateway.security import caller_from_request

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("content-type", "location", "etag")


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"

    user_id: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    request_hash: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict] = mapped_column(JSONB, default=dict)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, db: Database, secret: str, hours: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.db = db
        self.secret = secret
        self.ttl = timedelta(hours=hours)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key:
            return await call_next(request)
        caller = caller_from_request(request, self.secret)
        if caller is None:  # the endpoint answers 401 itself
            return await call_next(request)
        if len(key) > 200:
            return problem_response(422, "invalid_idempotency_key", f"{HEADER} must be at most 200 characters")
        body = await request.body()
        digest = hashlib.sha256(request.method.encode() + request.url.path.encode() + b"\n" + body).hexdigest()
        async with self.db.transaction() as session:
            await session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - self.ttl))
            inserted = await session.execute(
                insert(IdempotencyKey)
                .values(user_id=caller.user_id, key=key, request_hash=digest, created_at=utcnow())
                .on_conflict_do_nothing()
                .returning(IdempotencyKey.key)
            )
            fresh = inserted.first() is not None
            stored = None if fresh else await session.get(IdempotencyKey, (caller.user_id, key))
        if stored is not None:
            if stored.request_hash != digest:
                return problem_response(422, "idempotency_key_reused", f"{HEADER} was used with a different request")
            if stored.status is None:
                return problem_response(409, "request_in_progress", "A request with this key is still being processed")
            headers = {**stored.headers, "Idempotent-Replayed": "true"}
            return Response(stored.body, status_code=stored.status, headers=headers)
        response = await call_next(request)
        content = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        async with self.db.transaction() as session:
            row = await session.get(IdempotencyKey, (caller.user_id, key))
            if response.status_code >= 500 or row is None:
                # A failed attempt may be retried with the same key.
                if row is not None:
                    await session.delete(row)
            else:
                row.status = response.status_code
                row.headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
                row.body = content
        return Response(content, status_code=response.status_code, headers=dict(response.headers))
