"""Running one case: tokens move through the pack's machine, fan out per party, join, end.

A case is its answers, its tokens (positions) and its trace. A token that reaches
a `for_each` step becomes one token per party; a `parallel` step starts one token
per branch; tokens wait at the step whose `join:` names their split until every
sibling has arrived, then continue as one. All tokens move in lockstep, so the
trace shows "every municipality decides" as consecutive entries.

Everything about a pack that does not change between cases (per step: its trace
fields, actors, mandate rules, fan-out parties; the per-party questions, flows and
parsed defaults) is computed once per pack (`_Plan`), so a run only does the case's
own work.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kprocess.answers import MEMO_SIZE, Answers, Asker, Origin, memo_key, parse_value, placeholder
from kprocess.conditions import Getter, Predicate, Value
from kprocess.engine.machine import LoopBoundError, PackMachine
from kprocess.engine.result import CaseResult, Decision, Fact, Party, RunFailure, Status, TraceEntry
from kprocess.enums import EndKind, FanOut
from kprocess.i18n import _
from kprocess.model import Flow, Question, Step
from kprocess.pack import RulePack
from kprocess.timing import add_period, step_date, validity_warnings

MAX_ENTRIES = 100_000
MAX_CALL_DEPTH = 20
Router = Callable[[Any, Getter], bool]
Doers = tuple[Party, tuple[Party, ...]]  # who does a step, and who does it together with them
Key = tuple[str, str | None]
Given = dict[Key, Sequence[Value]]
_machines: weakref.WeakKeyDictionary[RulePack, PackMachine] = weakref.WeakKeyDictionary()


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
        super().__init__(_("svar saknas för: {names}").format(names=names))


class LoopLimitError(RunError):
    """A loop went round more often than its bound allows."""


@dataclass(frozen=True, slots=True)
class _Split:
    step: str
    group: int
    size: int
    party: str | None
    branch: str | None


@dataclass(slots=True)
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


@dataclass(frozen=True, slots=True)
class _Rule:
    condition: Predicate | None
    holder: Party
    weight: str
    mandate: str
    source: str | None
    jointly: tuple[Party, ...]


_GIVEN = Origin.given
_NOTHING: dict[Any, Any] = {}
"""An empty mapping, never changed."""
_UNSET: Any = object()
"""Not among a run's current answers."""
_STATUS = {kind: Status(kind.value) for kind in EndKind}
_PLAIN, _END, _CALL, _PARALLEL = range(4)
"""How a token leaves a step: by its routes (or `next`), at an end, into a called flow, into branches."""


@dataclass(frozen=True, slots=True)
class _Layout:
    """What running a step needs of it, computed once per pack."""

    step: Step
    phase_name: str
    actor: Party
    produces: tuple[str, ...]
    end: str | None
    by: Party | None
    rules: tuple[_Rule, ...]
    question: str | None = None
    """The decision's question, when the step decides."""
    weight: str = ""
    """The decision's weight (its `value`), when the step decides."""
    jointly: tuple[Party, ...] = ()
    decided_jointly: tuple[Party, ...] = ()
    actor_rules: tuple[tuple[Predicate, Party, tuple[Party, ...]], ...] = ()
    branches: tuple[tuple[str, Predicate | None], ...] = ()
    join: str | None = None
    resume: Predicate | None = None
    leave: int = _PLAIN
    arrive: bool = False
    """True when arriving may do more than stay: the step fans out (`for_each`) or joins (`join:`)."""
    fan_out: tuple[str, ...] = ()
    doers: tuple[Doers, Doers, Doers] | None = None
    """Who does the step when no `actor_when` rule applies: for no party, for the region, for a municipality."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything a run needs of its pack that never changes between cases."""

    layouts: dict[str, _Layout]
    per_party: frozenset[str]
    derived: frozenset[str]
    flows: dict[str, Flow]
    region: str
    parties: list[str]
    memo: _Memo
    """What each answer given as plain data parsed to (see `Answers.memo` and `_parse`)."""
    defaults: dict[str, Value]
    """Each question's `default`, parsed (filled as runs use them)."""


