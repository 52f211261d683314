"""/api/v1/public/forms/{token}: web forms on a company's site, without a login.

Anyone may read an active form's fields and submit it; the marketing service
judges a submission (rate limit per address, honeypot, allowed origins,
required fields) as the system. Browsers on the company's site call these
routes from another origin, so every answer, errors included, carries CORS
headers for an origin the form allows (a form without allowed origins takes
any), and preflights are answered here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import SYSTEM
from crm_gateway import rest
from crm_gateway.client_address import client_address
from crm_gateway.clients import ServiceCall
from crm_gateway.problems import PROBLEM_CONTENT, Problem, problem_response
from crm_gateway.schemas.marketing import FormOut, PublicFormOut, SubmissionOut

router = APIRouter(prefix="/api/v1/public/forms", tags=["public forms"])
EMBED_JS = (Path(__file__).parent / "public" / "embed.js").read_text(encoding="utf-8")
MAX_BODY = 64 * 1024
HONEYPOT = "website"
NO_FORM = {404: {"description": "No active form with this token", "content": PROBLEM_CONTENT}}
REFUSED = {
    **NO_FORM,
    403: {
        "description": "Submitted from a site the form does not allow (origin_not_allowed)",
        "content": PROBLEM_CONTENT,
    },
    429: {
        "description": "Too many submissions from this address in a minute (rate_limited)",
        "content": PROBLEM_CONTENT,
    },
}


class Submission(BaseModel):
    """What the embed script (or a site's own code) posts."""

    values: dict[str, str] = Field(default_factory=dict, max_length=60)
    website: str = Field("", max_length=1000, description="The honeypot: leave empty")
    visitor_id: str = Field("", max_length=100)
    utm: dict[str, str] = Field(default_factory=dict, max_length=5)
    page_url: str = Field("", max_length=2000)
    referrer: str = Field("", max_length=2000)


def form_out(message: pb.Form, request: Request) -> FormOut:
    """A form as its owner reads it, with its submit URL and the snippet to paste into the site."""
    base = str(request.base_url).rstrip("/")
    endpoint = f"{base}{router.prefix}/{message.token}"
    snippet = f'<div data-crm-form="{message.token}"></div>\n<script src="{endpoint}/embed.js" async></script>'
    return FormOut.model_validate(
        {**rest.out(message, FormOut).model_dump(), "submit_url": f"{endpoint}/submissions", "snippet": snippet}
    )


def _system_call(request: Request) -> ServiceCall:
    return ServiceCall(request.app.state.clients, SYSTEM, request.state.request_id)


async def _public_form(request: Request, token: str) -> pb.PublicForm:
    return await _system_call(request).marketing.GetPublicForm(pb.GetPublicFormRequest(token=token[:100]))


def _cors(request: Request, allowed: list[str], response: Response) -> Response:
    origin = request.headers.get("origin", "")
    if origin and (not allowed or origin.rstrip("/").lower() in allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


def _problem(request: Request, allowed: list[str], problem: Problem) -> Response:
    return _cors(request, allowed, problem_response(problem.status, problem.code, problem.detail, problem.errors))


@router.get(
    "/{token}",
    response_model=PublicFormOut,
    summary="An active form's fields and labels (no login)",
    responses=NO_FORM,  # type: ignore[arg-type]
)
async def public_form(token: str, request: Request) -> Response:
    try:
        form = await _public_form(request, token)
    except Problem as problem:
        return _problem(request, [], problem)
    body = rest.out(form, PublicFormOut)
    return _cors(request, list(form.allowed_origins), JSONResponse(body.model_dump(mode="json")))


@router.options("/{token}", include_in_schema=False)
@router.options("/{token}/submissions", include_in_schema=False)
async def preflight(token: str, request: Request) -> Response:
    try:
        form = await _public_form(request, token)
    except Problem as problem:
        return _problem(request, [], problem)
    response = Response(status_code=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return _cors(request, list(form.allowed_origins), response)


@router.get("/{token}/embed.js", include_in_schema=False)
async def embed_script(token: str) -> Response:
    """The script of the snippet: renders the form into its placeholder and submits it."""
    return Response(EMBED_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"})


async def _submission(request: Request) -> Submission:
    """The body as JSON (the embed script) or as a plain HTML form post (fields at the top level)."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Problem(413, "body_too_large", f"a submission is at most {MAX_BODY // 1024} KB")
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/x-www-form-urlencoded") or content_type.startswith("multipart/"):
            fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
            honeypot = fields.pop(HONEYPOT, "")
            return Submission(values=fields, website=honeypot)
        data: Any = json.loads(raw or b"{}")
        return Submission.model_validate(data)
    except (ValueError, ValidationError) as exc:
        raise Problem(
            400, "malformed_submission", "the submission is not a JSON object of the documented shape"
        ) from exc


@router.post(
    "/{token}/submissions",
    response_model=SubmissionOut,
    status_code=201,
    summary="Submit a form (no login): creates a lead; 429 when an address sends too many, 422 for spam",
    responses=REFUSED,  # type: ignore[arg-type]
)
async def submit_form(token: str, request: Request) -> Response:
    allowed: list[str] = []
    try:
        form = await _public_form(request, token)
        allowed = list(form.allowed_origins)
        body = await _submission(request)
        settings = request.app.state.settings
        result = await _system_call(request).marketing.SubmitForm(
            pb.SubmitFormRequest(
                token=token,
                values=body.values,
                honeypot=body.website,
                client_ip=client_address(request, settings.trusted_proxies),
                origin=request.headers.get("origin", ""),
                visitor_id=body.visitor_id,
                utm=pb.Utm(
                    **{k: v for k, v in body.utm.items() if k in ("source", "medium", "campaign", "content", "term")}
                ),
                page_url=body.page_url,
                referrer=body.referrer,
            )
        )
    except Problem as problem:
        return _problem(request, allowed, problem)
    russian = request.headers.get("accept-language", "").lower().startswith("ru")
    message = (form.success_message_ru if russian else form.success_message_en) or form.success_message_ru
    out = SubmissionOut(outcome=result.outcome, message=message)
    return _cors(request, allowed, JSONResponse(out.model_dump(), status_code=201))
