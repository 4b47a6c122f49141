"""Batch runs: many cases streamed through one pack with a compiled router.

The case semantics stay in `engine.run` (tokens, fan-out, joins, answers, dates); only route
selection is swapped: instead of the transitions machine, each step's routes are compiled into a
plain list walked in order. tests/test_batch.py proves both give identical runs over every golden
case and thousands of generated cases.
"""

from __future__ import annotations

import gc
import io
import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from kprocess.answers import AnswerError
from kprocess.conditions import Getter, Predicate
from kprocess.diagnostics import excerpt
from kprocess.engine.machine import LoopBoundError
from kprocess.engine.result import CaseResult
from kprocess.engine.run import Router, RunError, run_without_facts
from kprocess.i18n import _
from kprocess.pack import RulePack

Compiled = dict[str, list[tuple[Predicate | None, str, int | None, int]]]


def compile_routes(pack: RulePack) -> Compiled:
    """Per step, its routes in order: (the condition's test or None, target, bound, index)."""
    compiled: Compiled = {}
    for i, step in enumerate(pack.model.steps):
        routes: list[tuple[Predicate | None, str, int | None, int]] = []
        if step.next:
            routes.append((None, step.next, None, 0))
        for j, route in enumerate(step.routes):
            condition = pack.conditions.get(("steps", i, "routes", j, "when"))
            routes.append((condition.test if condition else None, route.target, route.max_times, j))
        compiled[step.id] = routes
    return compiled


_routers: weakref.WeakKeyDictionary[RulePack, Router] = weakref.WeakKeyDictionary()


def router_for(pack: RulePack) -> Router:
    """The pack's compiled router, built on first use and reused by every batch."""
    router = _routers.get(pack)
    if router is None:
        router = _routers[pack] = compiled_router(pack)
    return router


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


MAX_LINE = 1024 * 1024
"""Longest batch line read, in bytes; a longer line is reported and skipped, never parsed."""
FIELDS = ("id", "answers", "flow", "start")


@dataclass(frozen=True)
class BatchLine:
    """One line of a batch stream: its number and the case on it, or why it has none."""

    line: int
    case: Any = None
    error: str | None = None


def run_batch(pack: RulePack, cases: Iterable[dict[str, Any] | BatchLine]) -> Iterator[dict[str, Any]]:
    """Run each case (`{"id"?, "answers", "flow"?, "start"?}`) and yield one result per case.

    A case that cannot run yields `{"id", "line", "error"}` instead, and a line that is not a case
    (bad JSON, too long, not UTF-8) yields `{"id": null, "line", "error"}`; the batch goes on.
    A fault in kprocess itself also yields an error, with `"internal": true`.
    A case without an `id` gets its line number (its position, for plain dicts).
    """
    router = router_for(pack)
    gc.freeze()  # the pack and its compiled router live for the whole batch: keep them out of GC scans
    for position, item in enumerate(cases, start=1):
        if isinstance(item, BatchLine):
            if item.error is not None:
                yield {"id": None, "line": item.line, "error": item.error}
                continue
            case, number = item.case, item.line
        else:
            case, number = item, position
        case_id = case.get("id", number) if isinstance(case, dict) else None
        try:
            problem = _problem(case)
            if problem is not None:
                yield {"id": case_id if _plain_id(case_id) else None, "line": number, "error": problem}
                continue
            start = date.fromisoformat(case["start"]) if case.get("start") is not None else None
            result = run_without_facts(pack, case["answers"], flow=case.get("flow"), start=start, router=router)
        except (AnswerError, RunError) as error:
            yield {"id": case_id, "line": number, "error": excerpt(str(error), 2000)}
            continue
        except Exception as error:  # one case's fault must not end the stream
            yield {
                "id": case_id,
                "line": number,
                "error": _("internt fel i kprocess: {error}").format(error=type(error).__name__),
                "internal": True,
            }
            continue
        yield {"id": case_id, **summary(result)}


def _plain_id(value: object) -> bool:
    return (isinstance(value, str) and len(value) <= 200) or (isinstance(value, int) and not isinstance(value, bool))