@dataclass(slots=True)
class _Memo:
    """Per answer key, what each raw answer parsed to: (question, party) and the parsed answers.

    A text or a bool is its own slot (no other raw answer equals one: numbers are keyed by
    `memo_key`, as tuples); at most `MEMO_SIZE` entries in all.
    """

    slots: dict[str, dict[object, tuple[Key, tuple[Value, ...]]]] = field(default_factory=dict)
    size: int = 0


_plans: weakref.WeakKeyDictionary[RulePack, _Plan] = weakref.WeakKeyDictionary()


def _party(pack: RulePack, actor_id: str) -> Party:
    actor = pack.actors[actor_id]
    return Party(actor.id, actor.short or actor.name, actor.principal.value)


def _as(actor: Party, principal: str) -> Party:
    return Party(actor.id, actor.name, principal)


def _test(pack: RulePack, key: tuple[str | int, ...]) -> Predicate | None:
    """The compiled test of the pack's condition at `key`, if there is one."""
    condition = pack.conditions.get(key)
    return condition.test if condition is not None else None


def _layout(pack: RulePack, i: int, step: Step, phases: dict[str, str], joins: dict[str, str]) -> _Layout:
    conditions = pack.conditions
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
                    _test(pack, ("steps", i, "decision", "mandate", j, "when")),
                    _party(pack, rule.actor),
                    (rule.weight or decision.weight).value,
                    rule.name or (f"när {rule.when}" if rule.when else "i övriga fall"),
                    rule.source,
                    tuple(_party(pack, a) for a in rule.jointly_with),
                )
            )
    actor = _party(pack, step.actor)
    jointly = tuple(_party(pack, a) for a in step.jointly_with)
    leave = _END if step.end is not None else _CALL if step.call is not None else _PARALLEL if step.parallel else _PLAIN
    return _Layout(
        step,
        phases[step.phase],
        actor,
        tuple(step.produces),
        step.end.value if step.end else None,
        by,
        tuple(rules),
        step.decision.question if step.decision else None,
        step.decision.weight.value if step.decision else "",
        jointly,
        decided_jointly,
        tuple(
            (
                conditions[("steps", i, "actor_when", j, "when")].test,
                _party(pack, rule.actor),
                tuple(_party(pack, a) for a in rule.jointly_with),
            )
            for j, rule in enumerate(step.actor_when)
        ),
        tuple(
            (target, conditions[("steps", i, "parallel", j, "when")].test if when else None)
            for j, (target, when) in enumerate(step.branches)
        ),
        joins.get(step.id),
        conditions[("steps", i, "resume", "when")].test if step.resume else None,
        leave,
        step.join is not None or step.for_each is not None,
        tuple(pack.parties(step.for_each)) if step.for_each is not None else (),
        ((actor, jointly), (_as(actor, "region"), jointly), (_as(actor, "kommun"), jointly)),
    )


def _plan_for(pack: RulePack) -> _Plan:
    """The pack's plan, built on first use and reused for every case."""
    found = _plans.get(pack)
    if found is not None:
        return found
    phases = {p.id: p.name for p in pack.model.phases}
    joins = {s.join: s.id for s in pack.model.steps if s.join}
    found = _Plan(
        {step.id: _layout(pack, i, step, phases, joins) for i, step in enumerate(pack.model.steps)},
        frozenset(q.id for q in pack.questions.values() if q.per_party),
        frozenset(pack.derived),
        {f.id: f for f in reversed(pack.model.flows)},  # reversed: the first of a repeated id wins
        pack.model.parties.region,
        pack.parties(FanOut.parties),
        _Memo(),
        {},
    )
    _plans[pack] = found
    return found


def layout_for(pack: RulePack) -> dict[str, _Layout]:
    """Per step, the parts of its trace entries that never change between cases."""
    return _plan_for(pack).layouts


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
    return _case(pack, answers, ask, router).run(flow, start)


def run_without_facts(
    pack: RulePack, answers: Mapping[str, Any], *, flow: str | None, start: date | None, router: Router
) -> CaseResult:
    """`run_case` for a batch line: the same run and trace, with `facts` left empty (a line shows none)."""
    return _case(pack, answers, None, router).run(flow, start, facts=False)


