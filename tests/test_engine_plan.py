"""What a run keeps per pack (the plan) never leaks between cases or into the caller's answers."""

from __future__ import annotations

from dataclasses import astuple

from kprocess.answers import Answers, Origin
from kprocess.engine import Fact, run_case
from kprocess.enums import FanOut
from kprocess.pack import RulePack


def test_facts_are_plain_facts(minimal: RulePack) -> None:
    result = run_case(minimal, {"beror_kommunerna": "nej"})
    expected = Fact("beror_kommunerna", minimal.questions["beror_kommunerna"].text, None, (False,), Origin.given)
    assert result.facts == [expected]
    assert hash(result.facts[0]) == hash(expected) and astuple(result.facts[0]) == astuple(expected)


def test_defaults_and_asked_answers_stay_in_their_run(minimal: RulePack) -> None:
    answers = Answers(minimal.questions, minimal.parties(FanOut.parties))
    answers.set("beror_kommunerna", "ja")
    before = {key: list(values) for key, values in answers.given.items()}
    asked = run_case(minimal, answers, ask=lambda question, party: False)
    assert {key: list(values) for key, values in answers.given.items()} == before
    again = run_case(minimal, {"beror_kommunerna": "ja"}, ask=lambda question, party: False)
    assert again == asked
    assert [(f.question, f.party, f.answers, f.origin) for f in asked.facts] == [
        ("beror_kommunerna", None, (True,), Origin.given),
        ("komplettera", None, (False,), Origin.defaulted),
        ("ryms_i_budget", None, (False,), Origin.asked),
        ("kommun_beslut", "Alfa", (True,), Origin.defaulted),
        ("kommun_beslut", "Beta", (True,), Origin.defaulted),
    ]
