"""Nurturing: a process's send_email step (the tasks engine's action) mails its lead through marketing, once per
job, and a step naming a template marketing does not have fails for good instead of retrying."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.testing import eventually
from crm_tasks.models import ProcessInstance, ProcessJob
from crm_tasks.processes.actions import ActionFailed, Actions
from crm_tasks.processes.definition import Step

STEP = Step(id="offer", type="action", action="send_email", template_id="{offer_template_id}")


def _actions(marketing_app) -> Actions:  # type: ignore[no-untyped-def]
    unused = "127.0.0.1:9"  # deals and contacts: this step never calls them
    return Actions(
        unused, unused, os.environ["CRM_INTERNAL_SECRET"], marketing_target=f"127.0.0.1:{marketing_app.grpc.port}"
    )


async def test_a_send_email_step_mails_the_process_lead_once_per_job(alice, marketing_app, mail_server) -> None:
    email = f"nurture.{uuid.uuid4().hex[:8]}@example.ru"
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name="Марина Тёплова", email=email)))
    template = await alice.CreateMailTemplate(
        pb.CreateMailTemplateRequest(
            template=pb.MailTemplate(name="Оффер", subject="{{ first_name }}, ваше предложение", text="Текст оффера")
        )
    )
    instance = ProcessInstance(
        id=str(uuid.uuid4()), record_kind="lead", record_id=lead.id, variables={"offer_template_id": template.id}
    )
    job = ProcessJob(id=str(uuid.uuid4()))
    actions = _actions(marketing_app)
    try:
        first = await actions.run(STEP, instance, job)
        again = await actions.run(STEP, instance, job)  # the worker retried a job whose answer was lost
    finally:
        await actions.close()

    assert first == again == f"e-mail queued to lead {lead.id}"
    await eventually(lambda: [m for m in mail_server.messages if email in str(m["To"])])
    await asyncio.sleep(0.3)
    [message] = [m for m in mail_server.messages if email in str(m["To"])]
    assert message["Subject"] == "Марина, ваше предложение"


async def test_a_send_email_step_with_an_unknown_template_fails_for_good(alice, marketing_app) -> None:
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name="Никто", email="n@example.ru")))
    instance = ProcessInstance(
        id=str(uuid.uuid4()), record_kind="lead", record_id=lead.id, variables={"offer_template_id": str(uuid.uuid4())}
    )
    actions = _actions(marketing_app)
    try:
        with pytest.raises(ActionFailed) as failure:
            await actions.run(STEP, instance, ProcessJob(id=str(uuid.uuid4())))
    finally:
        await actions.close()
    assert failure.value.final and "template" in str(failure.value)
