"""gRPC servicer of crm.documents.v1.DocumentsService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from crm.documents.v1 import documents_pb2 as pb
from crm.documents.v1 import documents_pb2_grpc
from crm_documents import DOMAIN
from crm_documents.repository import DocumentsRepository

Context: TypeAlias = grpc.aio.ServicerContext


class DocumentsServicer(documents_pb2_grpc.DocumentsServiceServicer):
    def __init__(self, repository: DocumentsRepository, stream: str) -> None:
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
