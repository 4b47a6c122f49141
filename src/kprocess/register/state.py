"""A case's state derived from its events: run the engine with the answers recorded so far.

The engine is run "until an answer is needed": every answer not fixed by a default is served
through the engine's `ask` callback from the recorded answers, in order, and the first question
with no recorded answer left stops the run there. The case then waits at that step for that
actor. A per-party step waits for every party that has not answered yet.

Time moves a case too: a step the run reaches on a later date than `today` (a remiss period, a
report after some months, any `after:`) has not happened yet, so the case waits there, for that
step's actor, until that date. A decision happened the day it was recorded; the steps after it
keep the engine's spacing from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from kprocess.answers import AnswerError, Answers, answer_text, parse_value, placeholder
from kprocess.conditions import Value
from kprocess.engine import CaseResult, RunError, asking_position, run_case
from kprocess.engine.result import Status
from kprocess.enums import EndKind, FanOut
from kprocess.model import Question, Step
from kprocess.pack import RulePack
from kprocess.timing import add_period, step_date

MAX_WAITING = 200  # parties asked at one step before the search stops


@dataclass(frozen=True)
class Waiting:
    """What the case waits for: an answer (question, step, from whom), or a date (`question` empty)."""

    step: str
    question: str
    party: str | None
    actor: str
    day: date | None

    @property
    def key(self) -> str:
        """How the answer is written: `fraga` or `fraga[Part]`."""
        return f"{self.question}[{self.party}]" if self.party else self.question

    @property
    def timed(self) -> bool:
        """The case waits for the step's date, not for an answer."""
        return not self.question


@dataclass(frozen=True)
class EventView:
    """What derivation needs of an event."""

    kind: str
    date: date
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Asked:
    """A recorded answer the run used: where it was asked, and which one it was (`key`, n-th answer)."""

    step: str
    party: str | None
    key: str
    index: int


@dataclass
class CaseState:
    """Where a case stands: status, the run so far, what it waits for and when it is due."""

    status: str
    result: CaseResult | None
    waiting: list[Waiting] = field(default_factory=list)
    due: date | None = None
    since: date | None = None
    error: str | None = None
    answers: dict[str, list[str]] = field(default_factory=dict)
    asked: list[Asked] = field(default_factory=list)

    @property
    def actor(self) -> str | None:
        """Who must act next (the first waiting answer's actor, or the ongoing step's actor)."""
        return self.waiting[0].actor if self.waiting else None


class _NeedAnswerError(RunError):
    """Raised from `ask`: the run stops where an answer is missing (the engine keeps the trace)."""

    def __init__(self, question: Question, party: str | None, step: str | None, day: date | None) -> None:
        super().__init__(f"svar behövs: {question.id}")
        self.question, self.party, self.step, self.day = question, party, step, day


def normalise(pack: RulePack, pairs: Sequence[tuple[str, object]]) -> dict[str, list[str]]:
    """`(key, answer)` pairs (`ja`, `ja,nej` or a list) as `{key: [answer, ...]}` with canonical keys
    and answers; AnswerError if one does not fit or a key is given twice."""
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    out: dict[str, list[str]] = {}
    seen: set[tuple[str, str | None]] = set()
    for key, values in pairs:
        qid, party = answers.set(key, values, once=frozenset(seen))
        seen.add((qid, party))
        out[f"{qid}[{party}]" if party else qid] = [answer_text(v) for v in answers.given[(qid, party)]]
    return out


def accumulate(events: Iterable[EventView]) -> tuple[dict[str, list[str]], bool, date | None, date | None]:
    """Answers in order of recording, whether the case is on hold, when it last moved and was followed up."""
    answers: dict[str, list[str]] = {}
    on_hold = False
    moved: date | None = None
    followed: date | None = None
    for event in events:
        given: Mapping[str, list[str]] = event.data.get("answers") or {}
        if event.kind in ("started", "answered"):
            for key, values in given.items():
                answers.setdefault(key, []).extend(values)
            moved = event.date
        elif event.kind == "resumed":
            for key, values in given.items():  # a new decision where the case was parked replaces that one
                answers[key] = [*answers.get(key, [])[:-1], *values]
            on_hold, moved = False, event.date
        elif event.kind == "parked":
            on_hold = True
        elif event.kind == "followed_up":
            followed = event.date
    return answers, on_hold, moved, followed


