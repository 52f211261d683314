"""Runs the whole platform as local processes: migrations, every service, the gateway.

Used by `make dev` (python -m crm_core.launcher), by the e2e tests and by the
benchmarks. Ctrl-C (or SIGTERM) stops every process it started, gracefully.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm_core.db import drop_database
from crm_core.mail import MailSettings
from crm_core.registry import EXTRA_VARIABLE, LOCAL_IDENTITY_PORT, SERVICES, ServiceEntry, extra_files, load_with
from crm_core.telemetry import dev_environment

# Domain services of the platform, in start order (each is package crm_<domain>).
DEV_SECRET_VARIABLES = ("CRM_JWT_SECRET", "CRM_INTERNAL_SECRET", "CRM_LINK_SECRET")
# No load balancer to drain locally: a stopping process goes straight to finishing its work.
LOCAL_SHUTDOWN = {"CRM_SHUTDOWN_DRAIN_SECONDS": os.environ.get("CRM_SHUTDOWN_DRAIN_SECONDS", "0")}


@dataclass
class PlatformConfig:
    """Where everything listens and which databases and namespace it uses."""

    gateway_port: int = 8000
    # Each service's port; a service not named listens on its registry port.
    grpc_ports: dict[str, int] = field(default_factory=dict)
    postgres: str = os.environ.get("CRM_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    database_prefix: str = "crm"
    nats_url: str = os.environ.get("CRM_NATS_URL", "nats://127.0.0.1:4222")
    events_namespace: str = "crm"
    metrics: bool = True
    admin_password: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)
    identity_port: int = LOCAL_IDENTITY_PORT
    # Secrets signing access and internal tokens: from the environment, else new ones for this platform.
    jwt_secret: str = field(default_factory=lambda: os.environ.get("CRM_JWT_SECRET") or new_secret())
    internal_secret: str = field(default_factory=lambda: os.environ.get("CRM_INTERNAL_SECRET") or new_secret())
    # Signs the public links of e-mails (unsubscribe, open, click): every process must agree on it.
    link_secret: str = field(default_factory=lambda: os.environ.get("CRM_LINK_SECRET") or new_secret())
    # Processes per service (1 when not named); the first listens on grpc_ports[domain], the others on free ports.
    replicas: dict[str, int] = field(default_factory=dict)
    replica_ports: dict[str, list[int]] = field(default_factory=dict)
    # More registry files for this platform's processes (CRM_SERVICES_EXTRA, after the ones this process
    # reads) and the folders their services import from (PYTHONPATH): a service generated outside the
    # repository (scripts/new_service.py --root) runs next to the shipped ones.
    extra_registry: list[Path] = field(default_factory=list)
    pythonpath: list[Path] = field(default_factory=list)
    # Metrics ports on free ports instead of the listening port + 1000 (isolated platforms: + 1000 of a free
    # port may be taken).
    free_metrics_ports: bool = False
    registry: dict[str, ServiceEntry] = field(init=False)
    _metrics_ports: dict[int, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.registry = load_with([*extra_files(), *self.extra_registry])
        for name, entry in self.registry.items():
            self.grpc_ports.setdefault(name, entry.grpc_port)
        for domain, port in self.grpc_ports.items():
            more = max(self.replicas.get(domain, 1), 1) - 1
            self.replica_ports.setdefault(domain, [port, *(free_port() for _ in range(more))])
        if self.free_metrics_ports:
            listening = [self.gateway_port, *(p for ports in self.replica_ports.values() for p in ports)]
            self._metrics_ports = {port: free_port() for port in listening}

    def metrics_port(self, port: int) -> int:
        """The metrics port of the process listening on `port` (its port + 1000 locally); 0 without metrics."""
        if not self.metrics:
            return 0
        return self._metrics_ports.get(port, port + 1000)

    def target(self, domain: str) -> str:
        """The gRPC target naming every replica of `domain` (clients spread calls over them)."""
        ports = self.replica_ports[domain]
        if len(ports) == 1:
            return f"127.0.0.1:{ports[0]}"
        return "ipv4:" + ",".join(f"127.0.0.1:{p}" for p in ports)

    @classmethod
    def isolated(cls, tag: str, admin_password: str, **overrides: Any) -> PlatformConfig:
        """A platform on free ports with its own databases (crm_<tag>_*) and event namespace (tests, benchmarks)."""
        registry = load_with([*extra_files(), *overrides.get("extra_registry", [])])
        # A test session or a benchmark holds one login for its whole run, which on a loaded machine outlasts
        # the 15 minutes of an access token; tests of expiry set their own lifetime.
        # Several platforms share one PostgreSQL (a test run's, the contract test's, replicas) with the services a
        # run keeps in process: two idle connections per process (four in a burst) keep them all within its
        # max_connections (100 by default).
        # Every client of a test run is 127.0.0.1: the limit of failed logins per address (tests of wrong
        # passwords, the contract test's generated logins) would soon refuse every login of the run.
        overrides["extra_env"] = {
            "CRM_GATEWAY_ACCESS_TOKEN_MINUTES": "240",
            "CRM_DB_POOL_SIZE": "2",
            "CRM_GATEWAY_LOGIN_FAILURES_PER_ADDRESS": "1000000",
            **overrides.get("extra_env", {}),
        }
        return cls(
            gateway_port=free_port(),
            grpc_ports={d: free_port() for d in registry},
            identity_port=free_port(),
            database_prefix=f"crm_{tag}",
            events_namespace=tag,
            admin_password=admin_password,
            **{
                "metrics": False,
                "free_metrics_ports": True,
                **overrides,
                "extra_env": {**LOCAL_SHUTDOWN, **overrides.get("extra_env", {})},
            },
        )

    @property
    def services(self) -> tuple[str, ...]:
        """The platform's domain services, in start order."""
        return tuple(self.registry)

    def database_url(self, name: str) -> str:
        return f"{self.postgres}/{self.database_prefix}_{name}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "CRM_NATS_URL": self.nats_url,
            "CRM_EVENTS_NAMESPACE": self.events_namespace,
            "CRM_GATEWAY_DATABASE_URL": self.database_url("gateway"),
            "CRM_GATEWAY_PORT": str(self.gateway_port),
            "CRM_GATEWAY_GRPC_PORT": str(self.identity_port),
            # The gateway's metrics are on a port of their own, never on its public HTTP port.
            "CRM_GATEWAY_METRICS_PORT": str(self.gateway_metrics_port),
            "CRM_IDENTITY_GRPC_TARGET": f"127.0.0.1:{self.identity_port}",
            "CRM_JWT_SECRET": self.jwt_secret,
            "CRM_INTERNAL_SECRET": self.internal_secret,
            "CRM_LINK_SECRET": self.link_secret,
            # The links of e-mails (unsubscribe, open pixel, clicks) lead to this platform's gateway.
            "CRM_PUBLIC_URL": os.environ.get("CRM_PUBLIC_URL", self.gateway_url),
            **self.extra_env,
        }
        if self.admin_password:
            env["CRM_ADMIN_PASSWORD"] = self.admin_password
        if self.extra_registry:
            env[EXTRA_VARIABLE] = os.pathsep.join(str(p) for p in [*extra_files(), *self.extra_registry])
        if self.pythonpath:
            env["PYTHONPATH"] = os.pathsep.join([*(str(p) for p in self.pythonpath), env.get("PYTHONPATH", "")])
        for domain, port in self.grpc_ports.items():
            prefix = f"CRM_{domain.upper()}"
            env[f"{prefix}_DATABASE_URL"] = self.database_url(domain)
            env[f"{prefix}_GRPC_PORT"] = str(port)
            env[f"{prefix}_METRICS_PORT"] = str(self.metrics_port(port))
            env[f"{prefix}_GRPC_TARGET"] = self.target(domain)
        return env

    @property
    def gateway_metrics_port(self) -> int:
        """Where the gateway serves /metrics: its HTTP port + 1000 (9000 locally), 0 without metrics."""
        return self.metrics_port(self.gateway_port)

    def metrics_ports(self) -> dict[str, int]:
        """Every metrics endpoint of the platform by process name ("contacts", "contacts-2", "gateway"); empty
        without metrics."""
        if not self.metrics:
            return {}
        ports = {
            domain if i == 0 else f"{domain}-{i + 1}": self.metrics_port(port)
            for domain in self.services
            for i, port in enumerate(self.replica_ports[domain])
        }
        return {**ports, "gateway": self.gateway_metrics_port}

    def replica_env(self, domain: str, port: int) -> dict[str, str]:
        """What a replica of `domain` listening on `port` changes in env()."""
        prefix = f"CRM_{domain.upper()}"
        return {f"{prefix}_GRPC_PORT": str(port), f"{prefix}_METRICS_PORT": str(self.metrics_port(port))}


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def dev_secrets(folder: Path) -> dict[str, str]:
    """This checkout's own secrets for `make dev`, made on first use and kept in `folder` (.dev/); a secret
    added to the platform later (CRM_LINK_SECRET) is made and added to an existing file, the others kept."""
    path = folder / "secrets.json"
    values: dict[str, str] = dict(json.loads(path.read_text())) if path.exists() else {}
    missing = [name for name in DEV_SECRET_VARIABLES if not values.get(name)]
    if missing:
        values.update({name: new_secret() for name in missing})
        folder.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(values, indent=2))
    return values


