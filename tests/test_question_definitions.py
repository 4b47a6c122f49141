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
