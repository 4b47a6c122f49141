"""The pack's flows as BPMN process graphs: nodes, sequence flows and lanes, before any drawing.

Each flow becomes one process. A step becomes a task (a `userTask` when it takes a decision,
a `callActivity` when it calls a flow); `routes` become an exclusive gateway whose flows carry
the conditions as Python over the answers (`otherwise` is the default flow); `parallel` becomes
a parallel gateway, or an inclusive one when a branch has a condition, with a converging gateway
of the same kind in front of the join step; `for_each` becomes a parallel multi-instance over the
parties (the step itself, or a sub-process holding every step up to the join), which gathers each
party's answer in `<fråga>_per_part`, so `any(q)` reads `any(q_per_part.values())`. A bounded route
counts its rounds in a script task and leaves by an error end event past its bound; `resume`
becomes a gateway after the parked step; ends become end events by kind, and the ends of a called
flow that end the whole case are escalations its caller catches on the call activity. A script
task at the start sets the parties, the option sets and the loop counters; one before a gateway
works out the derived questions it reads.
"""

from __future__ import annotations

import ast
import json
from collections import Counter, deque
from dataclasses import dataclass, field

from kprocess.cli.words import condition_words
from kprocess.conditions import parse_tree
from kprocess.enums import EndKind, FanOut
from kprocess.maps.colours import LANES
from kprocess.maps.responsible import annotation
from kprocess.model import Flow, Step
from kprocess.pack import RulePack

END_NAMES = {
    EndKind.completed: "Klart",
    EndKind.handed_over: "Överlämnat",
    EndKind.stopped: "Avslutat",
    EndKind.parked: "Parkerat",
    EndKind.ongoing: "Löpande uppföljning",
}
PARTY_VARIABLE = "part"
"""Inside a per-party multi-instance, the party it runs for."""
COLLECTIONS = {FanOut.parties: "parter", FanOut.municipalities: "kommuner"}
LOOP_ERROR = "slinggrans"


def per_party_variable(question: str) -> str:
    """The task-data variable gathering each party's answer to a per-party question."""
    return f"{question}_per_part"


@dataclass
class Node:
    """One BPMN flow node (or boundary event)."""

    id: str
    kind: str
    name: str = ""
    lane: str | None = None
    step: str | None = None
    documentation: str | None = None
    script: str | None = None
    event: str | None = None
    event_ref: str | None = None
    called: str | None = None
    attached_to: str | None = None
    multi: str | None = None
    output: str | None = None
    output_item: str | None = None
    """The id (and variable) of the item gathering a party's answer to `output` (else `output`)."""
    body: Scope | None = None
    default: str | None = None
    annotation: str | None = None
    """Who else is responsible (`actor_when`, `jointly_with`), shown in a text annotation."""


@dataclass
class SeqFlow:
    """A sequence flow, with its condition (Python over the answers) and label."""

    id: str
    source: str
    target: str
    condition: str | None = None
    name: str | None = None


@dataclass
class Scope:
    """A process or a sub-process body: its nodes in order and its flows."""

    id: str
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[SeqFlow] = field(default_factory=list)

    def add(self, node: Node) -> Node:
        self.nodes[node.id] = node
        return node


@dataclass
class Process:
    """One flow as a BPMN process with its lanes (key, name) in drawing order."""

    id: str
    name: str
    flow: str
    scope: Scope
    lanes: list[tuple[str, str]]
    data_objects: list[str]


@dataclass
class Graph:
    """Every process of the export and the events they share."""

    processes: list[Process]
    messages: dict[str, str]
    escalations: dict[str, str]
    errors: dict[str, str]


@dataclass(frozen=True)
class _Split:
    step: str
    merge: str
    branch: int | None = None  # which branch of a parallel split (None: a per-party body)


@dataclass(frozen=True)
class _Ctx:
    scope: Scope
    splits: tuple[_Split, ...] = ()
    lane: str | None = None  # a fixed lane (None inside a sub-process body: lanes are the process's)


def process_id(flow: str) -> str:
    """The id of a flow's process."""
    return f"process_{flow}"


