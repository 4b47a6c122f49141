"""Running cases: fan-out per party, parallel branches, loops, defaults, missing answers and dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kprocess.answers import AnswerError
from kprocess.engine import LoopLimitError, MissingAnswersError, Status, run_case
from kprocess.pack import RulePack, load_pack
from kprocess.timing import add_months, next_calendar_date
from tests.conftest import ROOT

BASE = {"beror_kommunerna": "ja", "ryms_i_budget": "ja"}


@pytest.fixture(scope="module")
def timed() -> RulePack:
    return load_pack(ROOT / "tests" / "data" / "timed.yaml")


def test_not_concerning_municipalities_is_handed_over(minimal: RulePack) -> None:
    result = run_case(minimal, {"beror_kommunerna": "nej"})
    assert result.status is Status.handed_over
    assert result.path() == ["remiss", "regionrutin"]


def test_each_municipality_decides_for_itself(minimal: RulePack) -> None:
    result = run_case(minimal, {**BASE, "kommun_beslut": "ja", "kommun_beslut[beta]": "nej"})
    decisions = {e.party: e.decision.answer for e in result.trace if e.step == "kommunbeslut" and e.decision}
    assert decisions == {"Alfa": True, "Beta": False}
    assert result.path() == ["remiss", "analys", "region_beslut", "kommunbeslut", "samordning", "klart"]


def test_mandate_follows_the_budget_answer(minimal: RulePack) -> None:
    within = run_case(minimal, {**BASE, "ryms_i_budget": "ja"})
    outside = run_case(minimal, {**BASE, "ryms_i_budget": "nej"})
    [d1] = [e.decision for e in within.trace if e.step == "region_beslut"]
    [d2] = [e.decision for e in outside.trace if e.step == "region_beslut"]
    assert d1 is not None and d1.by.id == "vc" and d1.mandate == "när ryms_i_budget"
    assert d2 is not None and d2.by.id == "ledning" and d2.mandate == "i övriga fall"


def test_loop_consumes_successive_answers(minimal: RulePack) -> None:
    result = run_case(minimal, {**BASE, "komplettera": ["ja", "ja", "nej"]})
    assert [e.decision.answer for e in result.trace if e.step == "analys" and e.decision] == [True, True, False]


def test_endless_loop_stops_with_a_clear_error(minimal: RulePack) -> None:
    with pytest.raises(LoopLimitError, match="max_times: 3"):
        run_case(minimal, {**BASE, "komplettera": "ja"})


def test_defaults_are_used_and_reported(minimal: RulePack) -> None:
    result = run_case(minimal, BASE)
    origins = {(f.question, f.party): f.origin.value for f in result.facts}
    assert origins[("komplettera", None)] == "defaulted"
    assert origins[("beror_kommunerna", None)] == "given"


def test_every_missing_answer_is_named(minimal: RulePack) -> None:
    with pytest.raises(MissingAnswersError) as caught:
        run_case(minimal, {"beror_kommunerna": "ja"})
    assert caught.value.missing == [("ryms_i_budget", None)]


def test_interactive_answers_are_asked_once(minimal: RulePack) -> None:
    asked: list[str] = []

    def ask(question: object, party: str | None) -> bool:
        asked.append(question.id)
        return True

    result = run_case(minimal, {"komplettera": "nej"}, ask=ask)
    assert asked == ["beror_kommunerna", "ryms_i_budget"]
    assert {f.origin.value for f in result.facts if f.question in asked} == {"asked"}


@pytest.mark.parametrize(
    ("key", "value", "explanation"),
    [
        ("beror_kommunerna", "kanske", "`beror_kommunerna` besvaras med ja eller nej, inte `kanske`"),
        ("okand", "ja", "okänd fråga `okand`; `kprocess facts PAKET` listar frågorna"),
        ("kommun_beslut[Gamma]", "ja", "`Gamma` är ingen part i paketet; parterna är: Region Test, Alfa, Beta"),
    ],
)
def test_bad_answers_are_explained(minimal: RulePack, key: str, value: str, explanation: str) -> None:
    with pytest.raises(AnswerError) as caught:
        run_case(minimal, {key: value})
    assert str(caught.value) == explanation


def test_parallel_branches_join_before_going_on(timed: RulePack) -> None:
    result = run_case(timed, {"rapport_manader": 6}, start=date(2026, 5, 2))
    assert [(e.step, e.branch) for e in result.trace[:4]] == [
        ("remiss", None),
        ("lpo_svar", "lpo_svar"),
        ("kommun_svar", "kommun_svar"),
        ("sammanstall", None),
    ]
    assert result.path() == ["remiss", "lpo_svar", "kommun_svar", "sammanstall", "slutrapport", "uppfoljning"]


def test_time_rules_give_dates(timed: RulePack) -> None:
    result = run_case(timed, {"rapport_manader": 6}, start=date(2026, 5, 2))
    dates = {e.step: e.date for e in result.trace}
    assert dates["remiss"] == date(2026, 9, 15)  # next remiss period after 2 May
    assert dates["slutrapport"] == date(2027, 3, 15)  # six months later
    assert dates["uppfoljning"] == date(2028, 3, 15)  # a year after that


def test_calendar_helpers() -> None:
    assert next_calendar_date(date(2026, 11, 16), ["02-15", "11-15"]) == date(2027, 2, 15)
    assert next_calendar_date(date(2026, 2, 15), ["02-15"]) == date(2026, 2, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_one_machine_serves_many_cases(minimal: RulePack) -> None:
    from kprocess.engine.run import machine_for

    first = machine_for(minimal)
    for answer in ("ja", "nej"):
        run_case(minimal, {**BASE, "ryms_i_budget": answer})
    assert machine_for(minimal) is first


NESTED = """
schema_version: 1
id: nested
county: Testlän
name: Uppdelning per kommun inne i en parallell gren
parties: {region: Region Test, municipalities: [Alfa, Beta]}
sources: [{id: "N", title: Test}]
phases: [{id: p, name: Fas}]
actors: [{id: a, name: Aktör, principal: gemensam}, {id: k, name: Kommunen, principal: kommun}]
flows: [{id: f, name: Flöde, start: delning}]
steps:
  - {id: delning, name: Delning, phase: p, actor: a, source: N 1, parallel: [region, kommun]}
  - {id: region, name: Regionen, phase: p, actor: a, source: N 2, next: mote}
  - {id: kommun, name: Kommunerna, phase: p, actor: k, source: N 3, for_each: municipalities, next: kommun_klar}
  - {id: kommun_klar, name: Kommunerna klara, phase: p, actor: a, source: N 4, join: kommun, next: mote}
  - {id: mote, name: Spåren möts, phase: p, actor: a, source: N 5, join: delning, next: slut}
  - {id: slut, name: Slut, phase: p, actor: a, source: N 6, end: completed}
