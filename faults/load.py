"""Mixed writes through the gateway, retried like a careful client, and a ledger of what was acknowledged.

Workers create companies and people, rename the parties they created, open deals on
any acknowledged party and move them through the stages, and create tasks linked to
parties and deals. Every POST carries an Idempotency-Key; on a transport error, a 5xx
or 409 `request_in_progress` the same request (same key, same body) is sent again
with back-off until it is answered or its deadline passes. Every name, title and
subject carries a unique marker (`#<run>-<worker>-<n>`), so the checks find each
write in the databases without the ids the client may never have heard.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from faker import Faker

RETRIED_CONFLICT = "request_in_progress"


@dataclass
class Write:
    """One request as the client sends it, every time the same."""

    op: str
    method: str
    path: str
    body: dict[str, Any]
    marker: str
    key: str | None = None  # Idempotency-Key (POST)
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Party:
    marker: str
    kind: str
    id: str
    worker: int
    # Names in the order they were sent (the create's first); True once acknowledged.
    names: list[tuple[str, bool]] = field(default_factory=list)

    def acceptable_names(self) -> set[str]:
        """Names the party may hold now: the last acknowledged one and any sent after it without an answer."""
        acknowledged = [i for i, (_, ok) in enumerate(self.names) if ok]
        return {n for n, _ in self.names[(acknowledged[-1] if acknowledged else 0) :]}


@dataclass
class Deal:
    marker: str
    id: str
    client_id: str
    # Stage ids in the order moves were sent; True when acknowledged (the first is where it opened).
    stages: list[tuple[str, bool]] = field(default_factory=list)
    next_stage: int = 1
    movable: bool = True

    def acceptable_stages(self) -> set[str]:
        acknowledged = [i for i, (_, ok) in enumerate(self.stages) if ok]
        start = acknowledged[-1] if acknowledged else 0
        return {s for s, _ in self.stages[start:]}


@dataclass
class Ledger:
    """What the client was told (and not told) by the platform."""

    parties: dict[str, Party] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)  # marker -> id
    gave_up: list[Write] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    acknowledged: Counter[str] = field(default_factory=Counter)
    # Answers that made the client send again: "503 service_unavailable", "transport ConnectError", ...
    retried: Counter[str] = field(default_factory=Counter)
    replayed: int = 0  # answers marked Idempotent-Replayed

    @property
    def acknowledged_total(self) -> int:
        return sum(self.acknowledged.values())


class Client:
    """Sends writes with retries; records every answer that was not final."""

    def __init__(self, http: httpx.AsyncClient, ledger: Ledger, request_deadline: float) -> None:
        self.http = http
        self.ledger = ledger
        self.request_deadline = request_deadline

    async def send(self, write: Write, deadline: float | None = None) -> httpx.Response | None:
        """The final answer to `write` (below 500, not "in progress"), or None when the deadline passed."""
        end = time.monotonic() + (deadline if deadline is not None else self.request_deadline)
        headers = {"Idempotency-Key": write.key} if write.key else {}
        delay = 0.1
        while True:
            try:
                response = await self.http.request(
                    write.method, write.path, json=write.body, headers=headers, params=write.params
                )
            except httpx.TransportError as exc:
                self.ledger.retried[f"transport {type(exc).__name__}"] += 1
            else:
                code = _problem_code(response)
                if response.status_code < 500 and code != RETRIED_CONFLICT:
                    if response.headers.get("Idempotent-Replayed") == "true":
                        self.ledger.replayed += 1
                    return response
                self.ledger.retried[f"{response.status_code} {code}"] += 1
            if time.monotonic() + delay > end:
                return None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def _problem_code(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        try:
            return str(response.json().get("code", ""))
        except ValueError:
            return ""
    return ""


@dataclass
class Pipeline:
    """The default pipeline's stages a deal walks: its open stages in order, then won."""

    stage_ids: list[str]


