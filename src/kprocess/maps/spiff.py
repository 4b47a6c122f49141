"""Running an exported BPMN with SpiffWorkflow, to show it takes the steps kprocess takes.

SpiffWorkflow (a development dependency) runs the process of the case's flow: the case's first
answers are the start data, each ready user task (a decision) is answered with the next of the
case's answers to its question (for its party inside a per-party multi-instance), and script
tasks, gateways, multi-instances and call activities run as exported. The steps done are
read in the order their tasks completed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from kprocess.answers import Answers
from kprocess.conditions import Value
from kprocess.enums import EndKind
from kprocess.maps.bpmn import to_bpmn
from kprocess.maps.bpmn_graph import process_id
from kprocess.pack import RulePack

MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class SpiffRun:
    """What SpiffWorkflow did: the steps (step, party) in order, and how the case ended."""

    steps: list[tuple[str, str | None]]
    status: str
    """`completed`, `stopped`, … as kprocess names them, or `failed` past a loop's bound."""


class SpiffCase:
    """One pack's exported BPMN, parsed once per flow and run for many cases."""

    def __init__(self, pack: RulePack, flow: str | None = None, *, every_flow: bool = False) -> None:
        """Parse the export of `flow` and the flows it calls (with `every_flow`, of the whole pack,
        as `kprocess diagram` writes it without `--flow`)."""
        from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser

        self.pack = pack
        self.flow = flow or pack.model.flows[0].id
        self.xml = to_bpmn(pack, None if every_flow else self.flow)
        parser = BpmnParser()
        parser.add_bpmn_str(self.xml.encode())
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20 * len(pack.steps) + 1000))  # the parser recurses along the flow
        try:
            self.spec = parser.get_spec(process_id(self.flow))
            self.subprocesses = parser.get_subprocess_specs(process_id(self.flow))
        finally:
            sys.setrecursionlimit(limit)
        self.per_party = {q.id for q in pack.questions.values() if q.per_party}

    def run(self, answers: Answers) -> SpiffRun:
        """Run one case with `answers`; raise `RuntimeError` when the workflow does not finish."""
        from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        done: list[tuple[str, str | None]] = []
        ends: list[str] = []
        consumed: dict[tuple[str, str | None], int] = {}

        def answer(question: str, party: str | None) -> Value:
            key = (question, party if question in self.per_party else None)
            index = consumed[key] = consumed.get(key, -1) + 1
            values = answers.sequence(question, key[1])
            if values is None:
                default = self.pack.questions[question].default
                if default is None:
                    raise RuntimeError(f"svar saknas för {question}")
                from kprocess.answers import parse_value

                return parse_value(self.pack.questions[question], default)
            return values[min(index, len(values) - 1)]

        workflow = BpmnWorkflow(self.spec, self.subprocesses, script_engine=PythonScriptEngine())
        start = workflow.get_tasks(state=TaskState.READY)[0]
        start.data.update(self.start_data(answers))
        seen: set[Any] = set()

        def record() -> None:
            for task in _finished(workflow, TaskState):
                if task.id in seen:
                    continue
                seen.add(task.id)
                spec = task.task_spec
                step = getattr(spec, "bpmn_id", None)
                step_id = _step_of(self.pack, step)
                if step_id is not None and not _is_multi_parent(spec):
                    done.append((step_id, _party(workflow, task)))
                if step is not None and (step.startswith(("slut_", "for_manga_varv_"))):
                    ends.append(step)

        for _ in range(MAX_ROUNDS):
            workflow.do_engine_steps()
            record()
            ready = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]
            if not ready:
                break
            for task in ready:
                step_id = _step_of(self.pack, task.task_spec.bpmn_id)
                step = self.pack.steps[step_id] if step_id else None
                if step is not None and step.decision is not None:
                    question = step.decision.question
                    task.data[question] = answer(question, _party(workflow, task))
                task.run()
            record()
        if not workflow.is_completed():
            raise RuntimeError("SpiffWorkflow avslutade inte ärendet")
        return SpiffRun(done, self.status(ends))

    def status(self, ends: list[str]) -> str:
        """How the case ended, from the end events reached (the last one ends the case)."""
        if not ends:
            return "completed"
        if any(end.startswith("for_manga_varv_") for end in ends):
            return "failed"
        name = ends[-1].removeprefix("slut_")
        step = _step_of(self.pack, name)
        end = self.pack.steps[step].end if step is not None else None
        if end is not None:
            return end.value
        return next((kind.value for kind in EndKind if name.endswith("_" + kind.value)), "completed")

    def start_data(self, answers: Answers) -> dict[str, Any]:
        """The first answer to every question asked of the whole case (not per party, not derived)."""
        from kprocess.answers import parse_value

        data: dict[str, Any] = {}
        for question in self.pack.questions.values():
            if question.per_party or question.derived is not None:
                continue
            values = answers.sequence(question.id, None)
            if values:
                data[question.id] = values[0]
            elif question.default is not None:
                data[question.id] = parse_value(question, question.default)
        return data


def _finished(workflow: Any, states: Any) -> list[Any]:
    """Completed tasks of the workflow and its sub-workflows, and call activities that started
    (a step that calls a flow is done before the flow runs), in the order that happened."""
    tasks = list(workflow.get_tasks(state=states.COMPLETED | states.STARTED))
    for sub in workflow.subprocesses.values():
        tasks += list(sub.get_tasks(state=states.COMPLETED | states.STARTED))
    tasks = [t for t in tasks if t.state == states.COMPLETED or type(t.task_spec).__name__ == "CallActivity"]
    return sorted(tasks, key=lambda t: t.last_state_change)


def _is_multi_parent(spec: Any) -> bool:
    return hasattr(spec, "data_input") and hasattr(spec, "output_item")


def _step_of(pack: RulePack, element: str | None) -> str | None:
    """The step an element id stands for (`<flow>__<step>` in a second process)."""
    if element is None:
        return None
    element = element.removeprefix("steg_")
    if element in pack.steps:
        return element
    flow, sep, step = element.partition("__")
    return step if sep and step in pack.steps and any(f.id == flow for f in pack.model.flows) else None


def _party(workflow: Any, task: Any) -> str | None:
    """The party a task runs for: the key of the multi-instance around it (parties are the keys)."""
    current = task
    while current is not None:
        key = current.internal_data.get("key_or_index")
        if isinstance(key, str):
            return key
        parent = current.parent
        if parent is None and current.workflow.parent_task_id is not None:
            parent = workflow.get_task_from_id(current.workflow.parent_task_id)
        current = parent
    return None
