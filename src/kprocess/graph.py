"""The step graph of a pack: successors, reachability and loops.

Hand-written on purpose: the graph needs four small algorithms, and a graph
library (networkx) would add 0.15 s to every `kprocess validate` start.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kprocess.model import Flow, Step


Graph = Mapping[str, list[str]]


def successors(step: Step, flows: Mapping[str, str] | None = None) -> list[str]:
    """Steps that can directly follow `step`, in declaration order.

    A step that calls a flow leads to that flow's start (given `flows`: flow id → start step) and,
    when the flow is done, to its own continuation; a parked step that can resume leads to where it
    resumes.
    """
    called = [flows[step.call]] if flows and step.call is not None and step.call in flows else []
    if step.next:
        return [*called, step.next]
    if step.parallel:
        return [target for target, _ in step.branches]
    if step.resume is not None:
        return [step.resume.to]
    return [*called, *(route.target for route in step.routes)]


def build(steps: Iterable[Step], flows: Iterable[Flow] = ()) -> dict[str, list[str]]:
    """Adjacency lists, keeping only edges to declared steps (pass `flows` to follow `call:`)."""
    steps = list(steps)
    known = {s.id for s in steps}
    starts = {f.id: f.start for f in flows}
    return {s.id: [t for t in successors(s, starts) if t in known] for s in steps}


def reachable(graph: Graph, starts: Iterable[str]) -> set[str]:
    """Every step reachable from `starts` (inclusive)."""
    seen = {s for s in starts if s in graph}
    queue = deque(seen)
    while queue:
        for target in graph[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def reversed_graph(graph: Graph) -> dict[str, list[str]]:
    """The graph with every edge turned around."""
    back: dict[str, list[str]] = {node: [] for node in graph}
    for source, targets in graph.items():
        for target in targets:
            back[target].append(source)
    return back


def components(graph: Graph) -> list[list[str]]:
    """Strongly connected components (iterative Tarjan), each one listed after every component
    it leads to (reverse topological order); members in the order Tarjan finishes them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while not component or component[-1] != node:
                    component.append(stack.pop())
                    on_stack.discard(component[-1])
                found.append(component)
    return found


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components that form loops, each in graph order."""
    order = {n: i for i, n in enumerate(graph)}
    return [
        sorted(component, key=order.__getitem__)
        for component in components(graph)
        if len(component) > 1 or component[0] in graph[component[0]]
    ]
