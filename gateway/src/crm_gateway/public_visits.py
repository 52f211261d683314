"""/api/v1/public/visits and /api/v1/public/track.js: the site-visit tracking snippet, without a login.

The snippet runs on the company's own sites, whatever their origins, and
sends nothing but a page's address, title and referrer with the browser's
visitor id, so any origin may post (no credentials: `*`). It posts with
navigator.sendBeacon as text/plain (a CORS-safelisted type: no preflight),
so the body is read as JSON whatever its Content-Type says. The marketing
service judges the page view (limits, lengths, the visitor id) as the
system; the raw address goes no further than the service, which keeps a hash.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import SYSTEM
from crm_core.untrusted import TEXT_MESSAGE, has_bad_text
from crm_gateway.client_address import client_address
from crm_gateway.clients import ServiceCall
from crm_gateway.problems import PROBLEM_JSON, Problem, problem_response

router = APIRouter(prefix="/api/v1/public", tags=["public visits"])
TRACK_JS = (Path(__file__).parent / "public" / "track.js").read_text(encoding="utf-8")
# A page view's fields together fit in well under this (their limits are the marketing service's).
MAX_BODY = 16 * 1024
MEDIA_TYPES = ("application/json", "text/plain")
_PAGE_VIEW_SCHEMA = {
    "type": "object",
    "required": ["visitor_id", "url"],
    "properties": {
        "visitor_id": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[A-Za-z0-9._:-]+$"},
        "url": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "http(s); utm_* marks are kept"},
        "title": {"type": "string", "maxLength": 500},
        "referrer": {"type": "string", "maxLength": 2000},
    },
}
PAGE_VIEW_BODY = {
    "requestBody": {
        "required": True,
        "description": "The page view; navigator.sendBeacon sends it as text/plain (no CORS preflight)",
        "content": {media: {"schema": _PAGE_VIEW_SCHEMA} for media in MEDIA_TYPES},
    }
}
TOO_MANY = {
    429: {
        "description": "Too many page views from this visitor or address in a minute",
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}


class PageView(BaseModel):
    """What the tracking snippet posts; utm marks are read from the url's query by the service."""

    model_config = ConfigDict(extra="ignore", strict=True)

    visitor_id: str = ""
    url: str = ""
    title: str = ""
    referrer: str = ""


def _open(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


async def _page_view(request: Request) -> PageView:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise Problem(415, "unsupported_media_type", "send the page view as application/json or text/plain")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Problem(413, "body_too_large", f"a page view is at most {MAX_BODY // 1024} KB")
    try:
        view = PageView.model_validate(json.loads(raw or b"{}"))
    except (ValueError, ValidationError) as exc:
        raise Problem(400, "malformed_page_view", "the page view is not a JSON object of the documented shape") from exc
    # A text/plain body passes the hygiene middleware unread; PostgreSQL stores no NUL.
    bad = [name for name, value in view.model_dump().items() if has_bad_text(value)]
    if bad:
        raise Problem(422, "invalid_text", f"{', '.join(bad)}: {TEXT_MESSAGE}")
    return view


@router.post(
    "/visits",
    status_code=204,
    summary="Record a page view (no login; the tracking snippet): 204; 429 over the per-visitor limit",
    openapi_extra=PAGE_VIEW_BODY,
    responses=TOO_MANY,  # type: ignore[arg-type]
)
async def record_visit(request: Request) -> Response:
    try:
        view = await _page_view(request)
        await ServiceCall(request.app.state.clients, SYSTEM, request.state.request_id).marketing.RecordVisit(
            pb.RecordVisitRequest(
                visitor_id=view.visitor_id,
                url=view.url,
                title=view.title,
                referrer=view.referrer,
                client_ip=client_address(request, request.app.state.settings.trusted_proxies),
            )
        )
    except Problem as problem:
        return _open(problem_response(problem.status, problem.code, problem.detail, problem.errors))
    return _open(Response(status_code=204))


@router.options("/visits", include_in_schema=False)
async def preflight() -> Response:
    """A site's own code may post application/json with fetch: that asks first."""
    response = Response(status_code=204)
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return _open(response)


@router.get("/track.js", include_in_schema=False)
async def track_script() -> Response:
    """The tracking snippet: keeps the visitor id and reports each page view."""
    return Response(TRACK_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"})
