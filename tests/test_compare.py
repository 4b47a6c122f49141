"""`kprocess compare`: one case through several packs, phase by phase, with exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kprocess.cli.app import app
from kprocess.cli.common import EXIT_USAGE, UsageError
from kprocess.compare import compare, stage_of
from kprocess.pack import load_pack
from tests.conftest import ROOT

RUNNER = CliRunner()
OTHER = "tests/data/compare/annat.yaml"
M = "tests/data/minimal.yaml"
REGIONS = ["regions/blekinge.yaml", "regions/orebro.yaml", "regions/vasternorrland.yaml"]


def invoke(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})
    if isinstance(result.exception, UsageError):
        return EXIT_USAGE, str(result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_full_table_of_the_fixture_packs_in_80_columns() -> None:
    code, out = invoke("compare", M, OTHER, "--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=ja", "--full")
    assert code == 0
    assert out == (
        "Jämförelse av ett ärende\n"
        "Ärendet: beror_kommunerna=ja, ryms_i_budget=ja\n"
        "                Testlän                          Annat                          \n"
        "────────────────────────────────────────────────────────────────────────────────\n"
        "Remiss                                                                          \n"
        "  Gör           LPO                              LPO                            \n"
        "  Beslutar      LPO (beslut)                     LPO (beslut)                   \n"
        "  Beslut        1 av 1                           1 av 1                         \n"
        "  Kommunerna    nej                              nej                            \n"
        "                                                                                \n"
        "Beslut                                                                          \n"
        "  Gör           LPO, Verksamhetschef, Kommunen   –                              \n"
        "                (varje kommun)                                                  \n"
        "  Beslutar      LPO (beslut)                     –                              \n"
        "                Verksamhetschef (beslut: när                                    \n"
        "                ryms_i_budget)                                                  \n"
        "                Kommunen ×2 (beslut)                                            \n"
        "≠ Beslut        4 av 4                           0                              \n"
        "≠ Kommunerna    ja                               nej                            \n"
        "                                                                                \n"
        "Totalt                                                                          \n"
        "≠ Slut          slutfört: Klart                  överlämnat: Regionintern rutin \n"
        "                                                 → Regionintern rutin           \n"
        "≠ Kommuner in   Beslut: Varje kommun beslutar    –                              \n"
        "≠ Beslut        5 av 4                           1 av 1                         \n"
        "Skillnader\n"
        "  – Ärendet slutar olika: Testlän slutfört; Annat överlämnat.\n"
        "  – Kommunerna kommer in i olika faser: Testlän Beslut; Annat aldrig.\n"
        "  – Kommunerna deltar i olika faser: Testlän Beslut; Annat ingen.\n"
        "  – Ärendet går inte genom samma faser: Beslut (bara Testlän).\n"
        "  – Antalet beslut skiljer sig: Testlän 5; Annat 1.\n"
        "  – Antalet beslutande huvudmän skiljer sig: Testlän 4; Annat 1.\n"
        "Svar som ärendet inte gav\n"
        "  Testlän: 2 svar är paketets standardsvar (se --format json).\n"
    )
    assert all(len(line) <= 80 for line in out.splitlines())


def test_open_shared_answer_is_assumed_alike_in_every_pack() -> None:
    packs = [load_pack(ROOT / M), load_pack(ROOT / OTHER)]
    found = compare(packs, {"beror_kommunerna": "ja"})
    assumed = [[(a.question, a.answer, a.kind) for a in p.assumed if a.kind == "antaget"] for p in found.packs]
    # nej takes the second pack through its gap analysis; ja would hand it over at once
    assert assumed == [[("ryms_i_budget", "nej", "antaget")], [("ryms_i_budget", "nej", "antaget")]]
    assert [p.status for p in found.packs] == ["completed", "completed"]


def test_no_assume_lists_what_each_pack_would_ask_and_exits_1() -> None:
    code, out = invoke("compare", M, OTHER, "--fact", "beror_kommunerna=ja", "--no-assume", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert [(p["id"], p["status"], p["to_ask"]) for p in data["packs"]] == [
        ("test", None, [{"question": "ryms_i_budget", "text": load_pack(ROOT / M).questions["ryms_i_budget"].text}]),
        ("test2", None, [{"question": "ryms_i_budget", "text": load_pack(ROOT / M).questions["ryms_i_budget"].text}]),
    ]


def test_the_three_counties_on_one_case_as_json() -> None:
    code, out = invoke(
        "compare", *REGIONS, "--fact", "beror_kommunerna=ja", "--fact", "programomrade=psykisk_halsa", "-f", "json"
    )
    data = json.loads(out)
    assert (code, data["schema"], data["mode"]) == (0, "kprocess.compare/1", "case")
    packs = {p["id"]: p for p in data["packs"]}
    assert {k: (p["status"], p["unused"], p["municipalities_enter"]["stage"]) for k, p in packs.items()} == {
        "blekinge": ("completed", ["beror_kommunerna"], "remiss"),
        "orebro": ("ongoing", ["programomrade"], "remiss"),
        "vasternorrland": ("ongoing", ["programomrade"], "remiss"),
    }
    assumed = {k: {a["question"] for a in p["assumed"] if a["kind"] == "antaget"} for k, p in packs.items()}
    assert "programomrade" not in assumed["blekinge"]
    assert {q for q in assumed["orebro"] & assumed["blekinge"]} == {"ryms_i_budget"}
    shared = [
        next(a["answer"] for a in p["assumed"] if a["question"] == "ryms_i_budget")
        for p in packs.values()
        if any(a["question"] == "ryms_i_budget" for a in p["assumed"])
    ]
    assert len(set(shared)) == 1
    assert [d["text"] for d in data["differences"] if d["aspect"] == "unused"] == [
        "Blekinge läser inte beror_kommunerna: svaret påverkar inte länets flöde.",
        "Örebro läser inte programomrade: svaret påverkar inte länets flöde.",
        "Västernorrland läser inte programomrade: svaret påverkar inte länets flöde.",
    ]


@pytest.mark.parametrize(
    ("concerns", "area", "status"),
    [("ja", "barn_och_ungdomars_halsa", "completed"), ("nej", "akut_vard", "handed_over")],
)
def test_blekinge_without_programme_area_follows_beror_kommunerna(concerns: str, area: str, status: str) -> None:
    packs = [load_pack(ROOT / p) for p in REGIONS]
    found = compare(packs, {"beror_kommunerna": concerns}).packs[0]
    scope = [a for a in found.assumed if a.question == "programomrade"]
    assert [(a.answer, a.kind, a.reason) for a in scope] == [
        (area, "antaget", "följer beror_kommunerna (alternativmängden kommunmedverkan)")
    ]
    assert found.status == status


def test_structure_without_answers() -> None:
    code, out = invoke("compare", *REGIONS, "--format", "json")
    data = json.loads(out)
    assert (code, data["mode"]) == (0, "structure")
    [blekinge, orebro, _] = data["packs"]
    stages = {s["stage"]: s for s in orebro["stages"]}
    pack = load_pack(ROOT / "regions/orebro.yaml")
    in_phase = [s for s in pack.model.steps if s.phase == "beslut"]
    points = [s for s in in_phase if s.decision or len(s.routes) > 1 or any(w for _, w in s.branches)]
    assert (stages["beslut"]["per_party"], stages["beslut"]["decision_points"], stages["beslut"]["steps"]) == (
        ["varje kommun: Representanterna i nätverken sprider resultatet av gapanalysen i den egna kommunen"],
        len(points),
        len(in_phase),
    )
    assert [s["stage"] for s in blekinge["stages"]][:3] == ["remiss", "nationellt_beslut", "beredning"]
    assert any("15/2" in t for s in blekinge["stages"] for t in s["timing"])


def test_markdown_is_a_table_with_a_row_per_aspect() -> None:
    code, out = invoke("compare", M, OTHER, "--fact", "beror_kommunerna=nej", "--format", "markdown")
    assert code == 0
    assert out.splitlines()[:8] == [
        "### Jämförelse av ett ärende",
        "",
        "Ärendet: beror_kommunerna=nej  ",
        "",
        "| Fas | Testlän | Annat |",
        "|---|---|---|",
        "| **Remiss** | | |",
        "| Gör | LPO | LPO |",
    ]


def test_answers_no_pack_knows_and_single_pack_are_usage_errors() -> None:
    assert invoke("compare", M, OTHER, "--fact", "berör=ja")[0] == EXIT_USAGE
    assert invoke("compare", M, "--fact", "beror_kommunerna=ja")[0] == EXIT_USAGE
    assert invoke("compare", M, OTHER, "--fact", "beror_kommunerna=kanske")[0] == EXIT_USAGE


def test_phases_without_a_common_stage_keep_their_own_row() -> None:
    assert [stage_of(p) for p in ("remissforfarande", "lokal_hantering", "nominering")] == [
        "remiss",
        "beredning",
        "nominering",
    ]


def test_case_file_answers_apply_to_the_packs_that_know_them(tmp_path: Path) -> None:
    case = tmp_path / "fall.yaml"
    case.write_text(
        "name: Gemensamt\nstart: 2026-02-01\nanswers:\n  beror_kommunerna: ja\n  komplettera: nej\nexpect: {}\n",
        encoding="utf-8",
    )
    code, out = invoke("compare", M, OTHER, "--case", str(case), "--fact", "ryms_i_budget=ja", "-f", "json")
    data = json.loads(out)
    assert (code, data["start"], data["answers"]) == (
        0,
        "2026-02-01",
        {"beror_kommunerna": "ja", "komplettera": "nej", "ryms_i_budget": "ja"},
    )


def test_one_screen_of_the_fixture_packs() -> None:
    code, out = invoke("compare", M, OTHER, "--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=ja")
    rule = "─" * 79
    assert (code, out.splitlines()) == (
        0,
        [
            "Jämförelse av ett ärende: beror_kommunerna=ja, ryms_i_budget=ja",
            "Per fas: vem som beslutar, antal beslut av antal huvudmän; ● kommunerna deltar.",
            "",
            "                   Testlän                        Annat",
            rule,
            "Remiss             LPO                            LPO",
            "                   1 beslut                       1 beslut",
            "Beslut             Kommunen ×2                    –",
            "                   LPO +1",
            "                   4 beslut ●",
            "                   av 4 huvudmän",
            rule,
            "Slut               slutfört                       överlämnat",
            "                   i Beslut                       i Remiss",
            "                                                  → Regionintern rutin",
            "Kommunerna in      Beslut:                        aldrig",
            "                   Varje kommun beslutar",
            "Beslut totalt      5 beslut                       1 beslut",
            "                   av 4 huvudmän                  av 1 huvudman",
            "Skillnader",
            "  – Ärendet slutar olika: Testlän slutfört; Annat överlämnat.",
            "  – Kommunerna kommer in i olika faser: Testlän Beslut; Annat aldrig.",
            "  – Ärendet går inte genom samma faser: Beslut (bara Testlän).",
            "  – Antalet beslut skiljer sig: Testlän 5; Annat 1.",
            "  – Antalet beslutande huvudmän skiljer sig: Testlän 4; Annat 1.",
            "Antaget",
            "  – Paketens standardsvar: Testlän 2 (se --full eller --format json).",
        ],
    )


def test_alike_packs_say_there_is_no_difference() -> None:
    out = invoke("compare", M, OTHER, "--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=nej")[1]
    assert out.splitlines()[-4:] == [
        "Skillnader",
        "  – Inga: länen hanterar ärendet lika.",
        "Antaget",
        "  – Paketens standardsvar: Testlän 2, Annat 2 (se --full eller --format json).",
    ]


def test_the_three_counties_on_one_screen() -> None:
    code, out = invoke("compare", *REGIONS, "--fact", "beror_kommunerna=ja", "--fact", "programomrade=psykisk_halsa")
    lines = out.splitlines()
    labels = [line[:17].strip() for line in lines[5:] if line[:17].strip() and not line.startswith("─")]
    assert code == 0
    assert 40 <= len(lines) <= 50
    assert max(len(line) for line in lines) <= 80
    assert labels[:12] == [
        "Remiss",
        "Nationellt beslut",
        "Lokal beredning",
        "Beslut",
        "Implementering",
        "Uppföljning",
        "Lokal",
        "nomineringsproce…",
        "Slut",
        "Kommunerna in",
        "Beslut totalt",
        "Skillnader",
    ]
    assert lines[3] == "                   Blekinge             Örebro               Västernorrland"
    assert lines.index("Skillnader") < lines.index("Antaget")


def test_structure_on_one_screen() -> None:
    code, out = invoke("compare", M, OTHER)
    assert (code, out.splitlines()[5:16]) == (
        0,
        [
            "─" * 79,
            "Remiss             2 steg                         2 steg",
            "                   1 beslutspunkt                 1 beslutspunkt",
            "                   1 forum, 1 mandat              1 forum, 1 mandat",
            "Beslut             5 steg                         5 steg",
            "                   3 beslutspunkter               3 beslutspunkter",
            "                   3 forum, 3 mandat              3 forum, 3 mandat",
            "                   per huvudman: 1                per huvudman: 1",
            "─" * 79,
            "Steg               7 steg                         7 steg",
            "Beslutspunkter     4                              4",
        ],
    )
    assert len(invoke("compare", *REGIONS)[1].splitlines()) <= 50


def test_a_phase_is_placed_by_its_stage_key_before_its_id(tmp_path: Path) -> None:
    text = (ROOT / OTHER).read_text(encoding="utf-8")
    first = text.splitlines()[text.splitlines().index("phases:") + 1]
    assert first.startswith("  - {id: remiss, ")
    mapped = tmp_path / "mapped.yaml"
    mapped.write_text(text.replace(first, first[:-1] + ", stage: beredning}"), encoding="utf-8")
    packs = [load_pack(ROOT / M), load_pack(mapped)]
    assert [stage_of("remiss", p) for p in packs] == ["remiss", "beredning"]
    found = compare(packs, {"beror_kommunerna": "ja", "ryms_i_budget": "ja"})
    assert [list(p.stages) for p in found.packs] == [["remiss", "beslut"], ["beredning"]]
