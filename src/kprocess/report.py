"""Reporters by name: how diagnostics reach a person, a program or GitHub.

They print `kprocess.diagnostics.Diagnostic`s and the validate cache's records alike (both are
`DiagnosticText`), and import nothing heavy, so a cached report starts quickly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from kprocess.i18n import _, ngettext
from kprocess.severity import DiagnosticText as Diagnostic
from kprocess.severity import Severity

GITHUB_ANNOTATION_LIMIT = 10


def text(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> None:
    """A readable report: coloured in a terminal, plain text (no rich import) when piped or in CI."""
    if not sys.stdout.isatty():
        for d in diagnostics:
            print(f"{d.location()}: {d.code} {d.message}" + (f"\n    → {d.hint}" if d.hint else ""))
        print(_summary(diagnostics, files))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=False, highlight=False)
    for d in diagnostics:
        colour = "red" if d.severity is Severity.error else "yellow"
        console.print(f"[bold]{escape(d.location())}[/]: [{colour}]{d.code}[/] {escape(d.message)}", soft_wrap=True)
        if d.hint:
            console.print(f"    [dim]→ {escape(d.hint)}[/]", soft_wrap=True)
    console.print(_summary(diagnostics, files))


def as_json(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> None:
    """One JSON document: files checked and every diagnostic."""
    import json

    errors = sum(d.severity is Severity.error for d in diagnostics)
    print(
        json.dumps(
            {
                "version": 1,
                "files": list(files),
                "errors": errors,
                "warnings": len(diagnostics) - errors,
                "diagnostics": [d.as_dict() for d in diagnostics],
            },
            ensure_ascii=False,
            indent=2,
        )
    )


def github(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> None:
    """Workflow annotations; GitHub shows ten per step, so the full list goes to the job summary too."""
    for d in diagnostics:
        level = "error" if d.severity is Severity.error else "warning"
        message = f"{d.code} {d.message}" + (f" — {d.hint}" if d.hint else "")
        print(
            f"::{level} file={_escape_property(d.file)},line={d.line},col={d.column},"
            f"title={d.code}::{_escape_data(message)}"
        )
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:  # open(), not pathlib: start-up time
            out.write(_markdown(diagnostics, files))
    elif len(diagnostics) > GITHUB_ANNOTATION_LIMIT:
        print(_markdown(diagnostics, files))


def _markdown(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    lines = ["## kprocess validate", "", _summary(diagnostics, files), ""]
    if diagnostics:
        lines += [_("| plats | kod | problem | åtgärd |"), "|---|---|---|---|"]
        lines += [f"| `{d.location()}` | {d.code} | {_cell(d.message)} | {_cell(d.hint or '')} |" for d in diagnostics]
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _summary(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    errors = sum(d.severity is Severity.error for d in diagnostics)
    warnings = len(diagnostics) - errors
    checked = ngettext("{count} fil", "{count} filer", len(files)).format(count=len(files))
    if not diagnostics:
        return _("{files} kontrollerade: inga problem.").format(files=checked)
    found = ngettext("{count} fel", "{count} fel", errors).format(count=errors)
    # Swedish says `1 varningar` in this summary too (a count, not a phrase).
    warned = ngettext("{count} varningar", "{count} varningar", warnings).format(count=warnings)
    return _("{files} kontrollerade: {errors}, {warnings}.").format(files=checked, errors=found, warnings=warned)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


REPORTERS: dict[str, Callable[[Sequence[Diagnostic], Sequence[str]], None]] = {
    "text": text,
    "json": as_json,
    "github": github,
}
