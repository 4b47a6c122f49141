"""Property tests: whatever the input, a clear answer and never an unexpected exception."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kprocess.answers import AnswerError, Answers
from kprocess.conditions import ConditionError, compile_condition
from kprocess.diagnostics import PackError
from kprocess.engine import RunError, run_case
from kprocess.engine.batch import read_jsonl, run_batch
from kprocess.enums import FanOut
from kprocess.pack import RulePack, analyse_document
from kprocess.yamlsource import parse_bytes
from tests.conftest import MINIMAL

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
WORDS = st.sampled_from(
    [
        "beror_kommunerna",
        "ryms_i_budget",
        "komplettera",
        "and",
        "or",
        "not",
        "(",
        ")",
        "==",
        "'ja'",
        "-1",
        "1e999",
        "True",
        "ｂｅｒｏｒ",
        "any(kommun_beslut)",
        ">",
        "in",
        "[",
        "]",
        ",",
    ]
)


@SETTINGS
@given(st.lists(WORDS, min_size=1, max_size=12).map(" ".join))
def test_any_condition_compiles_or_is_refused_with_a_code(minimal: RulePack, text: str) -> None:
    try:
        condition = compile_condition(text, minimal.catalog)
    except ConditionError as error:
        assert (error.code in {"KP204", "KP205", "KP206"}, 0 <= error.column <= len(text)) == (True, True)
    else:
        assert condition.questions <= set(minimal.catalog.questions)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["beror_kommunerna", "ryms_i_budget", "komplettera", "kommun_beslut[Alfa]"]),
        st.one_of(
            st.sampled_from(["ja", "nej", "ja,nej", "kanske", ""]),
            st.booleans(),
            st.floats(),
            st.lists(st.sampled_from(["ja", "nej"]), max_size=5),
            st.none(),
        ),
    )
)
def test_any_answers_end_park_stop_or_are_refused(minimal: RulePack, answers: dict[str, Any]) -> None:
    try:
        result = run_case(minimal, answers)
    except (AnswerError, RunError) as error:
        assert str(error) != ""
    else:
        assert result.status.value in {"completed", "stopped", "parked", "handed_over", "ongoing"}


def mutations(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    out = []
    for i, line in enumerate(lines):
        if ": " in line and not line.lstrip().startswith("#"):
            key, _, _ = line.partition(": ")
            out.append("".join([*lines[:i], *lines[i + 1 :]]))  # a key dropped
            out.append("".join([*lines[:i], f"{key}: [1, 2]\n", *lines[i + 1 :]]))  # a value retyped
            out.append("".join([*lines[:i], line.replace(": ", ": x", 1), *lines[i + 1 :]]))  # a reference renamed
    return out


MUTANTS = mutations(MINIMAL.read_text(encoding="utf-8"))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(MUTANTS))
def test_mutated_packs_give_positioned_diagnostics(text: str) -> None:
    try:
        document = parse_bytes(text.encode(), "p.yaml")
    except PackError as error:
        assert all(d.line >= 1 and d.column >= 1 for d in error.diagnostics)
        return
    pack, diagnostics = analyse_document(document)
    assert all(d.line >= 1 and d.column >= 1 for d in diagnostics)
    if pack is None:
        assert [d for d in diagnostics if d.severity.name == "error"] != []


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=40),
            st.builds(
                lambda v: json.dumps(v).encode(),
                st.recursive(
                    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                    lambda inner: st.one_of(
                        st.lists(inner, max_size=3),
                        st.dictionaries(st.sampled_from(["id", "answers", "start", "flow", "x"]), inner, max_size=3),
                    ),
                    max_leaves=8,
                ),
            ),
        ),
        max_size=6,
    )
)
def test_batch_lines_each_give_one_result(minimal: RulePack, lines: list[bytes]) -> None:
    stream = io.BytesIO(b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n")
    results = list(run_batch(minimal, read_jsonl(stream)))
    assert all(("error" in r) != ("status" in r) for r in results)
    assert all(not r.get("internal") for r in results)
    assert len(results) <= len(lines)


@SETTINGS
@given(st.text(max_size=30))
def test_any_fact_text_is_taken_or_refused(minimal: RulePack, fact: str) -> None:
    answers = Answers(minimal.questions, minimal.parties(FanOut.parties))
    key, _, value = fact.partition("=")
    try:
        answers.set(key, value)
    except AnswerError as error:
        assert len(str(error)) < 400