def _problem(case: object) -> str | None:
    """Why a parsed line is not a case, in words; None when it is one."""
    if not isinstance(case, dict):
        return _('raden är inte ett JSON-objekt; skriv t.ex. {"answers": {"beror_kommunerna": "ja"}}')
    unknown = [key for key in case if key not in FIELDS]
    if unknown:
        return _("okänd nyckel `{key}` på raden; tillåtna: {keys}").format(
            key=excerpt(unknown[0], 40), keys=", ".join(FIELDS)
        )
    if "id" in case and not _plain_id(case["id"]):
        return _("`id` ska vara en text (högst 200 tecken) eller ett heltal")
    if "answers" not in case:
        return _('raden saknar `answers`; skriv {"answers": {}} för ett ärende utan svar')
    if not isinstance(case["answers"], dict):
        return _("`answers` ska vara ett JSON-objekt med fråga och svar, inte {kind}").format(
            kind=_kind(case["answers"])
        )
    flow = case.get("flow")
    if flow is not None and not isinstance(flow, str):
        return _("`flow` ska vara ett flödes-id (text), inte {kind}").format(kind=_kind(flow))
    start = case.get("start")
    if start is not None:
        if not isinstance(start, str):
            return _("`start` ska vara ett datum som text, ÅÅÅÅ-MM-DD, inte {kind}").format(kind=_kind(start))
        try:
            date.fromisoformat(start)
        except ValueError:
            return _("`start` är inget datum: `{value}`; skriv ÅÅÅÅ-MM-DD").format(value=excerpt(start, 40))
    return None


def _kind(value: object) -> str:
    """The JSON kind of `value` in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("ett sanningsvärde")
    if isinstance(value, int | float):
        return _("ett tal")
    if isinstance(value, str):
        return _("en text")
    if isinstance(value, list):
        return _("en lista")
    return _("ett objekt")


def read_jsonl(lines: Iterable[str | bytes] | BinaryIO) -> Iterator[BatchLine]:
    """Cases from JSON Lines; a line that is not a case becomes one that reports why.

    From a binary stream, lines longer than `MAX_LINE` are skipped without being held in memory.
    """
    source: Iterable[str | bytes | None] = (
        _bounded_lines(lines) if isinstance(lines, io.IOBase) or hasattr(lines, "readline") else lines  # type: ignore[arg-type]
    )
    for number, raw in enumerate(source, start=1):
        if raw is None:
            yield BatchLine(number, error=_too_long(number))
            continue
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield BatchLine(
                    number,
                    error=_(
                        "rad {line} är inte giltig UTF-8 (byte 0x{byte} vid byte {offset}); spara filen som UTF-8"
                    ).format(line=number, byte=f"{raw[error.start]:02x}", offset=error.start + 1),
                )
                continue
        else:
            line = raw
        if not line.strip():
            continue
        if len(line) > MAX_LINE:
            yield BatchLine(number, error=_too_long(number))
            continue
        try:
            case = json.loads(line, parse_constant=_no_constant)
        except json.JSONDecodeError as error:
            yield BatchLine(
                number,
                error=_("rad {line} är inte JSON: {error} (tecken {position})").format(
                    line=number, error=error.msg, position=error.pos + 1
                ),
            )
            continue
        except (RecursionError, ValueError) as error:
            reason = (
                _("rad {line} är nästlad för djupt")
                if isinstance(error, RecursionError)
                else _("rad {line} har ett ogiltigt värde: {error}")
            )
            yield BatchLine(number, error=reason.format(line=number, error=excerpt(str(error), 80)))
            continue
        yield BatchLine(number, case)


def _too_long(number: int) -> str:
    return _("rad {line} är längre än {size} kB och läses inte").format(line=number, size=MAX_LINE // 1024)


def _no_constant(name: str) -> Any:
    raise ValueError(_("{name} är inget tal i JSON").format(name=name))


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """Lines of a binary stream; None for a line longer than `MAX_LINE` (skipped in chunks)."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(MAX_LINE)
            yield None
            continue
        yield line
