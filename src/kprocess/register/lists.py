"""`case list` and `case todo`: reads of the `cases` table only, with SQLAlchemy Core (no ORM, no engine).

Each list is one indexed range scan with LIMIT, plus a count of the same range for the
"… och N till" line: `todo_from` (on the worklist from this day) for `todo`, `open_due` (the due
date while the case is open) for `--overdue`, `(status, id)` and `(pack_id, id)` for the filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Engine, Integer, String, column, func, select, table

CASES = table(
    "cases",
    column("id", Integer),
    column("title", String),
    column("pack_id", String),
    column("status", String),
    column("version", Integer),
    column("waiting_step", String),
    column("waiting_actor", String),
    column("waiting_actor_name", String),
    column("waiting_since", Date),
    column("due", Date),
    column("todo_from", Date),
    column("open_due", Date),
)
C = CASES.c
SHOWN = (
    C.id,
    C.title,
    C.pack_id,
    C.status,
    C.version,
    C.waiting_step,
    C.waiting_actor,
    C.waiting_actor_name,
    C.waiting_since,
    C.due,
)


@dataclass(frozen=True)
class Row:
    """One case as the lists show it."""

    id: int
    title: str
    pack_id: str
    status: str
    version: int
    waiting_step: str | None
    waiting_actor: str | None
    waiting_actor_name: str | None
    waiting_since: date
    due: date | None

    @property
    def open(self) -> bool:
        """Waiting for an answer or a date, or in ongoing follow-up."""
        return self.status in ("waiting", "ongoing")

    @property
    def actor_name(self) -> str:
        """Who the case waits for, by (short) name."""
        return self.waiting_actor_name or self.waiting_actor or ""


def cases(
    engine: Engine,
    *,
    pack: str | None = None,
    status: str | None = None,
    overdue_on: date | None = None,
    waiting_for: str | None = None,
    limit: int = 0,
) -> tuple[list[Row], int]:
    """Cases matching the filters (overdue ones by due date, else by number) and how many match in all."""
    conditions: list[Any] = []
    if pack:
        conditions.append(C.pack_id == pack)
    if status:
        conditions.append(C.status == status)
    if overdue_on is not None:
        conditions.append(C.open_due < overdue_on)
    if waiting_for:
        conditions += [C.waiting_actor == waiting_for, C.todo_from.is_not(None)]
    order = (C.open_due, C.id) if overdue_on is not None else (C.id,)
    return _page(engine, conditions, order, limit)


def todo(engine: Engine, on: date, actor: str | None = None, limit: int = 0) -> tuple[list[Row], int]:
    """Open cases on the worklist by `on` (waiting, or a follow-up that has come due), oldest first."""
    conditions: list[Any] = [C.todo_from <= on]
    if actor:
        conditions.append(C.waiting_actor == actor)
    return _page(engine, conditions, (C.todo_from, C.id), limit)


def _page(engine: Engine, conditions: list[Any], order: tuple[Any, ...], limit: int) -> tuple[list[Row], int]:
    query = select(*SHOWN).where(*conditions).order_by(*order)
    with engine.connect() as connection:
        rows = [Row(**r._mapping) for r in connection.execute(query.limit(limit) if limit else query)]
        if not limit or len(rows) < limit:
            return rows, len(rows)
        total = connection.scalar(select(func.count()).select_from(CASES).where(*conditions))
    return rows, int(total or 0)
