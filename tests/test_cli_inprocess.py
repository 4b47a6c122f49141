"""Every command run in-process through typer's test runner, with its exact output.

tests/test_cli.py runs the same commands as a user does, in a subprocess; these run them in the
test process, so coverage and mutation testing see the command code and the core it calls.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kprocess.cli.app import app
from kprocess.cli.common import EXIT_USAGE, UsageError
from tests.conftest import MINIMAL, ROOT

M = str(MINIMAL.relative_to(ROOT))
KP202 = "tests/checks/KP202/fail.yaml"
RUNNER = CliRunner()


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `kprocess ARGS`; a usage error is reported as `main()` does."""
    result = RUNNER.invoke(app, list(args), input=stdin, env={"COLUMNS": "120"})
    if isinstance(result.exception, UsageError):
        return EXIT_USAGE, result.stdout, f"kprocess: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# -- validate ---------------------------------------------------------------------------------


def test_validate_clean() -> None:
    assert invoke("validate", M) == (0, "1 fil kontrollerade: inga problem.\n", "")


def test_validate_reports_position_and_hint() -> None:
    assert invoke("validate", KP202) == (
        1,
        f"{KP202}:65:12: KP202 aktören `vcc` finns inte\n"
        "    → menade du `vc`?\n"
        "1 fil kontrollerade: 1 fel, 0 varningar.\n",
        "",
    )


def test_validate_json() -> None:
    code, out, _ = invoke("validate", "-f", "json", "tests/checks/KP310/fail.yaml", M)
    assert code == 1
    assert json.loads(out) == {
        "version": 1,
        "files": ["tests/checks/KP310/fail.yaml", M],
        "errors": 1,
        "warnings": 0,
        "diagnostics": [
            {
                "file": "tests/checks/KP310/fail.yaml",
                "line": 50,
                "column": 9,
                "code": "KP310",
                "severity": "error",
                "message": "slingan analys → analys saknar gräns",
                "hint": "sätt `max_times: <antal>` på den väg som går tillbaka i slingan",
                "path": "steps[2].id",
            }
        ],
    }


def test_validate_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert invoke("validate", "-f", "github", KP202) == (
        1,
        f"::error file={KP202},line=65,col=12,title=KP202::KP202 aktören `vcc` finns inte — menade du `vc`?\n",
        "",
    )


def test_validate_missing_file_is_a_usage_error() -> None:
    assert invoke("validate", "finns.yaml") == (2, "", "kprocess: finns.yaml finns inte\n")


# -- facts, actors, sources, schema -----------------------------------------------------------


def test_facts_json() -> None:
    code, out, _ = invoke("facts", M, "--json")
    assert code == 0
    assert [(f["id"], f["type"], f["default"], f["per_party"]) for f in json.loads(out)] == [
        ("beror_kommunerna", "yesno", None, False),
        ("ryms_i_budget", "yesno", None, False),
        ("kommun_beslut", "yesno", "ja", True),
        ("komplettera", "yesno", "nej", False),
    ]


def test_facts_table() -> None:
    code, out, _ = invoke("facts", M)
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert code == 0
    assert [[cell.strip() for cell in row.split("│")[1:-1]] for row in rows] == [
        ["beror_kommunerna", "Berör kunskapsstödet kommunerna?", "ja/nej", "", ""],
        ["ryms_i_budget", "Ryms åtgärderna inom verksamheternas uppdrag och", "ja/nej", "", ""],
        ["", "budget, utan påverkan på budget eller personal?", "", "", ""],
        ["kommun_beslut", "Beslutar kommunen att införa kunskapsstödet?", "ja/nej per part", "", "ja"],
        ["komplettera", "Behöver underlaget kompletteras?", "ja/nej", "", "nej"],
    ]


def test_facts_of_a_broken_pack_reports_it() -> None:
    assert invoke("facts", KP202) == (
        1,
        f"{KP202}:65:12: KP202 aktören `vcc` finns inte\n"
        "    → menade du `vc`?\n"
        "1 fil kontrollerade: 1 fel, 0 varningar.\n",
        "Paketet har fel och kan inte köras; rätta dem först.\n",
    )


def test_actors_table() -> None:
    code, out, _ = invoke("actors", M)
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert code == 0
    assert [[cell.strip() for cell in row.split("│")[1:-1]] for row in rows] == [
        ["lpo", "Lokalt programområde", "LPO", "Gemensamt", "", ""],
        ["vc", "Verksamhetschef", "", "Region", "", ""],
        ["ledning", "Ledningsgrupp", "", "Region", "", ""],
        ["kommun", "Kommunen", "", "Kommun", "", ""],
    ]


