"""What a run produces: the trace, the facts used and how the case ended.

`CaseResult.to_json()` is the documented, versioned structure of
`kprocess simulate --json` (docs/simulate-json.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from kprocess.answers import Origin
from kprocess.conditions import Value

JSON_SCHEMA_ID = "kprocess.simulation/1"


class Status(StrEnum):
    """How a case ended (the kind of its end step), or `failed`: the run stopped before an end."""

    completed = "completed"
    handed_over = "handed_over"
    stopped = "stopped"
    parked = "parked"
    ongoing = "ongoing"
    failed = "failed"


@dataclass(frozen=True)
class RunFailure:
    """Why a run stopped before an end: `kind` is `loop_limit` (a loop passed its bound) or `run_error`."""

    kind: str
    message: str


@dataclass(frozen=True)
class Party:
    """An actor as shown in a trace."""

    id: str
    name: str
    principal: str | None = None


@dataclass(slots=True)
class Decision:
    """A decision taken in a step: the answer, who took it and under which mandate."""

    question: str
    answer: Value
    by: Party
    weight: str
    mandate: str | None
    mandate_source: str | None
    jointly: tuple[Party, ...] = ()


@dataclass(slots=True)
class TraceEntry:
    """One step done once (by one party, for per-principal steps)."""

    seq: int
    step: str
    name: str
    phase: str
    phase_name: str
    actor: Party
    party: str | None
    branch: str | None
    decision: Decision | None
    source: str | None
    date: date | None
    produces: tuple[str, ...] = ()
    end: str | None = None
    handed_to: str | None = None
    route: int | None = None
    jointly: tuple[Party, ...] = ()
    resumed: str | None = None


@dataclass(frozen=True)
class Fact:
    """An answer the run used, and where it came from."""

    question: str
    text: str
    party: str | None
    answers: tuple[Value, ...]
    origin: Origin


@dataclass
class CaseResult:
    """The outcome of running one case through a pack."""

    pack_id: str
    county: str
    flow: str
    status: Status
    trace: list[TraceEntry] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    start: date | None = None
    next_due: date | None = None
    warnings: list[str] = field(default_factory=list)
    error: RunFailure | None = None

    def path(self) -> list[str]:
        """Step ids in order; steps done by several parties or branches appear once until they join."""
        out: list[str] = []
        block: set[str] = set()
        for entry in self.trace:
            if entry.party is None and entry.branch is None:
                block.clear()
                out.append(entry.step)
            elif entry.step not in block:
                block.add(entry.step)
                out.append(entry.step)
        return out

    def routes_taken(self) -> set[tuple[str, int]]:
        """Every (step, route index) this case went along."""
        return {(e.step, e.route) for e in self.trace if e.route is not None}

    def to_json(self) -> dict[str, Any]:
        """The versioned JSON structure of a run."""
        return {
            "schema": JSON_SCHEMA_ID,
            "status": self.status.value,
            "pack": {"id": self.pack_id, "county": self.county},
            "flow": self.flow,
            "start": _iso(self.start),
            "next_due": _iso(self.next_due),
            "warnings": list(self.warnings),
            "facts": [
                {
                    "question": f.question,
                    "text": f.text,
                    "party": f.party,
                    "answers": [_plain(a) for a in f.answers],
                    "origin": f.origin.value,
                }
                for f in self.facts
            ],
            "trace": [_entry(e) for e in self.trace],
        } | ({"error": {"kind": self.error.kind, "message": self.error.message}} if self.error else {})


def _entry(e: TraceEntry) -> dict[str, Any]:
    decision = None
    if e.decision is not None:
        d = e.decision
        decision = {
            "question": d.question,
            "answer": _plain(d.answer),
            "by": {"id": d.by.id, "name": d.by.name},
            "jointly_with": [{"id": p.id, "name": p.name} for p in d.jointly],
            "weight": d.weight,
            "mandate": d.mandate,
            "mandate_source": d.mandate_source,
        }
    return {
        "seq": e.seq,
        "step": e.step,
        "name": e.name,
        "phase": e.phase,
        "actor": {"id": e.actor.id, "name": e.actor.name, "principal": e.actor.principal},
        "jointly_with": [{"id": p.id, "name": p.name, "principal": p.principal} for p in e.jointly],
        "party": e.party,
        "branch": e.branch,
        "decision": decision,
        "source": e.source,
        "date": _iso(e.date),
        "produces": list(e.produces),
        "end": e.end,
        "handed_to": e.handed_to,
        "route": e.route,
        "resumed_at": e.resumed,
    }


def _plain(value: Value) -> Value:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