def condition_python(text: str) -> str:
    """A pack condition as Python over the task data: `any(q)` / `all(q)` read the parties' answers."""

    class Aggregates(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in ("any", "all")
                and isinstance(node.args[0], ast.Name)
            ):
                values = ast.Call(
                    ast.Attribute(ast.Name(per_party_variable(node.args[0].id), ast.Load()), "values", ast.Load()),
                    [],
                    [],
                )
                call = ast.Call(ast.Name(node.func.id, ast.Load()), [values], [])
                if node.func.id == "any":
                    return call
                nonempty = ast.Call(
                    ast.Name("bool", ast.Load()), [ast.Name(per_party_variable(node.args[0].id), ast.Load())], []
                )
                return ast.BoolOp(ast.And(), [nonempty, call])
            return node

    return ast.unparse(Aggregates().visit(parse_tree(text.strip())))


def condition_label(pack: RulePack, text: str) -> str:
    """A short label for a flow: `ja`/`nej` for a plain yes/no question, else the condition."""
    tree = parse_tree(text.strip()).body
    if isinstance(tree, ast.Name) and tree.id in pack.questions:
        return "ja"
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not) and isinstance(tree.operand, ast.Name):
        return "nej"
    return text.strip()


def _names(text: str) -> set[str]:
    return {n.id for n in ast.walk(parse_tree(text.strip())) if isinstance(n, ast.Name)}


