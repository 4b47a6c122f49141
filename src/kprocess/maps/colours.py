"""The lanes of every map: their order, names and the documents' colours, in one table.

The Västernorrland legend gives Blå = Region, Grön = Kommun, Grå = Gemensamt; the national
level is purple and the healthcare region teal. BPMN, SVG, HTML and Mermaid all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lane:
    """A principal's lane: its name on the map, the colour's name, fill and line colours."""

    name: str
    colour: str
    fill: str
    line: str


LANES: dict[str, Lane] = {
    "nationell": Lane("Nationell nivå", "Lila", "#eadcf2", "#7b3f99"),
    "sjukvardsregional": Lane("Sjukvårdsregion", "Turkos", "#d5efef", "#24807f"),
    "region": Lane("Region", "Blå", "#d6e6f8", "#2b63a8"),
    "gemensam": Lane("Gemensamt", "Grå", "#e4e4e4", "#6b6b6b"),
    "kommun": Lane("Kommun", "Grön", "#d9efd2", "#3a7f31"),
}
"""Top to bottom, the order of the lanes on every map."""

PRINCIPAL_ORDER = list(LANES)
PRINCIPAL_COLOURS = {key: (lane.fill, lane.line) for key, lane in LANES.items()}
COLOUR_NAMES = {key: lane.colour for key, lane in LANES.items()}
OTHER = Lane("", "", "#ffffff", "#444444")
"""A lane that is not a principal's (lanes by actor)."""
