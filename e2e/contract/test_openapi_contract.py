"""The API keeps its OpenAPI document, whatever it is sent.

Schemathesis reads /api/openapi.json and calls every operation as an admin
with cases built from the document (examples, boundary and invalid values
for each parameter and body field, then generated ones), on a platform of
its own so that what it creates and changes touches no other test. It fails
on any 5xx, any status, media type, header or body the document does not
describe, and any input the document forbids that is accepted. Settings:
schemathesis.toml next to this file; ids of real records: contract_hooks.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from faker import Faker

from crm_core.launcher import Platform, PlatformConfig
from crm_core.testing import RUN_ID

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "artifacts" / "contract"
PASSWORD = "contract-admin-password"
# Generated cases per operation, after the example and boundary cases (more made the whole suite pass 20 minutes
# once the helpdesk added its 60 operations).
EXAMPLES_PER_OPERATION = 5
# The paths one of the two schemathesis processes takes (about half of the operations); the other takes the rest.
FIRST_HALF = "^/api/v1/[a-m]"


@pytest.fixture(scope="module")
def contract_platform() -> Iterator[Platform]:
    platform = Platform(PlatformConfig.isolated(f"k{RUN_ID}", PASSWORD), log_dir=ARTIFACTS / "logs")
    platform.migrate()
    platform.start()
    yield platform
    platform.stop()
    platform.drop_databases()


def seed(api: httpx.Client, fake: Faker) -> dict[str, list[str]]:
    """Records of every kind a path names, so generated cases also reach existing ones (not only 404s)."""

    def made(response: httpx.Response) -> dict:  # type: ignore[type-arg]
        assert response.status_code < 300, response.text
        return response.json()

    tag = uuid.uuid4().hex[:6]
    team = made(api.post("/api/v1/teams", json={"id": f"contract-{tag}", "name": "Договоры"}))["id"]
    victim = made(
        api.post(
            "/api/v1/users",
            json={"username": f"victim{tag}", "display_name": "Victim", "password": "password-123", "team_ids": [team]},
        )
    )
    company = made(api.post("/api/v1/parties", json={"kind": "company", "company": {"legal_name": fake.company()}}))
    person = made(
        api.post(
            "/api/v1/parties",
            json={"kind": "person", "person": {"first_name": fake.first_name(), "last_name": fake.last_name()}},
        )
    )
    pipeline = made(api.get("/api/v1/pipelines"))[0]
    deal = made(
        api.post(
            "/api/v1/deals",
            json={"title": "Поставка", "client_id": company["id"], "pipeline_id": pipeline["id"], "amount": "150000"},
        )
    )
    payment = made(
        api.post(
            f"/api/v1/deals/{deal['id']}/payments",
            json={"status": "expected", "amount": "1000", "due_date": "2027-01-01"},
        )
    )
    task = made(
        api.post("/api/v1/tasks", json={"type": "call", "subject": "Позвонить", "due_at": "2027-01-01T10:00:00+03:00"})
    )
    account = made(api.post("/api/v1/service-accounts", json={"username": f"erp{tag}", "display_name": "1С"}))
    key = made(
        api.post(f"/api/v1/service-accounts/{account['id']}/api-keys", json={"name": "1С", "scopes": ["deals:read"]})
    )
    field = made(
        api.post(
            "/api/v1/custom-fields",
            json={"entity_type": "company", "key": f"f{tag}", "label": "Тендер", "type": "string"},
        )
    )
    saved = made(api.post("/api/v1/saved-filters", json={"name": "Мои", "query": "ООО"}))
    campaign = made(api.post("/api/v1/campaigns", json={"name": f"Выставка {tag}", "type": "exhibition"}))
    campaign = made(
        api.post(
            f"/api/v1/campaigns/{campaign['id']}/costs", json={"date": "2026-05-01", "item": "Стенд", "amount": "1"}
        )
    )
    lead = made(api.post("/api/v1/leads", json={"company_name": fake.company(), "campaign_id": campaign["id"]}))
    form = made(
        api.post(
            "/api/v1/forms",
            json={"name": "Прайс", "fields": [{"name": "email", "type": "email", "label_ru": "Почта"}]},
        )
    )
    entity = made(
        api.post(
            "/api/v1/legal-entities",
            json={
                "name": "ООО «Ромашка»",
                "inn": "7728168971",
                "bik": "044525593",
                "account": "40702810801300000001",
                "correspondent_account": "30101810200000000593",
            },
        )
    )
    lined = made(
        api.post(
            "/api/v1/deals",
            json={
                "title": "Поставка станков",
                "client_id": company["id"],
                "lines": [{"product": "Станок", "quantity": "1", "price": "1000", "vat_rate": "20"}],
            },
        )
    )
    document = made(api.post("/api/v1/documents", json={"deal_id": lined["id"], "doc_type": "invoice"}, timeout=60))
    templates = made(api.get("/api/v1/document-templates"))
    attachment = made(
        api.post(
            "/api/v1/attachments",
            data={"record_type": "deal", "record_id": deal["id"]},
            files={"file": ("Договор.pdf", b"%PDF-1.4\n" + b"0" * 1000, "application/pdf")},
        )
    )
    categories = made(api.get("/api/v1/kb/categories"))
    article = made(api.post("/api/v1/kb/articles", json={"title": "Как оплатить счёт", "body": "Картой или переводом"}))
    return {
        "article_id": [article["id"]],
        "category_id": [c["id"] for c in categories],
        "attachment_id": [attachment["id"]],
        "entity_id": [entity["id"]],
        "document_id": [document["id"]],
        "template_id": [t["id"] for t in templates[:2]],
        "party_id": [company["id"], person["id"]],
        "company_id": [company["id"]],
        "person_id": [person["id"]],
        "deal_id": [deal["id"]],
        "payment_id": [payment["id"]],
        "pipeline_id": [pipeline["id"]],
        "stage_id": [s["id"] for s in pipeline["stages"]],
        "task_id": [task["id"]],
        "user_id": [victim["id"]],
        "account_id": [account["id"]],
        "key_id": [key["id"]],
        "field_id": [field["id"]],
        "filter_id": [saved["id"]],
        "key": ["deal-won-onboarding", "lead-qualification", "new-company-qualification"],
        "code": ["price", "other"],
        "campaign_id": [campaign["id"]],
        "cost_id": [c["id"] for c in campaign["costs"]],
        "lead_id": [lead["id"]],
        "form_id": [form["id"]],
        "token": [form["token"]],
    }


def test_every_operation_answers_as_its_document_says_and_never_with_a_server_error(
    contract_platform: Platform, fake: Faker
) -> None:
    base = contract_platform.config.gateway_url
    with httpx.Client(base_url=base, timeout=15) as api:
        login = api.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        token = login.json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"
        ids = seed(api, fake)
        operations = sum(len(item) for item in api.get("/api/openapi.json").json()["paths"].values())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(HERE),
        "SCHEMATHESIS_HOOKS": "contract_hooks",
        "CRM_CONTRACT_IDS": json.dumps(ids),
        "NO_COLOR": "1",
    }
    # Two schemathesis processes at once, each on half of the paths: the platform answers one while the other
    # builds its cases (its own workers are threads, which its case builder is not safe in).
    runs = [
        subprocess.Popen(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(HERE / "schemathesis.toml"),
                "run",
                f"{base}/api/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                f"--{side}-path-regex",
                FIRST_HALF,
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--generation-deterministic",
                "--report",
                "junit",
                "--report-junit-path",
                str(ARTIFACTS / f"junit-{side}.xml"),
            ],
            env=env,
            cwd=ARTIFACTS,  # schemathesis keeps a cache folder where it runs
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for side in ("include", "exclude")
    ]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    output = "\n".join(outputs)
    (ARTIFACTS / "schemathesis.txt").write_text(output)
    generated = sum(int(found) for found in re.findall(r"(\d+) generated", output))
    tested = sum(int(found) for found in re.findall(r"Tested: (\d+)", output))
    print(
        f"\ncontract: {tested} of {operations} operations, {generated} generated cases (artifacts/contract/schemathesis.txt)"
    )
    for run, text in zip(runs, outputs, strict=True):
        assert run.returncode == 0, text[-6000:]
    assert tested == operations
