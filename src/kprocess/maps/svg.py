"""Flow maps as SVG: full-width swimlanes per principal in the documents' colours, phases as columns.

The nodes are placed by `sheet` (Graphviz orders each phase, as for BPMN, through `layout`), and
drawn here as plain SVG: no fonts, scripts or links to fetch. Several flows are stacked, each with
its name. The file carries the digest of what it draws and the Graphviz version that placed it,
so a committed map can be checked without drawing it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from itertools import pairwise
from xml.sax.saxutils import escape, quoteattr

from kprocess.maps.colours import LANES, OTHER
from kprocess.maps.flowmap import FlowMap, Kind, Node, notes, principal_label, wrap
from kprocess.maps.layout import Box, LayoutError, Point
from kprocess.maps.sheet import CHAR, CONNECTOR, LANE_HEAD, LINE, PHASE_HEAD, Link, Sheet, arrange, node_lines

RED = "#d62728"
FADED = "#a0a0a0"
INK = "#1d1d1d"
FONT = "Helvetica, Arial, sans-serif"
MARGIN = 16.0
TITLE = 30.0
FLOW_TITLE = 26.0
LEGEND = 30.0
FLOW_GAP = 30.0
LAYOUT_VERSION = "2"
"""Changes when the same map would be drawn differently; part of the digest."""


MISSING = "Graphviz (`dot`) saknas; installera det, t.ex. `apt-get install graphviz`"


class GraphvizMissingError(RuntimeError):
    """Graphviz's `dot` is not installed."""


def digest(maps: list[FlowMap]) -> str:
    """The SHA-256 of what a map draws (committed maps carry it, so staleness needs no Graphviz)."""
    content = [LAYOUT_VERSION, *(asdict(m) | {"flow": m.flow.id} for m in maps)]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def graphviz_version() -> str:
    """The version of the Graphviz that places the nodes (`dot -V`)."""
    import graphviz

    try:
        return ".".join(str(part) for part in graphviz.version())
    except graphviz.ExecutableNotFound as error:
        raise GraphvizMissingError(MISSING) from error


def render(maps: list[FlowMap]) -> str:
    """The SVG document of one or more flow maps."""
    try:
        return _Drawing(maps).svg()
    except LayoutError as error:
        raise GraphvizMissingError(str(error)) from error


