"""A flow as a Mermaid flowchart (left to right) for GitHub and the docs.

Mermaid has no real lanes (a subgraph's direction is ignored once its nodes link outside it), so
each node is coloured by its principal with one `classDef` per principal, and a legend subgraph
names the colours. Decisions are rhombi holding the question, sub-flow calls subroutine shapes,
per-party steps thick-bordered boxes marked `(varje kommun)`, ends rounded by kind.
"""

from __future__ import annotations

import json

from kprocess.maps.flowmap import (
    PRINCIPAL_COLOURS,
    PRINCIPAL_ORDER,
    Edge,
    FlowMap,
    Kind,
    Node,
    notes,
    other_lines,
    principal_label,
    wrap,
)
from kprocess.maps.responsible import Other

_SHAPES = {
    Kind.task: ("[", "]"),
    Kind.per_party: ("[", "]"),
    Kind.call: ("[[", "]]"),
    Kind.decision: ("{", "}"),
    Kind.fork: ("{", "}"),
    Kind.merge: ("{", "}"),
}
_END_SHAPES = {
    "completed": ("(((", ")))"),
    "ongoing": ("(((", ")))"),
    "handed_over": ("([", "])"),
    "parked": ("([", "])"),
    "stopped": ("((", "))"),
}


def render(maps: list[FlowMap]) -> str:
    """The Mermaid text of one flow, or of several flows each in its own subgraph."""
    title = maps[0].flow.name if len(maps) == 1 else maps[0].pack_name
    out = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "flowchart LR"]
    edges: list[tuple[str, Edge]] = []
    numbered = notes(maps)
    for number, flow_map in enumerate(maps, start=1):
        prefix = f"f{number}_" if len(maps) > 1 else ""
        indent = "    "
        if len(maps) > 1:
            out.append(f'    subgraph flow{number}["{_text(flow_map.flow.name)}"]')
            out.append("        direction LR")
            indent = "        "
        out += [f"{indent}{_node(node, prefix, numbered)}" for node in flow_map.nodes]
        for edge in flow_map.edges:
            arrow = "-.->" if edge.dashed else "-->"
            label = f'|"{_text(edge.label)}"|' if edge.label else ""
            out.append(f"{indent}{prefix}{edge.source} {arrow}{label} {prefix}{edge.target}")
            edges.append((prefix, edge))
        if len(maps) > 1:
            out.append("    end")
    out += _legend(maps)
    out += _notes(numbered)
    for principal, (fill, line) in PRINCIPAL_COLOURS.items():
        out.append(f"    classDef {principal} fill:{fill},stroke:{line},color:#111")
    out.append("    classDef perparty stroke-width:3px,stroke-dasharray:6 3")
    out.append("    classDef taken stroke:#d62728,stroke-width:4px,font-weight:bold")
    out += _classes(maps)
    out += [
        f"    linkStyle {index} stroke:#d62728,stroke-width:4px" for index, (_, edge) in enumerate(edges) if edge.taken
    ]
    return "\n".join(out) + "\n"


def _classes(maps: list[FlowMap]) -> list[str]:
    """`class` lines: each node's principal, per-party steps, and the case's path."""
    groups: dict[str, list[str]] = {}
    for number, flow_map in enumerate(maps, start=1):
        prefix = f"f{number}_" if len(maps) > 1 else ""
        for node in flow_map.nodes:
            groups.setdefault(node.principal, []).append(prefix + node.id)
            if node.kind is Kind.per_party:
                groups.setdefault("perparty", []).append(prefix + node.id)
            if flow_map.highlighted and node.taken:
                groups.setdefault("taken", []).append(prefix + node.id)
    order = [*PRINCIPAL_ORDER, "perparty", "taken"]
    return [f"    class {','.join(groups[name])} {name}" for name in order if name in groups]


def _notes(numbered: list[Other]) -> list[str]:
    """The notes on who does a step instead or decides jointly, and when."""
    if not numbered:
        return []
    lines = [other.note(n) for n, other in enumerate(numbered, start=1)]
    text = "<br/>".join(_text(line) for line in lines)
    return ['    subgraph notes["Ansvarig i stället"]', f'        notes_text["{text}"]', "    end"]


def _node(node: Node, prefix: str, numbered: list[Other]) -> str:
    opening, closing = _END_SHAPES[node.end or ""] if node.kind is Kind.end else _SHAPES[node.kind]
    lines = [*node.lines, *wrap("Svar: " + node.answer, 40)] if node.answer else node.lines
    label = "<br/>".join(_text(line) for line in lines)
    who = [*node.who, *other_lines(node, numbered)]
    if who:
        label += "<br/><i>" + "<br/>".join(_text(line) for line in who) + "</i>"
    return f'{prefix}{node.id}{opening}"{label}"{closing}'


def _legend(maps: list[FlowMap]) -> list[str]:
    used = {p for flow_map in maps for p in flow_map.principals}
    lines = ['    subgraph legend["Färger: huvudman"]', "        direction TB"]
    for principal in [p for p in PRINCIPAL_ORDER if p in used]:
        lines.append(f'        legend_{principal}["{_text(principal_label(principal))}"]:::{principal}')
    lines.append("    end")
    return lines


def _text(text: str) -> str:
    """Text safe inside a quoted Mermaid label (entity codes for the characters Mermaid reads)."""
    replacements = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;"}
    return "".join(replacements.get(c, c) for c in text)
