"""The register: append events with optimistic concurrency and idempotency keys; read cases back.

Every write reads the case and its version, derives the new state, then in one transaction
checks that the version is unchanged, appends the event with the next sequence number and
updates the derived state. A second writer that read the same version gets `ConflictError`
and can retry; an idempotency key makes a retried write that was already committed a no-op.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kprocess.answers import answer_text
from kprocess.engine import CaseResult
from kprocess.i18n import _
from kprocess.pack import RulePack
from kprocess.register import db
from kprocess.register.models import Case, Event, PackRevision
from kprocess.register.revisions import PackText, pack_from_text, read_pack_text
from kprocess.register.state import CaseState, EventView, derive, normalise

OPEN = ("waiting", "ongoing")
DERIVED = (
    "status",
    "waiting_step",
    "waiting_actor",
    "waiting_actor_name",
    "waiting_since",
    "due",
    "todo_from",
    "open_due",
)


class RegisterError(Exception):
    """Something the register refuses, with the reason and what to do (Swedish)."""


class ConflictError(RegisterError):
    """Someone else changed the case after it was read."""


@dataclass(frozen=True)
class Who:
    """Who writes, on which date, with which idempotency key and expected version."""

    by: str
    day: date
    key: str | None = None
    expect: int | None = None

    @property
    def idempotency_key(self) -> str:
        """The given key, else a fresh one for this write."""
        return self.key or uuid.uuid4().hex


@dataclass
class Loaded:
    """A case read from the register: its row, events, pinned revision, pack and derived state."""

    case: Case
    events: list[Event]
    revision: PackRevision
    pack: RulePack
    state: CaseState


@dataclass(frozen=True)
class Written:
    """The outcome of a write: the case, the new version, and whether it was a repeat of a committed one."""

    case_id: int
    version: int
    repeated: bool


def now() -> datetime:
    """The time an event is recorded (UTC)."""
    return datetime.now(UTC)


def views(events: Sequence[Event]) -> list[EventView]:
    """Events as derivation reads them."""
    return [EventView(e.kind, e.date, e.data) for e in events]


class Register:
    """One register database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None) -> Register:
        """Connect (`--db`, `KPROCESS_DB` or the default file) and create or upgrade the schema."""
        return cls(db.connect(url))

    # -- reading -----------------------------------------------------------------------------

    def load(self, case_id: int, today: date | None = None) -> Loaded:
        """A case with its events and its state on `today` (default: its last event's date);
        RegisterError if there is none."""
        with Session(self.engine) as session:
            case = session.get(Case, case_id)
            if case is None:
                raise RegisterError(
                    _("ärende {case} finns inte i registret; `kprocess case list` visar ärendena").format(case=case_id)
                )
            events = list(session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq)))
            revision = session.get(PackRevision, case.revision_id)
            assert revision is not None
            session.expunge_all()
        pack = pack_from_text(revision.text, revision.path)
        return Loaded(case, events, revision, pack, derive(pack, case.flow, case.start, views(events), today))

    def derived(self, case_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The derived columns as stored, and as derived again from the events (they must agree)."""
        loaded = self.load(case_id)
        stored = {name: getattr(loaded.case, name) for name in DERIVED}
        return stored, _projection(loaded.pack, loaded.state)

    def case_ids(self) -> list[int]:
        """Every case id, in order."""
        with Session(self.engine) as session:
            return list(session.scalars(select(Case.id).order_by(Case.id)))

    def revision_text(self, revision_id: int) -> PackRevision:
        """A stored pack revision."""
        with Session(self.engine) as session:
            revision = session.get(PackRevision, revision_id)
            assert revision is not None
            session.expunge(revision)
            return revision

    # -- writing -----------------------------------------------------------------------------

    def revision(self, text: PackText, pack_id: str) -> int:
        """The id of this exact pack text, stored on first use."""
        with db.writer(self.engine) as connection, connection.begin():
            found = connection.scalar(select(PackRevision.id).where(PackRevision.content_hash == text.content_hash))
            if found is not None:
                return int(found)
            return int(
                connection.execute(
                    insert(PackRevision)
                    .values(
                        pack_id=pack_id,
                        content_hash=text.content_hash,
                        git_commit=text.git_commit,
                        path=text.path,
                        text=text.text,
                        recorded_at=now(),
                    )
                    .returning(PackRevision.id)
                ).scalar_one()
            )

    def start(
        self,
        pack_path: Path,
        title: str,
        answers: Mapping[str, object],
        who: Who,
        *,
        flow: str | None = None,
        start: date | None = None,
    ) -> Written:
        """Open a case under the pack as it is now; its revision is pinned from here on."""
        text = read_pack_text(pack_path)
        pack = pack_from_text(text.text, text.path)
        if flow is not None and flow not in {f.id for f in pack.model.flows}:
            flows = ", ".join(f.id for f in pack.model.flows)
            raise RegisterError(
                _("flödet `{flow}` finns inte i {path}; paketets flöden: {flows}").format(
                    flow=flow, path=pack_path, flows=flows
                )
            )
        given = normalise(pack, list(answers.items()))  # AnswerError if an answer does not fit
        key = who.idempotency_key
        repeated = self._repeat(key)
        if repeated is not None:
            return repeated
        revision_id = self.revision(text, pack.model.id)
        begin = start or who.day
        event = EventView("started", who.day, {"answers": given, "title": title})
        state = derive(pack, flow, begin, [event])
        stamp = now()
        with db.writer(self.engine) as connection, connection.begin():
            case_id = connection.execute(
                insert(Case)
                .values(
                    pack_id=pack.model.id,
                    revision_id=revision_id,
                    flow=flow,
                    title=title,
                    start=begin,
                    version=1,
                    created_at=stamp,
                    updated_at=stamp,
                    **_projection(pack, state),
                )
                .returning(Case.id)
            ).scalar_one()
            try:
                connection.execute(insert(Event).values(**self._event(case_id, 1, event, who, key, revision_id, state)))
            except IntegrityError:
                connection.rollback()
                found = self._repeat(key)
                if found is None:
                    raise
                return found
        return Written(int(case_id), 1, False)

    def append(
        self,
        case_id: int,
        kind: str,
        data: Mapping[str, Any],
        who: Who,
        *,
        pack_text: PackText | None = None,
    ) -> Written:
        """Append one event and store the state it leads to; `pack_text` moves the case to that revision."""
        key = who.idempotency_key
        repeated = self._repeat(key)
        if repeated is not None:
            return repeated
        loaded = self.load(case_id)
        expected = loaded.case.version if who.expect is None else who.expect
        if who.expect is not None and who.expect != loaded.case.version:
            raise self._conflict(case_id, expected, loaded.case.version)
        pack, revision_id = loaded.pack, loaded.case.revision_id
        if pack_text is not None:
            pack = pack_from_text(pack_text.text, pack_text.path)
            revision_id = self.revision(pack_text, pack.model.id)
        event = EventView(kind, who.day, dict(data))
        state = derive(pack, loaded.case.flow, loaded.case.start, [*views(loaded.events), event])
        with db.writer(self.engine) as connection, connection.begin():
            moved = connection.execute(
                update(Case)
                .where(Case.id == case_id, Case.version == expected)
                .values(version=expected + 1, revision_id=revision_id, updated_at=now(), **_projection(pack, state))
            )
            if moved.rowcount != 1:
                connection.rollback()
                raise self._conflict(case_id, expected, self._version(case_id))
            values = self._event(case_id, expected + 1, event, who, key, revision_id, state, loaded.state.result)
            try:
                connection.execute(insert(Event).values(**values))
            except IntegrityError:
                connection.rollback()
                found = self._repeat(key)
                if found is not None:
                    return found
                raise self._conflict(case_id, expected, self._version(case_id)) from None
        return Written(case_id, expected + 1, False)

    def _event(
        self,
        case_id: int,
        seq: int,
        event: EventView,
        who: Who,
        key: str,
        revision_id: int,
        state: CaseState,
        before: CaseResult | None = None,
    ) -> dict[str, Any]:
        decisions = _new_decisions(before, state.result, event.data.get("answers") or {})
        data = dict(event.data) | ({"decisions": decisions} if decisions else {})
        mandate = "; ".join(_mandate_text(d) for d in decisions) or None
        return {
            "case_id": case_id,
            "seq": seq,
            "kind": event.kind,
            "date": event.date,
            "recorded_at": now(),
            "by": who.by,
            "mandate": mandate,
            "revision_id": revision_id,
            "data": data,
            "idempotency_key": key,
        }

    def _repeat(self, key: str) -> Written | None:
        """The committed write with this idempotency key, if there is one."""
        with Session(self.engine) as session:
            found = session.execute(select(Event.case_id, Event.seq).where(Event.idempotency_key == key)).first()
        return Written(int(found[0]), int(found[1]), True) if found else None

    def _version(self, case_id: int) -> int:
        with Session(self.engine) as session:
            return int(session.scalar(select(Case.version).where(Case.id == case_id)) or 0)

    def _conflict(self, case_id: int, expected: int, current: int) -> ConflictError:
        return ConflictError(
            _(
                "ärende {case} har ändrats av någon annan sedan du läste det (det är nu version {current}, "
                "du utgick från version {expected}); inget sparades. Läs om det med `kprocess case show {case}` "
                "och försök igen."
            ).format(case=case_id, current=current, expected=expected)
        )


def _projection(pack: RulePack, state: CaseState) -> dict[str, Any]:
    """The derived columns of the `cases` row: a function of the events (see `derived`)."""
    step = actor = None
    since = state.since
    assert since is not None
    if state.waiting:
        step, actor = state.waiting[0].step, state.waiting[0].actor
    elif state.status == "ongoing" and state.result is not None and state.result.trace:
        step = state.result.trace[-1].step
        actor = pack.steps[step].actor
        since = state.due or since
    found = pack.actors.get(actor) if actor else None
    is_open = state.status in OPEN
    return {
        "status": state.status,
        "waiting_step": step,
        "waiting_actor": actor,
        "waiting_actor_name": (found.short or found.name) if found else actor,
        "waiting_since": since,
        "due": state.due,
        "todo_from": since if is_open else None,
        "open_due": state.due if is_open else None,
    }


def _mandate_text(decision: Mapping[str, Any]) -> str:
    """`s4: LPO (beslut)` or `s23: RMKS (beslut, inom uppdrag och budget, 000 §10)`."""
    parts = [decision["weight"], decision["mandate"], decision["source"]]
    party = f" för {decision['party']}" if decision["party"] else ""
    return f"{decision['step']}{party}: {decision['by']} ({', '.join(p for p in parts if p)})"


def _new_decisions(
    before: CaseResult | None, after: CaseResult | None, answered: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Decisions the new answers made: step, party, answer, who and under which mandate."""
    if after is None:
        return []
    done = {(e.step, e.party, e.seq) for e in before.trace} if before else set()
    questions = {key.split("[")[0] for key in answered}
    found = []
    for entry in after.trace:
        decision = entry.decision
        if decision is None or decision.question not in questions or (entry.step, entry.party, entry.seq) in done:
            continue
        found.append(
            {
                "step": entry.step,
                "party": entry.party,
                "question": decision.question,
                "answer": answer_text(decision.answer),
                "by": decision.by.name,
                "weight": decision.weight,
                "mandate": decision.mandate,
                "source": decision.mandate_source or entry.source,
            }
        )
    return found
