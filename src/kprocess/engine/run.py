"""Running one case: tokens move through the pack's machine, fan out per party, join, end.

A case is its answers, its tokens (positions) and its trace. A token that reaches
a `for_each` step becomes one token per party; a `parallel` step starts one token
per branch; tokens wait at the step whose `join:` names their split until every
sibling has arrived, then continue as one. All tokens move in lockstep, so the
trace shows "every municipality decides" as consecutive entries.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kprocess.answers import Answers, Asker, Origin, Parsed, parse_value
from kprocess.conditions import Condition, Getter, Value
from kprocess.engine.machine import LoopBoundError, PackMachine
from kprocess.engine.result import CaseResult, Decision, Fact, Party, RunFailure, Status, TraceEntry
from kprocess.model import EndKind, FanOut, Flow, QuestionType, Step
from kprocess.pack import RulePack
from kprocess.timing import add_period, step_date, validity_warnings

MAX_ENTRIES = 100_000
MAX_CALL_DEPTH = 20
Router = Callable[[Any, Getter], bool]
Doers = tuple[Party, tuple[Party, ...]]  # who does a step, and who does it together with them
_machines: weakref.WeakKeyDictionary[RulePack, PackMachine] = weakref.WeakKeyDictionary()
_memos: weakref.WeakKeyDictionary[RulePack, dict[tuple[object, ...], Parsed]] = weakref.WeakKeyDictionary()
"""Per pack, what each answer given as plain data parsed to (see `Answers.memo`)."""


@dataclass(frozen=True)
class Position:
    """Where a running case is when it needs an answer: the step and, with a start date, its date."""

    step: str
    day: date | None


_asking: ContextVar[Position | None] = ContextVar("kprocess_asking", default=None)


def asking_position() -> Position | None:
    """Inside an `ask` callback: the step (and date) that needs the answer; else None."""
    return _asking.get()


class RunError(Exception):
    """A case that cannot run to an end; the message says why and what to do.

    `partial` is the run up to where it stopped (status `failed`), when it got that far.
    """

    partial: CaseResult | None = None


class MissingAnswersError(RunError):
    """Answers the case needs that were neither given, defaulted nor asked."""

    def __init__(self, missing: list[tuple[str, str | None]]) -> None:
        self.missing = missing
        names = ", ".join(f"{q}[{p}]" if p else q for q, p in missing)
        super().__init__(f"svar saknas för: {names}")


class LoopLimitError(RunError):
    """A loop went round more often than its bound allows."""


@dataclass(frozen=True)
class _Split:
    step: str
    group: int
    size: int
    party: str | None
    branch: str | None


@dataclass
class _Token:
    state: str
    party: str | None = None
    branch: str | None = None
    splits: tuple[_Split, ...] = ()
    day: date | None = None
    counts: dict[tuple[str, int], int] = field(default_factory=dict)
    joined: bool = False
    route: int | None = None
    calls: tuple[tuple[str, TraceEntry], ...] = ()


@dataclass(frozen=True)
class _Rule:
    condition: Condition | None
    holder: Party
    weight: str
    mandate: str
    source: str | None
    jointly: tuple[Party, ...]


@dataclass(frozen=True)
class _Layout:
    """What a trace entry needs of a step, computed once per pack."""

    phase_name: str
    actor: Party
    produces: tuple[str, ...]
    end: str | None
    by: Party | None
    rules: tuple[_Rule, ...]
    jointly: tuple[Party, ...] = ()
    decided_jointly: tuple[Party, ...] = ()
    actor_rules: tuple[tuple[Condition, Party, tuple[Party, ...]], ...] = ()
    branches: tuple[tuple[str, Condition | None], ...] = ()
    join: str | None = None
    resume: Condition | None = None


_layouts: weakref.WeakKeyDictionary[RulePack, dict[str, _Layout]] = weakref.WeakKeyDictionary()


def _party(pack: RulePack, actor_id: str) -> Party:
    actor = pack.actors[actor_id]
    return Party(actor.id, actor.short or actor.name, actor.principal.value)


def layout_for(pack: RulePack) -> dict[str, _Layout]:
    """Per step, the parts of its trace entries that never change between cases."""
    found = _layouts.get(pack)
    if found is not None:
        return found
    phases = {p.id: p.name for p in pack.model.phases}
    joins = {s.join: s.id for s in pack.model.steps if s.join}
    conditions = pack.conditions
    found = {}
    for i, step in enumerate(pack.model.steps):
        rules: list[_Rule] = []
        by = None
        decided_jointly: tuple[Party, ...] = ()
        if step.decision is not None:
            decision = step.decision
            by = _party(pack, decision.by) if decision.by else None
            decided_jointly = tuple(_party(pack, a) for a in decision.jointly_with)
            for j, rule in enumerate(decision.mandate):
                rules.append(
                    _Rule(
                        conditions.get(("steps", i, "decision", "mandate", j, "when")),
                        _party(pack, rule.actor),
                        (rule.weight or decision.weight).value,
                        rule.name or (f"när {rule.when}" if rule.when else "i övriga fall"),
                        rule.source,
                        tuple(_party(pack, a) for a in rule.jointly_with),
                    )
                )
        found[step.id] = _Layout(
            phases[step.phase],
            _party(pack, step.actor),
            tuple(step.produces),
            step.end.value if step.end else None,
            by,
            tuple(rules),
            tuple(_party(pack, a) for a in step.jointly_with),
            decided_jointly,
            tuple(
                (
                    conditions[("steps", i, "actor_when", j, "when")],
                    _party(pack, rule.actor),
                    tuple(_party(pack, a) for a in rule.jointly_with),
                )
                for j, rule in enumerate(step.actor_when)
            ),
            tuple(
                (target, conditions[("steps", i, "parallel", j, "when")] if when else None)
                for j, (target, when) in enumerate(step.branches)
            ),
            joins.get(step.id),
            conditions[("steps", i, "resume", "when")] if step.resume else None,
        )
    _layouts[pack] = found
    return found


def machine_for(pack: RulePack) -> PackMachine:
    """The pack's machine, built on first use and reused for every case."""
    machine = _machines.get(pack)
    if machine is None:
        machine = _machines[pack] = PackMachine(pack)
    return machine


