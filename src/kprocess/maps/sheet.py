"""A flow map arranged on a sheet: phase columns side by side, wrapped into rows of full-width lanes.

Each phase is placed on its own by `layout.place` (Graphviz orders it, a lane per principal), so a
phase is a column with its name above the lanes. Columns go left to right and start a new row
when the row would grow wider than `MAX_ROW_WIDTH`, so that a long process prints on a few
landscape pages instead of one strip. Every row repeats the flow's lanes across its whole width.
An arrow between two nodes of a row is routed around the other nodes (`layout.route_around`); an
arrow to another row becomes a pair of numbered connectors, as on a printed process map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kprocess.maps.flowmap import Edge, FlowMap, Kind, Node, other_lines
from kprocess.maps.layout import PAD, Box, Placement, Point, place, route_around
from kprocess.maps.layout import ROW_GAP as LAYOUT_ROW_GAP
from kprocess.maps.responsible import Other

CHAR = 6.4
"""Average width of a character of the map's 11 px text, in points."""
LINE = 14.0
MAX_ROW_WIDTH = 1800.0
LANE_HEAD = 118.0
"""Width of the column on the left of a row that names the lanes."""
PHASE_HEAD = 30.0
ROW_GAP = 36.0
MIN_LANE = 56.0
GATE = 30.0
COLUMN_PAD = 24.0
"""Room on the left of a column, for the connectors of arrows coming from another row."""
CONNECTOR = 10.0
"""Radius of a connector's circle."""
_GATEWAYS = (Kind.decision, Kind.fork, Kind.merge)


@dataclass
class Column:
    """A phase on the sheet: its name and where its column is."""

    name: str
    x: float
    width: float


@dataclass
class Row:
    """A row of phase columns across the lanes: lane key → (top, height) on the sheet."""

    top: float
    height: float
    width: float
    lanes: dict[str, tuple[float, float]] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)


@dataclass
class Link:
    """An arrow as drawn: its waypoints, or (across rows) its connector's number and two stubs."""

    edge: Edge
    points: list[Point]
    connector: int = 0
    arrival: list[Point] = field(default_factory=list)


@dataclass
class Sheet:
    """Everything placed: nodes' boxes by node id, the rows, the arrows, the size."""

    boxes: dict[str, Box]
    rows: list[Row]
    links: list[Link]
    width: float
    height: float


def node_lines(node: Node, numbered: list[Other]) -> tuple[list[str], list[str]]:
    """A node's text: its own lines (the case's answer last) and the lines saying who does it."""
    lines = list(node.lines)
    if node.answer:
        from kprocess.maps.flowmap import wrap

        lines += wrap("Svar: " + node.answer, 30)
    return lines, [*node.who, *other_lines(node, numbered)]


def node_size(node: Node, numbered: list[Other]) -> tuple[float, float]:
    """The width and height a node needs for its text."""
    if node.kind in (Kind.fork, Kind.merge):
        return GATE, GATE
    lines, who = node_lines(node, numbered)
    text_width = max(len(line) for line in [*lines, *who]) * CHAR
    text_height = (len(lines) + len(who)) * LINE
    if node.kind is Kind.decision:  # a rhombus twice as wide as high holding the text's rectangle
        half = text_width / 2 + text_height + 8
        return 2 * half, half
    if node.kind is Kind.end:
        return max(80.0, text_width + 34), text_height + 14
    marker = 12.0 if node.kind in (Kind.per_party, Kind.call) else 0.0
    return max(120.0, text_width + 20), text_height + 14 + marker


