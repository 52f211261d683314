"""`make new-service NAME=...`: a new domain service in the common shape, from scripts/service_template/.

    .venv/bin/python scripts/new_service.py NAME [--port N] [--title-en T] [--title-ru T] [--root DIR]

In the repository (the default) it writes proto/crm/NAME/v1/NAME.proto, services/NAME (the package with
every role file, its alembic migrations, unit and integration tests) and docs/NAME.md, appends NAME to the
registry (crm_core/services.toml) and to the `services:` map of charts/crm/values.yaml (its image is
docker/service.Dockerfile with SERVICE=NAME), regenerates libs/crm_proto and installs the package editable
into the virtual environment. The service passes `make test` as generated.

With --root DIR it writes the same tree under DIR instead, the registry entry to DIR/services.toml and the
stubs to DIR/stubs, and installs nothing: CRM_SERVICES_EXTRA=DIR/services.toml and
PYTHONPATH=DIR/services/NAME/src:DIR/stubs make the launcher, the gateway and the service see it (the
tests make throwaway services this way).

It refuses a name that is not a lowercase identifier, is reserved, or is taken (in the registry or on
disk), and a port that is taken; it never overwrites anything.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from crm_core.registry import NAME, ServiceEntry, extra_files, load, load_with, next_free_port

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scripts" / "service_template"
sys.path.insert(0, str(ROOT / "scripts"))
import gen_proto  # noqa: E402 - the sibling script, found through the line above

REGISTRY_FILE = ROOT / "libs" / "crm_core" / "src" / "crm_core" / "services.toml"
# Names that packages or proto packages of the platform have already (crm_core, crm.common.v1, ...).
RESERVED = {"core", "proto", "gateway", "common", "events", "identity", "service", "services", "test", "tests"}


@dataclass(frozen=True)
class Target:
    """Where a service is generated: the repository, or a folder of its own (--root)."""

    root: Path
    registry_file: Path
    stubs: Path
    in_repository: bool

    @classmethod
    def of(cls, root: Path | None) -> Target:
        if root is None:
            return cls(ROOT, REGISTRY_FILE, gen_proto.DEFAULT_OUT, True)
        root = root.resolve()
        return cls(root, root / "services.toml", root / "stubs", False)

    def registry(self) -> dict[str, ServiceEntry]:
        """The services known where this one goes: shipped, CRM_SERVICES_EXTRA and (--root) DIR/services.toml."""
        extras = extra_files()
        if not self.in_repository and self.registry_file.exists() and self.registry_file not in extras:
            extras.append(self.registry_file)
        return load_with(extras)


def placeholders(entry: ServiceEntry) -> dict[str, str]:
    return {
        "{{name}}": entry.name,
        "{{Name}}": entry.name.capitalize(),
        "{{NAME}}": entry.name.upper(),
        "{{port}}": str(entry.grpc_port),
        "{{title_en}}": entry.title_en,
        "{{title_ru}}": entry.title_ru,
    }


def render(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def planned_files(entry: ServiceEntry, root: Path) -> dict[Path, str]:
    """Every file of the template, rendered: {path under root: text}."""
    values = placeholders(entry)
    files = {}
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        relative = render(str(source.relative_to(TEMPLATE)), values).removesuffix(".tmpl")
        files[root / relative] = render(source.read_text(encoding="utf-8"), values)
    return files


def registry_entry(entry: ServiceEntry) -> str:
    """The service's table in a registry file (TOML)."""
    return (
        f"\n[{entry.name}]\ngrpc_port = {entry.grpc_port}\n"
        f"title_en = {json.dumps(entry.title_en, ensure_ascii=False)}\n"
        f"title_ru = {json.dumps(entry.title_ru, ensure_ascii=False)}\n"
    )


def chart_entry(entry: ServiceEntry) -> str:
    """The service's entry in the `services:` map of charts/crm/values.yaml (the one workload template loops
    over it): everything else follows from the name and the chart's `defaults:` (docs/deployment.md)."""
    return f"  {entry.name}:\n    grpcPort: {entry.grpc_port}\n"


def add_to_chart(root: Path, entry: ServiceEntry) -> str:
    """Add chart_entry to charts/crm/values.yaml under its top-level `services:` map; says what it did."""
    values = root / "charts" / "crm" / "values.yaml"
    if not values.exists():
        return "no charts/crm/values.yaml: no chart entry"
    text = values.read_text(encoding="utf-8")
    block = re.search(r"^services:[ \t]*(?:#.*)?\n(?P<body>(?:(?:[ \t]+.*)?\n)*)", text, flags=re.M)
    if block is None:
        return f"charts/crm/values.yaml has no `services:` map: add\n{chart_entry(entry)}under it by hand"
    end = block.start("body") + len(block["body"].rstrip("\n")) + 1 if block["body"].strip() else block.end("body")
    values.write_text(text[:end] + chart_entry(entry) + text[end:], encoding="utf-8")
    return "added to charts/crm/values.yaml `services:`"


