"""`kprocess paths`: each listed path is what the engine does with the listed answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kprocess.engine import run_case
from kprocess.enums import FanOut, QuestionType
from kprocess.model import Question
from kprocess.pack import load_pack
from kprocess.paths import flow_paths
from tests.conftest import CONSTRUCTS, MINIMAL, PACKS, ROOT

ALL = [*PACKS, MINIMAL, CONSTRUCTS, ROOT / "tests" / "data" / "timed.yaml"]


def first_answer(question: Question, party: str | None) -> Any:
    """Answers for questions no route on the path reads (they cannot change the path)."""
    if question.type is QuestionType.yesno:
        return False
    if question.type is QuestionType.choice:
        return question.options[0].id
    return 12.0


def per_party_answers(example: dict[str, Any], parties: list[str]) -> dict[str, Any]:
    """Case answers for a path's example, turning `any(q)`/`all(q)` into the parties' own answers."""
    answers: dict[str, Any] = {}
    for name, value in example.items():
        if name.startswith(("any(", "all(")):
            continue
        answers[name] = "ja" if value is True else "nej" if value is False else value
    for name in {n[4:-1] for n in example if n.startswith(("any(", "all("))}:
        some, every = example.get(f"any({name})"), example.get(f"all({name})")
        answers[name] = "nej" if some is False or (every is False and some is None) else "ja"
        if every is False and some is True:
            answers[f"{name}[{parties[-1]}]"] = "nej"
    return answers


@pytest.mark.parametrize("pack_path", ALL, ids=lambda p: p.stem)
def test_listed_paths_are_what_the_engine_does(pack_path: Path) -> None:
    pack = load_pack(pack_path)
    for flow in pack.model.flows:
        report = flow_paths(pack, flow.id)
        assert report.paths and not report.truncated
        for path in report.paths:
            answers = per_party_answers(path.example, pack.parties(FanOut.parties))
            result = run_case(pack, answers, flow=flow.id, ask=first_answer)
            assert result.path() == list(path.steps)
            assert result.status.value == path.status


def test_paths_are_found_without_trying_every_combination(minimal: Any) -> None:
    report = flow_paths(minimal, "huvudflode")
    assert [p.status for p in report.paths] == ["completed", "handed_over"]
    assert report.loops[0].max_times == 3


def test_limit_bounds_the_listing(minimal: Any) -> None:
    report = flow_paths(minimal, "huvudflode", limit=1)
    assert len(report.paths) == 1 and report.truncated
