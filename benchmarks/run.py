"""Run every kprocess benchmark and write benchmarks/results/results.{md,json}.

    .venv/bin/python benchmarks/run.py            # full run, about 10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # smoke run, under a minute

The full run also puts the results table into docs/performance.md (between its
`<!-- results:begin -->` and `<!-- results:end -->` markers); `--no-docs` leaves it alone.
The county packs are whatever `regions/*.yaml` exist when it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_scaling  # noqa: E402 - benchmarks/ is a folder of scripts, put on the path above
import bench_throughput  # noqa: E402
import bench_validate  # noqa: E402
import report  # noqa: E402
from synthetic import generate  # noqa: E402

ROOT = HERE.parent
RESULTS = HERE / "results"
RAW = RESULTS / "raw"
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
PACKAGES = ["kprocess", "transitions", "pydantic", "ruamel.yaml", "SpiffWorkflow", "check-jsonschema"]


@dataclass(frozen=True)
class Settings:
    """How much to measure: the full run or the quick smoke run."""

    mode: str
    validate_rounds: int
    cases: int
    throughput_rounds: int
    spiff_cases: int
    profile_cases: int
    sizes: list[int]
    reps: int
    passes: int
    warmup: int
    timeouts: dict[str, float] = field(default_factory=dict)


FULL = Settings(
    "full",
    15,
    300,
    7,
    60,
    500,
    [100, 1000, 2000, 5000, 10_000, 16_000],
    3,
    3,
    2,
    {"validate": 120, "paths": 180, "simulate": 120},
)
QUICK = Settings("quick", 5, 60, 3, 10, 100, [100, 500], 1, 1, 1, {"validate": 30, "paths": 15, "simulate": 30})


def missing_requirements() -> list[str]:
    """Benchmark-only tools that are not installed (see benchmarks/requirements.txt)."""
    missing = []
    if not (bench_validate.BIN / "check-jsonschema").exists():
        missing.append("check-jsonschema")
    if importlib.util.find_spec("SpiffWorkflow") is None:
        missing.append("SpiffWorkflow")
    return missing


def region_packs() -> list[Path]:
    """The county packs present now; the test packs if there are none yet."""
    packs = sorted((ROOT / "regions").glob("*.yaml"))
    if packs:
        return packs
    print("benchmarks: no regions/*.yaml yet; using tests/data/*.yaml", file=sys.stderr)
    return sorted((ROOT / "tests" / "data").glob("*.yaml"))


def _command(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """Facts about this machine and checkout, for the report."""
    dirty = _command("git", "status", "--porcelain", "--", "src")
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus": _command("nproc") or str(os.cpu_count()),
        "cpu_model": _cpu_model(),
        "python": _command(sys.executable, "-V") or platform.python_version(),
        "platform": platform.platform(),
        "git": _command("git", "rev-parse", "--short", "HEAD") + (" + uncommitted src/ changes" if dirty else ""),
        "src": _command("git", "rev-parse", "HEAD:src") + dirty,
        "versions": {p: _version(p) for p in PACKAGES},
    }


def split_usable(packs: list[Path]) -> tuple[list[Path], dict[str, str]]:
    """Packs kprocess can load (for running cases), and why the others cannot be used."""
    from kprocess.diagnostics import PackError
    from kprocess.pack import load_pack

    usable, unusable = [], {}
    for pack in packs:
        try:
            load_pack(pack)
        except PackError as error:
            first = error.diagnostics[0].code if error.diagnostics else "?"
            unusable[pack.name] = f"{len(error.diagnostics)} errors, e.g. {first}"
            continue
        usable.append(pack)
    return usable, unusable


def _step(title: str) -> float:
    print(f"== {title}", file=sys.stderr, flush=True)
    return time.perf_counter()


def profiles_dir(settings: Settings) -> Path:
    """Where profile summaries go: `profiles/` for the full run, `profiles-quick/` for smoke runs."""
    return RESULTS / ("profiles" if settings.mode == "full" else "profiles-quick")


def measure(settings: Settings, packs: list[Path]) -> dict[str, Any]:
    """Every benchmark, in order; returns the results (without targets)."""
    results: dict[str, Any] = {"mode": settings.mode, "meta": machine()}
    profiles = profiles_dir(settings)
    _step(f"validate: {len(packs)} packs, {settings.validate_rounds} rounds")
    results["validate"] = bench_validate.run(packs, settings.validate_rounds, settings.warmup, RAW / "validate-cache")
    _step("profiles of kprocess validate")
    results["profiles"] = {"validate": bench_validate.profiles(packs, profiles, RAW)}
    synthetic = RAW / "throughput-synthetic-100.yaml"
    synthetic.write_text(generate(100, seed=1))
    usable, results["unusable_packs"] = split_usable(packs)
    throughput_packs = [(p.stem, p) for p in usable] + [("synthetic-100", synthetic)]
    _step(f"throughput: {len(throughput_packs)} packs, {settings.cases} cases, {settings.throughput_rounds} rounds")
    results["throughput"] = bench_throughput.run(
        throughput_packs, settings.cases, settings.throughput_rounds, settings.spiff_cases
    )
    biggest = max(usable or [synthetic], key=lambda p: p.stat().st_size)
    results["cli_batch"] = bench_throughput.cli_batch(biggest, settings.cases * 10, RAW, settings.reps)
    _step("profile of run_case")
    results["profiles"]["run_case"] = bench_throughput.profile_run_case(biggest, settings.profile_cases, profiles, RAW)
    _step(f"scaling: sizes {settings.sizes}")
    results["scaling"] = bench_scaling.run(settings.sizes, RAW, settings.reps, settings.timeouts, settings.passes)
    _step("profiles of validate and paths at the largest sizes")
    results["profiles"]["scaling"] = bench_scaling.profiles(results["scaling"], RAW, profiles)
    if machine()["src"] != results["meta"]["src"]:
        results["meta"]["git"] += " (src/ changed during the run: results mix versions)"
    return results


def update_docs(table: str) -> bool:
    """Put `table` between the result markers of docs/performance.md; False if the markers are missing."""
    if not DOCS.exists():
        return False
    text = DOCS.read_text()
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{table}{END}{tail}")
    return True


def main(argv: list[str] | None = None) -> int:
    """Parse options, check requirements, measure, write the results."""
    parser = argparse.ArgumentParser(description="Run the kprocess benchmarks.")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer rounds and sizes (< 60 s)")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    args = parser.parse_args(argv)
    missing = missing_requirements()
    if missing:
        print(f"benchmarks: missing {', '.join(missing)}.", file=sys.stderr)
        print(f"Install them with: {sys.executable} -m pip install -r benchmarks/requirements.txt", file=sys.stderr)
        return 2
    settings = QUICK if args.quick else FULL
    for folder in (RAW, profiles_dir(settings)):
        folder.mkdir(parents=True, exist_ok=True)
    for stale in profiles_dir(settings).glob("*.txt"):
        stale.unlink()
    start = time.perf_counter()
    results = measure(settings, region_packs())
    results["elapsed_s"] = time.perf_counter() - start
    results["targets"] = report.targets(results)
    table = report.markdown(results)
    suffix = "" if settings.mode == "full" else "-quick"
    (RESULTS / f"results{suffix}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    (RESULTS / f"results{suffix}.md").write_text(table)
    if settings.mode == "full" and not args.no_docs and not update_docs(table):
        print(f"benchmarks: {DOCS} has no result markers; not updated", file=sys.stderr)
    print(table)
    print(f"Wrote {RESULTS / f'results{suffix}.md'} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
