"""The one list of the platform's domain services (crm_core/services.toml).

The launcher, the gateway, the contacts timeline, the fault suite, the tests and the charts' tests read
it; `make new-service` appends to it. Names are lowercase identifiers: the package is crm_<name>, the
database crm_<name>, the variables CRM_<NAME>_*, the event subjects <namespace>.<name>.*.

CRM_SERVICES_EXTRA names more registry files (separated by the path separator, `:` here), merged after the
shipped one: a service made by `scripts/new_service.py --root DIR` outside the repository (tests, trying a
service out) joins the platform that way. Every process of one platform must see the same value, so the
launcher passes it on in the environment it gives its processes.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

NAME = re.compile(r"[a-z][a-z0-9]{1,30}")
# The gateway's identity module answers the services over gRPC here (partner API keys).
LOCAL_IDENTITY_PORT = 50050
EXTRA_VARIABLE = "CRM_SERVICES_EXTRA"


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    grpc_port: int
    title_en: str
    title_ru: str

    @property
    def package(self) -> str:
        return f"crm_{self.name}"

    @property
    def database(self) -> str:
        return f"crm_{self.name}"

    @property
    def env_prefix(self) -> str:
        return f"CRM_{self.name.upper()}_"

    @property
    def local_target(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"


def shipped_text() -> str:
    """The registry shipped with crm_core (services.toml)."""
    return resources.files("crm_core").joinpath("services.toml").read_text(encoding="utf-8")


def load(text: str | None = None, known: Mapping[str, ServiceEntry] | None = None) -> dict[str, ServiceEntry]:
    """Parse a registry (the shipped services.toml unless `text` is given) after the `known` entries; returns
    them and the new ones. ValueError when malformed or when a name or port is taken."""
    entries = dict(known or {})
    for name, table in tomllib.loads(shipped_text() if text is None else text).items():
        if not NAME.fullmatch(name):
            raise ValueError(f"service name {name!r} must be a lowercase identifier ({NAME.pattern})")
        if name in entries:
            raise ValueError(f"service {name} is in the registry already")
        try:
            entry = ServiceEntry(name=name, **table)
        except TypeError as exc:  # a key missing or unknown
            raise ValueError(f"service {name}: {exc}") from exc
        if entry.grpc_port == LOCAL_IDENTITY_PORT or entry.grpc_port in {e.grpc_port for e in entries.values()}:
            raise ValueError(f"service {name}: gRPC port {entry.grpc_port} is taken")
        entries[name] = entry
    return entries


def extra_files(value: str | None = None) -> list[Path]:
    """The files CRM_SERVICES_EXTRA names (or `value`), in order."""
    value = os.environ.get(EXTRA_VARIABLE, "") if value is None else value
    return [Path(part) for part in value.split(os.pathsep) if part]


def load_with(extras: Iterable[Path]) -> dict[str, ServiceEntry]:
    """The shipped registry followed by the entries of `extras` (ValueError naming the file when one is bad)."""
    entries = load()
    for path in extras:
        try:
            entries = load(path.read_text(encoding="utf-8"), entries)
        except (OSError, ValueError) as exc:
            raise ValueError(f"{EXTRA_VARIABLE}: {path}: {exc}") from exc
    return entries


def next_free_port(entries: Mapping[str, ServiceEntry]) -> int:
    """The port after the highest one of `entries` (the identity module's port counts as taken)."""
    return max([LOCAL_IDENTITY_PORT, *(e.grpc_port for e in entries.values())]) + 1


REGISTRY = load_with(extra_files())
SERVICES: tuple[str, ...] = tuple(REGISTRY)
