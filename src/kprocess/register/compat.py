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
from kprocess.i18n import N_, _
from kprocess.pack import RulePack
from kprocess.register.state import CaseState, EventView, accumulate, derive, normalise


@dataclass(frozen=True)
class Verdict:
    """How a case fares under another revision, and why: `reason` in Swedish (as `case migrate`
    records it in the register), `shown` in the chosen language."""

    kind: str  # same | moved | different | stranded
    reason: str
    shown: str

    @property
    def migratable(self) -> bool:
        """The steps so far keep their place: the case can move to the revision."""
        return self.kind in ("same", "moved")


Said = tuple[str, str]
"""A text in Swedish and in the chosen language."""


def _said(template: str, **values: str | Said) -> Said:
    """`template` (a Swedish message) filled in, in Swedish and in the chosen language."""
    swedish = template.format(**{k: v[0] if isinstance(v, tuple) else v for k, v in values.items()})
    shown = _(template).format(**{k: v[1] if isinstance(v, tuple) else v for k, v in values.items()})
    return swedish, shown


def _verdict(kind: str, said: Said) -> Verdict:
    return Verdict(kind, *said)


def compare(
    old_pack: RulePack, new_pack: RulePack, flow: str | None, start: date, events: Sequence[EventView]
) -> Verdict:
    """Replay the case's events under `new_pack` and compare with its run under `old_pack`."""
    if flow is not None and flow not in {f.id for f in new_pack.model.flows}:
        return _verdict("stranded", _said(N_("flödet `{flow}` finns inte i den nya versionen"), flow=flow))
    answers = accumulate(events)[0]
    try:
        normalise(new_pack, list(answers.items()))
    except AnswerError as error:
        return _verdict("stranded", _said(N_("ett svar passar inte den nya versionen: {error}"), error=str(error)))
    old = derive(old_pack, flow, start, events)
    new = derive(new_pack, flow, start, events)
    if new.status == "failed" and old.status != "failed":
        problem = new.error or ""
        return _verdict("stranded", _said(N_("ärendet kan inte köras i den nya versionen: {error}"), error=problem))
    for wait in old.waiting:
        if wait.step not in new_pack.steps:
            gone = N_("steget `{step}` där ärendet väntar finns inte i den nya versionen")
            return _verdict("stranded", _said(gone, step=wait.step))
    done_old, done_new = _steps(old), _steps(new)
    if done_new[: len(done_old)] != done_old:
        index = next((i for i, (a, b) in enumerate(zip(done_old, done_new, strict=False)) if a != b), len(done_new))
        end = _said(N_("slutet"))
        was = done_old[index][0] if index < len(done_old) else end
        now = done_new[index][0] if index < len(done_new) else end
        other = N_("efter {count} steg gick ärendet till `{was}` men skulle nu gå till `{now}`")
        return _verdict("different", _said(other, count=str(index), was=was, now=now))
    if old.status != new.status or _waits(old) != _waits(new):
        moved = N_("förut: {before}; i den nya versionen: {after}")
        return _verdict("moved", _said(moved, before=_where(old), after=_where(new)))
    return _verdict("same", _said(N_("samma väg")))


def _steps(state: CaseState) -> list[tuple[str, str | None]]:
    return [(e.step, e.party) for e in state.result.trace] if state.result else []


def _waits(state: CaseState) -> list[tuple[str, str, str | None, date | None]]:
    """What the case waits for; for a date, the date too (a moved remiss period moves the case)."""
    return [(w.step, w.question, w.party, w.day if w.timed else None) for w in state.waiting]


def _where(state: CaseState) -> Said:
    if state.waiting:
        first = state.waiting[0]
        if first.timed:
            return _said(N_("väntar till {day} i `{step}`"), day=str(first.day), step=first.step)
        return _said(N_("väntar på `{key}` i `{step}`"), key=first.key, step=first.step)
    return _said(N_("status {status}"), status=state.status)
