"""Payments: expected and received, currency checks, late days and a party's payment discipline."""

from __future__ import annotations

from datetime import timedelta

import grpc

from crm.deals.v1 import deals_pb2 as pb


async def test_expected_then_received_payment_counts_its_late_days(alice, board, clock) -> None:
    deal = await board.open(alice)
    today = clock.today()
    due = (today - timedelta(days=12)).isoformat()
    expected = await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=deal.id, status="expected", amount="50000", due_date=due)
    )
    assert (expected.status, expected.currency, expected.late_days) == ("expected", "RUB", 12)  # overdue so far
    received = await alice.ReceivePayment(
        pb.ReceivePaymentRequest(
            deal_id=deal.id, payment_id=expected.id, received_on=(today - timedelta(days=2)).isoformat()
        )
    )
    assert (received.status, received.amount, received.late_days) == ("received", "50000.00", 10)
    payments = (await alice.ListPayments(pb.ListPaymentsRequest(deal_id=deal.id))).payments
    assert [p.id for p in payments] == [expected.id]


async def test_party_payment_summary_over_its_deals(alice, board, clock) -> None:
    today = clock.today()
    client = board.deal().client_id
    first = await board.open(alice, client_id=client)
    second = await board.open(alice, client_id=client, currency="USD", amount="900")

    def day(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=first.id, status="received", amount="1000", received_on=day(-40))
    )
    on_time = await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=first.id, status="expected", amount="2000", due_date=day(-30))
    )
    await alice.ReceivePayment(pb.ReceivePaymentRequest(deal_id=first.id, payment_id=on_time.id, received_on=day(-31)))
    late = await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=second.id, status="expected", amount="300", due_date=day(-20))
    )
    await alice.ReceivePayment(pb.ReceivePaymentRequest(deal_id=second.id, payment_id=late.id, received_on=day(-12)))
    await alice.AddPayment(pb.AddPaymentRequest(deal_id=second.id, status="expected", amount="600", due_date=day(10)))
    summary = await alice.GetPartyPaymentSummary(pb.GetPartyPaymentSummaryRequest(party_id=client))
    assert (summary.deals, summary.payments_received, summary.paid_on_time, summary.paid_late) == (2, 3, 2, 1)
    assert (summary.overdue, summary.max_late_days, summary.average_late_days) == (0, 8, 4.0)
    assert {(m.currency, m.amount) for m in summary.received} == {("RUB", "3000.00"), ("USD", "300.00")}
    assert [(m.currency, m.amount) for m in summary.outstanding] == [("USD", "600.00")]
    assert summary.discipline == "minor_delays"
    assert [p.received_on for p in summary.recent] == [day(-12), day(-31), day(-40)]


async def test_bad_payments_are_refused(alice, board, rejected) -> None:
    deal = await board.open(alice)
    cases = [
        (
            pb.AddPaymentRequest(
                deal_id=deal.id, status="received", amount="10", currency="EUR", received_on="2026-01-01"
            ),
            "currency_mismatch",
        ),
        (
            pb.AddPaymentRequest(deal_id=deal.id, status="received", amount="-10", received_on="2026-01-01"),
            "negative_amount",
        ),
        (pb.AddPaymentRequest(deal_id=deal.id, status="expected", amount="10"), "required"),
        (pb.AddPaymentRequest(deal_id=deal.id, status="later", amount="10"), "not_allowed"),
    ]
    for request, code in cases:
        detail = await rejected(alice.AddPayment(request), grpc.StatusCode.INVALID_ARGUMENT)
        assert code in [f.code for f in detail.field_violations], request
    received = await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=deal.id, status="received", amount="10", received_on="2026-01-01")
    )
    detail = await rejected(
        alice.ReceivePayment(
            pb.ReceivePaymentRequest(deal_id=deal.id, payment_id=received.id, received_on="2026-01-02")
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "payment_already_received"
    await rejected(
        alice.ReceivePayment(pb.ReceivePaymentRequest(deal_id=deal.id, payment_id="nope", received_on="2026-01-02")),
        grpc.StatusCode.NOT_FOUND,
    )
    lost = await alice.MoveDealStage(
        pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Lost"), loss_reason="price")
    )
    detail = await rejected(
        alice.AddPayment(
            pb.AddPaymentRequest(deal_id=lost.id, status="received", amount="1", received_on="2026-01-01")
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "deal_lost"


async def test_a_deal_with_payments_keeps_its_currency(alice, board, rejected) -> None:
    deal = await board.open(alice)
    await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=deal.id, status="received", amount="10", received_on="2026-01-01")
    )
    detail = await rejected(
        alice.UpdateDeal(
            pb.UpdateDealRequest(deal=pb.Deal(id=deal.id, currency="USD"), update_mask={"paths": ["currency"]})
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "currency_locked"
