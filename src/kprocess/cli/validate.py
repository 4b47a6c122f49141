"""`kprocess validate PATH...`: check packs (and golden case files) and report every problem."""

from __future__ import annotations

from pathlib import Path

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, pack_files
from kprocess.diagnostics import Diagnostic, PackError, display_name, summarise
from kprocess.severity import DiagnosticText, Severity


def run(paths: list[Path], output: str, *, cache: bool = True) -> int:
    """Validate every pack or case in `paths`; print with the named reporter; return the exit code.

    With `cache`, a file whose key (`kprocess.cache`) is stored is not checked again.
    """
    from kprocess import cache as validate_cache
    from kprocess.report import REPORTERS

    cache = cache and validate_cache.enabled()
    files = pack_files(paths)
    diagnostics: list[DiagnosticText] = []
    for path in files:
        diagnostics += cached_check(path) if cache else check_file(path)
    diagnostics.sort(key=sort_key)
    REPORTERS[output](diagnostics, [display_name(f) for f in files])
    return EXIT_FINDINGS if any(d.severity is Severity.error for d in diagnostics) else EXIT_OK


def sort_key(d: DiagnosticText) -> tuple[str, int, int, str]:
    """The order of `Diagnostic`s (file, line, column, code), for fresh and cached ones alike."""
    return (d.file, d.line, d.column, d.code)


def cached_check(path: Path) -> list[DiagnosticText]:
    """`check_file(path)`, or what it returned before for the same key (`kprocess.cache`)."""
    from kprocess import cache

    name = str(path)
    before = cache.stamp(name)
    key = cache.key(name, display_name(path))
    if key is None:
        return [*check_file(path)]
    stored = cache.load(key)
    if stored is not None:
        return [*stored]
    fresh = check_file(path)
    if before is not None and cache.stamp(name) == before:
        cache.store(key, fresh)
    return [*fresh]


def check_file(path: Path) -> list[Diagnostic]:
    """A pack's diagnostics; a golden case (a file with `expect:`) is checked as a case against its pack."""
    from kprocess.kinds import is_case
    from kprocess.pack import analyse_document
    from kprocess.yamlsource import read_file

    try:
        document = read_file(path, display_name(path))
    except PackError as error:
        return error.diagnostics
    if is_case(document):
        from kprocess.golden import check_case

        return check_case(path, document)
    return summarise(analyse_document(document, light=True)[1])
