"""What a timeline entry keeps of its event's payload (`data`): typed fields as JSON, never what its scope hides."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf import wrappers_pb2
from google.protobuf.message import Message

from crm.events.v1 import deals_pb2, envelope_pb2, tasks_pb2
from crm_contacts.consumers import timeline_data
from crm_core.auth import SYSTEM
from crm_core.events.envelope import build_envelope
from crm_core.protojson import timestamp


def envelope_of(payload: Message, event_type: str = "x.happened") -> envelope_pb2.EventEnvelope:
    return build_envelope("tests", event_type, subject_id="s-1", payload=payload, actor=SYSTEM)


def test_a_stage_move_keeps_its_stage_names_and_the_amount_as_decimal_text() -> None:
    data = timeline_data(
        envelope_of(
            deals_pb2.DealStageChanged(
                deal_id="d-1",
                title="Поставка 2027",
                from_stage_name="Переговоры",
                to_stage_name="Договор",
                amount="1250000.00",
                currency="RUB",
                seconds_in_previous_stage=90.5,
            ),
            "deal.stage_changed",
        )
    )
    assert data == {
        "deal_id": "d-1",
        "title": "Поставка 2027",
        "from_stage_name": "Переговоры",
        "to_stage_name": "Договор",
        "amount": "1250000.00",
        "currency": "RUB",
        "seconds_in_previous_stage": 90.5,
    }


def test_a_tasks_due_time_is_an_rfc3339_moment_and_its_process_is_named() -> None:
    due = datetime(2026, 12, 8, 10, 30, tzinfo=UTC)
    data = timeline_data(
        envelope_of(
            tasks_pb2.TaskChanged(
                task_id="t-1", type="call", subject="Созвон", due_at=timestamp(due), process_name="Онбординг"
            ),
            "task.created",
        )
    )
    assert data is not None
    assert datetime.fromisoformat(data["due_at"]) == due  # with its offset: a moment, not a wall-clock time
    assert (data["type"], data["process_name"]) == ("call", "Онбординг")


def test_a_process_signal_keeps_its_process_but_not_the_variables_it_gathered() -> None:
    data = timeline_data(
        envelope_of(
            tasks_pb2.ProcessSignal(
                instance_id="i-1",
                definition_key="onboarding",
                name="welcome_sent",
                process_name="Онбординг",
                variables_json='{"other_client": "ООО Чужая"}',
            ),
            "process.signal",
        )
    )
    assert data == {
        "instance_id": "i-1",
        "definition_key": "onboarding",
        "name": "welcome_sent",
        "process_name": "Онбординг",
    }


def test_a_payload_of_no_platform_event_type_keeps_no_data() -> None:
    assert timeline_data(envelope_of(wrappers_pb2.StringValue(value="Deal 'X' opened"))) is None
    assert timeline_data(envelope_pb2.EventEnvelope(type="deal.created")) is None
