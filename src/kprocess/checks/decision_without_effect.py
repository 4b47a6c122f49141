"""KP312 decision-without-effect: a decision whose answer nothing reads afterwards.

Every answer then leads to the same continuation: the timeline shows a forum
deciding and the flow goes on as if it had not. The answer counts as read when a
condition at the decision step or at a step reachable from it reads the question
(routes, mandate rules and every other `when`, also through `any(q)`/`all(q)` and
through derived questions), or when a later `after_question` waits for it. A
decision in a flow that a step calls also reaches what follows that step.
A decision that does not steer the flow says why with `informational:` (the
document's words), or has weight `kannedom`.

Fails::

    - id: rmks
      decision: {question: rmks_tillstyrker, weight: tillstyrkan, by: rmks}   # KP312
      next: implementering

Passes::

    - id: rmks
      decision:
        question: rmks_tillstyrker
        weight: tillstyrkan
        by: rmks
        informational: "003 §10: 'Gapanalysen presenteras sedan för RMKS för kännedom/tillstyrkan'"
      next: implementering
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from kprocess import graph
from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import Severity
from kprocess.enums import EndKind, Weight
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.model import Step
    from kprocess.pack import RulePack

CODE = "KP312"
NAME = "decision-without-effect"

_AGGREGATE = re.compile(r"^(?:any|all)\((?P<question>[a-z][a-z0-9_]*)\)$")


def check(pack: RulePack) -> Iterator[Finding]:
    """Report decisions whose answer no later condition or timing reads."""
    decided = {step.decision.question for step in pack.model.steps if step.decision is not None}
    bit = {name: 1 << k for k, name in enumerate(sorted(decided))}
    unclear = 1 << len(bit)  # a condition that does not compile: reported by its own check, hides nothing
    own = {node: sum(bit[q] for q in names if q in bit) for node, names in _reads(pack).items()}
    for path in pack.condition_errors:
        if path[0] == "steps" and isinstance(path[1], int):
            own[pack.model.steps[path[1]].id] |= unclear
    later = _later(_graph(pack), own)
    for i, step in enumerate(pack.model.steps):
        decision = step.decision
        if decision is None or decision.informational or decision.weight is Weight.kannedom:
            continue
        question = decision.question
        if later[step.id] & (bit[question] | unclear):
            continue
        declared = pack.questions.get(question)
        route = (
            _("styr på parternas svar efter sammanslagningen (`routes: - when: any({question}) …` eller `all(…)`)")
            if declared is not None and declared.per_party
            else _("styr på svaret (`routes: - when: {question} …`)")
        ).format(question=question)
        yield Finding(
            ("steps", i, "decision", "question"),
            _(
                "beslutet i `{step}` påverkar inget: inget villkor i steget eller efter det läser "
                "`{question}`, så alla svar leder till samma fortsättning"
            ).format(step=step.id, question=question),
            _(
                "{route}, eller markera beslutet som informativt med dokumentets ord "
                "(`informational: \"<dokument> §<avsnitt>: '…'\"`)"
            ).format(route=route),
        )


def step_reads(pack: RulePack) -> dict[str, set[str]]:
    """Per step id, the questions its conditions and timings read.

    `any(q)`/`all(q)` read `q`; a derived question reads what its expression reads.
    """
    derived = {qid: condition.questions for qid, condition in pack.expansions.items()}
    reads: dict[str, set[str]] = {step.id: set() for step in pack.model.steps}
    for path, condition in pack.conditions.items():
        if path[0] == "steps" and isinstance(path[1], int):
            reads[pack.model.steps[path[1]].id].update(expand(condition.questions, derived))
    for step in pack.model.steps:
        reads[step.id].update(timing_reads(step))
    return reads


def expand(names: Iterable[str], derived: Mapping[str, Iterable[str]]) -> set[str]:
    """The names, with `any(q)`/`all(q)` as `q` and each derived question with what it reads."""
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if (match := _AGGREGATE.match(name)) is not None:
            name = match["question"]
        if name in found:
            continue
        found.add(name)
        todo.extend(derived.get(name, ()))
    return found


def timing_reads(step: Step) -> set[str]:
    """Questions a step waits for: `timing.after_question` and `resume.wait.after_question`."""
    timings = [step.timing, step.resume.wait if step.resume else None]
    return {t.after_question for t in timings if t is not None and t.after_question}


def _reads(pack: RulePack) -> dict[str, set[str]]:
    """`step_reads`, plus a node `<caller>>` for what a calling step reads once its flow returns."""
    reads = step_reads(pack)
    reads.update({f"{step.id}>": reads[step.id] for step in pack.model.steps if step.call is not None})
    return reads


def _graph(pack: RulePack) -> dict[str, list[str]]:
    """The step graph, following `call:` into the called flow and from its `completed` ends back to
    what follows each calling step (through the caller's `<caller>>` node)."""
    steps = pack.model.steps
    forward = graph.build(steps, pack.model.flows)
    plain = graph.build(steps)
    starts = {flow.id: flow.start for flow in pack.model.flows}
    for step in steps:
        if step.call is None:
            continue
        forward[f"{step.id}>"] = plain[step.id]
        if step.call in starts and starts[step.call] in plain:
            for end in graph.reachable(plain, [starts[step.call]]):
                if pack.steps[end].end is EndKind.completed:
                    forward[end] = [*forward[end], f"{step.id}>"]
    return forward


def _later(forward: graph.Graph, own: dict[str, int]) -> dict[str, int]:
    """Per node, the bits of the node itself and of every node reachable from it.

    Components come after every component they lead to, so each is finished from its members'
    own bits and those of the components already done.
    """
    later: dict[str, int] = {}
    for component in graph.components(forward):
        bits = 0
        for member in component:
            bits |= own[member]
            for target in forward[member]:
                bits |= later.get(target, 0)
        for member in component:
            later[member] = bits
    return later


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
