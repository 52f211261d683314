"""NPS surveys: staff ask a marketing segment's people "how likely are you to recommend us" by e-mail.

Sending lists the segment as the caller sees it (marketing's rule), adds one
recipient per person with an e-mail (unique per survey, so a second send only
reaches new members and those whose mail failed), commits them with their
hashed one-time tokens, then mails each. A recipient answers once through their
link: a second answer is refused (nps_already_answered), so a forwarded link
cannot rewrite an answer. Each answer publishes nps.answered with the survey's
scope and the person's and their company's party ids (their timelines show it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import helpdesk_pb2 as events
from crm_core.acl import check_team_assignment, visible_to
from crm_core.audit import record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, NotFound, PermissionDenied
from crm_core.events import Namespace, record_event
from crm_core.languages import Bilingual
from crm_core.mail import Mailer, MailError, build_message
from crm_core.pagination import Page, clamp_limit
from crm_core.resources import Order, keyset_page
from crm_core.scopes import scope_of_record
from crm_helpdesk import DOMAIN
from crm_helpdesk.portal import portal_user_id_of, require_system
from crm_helpdesk.portal_inputs import AnswerInput, SurveyInput, token_digest
from crm_helpdesk.portal_models import NpsRecipientRow, NpsSurveyRow
from crm_helpdesk.portal_peers import PortalPeers
from crm_helpdesk.portal_settings import PortalSettings

NPS_ROLES = frozenset({"marketing", "support"})
QUESTION = Bilingual(
    "Насколько вероятно, что вы порекомендуете нас друзьям или коллегам?",
    "How likely are you to recommend us to a friend or colleague?",
)
MAIL = {
    "ru": (
        "{name}: ваше мнение",
        "Здравствуйте, {person}!\n\n{question}\nОтветьте по ссылке, это займёт минуту:\n\n{link}\n",
    ),
    "en": (
        "{name}: your opinion",
        "Hello {person},\n\n{question}\nAnswer at this link, it takes a minute:\n\n{link}\n",
    ),
}


# Surveys newest first; a survey's answers newest first.
_SURVEYS = Order("nps_surveys", [(NpsSurveyRow.created_at, True), (NpsSurveyRow.id, True)], ["datetime", "uuid"])
_ANSWERS = Order("nps_answers", [(NpsRecipientRow.answered_at, True), (NpsRecipientRow.id, True)], ["datetime", "uuid"])


def group_of(score: int) -> str:
    """NPS groups: promoters 9-10, passives 7-8, detractors 0-6."""
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def nps_score(promoters: int, passives: int, detractors: int) -> int:
    """% promoters - % detractors, rounded half away from zero: -100..100 (0 without answers)."""
    total = promoters + passives + detractors
    if not total:
        return 0
    value = (promoters - detractors) * 100 / total
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


@dataclass(frozen=True)
class SurveyCounts:
    recipients: int
    answers: int


@dataclass(frozen=True)
class Results:
    survey: NpsSurveyRow
    counts: SurveyCounts
    promoters: int
    passives: int
    detractors: int
    answers: Page[NpsRecipientRow]


@dataclass(frozen=True)
class SendOutcome:
    sent: int
    skipped: int
    failed: int


def require_nps_staff(caller: Caller, action: str) -> None:
    """PERMISSION_DENIED nps_staff_only unless an admin or the role "marketing" or "support"."""
    if portal_user_id_of(caller) or not (caller.is_admin or caller.roles & NPS_ROLES):
        raise PermissionDenied("nps_staff_only", f"only admins, marketing or support can {action}")


def survey_not_found(survey_id: str) -> NotFound:
    return NotFound("survey_not_found", f"survey {survey_id[:64]} not found")


class Nps:
    """Commands and reads of NPS surveys."""

    def __init__(
        self, db: Database, namespace: Namespace, clock: Clock, peers: PortalPeers, mailer: Mailer,
        settings: PortalSettings,
    ) -> None:  # fmt: skip
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.peers = peers
        self.mailer = mailer
        self.settings = settings

    async def create(self, caller: Caller, data: SurveyInput) -> NpsSurveyRow:
        require_nps_staff(caller, "create surveys")
        check_team_assignment(caller, data.team_id)
        question = Bilingual.both(data.question_ru, data.question_en) or QUESTION
        now = self.clock.now()
        async with self.db.transaction() as session:
            survey = NpsSurveyRow(
                id=new_id(), name=data.name, question_ru=question.ru, question_en=question.en,
                segment_id=data.segment_id, status="draft", owner_id=caller.user_id, team_id=data.team_id or None,
                shared_with=[], created_at=now, updated_at=now, version=1,
            )  # fmt: skip
            session.add(survey)
            record_audit(
                session, entity_type="nps_survey", entity_id=survey.id, action="created", actor_id=caller.user_id,
                changes={"name": {"old": None, "new": data.name}, "segment_id": {"old": None, "new": data.segment_id}},
            )  # fmt: skip
        return survey

    async def get(self, caller: Caller, survey_id: str) -> tuple[NpsSurveyRow, SurveyCounts]:
        require_nps_staff(caller, "read surveys")
        async with self.db.readers() as session:
            survey = await self._visible(session, caller, survey_id)
            return survey, await _counts(session, survey.id)

    async def list(self, caller: Caller, limit: int, cursor: str) -> tuple[Page[NpsSurveyRow], int]:
        require_nps_staff(caller, "read surveys")
        limit = clamp_limit(limit)
        statement = select(NpsSurveyRow).where(visible_to(caller, NpsSurveyRow))
        async with self.db.readers() as session:
            total = await session.scalar(
                select(func.count()).select_from(NpsSurveyRow).where(visible_to(caller, NpsSurveyRow))
            )
            page = await keyset_page(session, statement, _SURVEYS, limit, cursor)
        return page, int(total or 0)

    async def counts(self, survey_id: str) -> SurveyCounts:
        async with self.db.readers() as session:
            return await _counts(session, survey_id)

    async def send(self, caller: Caller, survey_id: str) -> tuple[NpsSurveyRow, SendOutcome]:
        """Mail the survey to the segment's people not mailed yet (and those whose mail failed)."""
        require_nps_staff(caller, "send surveys")
        async with self.db.readers() as session:
            survey = await self._visible(session, caller, survey_id)
            known = dict(
                (await session.execute(
                    select(NpsRecipientRow.party_id, NpsRecipientRow.status).where(
                        NpsRecipientRow.survey_id == survey.id
                    )
                )).all()
            )  # fmt: skip
        skipped = 0
        new: list[dict[str, object]] = []
        tokens: dict[str, str] = {}
        async for member in self.peers.segment_people(caller, survey.segment_id):
            # Leads are not asked; companies neither (they are not people who answer).
            if member.kind != "party" or not member.email or known.get(member.id) in ("sent", "pending"):
                skipped += 1
                continue
            if member.id in known:  # failed before: mailed again with a new token
                tokens[member.id] = secrets.token_urlsafe(32)
                continue
            person = await self.peers.person(caller, member.id)
            if person.kind != "person":
                skipped += 1
                continue
            token = secrets.token_urlsafe(32)
            tokens[member.id] = token
            new.append(
                {
                    "id": new_id(), "survey_id": survey.id, "party_id": member.id,
                    "organisation_id": person.organisation_id or None, "name": member.name,
                    "email": member.email.lower(), "language": "ru", "token_hash": token_digest(token),
                    "status": "pending", "error": "", "comment": "", "created_at": self.clock.now(),
                }
            )  # fmt: skip
        now = self.clock.now()
        async with self.db.transaction() as session:
            if new:
                await session.execute(insert(NpsRecipientRow).values(new).on_conflict_do_nothing())
            for party_id, token in tokens.items():
                if party_id in known:
                    row = await session.scalar(
                        select(NpsRecipientRow).where(
                            NpsRecipientRow.survey_id == survey.id, NpsRecipientRow.party_id == party_id
                        )
                    )
                    if row is not None:
                        row.token_hash, row.status = token_digest(token), "pending"
            survey = await self._visible(session, caller, survey_id, lock=True)
            if survey.status == "draft":
                survey.status, survey.sent_at = "sent", now
            survey.updated_at, survey.version = now, survey.version + 1
            record_audit(
                session, entity_type="nps_survey", entity_id=survey.id, action="sent", actor_id=caller.user_id,
                changes={"recipients": {"old": len(known), "new": len(known) + len(new)}},
            )  # fmt: skip
            recipients = (
                await session.scalars(
                    select(NpsRecipientRow).where(
                        NpsRecipientRow.survey_id == survey.id, NpsRecipientRow.party_id.in_(list(tokens))
                    )
                )
            ).all()
        sent = failed = 0
        for recipient in recipients:
            ok = await self._mail(survey, recipient, tokens[recipient.party_id])
            sent, failed = sent + ok, failed + (not ok)
        return survey, SendOutcome(sent, skipped, failed)

    async def _mail(self, survey: NpsSurveyRow, recipient: NpsRecipientRow, token: str) -> bool:
        language = "en" if recipient.language == "en" else "ru"
        subject, body = MAIL[language]
        question = survey.question_en if language == "en" else survey.question_ru
        error = ""
        try:
            await self.mailer.send(
                build_message(
                    sender=self.mailer.settings.mail_from,
                    to=recipient.email,
                    subject=subject.format(name=survey.name),
                    text=body.format(
                        person=recipient.name or recipient.email,
                        question=question,
                        link=self.settings.portal_link(f"nps/{token}"),
                    ),
                )
            )
        except (MailError, ValueError) as exc:
            error = str(exc)[:300]
        async with self.db.transaction() as session:
            row = await session.get(NpsRecipientRow, recipient.id, with_for_update=True)
            if row is not None:
                row.status, row.error = ("failed", error) if error else ("sent", "")
                row.sent_at = None if error else self.clock.now()
        return not error

    async def results(self, caller: Caller, survey_id: str, limit: int, cursor: str) -> Results:
        """The survey's groups, score and answers (newest first)."""
        require_nps_staff(caller, "read survey results")
        limit = clamp_limit(limit)
        async with self.db.readers() as session:
            survey = await self._visible(session, caller, survey_id)
            score = NpsRecipientRow.score
            promoters, passives, detractors = (
                await session.execute(
                    select(
                        func.count(case((score >= 9, 1))),
                        func.count(case((score.between(7, 8), 1))),
                        func.count(case((score <= 6, 1))),
                    ).where(NpsRecipientRow.survey_id == survey.id)
                )
            ).one()
            statement = select(NpsRecipientRow).where(
                NpsRecipientRow.survey_id == survey.id, NpsRecipientRow.answered_at.is_not(None)
            )
            page = await keyset_page(session, statement, _ANSWERS, limit, cursor)
            counts = await _counts(session, survey.id)
        return Results(survey, counts, int(promoters), int(passives), int(detractors), page)

    async def form(self, caller: Caller, token: str) -> tuple[NpsSurveyRow, NpsRecipientRow]:
        """The survey and recipient of a link's token (the public page, through the gateway)."""
        require_system(caller)
        async with self.db.readers() as session:
            return await _by_token(session, token)

    async def answer(self, caller: Caller, data: AnswerInput) -> NpsRecipientRow:
        """Record a recipient's answer once, audited, and publish nps.answered."""
        require_system(caller)
        now = self.clock.now()
        async with self.db.transaction() as session:
            survey, recipient = await _by_token(session, data.token, lock=True)
            if recipient.answered_at is not None:
                raise FailedPrecondition("nps_already_answered", "this survey was already answered")
            recipient.score, recipient.comment, recipient.answered_at = data.score, data.comment, now
            actor = Caller(f"party:{recipient.party_id}")
            record_audit(
                session, entity_type="nps_answer", entity_id=recipient.id, action="answered", actor_id=actor.user_id,
                changes={"score": {"old": None, "new": data.score}, "comment": {"old": None, "new": data.comment}},
            )  # fmt: skip
            payload = events.NpsAnswered(
                survey_id=survey.id, survey_name=survey.name, answer_id=recipient.id, score=data.score,
                group=group_of(data.score), comment=data.comment, party_id=recipient.party_id,
                organisation_id=recipient.organisation_id or "",
            )  # fmt: skip
            await record_event(
                session, self.namespace, DOMAIN, "nps.answered", subject_id=recipient.id, payload=payload,
                actor=actor, party_ids=[p for p in (recipient.party_id, recipient.organisation_id) if p],
                summary=f"{survey.name}: {data.score}", scopes=[scope_of_record("nps_survey", survey)],
            )  # fmt: skip
        return recipient

    async def _visible(self, session: AsyncSession, caller: Caller, survey_id: str, lock: bool = False) -> NpsSurveyRow:
        statement = select(NpsSurveyRow).where(NpsSurveyRow.id == survey_id, visible_to(caller, NpsSurveyRow))
        survey = await session.scalar(statement.with_for_update() if lock else statement)
        if survey is None:
            raise survey_not_found(survey_id)
        return survey


async def _counts(session: AsyncSession, survey_id: str) -> SurveyCounts:
    recipients, answers = (
        await session.execute(
            select(func.count(), func.count(NpsRecipientRow.answered_at)).where(NpsRecipientRow.survey_id == survey_id)
        )
    ).one()
    return SurveyCounts(int(recipients), int(answers))


async def _by_token(session: AsyncSession, token: str, lock: bool = False) -> tuple[NpsSurveyRow, NpsRecipientRow]:
    statement = select(NpsRecipientRow).where(NpsRecipientRow.token_hash == token_digest(token))
    recipient = await session.scalar(statement.with_for_update() if lock else statement)
    survey = await session.get(NpsSurveyRow, recipient.survey_id) if recipient is not None else None
    if recipient is None or survey is None:
        raise NotFound("nps_link_invalid", "this survey link is unknown")
    return survey, recipient
