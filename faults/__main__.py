"""python -m faults: run the scenarios, print a table per scenario and a summary, exit 1 on any failure."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from faults import report
from faults.scenarios import SCENARIOS, Result, Settings, run_scenario


def parse(argv: list[str]) -> tuple[list[str], Settings, Path]:
    defaults = Settings()
    parser = argparse.ArgumentParser(prog="python -m faults", description=__doc__)
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of: {', '.join(SCENARIOS)} (default: all)"
    )
    parser.add_argument("--workers", type=int, default=defaults.workers, help="concurrent writers (%(default)s)")
    parser.add_argument("--before", type=float, default=defaults.before, help="seconds of load before the fault")
    parser.add_argument("--after", type=float, default=defaults.after, help="seconds of load after the fault")
    parser.add_argument("--pause", type=float, default=defaults.pause, help="seconds NATS stays frozen")
    parser.add_argument("--outage", type=float, default=defaults.outage, help="seconds a killed server stays down")
    parser.add_argument("--lease", type=float, default=defaults.lease, help="gateway idempotency lease, seconds")
    parser.add_argument(
        "--request-deadline", type=float, default=defaults.request_deadline, help="seconds a request is retried"
    )
    parser.add_argument(
        "--settle-timeout", type=float, default=defaults.settle_timeout, help="seconds the checks wait to settle"
    )
    parser.add_argument("--think", type=float, default=defaults.think, help="seconds between a worker's writes")
    parser.add_argument("--out", type=Path, default=Path("artifacts/faults"), help="where the report goes")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenarios {unknown}; known: {', '.join(SCENARIOS)}")
    settings = Settings(
        workers=args.workers,
        before=args.before,
        after=args.after,
        pause=args.pause,
        outage=args.outage,
        lease=args.lease,
        request_deadline=args.request_deadline,
        settle_timeout=args.settle_timeout,
        think=args.think,
        log_dir=args.out / "logs",
    )
    return names, settings, args.out


async def run(names: list[str], settings: Settings) -> list[Result]:
    results = []
    for name in names:
        print(f"--- {name}", flush=True)
        result = await run_scenario(name, SCENARIOS[name], settings)
        print(report.scenario_table(result), flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    names, settings, out = parse(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    results = asyncio.run(run(names, settings))
    seconds = time.monotonic() - started
    print(report.summary_table(results, seconds))
    print(f"\nreport: {report.write(results, seconds, out)}  (logs of the platforms: {settings.log_dir})")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
