"""Runs that stop: an unknown flow, a decision nobody holds the mandate for, a loop over a join."""

from __future__ import annotations

from pathlib import Path

import pytest

from kprocess.engine import LoopLimitError, MissingAnswersError, RunError, Status, run_case
from kprocess.pack import RulePack, load_pack
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "engine"
ALL_HOLD = {**{f"villkor_{i:02d}": "ja" for i in range(1, 16)}, "godkann": "ja"}


@pytest.fixture(scope="module")
def wide() -> RulePack:
    return load_pack(DATA / "wide_mandate.yaml")


@pytest.fixture(scope="module")
def looping() -> RulePack:
    return load_pack(DATA / "loop_over_join.yaml")


def test_an_unknown_flow_is_named_with_the_flows_there_are(wide: RulePack) -> None:
    with pytest.raises(RunError) as refused:
        run_case(wide, ALL_HOLD, flow="x")
    assert str(refused.value) == "flödet `x` finns inte; paketets flöden: huvudflode, uppfoljning"
    assert refused.value.partial is None


def test_a_named_flow_starts_at_its_own_step(wide: RulePack) -> None:
    assert run_case(wide, ALL_HOLD, flow="uppfoljning").path() == ["klart"]
    assert run_case(wide, ALL_HOLD).path() == ["beslut", "klart"]


def test_the_mandate_rule_that_holds_names_the_decider(wide: RulePack) -> None:
    [decision] = [e.decision for e in run_case(wide, ALL_HOLD).trace if e.decision]
    every = " and ".join(f"villkor_{i:02d}" for i in range(1, 16))
    assert (decision.by.id, decision.answer, decision.mandate) == ("lpo", True, f"när {every}")


def test_a_decision_nobody_holds_the_mandate_for_stops_the_case(wide: RulePack) -> None:
    with pytest.raises(RunError) as stopped:
        run_case(wide, {**ALL_HOLD, "villkor_15": "nej"})
    message = "ingen har mandat för beslutet i `beslut`; kontrollera paketet med `kprocess validate`"
    assert str(stopped.value) == message
    partial = stopped.value.partial
    assert partial is not None and partial.error is not None
    assert (partial.status, partial.error.kind, partial.error.message, partial.trace) == (
        Status.failed,
        "run_error",
        message,
        [],
    )


def test_a_loop_over_a_join_keeps_counting_after_the_join(looping: RulePack) -> None:
    with pytest.raises(LoopLimitError) as stopped:
        run_case(looping, {"kommun_beslut": "ja", "igen": "ja"})
    assert str(stopped.value) == (
        "vägen från `samordning` till `kommunbeslut` har tagits fler än 2 gånger (max_times: 2); "
        "svaren leder aldrig ut ur slingan. Ge t.ex. `igen=ja,nej` så att slingan tar slut."
    )
    partial = stopped.value.partial
    assert partial is not None and partial.error is not None
    assert partial.error.kind == "loop_limit"
    assert [(e.step, e.party) for e in partial.trace] == [
        ("start", None),
        *[("kommunbeslut", "Alfa"), ("kommunbeslut", "Beta"), ("samordning", None)] * 2,
        ("kommunbeslut", "Alfa"),
        ("kommunbeslut", "Beta"),
    ]


def test_a_loop_over_a_join_leaves_when_the_answer_changes(looping: RulePack) -> None:
    result = run_case(looping, {"kommun_beslut": "ja", "igen": ["ja", "ja", "nej"]})
    assert (result.status, result.path()) == (
        Status.completed,
        ["start", *["kommunbeslut", "samordning"] * 3, "klart"],
    )
    assert [e.decision.answer for e in result.trace if e.step == "samordning" and e.decision] == [True, True, False]


def test_the_facts_say_where_each_answer_came_from(minimal: RulePack) -> None:
    answers = {
        "beror_kommunerna": "ja",
        "ryms_i_budget": "nej",
        "komplettera": ["ja", "nej"],
        "kommun_beslut[Beta]": "nej",
    }
    facts = run_case(minimal, answers).facts
    assert [(f.question, f.party, f.answers, f.origin.value) for f in facts] == [
        ("beror_kommunerna", None, (True,), "given"),
        ("komplettera", None, (True, False), "given"),
        ("ryms_i_budget", None, (False,), "given"),
        ("kommun_beslut", "Alfa", (True,), "defaulted"),
        ("kommun_beslut", "Beta", (False,), "given"),
    ]
    assert facts[0].text == "Berör kunskapsstödet kommunerna?"


def test_missing_answers_per_party_name_each_party() -> None:
    pack = load_pack(ROOT / "tests" / "data" / "constructs.yaml")
    answers = {
        "programomrade": "primarvard",
        "lpo_har_resurser": "ja",
        "ny_lag": "nej",
        "beror_tandvarden": "nej",
        "beror_kommunerna": "ja",
        "ledning_beslut": "nej",
    }
    with pytest.raises(MissingAnswersError) as stopped:
        run_case(pack, answers)
    assert stopped.value.missing == [("kommun_beslut", "Alfa"), ("kommun_beslut", "Beta")]
    assert str(stopped.value) == "svar saknas för: kommun_beslut[Alfa], kommun_beslut[Beta]"