async def login(base_url: str, password: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        response = await http.post("/api/v1/auth/login", json={"username": "admin", "password": password})
        response.raise_for_status()
        return str(response.json()["access_token"])


async def default_pipeline(http: httpx.AsyncClient) -> Pipeline:
    response = await http.get("/api/v1/pipelines")
    response.raise_for_status()
    pipeline = response.json()[0]
    stages = sorted((s for s in pipeline["stages"] if not s["archived"]), key=lambda s: s["position"])
    walk = [s["id"] for s in stages if s["category"] == "open"] + [
        next(s["id"] for s in stages if s["category"] == "won")
    ]
    return Pipeline(walk)


class LoadGenerator:
    """`workers` writers sharing one ledger until stop() (then each finishes the request it is sending)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        workers: int = 8,
        request_deadline: float = 45.0,
        think: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self.base_url = base_url
        self.token = token
        self.workers = workers
        self.request_deadline = request_deadline
        self.think = think
        self.ledger = Ledger()
        self.run_tag = uuid.uuid4().hex[:6]
        self.random = random.Random(seed)
        self.fake = Faker("ru_RU")
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.http: httpx.AsyncClient | None = None
        self.pipeline: Pipeline | None = None
        self._own: dict[int, list[Party]] = {}  # the parties each worker created (only it renames them)

    async def start(self) -> None:
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            limits=httpx.Limits(max_connections=self.workers * 2),
        )
        self.pipeline = await default_pipeline(self.http)
        self._tasks = [asyncio.create_task(self._work(w)) for w in range(self.workers)]

    async def stop(self) -> None:
        """Start no new writes; wait for those being sent (each until its answer or deadline)."""
        self._stopping.set()
        await asyncio.gather(*self._tasks)

    async def close(self) -> None:
        if self.http is not None:
            await self.http.aclose()

    def client(self) -> Client:
        assert self.http is not None
        return Client(self.http, self.ledger, self.request_deadline)

    async def _work(self, worker: int) -> None:
        client = self.client()
        own = self._own.setdefault(worker, [])
        n = 0
        while not self._stopping.is_set():
            n += 1
            marker = f"{self.run_tag}-{worker}-{n}"
            await self._step(client, worker, marker, own)
            if self.think:
                await asyncio.sleep(self.think)

    async def _step(self, client: Client, worker: int, marker: str, own: list[Party]) -> None:
        parties = list(self.ledger.parties.values())
        deals = [d for d in self.ledger.deals.values() if d.movable and d.marker.split("-")[1] == str(worker)]
        roll = self.random.random()
        if len(own) < 2 or roll < 0.22:
            await self._create_party(client, marker, "company" if roll < 0.14 or not own else "person")
        elif roll < 0.42:
            await self._rename(client, self.random.choice(own))
        elif roll < 0.62:
            await self._create_deal(client, marker, self.random.choice(parties))
        elif roll < 0.82 and deals:
            await self._move(client, self.random.choice(deals))
        else:
            party = self.random.choice(parties)
            party_deals = [d for d in self.ledger.deals.values() if d.client_id == party.id]
            await self._create_task(client, marker, party, self.random.choice(party_deals) if party_deals else None)

    async def _create_party(self, client: Client, marker: str, kind: str) -> None:
        if kind == "company":
            body: dict[str, Any] = {"kind": "company", "company": {"legal_name": f"{self.fake.company()} #{marker}"}}
        else:
            name = f"{self.fake.last_name()} #{marker}"
            body = {"kind": "person", "person": {"first_name": self.fake.first_name(), "last_name": name}}
        await self._final(client, Write(f"create_{kind}", "POST", "/api/v1/parties", body, marker, str(uuid.uuid4())))

    async def _rename(self, client: Client, party: Party) -> None:
        base = f"{self.fake.company()}" if party.kind == "company" else self.fake.last_name()
        name = f"{base} #{party.marker} r{len(party.names)}"
        body = {"company": {"legal_name": name}} if party.kind == "company" else {"person": {"last_name": name}}
        party.names.append((name, False))
        await self._final(client, Write("rename", "PATCH", f"/api/v1/parties/{party.id}", body, party.marker))

    async def _create_deal(self, client: Client, marker: str, party: Party) -> None:
        body = {"title": f"Поставка {self.fake.word()} #{marker}", "client_id": party.id, "amount": "150000"}
        await self._final(client, Write("create_deal", "POST", "/api/v1/deals", body, marker, str(uuid.uuid4())))

    async def _move(self, client: Client, deal: Deal) -> None:
        assert self.pipeline is not None
        stage_id = self.pipeline.stage_ids[deal.next_stage]
        deal.stages.append((stage_id, False))
        deal.next_stage += 1
        # Until a move is answered the deal's stage is unknown: it is not moved again.
        deal.movable = False
        path = f"/api/v1/deals/{deal.id}/move"
        await self._final(
            client, Write("move_deal", "POST", path, {"stage_id": stage_id}, deal.marker, str(uuid.uuid4()))
        )

    async def _create_task(self, client: Client, marker: str, party: Party, deal: Deal | None) -> None:
        due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
        links = [{"kind": "party", "id": party.id}] + ([{"kind": "deal", "id": deal.id}] if deal else [])
        body = {"type": "call", "subject": f"Звонок #{marker}", "due_at": due, "links": links}
        await self._final(client, Write("create_task", "POST", "/api/v1/tasks", body, marker, str(uuid.uuid4())))

    async def _final(self, client: Client, write: Write) -> None:
        """Send until answered; record the answer, or that the client gave up."""
        response = await client.send(write)
        if response is None:
            self.ledger.gave_up.append(write)
        else:
            self.record_answer(write, response)

    def is_latest(self, write: Write) -> bool:
        """Whether `write` is still the last change sent to its record (an older rename or move must not
        be sent again: it would undo what came after it)."""
        if write.op == "rename":
            return self.ledger.parties[write.marker].names[-1][0] == _name_in(write.body)
        if write.op == "move_deal":
            return self.ledger.deals[write.marker].stages[-1][0] == write.body["stage_id"]
        return True

    def record_answer(self, write: Write, response: httpx.Response) -> None:
        """Put an answered write into the ledger; an answer other than the success status is a rejection
        (every request here is valid)."""
        expected = 201 if write.op.startswith("create_") else 200
        if response.status_code != expected:
            self.ledger.rejected.append(f"{write.op} {write.marker}: {response.status_code} {response.text[:300]}")
            return
        self.ledger.acknowledged[write.op] += 1
        answer = response.json()
        if write.op in ("create_company", "create_person"):
            worker = int(write.marker.split("-")[1])
            party = Party(write.marker, answer["kind"], answer["id"], worker, [(_name_in(write.body), True)])
            self.ledger.parties[write.marker] = party
            self._own.setdefault(worker, []).append(party)
        elif write.op == "rename":
            party = self.ledger.parties[write.marker]
            name = _name_in(write.body)
            party.names = [(n, ok or n == name) for n, ok in party.names]
        elif write.op == "create_deal":
            self.ledger.deals[write.marker] = Deal(
                write.marker, answer["id"], answer["client_id"], [(answer["stage_id"], True)]
            )
        elif write.op == "move_deal":
            deal = self.ledger.deals[write.marker]
            deal.stages = [(s, ok or s == write.body["stage_id"]) for s, ok in deal.stages]
            deal.movable = deal.next_stage < len(self.pipeline.stage_ids) if self.pipeline else False
        elif write.op == "create_task":
            self.ledger.tasks[write.marker] = answer["id"]


def _name_in(body: dict[str, Any]) -> str:
    """The marked name a party body sets (a company's legal name, a person's last name)."""
    if "company" in body:
        return str(body["company"]["legal_name"])
    return str(body["person"]["last_name"])
