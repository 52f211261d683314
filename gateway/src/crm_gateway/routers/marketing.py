"""/api/v1/campaigns, /api/v1/leads and /api/v1/forms: campaigns with costs and ROI, leads, assignment rules,
conversion, web form definitions. The public side of forms is routers.public_forms.

A PATCH reads the record, merges the body into it and sends the whole record
with the If-Match version (the service replaces the editable fields), so a
field left out keeps its value and a concurrent change is 412.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.protojson import to_dict
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.directory import check_user_refs
from crm_gateway.public_forms import form_out
from crm_gateway.schemas.common import Count, Page
from crm_gateway.schemas.marketing import (
    AssignmentRules,
    AssignRequest,
    CampaignCreate,
    CampaignOut,
    CampaignPatch,
    CampaignReportOut,
    ConvertRequest,
    CostCreate,
    DisqualifyRequest,
    FormCreate,
    FormOut,
    LeadCreate,
    LeadOut,
    LeadPatch,
    RuleOut,
)

router = APIRouter(prefix="/api/v1", tags=["marketing"])

CAMPAIGN_FILTER_HELP = "field:op:value on type, status, owner_id, team_id, starts_on, ends_on, created_at"
LEAD_FILTER_HELP = (
    "field:op:value on status, channel, campaign_id, owner_id, team_id, form_id, import_id, created_at, "
    "updated_at, has_duplicates (e.g. status:eq:new, has_duplicates:eq:true)"
)


def _campaign(message: pb.Campaign, response: Response) -> CampaignOut:
    return rest.versioned(message, CampaignOut, response)


def _lead(message: pb.Lead, response: Response) -> LeadOut:
    return rest.versioned(message, LeadOut, response)


def _merged(current: Any, body: Any, message_type: Any) -> Any:
    """The current record with the body's fields (those it sets) replaced."""
    values = to_dict(current)
    values.update(body.model_dump(mode="json", exclude_unset=True))
    return rest.to_message({k: v for k, v in values.items() if v is not None}, message_type)


# --- campaigns -------------------------------------------------------------------------------


@router.get("/campaigns/report", response_model=CampaignReportOut, summary="Funnel, revenue and ROI per campaign")
async def campaign_report(
    call: Call,
    date_from: Annotated[str, Query(alias="from", max_length=10, description="YYYY-MM-DD")] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10, description="YYYY-MM-DD")] = "",
    campaign_id: Annotated[list[str], Query(max_length=64, description="Repeat for several; none: all")] = [],
) -> CampaignReportOut:
    request = pb.GetCampaignReportRequest(from_date=date_from, to_date=date_to, campaign_ids=campaign_id)
    return rest.out(await call.marketing.GetCampaignReport(request), CampaignReportOut)


@router.get("/campaigns", response_model=Page[CampaignOut], summary="Campaigns you can see")
async def list_campaigns(
    call: Call,
    q: Annotated[str, Query(max_length=200, description="Words of the name")] = "",
    filters: Annotated[list[str], Query(alias="filter", description=CAMPAIGN_FILTER_HELP)] = [],
    sort: Annotated[str, Query(max_length=100, description="name, created_at, starts_on; '-' descending")] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[CampaignOut]:
    result = await call.marketing.ListCampaigns(
        pb.ListCampaignsRequest(query=q, filters=rest.parse_filters(filters), sort=sort, limit=limit, cursor=cursor)
    )
    return Page[CampaignOut](items=[rest.out(c, CampaignOut) for c in result.campaigns], next_cursor=result.next_cursor)


@router.post("/campaigns", response_model=CampaignOut, status_code=201, summary="Start a campaign (a lead channel)")
async def create_campaign(body: CampaignCreate, call: Call, request: Request, response: Response) -> CampaignOut:
    await check_user_refs(request, body.owner_id, body.team_id, body.shared_with)
    message = await call.marketing.CreateCampaign(
        pb.CreateCampaignRequest(campaign=rest.body_message(body, pb.Campaign))
    )
    response.headers["Location"] = f"/api/v1/campaigns/{message.id}"
    return _campaign(message, response)


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut, summary="A campaign with its costs (ETag)")
async def get_campaign(campaign_id: str, call: Call, response: Response) -> CampaignOut:
    return _campaign(await call.marketing.GetCampaign(pb.GetCampaignRequest(id=campaign_id)), response)