def run_case(
    pack: RulePack,
    answers: Answers | Mapping[str, Any],
    *,
    flow: str | None = None,
    start: date | None = None,
    ask: Asker | None = None,
    router: Router | None = None,
) -> CaseResult:
    """Run a case through `pack` and return its trace.

    `answers` maps question ids (or `id[Party]`) to answers (`ja`, `[ja, nej]`, an option id,
    a number). Missing answers use the question's default, then `ask`; if still missing,
    `MissingAnswersError` names every one. `start` turns time rules into dates.
    `router` picks routes; by default the pack's transitions machine (see `engine.batch` for the
    compiled router used by batch runs).
    """
    if not isinstance(answers, Answers):
        parsed = Answers(pack.questions, pack.parties(FanOut.parties), memo=_memos.setdefault(pack, {}))
        for key, value in answers.items():
            parsed.set(key, value)
        answers = parsed
    return _Run(pack, answers, ask, router or machine_for(pack).advance).run(flow, start)


class _Run:
    """The state of one running case."""

    def __init__(self, pack: RulePack, answers: Answers, ask: Asker | None, router: Router) -> None:
        self.pack = pack
        self.answers = replace(answers, given={key: list(values) for key, values in answers.given.items()})
        self.ask = ask
        self.router = router
        self.layout = layout_for(pack)
        self.per_party = {q.id for q in pack.questions.values() if q.per_party}
        self.trace: list[TraceEntry] = []
        self.current: dict[tuple[str, str | None], Value] = {}
        self.consumed: dict[tuple[str, str | None], int] = {}
        self.origins: dict[tuple[str, str | None], Origin] = {}
        self.missing: list[tuple[str, str | None]] = []
        self.waiting: dict[int, list[_Token]] = {}
        self.groups = itertools.count(1)
        self.flows = {f.id: f for f in pack.model.flows}
        self.at: Position | None = None
        self.end: Step | None = None
        self.end_day: date | None = None

    def run(self, flow_id: str | None, start: date | None) -> CaseResult:
        flow = self._flow(flow_id)
        try:
            active = self._arrive(_Token(flow.start, day=start))
            while active:
                active = [
                    arrived for token in active for moved in self._leave(token) for arrived in self._arrive(moved)
                ]
                if len(self.trace) > MAX_ENTRIES:
                    raise RunError(f"ärendet har passerat {MAX_ENTRIES} steg utan att nå ett slut")
        except RunError as error:
            kind = "loop_limit" if isinstance(error, LoopLimitError) else "run_error"
            error.partial = CaseResult(
                self.pack.model.id,
                self.pack.model.county,
                flow.id,
                Status.failed,
                self.trace,
                self._facts(),
                start,
                error=RunFailure(kind, str(error)),
            )
            raise
        if self.missing:
            raise MissingAnswersError(self.missing)
        assert self.end is not None and self.end.end is not None
        every = self.end.timing.every if self.end.timing and self.end.end is EndKind.ongoing else None
        return CaseResult(
            self.pack.model.id,
            self.pack.model.county,
            flow.id,
            Status(self.end.end.value),
            self.trace,
            self._facts(),
            start,
            next_due=add_period(self.end_day, every) if every and self.end_day else None,
            warnings=validity_warnings(self.pack.model.validity, start, self.end_day),
        )

    def _flow(self, flow_id: str | None) -> Flow:
        flows = self.pack.model.flows
        if flow_id is None:
            return flows[0]
        for flow in flows:
            if flow.id == flow_id:
                return flow
        raise RunError(f"flödet `{flow_id}` finns inte; paketets flöden: {', '.join(f.id for f in flows)}")

    # -- moving tokens -------------------------------------------------------------

    def _arrive(self, token: _Token) -> list[_Token]:
        """A token reaches its step: fan out, wait at a join, or stay to be executed."""
        step = self.pack.steps[token.state]
        if step.join is not None and not token.joined and token.splits and token.splits[-1].step == step.join:
            return self._join(token)
        if step.for_each is not None and (not token.splits or token.splits[-1].step != step.id):
            parties = self.pack.parties(step.for_each)
            split = _Split(step.id, next(self.groups), len(parties), token.party, token.branch)
            splits = (*token.splits, split)
            return [
                _Token(token.state, p, token.branch, splits, token.day, dict(token.counts), calls=token.calls)
                for p in parties
            ]
        return [token]

    def _join(self, token: _Token) -> list[_Token]:
        split = token.splits[-1]
        waiting = self.waiting.setdefault(split.group, [])
        waiting.append(token)
        if len(waiting) < split.size:
            return []
        del self.waiting[split.group]
        days = [t.day for t in waiting if t.day is not None]
        merged = _Token(
            token.state, split.party, split.branch, token.splits[:-1], max(days) if days else None, calls=token.calls
        )
        merged.counts = dict(waiting[0].counts)
        merged.joined = True
        return [merged]

    def _leave(self, token: _Token) -> Iterator[_Token]:
        """Execute the token's step (date, decision, route), record it, then move the token on."""
        step = self.pack.steps[token.state]
        token.joined = False
        party = token.party
        get = lambda q: self._read(q, party)  # noqa: E731 - a getter bound to this token
        self.at = Position(step.id, token.day)
        if step.timing is not None and token.day is not None:
            token.day = step_date(token.day, step.timing, get)
            self.at = Position(step.id, token.day)
        layout = self.layout[step.id]
        decision = self._decide(step, layout, party, get) if step.decision else None
        actor = self._actor(layout, party, get)
        if step.end is not None:
            yield from self._finish(token, step, layout, decision, actor, get)
            return
        if step.call is not None:
            if len(token.calls) >= MAX_CALL_DEPTH:
                raise RunError(f"`{step.id}` anropar flöden i fler än {MAX_CALL_DEPTH} led; anropar flödet sig självt?")
            entry = self._record(token, step, layout, decision, None, actor)
            token.calls = (*token.calls, (step.id, entry))
            token.state = self.flows[step.call].start
            yield token
            return
        if step.parallel:
            self._record(token, step, layout, decision, None, actor)
            started = [target for target, when in layout.branches if when is None or when(get)]
            if not started:
                assert layout.join is not None
                token.state, token.joined = layout.join, True
                yield token
                return
            split = _Split(step.id, next(self.groups), len(started), party, token.branch)
            splits = (*token.splits, split)
            for branch in started:
                yield _Token(branch, party, branch, splits, token.day, dict(token.counts), calls=token.calls)
            return
        self._move(token, step, get)
        self._record(token, step, layout, decision, token.route if step.routes else None, actor)
        yield token

    def _move(self, token: _Token, step: Step, get: Getter) -> None:
        """Take the first route of `step` whose condition holds."""
        try:
            moved = self.router(token, get)
        except LoopBoundError as bound:
            raise LoopLimitError(self._loop_message(bound)) from None
        if not moved:
            raise RunError(f"ingen väg från `{step.id}` gäller för svaren; kontrollera paketet med `kprocess validate`")

    def _finish(
        self, token: _Token, step: Step, layout: _Layout, decision: Decision | None, actor: Doers, get: Getter
    ) -> Iterator[_Token]:
        """An end step: resume a parked case, return from a called flow, or end the case."""
        resume = step.resume
        if resume is not None and layout.resume is not None and layout.resume(get):
            key = (step.id, -1)
            token.counts[key] = token.counts.get(key, 0) + 1
            if resume.max_times is not None and token.counts[key] > resume.max_times:
                raise LoopLimitError(self._loop_message(LoopBoundError(step.id, resume.to, resume.max_times)))
            self._record(token, step, layout, decision, None, actor, resumed=resume.to)
            if resume.wait is not None and token.day is not None:
                token.day = step_date(token.day, resume.wait, get)
            token.state = resume.to
            yield token
            return
        if step.end is EndKind.completed and token.calls:
            self._record(token, step, layout, decision, None, actor, ended=False)
            (caller_id, caller_entry), token.calls = token.calls[-1], token.calls[:-1]
            caller = self.pack.steps[caller_id]
            token.state = caller_id
            self._move(token, caller, get)
            caller_entry.route = token.route if caller.routes else None
            yield token
            return
        self._record(token, step, layout, decision, None, actor)
        if token.splits:
            raise RunError(f"grenen för {token.party or token.branch} slutade i `{step.id}` innan den mötte de andra")
        self.end, self.end_day = step, token.day

    def _actor(self, layout: _Layout, party: str | None, get: Getter) -> Doers:
        """Who does the step and with whom: the first `actor_when` rule that holds, else the step's
        own; in a per-party step the actor has the party's own principal."""
        actor, jointly = next(
            ((rule_actor, partners) for condition, rule_actor, partners in layout.actor_rules if condition(get)),
            (layout.actor, layout.jointly),
        )
        if party is not None:
            principal = "region" if party == self.pack.model.parties.region else "kommun"
            actor = Party(actor.id, actor.name, principal)
        return actor, jointly

    def _loop_message(self, bound: LoopBoundError) -> str:
        step = self.pack.steps[bound.step]
        question = step.decision.question if step.decision else None
        hint = f" Ge t.ex. `{question}=ja,nej` så att slingan tar slut." if question else ""
        return (
            f"vägen från `{bound.step}` till `{bound.target}` har tagits fler än {bound.bound} gånger "
            f"(max_times: {bound.bound}); svaren leder aldrig ut ur slingan.{hint}"
        )

    # -- recording -----------------------------------------------------------------

    def _record(
        self,
        token: _Token,
        step: Step,
        layout: _Layout,
        decision: Decision | None,
        route: int | None,
        actor: Doers,
        *,
        ended: bool = True,
        resumed: str | None = None,
    ) -> TraceEntry:
        entry = TraceEntry(
            len(self.trace) + 1,
            step.id,
            step.name,
            step.phase,
            layout.phase_name,
            actor[0],
            token.party,
            token.branch,
            decision,
            step.source,
            token.day,
            layout.produces,
            layout.end if ended and resumed is None else None,
            step.handed_to,
            route,
            actor[1],
            resumed,
        )
        self.trace.append(entry)
        return entry

    def _decide(self, step: Step, layout: _Layout, party: str | None, get: Getter) -> Decision:
        decision = step.decision
        assert decision is not None
        answer = self._consume(decision.question, party)
        if layout.by is not None:
            return Decision(
                decision.question, answer, layout.by, decision.weight.value, None, None, layout.decided_jointly
            )
        for rule in layout.rules:
            if rule.condition is None or rule.condition(get):
                jointly = rule.jointly or layout.decided_jointly
                return Decision(decision.question, answer, rule.holder, rule.weight, rule.mandate, rule.source, jointly)
        raise RunError(f"ingen har mandat för beslutet i `{step.id}`; kontrollera paketet med `kprocess validate`")

    # -- answers -------------------------------------------------------------------

    def _key(self, qid: str, party: str | None) -> tuple[str, str | None]:
        return (qid, party if qid in self.per_party else None)

    def _read(self, qid: str, party: str | None) -> Value:
        if qid in self.pack.derived:
            return self._aggregate(qid)
        key = self._key(qid, party)
        if key not in self.current:
            self.current[key] = self._answer(key, 0)
        return self.current[key]

    def _aggregate(self, name: str) -> bool:
        """`any(q)`: some party answered ja; `all(q)`: every party that answered did, and one did."""
        function, _, rest = name.partition("(")
        qid = rest[:-1]
        answers = [bool(value) for (question, party), value in self.current.items() if question == qid and party]
        if function == "any":
            return any(answers)
        return bool(answers) and all(answers)

    def _consume(self, qid: str, party: str | None) -> Value:
        key = self._key(qid, party)
        index = self.consumed.get(key, 0)
        self.consumed[key] = index + 1
        self.current[key] = value = self._answer(key, index)
        return value

    def _answer(self, key: tuple[str, str | None], index: int) -> Value:
        qid, party = key
        question = self.pack.questions[qid]
        given = self.answers.sequence(qid, party)
        if given is not None and (index < len(given) or self.origins.get(key) is not Origin.asked):
            self.origins.setdefault(key, Origin.given)
            return given[min(index, len(given) - 1)]
        if question.default is not None and given is None:
            self.answers.given[key] = [parse_value(question, question.default)]
            self.origins[key] = Origin.defaulted
            return self.answers.given[key][0]
        if self.ask is not None:
            asking = _asking.set(self.at)
            try:
                value = self.ask(question, party)
            finally:
                _asking.reset(asking)
            if value is not None:
                self.answers.given.setdefault(key, []).append(value)
                self.origins[key] = Origin.asked
                return value
        if key not in self.missing:
            self.missing.append(key)
            self.origins[key] = Origin.missing
        return _placeholder(question)

    def _facts(self) -> list[Fact]:
        facts = []
        for (qid, party), origin in self.origins.items():
            question = self.pack.questions[qid]
            values = tuple(self.answers.given.get((qid, party), ()))
            facts.append(Fact(qid, question.text, party, values, origin))
        return facts


def _placeholder(question: Any) -> Value:
    """A stand-in answer so a run can go on to find every missing answer."""
    if question.type is QuestionType.yesno:
        return False
    if question.type is QuestionType.choice:
        return str(question.options[0].id)
    return 0.0
