"""`kprocess case start|answer|show|history` and `kprocess test --replay` in English (Swedish unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_i18n import VN, cli

pytest.importorskip("sqlalchemy")

S4 = (
    "  LPO: Does the knowledge support concern the municipalities? (`beror_kommunerna`) in step s4 "
    "«The LPO judges whether the case concerns the municipalities or only the region» · waiting since 2026-03-02 "
    "· due – (no time limit in the pack)"
)


def started(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    done = cli(
        "--lang", "en", "case", "start", VN, "--title", "Höft", "--date", "2026-03-02", "--db", url, KPROCESS_USER="Bo"
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (f"Case 1 started.\n{S4}\nAnswer: kprocess case answer 1 beror_kommunerna=ja|nej --by NAME\n")
    return url


def test_case_start_answer_and_show_in_english(tmp_path: Path) -> None:
    url = started(tmp_path)
    wrong = cli("--lang", "en", "case", "answer", "1", "beror_kommunerna=kanske", "--db", url, KPROCESS_USER="Bo")
    assert (wrong.returncode, wrong.stderr) == (
        2,
        "kprocess: `beror_kommunerna` takes ja or nej (yes or no), not `kanske`\n",
    )
    follow = cli("--lang", "en", "case", "answer", "1", "--follow-up", "--db", url, KPROCESS_USER="Bo")
    assert (follow.returncode, follow.stderr) == (
        1,
        "kprocess: case 1 is not in continuous follow-up (status: waiting)\n",
    )
    nobody = cli("--lang", "en", "case", "answer", "1", "beror_kommunerna=ja", "--db", url, KPROCESS_USER="")
    assert (nobody.returncode, nobody.stderr.splitlines()[-1]) == (
        2,
        "kprocess: say who makes the change with `--by NAME` (or KPROCESS_USER)",
    )
    missing = cli("--lang", "en", "case", "show", "7", "--db", url)
    assert missing.stderr == "kprocess: case 7 is not in the register; `kprocess case list` shows the cases\n"
    shown = cli("--lang", "en", "case", "show", "1", "--date", "2026-03-02", "--db", url, COLUMNS="300")
    lines = shown.stdout.splitlines()
    assert lines[0] == "Case 1: Höft"
    assert lines[1].startswith("Pack: Collaboration routine for knowledge support")
    assert lines[2] == "Start 2026-03-02 · version 1 · status: waiting"
    assert lines[3:6] == [
        "",
        "So far",
        "   1 2026-03-02  National knowledge support for consultation arrives at RVN from SKR — RVN",
    ]
    assert lines[-3:] == ["Next", S4, "Answer: kprocess case answer 1 beror_kommunerna=ja|nej --by NAME"]


def test_case_messages_in_swedish_are_unchanged(tmp_path: Path) -> None:
    url = started(tmp_path)
    shown = cli("--lang", "sv", "case", "show", "1", "--date", "2026-03-02", "--db", url, COLUMNS="300")
    lines = shown.stdout.splitlines()
    assert (lines[0], lines[2], lines[4]) == (
        "Ärende 1: Höft",
        "Start 2026-03-02 · version 1 · status: väntar",
        "Hittills",
    )
    assert lines[-1] == "Svara: kprocess case answer 1 beror_kommunerna=ja|nej --by NAMN"
    history = cli("--lang", "sv", "case", "history", "1", "--db", url)
    assert history.stdout.splitlines()[:2] == ["Ärende 1: Höft", "   1  2026-03-02  startat  av Bo"]


def test_history_and_replay_in_english(tmp_path: Path) -> None:
    url = started(tmp_path)
    history = cli("--lang", "en", "case", "history", "1", "--db", url)
    lines = history.stdout.splitlines()
    assert lines[:2] == ["Case 1: Höft", "   1  2026-03-02  started  by Bo"]
    assert lines[2].startswith("        recorded ") and lines[2].endswith(" UTC · pack version " + lines[2][-12:])
    replay = cli("--lang", "en", "test", "--replay", str(tmp_path / "register.db"), VN)
    assert (replay.returncode, replay.stdout) == (
        0,
        "ok             1  Höft: same path\n1 case replayed, 0 would be affected by the change\n",
    )
    swedish = cli("--lang", "sv", "test", "--replay", str(tmp_path / "register.db"), VN)
    assert swedish.stdout == "ok             1  Höft: samma väg\n1 ärenden uppspelade, 0 skulle påverkas av ändringen\n"
    gone = cli("--lang", "en", "test", "--replay", str(tmp_path / "none.json"), VN)
    assert (gone.returncode, gone.stderr.splitlines()[-1]) == (2, f"kprocess: {tmp_path / 'none.json'} does not exist")


def test_a_verdict_is_recorded_in_swedish_and_shown_in_english() -> None:
    from datetime import date

    from kprocess import i18n
    from kprocess.pack import load_pack
    from kprocess.register.compat import Verdict, compare
    from tests.conftest import ROOT

    pack = load_pack(ROOT / VN)
    i18n.set_language("en")
    try:
        verdict = compare(pack, pack, "saknas", date(2026, 3, 2), [])
    finally:
        i18n.set_language("sv")
    assert verdict == Verdict(
        "stranded",
        "flödet `saknas` finns inte i den nya versionen",
        "the flow `saknas` does not exist in the new version",
    )


def test_case_help_in_english_and_swedish() -> None:
    english = cli("--lang", "en", "case", "answer", "--help").stdout
    assert "Record answers and decisions; the case moves on as far as the answers and the date allow." in english
    assert "Without answers: record that a date the case waits for (e.g. a consultation period) has" in english
    assert "QUESTION=ANSWER..." in english
    assert "The register: an SQLite file or a database URL" in english
    assert "Registrera" not in english
    assert "ÅÅÅÅ-MM-DD" not in english
    swedish = cli("--lang", "sv", "case", "answer", "--help").stdout
    assert "Registrera svar och beslut; ärendet går vidare så långt svaren och datumet räcker." in swedish
    assert "FRÅGA=SVAR..." in swedish