def test_actors_one_forum() -> None:
    assert invoke("actors", M, "ledning") == (0, "Ledningsgrupp (Region)\nDokumenten anger ingen sammansättning.\n", "")


def test_actors_json() -> None:
    code, out, _ = invoke("actors", M, "-f", "json")
    assert code == 0
    assert [(a["id"], a["short"], a["principal"], a["members"]) for a in json.loads(out)] == [
        ("lpo", "LPO", "gemensam", []),
        ("vc", None, "region", []),
        ("ledning", None, "region", []),
        ("kommun", None, "kommun", []),
    ]


def test_actors_unknown_is_a_usage_error() -> None:
    assert invoke("actors", M, "okand") == (2, "", "kprocess: aktören `okand` finns inte\n")


def test_sources_text_with_sections() -> None:
    assert invoke("sources", "tests/data/sections.yaml") == (
        1,
        "Källor i Källtest\n"
        "\n"
        "004 – Överenskommelse om samverkan\n"
        "  titelsida  Titelsida — utanför paketet: Parter och datum\n"
        "  §1.2.1     Giltighetstid — giltighet\n"
        "  §3         Organisation — genom underavsnitten\n"
        "    §3.1     Lokalt programområde — aktör lpo\n"
        "    §3.2     Lokal samverkansgrupp — utanför paketet: LSG bereder men beslutar inte\n"
        "  §4.4.1     Remisshantering och införande — steg remiss, infor, avslut; mandat remiss regel 1; fråga infors\n"
        "  §4.5       Nomineringsprocess — saknar hänvisning\n"
        "  bilaga 2   Kunskapsrådets ledamöter — mandat remiss regel 2; aktör ledning\n"
        "  Täckning: 7/8 avsnitt redovisade, 1 avsnitt saknar hänvisning.\n"
        "\n"
        "005 – Bakgrund\n"
        "  listar inga avsnitt; lägg till `sections:` för att se täckningen\n",
        "",
    )


def test_sources_markdown_and_json() -> None:
    assert invoke("sources", M, "-f", "markdown") == (
        0,
        "### 001 – Testrutin\n\nDokumentet listar inga avsnitt; lägg till `sections:` för att se täckningen.\n",
        "",
    )
    code, out, _ = invoke("sources", M, "-f", "json")
    assert (code, json.loads(out)) == (
        0,
        {
            "version": 1,
            "pack": "test",
            "documents": [
                {"id": "001", "title": "Testrutin", "listed": 0, "accounted": 0, "missing": 0, "sections": []}
            ],
        },
    )


@pytest.mark.parametrize(("kind", "file"), [("pack", "kprocess-pack"), ("case", "kprocess-case")])
def test_schema_is_the_committed_one(kind: str, file: str) -> None:
    committed = (ROOT / "schemas" / f"{file}.schema.json").read_text(encoding="utf-8")
    assert invoke("schema", "--kind", kind) == (0, committed, "")


def test_version() -> None:
    from importlib.metadata import version

    assert invoke("--version") == (0, f"kprocess {version('kprocess')}\n", "")


# -- simulate ---------------------------------------------------------------------------------

COMPACT_COMPLETED = (
    "Testpaket\n"
    "Flöde: Huvudflöde\n"
    "1  Remissen tas emot — LPO: ja\n"
    "2  Gapanalys — LPO: nej (antaget)\n"
    "3  Beslut i regionen — Verksamhetschef: ja\n"
    "4  Varje kommun beslutar — Kommunen Alfa: ja (antaget)\n"
    "5  Varje kommun beslutar — Kommunen Beta: ja (antaget)\n"
    "6  Samordning — LPO\n"
    "7  Klart — LPO → slutfört\n"
    "Ärendet är slutfört efter 7 steg.\n"
    "Antagna svar (frågans standardsvar användes eftersom inget svar gavs):\n"
    "  Behöver underlaget kompletteras? nej (ändra med --fact komplettera=…)\n"
    "  Beslutar kommunen att införa kunskapsstödet? ja (ändra med --fact kommun_beslut[Alfa]=…)\n"
    "  Beslutar kommunen att införa kunskapsstödet? ja (ändra med --fact kommun_beslut[Beta]=…)\n"
    "Källor:\n"
    "  001 Testrutin\n"
)


def test_simulate_compact() -> None:
    facts = ("--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=ja")
    assert invoke("simulate", M, *facts, "--compact") == (0, COMPACT_COMPLETED, "")


