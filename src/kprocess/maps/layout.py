"""Placing a process graph left to right in horizontal lanes.

Graphviz's `dot` (through the `graphviz` package) orders the graph: it puts each node in a rank
from left to right and orders the nodes within a rank so that few edges cross, with the nodes of
one lane kept together. The lanes are then laid out as bands, top to bottom in the given order:
a node keeps dot's horizontal position and goes into its own lane, on the first row of that lane
where it overlaps no other node, rows taken in dot's vertical order. Edges are drawn as
orthogonal lines between the placed boxes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

POINTS_PER_INCH = 72
LANE_HEADER = 30
"""Width of the band on the left of a lane (or pool) that holds its name."""
PAD = 20
ROW_GAP = 30
MIN_LANE_HEIGHT = 120


class LayoutError(RuntimeError):
    """Graphviz is missing or failed."""


@dataclass
class Box:
    """A node to place: its size and lane in, its top-left corner out."""

    id: str
    width: float
    height: float
    lane: str | None = None
    x: float = 0.0
    y: float = 0.0

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


@dataclass
class Placement:
    """Placed boxes, the lanes' bands (key → top, height) and the total size."""

    boxes: dict[str, Box]
    lanes: dict[str, tuple[float, float]] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0


def _dot_positions(
    boxes: Sequence[Box], edges: Sequence[tuple[str, str]], lanes: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """dot's centre of every box (y grows downwards), with each lane as a cluster."""
    import graphviz

    graph = graphviz.Digraph(graph_attr={"rankdir": "LR", "nodesep": "0.35", "ranksep": "0.45", "newrank": "true"})
    graph.attr("node", shape="box", fixedsize="true", label="")
    index = {box.id: f"n{i}" for i, box in enumerate(boxes)}

    def add(target: graphviz.Digraph, box: Box) -> None:
        target.node(
            index[box.id], width=f"{box.width / POINTS_PER_INCH:.3f}", height=f"{box.height / POINTS_PER_INCH:.3f}"
        )

    for k, lane in enumerate(lanes):
        with graph.subgraph(name=f"cluster_{k}") as cluster:
            for box in boxes:
                if box.lane == lane:
                    add(cluster, box)
    for box in boxes:
        if box.lane not in lanes:
            add(graph, box)
    for source, target in edges:
        if source in index and target in index and source != target:
            graph.edge(index[source], index[target])
    try:
        raw = graph.pipe(format="json", engine="dot")
    except graphviz.ExecutableNotFound as error:
        raise LayoutError("Graphviz (`dot`) saknas; installera det, t.ex. `apt-get install graphviz`") from error
    except graphviz.CalledProcessError as error:  # pragma: no cover - dot refusing a graph it was given
        raise LayoutError(f"Graphviz kunde inte placera kartan: {error}") from error
    back = {v: k for k, v in index.items()}
    found: dict[str, tuple[float, float]] = {}
    for obj in json.loads(raw).get("objects", []):
        if obj.get("name") in back and "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            found[back[obj["name"]]] = (x, -y)
    return found


def place(
    boxes: Sequence[Box],
    edges: Sequence[tuple[str, str]],
    lanes: Sequence[str],
    *,
    left: float = 0.0,
    min_lane_height: float = MIN_LANE_HEIGHT,
) -> Placement:
    """Place `boxes` left to right; with `lanes`, each box in the band of its lane (in that order).

    Coordinates start at (left, 0); every lane is at least `min_lane_height` high.
    """
    if not boxes:
        placement = Placement({}, width=2 * PAD)
        for k, lane in enumerate(lanes):
            placement.lanes[lane] = (k * min_lane_height, min_lane_height)
        placement.height = len(lanes) * min_lane_height
        return placement
    centres = _dot_positions(boxes, edges, lanes)
    min_x = min((x - b.width / 2 for b in boxes for x in [centres[b.id][0]]), default=0.0)
    bands: list[str | None] = list(lanes) if lanes else [None]
    placement = Placement({b.id: b for b in boxes})
    top = 0.0
    right = left
    for band in bands:
        members = sorted(
            (b for b in boxes if (b.lane == band if lanes else True)),
            key=lambda b: (centres[b.id][1], centres[b.id][0]),
        )
        rows: list[list[Box]] = []
        for box in members:
            box.x = left + PAD + centres[box.id][0] - box.width / 2 - min_x
            for row in rows:
                if all(box.right + PAD <= other.x or other.right + PAD <= box.x for other in row):
                    row.append(box)
                    break
            else:
                rows.append([box])
        y = top + PAD
        for row in rows:
            height = max(b.height for b in row)
            for box in row:
                box.y = y + (height - box.height) / 2
                right = max(right, box.right)
            y += height + ROW_GAP
        height = max(y - ROW_GAP + PAD - top, min_lane_height if lanes else 0.0)
        if band is not None:
            placement.lanes[band] = (top, height)
        top += height
    placement.width = right + PAD - left
    placement.height = top
    return placement


def route(
    source: Box, target: Box, *, source_gateway: bool = False, target_gateway: bool = False
) -> list[tuple[float, float]]:
    """Orthogonal waypoints from `source` to `target`: forwards from the right side to the left
    side (a gateway leaves or is entered at its top or bottom corner), backwards below both."""
    if target.x >= source.right - 1:
        if abs(source.cy - target.cy) < 1:
            return [(source.right, source.cy), (target.x, target.cy)]
        if source_gateway:
            start_y = source.y if target.cy < source.cy else source.bottom
            return [(source.cx, start_y), (source.cx, target.cy), (target.x, target.cy)]
        if target_gateway:
            end_y = target.y if source.cy < target.cy else target.bottom
            return [(source.right, source.cy), (target.cx, source.cy), (target.cx, end_y)]
        middle = (source.right + target.x) / 2
        return [(source.right, source.cy), (middle, source.cy), (middle, target.cy), (target.x, target.cy)]
    below = max(source.bottom, target.bottom) + ROW_GAP / 2
    return [(source.cx, source.bottom), (source.cx, below), (target.cx, below), (target.cx, target.bottom)]


Point = tuple[float, float]


def route_around(
    source: Box,
    target: Box,
    obstacles: Sequence[Box],
    corridors: Sequence[float],
    *,
    source_gateway: bool = False,
    target_gateway: bool = False,
) -> list[Point]:
    """Orthogonal waypoints from `source` to `target` that cross as few `obstacles` as it can.

    The plain route (`route`) is tried first; when it runs through a box, routes with their
    vertical part in another gap between boxes, and routes along a horizontal `corridors` line
    (a lane's edge, say), are tried; the one crossing fewest boxes, then shortest, wins.
    """
    others = [b for b in obstacles if b.id not in (source.id, target.id)]
    plain = route(source, target, source_gateway=source_gateway, target_gateway=target_gateway)
    if _crossings(plain, others) == 0:
        return plain
    candidates = [plain, *_channel_routes(source, target, others), *_corridor_routes(source, target, corridors)]
    return min(candidates, key=lambda points: (_crossings(points, others), _length(points), len(points)))


def _channel_routes(source: Box, target: Box, others: Sequence[Box]) -> list[list[Point]]:
    """Right side to left side with the vertical part in each free gap between the two."""
    if target.x < source.right + 2 * GAP_STEP or abs(source.cy - target.cy) < 1:
        return []
    low, high = min(source.cy, target.cy), max(source.cy, target.cy)
    blocking = sorted((b.x, b.right) for b in others if b.bottom > low and b.y < high)
    xs, start = [], source.right + GAP_STEP
    for begin, end in [*blocking, (target.x - GAP_STEP, target.x - GAP_STEP)]:
        if begin > start and start < target.x - GAP_STEP:
            xs.append((start + min(begin, target.x - GAP_STEP)) / 2)
        start = max(start, end + GAP_STEP)
    return [[(source.right, source.cy), (x, source.cy), (x, target.cy), (target.x, target.cy)] for x in xs]


def _corridor_routes(source: Box, target: Box, corridors: Sequence[float]) -> list[list[Point]]:
    """Out of the source, along a corridor, into the target: forwards right to left side,
    backwards (or straight above or below) from the bottom or top to the bottom or top."""
    out: list[list[Point]] = []
    forwards = target.x >= source.right + 2 * GAP_STEP
    for y in corridors:
        if forwards:
            x0, x1 = source.right + GAP_STEP, target.x - GAP_STEP
            out.append(
                [(source.right, source.cy), (x0, source.cy), (x0, y), (x1, y), (x1, target.cy), (target.x, target.cy)]
            )
        else:
            start = (source.cx, source.bottom) if y >= source.cy else (source.cx, source.y)
            end = (target.cx, target.bottom) if y >= target.cy else (target.cx, target.y)
            out.append([start, (source.cx, y), (target.cx, y), end])
    return out


GAP_STEP = 8.0
"""How far an edge runs out of a box before it turns."""


def _crossings(points: Sequence[Point], boxes: Sequence[Box]) -> int:
    """How many boxes the polyline runs through (touching an edge does not count)."""
    count = 0
    for box in boxes:
        for (x0, y0), (x1, y1) in pairwise(points):
            across = min(x0, x1) < box.right - 1 and max(x0, x1) > box.x + 1
            if across and min(y0, y1) < box.bottom - 1 and max(y0, y1) > box.y + 1:
                count += 1
                break
    return count


def _length(points: Sequence[Point]) -> float:
    return sum(abs(x1 - x0) + abs(y1 - y0) for (x0, y0), (x1, y1) in pairwise(points))
