"""`kprocess sources`: the sections of each document, what cites them, and the coverage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kprocess.cli.app import app
from kprocess.pack import analyse_file
from tests.conftest import ROOT

PACK = ROOT / "tests" / "data" / "sections.yaml"
RUNNER = CliRunner()

TEXT = """\
Källor i Källtest

004 – Överenskommelse om samverkan
  titelsida  Titelsida — utanför paketet: Parter och datum
  §1.2.1     Giltighetstid — giltighet
  §3         Organisation — genom underavsnitten
    §3.1     Lokalt programområde — aktör lpo
    §3.2     Lokal samverkansgrupp — utanför paketet: LSG bereder men beslutar inte
  §4.4.1     Remisshantering och införande — steg remiss, infor, avslut; mandat remiss regel 1; fråga infors
  §4.5       Nomineringsprocess — saknar hänvisning
  bilaga 2   Kunskapsrådets ledamöter — mandat remiss regel 2; aktör ledning
  Täckning: 7/8 avsnitt redovisade, 1 avsnitt saknar hänvisning.

005 – Bakgrund
  listar inga avsnitt; lägg till `sections:` för att se täckningen
"""

MARKDOWN = """\
### 004 – Överenskommelse om samverkan

| Avsnitt | Rubrik | Redovisas av |
|---|---|---|
| titelsida | Titelsida | utanför paketet: Parter och datum |
| §1.2.1 | Giltighetstid | giltighet |
| §3 | Organisation | genom underavsnitten |
| §3.1 | Lokalt programområde | aktör `lpo` |
| §3.2 | Lokal samverkansgrupp | utanför paketet: LSG bereder men beslutar inte |
| §4.4.1 | Remisshantering och införande | steg `remiss`, `infor`, `avslut`; mandat `remiss` regel 1; fråga `infors` |
| §4.5 | Nomineringsprocess | saknar hänvisning |
| bilaga 2 | Kunskapsrådets ledamöter | mandat `remiss` regel 2; aktör `ledning` |

Täckning: 7/8 avsnitt redovisade, 1 avsnitt saknar hänvisning.

### 005 – Bakgrund