def _case(pack: RulePack, answers: Answers | Mapping[str, Any], ask: Asker | None, router: Router | None) -> _Run:
    plan = _plan_for(pack)
    # a run replaces answer sequences, never changes them in place: a shallow copy keeps `answers` as it was
    given: Given = dict(answers.given) if isinstance(answers, Answers) else _parse(pack, plan, answers)
    return _Run(pack, plan, given, ask, router or machine_for(pack).advance)


def _parse(pack: RulePack, plan: _Plan, answers: Mapping[str, Any]) -> Given:
    """Answers given as plain data, parsed as `Answers.set` parses them.

    The pack's memo keeps what each key and raw answer parsed to (see `Answers.memo`), here as
    the answer's (question, party) key and its parsed answers, ready to use.
    """
    memo = plan.memo
    slots = memo.slots
    given: Given = {}
    for key, value in answers.items():
        kind = value.__class__
        slot = value if kind is str or kind is bool else memo_key(key, value)
        known = slots.get(key, _NOTHING).get(slot) if slot is not None else None
        if known is None:
            qid, party, values = Answers(pack.questions, plan.parties).parse(key, value)
            known = ((qid, party), values)
            if slot is not None and memo.size < MEMO_SIZE:
                slots.setdefault(key, {})[slot] = known
                memo.size += 1
        answer, values = known
        given[answer] = values
    return given


