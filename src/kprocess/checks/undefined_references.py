"""KP202 undefined-reference: a step, actor, phase or question that is named but not declared.

A misspelt id gets the declared id it is closest to (its ASCII form first). When several
places name an id that is not declared and the closest declared id is named nowhere, the id
was renamed: one finding at the declaration lists every place that still uses the old name.

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

import dataclasses
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import DataPath, Severity
from kprocess.i18n import N_, _
from kprocess.spelling import closest

if TYPE_CHECKING:
    from kprocess.model import Flow, Route, Step
    from kprocess.pack import RulePack

_Fix = Callable[[str, DataPath], str]

CODE = "KP202"
NAME = "undefined-reference"

_KIND_WORDS = {
    "steget": N_("steget"),
    "aktören": N_("aktören"),
    "fasen": N_("fasen"),
    "flödet": N_("flödet"),
    "frågan": N_("frågan"),
    "dokumentet": N_("dokumentet"),
    "alternativet": N_("alternativet"),
}
"""The words of the kinds of id as the messages say them (`aktören ... finns inte`)."""
_DECLARED_IN = {"steget": "steps", "aktören": "actors", "fasen": "phases", "flödet": "flows"}


@dataclass(frozen=True)
class Reference:
    """One place that names an id of some kind."""

    name: str
    path: DataPath
    kind: str
    where: str


def references(pack: RulePack) -> Iterator[Reference]:
    """Every place in the pack that names a step, actor, phase, flow, question or option."""
    model = pack.model
    for i, document in enumerate(model.sources):
        if document.same_text_as is not None:
            yield Reference(document.same_text_as, ("sources", i, "same_text_as"), "dokumentet", "sources")
    for i, flow in enumerate(model.flows):
        yield Reference(flow.start, ("flows", i, "start"), "steget", "steps")
    for i, actor in enumerate(model.actors):
        for j, member in enumerate(actor.members):
            if member.actor is not None:
                yield Reference(member.actor, ("actors", i, "members", j, "actor"), "aktören", "actors")
    for i, option_set in enumerate(model.option_sets):
        yield Reference(option_set.question, ("option_sets", i, "question"), "frågan", "questions")
        question = pack.questions.get(option_set.question)
        if question is not None:
            where = f"questions → {question.id} → options"
            for j, option in enumerate(option_set.options):
                yield Reference(option, ("option_sets", i, "options", j), f"alternativet:{question.id}", where)
    for i, step in enumerate(model.steps):
        yield from _step_references(step, ("steps", i))


def _step_references(step: Step, at: DataPath) -> Iterator[Reference]:
    actor, steg, fraga = ("aktören", "actors"), ("steget", "steps"), ("frågan", "questions")
    yield Reference(step.actor, (*at, "actor"), *actor)
    yield Reference(step.phase, (*at, "phase"), "fasen", "phases")
    for j, participant in enumerate(step.participants):
        yield Reference(participant, (*at, "participants", j), *actor)
    for j, partner in enumerate(step.jointly_with):
        yield Reference(partner, (*at, "jointly_with", j), *actor)
    for j, actor_rule in enumerate(step.actor_when):
        yield Reference(actor_rule.actor, (*at, "actor_when", j, "actor"), *actor)
    if step.call is not None:
        yield Reference(step.call, (*at, "call"), "flödet", "flows")
    if step.resume is not None:
        yield Reference(step.resume.to, (*at, "resume", "to"), *steg)
        if step.resume.wait is not None and step.resume.wait.after_question is not None:
            yield Reference(step.resume.wait.after_question, (*at, "resume", "wait", "after_question"), *fraga)
    if step.next is not None:
        yield Reference(step.next, (*at, "next"), *steg)
    if step.join is not None:
        yield Reference(step.join, (*at, "join"), *steg)
    for j, (branch, when) in enumerate(step.branches):
        yield Reference(branch, (*at, "parallel", j) if when is None else (*at, "parallel", j, "to"), *steg)
    for j, route in enumerate(step.routes):
        yield Reference(route.target, (*at, "routes", j, "otherwise" if route.otherwise is not None else "to"), *steg)
    if step.timing and step.timing.after_question is not None:
        yield Reference(step.timing.after_question, (*at, "timing", "after_question"), *fraga)
    if step.decision:
        decision = step.decision
        yield Reference(decision.question, (*at, "decision", "question"), *fraga)
        if decision.by is not None:
            yield Reference(decision.by, (*at, "decision", "by"), *actor)
        for j, partner in enumerate(decision.jointly_with):
            yield Reference(partner, (*at, "decision", "jointly_with", j), *actor)
        for j, rule in enumerate(decision.mandate):
            key = "otherwise" if rule.otherwise is not None else "holder"
            yield Reference(rule.actor, (*at, "decision", "mandate", j, key), *actor)
            for k, partner in enumerate(rule.jointly_with):
                yield Reference(partner, (*at, "decision", "mandate", j, "jointly_with", k), *actor)


def _known(pack: RulePack, kind: str) -> Collection[str]:
    if kind.startswith("alternativet:"):
        return {o.id for o in pack.questions[kind.split(":", 1)[1]].options}
    known: dict[str, Collection[str]] = {
        "steget": pack.steps,
        "aktören": pack.actors,
        "fasen": {p.id for p in pack.model.phases},
        "flödet": {f.id for f in pack.model.flows},
        "frågan": pack.questions,
        "dokumentet": {d.id for d in pack.model.sources},
    }
    return known[kind]


def check(pack: RulePack) -> Iterator[Finding]:
    """Report references to undeclared ids; a renamed id once, at its declaration."""
    named: dict[tuple[str, str], list[Reference]] = {}
    for ref in references(pack):
        named.setdefault((ref.kind, ref.name), []).append(ref)
    for (kind, name), refs in named.items():
        known = _known(pack, kind)
        if name in known:
            continue
        match = closest(name, known, [k for k in known if (kind, k) not in named])
        declared = _declaration(pack, kind, match) if match is not None else None
        if match is not None and declared is not None and len(refs) > 1 and (kind, match) not in named:
            yield _renamed(pack, refs, match, declared)
            continue
        word = _(_KIND_WORDS.get(kind.split(":", 1)[0], kind.split(":", 1)[0]))
        if match:
            hint = _("menade du `{match}`?").format(match=match)
        else:
            hint = _("deklarera {kind} under `{where}:`").format(kind=word, where=refs[0].where)
        for ref in refs:
            yield Finding(ref.path, _("{kind} `{name}` finns inte").format(kind=word, name=name), hint)


def _declaration(pack: RulePack, kind: str, id_: str) -> DataPath | None:
    """Where the id `id_` of `kind` is declared in this file, if it is."""
    key = _DECLARED_IN.get(kind)
    if key is None:
        return None
    items: Sequence[object] = getattr(pack.model, key)
    for i, item in enumerate(items):
        if getattr(item, "id", None) == id_:
            return (key, i, "id")
    return None


def _renamed(pack: RulePack, refs: list[Reference], match: str, declared: DataPath) -> Finding:
    places = [pack.document.position(ref.path) for ref in refs]
    listed = ", ".join(f"{line}:{column}" for line, column in places)
    kind, old = refs[0].kind, refs[0].name
    word = _(_KIND_WORDS.get(kind, kind))
    return Finding(
        declared,
        _("{kind} har id `{match}`, men {count} ställen hänvisar till `{old}`").format(
            kind=word, match=match, count=len(refs), old=old
        ),
        _("döp tillbaka id:t till `{old}`, eller byt `{old}` mot `{match}` på {places} (rad:kolumn)").format(
            old=old, match=match, places=listed
        ),
    )


def repaired(pack: RulePack) -> tuple[RulePack, list[DataPath]]:
    """The pack with every step reference to an undeclared step pointed at its closest match,
    so the graph checks judge the flow as it was meant; and the references with no match."""
    steps = pack.steps
    named = {ref.name for ref in references(pack) if ref.kind == "steget"}
    if named <= steps.keys():
        return pack, []
    unused = steps.keys() - named
    unmatched: list[DataPath] = []

    def fix(name: str, path: DataPath) -> str:
        if name in steps:
            return name
        match = closest(name, steps, unused)
        if match is None:
            unmatched.append(path)
            return name
        return match

    flows = [_flow(flow, fix(flow.start, ("flows", i, "start"))) for i, flow in enumerate(pack.model.flows)]
    new_steps = [_step(step, ("steps", i), fix) for i, step in enumerate(pack.model.steps)]
    model = pack.model.model_copy(update={"flows": flows, "steps": new_steps})
    return dataclasses.replace(pack, model=model), unmatched


def _flow(flow: Flow, start: str) -> Flow:
    return flow if start == flow.start else flow.model_copy(update={"start": start})


def _step(step: Step, at: DataPath, fix: _Fix) -> Step:
    update: dict[str, object] = {}
    if step.next is not None:
        update["next"] = fix(step.next, (*at, "next"))
    if step.join is not None:
        update["join"] = fix(step.join, (*at, "join"))
    if step.resume is not None:
        update["resume"] = step.resume.model_copy(update={"to": fix(step.resume.to, (*at, "resume", "to"))})
    update["routes"] = [_route(route, (*at, "routes", j), fix) for j, route in enumerate(step.routes)]
    update["parallel"] = [
        fix(branch, (*at, "parallel", j))
        if isinstance(branch, str)
        else branch.model_copy(update={"to": fix(branch.to, (*at, "parallel", j, "to"))})
        for j, branch in enumerate(step.parallel)
    ]
    return step.model_copy(update=update)


def _route(route: Route, at: DataPath, fix: _Fix) -> Route:
    if route.otherwise is not None:
        return route.model_copy(update={"otherwise": fix(route.otherwise, (*at, "otherwise"))})
    return route.model_copy(update={"to": fix(route.target, (*at, "to"))})


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
