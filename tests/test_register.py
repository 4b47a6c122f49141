"""The case register on SQLite and PostgreSQL: events, derived state, pinned revisions, time,
optimistic concurrency, idempotency, separate processes and kill -9 during writes."""

from __future__ import annotations

import json
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
BLEKINGE = ROOT / "regions" / "blekinge.yaml"
OREBRO = ROOT / "regions" / "orebro.yaml"
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


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Register]:
    """A register on SQLite only, for what does not depend on the database (how state is derived)."""
    opened = Register.open(f"sqlite:///{tmp_path / 'register.db'}")
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


def cli(url: str, *args: str) -> tuple[int, str, str]:
    """`kprocess ARGS --db URL` in this process: exit code, stdout, stderr (a usage error as `main()` reports it)."""
    from typer.testing import CliRunner

    from kprocess.cli.app import app
    from kprocess.cli.common import EXIT_USAGE, UsageError

    extra = ["--db", url] if args[0] == "case" else []
    result = CliRunner().invoke(app, [*args, *extra], env={"COLUMNS": "200", "NO_COLOR": "1", "KPROCESS_USER": "Bo"})
    if isinstance(result.exception, UsageError):
        return EXIT_USAGE, result.stdout, f"kprocess: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


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


def test_a_per_party_step_waits_for_every_party_that_has_not_decided(local: Register) -> None:
    before = {k: v for k, v in FULL.items() if k not in ("huvudman_beslut", "behov_av_justeringar")}
    case_id = local.start(PACK, "Ärende", before, who()).case_id
    answer(local, case_id, {"huvudman_beslut[Timrå]": "nej"})
    waiting = local.load(case_id).state.waiting
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


def test_a_parked_case_resumes_with_the_new_decision(local: Register) -> None:
    first = {"beror_kommunerna": "ja", "natverk_saknar_vc": "nej", "lpo_gar_vidare": "nej", "lpo_tar_upp_igen": "nej"}
    case_id = local.start(PACK, "Ärende", first, who()).case_id
    assert local.load(case_id).state.status == "parked"
    local.append(case_id, "resumed", {"answers": {"lpo_tar_upp_igen": ["ja"]}}, who())
    loaded = local.load(case_id)
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


def test_migrate_refuses_when_the_path_so_far_has_no_place(local: Register, tmp_path: Path) -> None:
    from kprocess.register.compat import compare
    from kprocess.register.revisions import pack_from_text, read_pack_text
    from kprocess.register.store import views

    case_id = local.start(PACK, "Ärende", {"beror_kommunerna": "ja", "natverk_saknar_vc": "nej"}, who()).case_id
    loaded = local.load(case_id)
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
    assert cli(url, "case", "start", str(copy), "--title", "Ärende", "--date", "2026-02-02")[0] == 0
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("name: LPO prioriterar hur", "name: LPO väljer hur", 1), encoding="utf-8")
    code, _, err = cli(url, "case", "migrate", "1", "--date", "2026-02-03")
    assert (code, err) == (0, "")
    history = json.loads(cli(url, "case", "history", "1", "--format", "json")[1])
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


# --- derived row, time, lists -------------------------------------------------------------------


def test_the_stored_row_is_what_the_events_derive(register: Register) -> None:
    before = {k: v for k, v in FULL.items() if k not in ("huvudman_beslut", "behov_av_justeringar")}
    per_party = register.start(PACK, "Per part", before, who()).case_id
    answer(register, per_party, {"huvudman_beslut[Timrå]": "nej"})
    ongoing = register.start(PACK, "Uppföljning", FULL, who()).case_id
    register.append(ongoing, "followed_up", {}, who(day=date(2027, 1, 5)))
    held = register.start(PACK, "Vilande", {}, who())
    register.append(held.case_id, "parked", {"reason": "x"}, who())
    parked = register.start(PACK, "Parkerad", {"beror_kommunerna": "ja", "natverk_saknar_vc": "nej"}, who()).case_id
    answer(register, parked, {"lpo_gar_vidare": "nej", "lpo_tar_upp_igen": "nej"})
    timed = register.start(BLEKINGE, "Remiss", {}, who(day=date(2026, 3, 1))).case_id
    for case_id in (per_party, ongoing, held.case_id, parked, timed):
        stored, again = register.derived(case_id)
        assert stored == again
    assert [register.derived(c)[0]["status"] for c in (per_party, ongoing, held.case_id, parked, timed)] == [
        "waiting",
        "ongoing",
        "on_hold",
        "parked",
        "waiting",
    ]


