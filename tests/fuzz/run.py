"""Coverage-guided fuzzing of one input surface with atheris (libFuzzer).

    python tests/fuzz/run.py loader -max_total_time=5        # what CI runs, for each target
    python tests/fuzz/run.py validator -max_total_time=3600  # longer, on demand

Targets: loader, validator, condition, batch (tests/fuzz/targets.py). The seeds are
tests/fuzz/corpus/TARGET/; new inputs that reach new code are written to
tests/fuzz/corpus-run/TARGET/ (not committed). A finding stops the run with the input saved as
crash-*, timeout-* or oom-* in the working folder: add it to tests/hostile/ with its expected
result. Any libFuzzer option can follow the target (-runs=N, -timeout=S, -rss_limit_mb=M).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["kprocess"]):
    from tests.fuzz.targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: python tests/fuzz/run.py {{{'|'.join(TARGETS)}}} [libFuzzer options]")
    name = sys.argv[1]
    seeds = ROOT / "tests" / "fuzz" / "corpus" / name
    found = ROOT / "tests" / "fuzz" / "corpus-run" / name
    found.mkdir(parents=True, exist_ok=True)
    options = [arg for arg in sys.argv[2:] if arg.startswith("-")]
    defaults = ["-timeout=10", "-rss_limit_mb=2048", "-max_len=65536"]
    options += [d for d in defaults if not any(o.startswith(d.split("=")[0] + "=") for o in options)]
    atheris.Setup([sys.argv[0], *options, str(found), str(seeds)], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