def test_a_loop_over_a_called_flow_is_bounded_when_the_flow_returns() -> None:
    pack = load_pack(DATA / "loop_over_call.yaml")
    with pytest.raises(LoopLimitError) as stopped:
        run_case(pack, {"igen": "ja"})
    assert str(stopped.value) == (
        "vägen från `anrop` till `anrop` har tagits fler än 2 gånger (max_times: 2); "
        "svaren leder aldrig ut ur slingan. Ge t.ex. `igen=ja,nej` så att slingan tar slut."
    )
    assert stopped.value.partial is not None
    assert stopped.value.partial.path() == ["start", *["anrop", "underlag", "underlag_klart"] * 3]
    result = run_case(pack, {"igen": ["ja", "nej"]})
    assert (result.status, result.path()) == (
        Status.completed,
        ["start", *["anrop", "underlag", "underlag_klart"] * 2, "klart"],
    )
    assert [e.route for e in result.trace if e.step == "anrop"] == [0, 1]


def test_a_mandate_rule_decides_with_its_own_partners_else_the_decisions(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    rules = "      mandate:\n        - when: ryms_i_budget\n          holder: vc\n"
    variant = tmp_path / "p.yaml"
    variant.write_text(
        text.replace(rules, f"      jointly_with: [lpo]\n{rules}          jointly_with: [kommun]\n"), encoding="utf-8"
    )
    pack = load_pack(variant)
    decided = []
    for fits in ("ja", "nej"):
        result = run_case(pack, {"beror_kommunerna": "ja", "ryms_i_budget": fits})
        [decision] = [e.decision for e in result.trace if e.step == "region_beslut" and e.decision]
        decided.append((decision.by.id, [p.id for p in decision.jointly], decision.mandate))
    assert decided == [("vc", ["kommun"], "när ryms_i_budget"), ("ledning", ["lpo"], "i övriga fall")]


def test_a_step_done_by_every_party_carries_each_partys_principal(tmp_path: Path) -> None:
    variant = tmp_path / "p.yaml"
    variant.write_text(
        (DATA / "loop_over_join.yaml")
        .read_text(encoding="utf-8")
        .replace("for_each: municipalities", "for_each: parties"),
        encoding="utf-8",
    )
    result = run_case(load_pack(variant), {"kommun_beslut": "ja", "igen": "nej"})
    assert [(e.party, e.actor.id, e.actor.principal) for e in result.trace if e.step == "kommunbeslut"] == [
        ("Region Test", "kommun", "region"),
        ("Alfa", "kommun", "kommun"),
        ("Beta", "kommun", "kommun"),
    ]


def test_a_flow_that_calls_itself_stops_at_the_call_depth() -> None:
    pack = load_pack(DATA / "recursive_call.yaml")
    with pytest.raises(RunError) as stopped:
        run_case(pack, {"igen": "ja"})
    message = "`anrop` anropar flöden i fler än 20 led; anropar flödet sig självt?"
    assert str(stopped.value) == message
    partial = stopped.value.partial
    assert partial is not None and partial.error is not None
    assert (partial.error.kind, partial.error.message, len(partial.trace)) == ("run_error", message, 41)


def test_only_the_outermost_end_of_nested_calls_ends_the_case() -> None:
    result = run_case(load_pack(DATA / "recursive_call.yaml"), {"igen": ["ja", "ja", "nej"]})
    assert result.status is Status.completed
    assert [(e.step, e.end) for e in result.trace] == [
        ("start", None),
        ("anrop", None),
        ("start", None),
        ("anrop", None),
        ("start", None),
        ("klart", None),
        ("klart", None),
        ("klart", "completed"),
    ]


def test_branches_inside_a_step_every_municipality_does_keep_their_municipality() -> None:
    result = run_case(load_pack(DATA / "parallel_per_party.yaml"), {"kommun_beslut": "ja", "igen": "nej"})
    assert [(e.step, e.party, e.branch) for e in result.trace] == [
        ("start", None, None),
        ("kommunbeslut", "Alfa", None),
        ("kommunbeslut", "Beta", None),
        ("delar", "Alfa", None),
        ("delar", "Beta", None),
        ("del_a", "Alfa", "del_a"),
        ("del_b", "Alfa", "del_b"),
        ("del_a", "Beta", "del_a"),
        ("del_b", "Beta", "del_b"),
        ("delar_klara", "Alfa", None),
        ("delar_klara", "Beta", None),
        ("samordning", None, None),
        ("klart", None, None),
    ]


def test_a_per_party_step_with_actor_when_gives_each_party_its_principal(tmp_path: Path) -> None:
    text = (
        (DATA / "loop_over_join.yaml")
        .read_text(encoding="utf-8")
        .replace("for_each: municipalities", "for_each: parties")
    )
    rule = "    actor_when:\n      - when: kommun_beslut\n        actor: lpo\n"
    variant = tmp_path / "p.yaml"
    variant.write_text(text.replace("    for_each: parties\n", f"{rule}    for_each: parties\n"), encoding="utf-8")
    answers = {"kommun_beslut": "nej", "kommun_beslut[Alfa]": "ja", "igen": "nej"}
    result = run_case(load_pack(variant), answers)
    assert [(e.party, e.actor.id, e.actor.principal) for e in result.trace if e.step == "kommunbeslut"] == [
        ("Region Test", "kommun", "region"),
        ("Alfa", "lpo", "kommun"),
        ("Beta", "kommun", "kommun"),
    ]
