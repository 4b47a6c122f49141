"""`case list` and `case todo`: one line per case from the `cases` table (no pack, no engine, no ORM)."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from kprocess.cli.common import EXIT_OK, UsageError
from kprocess.i18n import N_, _
from kprocess.labels import STATUS_LABEL

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kprocess.register.lists import Row

SCHEMA = "kprocess.register/1"
LABEL = {
    "waiting": N_("väntar"),
    "on_hold": N_("vilande"),
    "failed": N_("stoppat av ett fel"),
    **STATUS_LABEL,
}
MORE = N_("… och {n} till (--limit 0 visar alla)")


def listing(
    engine: Engine,
    pack: str | None,
    status: str | None,
    overdue: bool,
    waiting_for: str | None,
    limit: int,
    today: date,
    output: str,
) -> int:
    """`case list`: one line per case."""
    from kprocess.register.lists import cases

    if status is not None and status not in LABEL:
        raise UsageError(
            _("`--status {status}` finns inte; välj bland: {choices}").format(status=status, choices=", ".join(LABEL))
        )
    rows, total = cases(
        engine, pack=pack, status=status, overdue_on=today if overdue else None, waiting_for=waiting_for, limit=limit
    )
    if output == "json":
        return _json(rows, total, today)
    if not rows:
        print(_("Inga ärenden."))
    for row in rows:
        print(row_line(row, today))
    if total > len(rows):
        print(_(MORE).format(n=total - len(rows)))
    return EXIT_OK


def todo(engine: Engine, actor: str | None, limit: int, today: date, output: str) -> int:
    """`case todo`: per actor (by name, with the id `--actor` takes), what waits for it, oldest first."""
    from kprocess.register.lists import todo as worklist

    rows, total = worklist(engine, today, actor, limit)
    if output == "json":
        return _json(rows, total, today)
    if not rows:
        print(_("Inget väntar.") if actor is None else _("Inget väntar på {actor}.").format(actor=actor))
        return EXIT_OK
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.actor_name, row.waiting_actor or ""), []).append(row)
    for name, actor_id in sorted(groups):
        print(f"{name} ({actor_id}): {len(groups[name, actor_id])}")
        for row in groups[name, actor_id]:
            print("  " + row_line(row, today, actor=False))
    if total > len(rows):
        print(_(MORE).format(n=total - len(rows)))
    return EXIT_OK


def row_line(row: Row, today: date, *, actor: bool = True) -> str:
    """`   12  Titel [paket] · väntar · LPO i s4 · senast 2026-03-31 FÖRSENAT`."""
    late = row.open and row.due is not None and row.due < today
    due = "" if row.due is None else _(" · senast {date}").format(date=row.due) + (_(" FÖRSENAT") if late else "")
    who = _("{actor} i ").format(actor=row.actor_name) if actor else _("i ")
    where = f" · {who}{row.waiting_step}" if row.waiting_step else ""
    status = _(LABEL[row.status]) if row.status in LABEL else row.status
    return f"{row.id:>5}  {row.title} [{row.pack_id}] · {status}{where}{due}"


def _json(rows: list[Row], total: int, today: date) -> int:
    print(json.dumps({"schema": SCHEMA, "total": total, "cases": [_row_json(r, today) for r in rows]}, indent=2))
    return EXIT_OK


def _row_json(row: Row, today: date) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "pack": row.pack_id,
        "status": row.status,
        "version": row.version,
        "waiting_step": row.waiting_step,
        "waiting_for": row.waiting_actor,
        "waiting_for_name": row.waiting_actor_name,
        "waiting_since": row.waiting_since.isoformat(),
        "due": row.due.isoformat() if row.due else None,
        "overdue": bool(row.open and row.due and row.due < today),
    }
