"""The command line's own words: Swedish usage line, completion that installs, one meaning of "vägar"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def kprocess(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **env}
    return subprocess.run(
        [str(Path(sys.executable).parent / "kprocess"), *args],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        cwd=ROOT,
    )


def test_the_usage_line_is_swedish() -> None:
    done = kprocess("--help")
    usage = [line.strip() for line in done.stdout.splitlines() if "Användning:" in line]
    assert (done.returncode, usage) == (0, ["Användning: kprocess [FLAGGOR] KOMMANDO [ARGUMENT]..."])


def test_completion_installs_for_the_named_shell(tmp_path: Path) -> None:
    done = kprocess("--install-completion", "bash", HOME=str(tmp_path), SHELL="/bin/bash")
    script = tmp_path / ".bash_completions" / "kprocess.sh"
    assert (done.returncode, done.stdout) == (
        0,
        f"Kompletteringen för bash är installerad i {script}.\nDen gäller när du har startat om terminalen.\n",
    )
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8").splitlines()
    assert "_KPROCESS_COMPLETE" in script.read_text(encoding="utf-8")


def test_completion_completes_commands() -> None:
    done = kprocess(_KPROCESS_COMPLETE="complete_bash", COMP_WORDS="kprocess val", COMP_CWORD="1")
    assert (done.returncode, done.stdout.split()) == (0, ["validate"])


def test_paths_says_vagar_for_paths_and_utgangar_for_routes() -> None:
    done = kprocess("paths", "regions/orebro.yaml")
    lines = done.stdout.splitlines()
    flows = [" ".join(line.split(": ", 1)[1].split()[1:]) for line in lines if line.startswith("Flöde")]
    [covered] = [line.split(": ", 1)[1] for line in lines if line.startswith("Täckning")]
    assert (flows, covered) == (
        ["vägar genom flödet", "väg genom flödet", "vägar genom flödet"],
        "utgångar 100 %, steg 100 %",
    )
