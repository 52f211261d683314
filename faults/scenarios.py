"""The scenarios: each on fresh servers and a fresh platform, load before, during and after one fault."""

from __future__ import annotations

import asyncio
import contextlib
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from crm_core.launcher import Platform, PlatformConfig
from faults.check import Findings, Snapshot, caught_up, check, read_databases, read_streams
from faults.load import Client, LoadGenerator, login
from faults.servers import NatsServer, PostgresCluster, pause, resume

ADMIN_PASSWORD = "faults-admin-password"


@dataclass
class Settings:
    """Durations and sizes of a run (python -m faults --help)."""

    workers: int = 8
    before: float = 8.0  # seconds of load before the fault
    after: float = 10.0  # seconds of load after the fault ended
    pause: float = 15.0  # how long NATS is frozen
    outage: float = 3.0  # how long a killed server or process stays down
    lease: float = 2.0  # CRM_GATEWAY_IDEMPOTENCY_LEASE_SECONDS
    request_deadline: float = 45.0  # how long the client retries one request
    settle_timeout: float = 120.0  # how long the checks wait for publishing and projections
    think: float = 0.0  # seconds a worker waits between writes
    log_dir: Path = Path("artifacts/faults/logs")


@dataclass
class Stage:
    """One scenario's servers and platform."""

    postgres: PostgresCluster
    nats: NatsServer
    platform: Platform
    settings: Settings


Fault = Callable[[Stage], Awaitable[str]]


async def nats_pause(stage: Stage) -> str:
    pause(stage.nats)
    await asyncio.sleep(stage.settings.pause)
    resume(stage.nats)
    return f"nats-server frozen (SIGSTOP) for {stage.settings.pause:g}s, then SIGCONT"


async def nats_restart(stage: Stage) -> str:
    stage.nats.kill()
    await asyncio.sleep(stage.settings.outage)
    await asyncio.to_thread(stage.nats.start)
    return f"nats-server killed (SIGKILL), started again after {stage.settings.outage:g}s"


async def nats_wipe(stage: Stage) -> str:
    stage.nats.kill()
    stage.nats.wipe()
    await asyncio.sleep(stage.settings.outage)
    await asyncio.to_thread(stage.nats.start)
    return f"nats-server killed, its JetStream store deleted, started empty after {stage.settings.outage:g}s"


async def services_kill(stage: Stage) -> str:
    for name in ("contacts", "deals"):
        stage.platform.kill(name)
    await asyncio.sleep(stage.settings.outage)
    for name in ("contacts", "deals"):
        await asyncio.to_thread(stage.platform.respawn, name)
    return f"contacts and deals killed (SIGKILL), started again after {stage.settings.outage:g}s"


async def postgres_kill(stage: Stage) -> str:
    stage.postgres.kill()
    await asyncio.sleep(stage.settings.outage)
    await asyncio.to_thread(stage.postgres.start)
    return f"PostgreSQL killed (SIGKILL to every server process), started again after {stage.settings.outage:g}s"


async def gateway_kill(stage: Stage) -> str:
    stage.platform.kill("gateway")
    await asyncio.to_thread(stage.platform.respawn, "gateway")
    return (
        f"gateway killed (SIGKILL) with keyed requests in flight, a new one started (lease {stage.settings.lease:g}s)"
    )


SCENARIOS: dict[str, Fault] = {
    "nats-pause": nats_pause,
    "nats-restart": nats_restart,
    "nats-wipe": nats_wipe,
    "service-kill": services_kill,
    "postgres-kill": postgres_kill,
    "gateway-kill": gateway_kill,
}


@dataclass
class Result:
    """What one scenario found."""

    name: str
    fault: str = ""
    acknowledged: dict[str, int] = field(default_factory=dict)
    retried: dict[str, int] = field(default_factory=dict)
    replayed: int = 0
    gave_up: int = 0
    recovered: int = 0  # gave up during the load, answered when retried after it
    rejected: list[str] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    recovered_s: float | None = None  # fault end -> everything written up to then published and projected
    settled_s: float | None = None  # load end -> every check complete
    seconds: float = 0.0
    error: str = ""

    @property
    def internal_errors(self) -> int:
        """500 answers: a fault deserves a 503 (retry), a 500 says the platform did not expect it."""
        return sum(n for answer, n in self.retried.items() if answer.startswith("500 "))

    @property
    def passed(self) -> bool:
        return (
            not self.error
            and not self.rejected
            and not self.internal_errors
            and self.findings.passed
            and self.recovered_s is not None
        )


