"""Shared terminal styling: principal colours (the documents' swimlanes); the labels are in `kprocess.labels`."""

from __future__ import annotations

from kprocess.labels import PRINCIPAL_LABEL, STATUS_LABEL, WEIGHT_LABEL

__all__ = ["PRINCIPAL_COLOUR", "PRINCIPAL_LABEL", "STATUS_LABEL", "WEIGHT_LABEL", "who"]

PRINCIPAL_COLOUR = {
    "region": "blue",
    "kommun": "green",
    "gemensam": "grey58",
    "nationell": "magenta",
    "sjukvardsregional": "cyan",
}


def who(name: str, principal: str | None) -> str:
    """Rich markup for an actor coloured by principal."""
    from rich.markup import escape

    colour = PRINCIPAL_COLOUR.get(principal or "", "white")
    return f"[{colour}]{escape(name)}[/]"