def answer_dates(events: Iterable[EventView]) -> dict[str, list[date]]:
    """For each answer key, the date each of its answers was recorded (parallel to `accumulate`)."""
    dates: dict[str, list[date]] = {}
    for event in events:
        given: Mapping[str, list[str]] = event.data.get("answers") or {}
        for key, values in given.items():
            if event.kind in ("started", "answered"):
                dates.setdefault(key, []).extend([event.date] * len(values))
            elif event.kind == "resumed":
                dates[key] = [*dates.get(key, [])[:-1], *[event.date] * len(values)]
    return dates


def derive(
    pack: RulePack, flow: str | None, start: date, events: Sequence[EventView], today: date | None = None
) -> CaseState:
    """The state of a case under `pack` from its events, on `today` (at least the last event's date)."""
    answers, on_hold, moved, followed = accumulate(events)
    last = max((e.date for e in events), default=start)
    today = max(today or last, last)
    state = run_until_needed(pack, flow, start, answers)
    state.since = since = moved or start
    if state.result is not None and state.error is None:
        state.since = since = max(since, _wait_for_date(pack, state, answer_dates(events), today))
    if state.waiting and not state.waiting[0].timed:
        state.waiting = [_dated(pack, w, since, answers) for w in state.waiting]
        state.due = next((w.day for w in state.waiting if w.day is not None), None)
    if state.status == "ongoing" and state.result is not None:
        end = pack.steps[state.result.trace[-1].step]
        every = end.timing.every if end.timing else None
        if every is not None:
            state.due = add_period(followed or since, every)
    if on_hold:
        state.status = "on_hold"
    return state


def _wait_for_date(pack: RulePack, state: CaseState, dates: Mapping[str, list[date]], today: date) -> date:
    """Cut the run at the first timed step dated after `today`: the case then waits there for that date.

    Returns the date of the latest step already done.
    """
    assert state.result is not None
    delay = timedelta(0)
    used: dict[tuple[str, str | None], int] = {}
    done = state.since or date.min
    asked: dict[tuple[str, str | None], list[date]] = {}
    for item in state.asked:
        given = dates.get(item.key) or []
        if item.index < len(given):
            asked.setdefault((item.step, item.party), []).append(given[item.index])
    for index, entry in enumerate(state.result.trace):
        recorded = None
        if entry.decision is not None:
            key = (entry.decision.question, entry.party)
            n = used[key] = used.get(key, 0) + 1
            found = dates.get(f"{key[0]}[{key[1]}]") if key[1] is not None else None
            found = found or dates.get(key[0]) or []
            recorded = found[n - 1] if n <= len(found) else None
        if entry.date is None:
            continue
        day = entry.date + delay
        waited = asked.pop((entry.step, entry.party), [])  # answers asked for here: the step waited for them
        if waited:
            day = max(day, *waited)
        if recorded is not None:  # decided the day it was recorded (not before the steps ahead of it)
            day = max(recorded, done, *waited)
        delay = day - entry.date
        step = pack.steps[entry.step]
        if step.end is EndKind.ongoing:  # its date is the next follow-up, not the day it was reached
            continue
        if day > today and recorded is None and step.timing is not None:
            wait = Waiting(entry.step, "", entry.party, entry.actor.id, day)
            state.result = replace(state.result, trace=state.result.trace[:index], status=Status.failed, next_due=None)
            state.status, state.waiting, state.due = "waiting", [wait], day
            return done
        done = max(done, day)
    return done


def run_until_needed(pack: RulePack, flow: str | None, start: date, raw: Mapping[str, list[str]]) -> CaseState:
    """Run the case as far as the recorded answers reach; a bad answer or a stuck run is `failed`."""
    try:
        given = _parse(pack, raw)
    except AnswerError as error:
        return CaseState("failed", None, error=str(error), answers=dict(raw))
    placeholders: dict[tuple[str, str | None], Value] = {}
    waiting: list[Waiting] = []
    partial: CaseResult | None = None
    asked: list[Asked] = []
    for _ in range(MAX_WAITING):
        server = _Server(given, placeholders)
        try:
            result = run_case(pack, _defaulted(pack, given), flow=flow, start=start, ask=server)
        except _NeedAnswerError as need:
            seen = {(w.question, w.party) for w in waiting}
            if (waiting and need.step != waiting[0].step) or (need.question.id, need.party) in seen:
                break
            step = pack.steps[need.step] if need.step else None
            waiting.append(_waiting(pack, step, need, given))
            if partial is None:
                partial, asked = need.partial, server.asked
            placeholders[(need.question.id, need.party)] = placeholder(need.question)
            continue
        except RunError as error:
            if waiting:
                break
            return CaseState("failed", error.partial, error=str(error), answers=dict(raw))
        if waiting:
            break
        return CaseState(result.status.value, result, due=result.next_due, answers=dict(raw), asked=server.asked)
    return CaseState("waiting", partial, waiting, answers=dict(raw), asked=asked)


