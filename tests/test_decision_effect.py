"""KP312 decision-without-effect and KP313 question-never-read on small packs built in the test."""

from __future__ import annotations

import json
from typing import Any

from kprocess.diagnostics import DataPath
from kprocess.pack import analyse_document, analyse_file
from kprocess.yamlsource import parse_bytes
from tests.test_checks import CASES, expected

YESNO: dict[str, Any] = {"type": "yesno"}


def step(step_id: str, **keys: Any) -> dict[str, Any]:
    """A step with the keys every step needs."""
    return {"id": step_id, "name": step_id, "phase": "beslut", "actor": "lpo", "source": f"001 {step_id}", **keys}


def end(step_id: str, kind: str = "completed") -> dict[str, Any]:
    return step(step_id, end=kind)


def decide(question: str, **keys: Any) -> dict[str, Any]:
    return {"question": question, "by": "lpo", **keys}


def findings(
    steps: list[dict[str, Any]],
    questions: dict[str, dict[str, Any]],
    flows: list[dict[str, str]] | None = None,
) -> list[tuple[str, DataPath]]:
    """(code, data path) of every diagnostic for a pack with these steps and questions."""
    pack = {
        "schema_version": 1,
        "id": "test",
        "county": "Testlän",
        "name": "Testpaket",
        "parties": {"region": "Region Test", "municipalities": ["Alfa", "Beta"]},
        "sources": [{"id": "001", "title": "Testrutin"}],
        "phases": [{"id": "beslut", "name": "Beslut"}],
        "actors": [
            {"id": "lpo", "name": "Lokalt programområde", "principal": "gemensam"},
            {"id": "kommun", "name": "Kommunen", "principal": "kommun"},
        ],
        "questions": [{"id": qid, "text": f"{qid}?", **spec} for qid, spec in questions.items()],
        "flows": flows or [{"id": "huvudflode", "name": "Huvudflöde", "start": steps[0]["id"]}],
        "steps": steps,
    }
    document = parse_bytes(json.dumps(pack, ensure_ascii=False).encode(), "test.yaml")
    _, diagnostics = analyse_document(document)
    return [(d.code, d.path) for d in diagnostics]


def unread(index: int) -> tuple[str, DataPath]:
    return ("KP312", ("steps", index, "decision", "question"))


def test_read_only_before_the_decision_is_an_error() -> None:
    steps = [
        step("fraga", decision=decide("forsta"), routes=[{"when": "andra", "to": "a"}, {"otherwise": "b"}]),
        step("a", decision=decide("andra"), next="klart"),
        step("b", decision=decide("andra"), next="klart"),
        end("klart"),
    ]
    assert findings(steps, {"forsta": YESNO, "andra": YESNO}) == [
        unread(0),
        unread(1),
        unread(2),
    ]


def test_read_only_in_a_branch_the_decision_cannot_reach_is_an_error() -> None:
    steps = [
        step("start", decision=decide("vag"), routes=[{"when": "vag", "to": "a"}, {"otherwise": "b"}]),
        step("a", decision=decide("svar"), next="klart"),
        step("b", routes=[{"when": "svar", "to": "klart"}, {"otherwise": "stopp"}]),
        end("klart"),
        end("stopp", "stopped"),
    ]
    assert findings(steps, {"vag": YESNO, "svar": YESNO}) == [unread(1)]


def test_route_at_the_decision_step_reads_it() -> None:
    steps = [
        step("start", decision=decide("svar"), routes=[{"when": "svar", "to": "klart"}, {"otherwise": "stopp"}]),
        end("klart"),
        end("stopp", "stopped"),
    ]
    assert findings(steps, {"svar": YESNO}) == []


def test_mandate_rule_at_a_later_step_reads_it() -> None:
    later = decide("beslut", by=None, mandate=[{"when": "svar", "holder": "lpo"}, {"otherwise": "kommun"}])
    steps = [
        step("start", decision=decide("svar"), next="beslut"),
        step("beslut", decision=later, routes=[{"when": "beslut", "to": "klart"}, {"otherwise": "stopp"}]),
        end("klart"),
        end("stopp", "stopped"),
    ]
    assert findings(steps, {"svar": YESNO, "beslut": YESNO}) == []


def test_kannedom_and_informational_decisions_need_no_effect() -> None:
    steps = [
        step("start", decision=decide("kannedom", weight="kannedom"), next="rad"),
        step(
            "rad",
            decision=decide("tillstyrker", weight="tillstyrkan", informational="001 §3: 'för kännedom'"),
            next="klart",
        ),
        end("klart"),
    ]
    assert findings(steps, {"kannedom": YESNO, "tillstyrker": YESNO}) == []


def test_per_party_decision_read_through_any_or_all() -> None:
    for aggregate in ("any", "all"):
        steps = [
            step("kommunbeslut", for_each="municipalities", decision=decide("kommun_beslut"), next="samlas"),
            step(
                "samlas",
                join="kommunbeslut",
                routes=[{"when": f"{aggregate}(kommun_beslut)", "to": "klart"}, {"otherwise": "stopp"}],
            ),
            end("klart"),
            end("stopp", "stopped"),
        ]
        assert findings(steps, {"kommun_beslut": {**YESNO, "per_party": True}}) == []


