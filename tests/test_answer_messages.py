"""Answers of the wrong shape for a choice question, and answers written back as a reader writes them."""

from __future__ import annotations

import pytest

from kprocess.answers import AnswerError, Answers, answer_text, parse_value
from kprocess.pack import RulePack


@pytest.mark.parametrize(
    ("raw", "shape"), [(None, "en tom rad"), (["a"], "en lista"), ({"a": 1}, "en samling nycklar")]
)
def test_a_choice_answered_with_the_wrong_shape_lists_the_options(minimal: RulePack, raw: object, shape: str) -> None:
    question = minimal.questions["programomrade"]
    with pytest.raises(AnswerError) as refused:
        parse_value(question, raw)
    options = ", ".join(o.id for o in question.options)
    assert str(refused.value) == f"`programomrade` besvaras med ett av alternativen {options}, inte med {shape}"


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "ja"), (False, "nej"), (12.0, "12"), (-3.0, "-3"), (2.5, "2.5"), ("tandvard", "tandvard")],
)
def test_answers_are_written_back_as_a_reader_writes_them(value: object, text: str) -> None:
    assert answer_text(value) == text  # type: ignore[arg-type]


def test_an_answer_given_twice_is_refused_even_when_remembered(minimal: RulePack) -> None:
    answers = Answers(minimal.questions, ["Alfa", "Beta"], memo={})
    first = answers.set("beror_kommunerna", "ja", once=frozenset())
    with pytest.raises(AnswerError) as refused:
        answers.set(
            "beror_kommunerna", "ja", once=frozenset({first})
        )  # the same key and answer: parsed once, remembered
    assert str(refused.value) == (
        "`beror_kommunerna` är angiven mer än en gång; "
        "ge frågan ett svar, eller flera i ordning med komma: `fraga=ja,nej`"
    )
    assert answers.given == {("beror_kommunerna", None): [True]}