def check_new(entry: ServiceEntry, target: Target, files: dict[Path, str]) -> None:
    """SystemExit unless the name and port are free and nothing generated exists yet."""
    if not NAME.fullmatch(entry.name) or entry.name in RESERVED:
        raise SystemExit(
            f"{entry.name!r}: a service name is a lowercase identifier ({NAME.pattern}), not one of "
            f"{', '.join(sorted(RESERVED))}"
        )
    try:
        load(registry_entry(entry), target.registry())
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    existing = [p for p in files if p.exists()] + [
        p for p in (target.root / "services" / entry.name, target.root / "proto" / "crm" / entry.name) if p.exists()
    ]
    if existing:
        raise SystemExit(f"{entry.name} exists already: {', '.join(sorted({str(p) for p in existing}))}")


def generate(entry: ServiceEntry, target: Target, install: bool = True) -> list[str]:
    """Write the service, register it, generate its stubs (and install it); returns what was done."""
    files = planned_files(entry, target.root)
    check_new(entry, target, files)
    registry_before = target.registry_file.read_text(encoding="utf-8") if target.registry_file.exists() else None
    created = [target.root / "services" / entry.name, target.root / "proto" / "crm" / entry.name]
    if not (target.stubs / "crm" / entry.name).exists():
        created.append(target.stubs / "crm" / entry.name)
    done = []
    try:
        for path, text in files.items():
            if not path.parent.exists():
                created.append(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            created.append(path)
        done.append(f"wrote {len(files)} files from scripts/service_template")
        target.registry_file.parent.mkdir(parents=True, exist_ok=True)
        with target.registry_file.open("a", encoding="utf-8") as registry:
            registry.write(registry_entry(entry))
        done.append(f"registered {entry.name} (gRPC port {entry.grpc_port}) in {target.registry_file}")
        if target.in_repository:
            gen_proto.generate(target.stubs)
        else:
            gen_proto.generate(target.stubs, target.root / "proto", includes=[gen_proto.PROTO_DIR])
        done.append(f"generated stubs into {target.stubs}")
        if target.in_repository:
            done.append(add_to_chart(target.root, entry))  # last: nothing after it can fail and leave it behind
    except BaseException:
        for path in reversed(created):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()
        if registry_before is None:
            target.registry_file.unlink(missing_ok=True)
        else:
            target.registry_file.write_text(registry_before, encoding="utf-8")
        raise
    if install and target.in_repository:
        service_dir = target.root / "services" / entry.name
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(service_dir)], check=True)
        stamp = Path(sys.prefix) / ".installed"
        if stamp.exists():
            stamp.touch()  # make's stamp depends on every pyproject.toml: the new one is installed now
        done.append(f"installed {service_dir.relative_to(target.root)} editable into {sys.prefix}")
    return done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Create a new domain service from scripts/service_template")
    parser.add_argument("name", help="lowercase identifier: package crm_<name>, database crm_<name>")
    parser.add_argument("--port", type=int, help="local gRPC port (default: the next free one in the registry)")
    parser.add_argument("--title-en", help="name shown to users (default: the name, capitalised)")
    parser.add_argument("--title-ru", help="name shown to users in Russian (default: the English title)")
    parser.add_argument("--root", type=Path, help="generate under this folder instead of the repository")
    parser.add_argument("--no-install", action="store_true", help="do not pip install the new package")
    args = parser.parse_args(argv)
    target = Target.of(args.root)
    title_en = args.title_en or args.name.capitalize()
    entry = ServiceEntry(
        name=args.name,
        grpc_port=args.port or next_free_port(target.registry()),
        title_en=title_en,
        title_ru=args.title_ru or title_en,
    )
    for line in generate(entry, target, install=not args.no_install):
        print(f"  {line}")
    if target.in_repository:
        print(f"\n{entry.name} is ready: `make test` runs its tests, `make dev` starts it. Next: docs/new-service.md")
    else:
        print(
            f"\nRun it with CRM_SERVICES_EXTRA={target.registry_file} "
            f"PYTHONPATH={target.root / 'services' / entry.name / 'src'}:{target.stubs}"
        )


if __name__ == "__main__":
    main()
