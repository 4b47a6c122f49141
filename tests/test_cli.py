"""The command line as a user and CI see it: exit codes, reports and the simulate JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from tests.conftest import MINIMAL, ROOT

CHECKS = ROOT / "tests" / "checks"


def kprocess(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kprocess", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_validate_clean_pack_exits_0() -> None:
    done = kprocess("validate", str(MINIMAL))
    assert done.returncode == 0
    assert "inga problem" in done.stdout


def test_validate_broken_pack_exits_1_with_positions() -> None:
    done = kprocess("validate", str(CHECKS / "KP202" / "fail.yaml"))
    assert done.returncode == 1
    assert "fail.yaml:65:12: KP202 aktören `vcc` finns inte" in done.stdout
    assert "menade du `vc`?" in done.stdout


def test_validate_missing_file_is_a_usage_error() -> None:
    done = kprocess("validate", "finns/inte.yaml")
    assert done.returncode == 2
    assert "finns inte" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_option_is_a_usage_error() -> None:
    assert kprocess("validate", "--inget-sadant", str(MINIMAL)).returncode == 2


def test_validate_json_report() -> None:
    done = kprocess("validate", "--format", "json", str(CHECKS / "KP310" / "fail.yaml"), str(MINIMAL))
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert report["errors"] == 1 and len(report["files"]) == 2
    [d] = report["diagnostics"]
    assert (d["code"], d["line"], d["column"], d["path"]) == ("KP310", 50, 9, "steps[2].id")


def test_validate_github_annotations_and_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    done = kprocess(
        "validate", "-f", "github", str(CHECKS / "KP309" / "fail.yaml"), env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=")
    assert ",line=87,col=" in done.stdout
    assert "| KP309 |" in summary.read_text(encoding="utf-8")


def test_simulate_json_matches_the_documented_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "kprocess-simulation.schema.json").read_text(encoding="utf-8"))
    done = kprocess(
        "simulate",
        str(MINIMAL),
        "--json",
        "--fact",
        "beror_kommunerna=ja",
        "--fact",
        "ryms_i_budget=nej",
        "--fact",
        "kommun_beslut[Beta]=nej",
        "--start",
        "2026-03-01",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(Draft7Validator(schema).iter_errors(result)) == []
    assert result["status"] == "completed"
    beta = [e for e in result["trace"] if e["party"] == "Beta"]
    assert beta[0]["decision"]["answer"] is False


def test_simulate_without_terminal_names_every_missing_answer() -> None:
    done = kprocess("simulate", str(MINIMAL), "--fact", "beror_kommunerna=ja")
    assert done.returncode == 2
    assert "ryms_i_budget" in done.stderr


def test_simulate_bad_fact_is_a_usage_error() -> None:
    done = kprocess("simulate", str(MINIMAL), "--fact", "beror_kommunerna=kanske")
    assert done.returncode == 2
    assert "ja eller nej" in done.stderr


def test_simulate_endless_loop_fails_cleanly() -> None:
    done = kprocess("simulate", str(MINIMAL), "--fact", "beror_kommunerna=ja", "--fact", "komplettera=ja")
    assert done.returncode == 1
    assert "max_times: 3" in done.stderr


def test_simulate_timeline_shows_who_decides() -> None:
    done = kprocess("simulate", str(MINIMAL), "--fact", "beror_kommunerna=ja", "--fact", "ryms_i_budget=ja")
    assert done.returncode == 0
    assert "Verksamhetschef" in done.stdout and "Beta" in done.stdout and "slutfört" in done.stdout


def test_facts_and_mandates_and_paths() -> None:
    facts = json.loads(kprocess("facts", str(MINIMAL), "--json").stdout)
    assert {f["id"] for f in facts} == {"beror_kommunerna", "ryms_i_budget", "kommun_beslut", "komplettera"}
    mandates = json.loads(kprocess("mandates", str(MINIMAL), "--json", "--fact", "ryms_i_budget=nej").stdout)
    assert {m["step"]: m["this_case"] for m in mandates}["region_beslut"] == "ledning"
    paths = json.loads(kprocess("paths", str(MINIMAL), "--json").stdout)
    [flow] = paths["flows"]
    assert [p["status"] for p in flow["paths"]] == ["completed", "handed_over"]
    assert flow["loops"] == [{"from": "analys", "to": "analys", "max_times": 3}]


def test_broken_pack_is_not_simulated() -> None:
    done = kprocess("simulate", str(CHECKS / "KP202" / "fail.yaml"), "--fact", "beror_kommunerna=nej")
    assert done.returncode == 1
    assert "KP202" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_interactive_run_asks_in_swedish_under_a_terminal() -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "kprocess", "simulate", str(MINIMAL)],
        encoding="utf-8",
        timeout=20,
        env={**os.environ, "COLUMNS": "160"},
        dimensions=(50, 160),
    )
    child.expect("Berör kunskapsstödet kommunerna")
    child.sendline("ja")
    child.expect("Ryms åtgärderna")
    child.sendline("kanske")
    child.expect("besvaras med ja eller nej")
    child.sendline("nej")
    child.expect("slutfört")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_broken_case_file_is_reported_not_a_traceback(tmp_path: Path) -> None:
    case = tmp_path / "fall.yaml"
    case.write_text("name: x\nexpect: {statuss: completed}\n", encoding="utf-8")
    done = kprocess("simulate", str(MINIMAL), "--case", str(case))
    assert done.returncode == 1
    assert "fall.yaml:2:10: KP101 okänd nyckel `statuss`" in done.stdout
    missing = kprocess("simulate", str(MINIMAL), "--case", str(tmp_path / "saknas.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_mandates_say_who_decides_this_case_and_which_decisions_it_never_reaches() -> None:
    orebro = str(ROOT / "regions" / "orebro.yaml")
    within = json.loads(kprocess("mandates", orebro, "--json", "--fact", "ryms_i_budget=ja").stdout)
    facts = ("--fact", "ryms_i_budget=nej", "--fact", "delvis_inom_budget=nej")
    outside = json.loads(kprocess("mandates", orebro, "--json", *facts).stdout)
    split = json.loads(kprocess("mandates", orebro, "--json", "--fact", "ryms_i_budget=nej").stdout)
    by_step = {m["step"]: m for m in outside}
    assert by_step["region_beslut_verksamhetschef"]["reached"] is False
    assert {m["step"]: m["reached"] for m in split}["region_beslut_verksamhetschef"] is True  # 001 §3.3: a part may fit
    assert by_step["hsf_beslut"]["reached"] is True
    assert by_step["hsf_beslut"]["this_case"] == "hsf_ledningsgrupp"
    assert {m["step"]: m["reached"] for m in within}["region_beslut_verksamhetschef"] is True


def test_mandates_with_successive_answers_reach_what_the_loop_leads_to() -> None:
    pack = str(ROOT / "regions" / "vasternorrland.yaml")
    base = ("mandates", pack, "--format", "json", "--fact", "beror_kommunerna=ja")
    looping = json.loads(kprocess(*base, "--fact", "underlag_behover_kompletteras=ja,nej").stdout)
    stuck = json.loads(kprocess(*base, "--fact", "underlag_behover_kompletteras=ja").stdout)
    assert [m["step"] for m in looping if m["reached"] is False] == []
    assert "s24" in [m["step"] for m in stuck if m["reached"] is False]
