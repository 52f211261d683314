"""Servers of the suite's own: a PostgreSQL cluster in a temporary folder and a private nats-server.

Nothing here touches the machine's PostgreSQL (5432) or NATS (4222): both servers
listen on free loopback ports, keep their data in temporary folders, and are
signalled only by the process ids this module started.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from crm_core.launcher import free_port
from crm_core.testing import NatsServer

__all__ = ["NatsServer", "PostgresCluster", "pause", "resume"]


def postgres_bindir() -> Path:
    """Where initdb and postgres are: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = Path(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        )
        if (found / "initdb").exists():
            return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not candidates:
        raise RuntimeError("no PostgreSQL server binaries (initdb, postgres): install Debian's postgresql package")
    return Path(candidates[-1])


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (PostgreSQL's backends and helpers under its postmaster)."""
    children: list[int] = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(Path(stat).parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    with contextlib.suppress(OSError, IndexError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return ""


class PostgresCluster:
    """A PostgreSQL cluster made with initdb in a temporary folder, on a free loopback port.

    initdb and the server refuse to run as root, so as root both run as the `postgres`
    OS user in a folder that user owns. kill() is a crash: SIGKILL to the postmaster and
    every process under it (by pid); start() again runs crash recovery on the same data.
    """

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="crm-faults-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.user: str | None = "postgres" if os.geteuid() == 0 else None
        if self.user is not None:
            shutil.chown(self.folder, self.user, self.user)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Server URL without a database, as PlatformConfig(postgres=...) takes it."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}"

    def init(self) -> None:
        """initdb: a new cluster whose superuser `postgres` logs in without a password on loopback."""
        locale = ["--locale=C.UTF-8"] if _has_locale("C.UTF-8") else []
        subprocess.run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                *locale,
            ],
            user=self.user,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def start(self, timeout: float = 60) -> None:
        """Start the server (running crash recovery first when it was killed) and wait until it accepts logins."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(self.bindir / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"unix_socket_directories={self.folder}",
                    "-c",
                    "max_connections=300",
                ],
                user=self.user,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C at the terminal is the suite's to handle, not the server's
            )
        if self.user is not None:
            shutil.chown(self.log, self.user, self.user)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode} (log: {self.log})")
            ready = subprocess.run(
                [str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"postgres did not accept connections in {timeout}s (log: {self.log})")

    def kill(self) -> None:
        """Crash the server: SIGKILL the postmaster and each of its processes by pid; wait until all are gone."""
        if self.process is None:
            return
        pids = [self.process.pid, *_children(self.process.pid)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids[1:]) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        """Fast shutdown (SIGINT to the postmaster): sessions are ended, data is checkpointed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def cleanup(self) -> None:
        """Stop the server and remove its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _has_locale(name: str) -> bool:
    with contextlib.suppress(OSError):
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
        return name.lower().replace("-", "") in {n.lower().replace("-", "") for n in listed}
    return False


def pause(server: NatsServer) -> None:
    """Freeze the nats-server (SIGSTOP): connections stay open, nothing answers."""
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGSTOP)


def resume(server: NatsServer) -> None:
    """Let a paused nats-server run on (SIGCONT)."""
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGCONT)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0
