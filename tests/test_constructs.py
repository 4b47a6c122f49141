"""The format's constructs beyond routes, run on tests/data/constructs.yaml.

Derived answers, joint actions and decisions, actors by condition, conditional branches,
sub-flows, resumable parks, continuous follow-up and validity warnings: each as a user sees it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kprocess.answers import AnswerError
from kprocess.diagnostics import PackError
from kprocess.engine import CaseResult, Position, asking_position, run_case
from kprocess.golden import run_golden
from kprocess.pack import RulePack, analyse_file, load_pack
from tests.conftest import CONSTRUCTS

BASE = {"programomrade": "primarvard", "beror_kommunerna": "nej", "ledning_beslut": "ja"}


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(CONSTRUCTS)


def run(pack: RulePack, start: date | None = None, **answers: Any) -> CaseResult:
    return run_case(pack, {**BASE, **answers}, start=start)


def entry(result: CaseResult, step: str) -> Any:
    return next(e for e in result.trace if e.step == step)


def test_a_derived_answer_routes_without_being_asked(pack: RulePack) -> None:
    outside = run(pack, programomrade="tandvard")
    assert (outside.status.value, outside.path()) == ("handed_over", ["omfattning", "till_radet"])
    assert run(pack).path()[:2] == ["omfattning", "prioritering"]
    assert "inom_omradet" not in {f.question for f in run(pack).facts}


def test_a_derived_answer_cannot_be_given(pack: RulePack) -> None:
    with pytest.raises(AnswerError, match="`inom_omradet` besvaras inte utan härleds ur andra svar"):
        run(pack, inom_omradet="ja")


def test_joint_action_and_joint_decision_name_every_actor(pack: RulePack) -> None:
    result = run(pack)
    assert [p.id for p in entry(result, "omfattning").jointly] == ["rss"]
    decision = entry(result, "ledning_beslutar").decision
    assert (decision.by.id, [p.id for p in decision.jointly]) == ("ledning", ["samordnare"])
    as_json = result.to_json()["trace"]
    assert as_json[0]["jointly_with"] == [{"id": "rss", "name": "RSS", "principal": "kommun"}]


def test_the_actor_follows_its_condition(pack: RulePack) -> None:
    assert entry(run(pack), "arbetsgrupp").actor.id == "lpo"
    taken_over = entry(run(pack, styrgrupp_tillsatt="ja"), "arbetsgrupp")
    assert (taken_over.actor.id, [p.id for p in taken_over.jointly]) == ("styrgrupp", ["samordnare"])


def test_a_per_party_entry_carries_the_partys_principal(pack: RulePack) -> None:
    result = run(pack, beror_kommunerna="ja", kommun_beslut="ja")
    entries = [e for e in result.trace if e.step == "kommun_beslutar"]
    assert [(e.party, e.actor.id, e.actor.principal) for e in entries] == [
        ("Alfa", "kommun", "kommun"),
        ("Beta", "kommun", "kommun"),
    ]


def test_only_the_branches_whose_condition_holds_start(pack: RulePack) -> None:
    assert run(pack).path()[3:7] == ["beslut", "ledning_beslutar", "besluten_samlas", "arlig_uppfoljning"]
    both = run(pack, beror_tandvarden="ja", tandvard_beslut="nej", beror_kommunerna="ja", kommun_beslut="nej")
    assert both.path()[4:9] == [
        "ledning_beslutar",
        "tandvard_beslutar",
        "kommun_beslutar",
        "kommunerna_klara",
        "besluten_samlas",
    ]


def test_the_join_reads_the_decisions_of_the_branches_that_ran(pack: RulePack) -> None:
    assert run(pack, ledning_beslut="nej").status.value == "stopped"
    dental_yes = run(pack, ledning_beslut="nej", beror_tandvarden="ja", tandvard_beslut="ja")
    assert dental_yes.status.value == "ongoing"
    one_municipality = run(
        pack, ledning_beslut="nej", beror_kommunerna="ja", kommun_beslut="nej", **{"kommun_beslut[Beta]": "ja"}
    )
    assert one_municipality.status.value == "ongoing"


def test_a_called_flow_runs_and_the_case_goes_on(pack: RulePack) -> None:
    result = run(pack, ny_lag="ja")
    assert result.path()[2:10] == [
        "arbetsgrupp",
        "starta_lag",
        "lag_utses",
        "kommunerna_nominerar",
        "nomineringar_samlas",
        "lag_klar",
        "beslut",
        "ledning_beslutar",
    ]
    assert entry(result, "lag_klar").end is None
    assert entry(result, "lag_utses").decision.weight == "bereder"
    assert result.status.value == "ongoing"


def test_a_parked_case_stays_parked_or_resumes_after_its_wait(pack: RulePack) -> None:
    parked = run(pack, lpo_har_resurser="nej")
    assert (parked.status.value, parked.path()) == ("parked", ["omfattning", "prioritering", "parkerad"])
    resumed = run(pack, date(2026, 3, 1), lpo_har_resurser="nej", lpo_tar_upp_igen="ja", vantan_manader=4)
    park, after = entry(resumed, "parkerad"), entry(resumed, "arbetsgrupp")
    assert (park.end, park.resumed, park.date, after.date) == (None, "arbetsgrupp", date(2026, 3, 1), date(2026, 7, 1))
    assert resumed.status.value == "ongoing"


def test_continuous_follow_up_stays_open_with_its_next_due_date(pack: RulePack) -> None:
    result = run(pack, date(2026, 3, 1))
    assert (result.status.value, result.trace[-1].date, result.next_due) == (
        "ongoing",
        date(2027, 3, 1),
        date(2028, 3, 1),
    )
    assert result.to_json()["next_due"] == "2028-03-01"
    assert run(pack).next_due is None


@pytest.mark.parametrize(
    ("start", "warnings"),
    [
        (date(2026, 3, 1), []),
        (date(2025, 12, 31), ["ärendet startar 2025-12-31 men överenskommelsen gäller först från 2026-01-01 (001 §9)"]),
        (date(2028, 1, 1), ["ärendet startar 2028-01-01 men överenskommelsen gällde till 2027-12-31 (001 §9)"]),
        (date(2027, 6, 1), ["ärendet pågår till 2028-06-01, efter att överenskommelsen löper ut 2027-12-31 (001 §9)"]),
    ],
)
def test_a_case_dated_outside_the_validity_is_warned_about(pack: RulePack, start: date, warnings: list[str]) -> None:
    result = run(pack, start)
    assert (result.warnings, result.to_json()["warnings"]) == (warnings, warnings)


def broken(tmp_path: Path, old: str, new: str) -> list[str]:
    """The diagnostics of the constructs pack with one text replaced."""
    text = CONSTRUCTS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pack.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, diagnostics = analyse_file(path)
    return [f"{d.line}:{d.code} {d.message}" for d in diagnostics if d.code != "KP313"]


def test_a_call_of_an_unknown_flow_is_reported(tmp_path: Path) -> None:
    assert broken(tmp_path, "call: ny_arbetsgrupp", "call: ny_grupp") == ["130:KP202 flödet `ny_grupp` finns inte"]


def test_ongoing_without_a_recurrence_is_reported(tmp_path: Path) -> None:
    (problem,) = broken(tmp_path, "    timing: {every: {years: 1}}\n    end: ongoing", "    end: ongoing")
    assert problem.endswith("`end: ongoing` behöver `timing: {every: …}` som ger nästa uppföljning")


def test_a_derived_question_must_be_yes_or_no(tmp_path: Path) -> None:
    (problem,) = broken(tmp_path, "    type: yesno\n    derived:", "    type: number\n    derived:")
    assert problem.endswith("bara ja/nej-frågor kan ha `derived:`")


def test_a_decision_cannot_answer_a_derived_question(tmp_path: Path) -> None:
    problems = broken(tmp_path, "question: ny_lag, weight: bereder", "question: inom_omradet, weight: bereder")
    assert "201:KP311 `inom_omradet` härleds ur andra svar (`derived:`) och kan inte beslutas" in problems


def test_resume_belongs_to_a_parked_step(tmp_path: Path) -> None:
    (problem,) = broken(tmp_path, "    end: parked\n    resume:", "    end: stopped\n    resume:")
    assert problem.endswith("`resume` hör till ett steg med `end: parked`")


def test_an_unusable_pack_is_refused_before_running(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(
        CONSTRUCTS.read_text(encoding="utf-8").replace("to: arbetsgrupp\n      wait", "to: arbetsgrup\n      wait")
    )
    with pytest.raises(PackError, match="steget `arbetsgrup` finns inte"):
        load_pack(path)


def golden(tmp_path: Path, expect: str) -> list[str]:
    """The failures of a golden case for the constructs pack with this `expect:` block."""
    case = tmp_path / "case.yaml"
    case.write_text(
        "name: Aktörer\nanswers: {programomrade: primarvard, beror_kommunerna: nej, ledning_beslut: ja}\n"
        f"expect:\n{expect}",
        encoding="utf-8",
    )
    return run_golden(load_pack(CONSTRUCTS), case).failures


def test_a_golden_case_checks_who_does_a_step_and_with_whom(tmp_path: Path) -> None:
    assert golden(tmp_path, "  actors: {arbetsgrupp: lpo}\n  jointly: {omfattning: [rss]}\n  warnings: []\n") == []
    assert golden(
        tmp_path, "  actors: {arbetsgrupp: styrgrupp, starta_lag: lpo}\n  jointly: {prioritering: [rss]}\n"
    ) == [
        "aktör i arbetsgrupp: väntade styrgrupp, fick lpo",
        "aktör i starta_lag: väntade lpo, fick (steget gjordes inte)",
        "tillsammans med i prioritering: väntade rss, fick (ingen)",
    ]


def test_a_golden_case_checks_the_warnings_of_a_dated_case(tmp_path: Path) -> None:
    warning = "ärendet startar 2025-12-31 men överenskommelsen gäller först från 2026-01-01 (001 §9)"
    case = tmp_path / "case.yaml"
    case.write_text(
        "name: Före giltigheten\nstart: 2025-12-31\n"
        "answers: {programomrade: primarvard, beror_kommunerna: nej, ledning_beslut: ja}\n"
        f"expect:\n  warnings: ['{warning}']\n",
        encoding="utf-8",
    )
    assert run_golden(load_pack(CONSTRUCTS), case).failures == []
    case.write_text(case.read_text(encoding="utf-8").replace("2025-12-31", "2026-01-02", 1), encoding="utf-8")
    assert run_golden(load_pack(CONSTRUCTS), case).failures == [f"varningar: väntade ['{warning}'], fick (inga)"]


def test_an_ask_callback_knows_which_step_needs_the_answer(pack: RulePack) -> None:
    asked: list[tuple[str, Any]] = []

    def ask(question: Any, party: str | None) -> Any:
        asked.append((question.id, asking_position()))
        return True

    run_case(pack, {"programomrade": "primarvard", "beror_kommunerna": "nej"}, start=date(2026, 3, 1), ask=ask)
    assert asked == [("ledning_beslut", Position("ledning_beslutar", date(2026, 3, 1)))]
    assert asking_position() is None
