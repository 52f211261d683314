"""Typed inputs of the portal's and NPS's commands: each request's values checked on their own
(INVALID_ARGUMENT naming every bad field); what needs stored data is checked by the commands."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from crm.helpdesk.v1 import portal_pb2 as pb
from crm_core.errors import Validator
from crm_core.fields import record_id, text
from crm_core.languages import LANGUAGES
from crm_core.mail import parse_address
from crm_core.passwords import MAX_PASSWORD, MIN_PASSWORD

# Tokens of links are 43 characters (secrets.token_urlsafe(32)); anything far longer is not one.
MAX_TOKEN = 200
MAX_COMMENT = 2000
MAX_QUESTION = 500
PORTAL_STATUSES = ("invited", "active", "inactive")


def token_digest(token: str) -> str:
    """What is stored of a link's token: its SHA-256 (a database leak gives no working link)."""
    return hashlib.sha256(token.encode()).hexdigest()


def email_field(v: Validator, value: str, path: str = "email") -> str:
    """A lower-case address ("" when empty)."""
    if not value.strip():
        return ""
    if len(value) > 300:
        v.add(path, "too_long", f"{path} must be at most 300 characters")
        return ""
    try:
        return parse_address(value.strip()).addr_spec.lower()
    except ValueError:
        v.add(path, "invalid_email", f"{path} is not an e-mail address")
        return ""


def token_field(v: Validator, value: str) -> str:
    if not value:
        v.add("token", "required", "token is required")
    elif len(value) > MAX_TOKEN:
        v.add("token", "invalid_token", "token is not a link's token")
    return value


def language_field(v: Validator, value: str) -> str:
    if value and value not in LANGUAGES:
        v.add("language", "not_allowed", "language must be ru or en")
    return value if value in LANGUAGES else "ru"


@dataclass(frozen=True)
class InviteInput:
    party_id: str
    email: str
    language: str


def parse_invite(request: pb.InvitePortalUserRequest) -> InviteInput:
    v = Validator()
    result = InviteInput(
        party_id=record_id(v, request.party_id, "party_id", required=True),
        email=email_field(v, request.email),
        language=language_field(v, request.language),
    )
    v.raise_if_any()
    return result


@dataclass(frozen=True)
class AcceptInput:
    token: str
    password: str


def parse_accept(request: pb.AcceptInvitationRequest) -> AcceptInput:
    v = Validator()
    token = token_field(v, request.token)
    if not MIN_PASSWORD <= len(request.password) <= MAX_PASSWORD:
        v.add("password", "password_length", f"password must be {MIN_PASSWORD}-{MAX_PASSWORD} characters")
    v.raise_if_any()
    return AcceptInput(token, request.password)


@dataclass(frozen=True)
class PortalUserQuery:
    organisation_id: str
    party_id: str
    query: str
    status: str


def parse_portal_user_query(request: pb.ListPortalUsersRequest) -> PortalUserQuery:
    v = Validator()
    if request.status and request.status not in PORTAL_STATUSES:
        v.add("status", "not_allowed", f"status must be one of: {', '.join(PORTAL_STATUSES)}")
    result = PortalUserQuery(
        organisation_id=record_id(v, request.organisation_id, "organisation_id"),
        party_id=record_id(v, request.party_id, "party_id"),
        query=text(v, request.query, "query", 200) or "",
        status=request.status,
    )
    v.raise_if_any()
    return result


@dataclass(frozen=True)
class SurveyInput:
    name: str
    question_ru: str
    question_en: str
    segment_id: str
    team_id: str


def parse_survey(request: pb.CreateSurveyRequest) -> SurveyInput:
    v = Validator()
    name = text(v, request.name, "name") or ""
    if not name and not any(p.field == "name" for p in v.problems):
        v.add("name", "required", "name is required")
    result = SurveyInput(
        name=name,
        question_ru=text(v, request.question_ru, "question_ru", MAX_QUESTION) or "",
        question_en=text(v, request.question_en, "question_en", MAX_QUESTION) or "",
        segment_id=record_id(v, request.segment_id, "segment_id", required=True),
        team_id=text(v, request.team_id, "team_id", 64) or "",
    )
    v.raise_if_any()
    return result


@dataclass(frozen=True)
class AnswerInput:
    token: str
    score: int
    comment: str


def parse_answer(request: pb.AnswerNpsRequest) -> AnswerInput:
    v = Validator()
    token = token_field(v, request.token)
    if not 0 <= request.score <= 10:
        v.add("score", "out_of_range", "score must be between 0 and 10")
    comment = text(v, request.comment, "comment", MAX_COMMENT) or ""
    v.raise_if_any()
    return AnswerInput(token, request.score, comment)


def parse_id(value: str, path: str = "id") -> str:
    v = Validator()
    result = record_id(v, value, path, required=True)
    v.raise_if_any()
    return result
