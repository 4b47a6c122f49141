"""The drawn views of a pack (Mermaid, SVG, HTML), of every flow or one, with or without a case.

`draw(view, pack, flow)` is what `kprocess diagram` writes; `draw_case(pack, result, path)` is
`kprocess simulate --diagram FILE`, the view chosen by the file's suffix.
"""

from __future__ import annotations

from pathlib import Path

from kprocess.engine.result import CaseResult
from kprocess.maps import html, mermaid, svg
from kprocess.maps.flowmap import FlowMap, build_map, flow_steps
from kprocess.pack import RulePack

VIEWS = ("mermaid", "svg", "html")
SUFFIXES = {".svg": "svg", ".html": "html", ".htm": "html", ".mmd": "mermaid", ".md": "markdown"}


def draw(view: str, pack: RulePack, flow: str | None = None, result: CaseResult | None = None) -> str:
    """The view of `flow` and the flows it calls (every flow when None), the case's path marked when given."""
    wanted = {f.id for f in pack.model.flows} if flow is None else _with_called(pack, flow)
    flows = [f for f in pack.model.flows if f.id in wanted]
    return _text(view, pack, [build_map(pack, f, result) for f in flows], result)


def _with_called(pack: RulePack, flow: str) -> set[str]:
    """`flow` and every flow its steps call, directly or through other calls."""
    starts = {f.id: f for f in pack.model.flows}
    found, todo = {flow}, [flow]
    while todo:
        current = starts.get(todo.pop())
        if current is None:
            continue
        for step in flow_steps(pack, current):
            if step.call is not None and step.call not in found:
                found.add(step.call)
                todo.append(step.call)
    return found


def view_for(path: Path) -> str:
    """The view a file's suffix asks for; ValueError naming the suffixes known."""
    view = SUFFIXES.get(path.suffix.lower())
    if view is None:
        known = ", ".join(SUFFIXES)
        raise ValueError(f"`{path}`: okänd filändelse för en karta; använd en av {known}")
    return view


def draw_case(pack: RulePack, result: CaseResult, path: Path) -> str:
    """The map of the flows a case went through (its own flow first) with its path and answers."""
    visited = {e.step for e in result.trace}
    flows = [f for f in pack.model.flows if f.id == result.flow]
    flows += [f for f in pack.model.flows if f.id != result.flow and visited & {s.id for s in flow_steps(pack, f)}]
    return _text(view_for(path), pack, [build_map(pack, f, result) for f in flows], result)


def _text(view: str, pack: RulePack, maps: list[FlowMap], result: CaseResult | None) -> str:
    if view == "mermaid":
        return mermaid.render(maps)
    if view == "markdown":
        return f"```mermaid\n{mermaid.render(maps)}```\n"
    if view == "svg":
        return svg.render(maps)
    if view == "html":
        return html.render(pack, maps, result)
    raise ValueError(f"okänd vy `{view}`")