def test_a_case_waits_for_the_remiss_period_and_moves_on_when_it_has_passed(register: Register) -> None:
    case_id = register.start(BLEKINGE, "Remiss", {}, who(day=date(2026, 3, 1))).case_id
    expected = {
        "status": "waiting",
        "waiting_step": "p1_kunskapsstod_pa_remiss",
        "waiting_actor": "npo",
        "waiting_actor_name": "NPO",
        "waiting_since": date(2026, 3, 1),
        "due": date(2026, 4, 15),
        "todo_from": date(2026, 3, 1),
        "open_due": date(2026, 4, 15),
    }
    assert register.derived(case_id)[0] == expected
    assert [r.id for r in lists.todo(register.engine, date(2026, 3, 2), actor="npo")[0]] == [case_id]
    assert register.load(case_id, date(2026, 4, 14)).state.waiting[0].timed is True
    moved = register.load(case_id, date(2026, 4, 15)).state
    assert ([(w.step, w.question, w.actor) for w in moved.waiting], moved.since) == (
        [("p2_inom_overenskommelsen", "programomrade", "samordnare_ks")],
        date(2026, 4, 15),
    )
    assert moved.result is not None
    assert [e.step for e in moved.result.trace] == ["p1_kunskapsstod_pa_remiss", "p2_remiss_tas_emot"]
    register.append(case_id, "passed", {}, who(day=date(2026, 4, 16)))
    assert register.derived(case_id)[0] | {"waiting_actor_name": ""} == {
        "status": "waiting",
        "waiting_step": "p2_inom_overenskommelsen",
        "waiting_actor": "samordnare_ks",
        "waiting_actor_name": "",
        "waiting_since": date(2026, 4, 15),
        "due": None,
        "todo_from": date(2026, 4, 15),
        "open_due": None,
    }


def test_a_report_after_n_months_is_waited_for_then_the_case_is_in_follow_up(local: Register) -> None:
    answers = {
        "beror_kommunerna": "nej",
        "remissvar_beslutsform": "tjanstemannayttrande",
        "ryms_i_budget": "ja",
        "slutrapport_manader": "12",
    }
    case_id = local.start(OREBRO, "KOL", answers, who(day=date(2026, 3, 2))).case_id
    waiting = local.load(case_id, date(2027, 3, 1)).state
    assert [(w.step, w.actor, w.day) for w in waiting.waiting] == [("slutrapport_rmks", "lpo", date(2027, 3, 2))]
    later = local.load(case_id, date(2027, 3, 2)).state
    assert (later.status, later.waiting, later.since, later.due) == ("ongoing", [], date(2027, 3, 2), date(2028, 3, 2))


def test_answers_decided_later_than_planned_move_the_dates_after_them(local: Register) -> None:
    answers = {"beror_kommunerna": "nej", "remissvar_beslutsform": "tjanstemannayttrande"}
    case_id = local.start(OREBRO, "KOL", answers, who(day=date(2026, 3, 2))).case_id
    answer(local, case_id, {"ryms_i_budget": "ja", "slutrapport_manader": "6"}, day=date(2026, 5, 4))
    state = local.load(case_id).state
    assert [(w.step, w.day) for w in state.waiting] == [("slutrapport_rmks", date(2026, 11, 4))]