class _Builder:
    """Builds one process from a flow's start step."""

    def __init__(self, pack: RulePack, graph: _Shared, flow: Flow, lanes_by: str) -> None:
        self.pack, self.shared, self.flow, self.lanes_by = pack, graph, flow, lanes_by
        self.scope = Scope(process_id(flow.id))
        self.memo: dict[tuple[str, str], str] = {}
        self.queue: deque[tuple[str, _Ctx]] = deque()
        self.joins = {s.join: s.id for s in pack.model.steps if s.join}
        self.counters: list[str] = []
        self.collections: set[FanOut] = set()
        self.outputs: set[str] = set()
        self.option_sets: set[str] = set()

    # -- ids and lanes ------------------------------------------------------------------

    def node_id(self, step_id: str) -> str:
        return self.shared.step_node_id(self.flow.id, step_id)

    def lane_of(self, step: Step) -> str:
        if self.lanes_by == "actor":
            return step.actor
        return self.pack.actors[step.actor].principal.value

    def flow_to(
        self, scope: Scope, source: str, target: str, condition: str | None = None, name: str | None = None
    ) -> SeqFlow:
        seq = SeqFlow(self.shared.flow_id(), source, target, condition, name)
        scope.flows.append(seq)
        return seq

    # -- building -----------------------------------------------------------------------

    def build(self) -> Process:
        start = self.scope.add(Node(f"start_{self.flow.id}", "startEvent", self.flow.name))
        first_step = self.pack.steps[self.flow.start]
        start.lane = self.lane_of(first_step)
        ctx = _Ctx(self.scope)
        first = self.entry(self.flow.start, ctx)
        while self.queue:
            step_id, step_ctx = self.queue.popleft()
            self.expand(step_id, step_ctx)
        setup = self.setup_script()
        if setup:
            node = self.scope.add(Node(f"setup_{self.flow.id}", "scriptTask", "Ärendets grunddata", start.lane))
            node.script = setup
            node.documentation = "Parterna, alternativmängderna och slingornas räknare som villkoren läser."
            self.flow_to(self.scope, start.id, node.id)
            self.flow_to(self.scope, node.id, first)
        else:
            self.flow_to(self.scope, start.id, first)
        _collapse_branch_ends(self.scope)
        _merges(self.shared, self.scope)
        self._reorder()
        lanes = self.lanes()
        # A data object's id is the variable's name, so it is declared once in the file.
        data = sorted({COLLECTIONS[c] for c in self.collections} | {per_party_variable(q) for q in self.outputs})
        data = [name for name in data if name not in self.shared.data_objects]
        self.shared.data_objects.update(data)
        return Process(self.scope.id, self.flow.name, self.flow.id, self.scope, lanes, data)

    def _reorder(self) -> None:
        """Start event first, then nodes in the order they were made."""
        nodes = self.scope.nodes
        start = f"start_{self.flow.id}"
        self.scope.nodes = {start: nodes[start], **{k: v for k, v in nodes.items() if k != start}}

    def lanes(self) -> list[tuple[str, str]]:
        used = {n.lane for n in self.scope.nodes.values() if n.lane is not None}
        if self.lanes_by == "actor":
            order = [a.id for a in self.pack.model.actors if a.id in used]
            return [(a, self.pack.actors[a].short or self.pack.actors[a].name) for a in order]
        return [(key, lane.name) for key, lane in LANES.items() if key in used]

    def setup_script(self) -> str:
        lines = []
        for fan_out in sorted(self.collections):
            parties = self.pack.parties(fan_out)
            lines.append(f"{COLLECTIONS[fan_out]} = {json.dumps({p: p for p in parties}, ensure_ascii=False)}")
        for name in sorted(self.option_sets):
            lines.append(f"{name} = {json.dumps(list(self.pack.option_sets[name].options))}")
        for question in sorted(self.outputs):
            lines.append(f"{per_party_variable(question)} = {{}}")
        lines += [f"{counter} = 0" for counter in self.counters]
        return "\n".join(lines)

    def condition(self, text: str) -> str:
        names = _names(text)
        self.option_sets |= {n for n in names if n in self.pack.option_sets}
        for name in names:
            question = self.pack.questions.get(name)
            if question is not None and question.derived is not None:
                self.option_sets |= {n for n in _names(question.derived) if n in self.pack.option_sets}
        return condition_python(text)

    def entry(self, step_id: str, ctx: _Ctx) -> str:
        """The node where a flow into `step_id` from `ctx` arrives (made and queued on first use)."""
        step = self.pack.steps[step_id]
        if step.join is not None and ctx.splits and ctx.splits[-1].step == step.join:
            split = ctx.splits[-1]
            if split.branch is None:
                return split.merge
            return self.branch_end(ctx.scope, split)
        key = (ctx.scope.id, step_id)
        if key in self.memo:
            return self.memo[key]
        if step.for_each is not None and not (ctx.splits and ctx.splits[-1].step == step_id):
            return self.fan_out(step, ctx)
        node_id = self.memo[key] = self.node_id(step_id)
        ctx.scope.add(self.task(step, node_id, ctx))
        self.queue.append((step_id, ctx))
        return node_id

    def branch_end(self, scope: Scope, split: _Split) -> str:
        """Where a branch of a parallel split meets the others: the converging gateway, or, when
        the branch gets there along several flows, an exclusive gateway merging them first."""
        assert split.branch is not None
        merge = scope.nodes[split.merge]
        key = f"samla_{split.branch + 1}_{split.merge}"
        if key not in scope.nodes:
            scope.add(Node(key, "exclusiveGateway", "", merge.lane))
            self.flow_to(scope, key, split.merge)
        return key

    def task(self, step: Step, node_id: str, ctx: _Ctx) -> Node:
        kind = "callActivity" if step.call else "userTask" if step.decision else "task"
        node = Node(node_id, kind, step.name, ctx.lane if ctx.lane is not None else None, step.id)
        if ctx.scope is self.scope:
            node.lane = self.lane_of(step)
        node.documentation = self.shared.documentation(step)
        node.annotation = annotation(self.pack, step)
        if step.call:
            node.called = process_id(step.call)
            self.shared.calls.add(step.call)
        return node

    def fan_out(self, step: Step, ctx: _Ctx) -> str:
        """A per-party step: a multi-instance task, or a multi-instance sub-process up to the join.

        The item that gathers each party's answer is named by the question, as SpiffWorkflow reads
        it by its id; when another multi-instance in the export already has that id (the same
        steps drawn in another pool), the sub-process copies the answer into an item of its own.
        """
        assert step.for_each is not None
        join = self.joins[step.id]
        self.collections.add(step.for_each)
        decided = self.decided_per_party(step.id, join)
        if len(decided) > 1:
            raise NotImplementedError(f"{step.id}: fler än en fråga per part i samma förgrening")
        taken = bool(decided) and decided[0] in self.shared.output_items
        simple = step.next == join and not step.call and not taken
        node_id = self.node_id(step.id) if simple else f"varje_part_{self.node_id(step.id)}"
        self.memo[(ctx.scope.id, step.id)] = node_id
        if simple:
            node = ctx.scope.add(self.task(step, node_id, ctx))
        else:
            node = ctx.scope.add(self.per_party_body(step, node_id, decided[0] if taken else None))
        if ctx.scope is self.scope:
            node.lane = self.lane_of(step)
        node.multi = COLLECTIONS[step.for_each]
        if decided:
            node.output = decided[0]
            node.output_item = node.output_item or decided[0]
            self.shared.output_items.add(node.output_item)
            self.outputs.add(decided[0])
        self.flow_to(ctx.scope, node_id, self.entry(join, ctx))
        return node_id

    def per_party_body(self, step: Step, node_id: str, copied: str | None) -> Node:
        """A multi-instance sub-process running the steps from `step` up to its join for one party;
        with `copied` (a question), a script task at its end copies the party's answer to an item
        of this sub-process's own."""
        assert step.for_each is not None
        body = Scope(f"{node_id}_steg")
        node = Node(node_id, "subProcess", f"Varje part: {step.name}", None, None)
        node.body = body
        node.documentation = f"Görs av varje part för sig ({', '.join(self.pack.parties(step.for_each))})."
        start = body.add(Node(f"{node_id}_start", "startEvent", "Parten börjar"))
        done = body.add(Node(f"{node_id}_klar", "endEvent", "Parten klar"))
        last = done.id
        if copied is not None:
            copy = body.add(Node(f"{node_id}_svar", "scriptTask", "Partens svar"))
            node.output_item = f"svar_{node_id}"
            copy.script = f"{node.output_item} = {copied}"
            self.flow_to(body, copy.id, done.id)
            last = copy.id
        inner = _Ctx(body, (_Split(step.id, last),), None)
        inner_first = self.node_id(step.id)
        self.memo[(body.id, step.id)] = inner_first
        body.add(self.task(step, inner_first, inner))
        self.queue.append((step.id, inner))
        self.flow_to(body, start.id, inner_first)
        return node

    def decided_per_party(self, first: str, join: str) -> list[str]:
        """The per-party questions decided on the way from `first` to `join`."""
        found: list[str] = []
        for step_id in sorted(self.region(first, join)):
            decision = self.pack.steps[step_id].decision
            if (
                decision is not None
                and self.pack.questions[decision.question].per_party
                and decision.question not in found
            ):
                found.append(decision.question)
        return found

    def expand(self, step_id: str, ctx: _Ctx) -> None:
        """The flows out of a step's task."""
        step = self.pack.steps[step_id]
        node_id = self.memo[(ctx.scope.id, step_id)]
        node = ctx.scope.nodes[node_id]
        if node.kind == "subProcess":
            return
        if step.call:
            self.boundaries(step, node, ctx)
        if step.end is not None:
            self.end(step, node, ctx)
        elif step.parallel:
            self.parallel(step, node, ctx)
        elif step.next:
            self.flow_to(ctx.scope, node_id, self.entry(step.next, ctx))
        else:
            self.routes(step, node, ctx)

    def gateway(self, ctx: _Ctx, node_id: str, kind: str, name: str, lane: str | None) -> Node:
        return ctx.scope.add(Node(node_id, kind, name, lane if ctx.scope is self.scope else None))

    def before_gateway(self, step: Step, source: Node, texts: list[str], ctx: _Ctx) -> str:
        """A script task working out the derived questions the conditions read, when they read any."""
        derived = sorted(
            {
                name
                for text in texts
                for name in _names(text)
                if name in self.pack.questions and self.pack.questions[name].derived is not None
            }
        )
        if not derived:
            return source.id
        node = ctx.scope.add(Node(f"harled_{source.id}", "scriptTask", "Härled svar", source.lane))
        lines = []
        for name in derived:
            expression = self.pack.questions[name].derived
            assert expression is not None
            lines.append(f"{name} = {self.condition(expression)}")
        node.script = "\n".join(lines)
        node.documentation = "\n".join(f"{name}: {self.pack.questions[name].text}" for name in derived)
        self.flow_to(ctx.scope, source.id, node.id)
        return node.id

    def routes(self, step: Step, node: Node, ctx: _Ctx) -> None:
        texts = [r.when for r in step.routes if r.when is not None]
        source = self.before_gateway(step, node, texts, ctx)
        name = self.gateway_name(step)
        gateway = self.gateway(ctx, f"val_{node.id}", "exclusiveGateway", name, node.lane)
        self.flow_to(ctx.scope, source, gateway.id)
        for j, route in enumerate(step.routes):
            target = self.entry(route.target, ctx)
            if route.max_times is not None:
                target = self.bound(node, j, route.max_times, target, ctx)
            if route.when is None:
                gateway.default = self.flow_to(ctx.scope, gateway.id, target, None, "annars").id
            else:
                self.flow_to(
                    ctx.scope, gateway.id, target, self.condition(route.when), condition_label(self.pack, route.when)
                )

    def gateway_name(self, step: Step) -> str:
        """The question a choice of route turns on (the step's decision, or what the routes read)."""
        if step.decision is not None:
            return self.pack.questions[step.decision.question].text
        return self.question_words([r.when for r in step.routes if r.when])

    def question_words(self, texts: list[str]) -> str:
        names = sorted({n for text in texts for n in _names(text) if n in self.pack.questions})
        if len(names) == 1:
            return self.pack.questions[names[0]].text
        if len(names) == 2:
            return " / ".join(self.pack.questions[n].text for n in names)
        return "Vilken väg gäller?"

    def bound(self, node: Node, index: int, bound: int, target: str, ctx: _Ctx) -> str:
        """A counting script task and a gateway leaving by an error end event past `bound` rounds."""
        counter = f"varv_{node.id}_{index + 1}"
        self.counters.append(counter)
        count = ctx.scope.add(Node(f"rakna_{node.id}_{index + 1}", "scriptTask", "Räkna varv", node.lane))
        count.script = f"{counter} = {counter} + 1"
        check = self.gateway(ctx, f"grans_{node.id}_{index + 1}", "exclusiveGateway", f"Högst {bound} varv?", node.lane)
        limit = ctx.scope.add(
            Node(f"for_manga_varv_{node.id}_{index + 1}", "endEvent", f"Fler än {bound} varv", node.lane)
        )
        limit.event, limit.event_ref = "error", LOOP_ERROR
        self.shared.errors[LOOP_ERROR] = "Slingan har gått fler varv än max_times tillåter"
        self.flow_to(ctx.scope, count.id, check.id)
        self.flow_to(ctx.scope, check.id, target, f"{counter} <= {bound}", "ja")
        check.default = self.flow_to(ctx.scope, check.id, limit.id, None, "nej").id
        return count.id

    def parallel(self, step: Step, node: Node, ctx: _Ctx) -> None:
        """A split and the converging gateway in front of its join step.

        Conditional branches meet at an inclusive gateway, except when a branch holds a
        sub-process, a multi-instance or a call activity: an inclusive join does not see a token
        inside those (SpiffWorkflow joins too early), so there every branch starts at a parallel
        gateway and a branch's own exclusive gateway decides whether it runs or goes straight on.
        """
        join_step = self.pack.steps[self.joins[step.id]]
        conditional = any(when for _, when in step.branches)
        nested = conditional and any(
            self.pack.steps[s].for_each or self.pack.steps[s].call
            for target, _ in step.branches
            for s in self.region(target, join_step.id)
        )
        kind = "inclusiveGateway" if conditional and not nested else "parallelGateway"
        texts = [when for _, when in step.branches if when]
        source = self.before_gateway(step, node, texts, ctx)
        split_name = "Vilka delar gäller?" if kind == "inclusiveGateway" else "Samtidigt"
        split = self.gateway(ctx, f"dela_{node.id}", kind, split_name, node.lane)
        lane = self.lane_of(join_step) if ctx.scope is self.scope else None
        merge = self.gateway(ctx, f"mot_{node.id}", kind, "", lane)
        self.flow_to(ctx.scope, source, split.id)
        for index, (target, when) in enumerate(step.branches):
            inner = _Ctx(ctx.scope, (*ctx.splits, _Split(step.id, merge.id, index)), ctx.lane)
            entry = self.entry(target, inner)
            if when is None:
                inclusive = kind == "inclusiveGateway"
                self.flow_to(ctx.scope, split.id, entry, "True" if inclusive else None, "alltid" if inclusive else None)
            elif kind == "inclusiveGateway":
                self.flow_to(ctx.scope, split.id, entry, self.condition(when), condition_label(self.pack, when))
            else:
                guard = self.gateway(
                    ctx, f"gren_{index + 1}_{node.id}", "exclusiveGateway", self.question_words([when]), node.lane
                )
                self.flow_to(ctx.scope, split.id, guard.id)
                self.flow_to(ctx.scope, guard.id, entry, self.condition(when), condition_label(self.pack, when))
                skip = self.branch_end(ctx.scope, inner.splits[-1])
                guard.default = self.flow_to(ctx.scope, guard.id, skip, None, "annars").id
        if kind == "inclusiveGateway":
            split.default = self.flow_to(ctx.scope, split.id, merge.id, None, "ingen gren").id
        self.flow_to(ctx.scope, merge.id, self.entry(join_step.id, ctx))

    def region(self, first: str, join: str) -> set[str]:
        """The steps on the way from `first` to `join` (not crossing it)."""
        seen, todo = {first}, [first]
        while todo:
            for target in _targets(self.pack.steps[todo.pop()]):
                if target != join and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    def end(self, step: Step, node: Node, ctx: _Ctx) -> None:
        assert step.end is not None
        source = node.id
        if step.resume is not None:
            resume = step.resume
            source = self.before_gateway(step, node, [resume.when], ctx)
            gateway = self.gateway(ctx, f"ateruppta_{node.id}", "exclusiveGateway", "Tas ärendet upp igen?", node.lane)
            self.flow_to(ctx.scope, source, gateway.id)
            target = self.entry(resume.to, ctx)
            if resume.max_times is not None:
                target = self.bound(node, -1, resume.max_times, target, ctx)
            self.flow_to(
                ctx.scope, gateway.id, target, self.condition(resume.when), condition_label(self.pack, resume.when)
            )
            source = gateway.id
        end = ctx.scope.add(Node(f"slut_{node.id}", "endEvent", END_NAMES[step.end], node.lane))
        if step.end is EndKind.handed_over and step.handed_to:
            end.documentation = f"Lämnas över till: {step.handed_to}"
        called = self.flow.id in self.shared.called_flows
        if step.end is not EndKind.completed and called:
            end.event, end.event_ref = "escalation", f"slut_{step.end.value}"
            self.shared.escalations[end.event_ref] = END_NAMES[step.end]
        elif step.end is EndKind.stopped:
            end.event = "terminate"
        elif step.end is EndKind.handed_over:
            name = step.handed_to or END_NAMES[step.end]
            same = [ref for ref, other in self.shared.messages.items() if other == name]
            end.event, end.event_ref = "message", same[0] if same else f"overlamnat_{node.id}"
            self.shared.messages[end.event_ref] = name
        flow = self.flow_to(ctx.scope, source, end.id)
        if step.resume is not None:
            ctx.scope.nodes[source].default = flow.id
            flow.name = "nej"

    def boundaries(self, step: Step, node: Node, ctx: _Ctx) -> None:
        """The ends of the called flow that end the whole case: caught here, ending this process too."""
        assert step.call is not None
        for kind in self.shared.case_ends(step.call):
            catch = ctx.scope.add(Node(f"{node.id}_{kind.value}", "boundaryEvent", END_NAMES[kind], node.lane))
            catch.attached_to, catch.event, catch.event_ref = node.id, "escalation", f"slut_{kind.value}"
            self.shared.escalations[catch.event_ref] = END_NAMES[kind]
            end = ctx.scope.add(Node(f"slut_{node.id}_{kind.value}", "endEvent", END_NAMES[kind], node.lane))
            if kind is EndKind.stopped or self.flow.id not in self.shared.called_flows:
                end.event = "terminate"
            else:
                end.event, end.event_ref = "escalation", f"slut_{kind.value}"
            self.flow_to(ctx.scope, catch.id, end.id)