Dokumentet listar inga avsnitt; lägg till `sections:` för att se täckningen.
"""


def test_text_lists_every_section_with_what_accounts_for_it() -> None:
    result = RUNNER.invoke(app, ["sources", str(PACK)])
    assert (result.exit_code, result.output) == (1, TEXT)


def test_markdown_is_a_table_per_document() -> None:
    result = RUNNER.invoke(app, ["sources", str(PACK), "--format", "markdown"])
    assert (result.exit_code, result.output) == (1, MARKDOWN)


def test_json_names_status_parent_and_every_citing_place() -> None:
    result = RUNNER.invoke(app, ["sources", str(PACK), "-f", "json"])
    report = json.loads(result.output)
    first, second = report["documents"]
    rows = [
        (s["id"], s["parent"], s["status"], [(c["kind"], c["id"], c["rule"]) for c in s["cited_by"]])
        for s in first["sections"]
    ]
    assert result.exit_code == 1
    assert (report["version"], report["pack"]) == (1, "kallor")
    assert {k: first[k] for k in ("id", "title", "listed", "accounted", "missing")} == {
        "id": "004",
        "title": "Överenskommelse om samverkan",
        "listed": 8,
        "accounted": 7,
        "missing": 1,
    }
    assert rows == [
        ("titelsida", None, "out_of_scope", []),
        ("§1.2.1", None, "cited", [("validity", None, None)]),
        ("§3", None, "by_parts", []),
        ("§3.1", "§3", "cited", [("actor", "lpo", None)]),
        ("§3.2", "§3", "out_of_scope", []),
        (
            "§4.4.1",
            None,
            "cited",
            [
                ("step", "remiss", None),
                ("mandate", "remiss", 1),
                ("step", "infor", None),
                ("step", "avslut", None),
                ("question", "infors", None),
            ],
        ),
        ("§4.5", None, "missing", []),
        ("bilaga 2", None, "cited", [("mandate", "remiss", 2), ("actor", "ledning", None)]),
    ]
    assert first["sections"][4] == {
        "id": "§3.2",
        "title": "Lokal samverkansgrupp",
        "parent": "§3",
        "status": "out_of_scope",
        "cited_by": [],
        "out_of_scope": "LSG bereder men beslutar inte",
    }
    assert first["sections"][1]["cited_by"] == [{"kind": "validity", "id": None, "rule": None, "source": "004 §1.2.1"}]
    assert (second["id"], second["listed"], second["sections"]) == ("005", 0, [])


def test_full_coverage_exits_0(tmp_path: Path) -> None:
    covered = tmp_path / "p.yaml"
    text = PACK.read_text(encoding="utf-8")
    text = text.replace("title: Nomineringsprocess}", "title: Nomineringsprocess, out_of_scope: Nationell process}")
    covered.write_text(text, encoding="utf-8")
    result = RUNNER.invoke(app, ["sources", str(covered)])
    expected = TEXT.replace(
        "Nomineringsprocess — saknar hänvisning", "Nomineringsprocess — utanför paketet: Nationell process"
    )
    expected = expected.replace("7/8 avsnitt redovisade, 1 avsnitt", "8/8 avsnitt redovisade, 0 avsnitt")
    assert (result.exit_code, result.output) == (0, expected)


def test_unlisted_section_is_reported_and_nothing_is_shown(tmp_path: Path) -> None:
    broken = tmp_path / "p.yaml"
    broken.write_text(PACK.read_text(encoding="utf-8").replace("source: 004 §3.1}", "source: 004 §3.3}"), "utf-8")
    result = RUNNER.invoke(app, ["sources", str(broken)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f"{broken}:30:72: KP314 avsnittet `§3.3` finns inte bland avsnitten i dokument 004",
        "    → menade du `§3.2`?",
    ]


def test_command_line_exit_codes() -> None:
    def kprocess(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "200"}
        return subprocess.run(
            [sys.executable, "-m", "kprocess", "sources", *args], capture_output=True, text=True, env=env, check=False
        )

    done = kprocess(str(PACK))
    assert (done.returncode, done.stdout) == (1, TEXT)
    missing = kprocess("finns/inte.yaml")
    assert (missing.returncode, missing.stderr) == (2, "kprocess: finns/inte.yaml finns inte\n")
    assert kprocess(str(PACK), "--format", "html").returncode == 2


def test_a_section_listed_twice_is_a_duplicate(tmp_path: Path) -> None:
    twice = tmp_path / "p.yaml"
    line = "      - {id: §4.5, title: Nomineringsprocess}\n"
    twice.write_text(PACK.read_text(encoding="utf-8").replace(line, line + line), "utf-8")
    _, diagnostics = analyse_file(twice)
    assert [(d.code, d.line, d.message) for d in diagnostics if d.code == "KP201"] == [
        ("KP201", 20, "avsnittet `§4.5` finns redan (nummer 7)")
    ]


def test_a_second_extraction_of_a_document_counts_for_its_sections(tmp_path: Path) -> None:
    text = PACK.read_text(encoding="utf-8").replace(
        '  - id: "005"\n    title: Bakgrund\n',
        '  - id: "005"\n    title: Bakgrund\n  - id: "006"\n    title: Samma överenskommelse, annat textuttag\n'
        '    same_text_as: "004"\n',
    )
    path = tmp_path / "pack.yaml"
    path.write_text(text.replace("source: 004 §4.4.1 p.5, end: completed", "source: 006 §4.5, end: completed"))
    done = RUNNER.invoke(app, ["sources", str(path), "--format", "markdown"])
    assert "| §4.5 | Nomineringsprocess | steg `infor` |" in done.output
    assert "Dokumentet har samma text som 004; hänvisningar hit redovisas under 004." in done.output
    path.write_text(text.replace('same_text_as: "004"', 'same_text_as: "0044"'))
    _, diagnostics = analyse_file(path)
    assert [(d.code, d.message, d.hint) for d in diagnostics if d.code == "KP202"] == [
        ("KP202", "dokumentet `0044` finns inte", "menade du `004`?")
    ]


@pytest.mark.parametrize("county", ["orebro", "vasternorrland", "blekinge"])
def test_each_county_page_shows_its_current_coverage_table(county: str) -> None:
    done = RUNNER.invoke(app, ["sources", str(ROOT / "regions" / f"{county}.yaml"), "--format", "markdown"])
    assert done.exit_code == 0, done.output
    page = (ROOT / "docs" / "regions" / f"{county}.md").read_text(encoding="utf-8")
    assert done.output.strip() in page, f"klistra in `kprocess sources regions/{county}.yaml --format markdown`"
