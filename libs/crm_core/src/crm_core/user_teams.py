"""Users' teams as the identity module (gateway) has them, for work a service does on nobody's request.

A person's own request carries their teams (the Caller); a task a process
hands to a user is made by the platform itself, yet belongs to that user's
team so that the team's lists and counters include it. A service asks the
identity module and keeps the answer for a minute; an access change
(crm_core.access_signals: a user's teams changed) forgets it at once.
"""

from __future__ import annotations

import time

import grpc

from crm.identity.v1 import identity_pb2, identity_pb2_grpc
from crm_core.auth import SYSTEM
from crm_core.errors import Unavailable
from crm_core.grpc_client import open_channel
from crm_core.logging import get_logger

log = get_logger("crm.user_teams")

CACHE_SECONDS = 60.0


class UserTeams:
    """The teams of a user, asked of the identity module and cached briefly."""

    def __init__(self, identity_target: str, internal_secret: str, timeout: float = 3.0) -> None:
        self.identity_target = identity_target
        self.internal_secret = internal_secret
        self.timeout = timeout
        self._channel: grpc.aio.Channel | None = None
        self._answers: dict[str, tuple[float, frozenset[str]]] = {}

    def forget_user(self, user_id: str) -> None:
        """Drop the cached teams of a user whose access changed."""
        self._answers.pop(user_id, None)

    async def of(self, user_id: str) -> frozenset[str]:
        """The user's teams (none for an unknown user); UNAVAILABLE when the identity module does not answer,
        so that the work is retried rather than done with a wrong team."""
        now = time.monotonic()
        cached = self._answers.get(user_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        if self._channel is None:
            self._channel = open_channel(self.identity_target)
        try:
            answer = await identity_pb2_grpc.IdentityServiceStub(self._channel).GetUserTeams(
                identity_pb2.GetUserTeamsRequest(user_ids=[user_id]),
                metadata=SYSTEM.metadata(self.internal_secret),
                timeout=self.timeout,
            )
        except grpc.aio.AioRpcError as error:
            log.warning("user_teams_failed", status=error.code().name, details=error.details())
            raise Unavailable("identity_unavailable", "users' teams cannot be read right now; try again") from error
        teams = frozenset(t for u in answer.users if u.user_id == user_id for t in u.team_ids)
        if len(self._answers) > 10_000:
            self._answers = {k: a for k, a in self._answers.items() if a[0] > now}
        self._answers[user_id] = (now + CACHE_SECONDS, teams)
        return teams

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
