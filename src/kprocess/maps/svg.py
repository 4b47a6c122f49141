"""A flow as SVG through Graphviz: a lane per principal (a cluster in the documents' colours).

`dot_source` gives the Graphviz text, `render` runs `dot -Tsvg` on it. Graphviz comes from the
system (`apt-get install graphviz`); without it `GraphvizMissingError` says how to install it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess

from kprocess.maps.flowmap import PRINCIPAL_COLOURS, Edge, FlowMap, Kind, Node, principal_label

RED = "#d62728"
FADED = "#9a9a9a"
FONT = "Helvetica,Arial,sans-serif"
_END_STYLE = {
    "completed": 'shape=ellipse, peripheries=2, penwidth=2, style="filled"',
    "ongoing": 'shape=ellipse, peripheries=2, penwidth=2, style="filled,dashed"',
    "handed_over": 'shape=ellipse, penwidth=3, style="filled"',
    "stopped": 'shape=ellipse, penwidth=3, style="filled"',
    "parked": 'shape=ellipse, penwidth=2, style="filled,dashed"',
}
_SHAPE = {
    Kind.task: 'shape=box, style="rounded,filled"',
    Kind.per_party: 'shape=box3d, style="filled"',
    Kind.call: 'shape=box, style="rounded,filled", penwidth=3',
    Kind.decision: 'shape=diamond, style="filled"',
    Kind.fork: 'shape=diamond, style="filled", width=0.45, height=0.45, fixedsize=true, fontsize=16',
    Kind.merge: 'shape=diamond, style="filled", width=0.45, height=0.45, fixedsize=true, fontsize=16',
}


class GraphvizMissingError(RuntimeError):
    """Graphviz's `dot` is not installed."""


def dot_source(maps: list[FlowMap]) -> str:
    """The Graphviz text: left to right, one cluster (lane) per principal; several flows stacked."""
    highlighted = any(m.highlighted for m in maps)
    title = _html(maps[0].flow.name if len(maps) == 1 else maps[0].pack_name)
    if highlighted:
        title += f'<BR/><FONT POINT-SIZE="11" COLOR="{RED}">Röd: ärendets väg och svar</FONT>'
    out = [
        "digraph map {",
        f'  graph [rankdir=LR, fontname="{FONT}", labelloc=t, labeljust=l, fontsize=16, nodesep=0.25, '
        f"ranksep=0.35, newrank=true, label=<<B>{title}</B>>];",
        f'  node [fontname="{FONT}", fontsize=10, margin="0.1,0.05"];',
        f'  edge [fontname="{FONT}", fontsize=9, arrowsize=0.7];',
    ]
    # In a left-to-right graph dot stacks clusters bottom-up: the last one written ends on top.
    for number, flow_map in reversed(list(enumerate(maps, start=1))):
        prefix = f"f{number}_" if len(maps) > 1 else ""
        indent = "  "
        if len(maps) > 1:
            out.append(f"  subgraph cluster_flow{number} {{")
            out.append(f'    label=<<B>{_html(flow_map.flow.name)}</B>>; color="#444444"; fontsize=14;')
            indent = "    "
        out += _lanes(flow_map, prefix, indent)
        out += [f"{indent}{_edge(edge, prefix, flow_map.highlighted)}" for edge in flow_map.edges]
        if len(maps) > 1:
            out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def _lanes(flow_map: FlowMap, prefix: str, indent: str) -> list[str]:
    out = []
    for principal in flow_map.principals:
        fill, line = PRINCIPAL_COLOURS[principal]
        out.append(f"{indent}subgraph cluster_{prefix}{principal} {{")
        out.append(
            f'{indent}  label=<<B>{_html(principal_label(principal))}</B>>; style="filled"; fillcolor="{fill}80"; '
            f'color="{line}"; fontsize=12;'
        )
        out += [f"{indent}  {_node(n, prefix, fill, line, flow_map.highlighted)}" for n in flow_map.lane(principal)]
        out.append(f"{indent}}}")
    return out


def render(maps: list[FlowMap]) -> str:
    """The SVG of flow maps, with the digest of its Graphviz text in a comment."""
    source = dot_source(maps)
    svg = run_dot(source)
    marker = f"<!-- kprocess-dot-sha256: {digest(source)} -->\n"
    head, sep, rest = svg.partition("?>\n")
    return head + sep + marker + rest if sep else marker + svg


def digest(source: str) -> str:
    """The SHA-256 of a Graphviz text (committed maps carry it, so staleness needs no Graphviz)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def run_dot(source: str) -> str:
    """`dot -Tsvg` on `source`."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissingError("Graphviz (`dot`) saknas; installera det, t.ex. `apt-get install graphviz`")
    done = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dot misslyckades: {done.stderr.strip()[:500]}")
    return done.stdout


def _node(node: Node, prefix: str, fill: str, line: str, highlighted: bool) -> str:
    style = _END_STYLE[node.end or "completed"] if node.kind is Kind.end else _SHAPE[node.kind]
    label = "<BR/>".join(_html(x) for x in node.lines)
    if node.who:
        label += '<BR/><FONT POINT-SIZE="9"><I>' + "<BR/>".join(_html(x) for x in node.who) + "</I></FONT>"
    colour = line
    width = ""
    if highlighted and node.taken:
        colour, width = RED, ", penwidth=3.5"
    elif highlighted:
        colour = FADED
    return f'{prefix}{node.id} [{style}, fillcolor="{fill}", color="{colour}"{width}, label=<{label}>];'


def _edge(edge: Edge, prefix: str, highlighted: bool) -> str:
    attributes = []
    if edge.label:
        attributes.append("label=<" + "<BR/>".join(_html(x) for x in _lines(edge.label)) + ">")
    if edge.dashed:
        attributes.append("style=dashed")
    if highlighted and edge.taken:
        attributes += [f'color="{RED}"', "penwidth=3", f'fontcolor="{RED}"']
    elif highlighted:
        attributes.append(f'color="{FADED}"')
    return (
        f"{prefix}{edge.source} -> {prefix}{edge.target}" + (f" [{', '.join(attributes)}]" if attributes else "") + ";"
    )


def _lines(text: str) -> list[str]:
    from kprocess.maps.flowmap import wrap

    return wrap(text, 30)


def _html(text: str) -> str:
    """Text safe inside a Graphviz HTML-like label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
