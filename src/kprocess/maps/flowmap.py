"""One flow of a pack as a drawable map: nodes coloured by principal, edges labelled in words.

Mermaid, SVG and HTML draw this same structure. A step is a task; a decision or a step with
routes is followed by a decision node holding the question; a split and the join that meets it
are parallel nodes; each end is a node of its kind. Given a case (`CaseResult`), the steps and
routes it took are marked and each decision node carries the case's answer.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import StrEnum

from kprocess.cli.words import answer_label, condition_words
from kprocess.conditions import parse_tree
from kprocess.engine.result import CaseResult
from kprocess.enums import FanOut, QuestionType
from kprocess.graph import build, reachable
from kprocess.labels import STATUS_LABEL
from kprocess.maps.colours import COLOUR_NAMES, LANES, PRINCIPAL_COLOURS, PRINCIPAL_ORDER
from kprocess.maps.responsible import Other, deciders, doers, others
from kprocess.model import Flow, Question, Step
from kprocess.pack import RulePack

FAN_OUT_WORDS = {FanOut.municipalities: "varje kommun", FanOut.parties: "varje part"}
WRAP = 26
__all__ = ["COLOUR_NAMES", "PRINCIPAL_COLOURS", "PRINCIPAL_ORDER"]


class Kind(StrEnum):
    """What a node stands for, which decides its shape."""

    task = "task"
    per_party = "per_party"
    call = "call"
    decision = "decision"
    fork = "fork"
    merge = "merge"
    end = "end"


@dataclass
class Node:
    """One shape on the map: label lines, who does the step (tasks), its lane (`principal`)."""

    id: str
    kind: Kind
    lines: list[str]
    principal: str
    step: str
    end: str | None = None
    who: list[str] = field(default_factory=list)
    taken: bool = False
    phase: str = ""
    answer: str = ""
    """The case's answer at a decision (`ja`, or per party `ja: Timrå; nej: Ånge`)."""
    others: list[Other] = field(default_factory=list)
    """Who does the step instead (`actor_when`) or decides jointly (a mandate rule), and when."""


@dataclass
class Edge:
    """An arrow; `label` is the route condition in words (empty when unconditional)."""

    source: str
    target: str
    label: str = ""
    taken: bool = False
    dashed: bool = False


@dataclass
class FlowMap:
    """The map of one flow."""

    pack: str
    pack_name: str
    flow: Flow
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    highlighted: bool = False
    phases: list[tuple[str, str]] = field(default_factory=list)
    """The pack's phases (id, name) in order: the columns of the drawn map."""

    @property
    def principals(self) -> list[str]:
        """The lanes used, in the fixed lane order."""
        used = {n.principal for n in self.nodes}
        return [p for p in PRINCIPAL_ORDER if p in used]

    def lane(self, principal: str) -> list[Node]:
        """The nodes of one lane, in map order."""
        return [n for n in self.nodes if n.principal == principal]


def principal_label(principal: str) -> str:
    """`Region (Blå)`: the lane's name with the documents' colour."""
    lane = LANES.get(principal)
    return f"{lane.name} ({lane.colour})" if lane else principal


def notes(maps: list[FlowMap]) -> list[Other]:
    """Every other responsible actor of the maps' steps, once each, in map order: note 1, 2, …"""
    return list(dict.fromkeys(other for m in maps for node in m.nodes for other in node.others))


def other_lines(node: Node, numbered: list[Other]) -> list[str]:
    """`eller Styrgrupp [1]`: who else does the step, pointing at the note saying when."""
    return [line for other in node.others for line in wrap(other.line(numbered.index(other) + 1), WRAP + 10)]


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Words wrapped into lines of at most `width` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def flow_steps(pack: RulePack, flow: Flow) -> list[Step]:
    """The steps of a flow in pack order: those reached from its start without entering a call."""
    graph = build(pack.model.steps)
    found = reachable(graph, [flow.start])
    return [s for s in pack.model.steps if s.id in found]


def build_map(pack: RulePack, flow: Flow, result: CaseResult | None = None) -> FlowMap:
    """The map of `flow`; with `result`, the case's path and answers marked on it."""
    builder = _Builder(pack, flow)
    for step in flow_steps(pack, flow):
        builder.step(step)
    if result is not None:
        _highlight(builder.map, pack, result)
    return builder.map


