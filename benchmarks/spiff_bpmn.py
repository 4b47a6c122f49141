"""The same pack as a BPMN process, run by SpiffWorkflow.

`to_bpmn(pack)` turns the pack graph into BPMN 2.0 XML: every step becomes a
script task (a decision step's script reads the next answer to its question, as
kprocess does), `routes` become an exclusive gateway whose outgoing flows carry the
same conditions (Python expressions over the answers; `otherwise` is the default
flow), `parallel` and `for_each` become a diverging and a converging parallel
gateway around the branches (for `for_each`, one copy of the branch per party, with
per-party questions renamed `fraga__p<k>`), bounded routes get a counting script
task, and ends become end events. Mandate rules are not modelled (BPMN has no
counterpart); Spiff does the rest of the work kprocess does.

`SpiffEngine(pack).run(parsed_answers)` runs one case and returns the end step and a
`Counter` of `(step, party)` done, for comparison with kprocess.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from kprocess.model import FanOut
from kprocess.pack import RulePack

Parsed = dict[tuple[str, str | None], list[Any]]
NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'id="defs" targetNamespace="https://kprocess.example/benchmarks"'
)


@dataclass(frozen=True)
class _Ctx:
    """Where an element sits: id suffix, the party of its branch, and the open splits (step, join gateway)."""

    suffix: str = ""
    party: int | None = None
    splits: tuple[tuple[str, str], ...] = ()

    def branch(self, tag: str, split: str, party: int | None) -> _Ctx:
        """The context of one branch of `split`; its tokens meet at the gateway `bj_<split><suffix>`."""
        suffix = f"{self.suffix}__{tag}"
        return _Ctx(suffix, party, (*self.splits, (split, f"bj_{split}{suffix}")))


class _Rename(ast.NodeTransformer):
    """Per-party questions read inside a party's branch become that party's variable."""

    def __init__(self, names: frozenset[str], party: int) -> None:
        self.names, self.party = names, party

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.names:
            return ast.Name(f"{node.id}__p{self.party}", node.ctx)
        return node


class _Aggregates(ast.NodeTransformer):
    """`any(q)` / `all(q)` become `agg('any', 'q')`: computed from the answers parties have read."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Name) and node.func.id in ("any", "all") and isinstance(node.args[0], ast.Name):
            args: list[ast.expr] = [ast.Constant(node.func.id), ast.Constant(node.args[0].id)]
            return ast.Call(ast.Name("agg", ast.Load()), args, [])
        return node


