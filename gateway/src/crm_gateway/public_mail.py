"""/api/v1/public/mail/...: the links of sent e-mails, without a login.

The token in each path was signed by the marketing service (crm_core.links):
the open pixel records the first open and answers a 1x1 GIF; a click is
counted and redirected (302) to the URL inside its signed token only, so no
one can use the endpoint to send people elsewhere; the unsubscribe link shows
a small confirmation page on GET (link scanners and mail previews follow GETs,
so a GET changes nothing) and unsubscribes on POST, which is also what mail
clients send for one-click unsubscribe (RFC 8058, List-Unsubscribe-Post). A
forged token is 404. The marketing service is called as the system: the token
is the authority.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import SYSTEM
from crm_gateway.clients import ServiceCall
from crm_gateway.problems import Problem

router = APIRouter(prefix="/api/v1/public/mail", tags=["public mail links"])
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store, private"}
MAX_TOKEN = 4096
INVALID_PAGE: dict[str, Any] = {"content": {"text/html": {}}, "description": "A page saying the link is not valid"}


def _system_call(request: Request) -> ServiceCall:
    return ServiceCall(request.app.state.clients, SYSTEM, request.state.request_id)


def _checked(token: str) -> str:
    if len(token) > MAX_TOKEN:
        raise Problem(404, "invalid_link", "this link is not valid")
    return token


async def _track(request: Request, method: str, token: str) -> pb.TrackResponse:
    """The marketing call for a link; an invalid token is 404 (it names nothing that exists)."""
    try:
        rpc = getattr(_system_call(request).marketing, method)
        result: pb.TrackResponse = await rpc(pb.TrackRequest(token=_checked(token)))
        return result
    except Problem as problem:
        if problem.code == "invalid_link":
            raise Problem(404, "invalid_link", "this link is not valid") from problem
        raise


@router.get(
    "/open/{token}.gif",
    summary="The open pixel: a 1x1 GIF; the first load records the open",
    response_class=Response,
    responses={200: {"content": {"image/gif": {}}, "description": "A transparent 1x1 GIF"}},
)
async def open_pixel(token: str, request: Request) -> Response:
    await _track(request, "TrackOpen", token)
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get(
    "/click/{token}",
    summary="A tracked link: counted, then 302 to the URL its signed token carries",
    response_class=RedirectResponse,
    status_code=302,
    responses={302: {"description": "To the link's target"}},
)
async def click(token: str, request: Request) -> Response:
    result = await _track(request, "TrackClick", token)
    return RedirectResponse(result.url, status_code=302, headers=NO_STORE)


PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}}
button{{font-size:1rem;padding:.6rem 1.2rem;cursor:pointer}}p.en{{color:#555}}</style></head>
<body>{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body), status_code=status, headers=NO_STORE)


def _invalid_page() -> HTMLResponse:
    return _page(
        "Ссылка недействительна / Invalid link",
        "<h1>Ссылка недействительна</h1><p class='en'>This unsubscribe link is not valid.</p>",
        404,
    )


@router.get(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    summary="Unsubscribe: a confirmation page (ru/en)",
    responses={404: INVALID_PAGE},
)
async def unsubscribe_page(token: str, request: Request) -> HTMLResponse:
    try:
        result = await _track(request, "GetUnsubscribe", token)
    except Problem as problem:
        if problem.status == 404:
            return _invalid_page()
        raise
    address = html.escape(result.email)
    return _page(
        "Отписка от рассылки / Unsubscribe",
        f"<h1>Отписаться от рассылки?</h1><p>Письма больше не будут приходить на адрес <b>{address}</b>.</p>"
        f"<p class='en'>Stop e-mails to <b>{address}</b>?</p>"
        "<form method='post'><button type='submit'>Отписаться / Unsubscribe</button></form>",
    )


@router.post(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    summary="Unsubscribe (the page's button, or a mail client's one-click POST)",
    responses={404: INVALID_PAGE},
)
async def unsubscribe(token: str, request: Request) -> Response:
    try:
        result = await _track(request, "Unsubscribe", token)
    except Problem as problem:
        if problem.status == 404:
            return _invalid_page()
        raise
    address = html.escape(result.email)
    return _page(
        "Вы отписаны / Unsubscribed",
        f"<h1>Вы отписаны</h1><p>Мы больше не будем писать на адрес <b>{address}</b>.</p>"
        f"<p class='en'>You are unsubscribed: no more e-mails to <b>{address}</b>.</p>",
    )