class _Builder:
    def __init__(self, pack: RulePack, flow: Flow) -> None:
        self.pack = pack
        self.map = FlowMap(pack.model.id, pack.model.name, flow, phases=[(p.id, p.name) for p in pack.model.phases])
        self.phase = ""
        self.flows = {f.id: f for f in pack.model.flows}

    def principal(self, step: Step) -> str:
        actor = self.pack.actors.get(step.actor)
        return actor.principal.value if actor else "gemensam"

    def who(self, step: Step) -> list[str]:
        lines = wrap(doers(self.pack, step))
        decide = deciders(self.pack, step)
        return lines if decide is None else [*lines, *wrap(f"beslutar: {decide}")]

    def add(self, node: Node) -> Node:
        node.phase = self.phase
        self.map.nodes.append(node)
        return node

    def edge(self, source: str, target: str, label: str = "", *, dashed: bool = False) -> None:
        self.map.edges.append(Edge(source, target, label, dashed=dashed))

    def step(self, step: Step) -> None:
        lane = self.principal(step)
        self.phase = step.phase
        if self.joins_split(step):
            self.add(Node(f"j_{step.id}", Kind.merge, ["+"], lane, step.id))
            self.edge(f"j_{step.id}", f"n_{step.id}")
        lines = wrap(step.name)
        kind = Kind.task
        if step.for_each is not None:
            kind = Kind.per_party
            lines.append(f"({FAN_OUT_WORDS[step.for_each]})")
        if step.call is not None:
            kind = Kind.call
            called = self.flows.get(step.call)
            lines += wrap(f"→ delflöde: {called.name if called else step.call}")
        self.add(Node(f"n_{step.id}", kind, lines, lane, step.id, who=self.who(step), others=others(self.pack, step)))
        out = f"n_{step.id}"
        if step.decision is not None or step.routes:
            self.add(Node(f"d_{step.id}", Kind.decision, wrap(self.question_text(step), 22), lane, step.id))
            self.edge(out, f"d_{step.id}")
            out = f"d_{step.id}"
        self.ways_on(step, out, lane)

    def ways_on(self, step: Step, out: str, lane: str) -> None:
        if step.next:
            self.edge(out, self.entry(step.next))
        for index, route in enumerate(step.routes):
            self.edge(out, self.entry(route.target), self.route_label(step, index))
        if step.parallel:
            self.add(Node(f"p_{step.id}", Kind.fork, ["+"], lane, step.id))
            self.edge(out, f"p_{step.id}")
            for target, when in step.branches:
                self.edge(f"p_{step.id}", self.entry(target), condition_words(self.pack, when) if when else "")
        if step.end is not None:
            label = STATUS_LABEL.get(step.end.value, step.end.value)
            if step.handed_to:
                label += f" till {step.handed_to}"
            self.add(Node(f"e_{step.id}", Kind.end, wrap(label, 22), lane, step.id, end=step.end.value))
            self.edge(out, f"e_{step.id}", "annars" if step.resume else "")
        if step.resume is not None:
            words = condition_words(self.pack, step.resume.when)
            self.edge(out, self.entry(step.resume.to), f"tas upp igen när {words}", dashed=True)

    def entry(self, step_id: str) -> str:
        """The node an arrow into a step points at (its join node when it has one)."""
        target = self.pack.steps.get(step_id)
        return f"j_{step_id}" if target is not None and self.joins_split(target) else f"n_{step_id}"

    def joins_split(self, step: Step) -> bool:
        """Whether the step is where a `parallel` split's branches meet (drawn with a join node)."""
        split = self.pack.steps.get(step.join) if step.join else None
        return split is not None and bool(split.parallel)

    def question_text(self, step: Step) -> str:
        """The decision's question, or the one question the routes read, or `Vilken väg?`."""
        question = self.asked(step)
        return question.text if question is not None else "Vilken väg?"

    def asked(self, step: Step) -> Question | None:
        if step.decision is not None:
            return self.pack.questions.get(step.decision.question)
        names = {n for r in step.routes if r.when for n in _names(r.when)}
        if len(names) == 1:
            name = names.pop()
            return self.pack.questions.get(name) or self.pack.derived.get(name)
        return None

    def route_label(self, step: Step, index: int) -> str:
        """A route in words: `ja`, `nej`, an option's label, or the whole condition in words."""
        route = step.routes[index]
        question = self.asked(step)
        if route.when is None:
            return _otherwise(question, [r.when for r in step.routes[:index] if r.when])
        if question is not None:
            short = _answer_words(question, route.when, self.pack)
            if short is not None:
                return short
        return condition_words(self.pack, route.when)


