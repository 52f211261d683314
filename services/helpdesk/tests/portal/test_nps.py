"""NPS surveys: mailed once to a segment's people with e-mails, answered once through a one-time link,
counted into promoters, passives, detractors and a score; nps.answered names the person and their company."""

from __future__ import annotations

import re
import uuid
from typing import Any

import grpc
import pytest
from sqlalchemy import select

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm.events.v1 import envelope_pb2
from crm.events.v1 import helpdesk_pb2 as events
from crm.helpdesk.v1 import portal_pb2 as pb
from crm.marketing.v1 import marketing_pb2
from crm_core.auth import SYSTEM, Caller
from crm_core.events.outbox import OutboxRow
from crm_core.service import ServiceApp
from crm_core.testing import ALICE, BOB, Rejected, SmtpServer
from crm_helpdesk.nps import nps_score

MARKETER = Caller("u-marketer", frozenset({"marketing"}), frozenset({"team-north"}))


async def _people(stubs: Any, tag: str, count: int, company_id: str = "") -> list[tuple[str, str]]:
    people = []
    for i in range(count):
        email = f"nps-{uuid.uuid4().hex[:8]}@example.ru"
        party = contacts_pb2.Party(
            kind="person", person=contacts_pb2.PersonDetails(first_name=f"Клиент{i}", last_name="Опросов"),
            emails=[contacts_pb2.ContactPoint(kind="work", value=email)], tags=[tag], team_id="team-north",
        )  # fmt: skip
        person = (await stubs.contacts(ALICE).CreateParty(contacts_pb2.CreatePartyRequest(party=party))).party
        if company_id:
            link = contacts_pb2.LinkPersonRequest(company_id=company_id, person_id=person.id)
            await stubs.contacts(ALICE).LinkPerson(link)
        people.append((str(person.id), email))
    return people


async def _segment(stubs: Any, tag: str) -> str:
    segment = marketing_pb2.Segment(
        name=f"NPS {tag}", kind="dynamic", source="parties",
        filters=[common_pb2.Filter(field="tags", op="in", value=tag)],
    )  # fmt: skip
    created = await stubs.marketing(MARKETER).CreateSegment(marketing_pb2.CreateSegmentRequest(segment=segment))
    return str(created.id)


def _token(mail: SmtpServer, address: str) -> str:
    message = [m for m in mail.messages if m["To"] == address][-1]
    match = re.search(r"/portal/#/nps/([\w-]+)", message.get_body(("plain",)).get_content())
    assert match, "no survey link"
    return match.group(1)


@pytest.mark.parametrize(
    ("promoters", "passives", "detractors", "score"),
    [(0, 0, 0, 0), (1, 0, 0, 100), (0, 0, 3, -100), (2, 1, 1, 25), (1, 1, 1, 0), (2, 0, 1, 33)],
)
def test_the_score_is_promoters_minus_detractors_in_percent(
    promoters: int, passives: int, detractors: int, score: int
) -> None:
    assert nps_score(promoters, passives, detractors) == score


