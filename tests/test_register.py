"""The case register on SQLite and PostgreSQL: events, derived state, pinned revisions, time,
optimistic concurrency, idempotency, separate processes and kill -9 during writes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kprocess.register import db, lists
from kprocess.register.models import Case, Event
from kprocess.register.state import normalise
from kprocess.register.store import ConflictError, Register, Who
from tests.register_support import BACKENDS, database

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "regions" / "vasternorrland.yaml"
BIN = Path(sys.executable).parent / "kprocess"
WRITER = Path(__file__).with_name("register_writer.py")
FULL = {  # regions/cases/vasternorrland/06: remiss to yearly follow-up
    "beror_kommunerna": "ja",
    "natverk_saknar_vc": "nej",
    "lpo_gar_vidare": "ja",
    "beslutsforum": "lansledningen",
    "samverkan_fortsatt": "ja",
    "lag_resurssattning": "ateraktivera_lag",
    "lsg_aktiveras": "nej",
    "remiss_inom_halsam_till": "lsg",
    "underlag_behover_kompletteras": "nej",
    "lansledningens_rekommendation": "helt",
    "huvudman_beslut": "ja",
    "lag_behover_kompletteras": "nej",
    "lag_saknar_chefsmandat": "nej",
    "gemensamma_insatser_till": "lansledningen_sjalv",
    "behov_av_justeringar": "nej",
}


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty register on each backend."""
    with database(request.param, tmp_path) as found:
        yield found


@pytest.fixture
def register(url: str) -> Iterator[Register]:
    """The register at `url`, schema created."""
    opened = Register.open(url)
    yield opened
    opened.engine.dispose()


def who(
    name: str = "Anna Berg", day: date = date(2026, 2, 2), key: str | None = None, expect: int | None = None
) -> Who:
    return Who(name, day, key, expect)


def answer(register: Register, case_id: int, pairs: dict[str, str], **kwargs: object) -> int:
    pack = register.load(case_id).pack
    data = {"answers": normalise(pack, list(pairs.items()))}
    return register.append(case_id, "answered", data, who(**kwargs)).version  # type: ignore[arg-type]


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), "case", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False
    )


# --- events and derived state -------------------------------------------------------------------


def test_a_new_case_waits_for_the_first_decision(register: Register) -> None:
    written = register.start(PACK, "Vårdförlopp höftfraktur", {}, who())
    loaded = register.load(written.case_id)
    assert (written.version, written.repeated) == (1, False)
    assert [(w.step, w.question, w.party, w.actor) for w in loaded.state.waiting] == [
        ("s4", "beror_kommunerna", None, "lpo")
    ]
    assert (loaded.case.status, loaded.case.waiting_actor, loaded.case.waiting_step) == ("waiting", "lpo", "s4")
    assert [(e.seq, e.kind, e.by) for e in loaded.events] == [(1, "started", "Anna Berg")]


def test_answers_move_the_case_and_the_event_records_the_mandate(register: Register) -> None:
    case_id = register.start(PACK, "Ärende", {}, who()).case_id
    assert answer(register, case_id, {"beror_kommunerna": "ja", "natverk_saknar_vc": "nej"}, name="Bo") == 2
    loaded = register.load(case_id)
    event = loaded.events[-1]
    assert (event.kind, event.by, event.data["answers"]) == (
        "answered",
        "Bo",
        {"beror_kommunerna": ["ja"], "natverk_saknar_vc": ["nej"]},
    )
    assert event.mandate == "s4: LPO (beslut, 002 steg 4; Remissprocess, beredning och beslut)"
    assert [(w.step, w.question) for w in loaded.state.waiting] == [("s11", "lpo_gar_vidare")]


