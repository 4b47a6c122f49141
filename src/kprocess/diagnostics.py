"""Diagnostics: one problem found in a file, with its position, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kprocess.i18n import N_, _
from kprocess.severity import DataPath, DiagnosticText, PathPart, Severity, format_path

__all__ = [
    "MAX_PER_CODE",
    "DataPath",
    "Diagnostic",
    "PackError",
    "PathPart",
    "Severity",
    "display_name",
    "excerpt",
    "format_path",
    "more",
    "summarise",
]


@dataclass(frozen=True, order=True)
class Diagnostic(DiagnosticText):
    """A positioned finding. Sorts by file, line, column, code."""

    file: str
    line: int
    column: int
    code: str
    message: str = field(compare=False)
    hint: str | None = field(default=None, compare=False)
    severity: Severity = field(default=Severity.error, compare=False)
    path: DataPath = field(default=(), compare=False)


class PackError(Exception):
    """Raised when a pack cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(f"{d.location()}: {d.code} {d.message}" for d in self.diagnostics))


def excerpt(value: object, limit: int = 60) -> str:
    """`value` as text for a message: control characters shown as `\\n`, at most `limit` characters."""
    text = value if isinstance(value, str) else repr(value)
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


MAX_PER_CODE = 100
_MORE = N_("… och ")
"""Most diagnostics of one code reported per file; the rest are summarised in one line."""


def summarise(diagnostics: list[Diagnostic], limit: int = MAX_PER_CODE) -> list[Diagnostic]:
    """At most `limit` diagnostics per file and code, then one that says how many more there are."""
    counts: dict[tuple[str, str], int] = {}
    kept: list[Diagnostic] = []
    for d in sorted(diagnostics):
        if d.message.startswith(_(_MORE)):  # already a summary (of format problems): keep as it is
            kept.append(d)
            continue
        key = (d.file, d.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= limit:
            kept.append(d)
    for d in list(kept):
        extra = counts.get((d.file, d.code), 0) - limit
        if extra > 0:
            counts[(d.file, d.code)] = limit
            kept.append(more(d, extra))
    return sorted(kept)


def more(first: Diagnostic, extra: int) -> Diagnostic:
    """The summary line for `extra` further diagnostics like `first`."""
    return Diagnostic(
        first.file,
        first.line,
        first.column,
        first.code,
        _("… och {count} fler {code} i filen som inte visas").format(
            count=f"{extra:,}".replace(",", " "), code=first.code
        ),
        _("rätta de första {limit} och kör igen; de övriga är oftast samma fel").format(limit=MAX_PER_CODE),
        first.severity,
        first.path,
    )


def display_name(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # not below the working directory, or a symlink loop
        return str(path)