def arrange(flow_map: FlowMap, numbered: list[Other], *, top: float = 0.0) -> Sheet:
    """Place a flow map's phases as columns in rows of lanes, starting at `top`."""
    lanes = flow_map.principals
    boxes = {n.id: Box(n.id, *node_size(n, numbered), n.principal) for n in flow_map.nodes}
    phase_of = {n.id: n.phase for n in flow_map.nodes}
    used = [(key, name) for key, name in flow_map.phases if key in phase_of.values()]
    placed: list[tuple[str, Placement]] = []
    for key, name in used:
        members = [boxes[n.id] for n in flow_map.nodes if n.phase == key]
        inside = [(e.source, e.target) for e in flow_map.edges if phase_of[e.source] == phase_of[e.target] == key]
        whole = place(members, inside, lanes, min_lane_height=MIN_LANE)
        for number, part in enumerate(_split(whole)):
            placed.append((name if number == 0 else f"{name} (forts.)", _compact(part, lanes)))
    rows: list[tuple[Row, list[Placement]]] = []
    for name, placement in placed:
        if not rows or (rows[-1][0].width + placement.width > MAX_ROW_WIDTH and rows[-1][1]):
            rows.append((Row(0.0, 0.0, LANE_HEAD), []))
        row, members_of_row = rows[-1]
        row.columns.append(Column(name, row.width, placement.width + COLUMN_PAD))
        row.width += placement.width + COLUMN_PAD
        members_of_row.append(placement)
    width = max((row.width for row, _ in rows), default=LANE_HEAD)
    y = top
    row_of: dict[str, int] = {}
    for number, (row, placements) in enumerate(rows):
        row.top, row.width = y, width
        lane_top = y + PHASE_HEAD
        for lane in lanes:
            height = max(p.lanes[lane][1] for p in placements)
            row.lanes[lane] = (lane_top, height)
            lane_top += height
        row.height = lane_top - y
        for column, placement in zip(row.columns, placements, strict=True):
            for box in placement.boxes.values():
                own_top, own_height = placement.lanes[box.lane or ""]
                band_top, band_height = row.lanes[box.lane or ""]
                box.x += column.x + COLUMN_PAD
                box.y += band_top - own_top + (band_height - own_height) / 2
                row_of[box.id] = number
        y += row.height + ROW_GAP
    links = _links(flow_map, boxes, [row for row, _ in rows], row_of)
    return Sheet(boxes, [row for row, _ in rows], links, width, y - ROW_GAP)


def _split(placement: Placement) -> list[Placement]:
    """A placement wider than a row cut into parts, between boxes, each at most a row wide."""
    if placement.width <= MAX_ROW_WIDTH - LANE_HEAD:
        return [placement]
    boxes = sorted(placement.boxes.values(), key=lambda b: b.x)
    parts: list[Placement] = []
    start = 0.0
    while boxes:
        limit = start + MAX_ROW_WIDTH - LANE_HEAD
        cuts = sorted({b.right + PAD / 2 for b in boxes if b.right + PAD / 2 <= limit}, reverse=True)
        cut = next((c for c in cuts if not any(o.x < c < o.right for o in boxes)), None)
        taken = [b for b in boxes if cut is not None and b.right < cut]
        if not taken:
            taken = [boxes[0]]
        shift = min(b.x for b in taken) - PAD
        for box in taken:
            box.x -= shift
        part = Placement({b.id: b for b in taken}, dict(placement.lanes), height=placement.height)
        part.width = max(b.right for b in taken) + PAD
        parts.append(part)
        boxes = [b for b in boxes if b not in taken]
        start = min((b.x for b in boxes), default=0.0) - PAD
    return parts


def _compact(placement: Placement, lanes: list[str]) -> Placement:
    """Each lane as low as its boxes allow: their rows stacked again in the same order, empty
    rows (left by boxes now in another part) gone."""
    top = 0.0
    for lane in lanes:
        members = sorted((b for b in placement.boxes.values() if b.lane == lane), key=lambda b: b.y)
        rows: list[list[Box]] = []
        for box in members:
            if rows and box.y < max(b.bottom for b in rows[-1]):
                rows[-1].append(box)
            else:
                rows.append([box])
        y = top + PAD
        for row in rows:
            first = min(b.y for b in row)
            for box in row:
                box.y += y - first
            y = max(b.bottom for b in row) + LAYOUT_ROW_GAP
        height = max(y - LAYOUT_ROW_GAP + PAD - top if rows else 0.0, MIN_LANE)
        placement.lanes[lane] = (top, height)
        top += height
    placement.height = top
    return placement


def _links(flow_map: FlowMap, boxes: dict[str, Box], rows: list[Row], row_of: dict[str, int]) -> list[Link]:
    kinds = {n.id: n.kind for n in flow_map.nodes}
    by_row: dict[int, list[Box]] = {}
    for node_id, number in row_of.items():
        by_row.setdefault(number, []).append(boxes[node_id])
    links: list[Link] = []
    connectors = 0
    for edge in flow_map.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        number = row_of[edge.source]
        if number == row_of[edge.target]:
            row = rows[number]
            corridors = [y for top, height in row.lanes.values() for y in (top + 8, top + height - 8)]
            points = route_around(
                source,
                target,
                by_row[number],
                corridors,
                source_gateway=kinds[edge.source] in _GATEWAYS,
                target_gateway=kinds[edge.target] in _GATEWAYS,
            )
            links.append(Link(edge, points))
            continue
        connectors += 1
        leave = [(source.right, source.cy), (source.right + 16, source.cy)]
        arrive = [(target.x - 16, target.cy), (target.x, target.cy)]
        links.append(Link(edge, leave, connectors, arrive))
    return links
