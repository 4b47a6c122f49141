"""A run that stops before an end keeps what it did: the timeline so far, and a failed JSON result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from kprocess.engine import LoopLimitError, RunFailure, Status, run_case
from kprocess.pack import load_pack

ROOT = Path(__file__).parent.parent
PACK = ROOT / "tests" / "checks" / "KP202" / "pass.yaml"
LOOPING = ["--fact", "beror_kommunerna=ja", "--fact", "komplettera=ja", "--no-input"]
STOPPED = (
    "vägen från `analys` till `analys` har tagits fler än 3 gånger (max_times: 3); svaren leder aldrig ut ur "
    "slingan. Ge t.ex. `komplettera=ja,nej` så att slingan tar slut."
)


def kprocess(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "kprocess", *args], capture_output=True, text=True, check=False, env=environment
    )


def test_the_error_carries_the_run_so_far() -> None:
    with pytest.raises(LoopLimitError) as raised:
        run_case(load_pack(PACK), {"beror_kommunerna": "ja", "komplettera": "ja"})
    partial = raised.value.partial
    assert partial is not None
    assert (partial.status, partial.error, partial.path()) == (
        Status.failed,
        RunFailure("loop_limit", STOPPED),
        ["remiss", "analys", "analys", "analys"],
    )


def test_simulate_prints_the_timeline_so_far_then_the_error() -> None:
    done = kprocess("simulate", str(PACK), *LOOPING, "--compact")
    assert (done.returncode, done.stdout.splitlines()[2:7], done.stderr) == (
        1,
        [
            "1  Remissen tas emot — LPO: ja",
            "2  Gapanalys — LPO: ja",
            "3  Gapanalys — LPO: ja",
            "4  Gapanalys — LPO: ja",
            "Körningen stoppades efter 4 steg, innan ärendet nådde ett slut.",
        ],
        f"kprocess: ärendet stoppades: {STOPPED}\n",
    )


def test_simulate_json_gives_a_failed_result_with_the_error() -> None:
    done = kprocess("simulate", str(PACK), *LOOPING, "--json")
    result = json.loads(done.stdout)
    schema = json.loads((ROOT / "schemas" / "kprocess-simulation.schema.json").read_text(encoding="utf-8"))
    assert [e.message for e in Draft7Validator(schema).iter_errors(result)] == []
    assert (done.returncode, result["status"], result["error"], [e["step"] for e in result["trace"]]) == (
        1,
        "failed",
        {"kind": "loop_limit", "message": STOPPED},
        ["remiss", "analys", "analys", "analys"],
    )
