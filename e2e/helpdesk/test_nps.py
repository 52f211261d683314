"""NPS through the gateway: marketing surveys a segment, each person answers once on the public page, the score
adds up, and the answer lands on the person's timeline; others' surveys are 404; bad answers are refused."""

from __future__ import annotations

import uuid

import pytest

from crm_core.testing import eventually

from .portal import link_from_mail, person_of

pytestmark = pytest.mark.e2e


async def _segment(api, tag: str) -> str:  # type: ignore[no-untyped-def]
    body = {"name": f"NPS {tag}", "kind": "dynamic", "source": "parties",
            "filters": [{"field": "tags", "op": "in", "value": tag}]}  # fmt: skip
    response = await api.post("/api/v1/segments", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_survey_is_answered_once_and_lands_on_the_person_s_timeline(  # type: ignore[no-untyped-def]
    users, anonymous, mail_server
) -> None:
    team = await users.team("nps")
    marketer = await users.user([team], ["marketing"])
    tag = f"nps-{uuid.uuid4().hex[:6]}"
    people = [await person_of(marketer.client, tag=tag) for _ in range(3)]
    created = await marketer.client.post(
        "/api/v1/nps/surveys", json={"name": "Осень 2026", "segment_id": await _segment(marketer.client, tag)}
    )
    assert created.status_code == 201, created.text
    survey = created.json()
    sent = await marketer.client.post(f"/api/v1/nps/surveys/{survey['id']}/send")
    assert (sent.status_code, sent.json()["sent"], sent.json()["survey"]["status"]) == (200, 3, "sent")
    again = (await marketer.client.post(f"/api/v1/nps/surveys/{survey['id']}/send")).json()
    assert (again["sent"], again["skipped"]) == (0, 3)

    tokens = [await link_from_mail(mail_server, p["email"], "nps") for p in people]
    form = (await anonymous.get(f"/api/v1/public/nps/{tokens[0]}")).json()
    assert form["survey_name"] == "Осень 2026" and "порекомендуете" in form["question"]
    for token, score in zip(tokens, [10, 8, 2], strict=True):
        answer = await anonymous.post(f"/api/v1/public/nps/{token}", json={"score": score, "comment": "Хорошо"})
        assert answer.status_code == 201, answer.text
    twice = await anonymous.post(f"/api/v1/public/nps/{tokens[0]}", json={"score": 0})
    assert (twice.status_code, twice.json()["code"]) == (409, "nps_already_answered")
    assert (await anonymous.get(f"/api/v1/public/nps/{tokens[0]}")).json()["answered"] is True

    results = (await marketer.client.get(f"/api/v1/nps/surveys/{survey['id']}/results")).json()
    assert (results["promoters"], results["passives"], results["detractors"], results["score"]) == (1, 1, 1, 0)
    assert len(results["answers"]) == 3

    async def answered_on_timeline() -> dict | None:
        page = await marketer.client.get(f"/api/v1/parties/{people[0]['id']}/timeline")
        return next((i for i in page.json().get("items", []) if i["type"] == "nps.answered"), None)

    entry = await eventually(answered_on_timeline, timeout=15)
    assert entry["data"]["score"] == 10 and entry["data"]["group"] == "promoter"


async def test_surveys_are_hidden_from_other_teams_and_bad_answers_are_refused(users, anonymous) -> None:  # type: ignore[no-untyped-def]
    marketer = await users.user([await users.team("nps-a")], ["marketing"])
    survey = (
        await marketer.client.post("/api/v1/nps/surveys", json={"name": "Тихий", "segment_id": str(uuid.uuid4())})
    ).json()
    outsider = await users.user([await users.team("nps-b")], ["marketing"])
    hidden = await outsider.client.get(f"/api/v1/nps/surveys/{survey['id']}")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "survey_not_found")
    listed = (await outsider.client.get("/api/v1/nps/surveys")).json()
    assert survey["id"] not in {s["id"] for s in listed["items"]}
    sales = await users.user([await users.team("nps-c")], ["sales"])
    refused = await sales.client.get("/api/v1/nps/surveys")
    assert (refused.status_code, refused.json()["code"]) == (403, "nps_staff_only")
    for body in ({"score": 11}, {"score": -1}, {"score": "7"}, {"score": 5, "comment": "x" * 2001}):
        assert (await anonymous.post("/api/v1/public/nps/whatever", json=body)).status_code == 422, body
    unknown = await anonymous.post("/api/v1/public/nps/whatever", json={"score": 5})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "nps_link_invalid")
    bad = await marketer.client.post("/api/v1/nps/surveys", json={"name": "x", "segment_id": "not-an-id"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "segment_id"