class _Drawing:
    def __init__(self, maps: list[FlowMap]) -> None:
        self.maps = maps
        self.numbered = notes(maps)
        self.highlighted = any(m.highlighted for m in maps)
        self.ids = maps[0].flow.id
        self.out: list[str] = []

    def svg(self) -> str:
        y = MARGIN + TITLE
        title = self.maps[0].flow.name if len(self.maps) == 1 else self.maps[0].pack_name
        body: list[str] = [_text(MARGIN, MARGIN + 18, title, size=18, weight="bold")]
        body += self.legend(y)
        y += LEGEND
        width = 0.0
        for flow_map in self.maps:
            if len(self.maps) > 1:
                body.append(_text(MARGIN, y + 18, flow_map.flow.name, size=15, weight="bold"))
                y += FLOW_TITLE
            sheet = arrange(flow_map, self.numbered, top=y)
            self.out = []
            self.sheet(flow_map, sheet)
            body.append(f'<g transform="translate({MARGIN:.0f},0)">')
            body += self.out
            body.append("</g>")
            width = max(width, sheet.width)
            y = sheet.height + FLOW_GAP
        y += self.footnotes(body, y)
        width = max(width + 2 * MARGIN, 700.0)
        height = y + MARGIN
        head = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f"<!-- kprocess-map-sha256: {digest(self.maps)} -->",
            f"<!-- placed by graphviz {graphviz_version()} -->",
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="11">',
            f"<title>{escape(title)}</title>",
            self.defs(),
            f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        ]
        return "\n".join([*head, *body, "</svg>"]) + "\n"

    def defs(self) -> str:
        markers = "".join(
            f'<marker id="{self.ids}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for name, colour in (("pil", INK), ("pil-rod", RED), ("pil-gra", FADED))
        )
        return f"<defs>{markers}</defs>"

    def legend(self, y: float) -> list[str]:
        used = [key for key in LANES if any(key in m.principals for m in self.maps)]
        out, x = [], MARGIN
        for key in used:
            lane = LANES[key]
            label = principal_label(key)
            width = len(label) * CHAR + 20
            out.append(
                f'<rect x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="20" rx="3" fill="{lane.fill}" '
                f'stroke="{lane.line}" stroke-width="1.5"/>'
            )
            out.append(_text(x + 10, y + 14, label))
            x += width + 10
        keys = "Romb: beslut eller vägval · +: parallella grenar · dubbel ram: varje part för sig · tjock ram: delflöde"
        if self.highlighted:
            out.append(_text(x + 10, y + 14, "Röd: ärendets väg och svar", colour=RED, weight="bold"))
            x += 190
        out.append(_text(x + 10, y + 14, keys, colour="#555555"))
        return out

    def footnotes(self, body: list[str], y: float) -> float:
        if not self.numbered:
            return 0.0
        body.append(_text(MARGIN, y + 14, "Ansvarig i stället", weight="bold"))
        for number, other in enumerate(self.numbered, start=1):
            body.append(_text(MARGIN, y + 14 + number * LINE, other.note(number)))
        return (len(self.numbered) + 1) * LINE + 10

    # -- one flow -----------------------------------------------------------------------

    def sheet(self, flow_map: FlowMap, sheet: Sheet) -> None:
        for row in sheet.rows:
            for key, (top, height) in row.lanes.items():
                lane = LANES.get(key, OTHER)
                self.out.append(
                    f'<rect x="0" y="{top:.1f}" width="{row.width:.1f}" height="{height:.1f}" fill="{lane.fill}" '
                    f'fill-opacity="0.45" stroke="{lane.line}"/>'
                )
                self.out.append(
                    f'<rect x="0" y="{top:.1f}" width="{LANE_HEAD:.0f}" height="{height:.1f}" fill="{lane.fill}" '
                    f'stroke="{lane.line}"/>'
                )
                words = wrap(principal_label(key), 16)
                first = top + height / 2 - (len(words) - 1) * LINE / 2 + 4
                self.out.append(_lines(LANE_HEAD / 2, first, words, weight="bold", anchor="middle"))
            for column in row.columns:
                x = column.x
                self.out.append(
                    f'<rect x="{x:.1f}" y="{row.top:.1f}" width="{column.width:.1f}" height="{PHASE_HEAD:.0f}" '
                    'fill="#f1f1f1" stroke="#8a8a8a"/>'
                )
                self.out.append(_text(x + 8, row.top + 19, column.name, size=12, weight="bold"))
                if column.x > LANE_HEAD:
                    self.out.append(
                        f'<line x1="{x:.1f}" y1="{row.top + PHASE_HEAD:.1f}" x2="{x:.1f}" '
                        f'y2="{row.top + row.height:.1f}" stroke="#666666" stroke-dasharray="6 4"/>'
                    )
        for link in sheet.links:
            self.link(link, flow_map.highlighted)
        for node in flow_map.nodes:
            self.node(node, sheet.boxes[node.id], flow_map.highlighted)

    def colours(self, taken: bool, highlighted: bool) -> tuple[str, float, str]:
        if highlighted and taken:
            return RED, 2.5, "pil-rod"
        if highlighted:
            return FADED, 1.2, "pil-gra"
        return INK, 1.2, "pil"

    def link(self, link: Link, highlighted: bool) -> None:
        colour, width, marker = self.colours(link.edge.taken, highlighted)
        dash = ' stroke-dasharray="6 4"' if link.edge.dashed else ""
        style = f'fill="none" stroke="{colour}" stroke-width="{width}"{dash}'
        if link.connector:
            self.out.append(f'<polyline points="{_points(link.points)}" {style}/>')
            self.connector(link.points[-1][0] + CONNECTOR, link.points[-1][1], link.connector, colour)
            self.connector(link.arrival[0][0] - CONNECTOR, link.arrival[0][1], link.connector, colour)
            self.out.append(
                f'<polyline points="{_points(link.arrival)}" {style} marker-end="url(#{self.ids}-{marker})"/>'
            )
        else:
            self.out.append(
                f'<polyline points="{_points(link.points)}" {style} marker-end="url(#{self.ids}-{marker})"/>'
            )
        if link.edge.label:
            x, y = _label_spot(link.points)
            label_colour = RED if highlighted and link.edge.taken else "#333333"
            self.out.append(_lines(x, y, wrap(link.edge.label, 30), size=10, colour=label_colour, halo=True))

    def connector(self, x: float, y: float, number: int, colour: str) -> None:
        self.out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{CONNECTOR:.0f}" fill="#ffffff" stroke="{colour}" '
            'stroke-width="1.5"/>'
        )
        self.out.append(_text(x, y + 4, str(number), size=10, weight="bold", anchor="middle", colour=colour))

    def node(self, node: Node, box: Box, highlighted: bool) -> None:
        lane = LANES.get(node.principal, OTHER)
        stroke, width = lane.line, 1.5
        if highlighted and node.taken:
            stroke, width = RED, 3.0
        elif highlighted:
            stroke = FADED
        paint = f'fill="{lane.fill}" stroke="{stroke}" stroke-width="{width}"'
        x, y, w, h = box.x, box.y, box.width, box.height
        title = f"<title>{escape(' '.join(node.lines))}</title>"
        self.out.append(f"<g>{title}")
        if node.kind in (Kind.decision, Kind.fork, Kind.merge):
            self.out.append(
                f'<polygon points="{_points([(box.cx, y), (x + w, box.cy), (box.cx, y + h), (x, box.cy)])}" {paint}/>'
            )
        elif node.kind is Kind.end:
            self.end(node, box, paint, stroke)
        else:
            if node.kind is Kind.per_party:
                for offset in (6, 3):
                    self.out.append(
                        f'<rect x="{x + offset:.1f}" y="{y - offset:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
                        f"{paint}/>"
                    )
            thick = f' stroke-width="{max(width, 3.5)}"' if node.kind is Kind.call else ""
            rect = f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" {paint}'
            self.out.append(rect.replace(f' stroke-width="{width}"', thick or f' stroke-width="{width}"') + "/>")
            self.marker(node, box)
        self.label(node, box, highlighted)
        self.out.append("</g>")

    def end(self, node: Node, box: Box, paint: str, stroke: str) -> None:
        x, y, w, h = box.x, box.y, box.width, box.height
        dash = ' stroke-dasharray="5 3"' if node.end in ("parked", "ongoing") else ""
        heavy = node.end in ("stopped", "handed_over")
        if heavy:
            paint = paint.rsplit(" stroke-width=", 1)[0] + ' stroke-width="3.5"'
        self.out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{h / 2:.1f}" {paint}{dash}/>'
        )
        if node.end in ("completed", "ongoing"):
            self.out.append(
                f'<rect x="{x + 3:.1f}" y="{y + 3:.1f}" width="{w - 6:.1f}" height="{h - 6:.1f}" rx="{h / 2 - 3:.1f}" '
                f'fill="none" stroke="{stroke}"{dash}/>'
            )

    def marker(self, node: Node, box: Box) -> None:
        """BPMN's markers: three bars for each party, a boxed plus for a sub-flow."""
        x, y = box.cx, box.bottom - 13
        if node.kind is Kind.per_party:
            self.out += [
                f'<line x1="{x + dx:.1f}" y1="{y:.1f}" x2="{x + dx:.1f}" y2="{y + 9:.1f}" stroke="{INK}" '
                'stroke-width="1.5"/>'
                for dx in (-4, 0, 4)
            ]
        elif node.kind is Kind.call:
            self.out.append(
                f'<rect x="{x - 5:.1f}" y="{y:.1f}" width="10" height="10" fill="none" stroke="{INK}"/>'
                f'<path d="M{x - 3:.1f},{y + 5:.1f} h6 M{x:.1f},{y + 2:.1f} v6" stroke="{INK}"/>'
            )

    def label(self, node: Node, box: Box, highlighted: bool) -> None:
        if node.kind in (Kind.fork, Kind.merge):
            self.out.append(_text(box.cx, box.cy + 6, "+", size=18, weight="bold", anchor="middle"))
            return
        lines, who = node_lines(node, self.numbered)
        answer = len(node.lines) if node.answer else len(lines)
        total = len(lines) + len(who)
        marker = 12.0 if node.kind in (Kind.per_party, Kind.call) else 0.0
        y = box.cy - marker / 2 - (total - 1) * LINE / 2 + 4
        self.out.append(_lines(box.cx, y, lines[:answer], anchor="middle"))
        if answer < len(lines):
            self.out.append(
                _lines(box.cx, y + answer * LINE, lines[answer:], anchor="middle", colour=RED, weight="bold")
            )
        if who:
            self.out.append(
                _lines(box.cx, y + len(lines) * LINE, who, anchor="middle", size=10, style="italic", colour="#333333")
            )