def test_the_schema_is_upgraded_from_the_first_revision(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO pack_revisions VALUES (1, 'p', 'h', NULL, 'x', 't', '2026-03-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO cases (id, pack_id, revision_id, title, start, version, status, waiting_step, waiting_actor,"
            " waiting_since, due, created_at, updated_at) VALUES (1, 'p', 1, 'T', '2026-03-01', 1, 'ongoing', 's',"
            " 'lpo', '2026-04-01', '2026-04-01', '2026-03-01 00:00:00', '2026-03-01 00:00:00')"
        )
    assert db.current_revision(engine) == "0001"
    upgraded = db.connect(url)
    assert db.current_revision(upgraded) == db.HEAD
    rows, total = lists.todo(upgraded, date(2026, 4, 1))
    assert ([(r.id, r.actor_name, r.due) for r in rows], total) == ([(1, "lpo", date(2026, 4, 1))], 1)
    assert lists.cases(upgraded, overdue_on=date(2026, 4, 2))[1] == 1
    upgraded.dispose()
    engine.dispose()


def test_the_lists_import_neither_alembic_nor_the_orm_nor_the_engine(local: Register) -> None:
    url = str(local.engine.url)  # the schema exists, as after the first command
    probe = (
        "import sys\nfrom kprocess.cli.entry import main\n"
        f"sys.argv = ['kprocess', 'case', 'todo', '--db', {url!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('alembic', 'sqlalchemy.orm', 'kprocess.engine', 'kprocess.pack')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.stdout.splitlines() == ["Inget väntar.", "[]"], done.stderr


# --- the commands -------------------------------------------------------------------------------


def test_todo_and_list_name_who_the_cases_wait_for(url: str) -> None:
    before = {k: v for k, v in FULL.items() if k != "behov_av_justeringar"}
    facts = [arg for k, v in before.items() for arg in ("--fact", f"{k}={v}")]
    assert cli(url, "case", "start", str(PACK), "--title", "Höft", "--date", "2026-03-02")[0] == 0
    assert cli(url, "case", "start", str(PACK), "--title", "Hjärta", "--date", "2025-03-01", *facts)[0] == 0
    assert cli(url, "case", "start", str(BLEKINGE), "--title", "Remiss", "--date", "2026-03-01")[0] == 0
    assert cli(url, "case", "todo", "--date", "2026-03-20")[1].splitlines() == [
        "Huvudmännen (huvudmannen): 1",
        "      2  Hjärta [vasternorrland] · väntar · i s33 · senast 2026-03-01 FÖRSENAT",
        "LPO (lpo): 1",
        "      1  Höft [vasternorrland] · väntar · i s4",
        "NPO (npo): 1",
        "      3  Remiss [blekinge] · väntar · i p1_kunskapsstod_pa_remiss · senast 2026-04-15",
    ]
    assert cli(url, "case", "list", "--overdue", "--date", "2026-03-20")[1].splitlines() == [
        "    2  Hjärta [vasternorrland] · väntar · Huvudmännen i s33 · senast 2026-03-01 FÖRSENAT",
    ]
    code, out, _ = cli(url, "case", "list", "--limit", "1", "--format", "json", "--date", "2026-03-20")
    listed = json.loads(out)
    assert (code, listed["total"], listed["cases"][0]["waiting_for"], listed["cases"][0]["waiting_for_name"]) == (
        0,
        3,
        "lpo",
        "LPO",
    )


def test_show_and_answer_move_a_case_on_when_the_date_has_passed(url: str) -> None:
    cli(url, "case", "start", str(BLEKINGE), "--title", "Remiss", "--date", "2026-03-01")
    before = cli(url, "case", "show", "1", "--date", "2026-04-14")[1]
    assert (
        "  NPO: steg p1_kunskapsstod_pa_remiss «Kunskapsstöd tas fram nationellt och skickas ut på remiss» "
        "sker 2026-04-15 · väntar på datumet sedan 2026-03-01"
    ) in before.splitlines()
    after = json.loads(cli(url, "case", "show", "1", "--date", "2026-04-15", "--format", "json")[1])
    assert [(w["step"], w["actor"]) for w in after["waiting"]] == [("p2_inom_overenskommelsen", "samordnare_ks")]
    early = cli(url, "case", "answer", "1", "--date", "2026-04-14")
    assert early == (
        1,
        "",
        "kprocess: ärende 1 väntar till 2026-04-15 (steg p1_kunskapsstod_pa_remiss); det datumet har inte "
        "passerat (ange dagens datum med --date)\n",
    )
    assert cli(url, "case", "answer", "1", "--date", "2026-04-16")[0] == 0
    history = json.loads(cli(url, "case", "history", "1", "--format", "json")[1])
    assert [(e["kind"], e["date"], e["by"]) for e in history["events"]] == [
        ("started", "2026-03-01", "Bo"),
        ("passed", "2026-04-16", "Bo"),
    ]
    rows = json.loads(cli(url, "case", "list", "--format", "json")[1])["cases"]
    assert [(r["status"], r["waiting_for"], r["waiting_since"]) for r in rows] == [
        ("waiting", "samordnare_ks", "2026-04-15")
    ]


def test_replay_reports_a_case_that_would_take_another_path(url: str, tmp_path: Path) -> None:
    folder = tmp_path / "regions"
    folder.mkdir()
    copy = folder / "vasternorrland.yaml"
    shutil.copy(PACK, copy)
    cli(url, "case", "start", str(copy), "--title", "Berör kommunerna", "--fact", "beror_kommunerna=ja")
    cli(url, "case", "start", str(copy), "--title", "Ny", "--date", "2026-03-02")
    assert cli(url, "test", "--replay", url, str(folder))[:2] == (
        0,
        "ok             1  Berör kommunerna: samma väg\n"
        "ok             2  Ny: samma väg\n"
        "2 ärenden uppspelade, 0 skulle påverkas av ändringen\n",
    )
    text = copy.read_text(encoding="utf-8")
    old = "      - when: beror_kommunerna\n        to: s4_kfvn"
    copy.write_text(text.replace(old, "      - when: not beror_kommunerna\n        to: s4_kfvn"), encoding="utf-8")
    assert cli(url, "test", "--replay", url, str(folder))[:2] == (
        1,
        "ANNAN VÄG      1  Berör kommunerna: efter 4 steg gick ärendet till `s4_kfvn` men skulle nu gå till "
        "`s4_regionintern`\n"
        "ok             2  Ny: samma väg\n"
        "2 ärenden uppspelade, 1 skulle påverkas av ändringen\n",
    )


def test_the_csv_export_has_one_row_per_event(register: Register, url: str) -> None:
    case_id = register.start(PACK, "Höft, fraktur", {}, who(day=date(2026, 3, 2))).case_id
    answer(register, case_id, {"beror_kommunerna": "ja"}, name="Lena Sjöberg, LPO", day=date(2026, 3, 9))
    register.append(case_id, "parked", {"reason": 'Väntar på "underlag"'}, who(day=date(2026, 3, 10)))
    events = register.load(case_id).events
    revision = register.load(case_id).revision.content_hash
    code, out, _ = cli(url, "case", "export", str(case_id), "--format", "csv")
    stamps = [e.recorded_at.isoformat() for e in events]
    assert (code, out.splitlines()) == (
        0,
        [
            "case,title,pack,seq,kind,date,recorded_at,by,mandate,revision,data",
            f'1,"Höft, fraktur",vasternorrland,1,started,2026-03-02,{stamps[0]},Anna Berg,,{revision},'
            '"{""answers"": {}, ""title"": ""Höft, fraktur""}"',
            f'1,"Höft, fraktur",vasternorrland,2,answered,2026-03-09,{stamps[1]},"Lena Sjöberg, LPO",'
            f'"s4: LPO (beslut, 002 steg 4; Remissprocess, beredning och beslut)",{revision},'
            '"{""answers"": {""beror_kommunerna"": [""ja""]}, ""decisions"": [{""step"": ""s4"", ""party"": null, '
            '""question"": ""beror_kommunerna"", ""answer"": ""ja"", ""by"": ""LPO"", ""weight"": ""beslut"", '
            '""mandate"": null, ""source"": ""002 steg 4; Remissprocess, beredning och beslut""}]}"',
            f'1,"Höft, fraktur",vasternorrland,3,parked,2026-03-10,{stamps[2]},Anna Berg,,{revision},'
            '"{""reason"": ""Väntar på \\""underlag\\""""}"',
        ],
    )


def test_a_moved_remiss_period_moves_a_case_that_waits_for_it(local: Register, tmp_path: Path) -> None:
    from kprocess.register.compat import compare
    from kprocess.register.revisions import pack_from_text, read_pack_text
    from kprocess.register.store import views

    case_id = local.start(BLEKINGE, "Remiss", {}, who(day=date(2026, 3, 1))).case_id
    loaded = local.load(case_id)
    copy = tmp_path / "blekinge.yaml"
    text = BLEKINGE.read_text(encoding="utf-8")
    copy.write_text(text.replace('dates: ["02-15", "04-15", "09-15", "11-15"]', 'dates: ["02-15", "09-15"]'))
    new = pack_from_text(read_pack_text(copy).text, str(copy))
    verdict = compare(loaded.pack, new, None, loaded.case.start, views(loaded.events))
    assert (verdict.kind, verdict.reason) == (
        "moved",
        "förut: väntar till 2026-04-15 i `p1_kunskapsstod_pa_remiss`; "
        "i den nya versionen: väntar till 2026-09-15 i `p1_kunskapsstod_pa_remiss`",
    )