class _Run:
    """The state of one running case."""

    def __init__(self, pack: RulePack, plan: _Plan, given: Given, ask: Asker | None, router: Router) -> None:
        self.pack = pack
        self.plan = plan
        self.given = given
        self.ask = ask
        self.router = router
        self.layouts = plan.layouts
        self.per_party = plan.per_party
        self.region = plan.region
        self.trace: list[TraceEntry] = []
        self.current: dict[Key, Value] = {}
        self.consumed: dict[Key, int] = {}
        self.origins: dict[Key, Origin] = {}
        self.missing: list[Key] = []
        self.waiting: dict[int, list[_Token]] = {}
        self.groups = itertools.count(1)
        self.getters: dict[str | None, Getter] = {}
        self.at_step: str | None = None
        self.at_day: date | None = None
        self.end: Step | None = None
        self.end_day: date | None = None

    def run(self, flow_id: str | None, start: date | None, *, facts: bool = True) -> CaseResult:
        flow = self._flow(flow_id)
        try:
            active = self._arrive(_Token(flow.start, day=start))
            while active:
                arrived: list[_Token] = []
                for token in active:
                    self._leave(token, arrived)
                active = arrived
                if len(self.trace) > MAX_ENTRIES:
                    raise RunError(
                        _("ärendet har passerat {limit} steg utan att nå ett slut").format(limit=MAX_ENTRIES)
                    )
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
            _STATUS[self.end.end],
            self.trace,
            self._facts() if facts else [],
            start,
            next_due=add_period(self.end_day, every) if every and self.end_day else None,
            warnings=validity_warnings(self.pack.model.validity, start, self.end_day),
        )

    def _flow(self, flow_id: str | None) -> Flow:
        flows = self.pack.model.flows
        if flow_id is None:
            return flows[0]
        found = self.plan.flows.get(flow_id)
        if found is not None:
            return found
        raise RunError(
            _("flödet `{flow}` finns inte; paketets flöden: {flows}").format(
                flow=flow_id, flows=", ".join(f.id for f in flows)
            )
        )

    # -- moving tokens -------------------------------------------------------------

    def _arrive(self, token: _Token) -> list[_Token]:
        """A token reaches its step: fan out, wait at a join, or stay to be executed."""
        step = self.layouts[token.state].step
        if step.join is not None and not token.joined and token.splits and token.splits[-1].step == step.join:
            return self._join(token)
        if step.for_each is not None and (not token.splits or token.splits[-1].step != step.id):
            parties = self.layouts[token.state].fan_out
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

    def _getter(self, party: str | None) -> Getter:
        """The answer reader for conditions evaluated by (or for) `party`, one per party and run."""
        current, per_party, read = self.current, self.per_party, self._read

        def get(qid: str) -> Value:
            value = current.get((qid, party if qid in per_party else None), _UNSET)
            return read(qid, party) if value is _UNSET else value

        self.getters[party] = get
        return get

    def _leave(self, token: _Token, arrived: list[_Token]) -> None:
        """Execute the token's step (date, decision, route), record it, then move the token on to
        its next step (or steps) and add what arrives there to `arrived`."""
        layout = self.layouts[token.state]
        step = layout.step
        token.joined = False
        party = token.party
        get = self.getters.get(party) or self._getter(party)
        self.at_step, self.at_day = step.id, token.day
        if step.timing is not None and token.day is not None:
            token.day = self.at_day = step_date(token.day, step.timing, get)
        question = layout.question
        decision = self._decide(step, layout, question, party, get) if question is not None else None
        if layout.actor_rules:
            actor = self._actor(layout, party, get)
        else:
            assert layout.doers is not None
            actor = layout.doers[0 if party is None else 1 if party == self.region else 2]
        if layout.leave != _PLAIN:
            for moved in self._go_on(token, step, layout, decision, actor, get):
                self._reach(moved, arrived)
            return
        self._move(token, step, get)
        self._record(token, step, layout, decision, token.route if step.routes else None, actor)
        self._reach(token, arrived)

    def _reach(self, token: _Token, arrived: list[_Token]) -> None:
        """`token` reaches its next step: add it, or what arriving there makes of it, to `arrived`."""
        if self.layouts[token.state].arrive:
            arrived.extend(self._arrive(token))
        else:
            arrived.append(token)

    def _go_on(
        self, token: _Token, step: Step, layout: _Layout, decision: Decision | None, actor: Doers, get: Getter
    ) -> list[_Token]:
        """A step that does not leave by its routes: an end, a call or a split into branches."""
        leave = layout.leave
        if leave == _END:
            return self._finish(token, step, layout, decision, actor, get)
        if leave == _CALL:
            if len(token.calls) >= MAX_CALL_DEPTH:
                raise RunError(
                    _("`{step}` anropar flöden i fler än {limit} led; anropar flödet sig självt?").format(
                        step=step.id, limit=MAX_CALL_DEPTH
                    )
                )
            entry = self._record(token, step, layout, decision, None, actor)
            token.calls = (*token.calls, (step.id, entry))
            assert step.call is not None
            token.state = self.plan.flows[step.call].start
            return [token]
        self._record(token, step, layout, decision, None, actor)
        started = [target for target, when in layout.branches if when is None or when(get)]
        if not started:
            assert layout.join is not None
            token.state, token.joined = layout.join, True
            return [token]
        split = _Split(step.id, next(self.groups), len(started), token.party, token.branch)
        splits = (*token.splits, split)
        return [
            _Token(branch, token.party, branch, splits, token.day, dict(token.counts), calls=token.calls)
            for branch in started
        ]

    def _move(self, token: _Token, step: Step, get: Getter) -> None:
        """Take the first route of `step` whose condition holds."""
        try:
            moved = self.router(token, get)
        except LoopBoundError as bound:
            raise LoopLimitError(self._loop_message(bound)) from None
        if not moved:
            raise RunError(
                _("ingen väg från `{step}` gäller för svaren; kontrollera paketet med `kprocess validate`").format(
                    step=step.id
                )
            )

    def _finish(
        self, token: _Token, step: Step, layout: _Layout, decision: Decision | None, actor: Doers, get: Getter
    ) -> list[_Token]:
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
            return [token]
        if step.end is EndKind.completed and token.calls:
            self._record(token, step, layout, decision, None, actor, ended=False)
            (caller_id, caller_entry), token.calls = token.calls[-1], token.calls[:-1]
            caller = self.layouts[caller_id].step
            token.state = caller_id
            self._move(token, caller, get)
            caller_entry.route = token.route if caller.routes else None
            return [token]
        self._record(token, step, layout, decision, None, actor)
        if token.splits:
            raise RunError(
                _("grenen för {branch} slutade i `{step}` innan den mötte de andra").format(
                    branch=token.party or token.branch, step=step.id
                )
            )
        self.end, self.end_day = step, token.day
        return []

    def _actor(self, layout: _Layout, party: str | None, get: Getter) -> Doers:
        """Who does the step and with whom: the first `actor_when` rule that holds, else the step's
        own; in a per-party step the actor has the party's own principal."""
        actor, jointly = layout.actor, layout.jointly
        for condition, rule_actor, partners in layout.actor_rules:
            if condition(get):
                actor, jointly = rule_actor, partners
                break
        if party is not None:
            actor = _as(actor, "region" if party == self.region else "kommun")
        return actor, jointly

    def _loop_message(self, bound: LoopBoundError) -> str:
        step = self.pack.steps[bound.step]
        question = step.decision.question if step.decision else None
        hint = _(" Ge t.ex. `{question}=ja,nej` så att slingan tar slut.").format(question=question) if question else ""
        return _(
            "vägen från `{step}` till `{target}` har tagits fler än {bound} gånger "
            "(max_times: {bound}); svaren leder aldrig ut ur slingan.{hint}"
        ).format(step=bound.step, target=bound.target, bound=bound.bound, hint=hint)

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
        trace = self.trace
        entry = TraceEntry(
            len(trace) + 1,
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
        trace.append(entry)
        return entry

    def _decide(self, step: Step, layout: _Layout, question: str, party: str | None, get: Getter) -> Decision:
        answer = self._consume(question, party)
        if layout.by is not None:
            return Decision(question, answer, layout.by, layout.weight, None, None, layout.decided_jointly)
        for rule in layout.rules:
            if rule.condition is None or rule.condition(get):
                jointly = rule.jointly or layout.decided_jointly
                return Decision(question, answer, rule.holder, rule.weight, rule.mandate, rule.source, jointly)
        raise RunError(
            _("ingen har mandat för beslutet i `{step}`; kontrollera paketet med `kprocess validate`").format(
                step=step.id
            )
        )

    # -- answers -------------------------------------------------------------------

    def _read(self, qid: str, party: str | None) -> Value:
        if qid in self.plan.derived:
            return self._aggregate(qid)
        key = (qid, party if qid in self.per_party else None)
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
        key = (qid, party if qid in self.per_party else None)
        index = self.consumed.get(key, 0)
        self.consumed[key] = index + 1
        self.current[key] = value = self._answer(key, index)
        return value

    def _answer(self, key: Key, index: int) -> Value:
        qid, party = key
        given = self.given
        sequence = given.get(key)
        if sequence is None and party is not None:
            sequence = given.get((qid, None))
        if sequence is not None and (index < len(sequence) or self.origins.get(key) is not Origin.asked):
            self.origins.setdefault(key, _GIVEN)
            return sequence[min(index, len(sequence) - 1)]
        question = self.pack.questions[qid]
        if question.default is not None and sequence is None:
            value = self._default(question)
            given[key] = (value,)
            self.origins[key] = Origin.defaulted
            return value
        if self.ask is not None:
            asking = _asking.set(Position(self.at_step, self.at_day) if self.at_step is not None else None)
            try:
                asked = self.ask(question, party)
            finally:
                _asking.reset(asking)
            if asked is not None:
                given[key] = (*given.get(key, ()), asked)
                self.origins[key] = Origin.asked
                return asked
        if key not in self.missing:
            self.missing.append(key)
            self.origins[key] = Origin.missing
        return placeholder(question)

    def _default(self, question: Question) -> Value:
        defaults = self.plan.defaults
        value = defaults.get(question.id)
        if value is None:
            value = defaults[question.id] = parse_value(question, question.default)
        return value

    def _facts(self) -> list[Fact]:
        facts = []
        questions, given = self.pack.questions, self.given
        for (qid, party), origin in self.origins.items():
            facts.append(_fact(qid, questions[qid].text, party, tuple(given.get((qid, party), ())), origin))
        return facts


def _fact(question: str, text: str, party: str | None, answers: tuple[Value, ...], origin: Origin) -> Fact:
    """`Fact(question, text, party, answers, origin)`, without the frozen dataclass's field-by-field
    `object.__setattr__` (a run makes one per answer it used)."""
    fact = object.__new__(Fact)
    fact.__dict__.update(question=question, text=text, party=party, answers=answers, origin=origin)
    return fact
