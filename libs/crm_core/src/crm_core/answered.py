"""Writes answered once: a retried request gets the first answer, never a second effect.

A caller that may retry a write (the gateway, for a POST with an Idempotency-Key;
a partner system) sends gRPC metadata `x-idempotency-key`. The service runs the
write and stores its answer in the same transaction as the change
(Database.unit_of_work), keyed by the caller, the key, the method and the
request. A retry of the same request with the same key gets the stored answer,
however the first attempt ended for the caller: a gateway killed between the
service's commit and its answer, a lost connection, a timeout. When two
attempts race, whichever fails (its stored answer collides with the first's, or
its change with the first's change) is rolled back and answers with the first's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from google.protobuf.message import Message
from sqlalchemy import LargeBinary, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import Base, Database, rows_affected, utcnow
from crm_core.logging import get_logger

log = get_logger("crm.answered")

IDEMPOTENCY_KEY = "x-idempotency-key"
# How long an answer is kept for retries (the gateway keeps its Idempotency-Keys as long).
KEEP = timedelta(hours=24)


class AnsweredRequest(Base):
    __tablename__ = "answered_request"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    method: Mapped[str] = mapped_column(Text)
    response: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Per full method name, fields of the request its caller copies from data that may change between a request
# and its retry (the gateway puts the client's name, read from contacts, on a new deal): a retry that differs
# only there is the same request, or a rename between the two would make the retry a second deal.
_COPIED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {}


def copied_fields(method: str, *paths: str) -> None:
    """Declare dotted `paths` of `method`'s request ("deal.client_name") copies that do not tell requests apart."""
    _COPIED_FIELDS[method] = tuple(tuple(path.split(".")) for path in paths)


def request_key(caller_id: str, key: str, method: str, request: Message) -> str:
    """The stored answer's key: one caller's one request (the same key with another body is another request;
    fields declared with copied_fields do not count)."""
    digest = hashlib.sha256(f"{caller_id}\n{key}\n{method}\n".encode())
    copied = _COPIED_FIELDS.get(method, ())
    if copied:
        request = _without(request, copied)
    digest.update(request.SerializeToString(deterministic=True))
    return digest.hexdigest()


def _without(request: Message, paths: tuple[tuple[str, ...], ...]) -> Message:
    trimmed = type(request)()
    trimmed.CopyFrom(request)
    for path in paths:
        target = trimmed
        for name in path[:-1]:
            if not target.HasField(name):
                break
            target = getattr(target, name)
        else:
            target.ClearField(path[-1])
    return trimmed


async def _stored(db: Database, key: str) -> bytes | None:
    async with db.readers() as session:
        return await session.scalar(select(AnsweredRequest.response).where(AnsweredRequest.key == key))


async def answer_once(
    db: Database, key: str, method: str, answer_type: type[Message], run: Callable[[], Awaitable[Message]]
) -> Message:
    """The stored answer to this request, or `run()`'s, committed with its change and stored."""
    stored = await _stored(db, key)
    if stored is not None:
        log.info("request_answered_again", method=method)
        return answer_type.FromString(stored)
    try:
        async with db.unit_of_work() as session:
            answer = await run()
            session.add(
                AnsweredRequest(key=key, method=method, response=answer.SerializeToString(), created_at=utcnow())
            )
            await session.flush()
    except Exception:
        # A twin that ran at the same moment may have answered first: its change stands and ours
        # was rolled back (our answer collided with its answer, or our change with its change).
        stored = await _stored(db, key)
        if stored is None:
            raise
        log.info("request_answered_by_its_twin", method=method)
        return answer_type.FromString(stored)
    return answer


async def purge_answers(db: Database) -> int:
    """Forget answers older than KEEP; returns how many."""
    async with db.transaction() as session:
        result = await session.execute(delete(AnsweredRequest).where(AnsweredRequest.created_at < utcnow() - KEEP))
    return rows_affected(result)