async def test_a_survey_is_mailed_once_answered_once_and_lands_on_the_timeline(
    stubs: Any, portal_mail: SmtpServer, portal_app: ServiceApp, rejected: Rejected
) -> None:
    tag = f"nps-{uuid.uuid4().hex[:8]}"
    company = (
        await stubs.contacts(ALICE).CreateParty(
            contacts_pb2.CreatePartyRequest(
                party=contacts_pb2.Party(
                    kind="company", company=contacts_pb2.CompanyDetails(legal_name=f"АО {tag}"), team_id="team-north"
                ),
                allow_duplicate=True,
            )
        )
    ).party.id
    people = await _people(stubs, tag, 3, company)
    survey = await stubs.nps(MARKETER).CreateSurvey(
        pb.CreateSurveyRequest(name="Осень", segment_id=await _segment(stubs, tag), team_id="team-north")
    )
    assert survey.status == "draft" and "порекомендуете" in survey.question_ru

    sent = await stubs.nps(MARKETER).SendSurvey(pb.SendSurveyRequest(id=survey.id))
    assert (sent.sent, sent.failed, sent.survey.status, sent.survey.recipients) == (3, 0, "sent", 3)
    again = await stubs.nps(MARKETER).SendSurvey(pb.SendSurveyRequest(id=survey.id))
    assert (again.sent, again.skipped) == (0, 3)
    late = await _people(stubs, tag, 1)
    assert (await stubs.nps(MARKETER).SendSurvey(pb.SendSurveyRequest(id=survey.id))).sent == 1

    form = await stubs.nps(SYSTEM).GetNpsForm(pb.GetNpsFormRequest(token=_token(portal_mail, people[0][1])))
    assert (form.survey_name, form.answered, form.language) == ("Осень", False, "ru")
    for (_, address), score in zip([*people, *late], [10, 9, 7, 3], strict=True):
        answer = await stubs.nps(SYSTEM).AnswerNps(
            pb.AnswerNpsRequest(token=_token(portal_mail, address), score=score, comment="Спасибо")
        )
    assert answer.group == "detractor"
    second = stubs.nps(SYSTEM).AnswerNps(pb.AnswerNpsRequest(token=_token(portal_mail, people[0][1]), score=0))
    assert (await rejected(second, grpc.StatusCode.FAILED_PRECONDITION)).code == "nps_already_answered"

    results = await stubs.nps(MARKETER).GetSurveyResults(pb.GetSurveyResultsRequest(id=survey.id))
    assert (results.promoters, results.passives, results.detractors, results.score) == (2, 1, 1, 25)
    assert len(results.answers) == 4 and results.survey.answers == 4

    async with portal_app.db.readers() as session:
        rows = (await session.scalars(select(OutboxRow.payload).where(OutboxRow.subject.like("%nps.answered")))).all()
    envelopes = [envelope_pb2.EventEnvelope.FromString(r) for r in rows]
    mine = [e for e in envelopes if e.subject_id == answer.id]
    assert mine, "no nps.answered event"
    payload = events.NpsAnswered()
    mine[0].payload.Unpack(payload)
    assert (payload.score, payload.party_id, payload.organisation_id) == (3, late[0][0], "")
    first = next(e for e in envelopes if e.subject_id == results.answers[-1].id)
    assert set(first.party_ids) == {people[0][0], company}
    assert first.scopes[0].record == f"nps_survey:{survey.id}" and first.scopes[0].team_id == "team-north"


async def test_a_survey_is_hidden_from_other_teams_and_from_sales(stubs: Any, rejected: Rejected) -> None:
    survey = await stubs.nps(MARKETER).CreateSurvey(
        pb.CreateSurveyRequest(name="Скрытый", segment_id=str(uuid.uuid4()), team_id="team-north")
    )
    outsider = Caller("u-south-marketer", frozenset({"marketing"}), frozenset({"team-south"}))
    detail = await rejected(stubs.nps(outsider).GetSurvey(pb.GetSurveyRequest(id=survey.id)), grpc.StatusCode.NOT_FOUND)
    assert detail.code == "survey_not_found"
    assert survey.id not in {s.id for s in (await stubs.nps(outsider).ListSurveys(pb.ListSurveysRequest())).surveys}
    await rejected(stubs.nps(BOB).ListSurveys(pb.ListSurveysRequest()), grpc.StatusCode.PERMISSION_DENIED)


async def test_bad_answers_and_unknown_links_are_refused(stubs: Any, rejected: Rejected) -> None:
    detail = await rejected(
        stubs.nps(SYSTEM).AnswerNps(pb.AnswerNpsRequest(token="abc", score=11, comment="x" * 2001)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {(v.field, v.code) for v in detail.field_violations} == {("score", "out_of_range"), ("comment", "too_long")}
    detail = await rejected(
        stubs.nps(SYSTEM).AnswerNps(pb.AnswerNpsRequest(token="unknown", score=5)), grpc.StatusCode.NOT_FOUND
    )
    assert detail.code == "nps_link_invalid"
    detail = await rejected(
        stubs.nps(MARKETER).CreateSurvey(pb.CreateSurveyRequest(name="", segment_id="x")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {(v.field, v.code) for v in detail.field_violations} == {("name", "required"), ("segment_id", "invalid_id")}
