"""Benchmark 3: how validate, paths and simulate grow with the size of a pack.

For each size a synthetic pack (`synthetic.generate(n, seed)`) is written and
first checked to validate cleanly. Then each operation is measured twice:

* as the user runs it, a cold `kprocess` process: wall time and peak RSS
  (`kprocess validate --format json`, `kprocess paths PACK --json`,
  `kprocess simulate PACK --json --no-input` with `synthetic.SHARED_FACTS`, the rest defaults);
* in-process, in a fresh worker (`python bench_scaling.py worker OP PACK REPS`),
  timing only the work (`check_file` of `kprocess validate`, `flow_paths` for every flow, `run_case`,
  with the garbage collector's thresholds the command line sets)
  after a warm-up call, so growth is not hidden behind fixed costs (interpreter
  start-up, imports, building pydantic validators on first use).

Growth is reported per doubling: `(t2 / t1) ** (1 / log2(n2 / n1))` between
consecutive sizes, from the medians and from the fastest samples; the verdict uses the
fastest samples (other load on a shared machine only ever adds time, so the fastest
sample is the least disturbed estimate of the work), the table shows both. A command
that crashes or passes its timeout is recorded as such,
with the end of its error output, and larger sizes of that operation are skipped
after a timeout.
"""

from __future__ import annotations

import gc
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_validate import BIN, cprofile
from measure import median, run_process
from synthetic import SHARED_FACTS, generate

OPS = ("validate", "paths", "simulate")
NOISE_FLOOR_S = 0.0005  # in-process times below this are too noisy to judge growth on
SAMPLE_S = 0.05  # a quick operation is repeated until one sample takes this long
SLOW_S = 1.0  # an operation slower than this is not run an extra time to warm up


def _cli(op: str, pack: Path) -> list[str]:
    kprocess = str(BIN / "kprocess")
    return {
        "validate": [kprocess, "validate", "--no-cache", "--format", "json", str(pack)],  # cold: every step read
        "paths": [kprocess, "paths", str(pack), "--json"],
        "simulate": [kprocess, "simulate", str(pack), "--json", "--no-input", *_facts()],
    }[op]


def _facts() -> list[str]:
    return [arg for key, value in SHARED_FACTS.items() for arg in ("--fact", f"{key}={value}")]


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def crash_summary(stderr: str) -> str:
    """The exception line of a traceback, with the frame it recursed in, if it did."""
    lines = [line for line in stderr.strip().splitlines() if line.strip() and not line.strip().startswith("^")]
    if not lines or not any(line.startswith("Traceback") for line in lines):
        return _tail(stderr)
    summary = lines[-1].strip()
    for i, line in enumerate(lines):
        if "Previous line repeated" in line and i >= 2:
            frame = lines[i - 2].strip().replace(str(Path(__file__).resolve().parent.parent) + "/", "")
            summary += f" (recursing in {frame}, {line.strip()[1:-1].lower()})"
            break
    return summary


def clean(validate_stdout: str) -> tuple[bool, str]:
    """Whether `validate --format json` found nothing; with a short description."""
    try:
        report = json.loads(validate_stdout)
    except json.JSONDecodeError:
        return False, "no JSON report"
    findings = report.get("diagnostics", [])
    if not findings:
        return True, "clean"
    codes = sorted({d.get("code", "?") for d in findings})
    return False, f"{len(findings)} findings ({', '.join(codes)})"


