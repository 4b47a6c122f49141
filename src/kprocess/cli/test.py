"""`kprocess test [PATH...]`: run the golden cases beside the packs, report pass/fail and coverage."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, load_or_report, pack_files
from kprocess.golden import case_files, run_golden
from kprocess.i18n import _
from kprocess.paths import coverage


def run(paths: list[Path], min_coverage: float, as_json: bool = False) -> int:
    """Run every pack's golden cases; exit 1 on a failure or coverage below `min_coverage` percent."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, file=io.StringIO() if as_json else None)
    report: list[dict[str, Any]] = []
    failed = False
    total = passed = 0
    for pack_path in pack_files(paths):
        pack = load_or_report(pack_path)
        files = case_files(pack_path, pack.model.id)
        if not files:
            raise UsageError(
                _("inga testfall för {pack}: lägg dem i {folder}/").format(
                    pack=pack_path, folder=pack_path.parent / "cases" / pack.model.id
                )
            )
        outcomes = [run_golden(pack, f) for f in files]
        for outcome in outcomes:
            total += 1
            passed += outcome.passed
            mark = _("[green]ok[/]  ") if outcome.passed else _("[red]FEL[/] ")
            console.print(f"{mark} {escape(outcome.file)}: {escape(outcome.name)}", soft_wrap=True)
            for failure in outcome.failures:
                console.print(f"      {escape(failure)}", soft_wrap=True)
        runs = [({e.step for e in o.result.trace}, o.result.routes_taken()) for o in outcomes if o.result]
        covered = coverage(pack, runs)
        low = covered.route_percent < min_coverage
        colour = "red" if low else "green"
        console.print(
            _("{pack}: täckning [{colour}]utgångar {routes} %[/], steg {steps} %").format(
                pack=escape(pack.model.id),
                colour=colour,
                routes=f"{covered.route_percent:.0f}",
                steps=f"{covered.step_percent:.0f}",
            )
        )
        for step, index in covered.missing_routes():
            console.print(_("      ej täckt: utgång {route} från {step}").format(route=index + 1, step=step))
        failed |= low or not all(o.passed for o in outcomes)
        report.append(
            {
                "pack": pack.model.id,
                "file": str(pack_path),
                "cases": [
                    {"file": o.file, "name": o.name, "passed": o.passed, "failures": o.failures} for o in outcomes
                ],
                "routes_percent": round(covered.route_percent, 1),
                "steps_percent": round(covered.step_percent, 1),
                "uncovered_routes": [{"step": s, "route": i} for s, i in covered.missing_routes()],
            }
        )
    console.print(_("{passed} godkända, {failed} underkända").format(passed=passed, failed=total - passed))
    if as_json:
        summary = {"passed": passed, "failed": total - passed, "min_coverage": min_coverage, "packs": report}
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    return EXIT_FINDINGS if failed else EXIT_OK
