"""`kprocess paths PACK`: every distinct path, the answers that lead to it, and golden-case coverage."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kprocess.answers import answer_text
from kprocess.cli.common import EXIT_OK, load_or_report
from kprocess.golden import case_files, run_golden
from kprocess.i18n import _, ngettext
from kprocess.labels import status_label
from kprocess.paths import DEFAULT_LIMIT, Coverage, PathReport, coverage, flow_paths


def run(pack_path: Path, as_json: bool, limit: int = DEFAULT_LIMIT) -> int:
    """Print the paths of every flow and the coverage of the pack's golden cases."""
    pack = load_or_report(pack_path)
    reports = [flow_paths(pack, f.id, limit) for f in pack.model.flows]
    outcomes = [run_golden(pack, f) for f in case_files(pack_path, pack.model.id)]
    runs = [({e.step for e in o.result.trace}, o.result.routes_taken()) for o in outcomes if o.result]
    covered = coverage(pack, runs)
    if as_json:
        _write_json(reports, covered, len(outcomes))
        return EXIT_OK
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    for report in reports:
        console.print(
            _("[bold]Flöde {flow}[/]: ").format(flow=report.flow)
            + ngettext("{count} väg genom flödet", "{count} vägar genom flödet", len(report.paths)).format(
                count=len(report.paths)
            )
            + (_(" (avbrutet vid {limit})").format(limit=limit) if report.truncated else "")
        )
        for number, path in enumerate(report.paths, start=1):
            answers = ", ".join(f"{q}={answer_text(v)}" for q, v in path.example.items()) or _("inga svar behövs")
            console.print(f"  {number}. [dim]{escape(answers)}[/] → [bold]{status_label(path.status)}[/]")
            console.print(f"     {' → '.join(path.steps)}", soft_wrap=True)
        for loop in report.loops:
            bound = (
                ngettext("högst {count} gånger", "högst {count} gånger", loop.max_times).format(count=loop.max_times)
                if loop.max_times
                else _("utan egen gräns")
            )
            console.print(
                _("  slinga: {step} → {target} ({bound})").format(step=loop.step, target=loop.target, bound=bound)
            )
    console.print(
        _("Täckning av {cases} testfall: utgångar {routes} %, steg {steps} %").format(
            cases=len(outcomes), routes=f"{covered.route_percent:.0f}", steps=f"{covered.step_percent:.0f}"
        )
    )
    for step, index in covered.missing_routes():
        console.print(_("  [yellow]ej täckt[/]: utgång {route} från {step}").format(route=index + 1, step=step))
    return EXIT_OK


def _write_json(reports: list[PathReport], covered: Coverage, cases: int) -> None:
    """The report as one compact JSON document (no spaces between items), written path by path
    so memory stays bounded; step names and conditions are encoded once each."""
    write = sys.stdout.write
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    step = _Encoded(encode)
    condition = _Encoded(lambda pair: encode({"condition": pair[0], "holds": pair[1]}))
    write('{"flows":[')
    for n, r in enumerate(reports):
        head = {"flow": r.flow, "truncated": r.truncated}
        write(("," if n else "") + encode(head)[:-1] + ',"paths":[')
        for m, p in enumerate(r.paths):
            write(
                ("," if m else "")
                + '{"steps":['
                + ",".join(map(step.__getitem__, p.steps))
                + '],"end":'
                + encode(p.end)
                + ',"status":'
                + encode(p.status)
                + ',"conditions":['
                + ",".join(map(condition.__getitem__, p.conditions))
                + '],"answers":'
                + encode(dict(p.example))
                + "}"
            )
        loops = [{"from": lp.step, "to": lp.target, "max_times": lp.max_times} for lp in r.loops]
        write('],"loops":' + encode(loops) + "}")
    summary = {
        "cases": cases,
        "routes_percent": round(covered.route_percent, 1),
        "steps_percent": round(covered.step_percent, 1),
        "uncovered_routes": [{"step": s, "route": i} for s, i in covered.missing_routes()],
        "uncovered_steps": covered.missing_steps(),
    }
    write('],"coverage":' + encode(summary) + "}\n")


class _Encoded(dict[Any, str]):
    """Values encoded as JSON, each once."""

    def __init__(self, encode: Callable[[Any], str]) -> None:
        super().__init__()
        self.encode = encode

    def __missing__(self, value: Any) -> str:
        self[value] = encoded = self.encode(value)
        return encoded