def test_simulate_case_file(tmp_path: Path) -> None:
    case = tmp_path / "fall.yaml"
    case.write_text(
        "name: x\nanswers: {beror_kommunerna: ja, ryms_i_budget: ja}\nexpect: {status: completed}\n", encoding="utf-8"
    )
    assert invoke("simulate", M, "--case", str(case), "--compact") == (0, COMPACT_COMPLETED, "")


def test_simulate_timeline() -> None:
    code, out, err = invoke("simulate", M, "--fact", "beror_kommunerna=nej")
    assert (code, err) == (0, "")
    assert [line.rstrip() for line in out.splitlines()] == [
        "Testpaket",
        "Flöde: Huvudflöde",
        "",
        "  Remiss",
        "1 Remissen tas emot",
        "  LPO · 001 steg 1",
        "  Berör kunskapsstödet kommunerna? nej",
        "  Beslut av LPO",
        "2 Regionintern rutin",
        "  LPO · 001 steg 2",
        "  → överlämnat till Regionintern rutin",
        "",
        "Ärendet är överlämnat efter 2 steg.",
        "Källor:",
        "  001 Testrutin",
    ]


def test_simulate_json() -> None:
    code, out, _ = invoke("simulate", M, "--fact", "beror_kommunerna=nej", "--json", "--start", "2026-03-01")
    result = json.loads(out)
    assert code == 0
    assert {k: result[k] for k in ("schema", "status", "flow", "start", "next_due", "warnings")} == {
        "schema": "kprocess.simulation/1",
        "status": "handed_over",
        "flow": "huvudflode",
        "start": "2026-03-01",
        "next_due": None,
        "warnings": [],
    }
    assert [(e["seq"], e["step"], e["date"], e["end"], e["handed_to"]) for e in result["trace"]] == [
        (1, "remiss", "2026-03-01", None, None),
        (2, "regionrutin", "2026-03-01", "handed_over", "Regionintern rutin"),
    ]
    assert result["trace"][0]["decision"]["answer"] is False


def test_simulate_missing_answer_without_terminal() -> None:
    assert invoke("simulate", M, "--fact", "beror_kommunerna=ja") == (
        2,
        "",
        "kprocess: svar saknas och ingen terminal finns att fråga i: ryms_i_budget\n"
        "Ange dem med `--fact fraga=svar` (se `kprocess facts`).\n",
    )


def test_simulate_endless_loop_stops_with_the_way_out() -> None:
    code, out, err = invoke("simulate", M, "--fact", "beror_kommunerna=ja", "--fact", "komplettera=ja")
    assert code == 1
    assert "Körningen stoppades efter 4 steg, innan ärendet nådde ett slut." in out.splitlines()
    assert err == (
        "kprocess: ärendet stoppades: vägen från `analys` till `analys` har tagits fler än 3 gånger "
        "(max_times: 3); svaren leder aldrig ut ur slingan. Ge t.ex. `komplettera=ja,nej` så att slingan tar slut.\n"
    )


def test_simulate_batch_reports_every_line() -> None:
    lines = '{"id": "a", "answers": {"beror_kommunerna": "nej"}}\n{"answers": []}\nxx\n'
    code, out, err = invoke("simulate", M, "--batch", "-", stdin=lines)
    assert code == 1
    assert [json.loads(line) for line in out.splitlines()] == [
        {
            "id": "a",
            "status": "handed_over",
            "path": ["remiss", "regionrutin"],
            "decisions": [["remiss", None, False, "lpo"]],
        },
        {"id": 2, "line": 2, "error": "`answers` ska vara ett JSON-objekt med fråga och svar, inte en lista"},
        {"id": None, "line": 3, "error": "rad 3 är inte JSON: Expecting value (tecken 1)"},
    ]
    assert err == 'kprocess: 2 ärenden kunde inte köras (se "error" i utdata)\n'


def test_simulate_batch_refuses_facts() -> None:
    assert invoke("simulate", M, "--fact", "beror_kommunerna=ja", "--batch", "-") == (
        2,
        "",
        "kprocess: --fact kan inte användas med --batch: ge svar, start och flöde på varje rad i filen\n",
    )


# -- paths, mandates --------------------------------------------------------------------------


def test_paths_json() -> None:
    code, out, _ = invoke("paths", M, "--json")
    [flow] = json.loads(out)["flows"]
    assert code == 0
    assert [(p["steps"], p["status"], p["answers"]) for p in flow["paths"]] == [
        (
            ["remiss", "analys", "region_beslut", "kommunbeslut", "samordning", "klart"],
            "completed",
            {"beror_kommunerna": True, "komplettera": False},
        ),
        (["remiss", "regionrutin"], "handed_over", {"beror_kommunerna": False}),
    ]
    assert (flow["truncated"], flow["loops"]) == (False, [{"from": "analys", "to": "analys", "max_times": 3}])