@dataclass
class _Builder:
    """Collects BPMN elements and flows while walking the pack graph."""

    pack: RulePack
    per_party: frozenset[str]
    elements: list[str] = field(default_factory=list)
    flows: list[tuple[str, str, str | None]] = field(default_factory=list)
    defaults: dict[str, int] = field(default_factory=dict)
    memo: dict[tuple[str, str], str] = field(default_factory=dict)
    meta: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    counters: list[str] = field(default_factory=list)

    def var(self, qid: str, party: int | None) -> str:
        return f"{qid}__p{party}" if party is not None and qid in self.per_party else qid

    def condition(self, text: str, party: int | None) -> str:
        tree = _Aggregates().visit(ast.parse(text.strip(), mode="eval"))
        if party is not None:
            tree = _Rename(self.per_party, party).visit(tree)
        return ast.unparse(tree)

    def flow(self, source: str, target: str, condition: str | None = None) -> int:
        self.flows.append((source, target, condition))
        return len(self.flows) - 1

    def join_of(self, split: str) -> str:
        return next(s.id for s in self.pack.model.steps if s.join == split)

    def emit(self, step_id: str, ctx: _Ctx) -> str:
        """The id of the element where a token entering `step_id` in `ctx` arrives."""
        key = (step_id, ctx.suffix)
        if key in self.memo:
            return self.memo[key]
        step = self.pack.steps[step_id]
        if step.join is not None and ctx.splits and ctx.splits[-1][0] == step.join:
            return ctx.splits[-1][1]
        if step.for_each is not None and not (ctx.splits and ctx.splits[-1][0] == step_id):
            return self.fan_out(step_id, ctx)
        return self.task(step_id, ctx)

    def fan_out(self, step_id: str, ctx: _Ctx) -> str:
        step = self.pack.steps[step_id]
        assert step.for_each is not None
        div, conv = f"fe_{step_id}{ctx.suffix}", f"fj_{step_id}{ctx.suffix}"
        self.memo[(step_id, ctx.suffix)] = div
        self.elements += [f'<bpmn:parallelGateway id="{div}"/>', f'<bpmn:parallelGateway id="{conv}"/>']
        everyone = self.pack.parties(FanOut.parties)
        for party in self.pack.parties(step.for_each):
            k = everyone.index(party)
            self.branch(div, conv, step_id, ctx.branch(f"p{k}", step_id, k))
        self.flow(conv, self.emit(self.join_of(step_id), ctx))
        return div

    def branch(self, div: str, conv: str, first: str, ctx: _Ctx) -> None:
        """One branch from `div` to `conv`: every way through it meets at the branch's own merge gateway."""
        end = ctx.splits[-1][1]
        self.elements.append(f'<bpmn:exclusiveGateway id="{end}"/>')
        self.flow(end, conv)
        self.flow(div, self.emit(first, ctx))

    def script(self, step_id: str, party: int | None) -> str:
        step = self.pack.steps[step_id]
        if step.decision is None:
            return "pass"
        v = self.var(step.decision.question, party)
        return f"{v} = take('{v}')"

    def task(self, step_id: str, ctx: _Ctx) -> str:
        step = self.pack.steps[step_id]
        if step.call or step.resume or any(when for _, when in step.branches):
            raise NotImplementedError(f"{step_id}: sub-flows, resumes and conditional branches are not converted")
        tid = f"t_{step_id}{ctx.suffix}"
        self.memo[(step_id, ctx.suffix)] = tid
        self.meta[tid] = (step_id, ctx.party)
        self.elements.append(
            f'<bpmn:scriptTask id="{tid}" scriptFormat="python">'
            f"<bpmn:script>{escape(self.script(step_id, ctx.party))}</bpmn:script></bpmn:scriptTask>"
        )
        if step.end is not None:
            self.elements.append(f'<bpmn:endEvent id="end_{tid}"/>')
            self.flow(tid, f"end_{tid}")
        elif step.parallel:
            div, conv = f"pg_{step_id}{ctx.suffix}", f"pj_{step_id}{ctx.suffix}"
            self.elements += [f'<bpmn:parallelGateway id="{div}"/>', f'<bpmn:parallelGateway id="{conv}"/>']
            self.flow(tid, div)
            for i, (branch, _) in enumerate(step.branches):
                self.branch(div, conv, branch, ctx.branch(f"b{i}", step_id, ctx.party))
            self.flow(conv, self.emit(self.join_of(step_id), ctx))
        elif step.next:
            self.flow(tid, self.emit(step.next, ctx))
        else:
            self.routes(step_id, tid, ctx)
        return tid

    def routes(self, step_id: str, tid: str, ctx: _Ctx) -> None:
        gateway = f"x_{tid}"
        self.elements.append(f'<bpmn:exclusiveGateway id="{gateway}"/>')
        self.flow(tid, gateway)
        for j, route in enumerate(self.pack.steps[step_id].routes):
            target = self.emit(route.target, ctx)
            if route.max_times is not None:
                counter = f"c_{tid}_{j}"
                self.counters.append(counter)
                self.elements.append(
                    f'<bpmn:scriptTask id="{counter}" scriptFormat="python">'
                    f"<bpmn:script>{counter} = {counter} + 1</bpmn:script></bpmn:scriptTask>"
                )
                self.flow(counter, target)
                target = counter
            if route.when is None:
                self.defaults[gateway] = self.flow(gateway, target)
            else:
                self.flow(gateway, target, self.condition(route.when, ctx.party))

    def merges(self) -> None:
        """Put an exclusive merging gateway in front of every task or diverging gateway with several
        incoming flows (only the converging parallel gateways wait for all of theirs)."""
        incoming = Counter(target for _, target, _ in self.flows)
        plain = {
            e.split('"')[1]
            for e in self.elements
            if e.startswith(("<bpmn:scriptTask", '<bpmn:parallelGateway id="fe_', '<bpmn:parallelGateway id="pg_'))
        }
        for target in [t for t, n in incoming.items() if n > 1 and t in plain]:
            merge = f"m_{target}"
            self.elements.append(f'<bpmn:exclusiveGateway id="{merge}"/>')
            self.flows = [(s, merge if t == target else t, c) for s, t, c in self.flows]
            self.flow(merge, target)

    def xml(self, process_id: str) -> str:
        parts = [f'<bpmn:definitions {NS}><bpmn:process id="{process_id}" isExecutable="true">']
        parts.append('<bpmn:startEvent id="start"/>')
        for element in self.elements:
            gateway = element.split('"')[1]
            if element.startswith("<bpmn:exclusiveGateway") and gateway in self.defaults:
                parts.append(element.replace("/>", f' default="f{self.defaults[gateway]}"/>'))
            else:
                parts.append(element)
        for n, (source, target, condition) in enumerate(self.flows):
            head = f'<bpmn:sequenceFlow id="f{n}" sourceRef="{source}" targetRef="{target}"'
            if condition is None:
                parts.append(head + "/>")
            else:
                parts.append(
                    head + '><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                    f"{escape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>"
                )
        parts.append("</bpmn:process></bpmn:definitions>")
        return "\n".join(parts)


