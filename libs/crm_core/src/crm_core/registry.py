"""The one list of the platform's domain services (crm_core/services.toml).

The launcher, the gateway, the contacts timeline, the fault suite, the tests and the charts' tests read
it; `make new-service` appends to it. Names are lowercase identifiers: the package is crm_<name>, the
database crm_<name>, the variables CRM_<NAME>_*, the event subjects <namespace>.<name>.*.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

NAME = re.compile(r"[a-z][a-z0-9]{1,30}")
# The gateway's identity module answers the services over gRPC here (partner API keys).
LOCAL_IDENTITY_PORT = 50050


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


def load(text: str | None = None) -> dict[str, ServiceEntry]:
    """Parse the registry (the shipped services.toml unless `text` is given); ValueError when malformed."""
    if text is None:
        text = resources.files("crm_core").joinpath("services.toml").read_text(encoding="utf-8")
    entries: dict[str, ServiceEntry] = {}
    for name, table in tomllib.loads(text).items():
        if not NAME.fullmatch(name):
            raise ValueError(f"service name {name!r} must be a lowercase identifier ({NAME.pattern})")
        entry = ServiceEntry(name=name, **table)
        if entry.grpc_port == LOCAL_IDENTITY_PORT or entry.grpc_port in {e.grpc_port for e in entries.values()}:
            raise ValueError(f"service {name}: gRPC port {entry.grpc_port} is taken")
        entries[name] = entry
    return entries


REGISTRY = load()
SERVICES: tuple[str, ...] = tuple(REGISTRY)