def free_port() -> int:
    """A loopback TCP port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    """True when `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Replicas:
    """Processes started next to a platform (Platform.replicas): the gateway's URL and every process."""

    url: str
    processes: list[subprocess.Popen[bytes]]


class Platform:
    """The processes of one running platform."""

    def __init__(self, config: PlatformConfig, log_dir: Path | None = None) -> None:
        self.config = config
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        # How each process was started and how to tell it is ready (kill() and respawn() use them).
        self._commands: dict[str, tuple[str, dict[str, str]]] = {}
        self._ready: dict[str, Any] = {}

    def migrate(self) -> None:
        """Create and migrate every database (services and gateway)."""
        env = self.config.env()
        # At once: each database is its own, and most of a migration's time is starting Python and alembic.
        commands = [
            [sys.executable, "-m", f"{package}.migrate"]
            for package in [self.config.registry[d].package for d in self.config.services] + ["crm_gateway"]
        ]
        running = [(command, subprocess.Popen(command, env=env)) for command in commands]
        exits = [(command, process.wait()) for command, process in running]
        for command, code in exits:
            if code:
                raise subprocess.CalledProcessError(code, command)

    def _spawn(self, name: str, module: str, env: dict[str, str] | None = None) -> None:
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = (self.log_dir / f"{name}.log").open("ab")
        self._commands[name] = (module, env or {})
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**self.config.env(), **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )

    def start(self, timeout: float = 30) -> None:
        """Start every replica of every service, then the gateway; return when all answer."""
        service_ports = {
            domain if i == 0 else f"{domain}-{i + 1}": (domain, port)
            for domain in self.config.services
            for i, port in enumerate(self.config.replica_ports[domain])
        }
        ports = [p for _, p in service_ports.values()] + [self.config.gateway_port, self.config.identity_port]
        busy = [p for p in ports if _port_open(p)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy} (is the platform already running?)")
        for name, (domain, port) in service_ports.items():
            self._spawn(name, self.config.registry[domain].package, self.config.replica_env(domain, port))
            self._ready[name] = lambda p=port: _port_open(p)
        self._spawn("gateway", "crm_gateway")
        self._ready["gateway"] = self._gateway_ready
        deadline = time.monotonic() + timeout
        for name in self.processes:
            self._wait(name, self._ready[name], deadline)

    def start_mail_sink(self, settings: MailSettings, folder: Path, timeout: float = 10) -> bool:
        """Start the dev SMTP sink (crm_core.smtp_sink, process "mail") on the settings' port, writing to `folder`,
        when mail goes to this machine and nothing listens there yet; True when it started. A sink (or a Mailpit)
        already listening is used as it is."""
        if not settings.is_local or _port_open(settings.smtp_port):
            return False
        port = settings.smtp_port
        self._spawn("mail", "crm_core.smtp_sink", {"CRM_MAIL_SINK_DIR": str(folder), "CRM_SMTP_PORT": str(port)})
        self._ready["mail"] = lambda: _port_open(port)
        self._wait("mail", self._ready["mail"], time.monotonic() + timeout)
        return True

    def start_mail_poller(self, folder: Path) -> bool:
        """Start the helpdesk's mailbox poller (crm_helpdesk.mail_poller, process "mail-intake") on the Maildir
        `folder`: .eml files dropped into its new/ become tickets. True when it started (helpdesk runs here)."""
        if "helpdesk" not in self.config.services:
            return False
        self._spawn("mail-intake", "crm_helpdesk.mail_poller", {"CRM_HELPDESK_MAILDIR": str(folder)})
        self._ready["mail-intake"] = lambda: True
        return True

    def kill(self, name: str) -> None:
        """Kill one process ("contacts", "contacts-2", "gateway") with SIGKILL: no draining, no goodbye
        (the fault suite's crash); respawn() starts it again."""
        process = self.processes[name]
        process.kill()
        process.wait(10)

    def respawn(self, name: str, timeout: float = 30) -> None:
        """Start a process that exited (or was killed) again, on its port with its environment; return when
        it answers."""
        if self.processes[name].poll() is None:
            raise RuntimeError(f"{name} is still running")
        module, env = self._commands[name]
        self._spawn(name, module, env)
        self._wait(name, self._ready[name], time.monotonic() + timeout)

    def _gateway_ready(self) -> bool:
        return _answers(f"{self.config.gateway_url}/readyz")

    def _wait(self, name: str, ready, deadline: float) -> None:  # type: ignore[no-untyped-def]
        while not ready():
            process = self.processes[name]
            if process.poll() is not None:
                self.stop()
                raise RuntimeError(f"{name} exited with code {process.returncode} while starting")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} did not become ready in time")
            time.sleep(0.1)

    @contextmanager
    def ahead_of_time(self, domain: str, offset: str, extra_env: dict[str, str] | None = None) -> Iterator[str]:
        """A second `domain` process whose clock runs `offset` (ISO 8601, e.g. P31D) ahead, plus a gateway
        routed to it, sharing this platform's databases and NATS; yields that gateway's URL (e2e: "later")."""
        grpc_port = free_port()
        prefix = f"CRM_{domain.upper()}"
        env = {
            f"{prefix}_CLOCK_OFFSET": offset,
            f"{prefix}_GRPC_PORT": str(grpc_port),
            f"{prefix}_METRICS_PORT": "0",
            f"{prefix}_GRPC_TARGET": f"127.0.0.1:{grpc_port}",
            **(extra_env or {}),
        }
        with self.replicas([f"crm_{domain}", "crm_gateway"], env) as extra:
            yield extra.url

    @contextmanager
    def gateway_replica(self) -> Iterator[str]:
        """A second gateway on this platform's services, databases and NATS; yields its URL."""
        with self.replicas(["crm_gateway"], {}) as extra:
            yield extra.url

    @contextmanager
    def replicas(self, modules: list[str], extra_env: dict[str, str]) -> Iterator[Replicas]:
        """More processes of `modules` (the last one a gateway, on a port of its own) next to this platform."""
        http_port = free_port()
        env = {
            **self.config.env(),
            "CRM_GATEWAY_PORT": str(http_port),
            "CRM_GATEWAY_GRPC_PORT": str(free_port()),
            "CRM_GATEWAY_METRICS_PORT": "0",  # the platform's gateway has the port
            **extra_env,
        }
        processes: list[subprocess.Popen[bytes]] = []
        url = f"http://127.0.0.1:{http_port}"
        try:
            for module in modules:
                output = subprocess.DEVNULL
                if self.log_dir is not None:
                    self.log_dir.mkdir(parents=True, exist_ok=True)
                    output = (self.log_dir / f"{module}-replica.log").open("ab")  # type: ignore[assignment]
                processes.append(
                    subprocess.Popen([sys.executable, "-m", module], env=env, stdout=output, stderr=subprocess.STDOUT)
                )
            deadline = time.monotonic() + 60
            while not _answers(f"{url}/readyz"):
                exited = {m: p.returncode for m, p in zip(modules, processes, strict=True) if p.poll() is not None}
                if exited or time.monotonic() > deadline:
                    raise RuntimeError(f"{', '.join(modules)} did not start (exited: {exited or 'none'})")
                time.sleep(0.1)
            yield Replicas(url, processes)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def drop_databases(self) -> None:
        """Drop every database of this platform (after tests and benchmarks)."""
        for name in [*self.config.services, "gateway"]:
            asyncio.run(drop_database(self.config.database_url(name)))

    def stop(self, timeout: float = 15) -> dict[str, int | None]:
        """SIGTERM everything (gateway first), wait, then kill what is left; returns exit codes."""
        order = ["gateway", *reversed([n for n in self.processes if n != "gateway"])]
        for name in order:
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes: dict[str, int | None] = {}
        for name in order:
            process = self.processes.get(name)
            if process is None:
                continue
            try:
                codes[name] = process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = process.wait()
        self.processes.clear()
        return codes


def mail_destination(settings: MailSettings, sink_folder: Path | None) -> str:
    """Where the platform's mail goes, for the console of `make dev`."""
    server = f"{settings.smtp_host}:{settings.smtp_port}"
    if sink_folder is not None:
        return f"SMTP sink on {server}, every message kept in {sink_folder}/ (an .eml each, index.jsonl lists them)"
    if settings.is_local:
        return f"to {server} (something already listens there; the dev sink was not started)"
    return f"through {server} (CRM_SMTP_HOST): real mail"


BENCH_PASSWORD = "bench-admin-password"


@asynccontextmanager
async def bench_platform() -> AsyncIterator[PlatformConfig]:
    """A whole platform of its own (databases, ports, namespace) for a benchmark, removed afterwards.

    The first admin's password is BENCH_PASSWORD; services log warnings only.
    """
    config = PlatformConfig.isolated(
        f"b{os.urandom(3).hex()}",
        BENCH_PASSWORD,
        # A benchmark runs alone: the pools a deployment has.
        extra_env={"CRM_LOG_LEVEL": "WARNING", "CRM_DB_POOL_SIZE": "10"},
    )
    platform = Platform(config)
    platform.migrate()
    try:
        # Inside the try: a start that fails half-way (a port taken meanwhile) leaves no processes or databases.
        platform.start()
        yield config
    finally:
        platform.stop()
        await asyncio.to_thread(platform.drop_databases)


def parse_replicas(text: str) -> dict[str, int]:
    """ "contacts=2,deals=3" -> {"contacts": 2, "deals": 3} (SystemExit naming what is wrong)."""
    replicas: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, count = item.partition("=")
        if name not in SERVICES or not count.isdigit() or not 1 <= int(count) <= 8:
            raise SystemExit(f"--replicas: '{item}' is not <service>=<1..8> with a service of {', '.join(SERVICES)}")
        replicas[name] = int(count)
    return replicas


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the CRM platform locally")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CRM_GATEWAY_PORT", 8000)))
    parser.add_argument(
        "--replicas",
        default=os.environ.get("CRM_DEV_REPLICAS", ""),
        help="processes per service, e.g. contacts=2,deals=2 (the gateway spreads calls over them)",
    )
    args = parser.parse_args()
    # Spans go to .dev/traces.jsonl unless an exporter or an OTLP endpoint is chosen (docs/observability.md).
    os.environ.update(dev_environment(os.environ, Path(".dev")))
    secrets_ = {**dev_secrets(Path(".dev")), **{k: v for k, v in os.environ.items() if k in DEV_SECRET_VARIABLES}}
    # A dev run is the one place a generated first admin's password may be shown: on this console, never in a
    # log line (`make dev` passes CRM_ADMIN_PASSWORD=admin unless it is set).
    admin_password = os.environ.get("CRM_ADMIN_PASSWORD") or new_secret()[:16]
    config = PlatformConfig(
        gateway_port=args.port,
        admin_password=admin_password,
        extra_env=dict(LOCAL_SHUTDOWN),
        jwt_secret=secrets_["CRM_JWT_SECRET"],
        internal_secret=secrets_["CRM_INTERNAL_SECRET"],
        link_secret=secrets_["CRM_LINK_SECRET"],
        replicas=parse_replicas(args.replicas),
    )
    platform = Platform(config)
    platform.migrate()
    stop = False

    def request_stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    mail = MailSettings()
    mail_folder = Path(".dev/mail")
    try:
        sink = platform.start_mail_sink(mail, mail_folder)
        platform.start()
        intake = platform.start_mail_poller(mail_folder / "helpdesk")
    except RuntimeError as exc:  # a port taken or a process that died while starting: say so plainly
        sys.exit(f"cannot start the platform: {exc}")
    print(f"\n  CRM platform is up: {config.gateway_url}  (API docs: {config.gateway_url}/api/docs)")
    print(f"  Mail: {mail_destination(mail, mail_folder if sink else None)}")
    if intake:
        print(f"  Helpdesk e-mail: drop .eml files into {mail_folder / 'helpdesk' / 'new'}/ (they become tickets)")
    print(
        f"  Web client: {config.gateway_url}/  First admin: 'admin', password {admin_password!r} (when this run"
        " created it; CRM_ADMIN_PASSWORD sets it).  Ctrl-C stops everything.\n",
        flush=True,
    )
    while not stop:
        if any(p.poll() is not None for p in platform.processes.values()):
            crashed = [n for n, p in platform.processes.items() if p.poll() is not None]
            print(f"process exited: {', '.join(crashed)}; stopping", file=sys.stderr)
            break
        time.sleep(0.5)
    platform.stop()


if __name__ == "__main__":
    main()
