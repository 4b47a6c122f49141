"""What a process owner reads: the timeline, the mandates and the command line's own words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kprocess.cli.app import app
from kprocess.cli.swedish import translate
from kprocess.cli.words import condition_words
from kprocess.pack import RulePack

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = str(ROOT / "tests" / "data" / "minimal.yaml")
ENV = dict(os.environ, NO_COLOR="1", COLUMNS="80")


def kprocess(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command, piped, as a script would."""
    command = [str(Path(sys.executable).parent / "kprocess"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)


def test_compact_timeline_marks_assumed_answers_and_names_the_flow_and_sources() -> None:
    done = kprocess("simulate", MINIMAL, "--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=ja", "--compact")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[:12] == [
        "Testpaket",
        "Flöde: Huvudflöde",
        "1  Remissen tas emot — LPO: ja",
        "2  Gapanalys — LPO: nej (antaget)",
        "3  Beslut i regionen — Verksamhetschef: ja",
        "4  Varje kommun beslutar — Kommunen Alfa: ja (antaget)",
        "5  Varje kommun beslutar — Kommunen Beta: ja (antaget)",
        "6  Samordning — LPO",
        "7  Klart — LPO → slutfört",
        "Ärendet är slutfört efter 7 steg.",
        "Antagna svar (frågans standardsvar användes eftersom inget svar gavs):",
        "  Behöver underlaget kompletteras? nej (ändra med --fact komplettera=…)",
    ]
    assert done.stdout.splitlines()[-2:] == ["Källor:", "  001 Testrutin"]


def test_full_timeline_fits_80_columns_when_piped() -> None:
    done = kprocess("simulate", MINIMAL, "--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=ja")
    assert (done.returncode, max(len(line.rstrip()) for line in done.stdout.splitlines()) <= 80) == (0, True)
    assert "Behöver underlaget kompletteras? nej (antaget)" in done.stdout.replace("\n ", " ")


def test_mandate_conditions_read_as_words(minimal: RulePack) -> None:
    assert condition_words(minimal, "ryms_i_budget and not komplettera") == (
        "”Ryms åtgärderna inom verksamheternas uppdrag och budget, utan påverkan på budget eller personal?” är ja"
        " och ”Behöver underlaget kompletteras?” är nej"
    )
    assert condition_words(minimal, "any(kommun_beslut)") == (
        "någon part svarar ja på ”Beslutar kommunen att införa kunskapsstödet?”"
    )
    assert condition_words(minimal, "not a valid (") == "not a valid ("


def test_version_and_framework_text_are_swedish() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).output.startswith("kprocess ")
    missing = kprocess("simulate")
    assert (missing.returncode, missing.stderr.splitlines()) == (
        2,
        [
            "Användning: kprocess simulate [FLAGGOR] PAKET",
            "Skriv 'kprocess simulate --help' för hjälp.",
            "kprocess: argumentet PAKET saknas",
        ],
    )
    assert translate("No such option: --jsn Did you mean --json?") == "okänd flagga --jsn; menade du --json?"


def test_every_view_takes_format_json() -> None:
    for args in (["facts", MINIMAL], ["paths", MINIMAL], ["mandates", MINIMAL], ["actors", MINIMAL]):
        done = kprocess(*args, "--format", "json")
        assert (args, done.returncode, done.stdout[:1]) == (args, 0, "[" if args[0] != "paths" else "{")
