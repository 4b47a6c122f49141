"""Shared terminal styling: principal colours (the documents' swimlanes) and Swedish labels."""

from __future__ import annotations

PRINCIPAL_COLOUR = {
    "region": "blue",
    "kommun": "green",
    "gemensam": "grey58",
    "nationell": "magenta",
    "sjukvardsregional": "cyan",
}
PRINCIPAL_LABEL = {
    "region": "Region",
    "kommun": "Kommun",
    "gemensam": "Gemensamt",
    "nationell": "Nationellt",
    "sjukvardsregional": "Sjukvårdsregionalt",
}
WEIGHT_LABEL = {
    "kannedom": "kännedom",
    "bereder": "beredning",
    "tillstyrkan": "tillstyrkan",
    "rekommendation": "rekommendation",
    "faststallande": "fastställande",
    "beslut": "beslut",
}
STATUS_LABEL = {
    "completed": "slutfört",
    "handed_over": "överlämnat",
    "stopped": "avslutat",
    "parked": "parkerat",
    "ongoing": "pågående (fortlöpande uppföljning)",
}


def who(name: str, principal: str | None) -> str:
    """Rich markup for an actor coloured by principal."""
    from rich.markup import escape

    colour = PRINCIPAL_COLOUR.get(principal or "", "white")
    return f"[{colour}]{escape(name)}[/]"