def test_a_per_party_step_waits_for_every_party_that_has_not_decided(register: Register) -> None:
    before = {k: v for k, v in FULL.items() if k not in ("huvudman_beslut", "behov_av_justeringar")}
    case_id = register.start(PACK, "Ärende", before, who()).case_id
    answer(register, case_id, {"huvudman_beslut[Timrå]": "nej"})
    waiting = register.load(case_id).state.waiting
    assert [w.key for w in waiting] == [
        "huvudman_beslut[Region Västernorrland]",
        "huvudman_beslut[Härnösand]",
        "huvudman_beslut[Kramfors]",
        "huvudman_beslut[Sollefteå]",
        "huvudman_beslut[Sundsvall]",
        "huvudman_beslut[Ånge]",
        "huvudman_beslut[Örnsköldsvik]",
    ]
    assert {w.actor for w in waiting} == {"huvudmannen"}


def test_a_case_runs_to_ongoing_follow_up_with_due_dates_from_the_time_rules(register: Register) -> None:
    before = {k: v for k, v in FULL.items() if k != "behov_av_justeringar"}
    case_id = register.start(PACK, "Ärende", before, who(day=date(2026, 2, 2))).case_id
    state = register.load(case_id).state
    assert ([w.step for w in state.waiting], state.due) == (["s33"], date(2027, 2, 2))  # every: 1 year
    answer(register, case_id, {"behov_av_justeringar": "nej"}, day=date(2027, 1, 20))
    loaded = register.load(case_id)
    assert (loaded.case.status, loaded.case.due, loaded.case.waiting_actor) == (
        "ongoing",
        date(2028, 1, 20),
        "huvudmannen",
    )
    register.append(case_id, "followed_up", {}, who(day=date(2028, 1, 10)))
    assert register.load(case_id).case.due == date(2029, 1, 10)


def test_overdue_and_todo_are_oldest_first(register: Register) -> None:
    before = {k: v for k, v in FULL.items() if k != "behov_av_justeringar"}
    late = register.start(PACK, "Sen", before, who(day=date(2026, 1, 5))).case_id
    early = register.start(PACK, "Tidig", before, who(day=date(2025, 12, 1))).case_id
    fresh = register.start(PACK, "Ny", {}, who(day=date(2026, 3, 1))).case_id
    rows, total = lists.cases(register.engine, overdue_on=date(2026, 12, 15))
    assert ([r.id for r in rows], total) == ([early], 1)
    rows, total = lists.cases(register.engine, overdue_on=date(2027, 2, 1))
    assert [r.id for r in rows] == [early, late]
    rows, total = lists.cases(register.engine, overdue_on=date(2027, 2, 1), limit=1)
    assert ([r.id for r in rows], total) == ([early], 2)
    rows, _ = lists.todo(register.engine, date(2026, 3, 1))
    assert [(r.id, r.actor_name) for r in rows] == [(early, "Huvudmännen"), (late, "Huvudmännen"), (fresh, "LPO")]
    rows, total = lists.todo(register.engine, date(2026, 3, 1), actor="lpo")
    assert ([r.id for r in rows], total) == ([fresh], 1)
    rows, total = lists.todo(register.engine, date(2026, 3, 1), limit=2)
    assert ([r.id for r in rows], total) == ([early, late], 3)


def test_park_and_resume(register: Register) -> None:
    case_id = register.start(PACK, "Ärende", {}, who()).case_id
    register.append(case_id, "parked", {"reason": "väntar på underlag"}, who())
    assert register.load(case_id).case.status == "on_hold"
    assert lists.todo(register.engine, date(2026, 3, 1)) == ([], 0)
    register.append(case_id, "resumed", {}, who())
    assert register.load(case_id).case.status == "waiting"


def test_a_parked_case_resumes_with_the_new_decision(register: Register) -> None:
    first = {"beror_kommunerna": "ja", "natverk_saknar_vc": "nej", "lpo_gar_vidare": "nej", "lpo_tar_upp_igen": "nej"}
    case_id = register.start(PACK, "Ärende", first, who()).case_id
    assert register.load(case_id).state.status == "parked"
    register.append(case_id, "resumed", {"answers": {"lpo_tar_upp_igen": ["ja"]}}, who())
    loaded = register.load(case_id)
    assert [(w.step, w.question) for w in loaded.state.waiting] == [("s11a", "parkerad_manader")]
    assert loaded.state.answers["lpo_tar_upp_igen"] == ["ja"]
    assert [e.data.get("answers") for e in loaded.events] == [
        {k: [v] for k, v in first.items()},
        {"lpo_tar_upp_igen": ["ja"]},
    ]


