"""gRPC servicers of crm.helpdesk.v1.PortalService and NpsService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import grpc

from crm.helpdesk.v1 import portal_pb2 as pb
from crm.helpdesk.v1 import portal_pb2_grpc
from crm_core.auth import current_caller
from crm_core.mail import Mailer
from crm_core.peers import PeerChannels
from crm_core.protojson import timestamp
from crm_core.service import ServiceApp
from crm_helpdesk.nps import Nps, SurveyCounts, group_of, nps_score
from crm_helpdesk.portal import Portal, status_of
from crm_helpdesk.portal_inputs import (
    parse_accept,
    parse_answer,
    parse_id,
    parse_invite,
    parse_portal_user_query,
    parse_survey,
)
from crm_helpdesk.portal_models import NpsRecipientRow, NpsSurveyRow, PortalUserRow
from crm_helpdesk.portal_peers import PortalPeers
from crm_helpdesk.portal_settings import PortalSettings
from crm_helpdesk.settings import HelpdeskSettings

Context: TypeAlias = grpc.aio.ServicerContext


def portal_user_message(user: PortalUserRow, invitation_expires_at: datetime | None = None) -> pb.PortalUser:
    return pb.PortalUser(
        id=user.id,
        email=user.email,
        name=user.name,
        party_id=user.party_id,
        organisation_id=user.organisation_id or "",
        language=user.language,
        active=user.active,
        status=status_of(user),
        invited_by=user.invited_by,
        invited_at=timestamp(user.invited_at),
        activated_at=timestamp(user.activated_at),
        invitation_expires_at=timestamp(invitation_expires_at),
        version=user.version,
    )


def survey_message(survey: NpsSurveyRow, counts: SurveyCounts) -> pb.Survey:
    return pb.Survey(
        id=survey.id,
        name=survey.name,
        question_ru=survey.question_ru,
        question_en=survey.question_en,
        segment_id=survey.segment_id,
        status=survey.status,
        owner_id=survey.owner_id,
        team_id=survey.team_id or "",
        recipients=counts.recipients,
        answers=counts.answers,
        sent_at=timestamp(survey.sent_at),
        created_at=timestamp(survey.created_at),
        version=survey.version,
    )


def answer_message(row: NpsRecipientRow) -> pb.NpsAnswer:
    score = row.score if row.score is not None else 0
    return pb.NpsAnswer(
        id=row.id,
        survey_id=row.survey_id,
        party_id=row.party_id,
        organisation_id=row.organisation_id or "",
        name=row.name,
        email=row.email,
        score=score,
        group=group_of(score) if row.answered_at else "",
        comment=row.comment,
        answered_at=timestamp(row.answered_at),
    )


class PortalServicer(portal_pb2_grpc.PortalServiceServicer):
    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    async def InvitePortalUser(self, request: pb.InvitePortalUserRequest, context: Context) -> pb.PortalUser:
        """Invite (or invite again) a person the caller sees; mails the one-time link."""
        user, expires = await self.portal.invite(current_caller(), parse_invite(request))
        return portal_user_message(user, expires)

    async def ListPortalUsers(self, request: pb.ListPortalUsersRequest, context: Context) -> pb.ListPortalUsersResponse:
        """Portal users by organisation, person, status or words (staff)."""
        page, total = await self.portal.list_users(
            current_caller(), parse_portal_user_query(request), request.limit, request.cursor
        )
        return pb.ListPortalUsersResponse(
            users=[portal_user_message(u) for u in page.items], next_cursor=page.next_cursor, total=total
        )

    async def GetPortalUser(self, request: pb.GetPortalUserRequest, context: Context) -> pb.PortalUser:
        """One portal user (staff), or the portal caller themself."""
        user, expires = await self.portal.get_user(current_caller(), parse_id(request.id))
        return portal_user_message(user, expires)

    async def SetPortalUserActive(self, request: pb.SetPortalUserActiveRequest, context: Context) -> pb.PortalUser:
        """Deactivate (ends their sessions) or reactivate a portal user (staff)."""
        return portal_user_message(await self.portal.set_active(current_caller(), parse_id(request.id), request.active))

    async def AcceptInvitation(self, request: pb.AcceptInvitationRequest, context: Context) -> pb.PortalUser:
        """Set the password of an invitation (the gateway, system caller)."""
        return portal_user_message(await self.portal.accept(current_caller(), parse_accept(request)))

    async def AuthenticatePortalUser(
        self, request: pb.AuthenticatePortalUserRequest, context: Context
    ) -> pb.PortalSession:
        """Check e-mail and password and open a session (the gateway, system caller)."""
        email = request.email.strip().lower()[:300]
        session_id, user = await self.portal.authenticate(current_caller(), email, request.password[:200])
        return pb.PortalSession(session_id=session_id, user=portal_user_message(user))

    async def CheckPortalSession(self, request: pb.CheckPortalSessionRequest, context: Context) -> pb.PortalUser:
        """The user of a live session; NOT_FOUND session_ended otherwise."""
        return portal_user_message(await self.portal.check_session(current_caller(), request.session_id))

    async def EndPortalSession(
        self, request: pb.EndPortalSessionRequest, context: Context
    ) -> pb.EndPortalSessionResponse:
        """Log out."""
        await self.portal.end_session(current_caller(), request.session_id)
        return pb.EndPortalSessionResponse()


class NpsServicer(portal_pb2_grpc.NpsServiceServicer):
    def __init__(self, nps: Nps) -> None:
        self.nps = nps

    async def CreateSurvey(self, request: pb.CreateSurveyRequest, context: Context) -> pb.Survey:
        """A draft survey of a segment, owned by the caller."""
        survey = await self.nps.create(current_caller(), parse_survey(request))
        return survey_message(survey, SurveyCounts(0, 0))

    async def GetSurvey(self, request: pb.GetSurveyRequest, context: Context) -> pb.Survey:
        """A survey the caller sees, with its counts."""
        survey, counts = await self.nps.get(current_caller(), parse_id(request.id))
        return survey_message(survey, counts)

    async def ListSurveys(self, request: pb.ListSurveysRequest, context: Context) -> pb.ListSurveysResponse:
        """Surveys the caller sees, newest first."""
        page, total = await self.nps.list(current_caller(), request.limit, request.cursor)
        surveys = [survey_message(s, await self.nps.counts(s.id)) for s in page.items]
        return pb.ListSurveysResponse(surveys=surveys, next_cursor=page.next_cursor, total=total)

    async def SendSurvey(self, request: pb.SendSurveyRequest, context: Context) -> pb.SendSurveyResponse:
        """Mail the survey to the segment's people not mailed yet."""
        survey, outcome = await self.nps.send(current_caller(), parse_id(request.id))
        return pb.SendSurveyResponse(
            sent=outcome.sent,
            skipped=outcome.skipped,
            failed=outcome.failed,
            survey=survey_message(survey, await self.nps.counts(survey.id)),
        )

    async def GetSurveyResults(self, request: pb.GetSurveyResultsRequest, context: Context) -> pb.SurveyResults:
        """Groups, score and answers of a survey the caller sees."""
        results = await self.nps.results(current_caller(), parse_id(request.id), request.limit, request.cursor)
        return pb.SurveyResults(
            survey=survey_message(results.survey, results.counts),
            promoters=results.promoters,
            passives=results.passives,
            detractors=results.detractors,
            score=nps_score(results.promoters, results.passives, results.detractors),
            answers=[answer_message(r) for r in results.answers.items],
            next_cursor=results.answers.next_cursor,
        )

    async def GetNpsForm(self, request: pb.GetNpsFormRequest, context: Context) -> pb.NpsForm:
        """The question of a link's token (the public page, system caller)."""
        survey, recipient = await self.nps.form(current_caller(), request.token[:200])
        english = recipient.language == "en"
        return pb.NpsForm(
            survey_name=survey.name,
            question=survey.question_en if english else survey.question_ru,
            language=recipient.language,
            answered=recipient.answered_at is not None,
        )

    async def AnswerNps(self, request: pb.AnswerNpsRequest, context: Context) -> pb.NpsAnswer:
        """Record the answer of a link's token, once (the public page, system caller)."""
        return answer_message(await self.nps.answer(current_caller(), parse_answer(request)))


def add_portal(
    app: ServiceApp, settings: HelpdeskSettings, channels: PeerChannels, portal_settings: PortalSettings | None = None
) -> None:
    """Serve PortalService and NpsService on the app's port, on the helpdesk's peers and mail settings."""
    links = portal_settings or PortalSettings()
    peers = PortalPeers(channels)
    mailer = Mailer(settings.mail)
    portal = Portal(app.db, app.namespace, app.clock, peers, mailer, links)
    nps = Nps(app.db, app.namespace, app.clock, peers, mailer, links)
    for name, registrar, servicer in (
        ("PortalService", portal_pb2_grpc.add_PortalServiceServicer_to_server, PortalServicer(portal)),
        ("NpsService", portal_pb2_grpc.add_NpsServiceServicer_to_server, NpsServicer(nps)),
    ):
        app.add_servicer(registrar, servicer, pb.DESCRIPTOR.services_by_name[name].full_name)
