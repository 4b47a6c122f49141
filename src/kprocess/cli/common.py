"""Helpers shared by the subcommands: finding files, loading packs, printing errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kprocess.diagnostics import PackError, excerpt
from kprocess.i18n import _
from kprocess.yamlsource import file_problem

if TYPE_CHECKING:
    from kprocess.answers import Answers
    from kprocess.pack import RulePack

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
T = TypeVar("T")


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""


def pack_files(paths: list[Path]) -> list[Path]:
    """Files named directly, plus the `*.yaml`/`*.yml` entries directly inside named folders.

    An entry that exists but is no regular file (a FIFO, a symlink loop) is kept: reading it
    gives a positioned "cannot be read" diagnostic instead of a hang.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not inside:
                raise UsageError(_("mappen {path} innehåller inga .yaml-filer").format(path=path))
            found += inside
        elif os.path.lexists(path):
            found.append(path)
        else:
            raise UsageError(_("{path} finns inte").format(path=path))
    return found


def load_or_report(path: Path) -> RulePack:
    """Load a pack for a command; on problems print them and raise `SystemExit(1)`."""
    from kprocess.pack import load_pack

    return read_or_report(path, load_pack, _("Paketet har fel och kan inte köras; rätta dem först."))


def read_or_report(path: Path, read: Callable[[Path], T], advice: str | None = None) -> T:
    """`read(path)`; a missing file is a usage error, a file with problems is reported (exit 1)."""
    from kprocess.report import text

    problem = file_problem(path)
    if problem is not None:
        raise UsageError(f"{path}: {problem}" if os.path.lexists(path) else _("{path} finns inte").format(path=path))
    try:
        return read(path)
    except PackError as error:
        text(error.diagnostics, [str(path)])
        if advice:
            print(advice, file=sys.stderr)
        raise SystemExit(EXIT_FINDINGS) from None


def apply_facts(answers: Answers, facts: list[str]) -> None:
    """Add `--fact id=value` answers; a malformed or wrong answer is a usage error."""
    from kprocess.answers import AnswerError

    seen: set[tuple[str, str | None]] = set()
    for fact in facts:
        key, sep, value = fact.partition("=")
        if not sep:
            raise UsageError(
                _("`--fact {fact}`: skriv `--fact fraga=svar`, t.ex. `--fact beror_kommunerna=ja`").format(
                    fact=excerpt(fact)
                )
            )
        try:
            seen.add(answers.set(key, value, once=frozenset(seen)))
        except AnswerError as error:
            raise UsageError(str(error)) from None
