"""Hand-written engines for the same pack graph: a bare `transitions` machine and a plain dict-walk.

Both run a case exactly as kprocess does (same lockstep token moves, per-party
fan-out, joins, loop bounds, answer sequences and mandate rules, same compiled
conditions) but record only what the outcome needs: `(step, party, answer,
decision holder)` per step done, and the end step. They differ only in how a token
leaves a step: `TransitionsEngine` triggers one static `transitions.Machine`
(`model=None`, `auto_transitions=False`, `machine.events["advance"].trigger(token,
get)`), `DictWalk` looks the routes up in a dict and tries them in order (the
practical lower bound for an interpreter of this graph in Python).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kprocess.conditions import Condition
from kprocess.pack import RulePack

Get = Callable[[str], Any]
Record = tuple[str, str | None, Any, str | None]
Outcome = tuple[str, list[Record]]
Parsed = dict[tuple[str, str | None], list[Any]]


class BoundError(Exception):
    """A bounded route was taken more often than its `max_times`."""


@dataclass(frozen=True, slots=True)
class Route:
    """One compiled route: condition (None for `otherwise`), target, bound, index in the step."""

    condition: Condition | None
    target: str
    bound: int | None
    index: int


@dataclass(frozen=True, slots=True)
class Node:
    """One step, reduced to what running it needs."""

    id: str
    routes: tuple[Route, ...]
    parallel: tuple[tuple[str, Condition | None], ...]
    for_each: tuple[str, ...] | None
    join: str | None
    end: str | None
    question: str | None
    holder: str | None
    mandate: tuple[tuple[Condition | None, str], ...]
    join_step: str | None = None
    call: str | None = None
    resume: tuple[Condition, str, int | None] | None = None


@dataclass(frozen=True)
class Plan:
    """The pack's graph compiled once: nodes by id, the start, and the per-party questions."""

    nodes: dict[str, Node]
    start: str
    per_party: frozenset[str]


def _routes(pack: RulePack, index: int) -> tuple[Route, ...]:
    step = pack.model.steps[index]
    if step.next:
        return (Route(None, step.next, None, 0),)
    return tuple(
        Route(pack.conditions.get(("steps", index, "routes", j, "when")), r.target, r.max_times, j)
        for j, r in enumerate(step.routes)
    )


def _mandate(pack: RulePack, index: int) -> tuple[tuple[Condition | None, str], ...]:
    step = pack.model.steps[index]
    if step.decision is None:
        return ()
    base = ("steps", index, "decision", "mandate")
    return tuple((pack.conditions.get((*base, j, "when")), r.actor) for j, r in enumerate(step.decision.mandate))


def compile_plan(pack: RulePack, flow: int = 0) -> Plan:
    """Compile `pack` (its flow number `flow`) for the baseline engines."""
    nodes = {}
    joins = {s.join: s.id for s in pack.model.steps if s.join}
    starts = {f.id: f.start for f in pack.model.flows}
    for i, step in enumerate(pack.model.steps):
        nodes[step.id] = Node(
            id=step.id,
            routes=_routes(pack, i),
            parallel=tuple(
                (target, pack.conditions[("steps", i, "parallel", j, "when")] if when else None)
                for j, (target, when) in enumerate(step.branches)
            ),
            for_each=tuple(pack.parties(step.for_each)) if step.for_each else None,
            join=step.join,
            end=step.end.value if step.end else None,
            question=step.decision.question if step.decision else None,
            holder=step.decision.by if step.decision else None,
            mandate=_mandate(pack, i),
            join_step=joins.get(step.id),
            call=starts[step.call] if step.call else None,
            resume=(pack.conditions[("steps", i, "resume", "when")], step.resume.to, step.resume.max_times)
            if step.resume
            else None,
        )
    per_party = frozenset(q.id for q in pack.questions.values() if q.per_party)
    return Plan(nodes, pack.model.flows[flow].start, per_party)


@dataclass(slots=True)
class Token:
    """A position in the graph, as in kprocess: state, party, open splits and loop counters."""

    state: str
    party: str | None = None
    splits: tuple[tuple[str, int, int, str | None], ...] = ()
    counts: dict[tuple[str, int], int] = field(default_factory=dict)
    joined: bool = False
    calls: tuple[str, ...] = ()