# --- pinned revisions ---------------------------------------------------------------------------


def edited_pack(tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "vasternorrland.yaml"
    text = PACK.read_text(encoding="utf-8")
    assert text.count(old) == 1
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def test_editing_the_pack_does_not_change_a_running_case(register: Register, tmp_path: Path) -> None:
    copy = tmp_path / "vasternorrland.yaml"
    shutil.copy(PACK, copy)
    case_id = register.start(copy, "Ärende", {"beror_kommunerna": "ja"}, who()).case_id
    pinned = register.load(case_id).revision.content_hash
    edited_pack(
        tmp_path,
        "      - when: beror_kommunerna\n        to: s4_kfvn",
        "      - when: not beror_kommunerna\n        to: s4_kfvn",
    )
    fresh = register.start(copy, "Nytt", {"beror_kommunerna": "ja"}, who()).case_id
    loaded = register.load(case_id)
    assert (loaded.revision.content_hash, [w.step for w in loaded.state.waiting]) == (pinned, ["s5_kfvn"])
    assert register.load(fresh).state.status == "handed_over"


def test_migrate_refuses_when_the_path_so_far_has_no_place(register: Register, tmp_path: Path) -> None:
    from kprocess.register.compat import compare
    from kprocess.register.revisions import pack_from_text, read_pack_text
    from kprocess.register.store import views

    case_id = register.start(PACK, "Ärende", {"beror_kommunerna": "ja", "natverk_saknar_vc": "nej"}, who()).case_id
    loaded = register.load(case_id)
    renamed = edited_pack(tmp_path, "  - id: s11\n", "  - id: s11_ny\n")
    text = (
        renamed.read_text(encoding="utf-8")
        .replace("to: s11\n", "to: s11_ny\n")
        .replace("next: s11\n", "next: s11_ny\n")
    )
    renamed.write_text(text, encoding="utf-8")
    new = pack_from_text(read_pack_text(renamed).text, str(renamed))
    verdict = compare(loaded.pack, new, None, loaded.case.start, views(loaded.events))
    assert (verdict.kind, verdict.reason) == (
        "stranded",
        "steget `s11` där ärendet väntar finns inte i den nya versionen",
    )


def test_migrate_moves_a_case_when_only_wording_changed(url: str, tmp_path: Path) -> None:
    copy = tmp_path / "vasternorrland.yaml"
    shutil.copy(PACK, copy)
    env = dict(os.environ, KPROCESS_DB=url, KPROCESS_USER="Anna Berg", COLUMNS="200", NO_COLOR="1")
    assert cli("start", str(copy), "--title", "Ärende", "--date", "2026-02-02", env=env).returncode == 0
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("name: LPO prioriterar hur", "name: LPO väljer hur", 1), encoding="utf-8")
    done = cli("migrate", "1", "--date", "2026-02-03", env=env)
    assert (done.returncode, done.stderr) == (0, "")
    history = json.loads(cli("history", "1", "--format", "json", env=env).stdout)
    assert [e["kind"] for e in history["events"]] == ["started", "migrated"]
    assert history["events"][1]["revision"] != history["events"][0]["revision"]


# --- concurrency, idempotency, crashes ----------------------------------------------------------


def test_a_second_writer_from_the_same_version_gets_a_conflict(register: Register) -> None:
    case_id = register.start(PACK, "Ärende", {}, who()).case_id
    answer(register, case_id, {"beror_kommunerna": "ja"}, expect=1)
    with pytest.raises(ConflictError) as caught:
        answer(register, case_id, {"beror_kommunerna": "nej"}, expect=1)
    assert str(caught.value) == (
        f"ärende {case_id} har ändrats av någon annan sedan du läste det (det är nu version 2, du utgick från "
        f"version 1); inget sparades. Läs om det med `kprocess case show {case_id}` och försök igen."
    )
    assert [e.seq for e in register.load(case_id).events] == [1, 2]