"""


def test_fan_out_inside_a_parallel_branch_joins_both_levels(tmp_path: Path) -> None:
    path = tmp_path / "nested.yaml"
    path.write_text(NESTED, encoding="utf-8")
    result = run_case(load_pack(path), {})
    assert [(e.step, e.party, e.branch) for e in result.trace] == [
        ("delning", None, None),
        ("region", None, "region"),
        ("kommun", "Alfa", "kommun"),
        ("kommun", "Beta", "kommun"),
        ("kommun_klar", None, "kommun"),
        ("mote", None, None),
        ("slut", None, None),
    ]


def test_a_run_does_not_change_the_answers_it_was_given(minimal: RulePack) -> None:
    from kprocess.answers import Answers
    from kprocess.enums import FanOut

    answers = Answers(minimal.questions, minimal.parties(FanOut.parties))
    answers.set("beror_kommunerna", "ja")
    answers.set("ryms_i_budget", "ja")
    before = dict(answers.given)
    first = run_case(minimal, answers)
    assert answers.given == before
    assert run_case(minimal, answers) == first


AGGREGATE = (
    NESTED.replace("id: nested", "id: aggregat")
    .replace(
        "  - {id: mote, name: Spåren möts, phase: p, actor: a, source: N 5, join: delning, next: slut}\n"
        "  - {id: slut, name: Slut, phase: p, actor: a, source: N 6, end: completed}\n",
        "  - id: mote\n    name: Spåren möts\n    phase: p\n    actor: a\n    source: N 5\n    join: delning\n"
        "    routes:\n      - {when: all(infor), to: alla}\n      - {when: any(infor) and not all(infor), to: vissa}\n"
        "      - {otherwise: ingen}\n"
        "  - {id: alla, name: Alla inför, phase: p, actor: a, source: N 6, end: completed}\n"
        "  - {id: vissa, name: Några inför, phase: p, actor: a, source: N 7, end: completed}\n"
        "  - {id: ingen, name: Ingen inför, phase: p, actor: a, source: N 8, end: stopped}\n",
    )
    .replace(
        "for_each: municipalities, next: kommun_klar}",
        "for_each: municipalities, decision: {question: infor, by: k}, next: kommun_klar}",
    )
    .replace(
        "flows: [{id: f, name: Flöde, start: delning}]",
        "questions: [{id: infor, text: 'Inför kommunen?', type: yesno, per_party: true}]\n"
        "flows: [{id: f, name: Flöde, start: delning}]",
    )
)


@pytest.mark.parametrize(
    ("answers", "end"),
    [({"infor": "ja"}, "alla"), ({"infor": "ja", "infor[Beta]": "nej"}, "vissa"), ({"infor": "nej"}, "ingen")],
)
def test_routes_can_read_every_partys_answer_after_a_join(tmp_path: Path, answers: dict[str, str], end: str) -> None:
    path = tmp_path / "aggregat.yaml"
    path.write_text(AGGREGATE, encoding="utf-8")
    assert run_case(load_pack(path), answers).path()[-1] == end
