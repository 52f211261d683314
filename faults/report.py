"""Tables of what each scenario found: printed, and written to artifacts/faults/ (Markdown and JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from crm_core.registry import SERVICES
from faults.scenarios import Result

SHOWN = 10  # details listed per finding


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"


def outbox_vs_stream(result: Result) -> str:
    found = result.findings
    return ", ".join(f"{d} {found.outbox.get(d, 0)}/{found.stream.get(d, 0)}" for d in SERVICES)


def scenario_table(result: Result) -> str:
    """One scenario's figures as a Markdown table, with the first details of anything found."""
    found = result.findings
    verdict = "PASS" if result.passed else "FAIL"
    lines = [f"## {result.name}: {verdict} ({result.seconds:.0f} s)", ""]
    if result.fault:
        lines += [f"Fault: {result.fault}.", ""]
    if result.error:
        lines += [f"Could not run: {result.error}", ""]
    rows = [
        ("writes acknowledged", f"{sum(result.acknowledged.values())} ({_counts(result.acknowledged)})"),
        ("answers retried", _counts(result.retried)),
        ("answers replayed (Idempotent-Replayed)", str(result.replayed)),
        ("gave up during the load / answered when retried after it", f"{result.gave_up} / {result.recovered}"),
        ("rejected (a 4xx to a valid request)", str(len(result.rejected))),
        ("500 answers (a fault should be a 503)", str(result.internal_errors)),
        ("lost (acknowledged, absent)", str(len(found.lost))),
        ("committed, unanswered and unrecoverable", str(len(found.unrecoverable))),
        ("duplicates", str(len(found.duplicates))),
        ("events in outbox / in stream", outbox_vs_stream(result)),
        (
            "unpublished / extra in streams",
            f"{sum(found.unpublished.values())} / {sum(found.stream_extra.values())}",
        ),
        ("dead letters", str(found.dead_letters)),
        ("timeline entries missing", f"{len(found.timeline_missing)} of {found.timeline_expected}"),
        ("deals with a stale client name", str(len(found.client_names_stale))),
        (
            "seconds from the fault's end until all written before it was published and consumed",
            _seconds(result.recovered_s),
        ),
        ("seconds from the load's end until every check was complete", _seconds(result.settled_s)),
    ]
    lines += ["| figure | value |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows), ""]
    for title, items in (
        ("rejected", result.rejected),
        ("lost", found.lost),
        ("unrecoverable", found.unrecoverable),
        ("duplicates", found.duplicates),
        ("timeline entries missing", found.timeline_missing),
        ("stale client names", found.client_names_stale),
    ):
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines += [f"- {item}" for item in items[:SHOWN]]
            lines.append("")
    return "\n".join(lines)


def summary_table(results: list[Result], seconds: float) -> str:
    header = (
        "| scenario | acknowledged | lost | unrecoverable | duplicates | outbox/stream | timeline missing "
        "| stale names | recovered s | settled s | result |"
    )
    lines = ["## Summary", "", header, "|" + "---|" * 11]
    for r in results:
        f = r.findings
        lines.append(
            f"| {r.name} | {sum(r.acknowledged.values())} | {len(f.lost)} | {len(f.unrecoverable)} "
            f"| {len(f.duplicates)} | {outbox_vs_stream(r)} | {len(f.timeline_missing)} "
            f"| {len(f.client_names_stale)} | {_seconds(r.recovered_s)} | {_seconds(r.settled_s)} "
            f"| {'PASS' if r.passed else 'FAIL'} |"
        )
    failed = [r.name for r in results if not r.passed]
    lines += [
        "",
        f"{len(results)} scenarios in {seconds:.0f} s: " + (f"FAILED {', '.join(failed)}" if failed else "all passed"),
    ]
    return "\n".join(lines)


def _jsonable(result: Result) -> dict[str, Any]:
    data = asdict(result)
    for key in ("lost", "unrecoverable", "duplicates", "timeline_missing", "client_names_stale"):
        items = data["findings"][key]
        data["findings"][key] = {"count": len(items), "first": items[:SHOWN]}
    data["passed"] = result.passed
    return data


def write(results: list[Result], seconds: float, folder: Path) -> Path:
    """report.md (the tables) and report.json (every figure) in `folder`; returns the Markdown's path."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "# Fault suite\n\n" + "\n".join(scenario_table(r) for r in results) + "\n" + summary_table(results, seconds)
    path = folder / "report.md"
    path.write_text(text + "\n")
    report = {
        "seconds": seconds,
        "passed": all(r.passed for r in results),
        "scenarios": [_jsonable(r) for r in results],
    }
    (folder / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return path
