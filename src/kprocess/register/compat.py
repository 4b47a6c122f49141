"""Does a recorded case still fit a pack? Used by `case migrate` and `kprocess test --replay`.

A case replayed under another revision of its pack is `same` (same steps so far, same wait),
`moved` (same steps so far but it would wait for something else), `different` (the steps it has
already taken would be others) or `stranded` (its answers, flow or position have no place, or
the run cannot go on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kprocess.answers import AnswerError
from kprocess.pack import RulePack
from kprocess.register.state import CaseState, EventView, accumulate, derive, normalise


@dataclass(frozen=True)
class Verdict:
    """How a case fares under another revision, and why, in Swedish."""

    kind: str  # same | moved | different | stranded
    reason: str

    @property
    def migratable(self) -> bool:
        """The steps so far keep their place: the case can move to the revision."""
        return self.kind in ("same", "moved")


def compare(
    old_pack: RulePack, new_pack: RulePack, flow: str | None, start: date, events: Sequence[EventView]
) -> Verdict:
    """Replay the case's events under `new_pack` and compare with its run under `old_pack`."""
    if flow is not None and flow not in {f.id for f in new_pack.model.flows}:
        return Verdict("stranded", f"flödet `{flow}` finns inte i den nya versionen")
    answers = accumulate(events)[0]
    try:
        normalise(new_pack, list(answers.items()))
    except AnswerError as error:
        return Verdict("stranded", f"ett svar passar inte den nya versionen: {error}")
    old = derive(old_pack, flow, start, events)
    new = derive(new_pack, flow, start, events)
    if new.status == "failed" and old.status != "failed":
        return Verdict("stranded", f"ärendet kan inte köras i den nya versionen: {new.error}")
    for wait in old.waiting:
        if wait.step not in new_pack.steps:
            return Verdict("stranded", f"steget `{wait.step}` där ärendet väntar finns inte i den nya versionen")
    done_old, done_new = _steps(old), _steps(new)
    if done_new[: len(done_old)] != done_old:
        index = next((i for i, (a, b) in enumerate(zip(done_old, done_new, strict=False)) if a != b), len(done_new))
        was = done_old[index][0] if index < len(done_old) else "slutet"
        now = done_new[index][0] if index < len(done_new) else "slutet"
        return Verdict("different", f"efter {index} steg gick ärendet till `{was}` men skulle nu gå till `{now}`")
    if old.status != new.status or _waits(old) != _waits(new):
        return Verdict("moved", f"förut: {_where(old)}; i den nya versionen: {_where(new)}")
    return Verdict("same", "samma väg")


def _steps(state: CaseState) -> list[tuple[str, str | None]]:
    return [(e.step, e.party) for e in state.result.trace] if state.result else []


def _waits(state: CaseState) -> list[tuple[str, str, str | None, date | None]]:
    """What the case waits for; for a date, the date too (a moved remiss period moves the case)."""
    return [(w.step, w.question, w.party, w.day if w.timed else None) for w in state.waiting]


def _where(state: CaseState) -> str:
    if state.waiting:
        first = state.waiting[0]
        if first.timed:
            return f"väntar till {first.day} i `{first.step}`"
        return f"väntar på `{first.key}` i `{first.step}`"
    return f"status {state.status}"
