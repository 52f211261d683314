"""/api/v1/nps/surveys: NPS surveys (admins, marketing, support); /api/v1/public/nps/{token}: the answer page.

A survey asks a marketing segment's people by e-mail; each gets a one-time
link to /portal/#/nps/<token>, a public page that reads the question here and
posts the answer once (a second answer is 409 nps_already_answered). See
docs/helpdesk.md#nps.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from crm.helpdesk.v1 import portal_pb2 as pb
from crm_core.auth import SYSTEM
from crm_gateway import rest
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call, Cursor, Limit
from crm_gateway.schemas.portal import (
    NpsAnswerIn,
    NpsFormOut,
    NpsThanksOut,
    SurveyCreate,
    SurveyOut,
    SurveyResultsOut,
    SurveySendOut,
    SurveysPage,
)

router = APIRouter(prefix="/api/v1", tags=["nps"])


@router.get("/nps/surveys", response_model=SurveysPage, summary="NPS surveys you see")
async def list_surveys(call: Call, limit: Limit = 50, cursor: Cursor = "") -> SurveysPage:
    result = await call.nps.ListSurveys(pb.ListSurveysRequest(limit=limit, cursor=cursor))
    return SurveysPage(
        items=[rest.out(s, SurveyOut) for s in result.surveys], next_cursor=result.next_cursor, total=result.total
    )


@router.post("/nps/surveys", response_model=SurveyOut, status_code=201, summary="A survey of a segment (draft)")
async def create_survey(body: SurveyCreate, call: Call) -> SurveyOut:
    return rest.out(await call.nps.CreateSurvey(rest.body_message(body, pb.CreateSurveyRequest)), SurveyOut)


@router.get("/nps/surveys/{survey_id}", response_model=SurveyOut, summary="A survey")
async def get_survey(survey_id: str, call: Call) -> SurveyOut:
    return rest.out(await call.nps.GetSurvey(pb.GetSurveyRequest(id=survey_id)), SurveyOut)


@router.post(
    "/nps/surveys/{survey_id}/send",
    response_model=SurveySendOut,
    summary="Mail the survey to the segment's people not mailed yet",
    description="Sending again reaches only people new to the segment and those whose mail failed.",
)
async def send_survey(survey_id: str, call: Call) -> SurveySendOut:
    return rest.out(await call.nps.SendSurvey(pb.SendSurveyRequest(id=survey_id), timeout=120.0), SurveySendOut)


@router.get("/nps/surveys/{survey_id}/results", response_model=SurveyResultsOut, summary="Score, groups, answers")
async def survey_results(survey_id: str, call: Call, limit: Limit = 50, cursor: Cursor = "") -> SurveyResultsOut:
    result = await call.nps.GetSurveyResults(pb.GetSurveyResultsRequest(id=survey_id, limit=limit, cursor=cursor))
    return rest.out(result, SurveyResultsOut)


def _public(request: Request) -> ServiceCall:
    """The answer page has no login: helpdesk is asked as the system, the token decides the recipient."""
    return ServiceCall(request.app.state.clients, SYSTEM, request.state.request_id)


@router.get("/public/nps/{token}", response_model=NpsFormOut, summary="The question of a survey link (no login)")
async def nps_form(token: str, request: Request) -> NpsFormOut:
    return rest.out(await _public(request).nps.GetNpsForm(pb.GetNpsFormRequest(token=token[:200])), NpsFormOut)


@router.post(
    "/public/nps/{token}",
    response_model=NpsThanksOut,
    status_code=201,
    summary="Answer a survey link once (no login)",
    description="0-10 and an optional comment; a second answer is 409 nps_already_answered.",
)
async def nps_answer(token: str, body: NpsAnswerIn, request: Request) -> NpsThanksOut:
    answer = await _public(request).nps.AnswerNps(
        pb.AnswerNpsRequest(token=token[:200], score=body.score, comment=body.comment)
    )
    return NpsThanksOut(score=answer.score, group=answer.group)
