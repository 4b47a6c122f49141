"""KP202 undefined-reference: a step, actor, phase or question that is named but not declared.

Fails::

    steps:
      - id: remiss
        actor: rmsk        # KP202: no actor `rmsk` (did you mean `rmks`?)
        next: beslut_x     # KP202: no step `beslut_x`

Passes::

    steps:
      - id: remiss
        actor: rmks
        next: beslut
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from difflib import get_close_matches
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import DataPath, Severity

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP202"
NAME = "undefined-reference"


def _missing(name: str | None, known: Collection[str], path: DataPath, kind: str, where: str) -> Iterator[Finding]:
    if name is None or name in known:
        return
    close = get_close_matches(name, list(known), n=1)
    hint = f"menade du `{close[0]}`?" if close else f"deklarera {kind} under `{where}:`"
    yield Finding(path, f"{kind} `{name}` finns inte", hint)


def check(pack: RulePack) -> Iterator[Finding]:
    """Report references to undeclared steps, actors, phases and questions."""
    model = pack.model
    steps, actors, phases, questions = pack.steps, pack.actors, {p.id for p in model.phases}, pack.questions
    flows = {f.id for f in model.flows}
    for i, flow in enumerate(model.flows):
        yield from _missing(flow.start, steps, ("flows", i, "start"), "steget", "steps")
    for i, actor in enumerate(model.actors):
        for j, member in enumerate(actor.members):
            yield from _missing(member.actor, actors, ("actors", i, "members", j, "actor"), "aktören", "actors")
    for i, option_set in enumerate(model.option_sets):
        yield from _missing(option_set.question, questions, ("option_sets", i, "question"), "frågan", "questions")
        question = questions.get(option_set.question)
        if question is not None:
            options = {o.id for o in question.options}
            for j, option in enumerate(option_set.options):
                yield from _missing(
                    option,
                    options,
                    ("option_sets", i, "options", j),
                    "alternativet",
                    f"questions → {question.id} → options",
                )
    for i, step in enumerate(model.steps):
        at: DataPath = ("steps", i)
        yield from _missing(step.actor, actors, (*at, "actor"), "aktören", "actors")
        yield from _missing(step.phase, phases, (*at, "phase"), "fasen", "phases")
        for j, participant in enumerate(step.participants):
            yield from _missing(participant, actors, (*at, "participants", j), "aktören", "actors")
        for j, partner in enumerate(step.jointly_with):
            yield from _missing(partner, actors, (*at, "jointly_with", j), "aktören", "actors")
        for j, actor_rule in enumerate(step.actor_when):
            yield from _missing(actor_rule.actor, actors, (*at, "actor_when", j, "actor"), "aktören", "actors")
        yield from _missing(step.call, flows, (*at, "call"), "flödet", "flows")
        if step.resume is not None:
            yield from _missing(step.resume.to, steps, (*at, "resume", "to"), "steget", "steps")
            if step.resume.wait is not None:
                yield from _missing(
                    step.resume.wait.after_question,
                    questions,
                    (*at, "resume", "wait", "after_question"),
                    "frågan",
                    "questions",
                )
        yield from _missing(step.next, steps, (*at, "next"), "steget", "steps")
        yield from _missing(step.join, steps, (*at, "join"), "steget", "steps")
        for j, (branch, when) in enumerate(step.branches):
            where = (*at, "parallel", j) if when is None else (*at, "parallel", j, "to")
            yield from _missing(branch, steps, where, "steget", "steps")
        for j, route in enumerate(step.routes):
            key = "otherwise" if route.otherwise is not None else "to"
            yield from _missing(route.target, steps, (*at, "routes", j, key), "steget", "steps")
        if step.timing:
            yield from _missing(
                step.timing.after_question, questions, (*at, "timing", "after_question"), "frågan", "questions"
            )
        if step.decision:
            decision = step.decision
            yield from _missing(decision.question, questions, (*at, "decision", "question"), "frågan", "questions")
            yield from _missing(decision.by, actors, (*at, "decision", "by"), "aktören", "actors")
            for j, partner in enumerate(decision.jointly_with):
                yield from _missing(partner, actors, (*at, "decision", "jointly_with", j), "aktören", "actors")
            for j, rule in enumerate(decision.mandate):
                key = "otherwise" if rule.otherwise is not None else "holder"
                yield from _missing(rule.actor, actors, (*at, "decision", "mandate", j, key), "aktören", "actors")
                for k, partner in enumerate(rule.jointly_with):
                    where = (*at, "decision", "mandate", j, "jointly_with", k)
                    yield from _missing(partner, actors, where, "aktören", "actors")


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
