"""KP311: each way a question's options or default can miss its type, with its exact message and place."""

from __future__ import annotations

from pathlib import Path

from kprocess.pack import analyse_file
from tests.conftest import ROOT

PASSING = ROOT / "tests" / "checks" / "KP311" / "pass.yaml"
QUESTIONS = """\
  - {id: antal, text: Antal, type: number, default: tolv}
  - {id: flagga, text: Flagga, type: number, default: true}
  - {id: heltal, text: Heltal, type: number, default: 12}
  - {id: decimal, text: Decimal, type: number, default: -1.5}
  - {id: ensam, text: Ensam, type: choice, options: [{id: a, label: A}]}
  - {id: janej, text: Janej, type: yesno, options: [{id: a, label: A}, {id: b, label: B}]}
  - {id: val, text: Val, type: choice, default: c, options: [{id: a, label: A}, {id: b, label: B}]}
  - {id: valt, text: Valt, type: choice, default: b, options: [{id: a, label: A}, {id: b, label: B}]}
  - {id: svar, text: Svar, type: yesno, default: 1}
  - {id: svarja, text: Svarja, type: yesno, default: nej}
"""


def test_every_misfit_is_reported_at_its_value(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(PASSING.read_text(encoding="utf-8").replace("questions:\n", "questions:\n" + QUESTIONS, 1))
    _, diagnostics = analyse_file(pack)
    assert [(d.line, d.column, d.message, d.hint) for d in diagnostics if d.code == "KP311"] == [
        (21, 53, "standardsvaret `tolv` är inget tal", "skriv ett tal, t.ex. `12`"),
        (22, 55, "standardsvaret `True` är inget tal", "skriv ett tal, t.ex. `12`"),
        (
            25,
            44,
            "flervalsfrågan `ensam` behöver minst två alternativ",
            "lägg till `options:` med `id` och `label` för varje svar",
        ),
        (
            26,
            43,
            "bara flervalsfrågor har alternativ; `janej` är yesno",
            "ta bort `options:` eller ändra `type: choice`",
        ),
        (27, 49, "standardsvaret `c` är inget av alternativen", "välj ett av: a, b"),
        (29, 50, "standardsvaret `1` är inget ja/nej", "skriv `ja` eller `nej`"),
    ]


def test_a_decision_and_a_wait_must_use_a_question_of_the_right_kind(tmp_path: Path) -> None:
    text = PASSING.read_text(encoding="utf-8")
    text = text.replace(
        "questions:\n",
        "questions:\n  - {id: antal, text: Antal, type: number}\n"
        "  - {id: harledd, text: Härledd, type: yesno, derived: beror_kommunerna and komplettera}\n",
        1,
    )
    text = text.replace(
        "    decision: {question: beror_kommunerna, by: lpo}\n", "    decision: {question: harledd, by: lpo}\n"
    )
    text = text.replace(
        "    decision: {question: komplettera, by: lpo}\n",
        "    decision: {question: antal, by: lpo}\n    timing: {after_question: komplettera}\n",
    )
    pack = tmp_path / "p.yaml"
    pack.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(pack)
    assert [(d.line, d.column, d.message, d.hint) for d in diagnostics if d.code == "KP311"] == [
        (
            40,
            26,
            "`harledd` härleds ur andra svar (`derived:`) och kan inte beslutas",
            "låt beslutet besvara en egen fråga, eller ta bort `derived:` från frågan",
        ),
        (
            58,
            26,
            "ett beslut besvarar en ja/nej- eller flervalsfråga; `antal` är en talfråga",
            "välj eller deklarera en ja/nej- eller flervalsfråga för beslutet",
        ),
        (
            59,
            30,
            "`after_question` behöver en talfråga (antal månader); `komplettera` är det inte",
            "deklarera en fråga med `type: number` och `unit: månader`",
        ),
    ]


def test_a_wait_on_an_undeclared_question_is_reported_where_it_is_named(tmp_path: Path) -> None:
    text = PASSING.read_text(encoding="utf-8").replace(
        "    decision: {question: komplettera, by: lpo}\n",
        "    decision: {question: komplettera, by: lpo}\n    timing: {after_question: okand_fraga}\n",
    )
    pack = tmp_path / "p.yaml"
    pack.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(pack)
    assert [(d.line, d.column, d.code, d.message, d.hint) for d in diagnostics] == [
        (57, 30, "KP202", "frågan `okand_fraga` finns inte", "deklarera frågan under `questions:`")
    ]