def _build(pack: RulePack) -> _Builder:
    per_party = frozenset(q.id for q in pack.questions.values() if q.per_party)
    builder = _Builder(pack, per_party)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20 * len(pack.steps) + 1000))
    try:
        first = builder.emit(pack.model.flows[0].start, _Ctx())
    finally:
        sys.setrecursionlimit(limit)
    builder.flow("start", first)
    builder.merges()
    return builder


def to_bpmn(pack: RulePack) -> str:
    """The pack's first flow as BPMN 2.0 XML that SpiffWorkflow can run."""
    return _build(pack).xml(f"kprocess_{pack.model.id}")


class SpiffEngine:
    """SpiffWorkflow running the pack's BPMN; the spec is parsed once and shared by every case."""

    name = "SpiffWorkflow"

    def __init__(self, pack: RulePack) -> None:
        from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser

        self.pack = pack
        self.builder = _build(pack)
        self.process_id = f"kprocess_{pack.model.id}"
        parser = BpmnParser()
        parser.add_bpmn_str(self.builder.xml(self.process_id).encode())
        self.spec = parser.get_spec(self.process_id)
        self.parties = pack.parties(FanOut.parties)
        self.option_sets = {s.id: list(s.options) for s in pack.option_sets.values()}

    def variables(self, given: Parsed) -> dict[str, list[Any]]:
        """Each answer variable (`fraga`, or `fraga__p<k>` for a party) with its answers in order."""
        out: dict[str, list[Any]] = {}
        for qid in self.pack.questions:
            keys: list[tuple[str, str | None]] = [(qid, None)]
            if qid in self.builder.per_party:
                keys += [(qid, party) for party in self.parties]
            for key in keys:
                answers = given.get(key) or given.get((qid, None))
                if answers is not None:
                    out[qid if key[1] is None else f"{qid}__p{self.parties.index(key[1])}"] = answers
        return out

    def run(self, given: Parsed) -> tuple[str, Counter[tuple[str, str | None]]]:
        """Run one case; return the end step and how often each (step, party) was done.

        Task data holds the current answers (what conditions read), the option sets and the loop
        counters; the answer lists and how many of each were read live outside it, in `take`
        (task data is copied into every branch, and a parallel join merges the copies).
        """
        from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        answers = self.variables(given)
        read: dict[str, int] = {}

        def take(name: str) -> Any:
            index = read[name] = read.get(name, -1) + 1
            return answers[name][min(index, len(answers[name]) - 1)]

        data: dict[str, Any] = dict(self.option_sets)
        data.update((counter, 0) for counter in self.builder.counters)
        data.update((name, values[0]) for name, values in answers.items())

        def agg(function: str, qid: str) -> bool:
            values = [
                bool(answers[name][min(index, len(answers[name]) - 1)])
                for name, index in read.items()
                if name.startswith(f"{qid}__p")
            ]
            return any(values) if function == "any" else bool(values) and all(values)

        engine = PythonScriptEngine(environment=TaskDataEnvironment({"take": take, "agg": agg}))
        workflow = BpmnWorkflow(self.spec, script_engine=engine)
        workflow.get_tasks(state=TaskState.READY)[0].data.update(data)
        workflow.do_engine_steps()
        if not workflow.is_completed():
            raise RuntimeError("SpiffWorkflow did not complete the case")
        done: Counter[tuple[str, str | None]] = Counter()
        end = ""
        for task in workflow.get_tasks(state=TaskState.COMPLETED):
            meta = self.builder.meta.get(task.task_spec.bpmn_id or "")
            if meta is None:
                continue
            step, party = meta
            done[(step, None if party is None else self.parties[party])] += 1
            if self.pack.steps[step].end is not None:
                end = step
        return end, done