class _Case:
    """One running case; `advance(token, get)` is the engine-specific move."""

    def __init__(self, plan: Plan, given: Parsed, advance: Callable[[Token, Get], None]) -> None:
        self.plan, self.given, self.advance = plan, given, advance
        self.current: dict[tuple[str, str | None], Any] = {}
        self.consumed: dict[tuple[str, str | None], int] = {}
        self.waiting: dict[int, list[Token]] = {}
        self.groups = itertools.count(1)
        self.trace: list[Record] = []
        self.end = ""

    def run(self) -> Outcome:
        active = self.arrive(Token(self.plan.start))
        while active:
            active = [arrived for token in active for moved in self.leave(token) for arrived in self.arrive(moved)]
        return self.end, self.trace

    def arrive(self, token: Token) -> list[Token]:
        node = self.plan.nodes[token.state]
        if node.join is not None and not token.joined and token.splits and token.splits[-1][0] == node.join:
            return self.join(token)
        if node.for_each is not None and (not token.splits or token.splits[-1][0] != node.id):
            split = (node.id, next(self.groups), len(node.for_each), token.party)
            splits = (*token.splits, split)
            return [Token(node.id, p, splits, dict(token.counts), calls=token.calls) for p in node.for_each]
        token.joined = False
        return [token]

    def join(self, token: Token) -> list[Token]:
        split = token.splits[-1]
        waiting = self.waiting.setdefault(split[1], [])
        waiting.append(token)
        if len(waiting) < split[2]:
            return []
        del self.waiting[split[1]]
        return [Token(token.state, split[3], token.splits[:-1], dict(waiting[0].counts), True, token.calls)]

    def leave(self, token: Token) -> Iterator[Token]:
        node = self.plan.nodes[token.state]
        party = token.party

        def get(qid: str) -> Any:
            return self.read(qid, party)

        answer = holder = None
        if node.question is not None:
            answer = self.consume(node.question, party)
            holder = node.holder
            for condition, actor in node.mandate:
                if condition is None or condition(get):
                    holder = actor
                    break
        self.trace.append((node.id, party, answer, holder))
        token.joined = False
        if node.end is not None:
            if node.resume is not None and node.resume[0](get):
                condition, target, bound = node.resume
                token.counts[(node.id, -1)] = taken = token.counts.get((node.id, -1), 0) + 1
                if bound is not None and taken > bound:
                    raise BoundError(f"{node.id} resumed more than {bound} times")
                token.state = target
                yield token
            elif node.end == "completed" and token.calls:
                token.state, token.calls = token.calls[-1], token.calls[:-1]
                self.advance(token, get)
                yield token
            else:
                self.end = node.id
            return
        if node.call is not None:
            token.calls = (*token.calls, node.id)
            token.state = node.call
            yield token
            return
        if node.parallel:
            started = [target for target, when in node.parallel if when is None or when(get)]
            if not started:
                assert node.join_step is not None
                token.state, token.joined = node.join_step, True
                yield token
                return
            split = (node.id, next(self.groups), len(started), party)
            for branch in started:
                yield Token(branch, party, (*token.splits, split), dict(token.counts), calls=token.calls)
            return
        self.advance(token, get)
        yield token

    def key(self, qid: str, party: str | None) -> tuple[str, str | None]:
        return (qid, party if qid in self.plan.per_party else None)

    def answer(self, key: tuple[str, str | None], index: int) -> Any:
        given = self.given.get(key) if key[1] is not None else None
        if given is None:
            given = self.given[(key[0], None)]
        return given[min(index, len(given) - 1)]

    def read(self, qid: str, party: str | None) -> Any:
        if qid.startswith(("any(", "all(")):
            answers = [bool(v) for (q, p), v in self.current.items() if q == qid[4:-1] and p]
            return any(answers) if qid.startswith("any(") else bool(answers) and all(answers)
        key = self.key(qid, party)
        if key not in self.current:
            self.current[key] = self.answer(key, 0)
        return self.current[key]

    def consume(self, qid: str, party: str | None) -> Any:
        key = self.key(qid, party)
        index = self.consumed.get(key, 0)
        self.consumed[key] = index + 1
        self.current[key] = value = self.answer(key, index)
        return value


def _count(token: Token, node: str, route: Route) -> None:
    """Count a bounded route; raise `BoundError` past its bound."""
    key = (node, route.index)
    token.counts[key] = taken = token.counts.get(key, 0) + 1
    if taken > (route.bound or 0):
        raise BoundError(f"{node} → {route.target} more than {route.bound} times")


class DictWalk:
    """Routes in a dict, tried in order: the lower bound."""

    name = "dict-walk"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def advance(self, token: Token, get: Get) -> None:
        node = token.state
        for route in self.plan.nodes[node].routes:
            if route.condition is None or route.condition(get):
                if route.bound is not None:
                    _count(token, node, route)
                token.state = route.target
                return
        raise RuntimeError(f"no route from {node}")

    def run(self, given: Parsed) -> Outcome:
        """Run one case (parsed answers); return the end step and the records."""
        return _Case(self.plan, given, self.advance).run()


class TransitionsEngine:
    """One static `transitions.Machine` for the pack; tokens are its models, moved by triggering."""

    name = "bare transitions"

    def __init__(self, plan: Plan) -> None:
        from transitions import Machine

        self.plan = plan
        self.machine: Any = Machine(
            model=None, states=list(plan.nodes), initial=plan.start, auto_transitions=False, send_event=False
        )
        for node in plan.nodes.values():
            for route in node.routes:
                conditions: list[Any] = [route.condition] if route.condition is not None else []
                self.machine.add_transition("advance", node.id, route.target, conditions=conditions)
        self.event = self.machine.events["advance"]
        self.bounded = {
            (node.id, route.target): route for node in plan.nodes.values() for route in node.routes if route.bound
        }

    def advance(self, token: Token, get: Get) -> None:
        source = token.state
        if not self.event.trigger(token, get):
            raise RuntimeError(f"no route from {source}")
        route = self.bounded.get((source, token.state))
        if route is not None:
            _count(token, source, route)

    def run(self, given: Parsed) -> Outcome:
        """Run one case (parsed answers); return the end step and the records."""
        return _Case(self.plan, given, self.advance).run()


class TransitionsExecuteEngine(TransitionsEngine):
    """The same machine, moved as `kprocess.engine.machine` moves it: each of the source state's
    transitions in order with `Transition.execute`, without `Event.trigger`'s queue and callbacks."""

    name = "transitions, execute"

    def __init__(self, plan: Plan) -> None:
        from transitions import EventData

        super().__init__(plan)
        self.event_data = EventData
        self.states = {name: self.machine.get_state(name) for name in plan.nodes}

    def advance(self, token: Token, get: Get) -> None:
        source = token.state
        data = self.event_data(self.states[source], self.event, self.machine, token, (get,), {})
        for transition in self.event.transitions.get(source, ()):
            data.transition = transition
            if transition.execute(data):
                break
        else:
            raise RuntimeError(f"no route from {source}")
        route = self.bounded.get((source, token.state))
        if route is not None:
            _count(token, source, route)
