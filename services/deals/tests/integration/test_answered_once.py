"""Writes answered once: a deal created, a payment recorded with an idempotency key happen once."""

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


async def test_a_received_payment_sent_twice_with_one_key_is_recorded_once(alice, board) -> None:
    # The documents service records bank payments this way: a statement imported twice sends the same key.
    deal = await board.open(alice, amount="50000.00")
    key = [*alice._metadata, (IDEMPOTENCY_KEY, f"statement-1:{uuid.uuid4()}")]
    payment = pb.AddPaymentRequest(deal_id=deal.id, status="received", amount="20000.00", received_on="2026-12-01")
    first = await alice._stub.AddPayment(payment, metadata=key, timeout=10)
    again = await alice._stub.AddPayment(payment, metadata=key, timeout=10)
    assert again == first
    listed = await alice.ListPayments(pb.ListPaymentsRequest(deal_id=deal.id))
    assert [p.id for p in listed.payments] == [first.id]
    # Another key is another payment (two equal transfers on one day are two payments).
    other = [*alice._metadata, (IDEMPOTENCY_KEY, f"statement-1:{uuid.uuid4()}")]
    await alice._stub.AddPayment(payment, metadata=other, timeout=10)
    assert len((await alice.ListPayments(pb.ListPaymentsRequest(deal_id=deal.id))).payments) == 2
