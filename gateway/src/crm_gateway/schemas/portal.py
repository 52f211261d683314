"""REST shapes of the customer portal (its users, their tickets as they see them) and of NPS surveys."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from crm_core.passwords import MAX_PASSWORD, MIN_PASSWORD
from crm_gateway.schemas.common import Out, Strict

ID = 64


class PortalLoginIn(Strict):
    email: str = Field(min_length=1, max_length=300)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)


class AcceptInvitationIn(Strict):
    token: str = Field(min_length=1, max_length=200, description="The token of the invitation link")
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)


class PortalUserOut(Out):
    id: str
    email: str
    name: str = ""
    party_id: str
    organisation_id: str = ""
    language: str = "ru"
    active: bool
    status: str = Field(description="invited (no password yet), active or inactive")
    invited_by: str = ""
    invited_at: datetime | None = None
    activated_at: datetime | None = None
    invitation_expires_at: datetime | None = None
    version: int = 0


class PortalLoginOut(Out):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    user: PortalUserOut


class PortalUserInvite(Strict):
    party_id: str = Field(max_length=ID, description="A person in contacts you see")
    email: str = Field("", max_length=300, description="Empty: the person's first e-mail")
    language: Literal["ru", "en"] = "ru"


class PortalUsersPage(Out):
    items: list[PortalUserOut]
    next_cursor: str = ""
    total: int = 0


class PortalTicketCreate(Strict):
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=50_000)
    category: str = Field("question", max_length=20, description="question, incident, problem, request, complaint")
    priority: str = Field("normal", max_length=20, description="low, normal, high or urgent")


class PortalTicketOut(Out):
    """A ticket as its client sees it: no assignee, team, SLA or internal fields."""

    id: str
    number: int
    subject: str
    description: str = ""
    requester_name: str = ""
    channel: str = ""
    priority: str
    category: str
    status: str
    csat_rating: int = 0
    csat_comment: str = ""
    message_count: int = 0
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    last_message_at: datetime | None = None


class PortalTicketsPage(Out):
    items: list[PortalTicketOut]
    next_cursor: str = ""
    total: int = 0


class PortalReplyIn(Strict):
    body: str = Field(min_length=1, max_length=50_000)


class PortalMessageOut(Out):
    id: str
    ticket_id: str
    author_type: str = Field(description="staff, requester or system")
    author_name: str = ""
    body: str
    created_at: datetime


class PortalMessagesPage(Out):
    items: list[PortalMessageOut]
    next_cursor: str = ""


class PortalRatingIn(Strict):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


class PortalArticleOut(Out):
    """A public knowledge base article as a client reads it (no author, no internal fields)."""

    id: str
    title: str
    body: str = ""
    category_id: str = ""
    language: str = "ru"
    tags: list[str] = []
    helpful_count: int = 0
    not_helpful_count: int = 0
    my_vote: str = Field("", description='Your vote: "helpful", "not_helpful" or ""')
    published_at: datetime | None = None
    updated_at: datetime | None = None
    snippet: str = Field("", description="A search's matching passage (plain text)")


class PortalVoteIn(Strict):
    helpful: bool


class PortalArticlesPage(Out):
    items: list[PortalArticleOut]
    next_cursor: str = ""


# --- NPS ---------------------------------------------------------------------------------------------------


class SurveyCreate(Strict):
    name: str = Field(min_length=1, max_length=300)
    question_ru: str | None = Field(None, max_length=500, description="Empty or null: the standard question")
    question_en: str | None = Field(None, max_length=500)
    segment_id: str = Field(max_length=ID, description="The marketing segment whose people are asked")
    team_id: str | None = Field(None, max_length=ID)


class SurveyOut(Out):
    id: str
    name: str
    question_ru: str
    question_en: str
    segment_id: str
    status: str = Field(description="draft or sent")
    owner_id: str
    team_id: str = ""
    recipients: int = 0
    answers: int = 0
    sent_at: datetime | None = None
    created_at: datetime
    version: int = 0


class SurveysPage(Out):
    items: list[SurveyOut]
    next_cursor: str = ""
    total: int = 0


class SurveySendOut(Out):
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    survey: SurveyOut


class NpsAnswerOut(Out):
    id: str
    survey_id: str
    party_id: str
    organisation_id: str = ""
    name: str = ""
    email: str = ""
    score: int = 0
    group: str = Field("", description="promoter (9-10), passive (7-8), detractor (0-6)")
    comment: str = ""
    answered_at: datetime | None = None


class SurveyResultsOut(Out):
    survey: SurveyOut
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    score: int = Field(0, description="% promoters - % detractors: -100..100")
    answers: list[NpsAnswerOut]
    next_cursor: str = ""


class NpsFormOut(Out):
    survey_name: str
    question: str
    language: str = "ru"
    answered: bool = False


class NpsAnswerIn(Strict):
    score: int = Field(ge=0, le=10)
    comment: str = Field("", max_length=2000)


class NpsThanksOut(Out):
    score: int
    group: str