async def run_scenario(name: str, fault: Fault, settings: Settings) -> Result:
    """Fresh servers and platform, load, the fault, more load, then the checks; everything stopped after."""
    started = time.monotonic()
    result = Result(name)
    postgres, nats_server = PostgresCluster(), NatsServer()
    platform: Platform | None = None
    try:
        await asyncio.to_thread(postgres.init)
        await asyncio.to_thread(postgres.start)
        await asyncio.to_thread(nats_server.start)
        config = PlatformConfig.isolated(
            f"f{uuid.uuid4().hex[:6]}",
            ADMIN_PASSWORD,
            postgres=postgres.url,
            nats_url=nats_server.url,
            extra_env={
                "CRM_LOG_LEVEL": "WARNING",
                "CRM_GATEWAY_IDEMPOTENCY_LEASE_SECONDS": str(settings.lease),
            },
        )
        platform = Platform(config, log_dir=settings.log_dir / name)
        await asyncio.to_thread(platform.migrate)
        await asyncio.to_thread(platform.start, 60)
        stage = Stage(postgres, nats_server, platform, settings)
        await _exercise(stage, fault, result)
    except Exception as exc:  # noqa: BLE001 - a scenario that could not run is reported, the next one runs
        result.error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    finally:
        if platform is not None:
            await asyncio.to_thread(platform.stop)
        await asyncio.to_thread(nats_server.cleanup)
        await asyncio.to_thread(postgres.cleanup)
    result.seconds = time.monotonic() - started
    return result


async def _exercise(stage: Stage, fault: Fault, result: Result) -> None:
    settings, config = stage.settings, stage.platform.config
    token = await login(config.gateway_url, ADMIN_PASSWORD)
    load = LoadGenerator(
        config.gateway_url,
        token,
        workers=settings.workers,
        request_deadline=settings.request_deadline,
        think=settings.think,
    )
    await load.start()
    try:
        await asyncio.sleep(settings.before)
        result.fault = await fault(stage)
        fault_end, cutoff = time.monotonic(), datetime.now(UTC)
        probe = asyncio.create_task(_recovery(config, cutoff, fault_end))
        await asyncio.sleep(settings.after)
        await load.stop()
        load_end = time.monotonic()
        result.recovered = await _retry_given_up(load)
        findings = await _settle(load, config, settings.settle_timeout)
        result.settled_s = time.monotonic() - load_end if findings.complete else None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                result.recovered_s = await probe
        probe.cancel()
        result.findings = findings
    finally:
        await load.close()
    ledger = load.ledger
    result.acknowledged = dict(ledger.acknowledged)
    result.retried = dict(ledger.retried)
    result.replayed = ledger.replayed
    result.gave_up = len(ledger.gave_up) + result.recovered
    result.rejected = list(ledger.rejected)


async def _recovery(config: PlatformConfig, cutoff: datetime, fault_end: float) -> float:
    """Seconds from the fault's end until every event written before it is published and consumed."""
    while True:
        snapshot = Snapshot()
        try:
            await read_databases(config, snapshot, with_tables=False)
        except (OSError, asyncpg.PostgresError):  # the database may still be coming back
            pass
        else:
            if caught_up(snapshot, cutoff):
                return time.monotonic() - fault_end
        await asyncio.sleep(0.5)


async def _retry_given_up(load: LoadGenerator) -> int:
    """Send each write the load gave up on once more (same key, same body): answered now, it counts as
    acknowledged; still unanswered while its record exists, the check counts it unrecoverable."""
    given_up, load.ledger.gave_up = load.ledger.gave_up, []
    client: Client = load.client()
    recovered = 0
    for write in given_up:
        if not load.is_latest(write):
            load.ledger.gave_up.append(write)
            continue
        response = await client.send(write, deadline=30)
        if response is None:
            load.ledger.gave_up.append(write)
            continue
        recovered += 1
        load.record_answer(write, response)
    return recovered


async def _settle(load: LoadGenerator, config: PlatformConfig, timeout: float) -> Findings:
    """Check until everything is published and projected, or `timeout` passes; the last findings."""
    deadline = time.monotonic() + timeout
    while True:
        snapshot = Snapshot()
        findings: Findings | None = None
        with contextlib.suppress(OSError):
            await read_databases(config, snapshot)
            await read_streams(config, snapshot)
            findings = check(load.ledger, snapshot)
        if findings is not None and (findings.complete or time.monotonic() > deadline):
            return findings
        if findings is None and time.monotonic() > deadline:
            raise RuntimeError("the databases or NATS could not be read")
        await asyncio.sleep(1)
