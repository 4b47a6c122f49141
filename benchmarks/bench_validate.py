"""Benchmark 1: `kprocess validate` as CI runs it, a cold process per run, and where its time goes.

Sides, interleaved: `kprocess validate --no-cache PACKS` (cold: everything checked),
`kprocess validate PACKS` with its cache filled by the warm-up runs (unchanged packs, as in
pre-commit hooks and editors), `check-jsonschema --schemafile
schemas/kprocess-pack.schema.json PACKS` (the same files, schema only) and `python -c pass`
(the floor every Python command pays). Both validators read YAML with ruamel.yaml's C parser
(`ruamel.yaml.clib`, installed in the same environment); `yaml_parsers` checks and reports it.
Profiles: `python -X importtime`, cProfile and (when installed) pyinstrument of one cold run.
"""

from __future__ import annotations

import os
import pstats
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from measure import ProcessRun, interleaved, median, paired_ratio, run_process, spread

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "schemas" / "kprocess-pack.schema.json"
KPROCESS = "kprocess validate"
CACHED = "kprocess validate, cached"
CHECK_JSONSCHEMA = "check-jsonschema"
FLOOR = "python -c pass"


def commands(packs: list[Path]) -> dict[str, list[str]]:
    """The cold-process commands, on the same files."""
    files = [str(p) for p in packs]
    return {
        KPROCESS: [str(BIN / "kprocess"), "validate", "--no-cache", *files],
        CACHED: [str(BIN / "kprocess"), "validate", *files],
        CHECK_JSONSCHEMA: [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *files],
        FLOOR: [sys.executable, "-c", "pass"],
    }


def yaml_parsers() -> dict[str, str]:
    """The YAML parser class each validator uses here (both must be ruamel.yaml's C parser)."""
    probes = {
        KPROCESS: "from kprocess.yamlsource import _parser; p = _parser().Parser",
        CHECK_JSONSCHEMA: "from check_jsonschema.parsers.yaml import construct_yaml_implementation as c; "
        "p = c().Parser",
    }
    found = {}
    for name, probe in probes.items():
        done = subprocess.run(
            [sys.executable, "-c", f"{probe}; print(p.__module__ + '.' + p.__name__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        found[name] = done.stdout.strip() or f"unknown ({done.stderr.strip()[-200:]})"
    return found


def run(packs: list[Path], rounds: int, warmup: int = 2, cache_dir: Path | None = None) -> dict[str, Any]:
    """Time the commands interleaved; return medians, spreads, peak memory, exit codes and ratios.

    The cached side keeps its cache in `cache_dir` (emptied first); the warm-up runs fill it.
    """
    cmds = commands(packs)
    last: dict[str, ProcessRun] = {}
    if cache_dir is not None:
        import shutil

        shutil.rmtree(cache_dir, ignore_errors=True)
        os.environ["KPROCESS_CACHE_DIR"] = str(cache_dir)
    os.environ.pop("KPROCESS_NO_CACHE", None)

    def side(name: str) -> Any:
        def call() -> float:
            last[name] = result = run_process(cmds[name], timeout=120)
            return result.seconds

        return call

    samples = interleaved({name: side(name) for name in cmds}, rounds, warmup)
    sides = {
        name: {
            "median_s": median(times),
            "spread": spread(times),
            "samples_s": times,
            "peak_mib": last[name].peak_mib,
            "exit": last[name].returncode,
            "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmds[name])),
        }
        for name, times in samples.items()
    }
    return {
        "packs": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in packs],
        "rounds": rounds,
        "sides": sides,
        "yaml_parsers": yaml_parsers(),
        "ratio_kprocess_vs_check_jsonschema": paired_ratio(samples[KPROCESS], samples[CHECK_JSONSCHEMA]),
        "ratio_kprocess_vs_floor": paired_ratio(samples[KPROCESS], samples[FLOOR]),
        "ratio_cached_vs_floor": paired_ratio(samples[CACHED], samples[FLOOR]),
        "ratio_cached_vs_check_jsonschema": paired_ratio(samples[CACHED], samples[CHECK_JSONSCHEMA]),
        "ratio_check_jsonschema_vs_floor": paired_ratio(samples[CHECK_JSONSCHEMA], samples[FLOOR]),
    }


# -- profiles -------------------------------------------------------------------------

_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S.*)$")


