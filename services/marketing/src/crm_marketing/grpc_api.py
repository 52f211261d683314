"""gRPC servicer of crm.marketing.v1.MarketingService: protobuf <-> typed inputs and records, nothing more."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeAlias

import grpc

from crm.marketing.v1 import marketing_pb2 as pb
from crm.marketing.v1 import marketing_pb2_grpc
from crm_core.auth import Caller, current_caller
from crm_core.db import Database
from crm_core.errors import Validator, invalid
from crm_core.fields import iso_date
from crm_core.pagination import clamp_limit
from crm_core.protojson import struct, timestamp
from crm_marketing import DOMAIN, domain, duplicates, inputs
from crm_marketing.commands import Campaigns, Leads
from crm_marketing.conversion import Converter
from crm_marketing.forms import Forms
from crm_marketing.forms_api import FormsApi
from crm_marketing.imports.uploads import Imports
from crm_marketing.imports_api import ImportsApi
from crm_marketing.mailings_api import MailingsApi
from crm_marketing.models import AssignmentRule, Campaign, CampaignCost, Lead
from crm_marketing.peers import Peers
from crm_marketing.repository import MarketingRepository, Query, service_state
from crm_marketing.visits import Visits
from crm_marketing.visits_api import VisitsApi

Context: TypeAlias = grpc.aio.ServicerContext


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def campaign_message(campaign: Campaign, costs: Sequence[CampaignCost]) -> pb.Campaign:
    total = sum((c.amount for c in costs), start=domain.Decimal(0))
    return pb.Campaign(
        id=campaign.id,
        name=campaign.name,
        type=campaign.type,
        status=campaign.status,
        starts_on=_date(campaign.starts_on),
        ends_on=_date(campaign.ends_on),
        owner_id=campaign.owner_id,
        team_id=campaign.team_id or "",
        shared_with=campaign.shared_with,
        budget=domain.money_text(campaign.budget),
        currency=campaign.currency,
        costs=[
            pb.CampaignCost(
                id=c.id,
                date=c.spent_on.isoformat(),
                item=c.item,
                amount=domain.money_text(c.amount),
                created_at=timestamp(c.created_at),
                created_by=c.created_by,
            )
            for c in costs
        ],
        cost=domain.money_text(total),
        description=campaign.description,
        utm_campaign=campaign.utm_campaign,
        version=campaign.version,
        created_at=timestamp(campaign.created_at),
        updated_at=timestamp(campaign.updated_at),
        created_by=campaign.created_by,
    )


def lead_message(lead: Lead, campaign_name: str, flags: Sequence[dict[str, Any]]) -> pb.Lead:
    message = pb.Lead(
        id=lead.id,
        status=lead.status,
        person_name=lead.person_name,
        company_name=lead.company_name,
        position=lead.position,
        email=lead.email,
        phone=lead.phone,
        phone_e164=lead.phone_e164,
        inn=lead.inn,
        comment=lead.comment,
        campaign_id=lead.campaign_id or "",
        campaign_name=campaign_name,
        channel=lead.channel,
        utm=pb.Utm(**{k: v for k, v in (lead.utm or {}).items() if k in inputs.UTM_KEYS}),
        raw=struct(lead.raw),
        owner_id=lead.owner_id,
        team_id=lead.team_id or "",
        shared_with=lead.shared_with,
        duplicates=[pb.DuplicateMatch(kind=f["kind"], id=f["id"], name=f["name"], reasons=f["reasons"]) for f in flags],
        disqualification_reason=lead.disqualification_reason or "",
        disqualification_comment=lead.disqualification_comment,
        company_id=lead.company_id or "",
        person_id=lead.person_id or "",
        deal_id=lead.deal_id or "",
        form_id=lead.form_id or "",
        visitor_id=lead.visitor_id,
        version=lead.version,
        created_at=timestamp(lead.created_at),
        updated_at=timestamp(lead.updated_at),
        created_by=lead.created_by,
    )
    if lead.converted_at:
        message.converted_at.CopyFrom(timestamp(lead.converted_at))
    return message


def rule_message(rule: AssignmentRule) -> pb.AssignmentRule:
    return pb.AssignmentRule(
        id=rule.id,
        name=rule.name,
        conditions=[pb.RuleCondition(**c) for c in rule.conditions],
        user_ids=rule.user_ids,
        team_id=rule.team_id or "",
        active=rule.active,
    )


def funnel_message(funnel: domain.Funnel) -> pb.Funnel:
    def text(value: domain.Decimal | None) -> str:
        return "" if value is None else str(value)

    return pb.Funnel(
        currency=funnel.currency,
        cost=domain.money_text(funnel.cost),
        leads=funnel.leads,
        qualified=funnel.qualified,
        converted=funnel.converted,
        deals=funnel.deals,
        won=funnel.won,
        revenue=domain.money_text(funnel.revenue),
        won_amount=domain.money_text(funnel.won_amount),
        roi=text(funnel.roi),
        cost_per_lead=text(funnel.cost_per_lead),
        cost_per_won=text(funnel.cost_per_won),
    )


def _query(request: Any) -> Query:
    filters = [(f.field, f.op, f.value) for f in request.filters]
    return Query(query=request.query, filters=filters, sort=getattr(request, "sort", ""))


class MarketingServicer(FormsApi, ImportsApi, MailingsApi, VisitsApi, marketing_pb2_grpc.MarketingServiceServicer):
    def __init__(
        self,
        db: Database,
        campaigns: Campaigns,
        leads: Leads,
        converter: Converter,
        peers: Peers,
        stream: str,
        *,
        forms: Forms,
        imports: Imports,
        visits: Visits,
    ) -> None:
        self.db = db
        self.campaigns = campaigns
        self.leads = leads
        self.converter = converter
        self.peers = peers
        self.stream = stream
        self.forms = forms
        self.imports = imports
        self.visits = visits

    async def GetServiceInfo(self, request: pb.GetServiceInfoRequest, context: Context) -> pb.ServiceInfo:
        """The database revision, the event stream and the events waiting to be published."""
        state = await service_state(self.db)
        return pb.ServiceInfo(
            name=DOMAIN,
            schema_revision=state.schema_revision,
            stream=self.stream,
            pending_events=state.pending_events,
        )

    # Campaigns -------------------------------------------------------------------

    async def _campaign(self, caller: Caller, campaign: Campaign) -> pb.Campaign:
        async with self.db.readers() as session:
            costs = await MarketingRepository(session, caller).costs_of([campaign.id])
        return campaign_message(campaign, costs[campaign.id])

    async def CreateCampaign(self, request: pb.CreateCampaignRequest, context: Context) -> pb.Campaign:
        """A new campaign (owner: the caller unless given), audited, campaign.created."""
        caller = current_caller()
        campaign = await self.campaigns.create_campaign(caller, inputs.campaign_draft(request.campaign))
        return await self._campaign(caller, campaign)

    async def GetCampaign(self, request: pb.GetCampaignRequest, context: Context) -> pb.Campaign:
        """A visible campaign with its cost lines."""
        caller = current_caller()
        async with self.db.readers() as session:
            campaign = await MarketingRepository(session, caller).get_campaign(request.id)
        return await self._campaign(caller, campaign)

    async def UpdateCampaign(self, request: pb.UpdateCampaignRequest, context: Context) -> pb.Campaign:
        """Replaces the editable fields; ABORTED on a stale expected_version."""
        caller = current_caller()
        draft = inputs.campaign_draft(request.campaign)
        campaign = await self.campaigns.update_campaign(caller, request.campaign.id, draft, request.expected_version)
        return await self._campaign(caller, campaign)

    async def ListCampaigns(self, request: pb.ListCampaignsRequest, context: Context) -> pb.ListCampaignsResponse:
        """Visible campaigns with words, filters, sort and cursor."""
        caller = current_caller()
        async with self.db.readers() as session:
            repo = MarketingRepository(session, caller)
            page = await repo.list_campaigns(_query(request), clamp_limit(request.limit), request.cursor)
            costs = await repo.costs_of([c.id for c in page.items])
        return pb.ListCampaignsResponse(
            campaigns=[campaign_message(c, costs[c.id]) for c in page.items], next_cursor=page.next_cursor
        )

    async def AddCampaignCost(self, request: pb.AddCampaignCostRequest, context: Context) -> pb.Campaign:
        """Adds a cost line; ABORTED on a stale expected_version."""
        caller = current_caller()
        line = inputs.cost_line(request.cost)
        campaign = await self.campaigns.add_cost(caller, request.campaign_id, line, request.expected_version)
        return await self._campaign(caller, campaign)

    async def RemoveCampaignCost(self, request: pb.RemoveCampaignCostRequest, context: Context) -> pb.Campaign:
        """Removes a cost line; ABORTED on a stale expected_version."""
        caller = current_caller()
        campaign = await self.campaigns.remove_cost(
            caller, request.campaign_id, request.cost_id, request.expected_version
        )
        return await self._campaign(caller, campaign)

    async def GetCampaignReport(self, request: pb.GetCampaignReportRequest, context: Context) -> pb.CampaignReport:
        """Funnel, revenue and ROI per visible campaign and per channel (first-touch attribution)."""
        caller = current_caller()
        v = Validator()
        since = iso_date(v, request.from_date, "from_date")
        until = iso_date(v, request.to_date, "to_date")
        v.raise_if_any()
        async with self.db.readers() as session:
            repo = MarketingRepository(session, caller)
            funnels = await repo.funnels(list(request.campaign_ids), since, until)
            campaigns = {c.id: c for c in await repo.campaigns_by_id(list(funnels))}
        channels: dict[tuple[str, str], domain.Funnel] = {}
        report = pb.CampaignReport(model="first_touch")
        for campaign_id, funnel in sorted(funnels.items(), key=lambda item: campaigns[item[0]].name):
            campaign = campaigns[campaign_id]
            report.campaigns.append(
                pb.CampaignFunnel(
                    campaign_id=campaign_id, name=campaign.name, type=campaign.type, funnel=funnel_message(funnel)
                )
            )
            channels.setdefault((campaign.type, funnel.currency), domain.Funnel(funnel.currency)).add(funnel)
        for (channel, _), funnel in sorted(channels.items()):
            report.channels.append(pb.ChannelFunnel(channel=channel, funnel=funnel_message(funnel)))
        return report

    # Leads ------------------------------------------------------------------------------

    async def lead_messages(self, caller: Caller, leads: Sequence[Lead]) -> list[pb.Lead]:
        """Leads as the caller sees them: campaign names and duplicate flags only where they may see them."""
        async with self.db.readers() as session:
            repo = MarketingRepository(session, caller)
            names = await repo.campaign_names([lead.campaign_id or "" for lead in leads])
            flags = await duplicates.visible_flags(session, caller, leads)
        return [lead_message(lead, names.get(lead.campaign_id or "", ""), flags[lead.id]) for lead in leads]

    async def _lead(self, caller: Caller, lead: Lead) -> pb.Lead:
        return (await self.lead_messages(caller, [lead]))[0]

    async def find_duplicates(
        self, caller: Caller, draft: inputs.LeadDraft, exclude_id: str = ""
    ) -> list[dict[str, Any]]:
        """Duplicate flags of a lead among the leads and parties the caller sees; party scopes remembered."""
        parties = await duplicates.party_matches(self.peers, caller, draft)
        async with self.db.transaction() as session:
            flags = await duplicates.lead_matches(session, caller, draft, exclude_id)
            await duplicates.remember_party_scopes(session, parties)
        return flags + duplicates.party_flags(parties)

    async def CreateLead(self, request: pb.CreateLeadRequest, context: Context) -> pb.Lead:
        """Captures a lead (manual or api), flags its duplicates, assigns it by the rules; lead.captured."""
        caller = current_caller()
        channel = request.channel or "manual"
        if channel not in ("manual", "api"):
            raise invalid("channel", "not_allowed", "channel must be manual or api")
        draft = inputs.lead_draft(inputs.lead_values(request.lead))
        flags = await self.find_duplicates(caller, draft)
        lead = await self.leads.capture(caller, draft, channel=channel, duplicates=flags)
        return await self._lead(caller, lead)

    async def GetLead(self, request: pb.GetLeadRequest, context: Context) -> pb.Lead:
        """A visible lead."""
        caller = current_caller()
        async with self.db.readers() as session:
            lead = await MarketingRepository(session, caller).get_lead(request.id)
        return await self._lead(caller, lead)

    async def UpdateLead(self, request: pb.UpdateLeadRequest, context: Context) -> pb.Lead:
        """Replaces the contact fields; duplicates are checked again."""
        caller = current_caller()
        draft = inputs.lead_draft(inputs.lead_values(request.lead))
        flags = await self.find_duplicates(caller, draft, exclude_id=request.lead.id)
        lead = await self.leads.update_lead(caller, request.lead.id, draft, request.expected_version, flags)
        return await self._lead(caller, lead)

    async def ListLeads(self, request: pb.ListLeadsRequest, context: Context) -> pb.ListLeadsResponse:
        """Visible leads with words, filters, sort and cursor."""
        caller = current_caller()
        async with self.db.readers() as session:
            page = await MarketingRepository(session, caller).list_leads(
                _query(request), clamp_limit(request.limit), request.cursor
            )
        return pb.ListLeadsResponse(leads=await self.lead_messages(caller, page.items), next_cursor=page.next_cursor)

    async def CountLeads(self, request: pb.CountLeadsRequest, context: Context) -> pb.CountLeadsResponse:
        """How many visible leads match."""
        caller = current_caller()
        async with self.db.readers() as session:
            count = await MarketingRepository(session, caller).count_leads(_query(request))
        return pb.CountLeadsResponse(count=count)

    async def AssignLead(self, request: pb.AssignLeadRequest, context: Context) -> pb.Lead:
        """Gives the lead to a user; lead.assigned."""
        caller = current_caller()
        lead = await self.leads.assign(
            caller, request.id, request.owner_id.strip(), request.team_id.strip() or None, request.expected_version
        )
        return await self._lead(caller, lead)

    async def QualifyLead(self, request: pb.QualifyLeadRequest, context: Context) -> pb.Lead:
        """new/in_work -> qualified; lead.qualified."""
        caller = current_caller()
        return await self._lead(caller, await self.leads.qualify(caller, request.id, request.expected_version))

    async def DisqualifyLead(self, request: pb.DisqualifyLeadRequest, context: Context) -> pb.Lead:
        """-> disqualified with a reason; lead.disqualified."""
        caller = current_caller()
        why = inputs.disqualification(request)
        return await self._lead(caller, await self.leads.disqualify(caller, request.id, why, request.expected_version))

    async def ConvertLead(self, request: pb.ConvertLeadRequest, context: Context) -> pb.Lead:
        """Company/person in contacts and a deal in deals, as the caller, once; lead.converted."""
        caller = current_caller()
        lead = await self.converter.convert(caller, request.id, inputs.conversion(request))
        return await self._lead(caller, lead)

    # Assignment rules -------------------------------------------------------------------

    async def ListAssignmentRules(
        self, request: pb.ListAssignmentRulesRequest, context: Context
    ) -> pb.ListAssignmentRulesResponse:
        """The rules in order (every user may read them)."""
        async with self.db.readers() as session:
            rules = await MarketingRepository(session, current_caller()).assignment_rules()
        return pb.ListAssignmentRulesResponse(rules=[rule_message(r) for r in rules])

    async def ReplaceAssignmentRules(
        self, request: pb.ReplaceAssignmentRulesRequest, context: Context
    ) -> pb.ListAssignmentRulesResponse:
        """Replaces the rules (admins)."""
        rules = await self.leads.replace_rules(current_caller(), inputs.assignment_rules(request.rules))
        return pb.ListAssignmentRulesResponse(rules=[rule_message(r) for r in rules])
