"""Register benchmark: N cases with 10 events each, then `case list --overdue` and `case todo`.

    .venv/bin/python benchmarks/register_bench.py --cases 100000 [--pg URL]

Rows are bulk-inserted (the engine is not run per case); the timed commands are the real CLI
in a fresh process (`--limit 100`, the default), median of 5 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from kprocess.register import db
from kprocess.register.models import Case, Event, PackRevision

ROOT = Path(__file__).resolve().parent.parent
ACTORS = ["lpo", "lansledningen", "huvudmannen", "rmks", "samordnare", "styrgrupp", "lsg", "kfvn"]


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
                    "waiting_actor": rng.choice(ACTORS),
                    "waiting_since": start,
                    "due": due,
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
    engine.dispose()


def timed(args: list[str], url: str) -> float:
    """Median wall time of the CLI command."""
    env = dict(os.environ, KPROCESS_DB=url)
    times = []
    for run in range(6):
        begin = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "kprocess"), *args], env=env, check=True, capture_output=True)
        if run:
            times.append(time.perf_counter() - begin)
    return statistics.median(times)


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
        urls["PostgreSQL"] = options.pg
    for name, url in urls.items():
        begin = time.perf_counter()
        fill(url, options.cases, options.events_per_case)
        filled = time.perf_counter() - begin
        overdue = timed(["case", "list", "--overdue", "--date", "2025-06-01"], url)
        todo = timed(["case", "todo", "--date", "2025-06-01"], url)
        todo_actor = timed(["case", "todo", "--actor", "lpo", "--date", "2025-06-01"], url)
        shown = timed(["--version"], url)
        events = options.cases * options.events_per_case
        print(
            f"{name}: {options.cases} cases, {events} events (filled in {filled:.0f} s); "
            f"list --overdue {overdue:.2f} s, todo {todo:.2f} s, todo --actor {todo_actor:.2f} s, "
            f"kprocess --version {shown:.2f} s"
        )


if __name__ == "__main__":
    main()
