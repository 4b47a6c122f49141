"""Mutation score of the core modules from a reproducible sample of mutmut's mutants.

    python tests/mutation/sample.py --per-module 60        # a sample: an hour or more on 2 cores
    python tests/mutation/sample.py --all                  # every mutant: hours
    python tests/mutation/sample.py --per-module 60 --report  # the sample's scores so far, running nothing
    python tests/mutation/sample.py --all --report         # scores of every mutant run so far
    python tests/mutation/sample.py --per-module 60 --again  # after adding tests: only the sample's survivors

mutmut (configured in pyproject.toml) writes the mutants to mutants/ and runs, for each one, the
tests that reach the mutated function. This script picks the same mutants for the same seed,
runs them, and prints the score of each module: killed (or timed out) out of those run. The
surviving mutants are listed with `mutmut show NAME` to see each change.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants" / "src" / "kprocess"
MODULES = {
    "conditions": ["conditions.py"],
    "engine/run": ["engine/run.py"],
    "paths": ["paths.py"],
    "checks": ["checks/"],
    "yamlsource": ["yamlsource.py"],
    "answers": ["answers.py"],
}
KILLED = {1, 3, 36, -24, 24, 152, 255}  # a failing test, pytest's internal error, or a timeout
NOT_RUN = {None, 34, 37}  # not checked yet, skipped, caught by the type checker


def mutmut(*args: str) -> int:
    """Run mutmut from the repository root (its configuration is in pyproject.toml)."""
    command = [str(Path(sys.executable).parent / "mutmut"), *args]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def module_of(meta: Path) -> str | None:
    relative = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
    for module, prefixes in MODULES.items():
        if any(relative == p or (p.endswith("/") and relative.startswith(p)) for p in prefixes):
            return module
    return None


def results() -> dict[str, dict[str, int | None]]:
    """Exit code of every mutant, by module."""
    found: dict[str, dict[str, int | None]] = {module: {} for module in MODULES}
    for meta in sorted(MUTANTS.rglob("*.meta")):
        module = module_of(meta)
        if module is not None:
            found[module].update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def sample(per_module: int, seed: int) -> list[str]:
    """`per_module` mutants of each module, the same ones for the same seed and source."""
    chosen: list[str] = []
    for names in results().values():
        ordered = sorted(names)
        chosen += random.Random(seed).sample(ordered, min(per_module, len(ordered)))
    return chosen


def report(names: Iterable[str] | None) -> dict[str, dict[str, object]]:
    """Score of each module over `names` (all run mutants when None) and the survivors."""
    wanted = None if names is None else set(names)
    summary: dict[str, dict[str, object]] = {}
    for module, codes in results().items():
        run = {n: c for n, c in codes.items() if c not in NOT_RUN and (wanted is None or n in wanted)}
        killed = sum(c in KILLED for c in run.values())
        survivors = sorted(n for n, c in run.items() if c not in KILLED)
        score = 100 * killed / len(run) if run else 0.0
        summary[module] = {"mutants": len(codes), "run": len(run), "killed": killed, "score": round(score, 1)}
        summary[module]["survivors"] = survivors
        print(f"{module:12} {killed:4}/{len(run):<4} killed  {score:5.1f} %   ({len(codes)} mutants in all)")
    total_run = sum(int(str(s["run"])) for s in summary.values())
    total_killed = sum(int(str(s["killed"])) for s in summary.values())
    if total_run:
        print(f"{'all':12} {total_killed:4}/{total_run:<4} killed  {100 * total_killed / total_run:5.1f} %")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-module", type=int, default=60, help="mutants per module (default 60)")
    parser.add_argument("--seed", type=int, default=10, help="sample seed (default 10)")
    parser.add_argument("--all", action="store_true", help="run every mutant")
    parser.add_argument("--report", action="store_true", help="run nothing; print the scores so far")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument(
        "--again", action="store_true", help="run only the sampled mutants that survived (or were not run) last time"
    )
    parser.add_argument("--max-children", default="2", help="parallel mutants (default 2)")
    args = parser.parse_args()

    if not args.report:
        if not any(MUTANTS.rglob("*.meta")):
            mutmut("run", "--max-children", args.max_children, "kprocess.answers.*__mutmut_1")  # generates all
        names = [] if args.all else sample(args.per_module, args.seed)
        if args.again:
            codes = {n: c for found in results().values() for n, c in found.items()}
            names = [n for n in (names or list(codes)) if codes.get(n) not in KILLED]
        if names or not args.again:
            mutmut("run", "--max-children", args.max_children, *names)
    chosen = None if args.all else sample(args.per_module, args.seed)
    summary = report(chosen)
    if args.survivors:
        for module, data in summary.items():
            for name in data["survivors"]:  # type: ignore[attr-defined]
                print(f"{module:12} {name}")
    (ROOT / "mutants").mkdir(exist_ok=True)
    (ROOT / "mutants" / "sample.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
