"""`kprocess validate PATH...`: check packs (and golden case files) and report every problem."""

from __future__ import annotations

from pathlib import Path

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, pack_files
from kprocess.diagnostics import Diagnostic, PackError, Severity, display_name, summarise


def run(paths: list[Path], output: str) -> int:
    """Validate every pack or case in `paths`; print with the named reporter; return the exit code."""
    from kprocess.report import REPORTERS

    files = pack_files(paths)
    diagnostics: list[Diagnostic] = []
    for path in files:
        diagnostics += check_file(path)
    diagnostics.sort()
    REPORTERS[output]([*diagnostics], [display_name(f) for f in files])
    return EXIT_FINDINGS if any(d.severity is Severity.error for d in diagnostics) else EXIT_OK


def check_file(path: Path) -> list[Diagnostic]:
    """A pack's diagnostics; a golden case (a file with `expect:`) is checked as a case against its pack."""
    from kprocess.golden import is_case
    from kprocess.pack import analyse_document
    from kprocess.yamlsource import read_file

    try:
        document = read_file(path, display_name(path))
    except PackError as error:
        return error.diagnostics
    if is_case(document):
        from kprocess.golden import check_case

        return check_case(path, document)
    return summarise(analyse_document(document)[1])
