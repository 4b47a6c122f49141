"""Answers given as a plain dict are parsed once per pack (`Answers.memo`): runs and errors stay the same."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kprocess.answers import AnswerError, Answers, memo_key
from kprocess.engine import CaseResult, RunError, run_case
from kprocess.enums import FanOut
from kprocess.pack import RulePack
from tests.test_batch import ALL_PACKS, answers_strategy, pack_at


def fresh(pack: RulePack, answers: dict[str, Any], flow: str) -> CaseResult | str:
    """The run with answers parsed without a memo (or the error it gave)."""
    parsed = Answers(pack.questions, pack.parties(FanOut.parties))
    try:
        for key, value in answers.items():
            parsed.set(key, value)
        return run_case(pack, parsed, flow=flow)
    except (AnswerError, RunError) as error:
        return f"{type(error).__name__}: {error}"


def memoised(pack: RulePack, answers: dict[str, Any], flow: str) -> CaseResult | str:
    """The run from the plain dict, parsed through the pack's memo (or the error it gave)."""
    try:
        return run_case(pack, answers, flow=flow)
    except (AnswerError, RunError) as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("pack_path", ALL_PACKS, ids=lambda p: p.stem)
def test_runs_are_the_same_with_the_memo(pack_path: Any) -> None:
    pack = pack_at(pack_path)
    wrong = st.fixed_dictionaries({"okand_fraga": st.just("ja")}) | st.just({})

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers_strategy(pack), wrong, st.sampled_from([f.id for f in pack.model.flows]))
    def check(answers: dict[str, Any], extra: dict[str, Any], flow: str) -> None:
        case = {**answers, **extra}
        first = memoised(pack, case, flow)
        assert first == fresh(pack, case, flow)
        assert memoised(pack, case, flow) == first  # a second time: every answer from the memo

    check()


def test_answers_that_compare_equal_are_told_apart() -> None:
    keys = {memo_key("q", v) for v in (True, 1, 1.0, "1", 0.0, -0.0, None, [1], [True])}
    assert len(keys) == 9
    assert memo_key("q", {"a": 1}) is None
    assert memo_key("q", [[1]]) is None
