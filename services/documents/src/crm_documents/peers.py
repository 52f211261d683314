"""The services documents asks about the records files hang on, always as the caller: contacts, deals, tasks,
helpdesk.

Whether the caller may see a party, a deal or a task is its own service's rule;
documents never copies it. Each read and write of an attachment first gets the
record from its service as the caller: a record that is hidden from them, or
does not exist, answers NOT_FOUND `record_not_found` alike, so a non-viewer
learns nothing. The answer also gives what the attachment.added event carries:
the record's scope and the parties whose timelines show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm.events.v1.envelope_pb2 import AccessScope
from crm.helpdesk.v1 import helpdesk_pb2, helpdesk_pb2_grpc
from crm.tasks.v1 import tasks_pb2, tasks_pb2_grpc
from crm_core.auth import Caller
from crm_core.errors import InvalidArgument, NotFound
from crm_core.peers import PeerChannels
from crm_core.scopes import scope_of, scope_reference


@dataclass(frozen=True)
class RecordInfo:
    """A record the caller sees: who owns it (may delete any of its files), its scope and parties."""

    record_type: str
    record_id: str
    owner_ids: frozenset[str]
    scope: AccessScope
    party_ids: tuple[str, ...]


def record_not_found(record_type: str, record_id: str) -> NotFound:
    return NotFound("record_not_found", f"{record_type} {record_id[:64]} not found")


class Peers(PeerChannels):
    """Channels to contacts, deals, tasks and helpdesk (crm_core.peers), and the record check on them."""

    def __init__(
        self,
        contacts_target: str,
        deals_target: str,
        tasks_target: str,
        internal_secret: str,
        helpdesk_target: str = "",
    ) -> None:
        targets = {"contacts": contacts_target, "deals": deals_target, "tasks": tasks_target}
        if helpdesk_target:
            targets["helpdesk"] = helpdesk_target
        super().__init__(targets, internal_secret)

    async def record(self, caller: Caller, record_type: str, record_id: str) -> RecordInfo:
        """The record as the caller sees it, or NotFound `record_not_found` (hidden, missing or malformed id)."""
        try:
            if record_type == "party":
                return await self._party(caller, record_id)
            if record_type == "deal":
                return await self._deal(caller, record_id)
            if record_type == "task":
                return await self._task(caller, record_id)
            if record_type == "ticket":
                return await self._ticket(caller, record_id)
        except (NotFound, InvalidArgument) as exc:
            raise record_not_found(record_type, record_id) from exc
        raise record_not_found(record_type, record_id)

    async def _party(self, caller: Caller, party_id: str) -> RecordInfo:
        stub = contacts_pb2_grpc.ContactsServiceStub(self.channel("contacts"))
        party = await self.call("contacts", stub.GetParty, contacts_pb2.GetPartyRequest(id=party_id), caller)
        # contacts' own rule (crm_core.acl over owner, team, shared_with), as it publishes it with party.*.
        scope = scope_of(
            "party", party.id, owner_id=party.owner_id, team_id=party.team_id,
            shared_with=party.shared_with, version=party.version,
        )  # fmt: skip
        return RecordInfo("party", party.id, frozenset({party.owner_id} - {""}), scope, (party.id,))

    async def _deal(self, caller: Caller, deal_id: str) -> RecordInfo:
        stub = deals_pb2_grpc.DealsServiceStub(self.channel("deals"))
        deal = await self.call("deals", stub.GetDeal, deals_pb2.GetDealRequest(id=deal_id), caller)
        scope = scope_of(
            "deal", deal.id, owner_id=deal.owner_id, team_id=deal.team_id,
            shared_with=deal.shared_with, version=deal.version,
        )  # fmt: skip
        parties = tuple(dict.fromkeys(p for p in (deal.client_id, *deal.contact_ids) if p))
        return RecordInfo("deal", deal.id, frozenset({deal.owner_id} - {""}), scope, parties)

    async def _task(self, caller: Caller, task_id: str) -> RecordInfo:
        stub = tasks_pb2_grpc.TasksServiceStub(self.channel("tasks"))
        task = await self.call("tasks", stub.GetTask, tasks_pb2.GetTaskRequest(id=task_id), caller)
        # A task's rule is its people and its team's managers (crm_tasks.search.task_scope), not the owner/team/
        # shared rule: the event names the task by reference and tasks' own events, which carry its scope,
        # keep it current wherever the copy is read.
        parties = tuple(dict.fromkeys(link.id for link in task.links if link.kind == "party" and link.id))
        owners = frozenset({task.assignee_id, task.creator_id} - {""})
        return RecordInfo("task", task.id, owners, scope_reference("task", task.id), parties)

    async def _ticket(self, caller: Caller, ticket_id: str) -> RecordInfo:
        stub = helpdesk_pb2_grpc.HelpdeskServiceStub(self.channel("helpdesk"))
        ticket = await self.call("helpdesk", stub.GetTicket, helpdesk_pb2.GetTicketRequest(id=ticket_id), caller)
        # helpdesk's rule: the assignee, the queue's team, the staff it is shared with (and portal users of its
        # organisation, who are never in an event's audience), as it publishes it with ticket.*.
        scope = scope_of(
            "ticket", ticket.id, owner_id=ticket.assignee_id, team_id=ticket.team_id,
            shared_with=ticket.shared_with, version=ticket.version,
        )  # fmt: skip
        parties = tuple(dict.fromkeys(p for p in (ticket.requester_party_id, ticket.organisation_id) if p))
        return RecordInfo("ticket", ticket.id, frozenset({ticket.assignee_id} - {""}), scope, parties)
