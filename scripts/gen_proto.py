"""Generate Python stubs from proto/ into a folder (default libs/crm_proto/src).

Used by `make proto`, by the test that fails when the checked-in stubs are stale, and by
scripts/new_service.py, which generates the stubs of a service made outside the repository into a folder
of its own (`generate(out, proto_dir=<its proto/>)`, importing the shipped protos).
"""

import sys
from collections.abc import Sequence
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"
DEFAULT_OUT = ROOT / "libs" / "crm_proto" / "src"
# The top package `crm` may be spread over several folders (the shipped stubs and those of a service
# generated elsewhere, on PYTHONPATH): each part extends the package's path with the others.
TOP_INIT = '__path__ = __import__("pkgutil").extend_path(__path__, __name__)\n'


def generate(out: Path, proto_dir: Path = PROTO_DIR, includes: Sequence[Path] = ()) -> None:
    """Run protoc on every .proto under `proto_dir` (importing from `includes` too) and add the package
    __init__ files."""
    protos = sorted(str(p.relative_to(proto_dir)) for p in proto_dir.rglob("*.proto"))
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{proto_dir}",
        *(f"-I{folder}" for folder in includes),
        f"-I{well_known}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *protos,
    ]
    out.mkdir(parents=True, exist_ok=True)
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for package in {p.parent for p in out.rglob("*_pb2.py")}:
        while package != out:
            if package.parent == out:
                (package / "__init__.py").write_text(TOP_INIT)
            else:
                (package / "__init__.py").touch()
            package = package.parent


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
