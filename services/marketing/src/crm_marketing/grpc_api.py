"""gRPC servicer of crm.marketing.v1.MarketingService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from crm.marketing.v1 import marketing_pb2 as pb
from crm.marketing.v1 import marketing_pb2_grpc
from crm_marketing import DOMAIN
from crm_marketing.repository import MarketingRepository

Context: TypeAlias = grpc.aio.ServicerContext


class MarketingServicer(marketing_pb2_grpc.MarketingServiceServicer):
    def __init__(self, repository: MarketingRepository, stream: str) -> None:
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