def test_paths_text_with_limit() -> None:
    code, out, _ = invoke("paths", M, "--limit", "1")
    assert code == 0
    assert out.splitlines()[:5] == [
        "Flöde huvudflode: 1 väg genom flödet (avbrutet vid 1)",
        "  1. beror_kommunerna=ja, komplettera=nej → slutfört",
        "     remiss → analys → region_beslut → kommunbeslut → samordning → klart",
        "  slinga: analys → analys (högst 3 gånger)",
        out.splitlines()[4],
    ]
    assert out.splitlines()[4].startswith("Täckning av 0 testfall: ")


@pytest.mark.parametrize(("budget", "holder"), [("ja", "vc"), ("nej", "ledning")])
def test_mandates_json_names_this_cases_holder(budget: str, holder: str) -> None:
    code, out, _ = invoke("mandates", M, "--json", "--fact", f"ryms_i_budget={budget}")
    assert code == 0
    assert [(m["step"], m["reached"], m["this_case"]) for m in json.loads(out)] == [
        ("remiss", True, "lpo"),
        ("analys", True, "lpo"),
        ("region_beslut", True, holder),
        ("kommunbeslut", True, "kommun"),
    ]


def test_mandates_text() -> None:
    code, out, _ = invoke("mandates", M, "--fact", "ryms_i_budget=nej")
    assert code == 0
    assert out.split("\n\n")[0:2] == [
        "Beslut och mandat i Testpaket",
        "Remissen tas emot · 001 steg 1\n  Beslut om: Berör kunskapsstödet kommunerna?\n"
        "  LPO (beslut) — alltid\n  I detta ärende: LPO",
    ]
    assert "  Ledningsgrupp (beslut) — annars\n  I detta ärende: Ledningsgrupp\n" in out


# -- test -------------------------------------------------------------------------------------


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    pack = tmp_path / "minimal.yaml"
    pack.write_bytes(MINIMAL.read_bytes())
    folder = tmp_path / "cases" / "test"
    folder.mkdir(parents=True)
    (folder / "01_inom_budget.yaml").write_text(
        "name: Inom budget\nanswers: {beror_kommunerna: ja, ryms_i_budget: ja}\n"
        "expect:\n  status: completed\n  decisions: [{step: region_beslut, answer: ja, by: vc}]\n",
        encoding="utf-8",
    )
    (folder / "02_fel.yaml").write_text(
        "name: Fel förväntan\nanswers: {beror_kommunerna: nej}\nexpect: {status: completed}\n", encoding="utf-8"
    )
    return pack


def test_test_reports_each_case_and_the_failure(cases: Path) -> None:
    code, out, _ = invoke("test", str(cases))
    folder = cases.parent / "cases" / "test"
    lines = out.splitlines()
    assert code == 1
    assert lines[:3] == [
        f"ok   {folder / '01_inom_budget.yaml'}: Inom budget",
        f"FEL  {folder / '02_fel.yaml'}: Fel förväntan",
        "      status: väntade completed, fick handed_over",
    ]
    assert lines[-1] == "1 godkända, 1 underkända"


def test_test_json(cases: Path) -> None:
    code, out, _ = invoke("test", str(cases), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert (report["passed"], report["failed"], report["min_coverage"]) == (1, 1, 0.0)
    [pack] = report["packs"]
    assert [(c["name"], c["passed"], c["failures"]) for c in pack["cases"]] == [
        ("Inom budget", True, []),
        ("Fel förväntan", False, ["status: väntade completed, fick handed_over"]),
    ]
    assert (pack["routes_percent"], pack["steps_percent"], pack["uncovered_routes"]) == (
        75.0,
        100.0,
        [{"step": "analys", "route": 0}],
    )


def test_test_passes_and_fails_on_coverage(cases: Path) -> None:
    (cases.parent / "cases" / "test" / "02_fel.yaml").unlink()
    code, out, _ = invoke("test", str(cases))
    assert (code, out.splitlines()[-1]) == (0, "1 godkända, 0 underkända")
    code, out, _ = invoke("test", str(cases), "--min-coverage", "60", "--format", "json")
    assert (code, json.loads(out)["packs"][0]["routes_percent"]) == (1, 50.0)


def test_test_without_cases_is_a_usage_error(tmp_path: Path) -> None:
    pack = tmp_path / "minimal.yaml"
    pack.write_bytes(MINIMAL.read_bytes())
    assert invoke("test", str(pack)) == (
        2,
        "",
        f"kprocess: inga testfall för {pack}: lägg dem i {tmp_path / 'cases' / 'test'}/\n",
    )
