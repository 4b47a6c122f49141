"""Benchmark 2: many cases in one process — kprocess against engines doing the same work.

For each pack the same random cases (see `cases.py`) run through: kprocess
`run_case`, kprocess's batch API (when `kprocess.engine.batch` exists), a bare
`transitions` machine and a plain dict-walk (`baselines.py`), and SpiffWorkflow on
the pack's own BPMN export (`spiff_bpmn.py`, on a subset: it is two orders of magnitude
slower). Sides are interleaved round by round; each reports seconds per case. Before
timing, every engine's outcome is compared with kprocess's on every case.
"""

from __future__ import annotations

import cProfile
import gc
import importlib
import importlib.util
import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from baselines import DictWalk, TransitionsEngine, TransitionsExecuteEngine, compile_plan
from bench_validate import BIN, summarise_profile
from cases import Parsed, RawCase, parse, runnable_cases
from measure import interleaved, median, paired_ratio, run_process, spread, timed

from kprocess.engine import CaseResult, run_case
from kprocess.pack import RulePack, load_pack

KPROCESS = "kprocess run_case"
BATCH = "kprocess batch"
TRANSITIONS = "bare transitions"
TRANSITIONS_EXECUTE = "transitions, execute"
DICTWALK = "dict-walk"
SPIFF = "SpiffWorkflow"
NOT_AVAILABLE = "batch: not available yet"
BatchRunner = Callable[[RulePack, Iterable[dict[str, Any]]], Iterator[dict[str, Any]]]


def batch_runner() -> BatchRunner | None:
    """`kprocess.engine.batch.run_batch` if the batch API exists, else None."""
    if importlib.util.find_spec("kprocess.engine.batch") is None:
        return None
    module = importlib.import_module("kprocess.engine.batch")
    runner = getattr(module, "run_batch", None)
    return runner if callable(runner) else None


def spiff_available() -> bool:
    """True when SpiffWorkflow is installed."""
    return importlib.util.find_spec("SpiffWorkflow") is not None


def _end(result: CaseResult) -> str:
    return next((e.step for e in reversed(result.trace) if e.end), "")


def _records(result: CaseResult) -> list[tuple[Any, ...]]:
    """kprocess's run as the baselines record it: (step, party, answer, holder) per step done."""
    rows = [
        (e.step, e.party, e.decision.answer if e.decision else None, e.decision.by.id if e.decision else None)
        for e in result.trace
    ]
    return sorted(rows, key=repr)


def _check(
    pack: RulePack, cases: list[RawCase], engines: dict[str, Any], batch: BatchRunner | None, spiff_limit: int
) -> dict[str, str]:
    """Run every case through every engine and compare with kprocess; return `agreeing/total` per engine."""
    agree: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    batch_out = list(batch(pack, [{"answers": c} for c in cases])) if batch else []
    for n, case in enumerate(cases):
        reference = run_case(pack, case)
        end, records = _end(reference), _records(reference)
        given = parse(pack, case)
        for name, engine in engines.items():
            if name == SPIFF and n >= spiff_limit:
                continue
            totals[name] += 1
            got_end, got = engine.run(given)
            if name == SPIFF:
                agree[name] += got_end == end and got == Counter((r[0], r[1]) for r in records)
            else:
                agree[name] += got_end == end and sorted(got, key=repr) == records
        if batch:
            totals[BATCH] += 1
            line = batch_out[n]
            decided = sorted((tuple(d) for d in line.get("decisions", [])), key=repr)
            wanted = sorted(((r[0], r[1], r[2], r[3]) for r in records if r[2] is not None), key=repr)
            agree[BATCH] += line.get("status") == reference.status.value and decided == wanted
    return {name: f"{agree[name]}/{totals[name]}" for name in totals}


def _per_case(function: Callable[[], object], count: int) -> Callable[[], float]:
    """A side for `interleaved`: seconds per case of one call of `function` over `count` cases."""

    def side() -> float:
        gc.collect()
        return timed(function) / count

    return side


def _runner(engine: Any, parsed: list[Parsed]) -> Callable[[], object]:
    """Run every parsed case through `engine`."""
    return lambda: [engine.run(given) for given in parsed]