def _targets(step: Step) -> list[str]:
    targets = [t for t, _ in step.branches] + [r.target for r in step.routes]
    if step.next:
        targets.append(step.next)
    if step.resume is not None:
        targets.append(step.resume.to)
    return targets


def _collapse_branch_ends(scope: Scope) -> None:
    """A branch that meets the others along one flow goes straight to the converging gateway."""
    for key in [k for k in scope.nodes if k.startswith("samla_")]:
        into = [f for f in scope.flows if f.target == key]
        if len(into) == 1:
            out = next(f for f in scope.flows if f.source == key)
            into[0].target = out.target
            scope.flows.remove(out)
            del scope.nodes[key]


def _merges(shared: _Shared, scope: Scope) -> None:
    """An exclusive merging gateway in front of every node (but a converging gateway) with several
    incoming flows, so that every task and event has one incoming flow."""
    incoming = Counter(f.target for f in scope.flows)
    outgoing = Counter(f.source for f in scope.flows)
    for target, count in incoming.items():
        node = scope.nodes[target]
        if count < 2 or (node.kind.endswith("Gateway") and outgoing[target] == 1):
            continue
        merge = Node(f"in_{target}", "exclusiveGateway", "", node.lane)
        nodes = list(scope.nodes.items())
        at = [k for k, _ in nodes].index(target)
        scope.nodes = dict([*nodes[:at], (merge.id, merge), *nodes[at:]])
        for flow in scope.flows:
            if flow.target == target:
                flow.target = merge.id
        scope.flows.append(SeqFlow(shared.flow_id(), merge.id, target))
    for node in scope.nodes.values():
        if node.body is not None:
            _merges(shared, node.body)