@router.patch("/campaigns/{campaign_id}", response_model=CampaignOut, summary="Change a campaign (If-Match)")
async def update_campaign(
    campaign_id: str, body: CampaignPatch, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> CampaignOut:
    await check_user_refs(request, body.owner_id, body.team_id, body.shared_with)
    current = await call.marketing.GetCampaign(pb.GetCampaignRequest(id=campaign_id))
    campaign = _merged(current, body, pb.Campaign)
    version = rest.expected_version(if_match) or current.version
    message = await call.marketing.UpdateCampaign(pb.UpdateCampaignRequest(campaign=campaign, expected_version=version))
    return _campaign(message, response)


@router.post("/campaigns/{campaign_id}/costs", response_model=CampaignOut, status_code=201, summary="Add a cost line")
async def add_cost(
    campaign_id: str, body: CostCreate, call: Call, response: Response, if_match: IfMatch = None
) -> CampaignOut:
    request = pb.AddCampaignCostRequest(
        campaign_id=campaign_id,
        cost=rest.body_message(body, pb.CampaignCost),
        expected_version=await _campaign_version(call, campaign_id, if_match),
    )
    return _campaign(await call.marketing.AddCampaignCost(request), response)


@router.delete("/campaigns/{campaign_id}/costs/{cost_id}", response_model=CampaignOut, summary="Remove a cost line")
async def remove_cost(
    campaign_id: str, cost_id: str, call: Call, response: Response, if_match: IfMatch = None
) -> CampaignOut:
    request = pb.RemoveCampaignCostRequest(
        campaign_id=campaign_id,
        cost_id=cost_id,
        expected_version=await _campaign_version(call, campaign_id, if_match),
    )
    return _campaign(await call.marketing.RemoveCampaignCost(request), response)


async def _campaign_version(call: Call, campaign_id: str, if_match: str | None) -> int:
    """If-Match when given; otherwise the current version (a cost line does not overwrite anyone's change)."""
    if if_match:
        return rest.expected_version(if_match)
    return int((await call.marketing.GetCampaign(pb.GetCampaignRequest(id=campaign_id))).version)


# --- leads ------------------------------------------------------------------------------------


@router.get("/leads/assignment-rules", response_model=list[RuleOut], summary="The rules that give new leads owners")
async def list_rules(call: Call) -> list[RuleOut]:
    result = await call.marketing.ListAssignmentRules(pb.ListAssignmentRulesRequest())
    return [rest.out(r, RuleOut) for r in result.rules]


@router.put("/leads/assignment-rules", response_model=list[RuleOut], summary="Replace the rules, in order (admin)")
async def replace_rules(body: AssignmentRules, call: Call) -> list[RuleOut]:
    request = rest.body_message(body, pb.ReplaceAssignmentRulesRequest)
    result = await call.marketing.ReplaceAssignmentRules(request)
    return [rest.out(r, RuleOut) for r in result.rules]


@router.get("/leads/count", response_model=Count, summary="How many leads you can see match")
async def count_leads(
    call: Call,
    q: Annotated[str, Query(max_length=200)] = "",
    filters: Annotated[list[str], Query(alias="filter", description=LEAD_FILTER_HELP)] = [],
) -> Count:
    result = await call.marketing.CountLeads(pb.CountLeadsRequest(query=q, filters=rest.parse_filters(filters)))
    return Count(count=result.count)


@router.get("/leads", response_model=Page[LeadOut], summary="Leads you can see")
async def list_leads(
    call: Call,
    q: Annotated[str, Query(max_length=200, description="Words of the names, e-mail, phone or INN")] = "",
    filters: Annotated[list[str], Query(alias="filter", description=LEAD_FILTER_HELP)] = [],
    sort: Annotated[
        str, Query(max_length=100, description="created_at, updated_at, person_name, company_name; '-' descending")
    ] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[LeadOut]:
    result = await call.marketing.ListLeads(
        pb.ListLeadsRequest(query=q, filters=rest.parse_filters(filters), sort=sort, limit=limit, cursor=cursor)
    )
    return Page[LeadOut](items=[rest.out(lead, LeadOut) for lead in result.leads], next_cursor=result.next_cursor)


@router.post("/leads", response_model=LeadOut, status_code=201, summary="Capture a lead by hand")
async def create_lead(body: LeadCreate, call: Call, request: Request, response: Response) -> LeadOut:
    await check_user_refs(request, body.owner_id, body.team_id, body.shared_with)
    message = await call.marketing.CreateLead(pb.CreateLeadRequest(lead=rest.body_message(body, pb.Lead)))
    response.headers["Location"] = f"/api/v1/leads/{message.id}"
    return _lead(message, response)


@router.get("/leads/{lead_id}", response_model=LeadOut, summary="A lead (ETag = version)")
async def get_lead(lead_id: str, call: Call, response: Response) -> LeadOut:
    return _lead(await call.marketing.GetLead(pb.GetLeadRequest(id=lead_id)), response)


@router.patch("/leads/{lead_id}", response_model=LeadOut, summary="Change a lead's contacts (If-Match)")
async def update_lead(
    lead_id: str, body: LeadPatch, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> LeadOut:
    await check_user_refs(request, None, None, body.shared_with)
    current = await call.marketing.GetLead(pb.GetLeadRequest(id=lead_id))
    lead = _merged(current, body, pb.Lead)
    version = rest.expected_version(if_match) or current.version
    return _lead(await call.marketing.UpdateLead(pb.UpdateLeadRequest(lead=lead, expected_version=version)), response)


async def _lead_version(call: Call, lead_id: str, if_match: str | None) -> int:
    if if_match:
        return rest.expected_version(if_match)
    return int((await call.marketing.GetLead(pb.GetLeadRequest(id=lead_id))).version)


@router.post("/leads/{lead_id}/assign", response_model=LeadOut, summary="Give a lead to a user (it goes in work)")
async def assign_lead(
    lead_id: str, body: AssignRequest, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> LeadOut:
    await check_user_refs(request, body.owner_id, body.team_id, None)
    message = await call.marketing.AssignLead(
        pb.AssignLeadRequest(
            id=lead_id,
            owner_id=body.owner_id,
            team_id=body.team_id or "",
            expected_version=await _lead_version(call, lead_id, if_match),
        )
    )
    return _lead(message, response)


@router.post("/leads/{lead_id}/qualify", response_model=LeadOut, summary="Mark a lead qualified")
async def qualify_lead(lead_id: str, call: Call, response: Response, if_match: IfMatch = None) -> LeadOut:
    version = await _lead_version(call, lead_id, if_match)
    return _lead(
        await call.marketing.QualifyLead(pb.QualifyLeadRequest(id=lead_id, expected_version=version)), response
    )


@router.post("/leads/{lead_id}/disqualify", response_model=LeadOut, summary="Disqualify a lead with a reason")
async def disqualify_lead(
    lead_id: str, body: DisqualifyRequest, call: Call, response: Response, if_match: IfMatch = None
) -> LeadOut:
    request = pb.DisqualifyLeadRequest(
        id=lead_id,
        reason=body.reason,
        comment=body.comment or "",
        expected_version=await _lead_version(call, lead_id, if_match),
    )
    return _lead(await call.marketing.DisqualifyLead(request), response)


@router.post(
    "/leads/{lead_id}/convert",
    response_model=LeadOut,
    summary="Turn a lead into a company and/or person and a deal, once (a repeat creates nothing more)",
)
async def convert_lead(lead_id: str, body: ConvertRequest, call: Call, response: Response) -> LeadOut:
    request = rest.body_message(body, pb.ConvertLeadRequest)
    request.id = lead_id
    return _lead(await call.marketing.ConvertLead(request), response)


# --- web forms -------------------------------------------------------------------------------------


@router.get("/forms", response_model=Page[FormOut], summary="Your web forms (admins: all)")
async def list_forms(call: Call, request: Request, limit: Limit = 50, cursor: Cursor = "") -> Page[FormOut]:
    result = await call.marketing.ListForms(pb.ListFormsRequest(limit=limit, cursor=cursor))
    return Page[FormOut](items=[form_out(f, request) for f in result.forms], next_cursor=result.next_cursor)


@router.post("/forms", response_model=FormOut, status_code=201, summary="Define a web form; get its snippet")
async def create_form(body: FormCreate, call: Call, request: Request, response: Response) -> FormOut:
    await check_user_refs(request, body.owner_id, body.team_id, None)
    message = await call.marketing.CreateForm(pb.CreateFormRequest(form=rest.body_message(body, pb.Form)))
    response.headers["Location"] = f"/api/v1/forms/{message.id}"
    rest.set_etag(response, message.version)
    return form_out(message, request)


@router.get("/forms/{form_id}", response_model=FormOut, summary="A web form with its snippet (ETag)")
async def get_form(form_id: str, call: Call, request: Request, response: Response) -> FormOut:
    message = await call.marketing.GetForm(pb.GetFormRequest(id=form_id))
    rest.set_etag(response, message.version)
    return form_out(message, request)


@router.put("/forms/{form_id}", response_model=FormOut, summary="Replace a web form's definition (If-Match)")
async def replace_form(
    form_id: str, body: FormCreate, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> FormOut:
    await check_user_refs(request, body.owner_id, body.team_id, None)
    form = rest.body_message(body, pb.Form)
    form.id = form_id
    version = rest.expected_version(if_match)
    if not version:
        version = int((await call.marketing.GetForm(pb.GetFormRequest(id=form_id))).version)
    message = await call.marketing.UpdateForm(pb.UpdateFormRequest(form=form, expected_version=version))
    rest.set_etag(response, message.version)
    return form_out(message, request)
