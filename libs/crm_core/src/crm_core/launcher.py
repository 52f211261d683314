"""Runs the whole platform as local processes: migrations, every service, the gateway.

Used by `make dev` (python -m crm_core.launcher), by the e2e tests and by the
benchmarks. Ctrl-C (or SIGTERM) stops every process it started, gracefully.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
from crm_core.settings import LOCAL_GRPC_PORTS

# Domain services of the platform, in start order (each is package crm_<domain>).
SERVICES = ("contacts", "deals", "tasks")


@dataclass
class PlatformConfig:
    """Where everything listens and which databases and namespace it uses."""

    gateway_port: int = 8000
    grpc_ports: dict[str, int] = field(default_factory=lambda: {d: LOCAL_GRPC_PORTS[d] for d in SERVICES})
    postgres: str = os.environ.get("CRM_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    database_prefix: str = "crm"
    nats_url: str = os.environ.get("CRM_NATS_URL", "nats://127.0.0.1:4222")
    events_namespace: str = "crm"
    metrics: bool = True
    admin_password: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def isolated(cls, tag: str, admin_password: str, **overrides: Any) -> PlatformConfig:
        """A platform on free ports with its own databases (crm_<tag>_*) and event namespace (tests, benchmarks)."""
        return cls(
            gateway_port=free_port(),
            grpc_ports={d: free_port() for d in SERVICES},
            database_prefix=f"crm_{tag}",
            events_namespace=tag,
            metrics=False,
            admin_password=admin_password,
            **overrides,
        )

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
            **self.extra_env,
        }
        if self.admin_password:
            env["CRM_ADMIN_PASSWORD"] = self.admin_password
        for domain, port in self.grpc_ports.items():
            prefix = f"CRM_{domain.upper()}"
            env[f"{prefix}_DATABASE_URL"] = self.database_url(domain)
            env[f"{prefix}_GRPC_PORT"] = str(port)
            env[f"{prefix}_METRICS_PORT"] = str(port + 1000) if self.metrics else "0"
            env[f"{prefix}_GRPC_TARGET"] = f"127.0.0.1:{port}"
        return env


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


class Platform:
    """The processes of one running platform."""

    def __init__(self, config: PlatformConfig, log_dir: Path | None = None) -> None:
        self.config = config
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def migrate(self) -> None:
        """Create and migrate every database (services and gateway)."""
        env = self.config.env()
        for package in [f"crm_{d}" for d in SERVICES] + ["crm_gateway"]:
            subprocess.run([sys.executable, "-m", f"{package}.migrate"], env=env, check=True)

    def _spawn(self, name: str, module: str) -> None:
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = (self.log_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module],
            env=self.config.env(),
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )

    def start(self, timeout: float = 30) -> None:
        """Start every service, then the gateway; return when all answer."""
        busy = [p for p in [*self.config.grpc_ports.values(), self.config.gateway_port] if _port_open(p)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy} (is the platform already running?)")
        for domain in SERVICES:
            self._spawn(domain, f"crm_{domain}")
        self._spawn("gateway", "crm_gateway")
        deadline = time.monotonic() + timeout
        for domain, port in self.config.grpc_ports.items():
            self._wait(domain, lambda p=port: _port_open(p), deadline)
        self._wait("gateway", self._gateway_ready, deadline)

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
        with self.replicas([f"crm_{domain}", "crm_gateway"], env) as url:
            yield url

    @contextmanager
    def gateway_replica(self) -> Iterator[str]:
        """A second gateway on this platform's services, databases and NATS; yields its URL."""
        with self.replicas(["crm_gateway"], {}) as url:
            yield url

    @contextmanager
    def replicas(self, modules: list[str], extra_env: dict[str, str]) -> Iterator[str]:
        """More processes of `modules` (the last one a gateway, on a port of its own) next to this platform."""
        http_port = free_port()
        env = {**self.config.env(), "CRM_GATEWAY_PORT": str(http_port), **extra_env}
        quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        processes: list[subprocess.Popen[bytes]] = []
        url = f"http://127.0.0.1:{http_port}"
        try:
            for module in modules:
                processes.append(subprocess.Popen([sys.executable, "-m", module], **quiet))  # type: ignore[call-overload]
            deadline = time.monotonic() + 30
            while not _answers(f"{url}/readyz"):
                if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
                    raise RuntimeError(f"{', '.join(modules)} did not start")
                time.sleep(0.1)
            yield url
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def drop_databases(self) -> None:
        """Drop every database of this platform (after tests and benchmarks)."""
        for name in [*SERVICES, "gateway"]:
            asyncio.run(drop_database(self.config.database_url(name)))

    def stop(self, timeout: float = 15) -> dict[str, int | None]:
        """SIGTERM everything (gateway first), wait, then kill what is left; returns exit codes."""
        order = ["gateway", *reversed(SERVICES)]
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


BENCH_PASSWORD = "bench-admin-password"


@asynccontextmanager
async def bench_platform() -> AsyncIterator[PlatformConfig]:
    """A whole platform of its own (databases, ports, namespace) for a benchmark, removed afterwards.

    The first admin's password is BENCH_PASSWORD; services log warnings only.
    """
    config = PlatformConfig.isolated(f"b{os.urandom(3).hex()}", BENCH_PASSWORD, extra_env={"CRM_LOG_LEVEL": "WARNING"})
    platform = Platform(config)
    platform.migrate()
    platform.start()
    try:
        yield config
    finally:
        platform.stop()
        await asyncio.to_thread(platform.drop_databases)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the CRM platform locally")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CRM_GATEWAY_PORT", 8000)))
    args = parser.parse_args()
    config = PlatformConfig(gateway_port=args.port, admin_password=os.environ.get("CRM_ADMIN_PASSWORD", ""))
    platform = Platform(config)
    platform.migrate()
    stop = False

    def request_stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        platform.start()
    except RuntimeError as exc:  # a port taken or a process that died while starting: say so plainly
        sys.exit(f"cannot start the platform: {exc}")
    print(f"\n  CRM platform is up: {config.gateway_url}  (API docs: {config.gateway_url}/api/docs)")
    print(
        f"  Web client: {config.gateway_url}/  First admin: 'admin' with CRM_ADMIN_PASSWORD (make dev: admin)"
        " or the password in the 'first_admin_created' line above.  Ctrl-C stops everything.\n",
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