def _parse(pack: RulePack, raw: Mapping[str, list[str]]) -> dict[tuple[str, str | None], list[Value]]:
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    for key, values in raw.items():
        answers.set(key, list(values))
    return answers.given


def _defaulted(pack: RulePack, given: Mapping[tuple[str, str | None], list[Value]]) -> Answers:
    """Answers handed to the engine directly: those to questions with a default (it never asks them)."""
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    for (qid, party), values in given.items():
        if pack.questions[qid].default is not None:
            answers.given[(qid, party)] = list(values)
    return answers


class _Server:
    """The `ask` callback: the next recorded answer for this question and party, else stop."""

    def __init__(
        self, given: Mapping[tuple[str, str | None], list[Value]], placeholders: Mapping[tuple[str, str | None], Value]
    ) -> None:
        self.given, self.placeholders = given, placeholders
        self.used: dict[tuple[str, str | None], int] = {}
        self.asked: list[Asked] = []

    def __call__(self, question: Question, party: str | None) -> Value | None:
        key = (question.id, party)
        own = party is not None and key in self.given
        values = self.given.get(key) if own else self.given.get((question.id, None))
        index = self.used.get(key, 0)
        if values is not None and index < len(values):
            self.used[key] = index + 1
            at = asking_position()
            if at is not None:
                self.asked.append(Asked(at.step, party, f"{question.id}[{party}]" if own else question.id, index))
            return values[index]
        if key in self.placeholders:
            return self.placeholders[key]
        at = asking_position()
        raise _NeedAnswerError(question, party, at.step if at else None, at.day if at else None)


def _waiting(
    pack: RulePack, step: Step | None, need: _NeedAnswerError, given: Mapping[tuple[str, str | None], list[Value]]
) -> Waiting:
    if step is None:
        step = next((s for s in pack.model.steps if s.decision and s.decision.question == need.question.id), None)
    if step is None:
        return Waiting("", need.question.id, need.party, "", None)
    return Waiting(step.id, need.question.id, need.party, _who(pack, step, need, given), None)


def _dated(pack: RulePack, wait: Waiting, since: date, answers: Mapping[str, list[str]]) -> Waiting:
    """The waiting step's due date: its time rule counted from the day the case last moved."""
    step = pack.steps.get(wait.step)
    if step is None or step.timing is None:
        return wait

    def get(qid: str) -> Value:
        values = answers.get(qid)
        if not values:
            raise LookupError(qid)
        return parse_value(pack.questions[qid], values[-1])

    try:
        day = step_date(since, step.timing, get)
    except (LookupError, RunError):
        return wait
    return replace(wait, day=day)


def _who(
    pack: RulePack, step: Step, need: _NeedAnswerError, given: Mapping[tuple[str, str | None], list[Value]]
) -> str:
    """Who must answer: the decision's holder for a decision, else the step's responsible actor."""
    index = pack.model.steps.index(step)

    def holds(path: tuple[Any, ...]) -> bool:
        condition = pack.conditions.get(path)
        if condition is None:
            return True
        try:
            return bool(condition(lambda q: _latest(given, q, need.party)))
        except LookupError:
            return False

    decision = step.decision
    if decision is not None and decision.question == need.question.id:
        if decision.by:
            return decision.by
        for j, rule in enumerate(decision.mandate):
            if holds(("steps", index, "decision", "mandate", j, "when")):
                return rule.actor
    for j, actor_rule in enumerate(step.actor_when):
        if holds(("steps", index, "actor_when", j, "when")):
            return actor_rule.actor
    return step.actor


def _latest(given: Mapping[tuple[str, str | None], list[Value]], qid: str, party: str | None) -> Value:
    values = given.get((qid, party)) or given.get((qid, None))
    if not values:
        raise LookupError(qid)
    return values[-1]