def _sides(
    pack: RulePack, cases: list[RawCase], engines: dict[str, Any], batch: BatchRunner | None, spiff_limit: int
) -> dict[str, Any]:
    parsed = [parse(pack, c) for c in cases]
    sides: dict[str, Callable[[], float]] = {
        KPROCESS: _per_case(lambda: [run_case(pack, c) for c in cases], len(cases)),
    }
    if batch is not None:
        jobs = [{"answers": c} for c in cases]
        sides[BATCH] = _per_case(lambda: deque(batch(pack, jobs), maxlen=0), len(cases))
    for name, engine in engines.items():
        subset = parsed[:spiff_limit] if name == SPIFF else parsed
        sides[name] = _per_case(_runner(engine, subset), len(subset))
    return sides


def _engines(pack: RulePack, spiff_cases: int) -> dict[str, Any]:
    plan = compile_plan(pack)
    engines: dict[str, Any] = {
        TRANSITIONS: TransitionsEngine(plan),
        TRANSITIONS_EXECUTE: TransitionsExecuteEngine(plan),
        DICTWALK: DictWalk(plan),
    }
    if spiff_available() and spiff_cases > 0:
        from spiff_bpmn import SpiffEngine

        engines[SPIFF] = SpiffEngine(pack)
    return engines


def run_pack(label: str, path: Path, n_cases: int, rounds: int, spiff_cases: int) -> dict[str, Any]:
    """Every engine on one pack: cases/s, ratios and whether each agrees with kprocess."""
    pack = load_pack(path)
    cases = runnable_cases(pack, n_cases, seed=1)
    if not cases:
        return {"pack": label, "steps": len(pack.model.steps), "cases": 0, "engines": {}}
    batch = batch_runner()
    spiff_limit = min(spiff_cases, len(cases))
    engines = _engines(pack, spiff_limit)
    agreement = _check(pack, cases, engines, batch, spiff_limit)
    samples = interleaved(_sides(pack, cases, engines, batch, spiff_limit), rounds, warmup=1)
    rows = {}
    for name, times in samples.items():
        rows[name] = {
            "s_per_case": median(times),
            "cases_per_s": 1 / median(times),
            "spread": spread(times),
            "vs_transitions": paired_ratio(times, samples[TRANSITIONS]),
            "vs_execute": paired_ratio(times, samples[TRANSITIONS_EXECUTE]),
            "vs_dictwalk": paired_ratio(times, samples[DICTWALK]),
            "agrees": agreement.get(name, "reference"),
            "cases": spiff_limit if name == SPIFF else len(cases),
        }
    if batch is None:
        rows[BATCH] = {"unavailable": NOT_AVAILABLE}
    return {"pack": label, "steps": len(pack.model.steps), "cases": len(cases), "engines": rows}


def cli_batch(path: Path, n_cases: int, rawdir: Path, reps: int) -> dict[str, Any] | None:
    """`kprocess simulate PACK --batch cases.jsonl`, cold: cases/s including start-up (None if no `--batch`)."""
    usage = run_process([BIN / "kprocess", "simulate", "--help"], timeout=60).stdout
    if "--batch" not in usage:
        return None
    pack = load_pack(path)
    cases = runnable_cases(pack, n_cases, seed=2)
    jsonl = rawdir / f"cases-{path.stem}.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"id": n, "answers": c}, ensure_ascii=False) + "\n" for n, c in enumerate(cases))
    )
    runs = [
        run_process([BIN / "kprocess", "simulate", str(path), "--batch", str(jsonl)], timeout=600) for _ in range(reps)
    ]
    seconds = median([r.seconds for r in runs])
    lines = runs[-1].stdout.count("\n")
    return {
        "pack": path.stem,
        "cases": len(cases),
        "seconds": seconds,
        "cases_per_s": len(cases) / seconds,
        "peak_mib": runs[-1].peak_mib,
        "exit": runs[-1].returncode,
        "result_lines": lines,
    }


def profile_run_case(path: Path, n_cases: int, outdir: Path, rawdir: Path) -> dict[str, Any]:
    """cProfile of `run_case` over `n_cases` cases of one pack (after a warm-up run)."""
    pack = load_pack(path)
    cases = runnable_cases(pack, n_cases, seed=3)
    for case in cases[:5]:
        run_case(pack, case)
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [run_case(pack, c) for c in cases])
    prof = rawdir / "run_case.prof"
    profiler.dump_stats(str(prof))
    summary = summarise_profile(prof, outdir / "run_case-cprofile.txt")
    return {"pack": path.stem, "cases": len(cases), **summary}


def run(packs: list[tuple[str, Path]], n_cases: int, rounds: int, spiff_cases: int) -> list[dict[str, Any]]:
    """Throughput on every pack."""
    return [run_pack(label, path, n_cases, rounds, spiff_cases) for label, path in packs]
