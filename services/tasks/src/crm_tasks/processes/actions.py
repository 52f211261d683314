"""Automatic actions that reach other systems: webhooks, record updates through the owning service's gRPC API,
e-mails of a mail template through marketing (nurturing).

The worker runs them outside any wait of a user; a failure is either worth
retrying (the other side is down or busy) or final (it refused the request),
which `ActionFailed.final` tells apart.
"""

from __future__ import annotations

from typing import Any

import grpc
import httpx
from google.protobuf import field_mask_pb2, json_format

from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm.marketing.v1 import marketing_pb2, marketing_pb2_grpc
from crm_core.auth import SYSTEM
from crm_core.grpc_client import DEFAULT_DEADLINE, error_detail, open_channel
from crm_tasks.models import ProcessInstance, ProcessJob
from crm_tasks.processes.definition import Step, render

_FINAL_STATUSES = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.ALREADY_EXISTS,
}


class ActionFailed(Exception):
    def __init__(self, message: str, *, final: bool) -> None:
        super().__init__(message)
        self.final = final


def _values(fields: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
    """Field values with `{variable}` placeholders filled; custom_fields.<key> nested for the message."""
    message: dict[str, Any] = {}
    for name, value in fields.items():
        value = render(value, variables) if isinstance(value, str) else value
        if name.startswith("custom_fields."):
            message.setdefault("custom_fields", {})[name.split(".", 1)[1]] = value
        else:
            message[name] = value
    return message


class Actions:
    """Runs webhook, update_record and send_email steps; channels are opened once and reused."""

    def __init__(
        self,
        deals_target: str,
        contacts_target: str,
        internal_secret: str,
        timeout: float = 5.0,
        *,
        marketing_target: str = "",
    ) -> None:
        self.internal_secret = internal_secret
        self.timeout = timeout
        self._targets = {"deal": deals_target, "party": contacts_target, "marketing": marketing_target}
        self._channels: dict[str, grpc.aio.Channel] = {}
        self._http: httpx.AsyncClient | None = None

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()
        if self._http is not None:
            await self._http.aclose()

    async def run(self, step: Step, instance: ProcessInstance, job: ProcessJob) -> str:
        """Do the step's call; returns what to record as the step's result, or raises ActionFailed."""
        if step.action == "webhook":
            return await self._webhook(step, instance, job)
        if step.action == "send_email":
            return await self._send_email(step, instance, job)
        return await self._update_record(step, instance)

    async def _webhook(self, step: Step, instance: ProcessInstance, job: ProcessJob) -> str:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self.timeout)
        body = {
            "instance_id": instance.id,
            "process": instance.definition_key,
            "version": instance.definition_version,
            "step": step.id,
            "record_kind": instance.record_kind,
            "record_id": instance.record_id,
            "variables": instance.variables,
        }
        try:
            # The job id lets the receiver drop a repeat (a call whose answer was lost is made again).
            response = await self._http.post(
                render(step.url, instance.variables), json=body, headers={"Idempotency-Key": job.id}
            )
        except httpx.HTTPError as exc:
            raise ActionFailed(f"webhook unreachable: {exc!r}", final=False) from exc
        if response.is_success:
            return f"HTTP {response.status_code}"
        final = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        raise ActionFailed(f"webhook answered HTTP {response.status_code}", final=final)

    async def _update_record(self, step: Step, instance: ProcessInstance) -> str:
        kind = step.record or "deal"
        record_id = (
            instance.record_id if instance.record_kind == kind else str(instance.variables.get(f"{kind}_id") or "")
        )
        if kind == "party" and not record_id:
            record_id = str(instance.variables.get("client_id") or "")
        if not record_id:
            raise ActionFailed(f"the process is about no {kind} to update", final=True)
        values = _values(dict(step.fields), instance.variables)
        mask = field_mask_pb2.FieldMask(paths=list(step.fields))
        channel = self._channels.get(kind) or self._channels.setdefault(kind, open_channel(self._targets[kind]))
        metadata = SYSTEM.metadata(self.internal_secret)
        try:
            if kind == "deal":
                deal = json_format.ParseDict({**values, "id": record_id}, deals_pb2.Deal())
                await deals_pb2_grpc.DealsServiceStub(channel).UpdateDeal(
                    deals_pb2.UpdateDealRequest(deal=deal, update_mask=mask),
                    metadata=metadata,
                    timeout=DEFAULT_DEADLINE,
                )
            else:
                party = json_format.ParseDict({**values, "id": record_id}, contacts_pb2.Party())
                await contacts_pb2_grpc.ContactsServiceStub(channel).UpdateParty(
                    contacts_pb2.UpdatePartyRequest(party=party, update_mask=mask),
                    metadata=metadata,
                    timeout=DEFAULT_DEADLINE,
                )
        except json_format.ParseError as exc:
            raise ActionFailed(f"values do not fit the {kind}: {exc}", final=True) from exc
        except grpc.aio.AioRpcError as exc:
            detail = error_detail(exc)
            message = detail.message if detail else (exc.details() or exc.code().name)
            raise ActionFailed(f"{kind} update refused: {message}", final=exc.code() in _FINAL_STATUSES) from exc
        return f"{kind} {record_id} updated: {', '.join(step.fields)}"

    async def _send_email(self, step: Step, instance: ProcessInstance, job: ProcessJob) -> str:
        """Ask marketing to send the step's template to the record's e-mail (a lead or party; a deal's client),
        once per job: the job id is the key, so a call whose answer was lost sends nothing twice."""
        kind, record_id = instance.record_kind, instance.record_id
        if kind not in ("lead", "party"):
            kind, record_id = "party", str(instance.variables.get("client_id") or "")
        if not record_id:
            raise ActionFailed("the process is about no lead or party to write to", final=True)
        template_id = render(step.template_id, instance.variables).strip()
        if not template_id:
            raise ActionFailed("send_email: the template id is empty", final=True)
        target = self._targets.get("marketing")
        if not target:
            raise ActionFailed("send_email: marketing is not configured (CRM_MARKETING_GRPC_TARGET)", final=True)
        channel = self._channels.get("marketing") or self._channels.setdefault("marketing", open_channel(target))
        request = marketing_pb2.SendTemplateRequest(
            template_id=template_id, record_kind=kind, record_id=record_id, key=f"process-job:{job.id}"
        )
        try:
            answer = await marketing_pb2_grpc.MarketingServiceStub(channel).SendTemplate(
                request, metadata=SYSTEM.metadata(self.internal_secret), timeout=DEFAULT_DEADLINE
            )
        except grpc.aio.AioRpcError as exc:
            detail = error_detail(exc)
            message = detail.message if detail else (exc.details() or exc.code().name)
            raise ActionFailed(f"e-mail refused: {message}", final=exc.code() in _FINAL_STATUSES) from exc
        return f"e-mail {answer.status} to {kind} {record_id}"