def test_the_same_idempotency_key_writes_once(register: Register) -> None:
    case_id = register.start(PACK, "Ärende", {}, who(key="start-1")).case_id
    assert register.start(PACK, "Ärende", {}, who(key="start-1")).repeated is True
    first = register.append(case_id, "parked", {"reason": "x"}, who(key="k-1"))
    again = register.append(case_id, "parked", {"reason": "x"}, who(key="k-1"))
    assert (first.version, first.repeated, again.version, again.repeated) == (2, False, 2, True)
    assert len(register.load(case_id).events) == 2
    assert register.case_ids() == [case_id]


def consistent(register: Register, case_id: int) -> tuple[int, list[int]]:
    with Session(register.engine) as session:
        version = session.scalar(select(Case.version).where(Case.id == case_id))
        seqs = list(session.scalars(select(Event.seq).where(Event.case_id == case_id).order_by(Event.seq)))
        if register.engine.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert seqs == list(range(1, len(seqs) + 1))
    return int(version or 0), seqs


def test_processes_answering_at_once_lose_no_update(register: Register, url: str) -> None:
    case_id = register.start(PACK, "Ärende", {}, who()).case_id
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), url, str(case_id), "5", f"w{n}"], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        for n in range(2)
    ]
    outputs = [w.communicate(timeout=120)[0].split() for w in writers]
    assert [w.returncode for w in writers] == [0, 0]
    acknowledged = {line for out in outputs for line in out if line.startswith("w")}
    version, seqs = consistent(register, case_id)
    with Session(register.engine) as session:
        keys = set(session.scalars(select(Event.idempotency_key).where(Event.case_id == case_id, Event.seq > 1)))
    assert (len(acknowledged), version, len(seqs), keys) == (10, 11, 11, acknowledged)


def test_kill_9_during_writes_keeps_every_acknowledged_event(register: Register, url: str) -> None:
    case_id = register.start(PACK, "Ärende", {}, who()).case_id
    rng = random.Random(12)
    acknowledged: set[str] = set()
    deadline = time.monotonic() + 3
    trials = 0
    while time.monotonic() < deadline or trials < 3:
        trials += 1
        prefix = f"t{trials}"
        child = subprocess.Popen(
            [sys.executable, str(WRITER), url, str(case_id), "1000", prefix],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.random() * 0.3)
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        acknowledged |= {line for line in out.split() if line.startswith(prefix)}
        version, seqs = consistent(register, case_id)
        with Session(register.engine) as session:
            stored = set(session.scalars(select(Event.idempotency_key).where(Event.case_id == case_id, Event.seq > 1)))
        assert acknowledged - stored == set()
        assert version == len(seqs)
    # A write that was committed but never acknowledged is not written twice when retried.
    retried = max(stored - acknowledged, default=None) or next(iter(stored))
    again = register.append(case_id, "answered", {"answers": {}}, who(key=retried))
    assert again.repeated is True
    assert consistent(register, case_id)[0] == version


# --- schema -------------------------------------------------------------------------------------


def test_the_migrations_create_exactly_the_models(register: Register) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from kprocess.register.models import Base

    config = Config()
    config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == db.HEAD == db.current_revision(register.engine)
    with register.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_sqlite_runs_in_wal_with_full_sync(tmp_path: Path) -> None:
    engine = db.connect(str(tmp_path / "r.db"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_the_url_comes_from_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KPROCESS_DB", str(tmp_path / "env.db"))
    assert db.resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert db.resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("KPROCESS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert db.resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'kprocess' / 'register.db'}"


def _count(register: Register) -> int:
    with Session(register.engine) as session:
        return int(session.scalar(select(func.count()).select_from(Event)) or 0)