class _Shared:
    """What the processes of one export share: element ids, events, and which flows are called."""

    def __init__(self, pack: RulePack, called_flows: set[str]) -> None:
        self.pack = pack
        self.called_flows = called_flows
        self.calls: set[str] = set()
        self.step_owner: dict[str, str] = {}
        # Task-data variables named by element ids (SpiffWorkflow reads data items by id).
        self.reserved = set(pack.questions) | set(pack.option_sets) | set(COLLECTIONS.values())
        self.flows = 0
        self.messages: dict[str, str] = {}
        self.data_objects: set[str] = set()
        self.output_items: set[str] = set()
        self.escalations: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def flow_id(self) -> str:
        self.flows += 1
        return f"flode_{self.flows}"

    def step_node_id(self, flow: str, step: str) -> str:
        owner = self.step_owner.setdefault(step, flow)
        name = step if step not in self.reserved else f"steg_{step}"
        return name if owner == flow else f"{flow}__{step}"

    def documentation(self, step: Step) -> str:
        lines = [f"Källa: {step.source}" if step.source else "Källa saknas"]
        actor = self.pack.actors[step.actor]
        who = actor.short or actor.name
        if step.jointly_with:
            who += " tillsammans med " + ", ".join(
                self.pack.actors[a].short or self.pack.actors[a].name for a in step.jointly_with
            )
        lines.append(f"Ansvarig: {who}")
        for rule in step.actor_when:
            other = self.pack.actors[rule.actor]
            lines.append(f"Ansvarig när {condition_words(self.pack, rule.when)}: {other.short or other.name}")
        if step.decision is not None:
            lines.append(f"Beslut: {self.pack.questions[step.decision.question].text}")
        if step.description:
            lines.append(step.description)
        return "\n".join(lines)

    def case_ends(self, flow_id: str) -> list[EndKind]:
        """The kinds of end, other than completed, that a flow (or a flow it calls) can reach."""
        found: set[EndKind] = set()
        seen: set[str] = set()
        todo = [flow_id]
        flows = {f.id: f for f in self.pack.model.flows}
        while todo:
            flow = flows[todo.pop()]
            if flow.id in seen:
                continue
            seen.add(flow.id)
            steps, stack = {flow.start}, [flow.start]
            while stack:
                step = self.pack.steps[stack.pop()]
                if step.end is not None and step.end is not EndKind.completed:
                    found.add(step.end)
                if step.call:
                    todo.append(step.call)
                for target in _targets(step):
                    if target not in steps:
                        steps.add(target)
                        stack.append(target)
        return [kind for kind in EndKind if kind in found]


def build_graph(pack: RulePack, flow: str | None = None, lanes: str = "principal") -> Graph:
    """The processes of `flow` (or of every flow) and of the flows they call, in the pack's order."""
    flows = {f.id: f for f in pack.model.flows}
    called = {s.call for s in pack.model.steps if s.call}
    wanted = [flow] if flow is not None else [f.id for f in pack.model.flows]
    shared = _Shared(pack, called)
    processes: list[Process] = []
    done: set[str] = set()
    todo = list(wanted)
    while todo:
        flow_id = todo.pop(0)
        if flow_id in done:
            continue
        done.add(flow_id)
        shared.calls = set()
        processes.append(_Builder(pack, shared, flows[flow_id], lanes).build())
        todo += sorted(shared.calls - done, key=list(flows).index)
    return Graph(processes, shared.messages, shared.escalations, shared.errors)
