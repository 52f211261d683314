"""gRPC servicer of crm.helpdesk.v1.HelpdeskService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_helpdesk import DOMAIN
from crm_helpdesk.repository import HelpdeskRepository

Context: TypeAlias = grpc.aio.ServicerContext


class HelpdeskServicer(helpdesk_pb2_grpc.HelpdeskServiceServicer):
    def __init__(self, repository: HelpdeskRepository, stream: str) -> None:
        self.repository = repository
        self.stream = stream

    async def GetServiceInfo(self, request: pb.GetServiceInfoRequest, context: Context) -> pb.ServiceInfo:
        """The database revision, the event stream and the events waiting to be published."""
        state = await self.repository.service_state()
        return pb.ServiceInfo(
            name=DOMAIN,
            schema_revision=state.schema_revision,
            stream=self.stream,
            pending_events=state.pending_events,
        )