def _label_spot(points: list[Point]) -> tuple[float, float]:
    """Where an arrow's label starts: above its first horizontal stretch long enough to hold a
    word, else beside its first segment."""
    for (x0, y0), (x1, y1) in pairwise(points):
        if abs(y0 - y1) < 1 and abs(x1 - x0) >= 40:
            return min(x0, x1) + 6, y0 - 5
    (x0, y0), (_, y1) = points[0], points[1]
    return x0 + 5, y0 + (12 if y1 > y0 else -6)


def _points(points: list[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 11,
    weight: str = "",
    anchor: str = "",
    colour: str = INK,
    style: str = "",
) -> str:
    return _lines(x, y, [text], size=size, weight=weight, anchor=anchor, colour=colour, style=style)


def _lines(
    x: float,
    y: float,
    lines: list[str],
    *,
    size: float = 11,
    weight: str = "",
    anchor: str = "",
    colour: str = INK,
    style: str = "",
    halo: bool = False,
) -> str:
    """A `<text>` of lines, one under the other, the first with its baseline at `y`."""
    attributes = f'x="{x:.1f}" y="{y:.1f}" fill="{colour}"'
    if size != 11:
        attributes += f' font-size="{size:g}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if anchor:
        attributes += f' text-anchor="{anchor}"'
    if style:
        attributes += f' font-style="{style}"'
    if halo:
        attributes += ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'
    spans = "".join(
        f"<tspan x={quoteattr(f'{x:.1f}')} dy={quoteattr('0' if i == 0 else f'{LINE:.0f}')}>{escape(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return f"<text {attributes}>{spans}</text>"
