"""Diagnostics: one problem found in a file, with its position, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

PathPart = str | int
DataPath = tuple[PathPart, ...]


class Severity(IntEnum):
    """How bad a finding is; any error makes `validate` exit 1."""

    warning = 1
    error = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A positioned finding. Sorts by file, line, column, code."""

    file: str
    line: int
    column: int
    code: str
    message: str = field(compare=False)
    hint: str | None = field(default=None, compare=False)
    severity: Severity = field(default=Severity.error, compare=False)
    path: DataPath = field(default=(), compare=False)

    def location(self) -> str:
        """`file:line:column` as editors understand it."""
        return f"{self.file}:{self.line}:{self.column}"

    def as_dict(self) -> dict[str, object]:
        """Plain-data form used by the JSON report."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.name,
            "message": self.message,
            "hint": self.hint,
            "path": format_path(self.path),
        }


def format_path(path: DataPath) -> str:
    """`steps[4].routes[1].to` from `("steps", 4, "routes", 1, "to")`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class PackError(Exception):
    """Raised when a pack cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(f"{d.location()}: {d.code} {d.message}" for d in self.diagnostics))


def display_name(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
