"""Batch mode: the compiled router gives exactly the runs the transitions machine gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kprocess.engine import CaseResult, RunError, run_case
from kprocess.engine.batch import compiled_router, run_batch
from kprocess.enums import FanOut, QuestionType
from kprocess.golden import answers_for, case_files, load_case
from kprocess.pack import RulePack, load_pack
from tests.conftest import CONSTRUCTS, MINIMAL, PACKS, ROOT

ALL_PACKS = [*PACKS, MINIMAL, CONSTRUCTS, ROOT / "tests" / "data" / "timed.yaml"]
_loaded: dict[Path, RulePack] = {}


def pack_at(path: Path) -> RulePack:
    if path not in _loaded:
        _loaded[path] = load_pack(path)
    return _loaded[path]


def both(pack: RulePack, answers: Any, **options: Any) -> tuple[CaseResult | str, CaseResult | str]:
    """The run through the machine and through the compiled router (or the error each gave)."""
    outcomes: list[CaseResult | str] = []
    for router in (None, compiled_router(pack)):
        try:
            outcomes.append(run_case(pack, answers, router=router, **options))
        except RunError as error:
            outcomes.append(f"{type(error).__name__}: {error}")
    return outcomes[0], outcomes[1]


GOLDEN = [(pack, case) for pack in PACKS for case in case_files(pack, pack.stem)]


@pytest.mark.parametrize(("pack_path", "case_path"), GOLDEN, ids=lambda p: p.stem)
def test_golden_cases_run_identically(pack_path: Path, case_path: Path) -> None:
    pack = pack_at(pack_path)
    case = load_case(case_path)
    machine, compiled = both(pack, answers_for(pack, case), flow=case.flow, start=case.start)
    assert machine == compiled


def answers_strategy(pack: RulePack) -> st.SearchStrategy[dict[str, Any]]:
    """Random answers for every question of the pack, with loops and per-party differences."""
    parties = pack.parties(FanOut.parties)
    pieces: dict[str, st.SearchStrategy[Any]] = {}
    for question in pack.questions.values():
        if question.derived is not None:
            continue
        if question.type is QuestionType.yesno:
            value: st.SearchStrategy[Any] = st.sampled_from(["ja", "nej"])
        elif question.type is QuestionType.choice:
            value = st.sampled_from([o.id for o in question.options])
        else:
            value = st.integers(min_value=0, max_value=36)
        pieces[question.id] = st.lists(value, min_size=1, max_size=3)
        if question.per_party:
            pieces[f"{question.id}[{parties[-1]}]"] = value
    return st.fixed_dictionaries(pieces)


@pytest.mark.parametrize("pack_path", ALL_PACKS, ids=lambda p: p.stem)
def test_generated_cases_run_identically(pack_path: Path) -> None:
    pack = pack_at(pack_path)

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers_strategy(pack), st.sampled_from([f.id for f in pack.model.flows]))
    def check(answers: dict[str, Any], flow: str) -> None:
        machine, compiled = both(pack, answers, flow=flow)
        assert machine == compiled

    check()


def test_run_batch_streams_results_and_errors(minimal: RulePack) -> None:
    cases = [{"id": "x", "answers": {"beror_kommunerna": "nej"}}, {"answers": {"beror_kommunerna": "kanske"}}]
    first, second = run_batch(minimal, cases)
    assert first == {
        "id": "x",
        "status": "handed_over",
        "path": ["remiss", "regionrutin"],
        "decisions": [["remiss", None, False, "lpo"]],
    }
    assert second["id"] == 2 and "ja eller nej" in second["error"]


def test_batch_command_writes_one_json_line_per_case(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    lines = [json.dumps({"answers": {"beror_kommunerna": "nej"}})] * 50
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kprocess", "simulate", str(MINIMAL), "--batch", str(cases)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == 50 and {r["status"] for r in results} == {"handed_over"}
