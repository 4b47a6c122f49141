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
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kprocess.answers import Answers, Asker, Origin, parse_value
from kprocess.conditions import Condition, Getter, Value
from kprocess.engine.machine import LoopBoundError, PackMachine
from kprocess.engine.result import CaseResult, Decision, Fact, Party, Status, TraceEntry
from kprocess.model import FanOut, Flow, QuestionType, Step
from kprocess.pack import RulePack
from kprocess.timing import step_date

MAX_ENTRIES = 100_000
Router = Callable[[Any, Getter], bool]
_machines: weakref.WeakKeyDictionary[RulePack, PackMachine] = weakref.WeakKeyDictionary()


class RunError(Exception):
    """A case that cannot run to an end; the message says why and what to do."""


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


@dataclass(frozen=True)
class _Rule:
    condition: Condition | None
    holder: Party
    weight: str
    mandate: str
    source: str | None


@dataclass(frozen=True)
class _Layout:
    """What a trace entry needs of a step, computed once per pack."""

    phase_name: str
    actor: Party
    produces: tuple[str, ...]
    end: str | None
    by: Party | None
    rules: tuple[_Rule, ...]


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
    found = {}
    for i, step in enumerate(pack.model.steps):
        rules: list[_Rule] = []
        by = None
        if step.decision is not None:
            decision = step.decision
            by = _party(pack, decision.by) if decision.by else None
            for j, rule in enumerate(decision.mandate):
                rules.append(
                    _Rule(
                        pack.conditions.get(("steps", i, "decision", "mandate", j, "when")),
                        _party(pack, rule.actor),
                        (rule.weight or decision.weight).value,
                        rule.name or (f"när {rule.when}" if rule.when else "i övriga fall"),
                        rule.source,
                    )
                )
        found[step.id] = _Layout(
            phases[step.phase],
            _party(pack, step.actor),
            tuple(step.produces),
            step.end.value if step.end else None,
            by,
            tuple(rules),
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
        parsed = Answers(pack.questions, pack.parties(FanOut.parties))
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
        self.end: Step | None = None

    def run(self, flow_id: str | None, start: date | None) -> CaseResult:
        flow = self._flow(flow_id)
        active = self._arrive(_Token(flow.start, day=start))
        while active:
            active = [arrived for token in active for moved in self._leave(token) for arrived in self._arrive(moved)]
            if len(self.trace) > MAX_ENTRIES:
                raise RunError(f"ärendet har passerat {MAX_ENTRIES} steg utan att nå ett slut")
        if self.missing:
            raise MissingAnswersError(self.missing)
        assert self.end is not None and self.end.end is not None
        return CaseResult(
            self.pack.model.id,
            self.pack.model.county,
            flow.id,
            Status(self.end.end.value),
            self.trace,
            self._facts(),
            start,
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
            return [_Token(token.state, p, token.branch, splits, token.day, dict(token.counts)) for p in parties]
        return [token]

    def _join(self, token: _Token) -> list[_Token]:
        split = token.splits[-1]
        waiting = self.waiting.setdefault(split.group, [])
        waiting.append(token)
        if len(waiting) < split.size:
            return []
        del self.waiting[split.group]
        days = [t.day for t in waiting if t.day is not None]
        merged = _Token(token.state, split.party, split.branch, token.splits[:-1], max(days) if days else None)
        merged.counts = dict(waiting[0].counts)
        merged.joined = True
        return [merged]

    def _leave(self, token: _Token) -> Iterator[_Token]:
        """Execute the token's step (date, decision, route), record it, then move the token on."""
        step = self.pack.steps[token.state]
        token.joined = False
        party = token.party
        get = lambda q: self._read(q, party)  # noqa: E731 - a getter bound to this token
        if step.timing is not None and token.day is not None:
            token.day = step_date(token.day, step.timing, get)
        layout = self.layout[step.id]
        decision = self._decide(step, layout, party, get) if step.decision else None
        if step.end is not None:
            self._record(token, step, layout, decision, None)
            if token.splits:
                raise RunError(f"grenen för {party or token.branch} slutade i `{step.id}` innan den mötte de andra")
            self.end = step
            return
        if step.parallel:
            self._record(token, step, layout, decision, None)
            split = _Split(step.id, next(self.groups), len(step.parallel), party, token.branch)
            splits = (*token.splits, split)
            for branch in step.parallel:
                yield _Token(branch, party, branch, splits, token.day, dict(token.counts))
            return
        try:
            moved = self.router(token, get)
        except LoopBoundError as bound:
            raise LoopLimitError(self._loop_message(bound)) from None
        if not moved:
            raise RunError(f"ingen väg från `{step.id}` gäller för svaren; kontrollera paketet med `kprocess validate`")
        self._record(token, step, layout, decision, token.route if step.routes else None)
        yield token

    def _loop_message(self, bound: LoopBoundError) -> str:
        step = self.pack.steps[bound.step]
        question = step.decision.question if step.decision else None
        hint = f" Ge t.ex. `{question}=ja,nej` så att slingan tar slut." if question else ""
        return (
            f"vägen från `{bound.step}` till `{bound.target}` har tagits fler än {bound.bound} gånger "
            f"(max_times: {bound.bound}); svaren leder aldrig ut ur slingan.{hint}"
        )

    # -- recording -----------------------------------------------------------------

    def _record(self, token: _Token, step: Step, layout: _Layout, decision: Decision | None, route: int | None) -> None:
        self.trace.append(
            TraceEntry(
                len(self.trace) + 1,
                step.id,
                step.name,
                step.phase,
                layout.phase_name,
                layout.actor,
                token.party,
                token.branch,
                decision,
                step.source,
                token.day,
                layout.produces,
                layout.end,
                step.handed_to,
                route,
            )
        )

    def _decide(self, step: Step, layout: _Layout, party: str | None, get: Getter) -> Decision:
        decision = step.decision
        assert decision is not None
        answer = self._consume(decision.question, party)
        if layout.by is not None:
            return Decision(decision.question, answer, layout.by, decision.weight.value, None, None)
        for rule in layout.rules:
            if rule.condition is None or rule.condition(get):
                return Decision(decision.question, answer, rule.holder, rule.weight, rule.mandate, rule.source)
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
            value = self.ask(question, party)
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