def _names(condition: str) -> set[str]:
    try:
        tree = parse_tree(condition.strip())
    except SyntaxError:
        return set()
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls}


def _answer_words(question: Question, condition: str, pack: RulePack) -> str | None:
    """The answer a condition on `question` alone stands for (`ja`, `nej`, option labels)."""
    try:
        node = parse_tree(condition.strip()).body
    except SyntaxError:
        return None
    qid = question.id
    if isinstance(node, ast.Name) and node.id == qid:
        return "ja"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("any", "all"):
        arg = node.args[0] if node.args else None
        if isinstance(arg, ast.Name) and arg.id == qid:
            return "någon part ja" if node.func.id == "any" else "alla ja"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = node.operand
        if isinstance(inner, ast.Name) and inner.id == qid:
            return "nej"
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, node.ops[0], node.comparators[0]
        if not (isinstance(left, ast.Name) and left.id == qid):
            return None
        if isinstance(op, ast.Eq | ast.NotEq) and isinstance(right, ast.Constant):
            value = right.value
            if isinstance(value, bool | int | float | str):
                return ("" if isinstance(op, ast.Eq) else "inte ") + answer_label(question, value)
        if isinstance(op, ast.In) and isinstance(right, ast.List | ast.Tuple | ast.Set):
            return " eller ".join(answer_label(question, ast.literal_eval(e)) for e in right.elts)
        if isinstance(op, ast.In) and isinstance(right, ast.Name) and right.id in pack.option_sets:
            named = pack.option_sets[right.id]
            return named.label or " eller ".join(answer_label(question, o) for o in named.options)
    return None


def _otherwise(question: Question | None, earlier: list[str]) -> str:
    """`nej` after a single `q` route of a yes/no question, `ja` after `not q`; else `annars`."""
    if question is not None and question.type is QuestionType.yesno and len(earlier) == 1:
        text = earlier[0].strip()
        if text == question.id:
            return "nej"
        if text.replace(" ", "") == f"not{question.id}":
            return "ja"
    return "annars"


def _highlight(flow_map: FlowMap, pack: RulePack, result: CaseResult) -> None:
    """Mark the steps and routes the case took and write each decision's answers on its node."""
    flow_map.highlighted = True
    visited = {e.step for e in result.trace}
    routes = result.routes_taken()
    ended = {e.step for e in result.trace if e.end}
    answers: dict[str, list[tuple[str | None, str]]] = {}
    for entry in result.trace:
        if entry.decision is not None:
            question = pack.questions.get(entry.decision.question)
            answers.setdefault(entry.step, []).append((entry.party, answer_label(question, entry.decision.answer)))
    by_id = {n.id: n for n in flow_map.nodes}
    for node in flow_map.nodes:
        if node.kind is Kind.end:
            node.taken = node.step in ended
        else:
            node.taken = node.step in visited
        if node.kind is Kind.decision and node.step in answers:
            node.answer = _answers_text(answers[node.step])
    for edge in flow_map.edges:
        source, target = by_id[edge.source], by_id[edge.target]
        step = pack.steps[source.step]
        if edge.source.startswith("d_") and step.routes:
            index = _route_index(step, edge, flow_map)
            edge.taken = (source.step, index) in routes
        else:
            edge.taken = source.taken and target.taken
            if edge.dashed:  # a resume is taken when the parked step did not end the case
                edge.taken = source.taken and source.step not in ended and target.taken


def _route_index(step: Step, edge: Edge, flow_map: FlowMap) -> int:
    """Which route of `step` an edge out of its decision node draws (edges are added in order)."""
    outgoing = [e for e in flow_map.edges if e.source == f"d_{step.id}"]
    return outgoing.index(edge)


def _answers_text(answers: list[tuple[str | None, str]]) -> str:
    """`ja` or `ja, nej` (asked again), or per party: `ja: Timrå, Ånge; nej: Kramfors`."""
    if all(party is None for party, _ in answers):
        return ", ".join(answer for _, answer in answers)
    grouped: dict[str, list[str]] = {}
    for party, answer in answers:
        grouped.setdefault(answer, []).append(party or "")
    return "; ".join(f"{answer}: {', '.join(parties)}" for answer, parties in grouped.items())
