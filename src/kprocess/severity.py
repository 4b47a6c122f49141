"""What a diagnostic says, without heavy imports: its severity and how it reads as text.

`kprocess.diagnostics.Diagnostic` and the validate cache's records share these, so a
report read from the cache is printed by the same code as a fresh one.
"""

from __future__ import annotations

from enum import IntEnum

PathPart = str | int
DataPath = tuple[PathPart, ...]


class Severity(IntEnum):
    """How bad a finding is; any error makes `validate` exit 1."""

    warning = 1
    error = 2


def format_path(path: DataPath) -> str:
    """`steps[4].routes[1].to` from `("steps", 4, "routes", 1, "to")`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class DiagnosticText:
    """`location()` and `as_dict()` for anything with a diagnostic's fields."""

    __slots__ = ()
    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str | None
    severity: Severity
    path: DataPath

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
