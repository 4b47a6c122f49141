"""Register benchmark: N cases with 10 events each, then `case list --overdue` and `case todo`.

    .venv/bin/python benchmarks/register_bench.py --cases 100000 [--pg URL]

Rows are bulk-inserted (the engine is not run per case) with the derived columns a write keeps on
the case row; the timed commands are the real CLI in a fresh process (`--limit 100`, the default),
median of 5 runs after one warm-up, each also shown beyond `kprocess --version` (start-up).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert
from sqlalchemy.engine import make_url

from kprocess.register import db, lists
from kprocess.register.models import Case, Event, PackRevision

ROOT = Path(__file__).resolve().parent.parent
ACTORS = {
    "lpo": "LPO",
    "lansledningen": "Länsledningen",
    "huvudmannen": "Huvudmännen",
    "rmks": "RMKS",
    "samordnare": "Samordnare",
    "styrgrupp": "Styrgruppen",
    "lsg": "LSG",
    "kfvn": "KFVN",
}


def fill(url: str, cases: int, per_case: int) -> None:
    """Bulk-insert `cases` cases and `cases * per_case` events."""
    engine = db.connect(url)
    rng = random.Random(1)
    stamp = datetime(2026, 3, 1, tzinfo=UTC)
    text = (ROOT / "regions" / "vasternorrland.yaml").read_text(encoding="utf-8")
    with engine.begin() as connection:
        connection.execute(
            insert(PackRevision).values(
                id=1,
                pack_id="vasternorrland",
                content_hash="0" * 64,
                git_commit=None,
                path="x",
                text=text,
                recorded_at=stamp,
            )
        )
    batch = 5000
    for first in range(1, cases + 1, batch):
        ids = range(first, min(first + batch, cases + 1))
        rows, events = [], []
        for case_id in ids:
            start = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
            status = rng.choice(["waiting"] * 6 + ["ongoing", "completed", "on_hold"])
            due = (
                start + timedelta(days=rng.randrange(400))
                if status in ("waiting", "ongoing") and rng.random() < 0.5
                else None
            )
            actor = rng.choice(list(ACTORS))
            is_open = status in ("waiting", "ongoing")
            rows.append(
                {
                    "id": case_id,
                    "pack_id": "vasternorrland",
                    "revision_id": 1,
                    "flow": None,
                    "title": f"Ärende {case_id}",
                    "start": start,
                    "version": per_case,
                    "status": status,
                    "waiting_step": "s4",
                    "waiting_actor": actor,
                    "waiting_actor_name": ACTORS[actor],
                    "waiting_since": start,
                    "due": due,
                    "todo_from": start if is_open else None,
                    "open_due": due if is_open else None,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            for seq in range(1, per_case + 1):
                events.append(
                    {
                        "case_id": case_id,
                        "seq": seq,
                        "kind": "answered",
                        "date": start,
                        "recorded_at": stamp,
                        "by": "bench",
                        "mandate": None,
                        "revision_id": 1,
                        "data": {"answers": {"storre_process": ["ja"]}},
                        "idempotency_key": f"{case_id}-{seq}",
                    }
                )
        with db.writer(engine) as connection, connection.begin():
            connection.execute(insert(Case), rows)
            connection.execute(insert(Event), events)
    with engine.begin() as connection:  # what a long-running register has: fresh planner statistics
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def timed(args: list[str], url: str) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the CLI command in a fresh process."""
    env = dict(os.environ, KPROCESS_DB=url)
    walls, cpus = [], []
    for run in range(6):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        begin = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "kprocess"), *args], env=env, check=True, capture_output=True)
        wall = time.perf_counter() - begin
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def queried(url: str) -> dict[str, float]:
    """The database part alone: each list's queries (rows and count) in this process, best of 5, in ms."""
    engine = db.connect(url)
    on = date(2025, 6, 1)
    calls: dict[str, Callable[[], object]] = {
        "case list --overdue": lambda: lists.cases(engine, overdue_on=on, limit=100),
        "case todo": lambda: lists.todo(engine, on, limit=100),
        "case todo --actor lpo": lambda: lists.todo(engine, on, "lpo", limit=100),
        "case list --status waiting": lambda: lists.cases(engine, status="waiting", limit=100),
        "case list --waiting-for rmks": lambda: lists.cases(engine, waiting_for="rmks", limit=100),
    }
    best = {}
    for label, call in calls.items():
        times = []
        for _ in range(5):
            begin = time.perf_counter()
            call()
            times.append(time.perf_counter() - begin)
        best[label] = min(times) * 1000
    engine.dispose()
    return best


def fresh_postgres(server: str) -> str:
    """A new, empty database on the PostgreSQL server at `server` (the benchmark never reuses one)."""
    url = make_url(db.resolve_url(server))
    name = f"kp_bench_{int(time.time())}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


COMMANDS = [
    ("case list --overdue", ["case", "list", "--overdue", "--date", "2025-06-01"]),
    ("case todo", ["case", "todo", "--date", "2025-06-01"]),
    ("case todo --actor lpo", ["case", "todo", "--actor", "lpo", "--date", "2025-06-01"]),
    ("case list --status waiting", ["case", "list", "--status", "waiting"]),
    ("case list --waiting-for rmks", ["case", "list", "--waiting-for", "rmks"]),
]


def main() -> None:
    """Fill each backend, then time the commands."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events-per-case", type=int, default=10)
    parser.add_argument("--pg", default=os.environ.get("KPROCESS_TEST_PG"))
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    urls = {"SQLite": f"sqlite:///{folder / 'bench.db'}"}
    if options.pg:
        urls["PostgreSQL"] = fresh_postgres(options.pg)
    for name, url in urls.items():
        begin = time.perf_counter()
        fill(url, options.cases, options.events_per_case)
        filled = time.perf_counter() - begin
        shown, shown_cpu = timed(["--version"], url)
        events = options.cases * options.events_per_case
        print(f"{name}: {options.cases} cases, {events} events (filled in {filled:.0f} s)")
        print(f"  kprocess --version (start-up floor): {shown:.2f} s wall, {shown_cpu:.2f} s CPU")
        database = queried(url)
        for label, args in COMMANDS:
            wall, cpu = timed(args, url)
            print(
                f"  {label}: {wall:.2f} s wall ({wall - shown:+.2f} s beyond start-up), {cpu:.2f} s CPU "
                f"({cpu - shown_cpu:+.2f} s), queries {database[label]:.1f} ms"
            )


if __name__ == "__main__":
    main()
