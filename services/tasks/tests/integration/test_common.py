"""The crm.common.v1 services on the tasks port: the audit of a hidden task, the task_types code list."""

from __future__ import annotations

import uuid

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.tasks.v1 import tasks_pb2 as pb


async def test_audit_of_a_hidden_task_is_not_found_not_an_empty_list(person, plan, rejected) -> None:
    owner, outsider = person(teams=(f"team-{uuid.uuid4().hex[:6]}",)), person(("manager",), ("elsewhere",))
    task = await owner.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(hours=1))))
    own = await owner.ListAudit(common_pb2.ListAuditRequest(entity_type="task", entity_id=task.id))
    assert [e.action for e in own.entries] == ["created"]
    hidden = common_pb2.ListAuditRequest(entity_type="task", entity_id=task.id)
    assert (await rejected(outsider.ListAudit(hidden), grpc.StatusCode.NOT_FOUND)).code == "task_not_found"


async def test_task_type_round_trip_and_archived_types_are_listed_only_when_asked(admin, alice, rejected) -> None:
    code = f"visit_{uuid.uuid4().hex[:6]}"
    await admin.CreateCode(
        common_pb2.CreateCodeRequest(
            list="task_types", code=common_pb2.Code(code=code, label_ru="Выезд", label_en="Site visit")
        )
    )
    listed = (await alice.ListCodes(common_pb2.ListCodesRequest(list="task_types"))).codes
    assert (listed[0].code, listed[0].label_ru, listed[0].label_en) == ("call", "Звонок", "Call")
    assert (listed[-1].code, listed[-1].label_en) == (code, "Site visit")
    await admin.UpdateCode(
        common_pb2.UpdateCodeRequest(
            list="task_types",
            code=common_pb2.Code(code=code, archived=True),
            update_mask=field_mask_pb2.FieldMask(paths=["archived"]),
        )
    )
    assert code not in [c.code for c in (await alice.ListCodes(common_pb2.ListCodesRequest(list="task_types"))).codes]
    everything = await alice.ListCodes(common_pb2.ListCodesRequest(list="task_types", include_archived=True))
    assert [c.archived for c in everything.codes if c.code == code] == [True]
    refused = alice.CreateCode(
        common_pb2.CreateCodeRequest(list="task_results", code=common_pb2.Code(code="x", label_en="x"))
    )
    assert (await rejected(refused, grpc.StatusCode.PERMISSION_DENIED)).code == "admin_only"