def _cli_info(op: str, stdout: str) -> dict[str, Any]:
    """What the command's output says: paths found and truncation, trace length."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return {}
    if op == "paths":
        flows = data.get("flows", [])
        return {
            "paths": sum(len(f["paths"]) for f in flows),
            "truncated": any(f["truncated"] for f in flows),
            "output_mib": len(stdout.encode()) / 2**20,
        }
    if op == "simulate":
        return {"trace": len(data.get("trace", [])), "status": data.get("status")}
    return {}


def measure_cli(op: str, pack: Path, reps: int, timeout: float) -> dict[str, Any]:
    """Cold-process runs of one operation: median wall, peak RSS, exit, and what the output says."""
    runs = []
    for _ in range(reps):
        result = run_process(_cli(op, pack), timeout=timeout)
        runs.append(result)
        if result.returncode != 0 or result.timed_out:
            break
    last = runs[-1]
    out: dict[str, Any] = {
        "seconds": median([r.seconds for r in runs]),
        "peak_mib": max(r.peak_mib for r in runs),
        "exit": last.returncode,
        "timed_out": last.timed_out,
        **_cli_info(op, last.stdout),
    }
    if op == "validate":
        out["clean"], out["findings"] = clean(last.stdout)
    if last.returncode != 0 and not last.timed_out:
        out["error"] = crash_summary(last.stderr)
        out["crashed"] = "Traceback (most recent call last)" in last.stderr
        out["log"] = str(pack.with_suffix(f".{op}.stderr"))
        Path(out["log"]).write_text(last.stderr)
    return out


def measure_inprocess(op: str, pack: Path, reps: int, timeout: float) -> dict[str, Any]:
    """The work alone, timed in a fresh worker process."""
    cmd = [sys.executable, __file__, "worker", op, str(pack), str(reps)]
    result = run_process(cmd, timeout=timeout)
    if result.timed_out:
        return {"timed_out": True, "seconds": None}
    try:
        data = json.loads(result.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"seconds": None, "error": _tail(result.stderr)}
    times = data.pop("times", [])
    return {"seconds": median(times) if times else None, "times": times, "peak_mib": result.peak_mib, **data}


def per_doubling(sizes: list[int], seconds: list[float | None]) -> list[float | None]:
    """Cost factor per doubling between consecutive sizes (None where a side is missing or too small)."""
    factors: list[float | None] = []
    for i in range(1, len(sizes)):
        (n1, t1), (n2, t2) = (sizes[i - 1], seconds[i - 1]), (sizes[i], seconds[i])
        if t1 is None or t2 is None or t1 < NOISE_FLOOR_S:
            factors.append(None)
        else:
            factors.append((t2 / t1) ** (1 / math.log2(n2 / n1)))
    return factors


def _measure_size(size: int, pack: Path, reps: int, timeouts: dict[str, float], stopped: set[str]) -> dict[str, Any]:
    """The cold CLI runs and a first in-process pass of every operation at one size."""
    row: dict[str, Any] = {"steps": size, "kib": pack.stat().st_size / 1024}
    for op in OPS:
        if op in stopped:
            row[op] = {"skipped": "a smaller size timed out"}
            continue
        cli = measure_cli(op, pack, 1 if op == "paths" else reps, timeouts[op])
        work: dict[str, Any] = {"seconds": None, "skipped": "the command failed"}
        if cli["exit"] == 0 and not cli["timed_out"]:
            work = measure_inprocess(op, pack, 1 if op == "paths" else reps, timeouts[op])
        row[op] = {"cli": cli, "inprocess": work}
        if cli["timed_out"] or work.get("timed_out"):
            stopped.add(op)
    return row


def _more_passes(rows: list[dict[str, Any]], rawdir: Path, reps: int, timeouts: dict[str, float], passes: int) -> None:
    """Further in-process passes over every size (sizes interleaved in time), pooled into the medians."""
    for _ in range(passes - 1):
        for row in rows:
            pack = rawdir / f"synthetic-{row['steps']}.yaml"
            for op in OPS:
                work = row[op].get("inprocess") or {}
                if work.get("seconds") is None:
                    continue
                again = measure_inprocess(op, pack, 1 if op == "paths" else reps, timeouts[op])
                work["times"] += again.get("times", [])
                work["seconds"] = median(work["times"])


def run(
    sizes: list[int], rawdir: Path, reps: int, timeouts: dict[str, float], passes: int = 1, seed: int = 1
) -> dict[str, Any]:
    """Every operation at every size; growth per doubling from the in-process times.

    The in-process work is measured in `passes` passes over all sizes, so a busy moment
    on the machine does not land on one size only; each size's samples are pooled.
    """
    rows: list[dict[str, Any]] = []
    stopped: set[str] = set()
    for size in sizes:
        pack = rawdir / f"synthetic-{size}.yaml"
        pack.write_text(generate(size, seed))
        rows.append(_measure_size(size, pack, reps, timeouts, stopped))
    _more_passes(rows, rawdir, reps, timeouts, passes)
    sizes = [r["steps"] for r in rows]
    growth = {op: per_doubling(sizes, [_seconds(r, op) for r in rows]) for op in OPS}
    growth_min = {op: per_doubling(sizes, [_seconds(r, op, fastest=True) for r in rows]) for op in OPS}
    return {
        "seed": seed,
        "passes": passes,
        "rows": rows,
        "growth_per_doubling": growth,
        "growth_per_doubling_fastest": growth_min,
        "timeouts_s": timeouts,
    }


def profiles(scaling: dict[str, Any], rawdir: Path, outdir: Path) -> dict[str, Any]:
    """cProfile of `validate` and `paths` at the largest size each finished at."""
    out: dict[str, Any] = {}
    for op, args in (("validate", ["validate"]), ("paths", ["paths", "--json"])):
        done = [r["steps"] for r in scaling["rows"] if _row_op_ok(r, op)]
        if not done:
            continue
        size = max(done)
        pack = rawdir / f"synthetic-{size}.yaml"
        name = f"{op}-{size}"
        top = cprofile([*args[:1], str(pack), *args[1:]], rawdir / f"{name}.prof", outdir / f"{name}-cprofile.txt")
        out[name] = top
    return out


def _row_op_ok(row: dict[str, Any], op: str) -> bool:
    cli = row.get(op, {}).get("cli", {})
    return bool(cli) and cli.get("exit") == 0 and not cli.get("timed_out")


def _seconds(row: dict[str, Any], op: str, fastest: bool = False) -> float | None:
    """The in-process median (or fastest sample) of `op` at this size, None if there is none."""
    work = row[op].get("inprocess") or {}
    if fastest and work.get("times"):
        return float(min(work["times"]))
    return work.get("seconds")


# -- the worker ------------------------------------------------------------------------


def _work_validate(pack: Path) -> Callable[[], dict[str, Any]]:
    from kprocess.cli.validate import check_file  # what `kprocess validate --no-cache` does per file

    def once() -> dict[str, Any]:
        return {"diagnostics": len(check_file(pack))}

    return once


def _work_paths(pack: Path) -> Callable[[], dict[str, Any]]:
    from kprocess.pack import load_pack
    from kprocess.paths import flow_paths

    loaded = load_pack(pack)

    def once() -> dict[str, Any]:
        reports = [flow_paths(loaded, flow.id) for flow in loaded.model.flows]
        return {"paths": sum(len(r.paths) for r in reports), "truncated": any(r.truncated for r in reports)}

    return once


def _work_simulate(pack: Path) -> Callable[[], dict[str, Any]]:
    from kprocess.engine import run_case
    from kprocess.pack import load_pack

    loaded = load_pack(pack)

    def once() -> dict[str, Any]:
        result = run_case(loaded, SHARED_FACTS)
        return {"trace": len(result.trace), "status": result.status.value}

    return once


def _samples(once: Callable[[], dict[str, Any]], reps: int) -> tuple[list[float], dict[str, Any]]:
    """Seconds per call of `once`, `reps` samples after a warm-up call.

    Quick calls are repeated within a sample (at least `SAMPLE_S` per sample); a call
    slower than `SLOW_S` counts its first run as a sample instead of a warm-up.
    """
    start = time.perf_counter()
    info = once()
    first = time.perf_counter() - start
    times = [first] if first > SLOW_S else []
    inner = max(1, math.ceil(SAMPLE_S / max(first, 1e-9)))
    while len(times) < reps:
        start = time.perf_counter()
        for _ in range(inner):
            info = once()
        times.append((time.perf_counter() - start) / inner)
    return times, info


def worker(op: str, pack: Path, reps: int) -> int:
    """Time `op` on `pack` in this process, with the command line's collector settings; print one JSON line."""
    from kprocess.cli import COLLECT_THRESHOLDS

    gc.set_threshold(*COLLECT_THRESHOLDS)
    setup = {"validate": _work_validate, "paths": _work_paths, "simulate": _work_simulate}[op]
    try:
        times, info = _samples(setup(pack), reps)
    except Exception as error:  # report any crash of kprocess as data, not as a benchmark failure
        print(json.dumps({"error": f"{type(error).__name__}: {str(error)[:300]}"}))
        return 1
    print(json.dumps({"times": times, **info}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "worker":
        raise SystemExit(worker(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])))
    raise SystemExit("usage: bench_scaling.py worker OP PACK REPS")
