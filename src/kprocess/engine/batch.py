"""Batch runs: many cases streamed through one pack with a compiled router.

The case semantics stay in `engine.run` (tokens, fan-out, joins, answers, dates); only route
selection is swapped: instead of the transitions machine, each step's routes are compiled into a
plain list walked in order. tests/test_batch.py proves both give identical runs over every golden
case and thousands of generated cases.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from kprocess.answers import AnswerError
from kprocess.conditions import Condition, Getter
from kprocess.engine.machine import LoopBoundError
from kprocess.engine.result import CaseResult
from kprocess.engine.run import Router, RunError, run_case
from kprocess.pack import RulePack

Compiled = dict[str, list[tuple[Condition | None, str, int | None, int]]]


def compile_routes(pack: RulePack) -> Compiled:
    """Per step, its routes in order: (condition or None, target, bound, index)."""
    compiled: Compiled = {}
    for i, step in enumerate(pack.model.steps):
        routes: list[tuple[Condition | None, str, int | None, int]] = []
        if step.next:
            routes.append((None, step.next, None, 0))
        for j, route in enumerate(step.routes):
            condition = pack.conditions.get(("steps", i, "routes", j, "when"))
            routes.append((condition, route.target, route.max_times, j))
        compiled[step.id] = routes
    return compiled


def compiled_router(pack: RulePack) -> Router:
    """A router with the same rule as the machine: the first route whose condition holds."""
    table = compile_routes(pack)

    def advance(token: Any, get: Getter) -> bool:
        source = token.state
        for condition, target, bound, index in table[source]:
            if condition is None or condition(get):
                if bound is not None:
                    key = (source, index)
                    token.counts[key] = count = token.counts.get(key, 0) + 1
                    if count > bound:
                        raise LoopBoundError(source, target, bound)
                token.route = index
                token.state = target
                return True
        return False

    return advance


def summary(result: CaseResult) -> dict[str, Any]:
    """The compact per-case result of a batch line."""
    return {
        "status": result.status.value,
        "path": result.path(),
        "decisions": [
            [e.step, e.party, e.decision.answer, e.decision.by.id] for e in result.trace if e.decision is not None
        ],
    }


def run_batch(pack: RulePack, cases: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Run each case (`{"id"?, "answers", "flow"?, "start"?}`) and yield one result per case.

    A case that cannot run yields `{"id", "error"}` instead; the batch goes on.
    """
    router = compiled_router(pack)
    gc.freeze()  # the pack and its compiled router live for the whole batch: keep them out of GC scans
    for number, case in enumerate(cases, start=1):
        case_id = case.get("id", number)
        if "_error" in case:
            yield {"id": case_id, "error": case["_error"]}
            continue
        try:
            start = date.fromisoformat(case["start"]) if case.get("start") else None
            result = run_case(pack, case.get("answers", {}), flow=case.get("flow"), start=start, router=router)
        except (AnswerError, RunError, ValueError) as error:
            yield {"id": case_id, "error": str(error)}
            continue
        yield {"id": case_id, **summary(result)}


def read_jsonl(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Cases from JSON Lines; a bad line becomes a case that reports its error."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as error:
            case = {"id": number, "answers": {}, "_error": f"rad {number} är inte JSON: {error.msg}"}
        if not isinstance(case, dict):
            case = {"id": number, "_error": f"rad {number} är inte ett JSON-objekt"}
        yield case
