"""Helpers of the deals integration tests: a pipeline per test, realistic deals, decoded errors.

The service and its database live for the whole session, so every test
works in a pipeline of its own (and filters by it) instead of cleaning up.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from faker import Faker
from google.protobuf import json_format

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb
from crm_core.testing import CallerStub


class Board:
    """A fresh pipeline (Lead 10% -> Qualified 25% -> Proposal 50% -> Negotiation 75% -> Won / Lost)."""

    def __init__(self, pipeline: pb.Pipeline, fake: Faker) -> None:
        self.pipeline = pipeline
        self.fake = fake
        self.stages = {s.name: s for s in pipeline.stages}

    @property
    def id(self) -> str:
        return self.pipeline.id

    def stage(self, name: str) -> str:
        return self.stages[name].id

    def deal(self, **fields: Any) -> pb.Deal:
        """A deal in this pipeline for a new client; `fields` override (lines as dicts)."""
        data: dict[str, Any] = {
            "title": f"Поставка: {self.fake.bs()[:80]}",
            "pipeline_id": self.id,
            "client_id": str(uuid.uuid4()),
            "client_name": self.fake.company(),
            "amount": "150000.00",
            "currency": "RUB",
        }
        data.update(fields)
        return json_format.ParseDict(data, pb.Deal())

    async def open(self, stub: CallerStub, **fields: Any) -> pb.Deal:
        return await stub.CreateDeal(pb.CreateDealRequest(deal=self.deal(**fields)))

    def by_pipeline(self) -> list[common_pb2.Filter]:
        return [common_pb2.Filter(field="pipeline_id", op="eq", value=self.id)]


@pytest.fixture
async def board(admin: CallerStub, fake: Faker) -> Board:
    stages = [
        pb.StageSpec(name="Lead", probability=10),
        pb.StageSpec(name="Qualified", probability=25),
        pb.StageSpec(name="Proposal", probability=50, time_limit_days=10),
        pb.StageSpec(name="Negotiation", probability=75),
        pb.StageSpec(name="Won", category="won"),
        pb.StageSpec(name="Lost", category="lost"),
    ]
    pipeline = await admin.CreatePipeline(
        pb.CreatePipelineRequest(name=f"Тендеры {uuid.uuid4().hex[:6]}", stages=stages, stale_days=14)
    )
    return Board(pipeline, fake)
