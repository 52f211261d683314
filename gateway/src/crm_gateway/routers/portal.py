"""/api/v1/portal/*: the customer portal; /api/v1/portal-users: staff invite and deactivate its users.

A portal user logs in with e-mail and password (helpdesk checks them and opens
a session) and gets a portal token (crm_gateway.portal_auth): it works only on
/api/v1/portal/* and public routes, a staff token never there. They see their
organisation's tickets (another organisation's ticket is 404 and never
counted), file requests, reply and rate resolved ones. See docs/helpdesk.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from crm.documents.v1 import attachments_pb2 as documents
from crm.helpdesk.v1 import helpdesk_pb2 as hd
from crm.helpdesk.v1 import knowledge_pb2 as kb
from crm.helpdesk.v1 import portal_pb2 as pb
from crm_core.auth import SYSTEM
from crm_gateway import rest
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call, Cursor, Limit
from crm_gateway.login_throttle import LOGIN_ERRORS, guarded_login
from crm_gateway.portal_auth import PORTAL_TOKEN_HOURS, Portal, issue_portal_token
from crm_gateway.problems import PROBLEM_CONTENT
from crm_gateway.routers.attachments import attachment_out, download_file, upload_file
from crm_gateway.schemas.attachments import AttachmentOut
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.portal import (
    AcceptInvitationIn,
    PortalArticleOut,
    PortalArticlesPage,
    PortalLoginIn,
    PortalLoginOut,
    PortalMessageOut,
    PortalMessagesPage,
    PortalRatingIn,
    PortalReplyIn,
    PortalTicketCreate,
    PortalTicketOut,
    PortalTicketsPage,
    PortalUserInvite,
    PortalUserOut,
    PortalUsersPage,
    PortalVoteIn,
)

router = APIRouter(prefix="/api/v1", tags=["customer portal"])
NO_INVITATION: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "The link is unknown, used, replaced or expired (invitation_invalid)",
        "content": PROBLEM_CONTENT,
    }
}
Short = Annotated[str, Query(max_length=64)]


def _anonymous(request: Request) -> ServiceCall:
    """The steps before a portal login (log in, accept an invitation) go to helpdesk as the system."""
    return ServiceCall(request.app.state.clients, SYSTEM, request.state.request_id)


# --- signing in ------------------------------------------------------------------------------------------


@router.post(
    "/portal/login",
    response_model=PortalLoginOut,
    summary="Exchange a portal user's e-mail and password for a portal token",
    responses=LOGIN_ERRORS,
    description="401 invalid_credentials alike for an unknown address, a wrong password or a deactivated user; "
    "429 too_many_attempts (with Retry-After) after too many failures from one address or for one account.",
)
async def portal_login(body: PortalLoginIn, request: Request) -> PortalLoginOut:
    async with guarded_login(request, "portal", body.email):
        session = await _anonymous(request).portal.AuthenticatePortalUser(
            pb.AuthenticatePortalUserRequest(email=body.email, password=body.password)
        )
    token = issue_portal_token(session.user.id, session.session_id, request.app.state.settings.jwt_secret)
    user = rest.out(session.user, PortalUserOut)
    return PortalLoginOut(access_token=token, expires_in=PORTAL_TOKEN_HOURS * 3600, user=user)


@router.post(
    "/portal/accept-invitation",
    response_model=PortalUserOut,
    summary="Set the password of an invitation link (then log in)",
    responses=NO_INVITATION,
    description="404 invitation_invalid when the link is unknown, used, replaced by a newer one or expired.",
)
async def accept_invitation(body: AcceptInvitationIn, request: Request) -> PortalUserOut:
    user = await _anonymous(request).portal.AcceptInvitation(
        pb.AcceptInvitationRequest(token=body.token, password=body.password)
    )
    return rest.out(user, PortalUserOut)


@router.post("/portal/logout", status_code=204, summary="End the portal session")
async def portal_logout(portal: Portal, request: Request) -> Response:
    await portal.call.portal.EndPortalSession(pb.EndPortalSessionRequest(session_id=portal.session_id))
    request.app.state.portal_sessions.forget(portal.session_id)
    return Response(status_code=204)


@router.get("/portal/me", response_model=PortalUserOut, summary="The logged-in portal user")
async def portal_me(portal: Portal) -> PortalUserOut:
    return rest.out(portal.user, PortalUserOut)


# --- the portal user's tickets --------------------------------------------------------------------------


@router.get("/portal/tickets", response_model=PortalTicketsPage, summary="Your organisation's requests")
async def portal_tickets(
    portal: Portal,
    status: Annotated[
        str, Query(max_length=200, description="Comma-separated; open_all = all but resolved, closed")
    ] = "",
    q: Annotated[str, Query(max_length=200, description="Words of the subject, or #number")] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> PortalTicketsPage:
    result = await portal.call.helpdesk.ListTickets(
        hd.ListTicketsRequest(status=status, query=q, limit=limit, cursor=cursor)
    )
    return PortalTicketsPage(
        items=[rest.out(t, PortalTicketOut) for t in result.tickets], next_cursor=result.next_cursor, total=result.total
    )


@router.post("/portal/tickets", response_model=PortalTicketOut, status_code=201, summary="File a request")
async def portal_create_ticket(body: PortalTicketCreate, portal: Portal) -> PortalTicketOut:
    ticket = await portal.call.helpdesk.CreateTicket(
        hd.CreateTicketRequest(
            subject=body.subject, description=body.description, category=body.category, priority=body.priority,
            channel="portal",
        )
    )  # fmt: skip
    return rest.out(ticket, PortalTicketOut)


@router.get("/portal/tickets/{ticket_id}", response_model=PortalTicketOut, summary="One of your requests")
async def portal_ticket(ticket_id: str, portal: Portal) -> PortalTicketOut:
    return rest.out(await portal.call.helpdesk.GetTicket(hd.GetTicketRequest(id=ticket_id)), PortalTicketOut)


@router.get("/portal/tickets/{ticket_id}/messages", response_model=PortalMessagesPage, summary="The request's replies")
async def portal_messages(
    ticket_id: str, portal: Portal, limit: Limit = 100, cursor: Cursor = ""
) -> PortalMessagesPage:
    result = await portal.call.helpdesk.ListMessages(
        hd.ListMessagesRequest(ticket_id=ticket_id, limit=limit, cursor=cursor)
    )
    return PortalMessagesPage(
        items=[rest.out(m, PortalMessageOut) for m in result.messages], next_cursor=result.next_cursor
    )


@router.post("/portal/tickets/{ticket_id}/messages", response_model=PortalMessageOut, status_code=201, summary="Reply")
async def portal_reply(ticket_id: str, body: PortalReplyIn, portal: Portal) -> PortalMessageOut:
    message = await portal.call.helpdesk.AddMessage(
        hd.AddMessageRequest(ticket_id=ticket_id, kind="reply", body=body.body)
    )
    return rest.out(message, PortalMessageOut)


@router.post(
    "/portal/tickets/{ticket_id}/rating",
    response_model=PortalTicketOut,
    summary="Rate a resolved or closed request (1-5)",
)
async def portal_rate(ticket_id: str, body: PortalRatingIn, portal: Portal) -> PortalTicketOut:
    ticket = await portal.call.helpdesk.RateTicket(
        hd.RateTicketRequest(id=ticket_id, rating=body.rating, comment=body.comment)
    )
    return rest.out(ticket, PortalTicketOut)


# --- public knowledge base articles (KnowledgeService as the portal user: published public ones only) ---------


@router.get("/portal/articles", response_model=PortalArticlesPage, summary="Public articles; `q` searches them")
async def portal_articles(
    portal: Portal,
    q: Annotated[str, Query(max_length=500, description='Words in any form, "a phrase", -excluded, or')] = "",
    category_id: Short = "",
    limit: Limit = 20,
    cursor: Cursor = "",
) -> PortalArticlesPage:
    result = await portal.call.knowledge.ListArticles(
        kb.ListArticlesRequest(query=q, category_id=category_id, limit=limit, cursor=cursor)
    )
    return PortalArticlesPage(
        items=[rest.out(a, PortalArticleOut) for a in result.articles], next_cursor=result.next_cursor
    )


@router.get("/portal/articles/{article_id}", response_model=PortalArticleOut, summary="A public article (read)")
async def portal_article(article_id: str, portal: Portal) -> PortalArticleOut:
    article = await portal.call.knowledge.GetArticle(kb.GetArticleRequest(id=article_id, count_view=True))
    return rest.out(article, PortalArticleOut)


@router.post(
    "/portal/articles/{article_id}/vote",
    response_model=PortalArticleOut,
    summary="Was it helpful? One vote per portal user; voting again replaces it",
)
async def portal_vote(article_id: str, body: PortalVoteIn, portal: Portal) -> PortalArticleOut:
    article = await portal.call.knowledge.VoteArticle(kb.VoteArticleRequest(id=article_id, helpful=body.helpful))
    return rest.out(article, PortalArticleOut)


# --- files of the portal user's requests (documents' attachments of record type "ticket", as the portal user) ---

FILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.get(
    "/portal/tickets/{ticket_id}/attachments",
    response_model=Page[AttachmentOut],
    summary="The request's files, newest first",
)
async def portal_attachments(ticket_id: str, portal: Portal) -> Page[AttachmentOut]:
    result = await portal.call.attachments.ListAttachments(
        documents.ListAttachmentsRequest(record_type=documents.RECORD_TYPE_TICKET, record_id=ticket_id)
    )
    return Page[AttachmentOut](items=[attachment_out(a) for a in result.attachments], next_cursor="")


@router.post(
    "/portal/tickets/{ticket_id}/attachments",
    response_model=AttachmentOut,
    status_code=201,
    summary="Attach a file to a request (multipart: file)",
    openapi_extra=FILE_BODY,
)
async def portal_attach(ticket_id: str, request: Request, portal: Portal) -> AttachmentOut:
    return await upload_file(request, portal.call, {"record_type": "ticket", "record_id": ticket_id})


@router.get(
    "/portal/attachments/{attachment_id}/content",
    summary="A file of one of your requests; ?inline=1 shows images and PDFs in the browser",
    response_class=StreamingResponse,
    responses={200: {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def portal_download(
    attachment_id: str,
    portal: Portal,
    version: Annotated[int, Query(ge=0, le=1_000_000, description="0 or absent: the latest")] = 0,
    inline: Annotated[bool, Query(description="Show an image or a PDF in the page instead of downloading")] = False,
) -> Response:
    return await download_file(portal.call, attachment_id, version, inline)


# --- staff: portal users --------------------------------------------------------------------------------


@router.get("/portal-users", response_model=PortalUsersPage, summary="Portal users (support staff, admins)")
async def list_portal_users(
    call: Call,
    organisation_id: Short = "",
    party_id: Short = "",
    status: Annotated[str, Query(max_length=20, description="invited, active or inactive")] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> PortalUsersPage:
    result = await call.portal.ListPortalUsers(
        pb.ListPortalUsersRequest(
            organisation_id=organisation_id, party_id=party_id, status=status, query=q, limit=limit, cursor=cursor
        )
    )
    return PortalUsersPage(
        items=[rest.out(u, PortalUserOut) for u in result.users], next_cursor=result.next_cursor, total=result.total
    )


@router.post(
    "/portal-users",
    response_model=PortalUserOut,
    status_code=201,
    summary="Invite a client contact to the portal (or invite again: the earlier link stops working)",
)
async def invite_portal_user(body: PortalUserInvite, call: Call) -> PortalUserOut:
    user = await call.portal.InvitePortalUser(
        pb.InvitePortalUserRequest(party_id=body.party_id, email=body.email, language=body.language)
    )
    return rest.out(user, PortalUserOut)


@router.get("/portal-users/{user_id}", response_model=PortalUserOut, summary="A portal user")
async def get_portal_user(user_id: str, call: Call) -> PortalUserOut:
    return rest.out(await call.portal.GetPortalUser(pb.GetPortalUserRequest(id=user_id)), PortalUserOut)


@router.post(
    "/portal-users/{user_id}/deactivate", response_model=PortalUserOut, summary="Deactivate (ends their sessions)"
)
async def deactivate_portal_user(user_id: str, call: Call) -> PortalUserOut:
    user = await call.portal.SetPortalUserActive(pb.SetPortalUserActiveRequest(id=user_id, active=False))
    return rest.out(user, PortalUserOut)


@router.post("/portal-users/{user_id}/reactivate", response_model=PortalUserOut, summary="Reactivate")
async def reactivate_portal_user(user_id: str, call: Call) -> PortalUserOut:
    user = await call.portal.SetPortalUserActive(pb.SetPortalUserActiveRequest(id=user_id, active=True))
    return rest.out(user, PortalUserOut)
