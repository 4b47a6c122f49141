"""`kprocess validate PATH...`: check packs and report every problem."""

from __future__ import annotations

from pathlib import Path

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, pack_files
from kprocess.diagnostics import Diagnostic, Severity, display_name


def run(paths: list[Path], output: str) -> int:
    """Validate every pack in `paths`; print with the named reporter; return the exit code."""
    from kprocess.pack import analyse_file
    from kprocess.report import REPORTERS

    files = pack_files(paths)
    diagnostics: list[Diagnostic] = []
    for path in files:
        diagnostics += analyse_file(path)[1]
    diagnostics.sort()
    REPORTERS[output]([*diagnostics], [display_name(f) for f in files])
    return EXIT_FINDINGS if any(d.severity is Severity.error for d in diagnostics) else EXIT_OK
