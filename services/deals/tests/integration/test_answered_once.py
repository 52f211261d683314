"""A deal created with an idempotency key is created once, even when the client was renamed between tries."""

from __future__ import annotations

import uuid

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb
from crm_core.answered import IDEMPOTENCY_KEY


async def test_a_retry_carrying_the_client_s_new_name_gets_the_first_deal_not_a_second(alice, board) -> None:
    # The gateway reads the client's name at each attempt; a rename between a create whose answer was lost
    # and its retry made a second deal (the fault suite's postgres-kill scenario found one).
    key = [*alice._metadata, (IDEMPOTENCY_KEY, str(uuid.uuid4()))]
    deal = board.deal(client_id=str(uuid.uuid4()), client_name="ООО Старое имя")
    first = await alice._stub.CreateDeal(pb.CreateDealRequest(deal=deal), metadata=key, timeout=10)
    deal.client_name = "ООО Новое имя"
    retried = await alice._stub.CreateDeal(pb.CreateDealRequest(deal=deal), metadata=key, timeout=10)
    assert retried.id == first.id
    of_client = [*board.by_pipeline(), common_pb2.Filter(field="client_id", op="eq", value=deal.client_id)]
    listed = await alice.ListDeals(pb.ListDealsRequest(filters=of_client))
    assert [d.id for d in listed.deals] == [first.id]
