"""Check findings beyond each check's own fixture: every kind of repeated id, decisions without a
single holder, with the exact place, message and hint."""

from __future__ import annotations

from pathlib import Path

from kprocess.pack import analyse_file
from tests.conftest import ROOT

CHECKS = ROOT / "tests" / "checks"
OWN_ID = "ge den ett eget id eller ta bort dubbletten"


def test_every_kind_of_repeated_id_is_named() -> None:
    _, diagnostics = analyse_file(ROOT / "tests" / "data" / "checks" / "duplicates.yaml")
    assert [(d.line, d.column, d.message, d.hint) for d in diagnostics if d.code == "KP201"] == [
        (14, 14, "avsnittet `steg 1` finns redan (nummer 1)", OWN_ID),
        (15, 9, "dokumentet `001` finns redan (nummer 1)", OWN_ID),
        (20, 10, "fasen `beslut` finns redan (nummer 2)", OWN_ID),
        (
            27,
            10,
            "alternativmängden `kommunmedverkan` finns redan i det gemensamma ordförrådet",
            "ge paketets mängd ett eget id",
        ),
        (29, 10, "alternativmängden `egen` finns redan (nummer 2)", OWN_ID),
        (
            31,
            10,
            "frågan `ryms_i_budget` finns redan i det gemensamma ordförrådet",
            "ta bort deklarationen: frågan kan användas direkt i alla paket",
        ),
        (32, 74, "alternativet `a` finns redan (nummer 1)", OWN_ID),
        (44, 10, "flödet `huvudflode` finns redan (nummer 1)", OWN_ID),
    ]


def test_a_decision_needs_exactly_one_way_of_naming_its_holder(tmp_path: Path) -> None:
    text = (CHECKS / "KP201" / "pass.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    decision: {question: beror_kommunerna, by: lpo}\n", "    decision: {question: beror_kommunerna}\n"
    )
    text = text.replace(
        "    decision: {question: komplettera, by: lpo}\n",
        "    decision: {question: komplettera, by: lpo, mandate: [{otherwise: vc}]}\n",
    )
    pack = tmp_path / "p.yaml"
    pack.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(pack)
    assert [(d.line, d.column, d.code, d.message, d.hint) for d in diagnostics] == [
        (
            38,
            5,
            "KP306",
            "beslutet i `remiss` saknar mandatinnehavare",
            "ange `by: <aktör>` eller `mandate:` med regler",
        ),
        (
            56,
            39,
            "KP306",
            "beslutet i `analys` har både `by` och `mandate`",
            "använd `by:` när samma aktör alltid beslutar, annars bara `mandate:`",
        ),
    ]