def test_per_party_decision_nobody_reads_is_an_error() -> None:
    steps = [
        step("kommunbeslut", for_each="municipalities", decision=decide("kommun_beslut"), next="samlas"),
        step("samlas", join="kommunbeslut", next="klart"),
        end("klart"),
    ]
    assert findings(steps, {"kommun_beslut": {**YESNO, "per_party": True}}) == [unread(0)]


def test_a_number_question_a_timing_waits_for_is_used() -> None:
    steps = [step("start", next="klart"), step("klart", timing={"after_question": "manader"}, end="completed")]
    assert findings(steps, {"manader": {"type": "number", "unit": "månader"}}) == []


def test_a_condition_that_does_not_compile_hides_nothing_else() -> None:
    steps = [
        step("start", decision=decide("svar"), routes=[{"when": "svarr", "to": "klart"}, {"otherwise": "stopp"}]),
        end("klart"),
        end("stopp", "stopped"),
    ]
    assert [code for code, _ in findings(steps, {"svar": YESNO})] == ["KP204"]


def test_derived_question_reads_what_its_expression_reads() -> None:
    steps = [
        step("start", decision=decide("svar"), next="val"),
        step("val", routes=[{"when": "harledd", "to": "klart"}, {"otherwise": "stopp"}]),
        end("klart"),
        end("stopp", "stopped"),
    ]
    questions = {"svar": YESNO, "harledd": {**YESNO, "derived": "svar and beror_kommunerna"}}
    assert findings(steps, questions) == []


def test_conditional_branch_and_actor_rule_read_it() -> None:
    steps = [
        step("start", decision=decide("svar"), next="delning"),
        step("delning", parallel=["a", {"to": "b", "when": "svar"}]),
        step("a", next="samlas"),
        step("b", next="samlas"),
        step("samlas", join="delning", next="klart"),
        end("klart"),
    ]
    assert findings(steps, {"svar": YESNO}) == []
    steps = [
        step("start", decision=decide("svar"), next="gor"),
        step("gor", actor_when=[{"when": "svar", "actor": "kommun"}], next="klart"),
        end("klart"),
    ]
    assert findings(steps, {"svar": YESNO}) == []


SUB_FLOWS = [
    {"id": "huvudflode", "name": "Huvudflöde", "start": "anropar"},
    {"id": "delflode", "name": "Delflöde", "start": "delbeslut"},
]


def called(sub_end: str, after: dict[str, Any]) -> list[dict[str, Any]]:
    """A main flow calling `delflode`, whose decision answers `svar`; `after` follows the call."""
    return [
        step("anropar", call="delflode", next="efter"),
        step("efter", **after),
        end("klart"),
        end("stopp", "stopped"),
        step("delbeslut", decision=decide("svar"), next="delslut"),
        end("delslut", sub_end),
    ]


READS = {"routes": [{"when": "svar", "to": "klart"}, {"otherwise": "stopp"}]}
OTHER = {"routes": [{"when": "beror_kommunerna", "to": "klart"}, {"otherwise": "stopp"}]}


def test_decision_in_a_called_flow_is_read_after_the_call() -> None:
    assert findings(called("completed", READS), {"svar": YESNO}, SUB_FLOWS) == []


def test_decision_in_a_called_flow_that_nothing_reads_after_the_call() -> None:
    assert findings(called("completed", OTHER), {"svar": YESNO}, SUB_FLOWS) == [unread(4)]


def test_called_flow_that_never_returns_cannot_pass_its_answer_on() -> None:
    assert findings(called("stopped", READS), {"svar": YESNO}, SUB_FLOWS) == [unread(4)]


def test_resume_condition_reads_it() -> None:
    steps = [
        step("start", decision=decide("tas_upp"), next="parkerad"),
        step("parkerad", end="parked", resume={"when": "tas_upp", "to": "klart"}),
        end("klart"),
    ]
    assert findings(steps, {"tas_upp": YESNO}) == []


def test_question_never_read() -> None:
    steps = [
        step("start", routes=[{"when": "any(kommun_beslut) or harledd", "to": "klart"}, {"otherwise": "stopp"}]),
        end("klart"),
        end("stopp", "stopped"),
    ]
    questions: dict[str, dict[str, Any]] = {
        "oanvand": YESNO,
        "kommun_beslut": {**YESNO, "per_party": True},
        "harledd": {**YESNO, "derived": "las_av_harledd"},
        "las_av_harledd": YESNO,
        "harledd_olast": {**YESNO, "derived": "bara_i_olast"},
        "bara_i_olast": YESNO,
    }
    assert findings(steps, questions) == [("KP313", ("questions", 0, "id")), ("KP313", ("questions", 4, "id"))]


def test_fixtures_give_exactly_the_marked_findings() -> None:
    for code in ("KP312", "KP313"):
        fixture = CASES / code / "fail.yaml"
        _, diagnostics = analyse_file(fixture)
        assert {(d.code, d.line) for d in diagnostics} == expected(fixture)
