"""Timing helpers: processes with wall time and peak memory, interleaved rounds, medians and ratios.

On a shared machine absolute times drift, so every comparison runs its sides
interleaved (A B C, B C A, C A B, ...) after a warm-up, and reports the median
per side and the median of the per-round ratios.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessRun:
    """One finished process: wall seconds, peak resident memory (MiB), exit code and output."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


GNU_TIME = Path("/usr/bin/time")


def child_env() -> dict[str, str]:
    """The environment for measured processes: ours, but with Python's bytecode cache on.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes), an editable install such as
    kprocess's `src/` is compiled from source on every start while site-packages have
    their `.pyc` files: that would charge kprocess ~50 ms that no normal installation
    pays. The warm-up runs write the cache; the measured runs read it.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _peak_from_time(report: Path) -> float | None:
    """Peak RSS in MiB from a GNU time `-f %M` report (its last line; earlier lines may be notes)."""
    try:
        lines = report.read_text().split()
        return int(lines[-1]) / 1024 if lines else None
    except (OSError, ValueError):
        return None


def run_process(cmd: Sequence[str | Path], timeout: float = 600.0, keep_stdout: bool = True) -> ProcessRun:
    """Run `cmd` to its end; measure wall time and its peak RSS.

    Peak RSS comes from GNU `time -f %M` (/usr/bin/time) wrapped around the command:
    on Linux a child's own `ru_maxrss` starts at its parent's RSS at fork time, so
    `os.wait4` of a child forked by a large benchmark process would over-report;
    forked by the tiny `time` binary it does not. Without /usr/bin/time, `os.wait4` is
    used. stdout/stderr go to temporary files, so a large output never blocks a pipe.
    A process past `timeout` is killed with its process group (`timed_out=True`).
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "time"
        argv = [str(c) for c in cmd]
        if GNU_TIME.exists():
            argv = [str(GNU_TIME), "-f", "%M", "-o", str(report), *argv]
        with (Path(tmp) / "out").open("w+b") as out, (Path(tmp) / "err").open("w+b") as err:
            stdout_target = out if keep_stdout else subprocess.DEVNULL
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=stdout_target, stderr=err, start_new_session=True, env=child_env())
            killed = threading.Event()

            def kill() -> None:
                killed.set()
                os.killpg(proc.pid, signal.SIGKILL)

            timer = threading.Timer(timeout, kill)
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            peak = _peak_from_time(report) if GNU_TIME.exists() else None
            return ProcessRun(
                seconds,
                peak if peak is not None else usage.ru_maxrss / 1024,
                proc.returncode,
                out.read().decode(errors="replace"),
                err.read().decode(errors="replace"),
                killed.is_set(),
            )


def interleaved(sides: Mapping[str, Callable[[], float]], rounds: int, warmup: int = 1) -> dict[str, list[float]]:
    """Call every side once per round, rotating the order; return each side's measurements.

    Each callable returns one measurement (seconds, or any number where lower is better).
    """
    names = list(sides)
    for _ in range(warmup):
        for name in names:
            sides[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            samples[name].append(sides[name]())
    return samples


def median(values: Sequence[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else float("nan")


def paired_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Median of the per-round ratios numerator[i] / denominator[i] (rounds ran side by side)."""
    return median([a / b for a, b in zip(numerator, denominator, strict=True) if b > 0])


def spread(values: Sequence[float]) -> float:
    """Relative spread of the middle half: (q3 - q1) / median; 0 for fewer than 4 values."""
    if len(values) < 4:
        return 0.0
    q1, _, q3 = statistics.quantiles(values, n=4)
    mid = median(values)
    return (q3 - q1) / mid if mid else 0.0


def timed(function: Callable[[], object]) -> float:
    """Seconds one call of `function` takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start