def import_times(packs: list[Path], out: Path) -> list[dict[str, Any]]:
    """`python -X importtime -m kprocess validate PACKS`: write the raw log, return the costliest imports.

    Returned: modules imported directly by kprocess code or the entry point (nesting
    depth ≤ 2), sorted by cumulative microseconds.
    """
    cmd = [sys.executable, "-X", "importtime", "-m", "kprocess", "validate", "--no-cache", *map(str, packs)]
    result = run_process(cmd, timeout=120)
    out.write_text(result.stderr)
    rows: list[dict[str, Any]] = []
    for line in result.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            self_us, cumulative_us, indent, module = match.groups()
            rows.append(
                {
                    "module": module,
                    "self_ms": int(self_us) / 1000,
                    "cumulative_ms": int(cumulative_us) / 1000,
                    "depth": (len(indent) - 1) // 2,
                }
            )
    total = sum(r["self_ms"] for r in rows)
    top = sorted((r for r in rows if r["depth"] <= 2), key=lambda r: -r["cumulative_ms"])
    return [{"total_import_ms": round(total, 1)}, *top[:25]]


def _stats_rows(stats: pstats.Stats, key: str, count: int) -> list[dict[str, Any]]:
    """The top `count` functions of a profile by `key` (`cumulative` or `tottime`)."""
    entries = stats.stats  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, tottime, cumtime, _) in entries.items():
        rows.append(
            {"function": f"{_short(file)}:{line}({name})", "calls": calls, "tottime_s": tottime, "cumtime_s": cumtime}
        )
    field = "cumtime_s" if key == "cumulative" else "tottime_s"
    return sorted(rows, key=lambda r: -r[field])[:count]


def _short(file: str) -> str:
    """A source path shortened to the part after `site-packages/` or `src/`."""
    for marker in ("site-packages/", "/src/", "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def cprofile(cmd_args: list[str], prof: Path, text: Path) -> dict[str, list[dict[str, Any]]]:
    """Run `python -m cProfile -o PROF -m kprocess ARGS`; write a text summary; return the top rows."""
    prof.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "kprocess", *cmd_args]
    run_process(cmd, timeout=600, keep_stdout=False)
    if not prof.exists():
        return {"cumulative": [], "tottime": []}
    return summarise_profile(prof, text)


def summarise_profile(prof: Path, text: Path, count: int = 30) -> dict[str, list[dict[str, Any]]]:
    """Write the top entries of a cProfile file by cumulative and by own time; return them."""
    with text.open("w") as stream:
        stats = pstats.Stats(str(prof), stream=stream)
        stats.sort_stats("cumulative").print_stats(count)
        stats.sort_stats("tottime").print_stats(count)
    return {"cumulative": _stats_rows(stats, "cumulative", count), "tottime": _stats_rows(stats, "tottime", count)}


def pyinstrument(cmd_args: list[str], text: Path) -> bool:
    """A pyinstrument call tree of `kprocess ARGS` (False when pyinstrument is not installed)."""
    import importlib.util

    if importlib.util.find_spec("pyinstrument") is None:
        return False
    cmd = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(text), "-m", "kprocess", *cmd_args]
    return run_process(cmd, timeout=600).returncode == 0


def profiles(packs: list[Path], outdir: Path, rawdir: Path) -> dict[str, Any]:
    """Every start-up profile of `kprocess validate PACKS`, written under `outdir`."""
    args = ["validate", "--no-cache", *map(str, packs)]
    return {
        "importtime": import_times(packs, rawdir / "validate-importtime.log"),
        "cprofile": cprofile(args, rawdir / "validate.prof", outdir / "validate-cprofile.txt"),
        "pyinstrument": pyinstrument(args, outdir / "validate-pyinstrument.txt"),
    }
