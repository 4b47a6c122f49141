"""Turn the results into targets (met or not) and a markdown report."""

from __future__ import annotations

from typing import Any

from bench_throughput import BATCH, DICTWALK, KPROCESS, NOT_AVAILABLE, SPIFF, TRANSITIONS, TRANSITIONS_EXECUTE

ENGINE_ORDER = [KPROCESS, BATCH, TRANSITIONS, TRANSITIONS_EXECUTE, DICTWALK, SPIFF]
VALIDATE_RATIO = 0.5
VALIDATE_FLOOR = 10.0
CACHED_FLOOR = 3.0
LAYER_RATIO = 1.5
BATCH_RATIO = 3.0
GROWTH = 2.2
BIG_VALIDATE_S = 2.0
BIG = 10_000


def seconds(value: float | None) -> str:
    """`245 ms`, `1.24 s`, or `—`."""
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ratio(value: float | None) -> str:
    """`1.84×` or `—`."""
    return "—" if value is None else f"{value:.2f}×"


def _target(name: str, measured: str, met: bool | None) -> dict[str, Any]:
    return {"target": name, "measured": measured, "met": met}


def _worst(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _validate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    v = results["validate"]
    value, floor, cached = (
        v["ratio_kprocess_vs_check_jsonschema"],
        v["ratio_kprocess_vs_floor"],
        v["ratio_cached_vs_floor"],
    )
    parsers = v.get("yaml_parsers", {})
    same = len(set(parsers.values())) == 1 and all("CParser" in p for p in parsers.values())
    return [
        _target(
            f"validate (cold, same C YAML parser): kprocess ≤ {VALIDATE_RATIO}× check-jsonschema",
            ratio(value) + ("" if same else " (parsers differ: " + ", ".join(parsers.values()) + ")"),
            same and value <= VALIDATE_RATIO,
        ),
        _target(
            f"validate (cold) ≤ {VALIDATE_FLOOR:.0f}× the `python -c pass` floor", ratio(floor), floor <= VALIDATE_FLOOR
        ),
        _target(
            f"validate of unchanged packs (cache) ≤ {CACHED_FLOOR:.0f}× the floor",
            ratio(cached),
            cached <= CACHED_FLOOR,
        ),
    ]


def _throughput_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    measured = [p for p in results["throughput"] if p["engines"]]
    layer = {p["pack"]: p["engines"][KPROCESS]["vs_transitions"] for p in measured}
    execute = {p["pack"]: p["engines"][KPROCESS].get("vs_execute") for p in measured}
    out = [
        _target(
            f"run_case: kprocess ≤ {LAYER_RATIO}× bare transitions (every pack; in brackets × the machine "
            "driven by `Transition.execute`, as kprocess drives it)",
            ", ".join(f"{k} {ratio(v)} ({ratio(execute[k])})" for k, v in layer.items()),
            all(v <= LAYER_RATIO for v in layer.values()),
        )
    ]
    batch = {p["pack"]: p["engines"][BATCH].get("vs_dictwalk") for p in measured}
    if any(v is None for v in batch.values()):
        out.append(_target(f"batch ≤ {BATCH_RATIO}× dict-walk", NOT_AVAILABLE, None))
    else:
        out.append(
            _target(
                f"batch ≤ {BATCH_RATIO}× dict-walk (every pack)",
                ", ".join(f"{k} {ratio(v)}" for k, v in batch.items()),
                all(v <= BATCH_RATIO for v in batch.values() if v is not None),
            )
        )
    return out


def _row_op(row: dict[str, Any], op: str) -> dict[str, Any]:
    cli: dict[str, Any] = row.get(op, {}).get("cli", {})
    return cli


def _scaling_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    scaling = results["scaling"]
    rows = scaling["rows"]
    out = []
    dirty = [r["steps"] for r in rows if not _row_op(r, "validate").get("clean", False)]
    out.append(
        _target(
            "every synthetic pack validates cleanly",
            "all clean" if not dirty else f"not clean at {dirty} steps",
            not dirty,
        )
    )
    for op in ("validate", "paths", "simulate"):
        worst = _worst(scaling["growth_per_doubling_fastest"][op])
        failed = [r["steps"] for r in rows if (r[op].get("inprocess") or {}).get("seconds") is None]
        medians = _worst(scaling["growth_per_doubling"][op])
        measured = f"worst {ratio(worst)} per doubling (medians: {ratio(medians)})" if worst is not None else "—"
        if failed:
            measured += f"; no result at {failed} steps"
        met = None if worst is None and not failed else (not failed and worst is not None and worst <= GROWTH)
        out.append(_target(f"{op}: linear growth (≤ {GROWTH}× per doubling)", measured, met))
    big = next((r for r in rows if r["steps"] == BIG), None)
    if big is not None:
        cli = _row_op(big, "validate")
        ok = cli.get("exit") == 0 and cli.get("seconds", 99) < BIG_VALIDATE_S
        out.append(
            _target(f"validate {BIG:,} steps < {BIG_VALIDATE_S:.0f} s (cold CLI)", seconds(cli.get("seconds")), ok)
        )
    else:
        out.append(
            _target(f"validate {BIG:,} steps < {BIG_VALIDATE_S:.0f} s (cold CLI)", "not measured (--quick)", None)
        )
    out.append(_paths_target(rows))
    return out


def _paths_target(rows: list[dict[str, Any]]) -> dict[str, Any]:
    problems = []
    for r in rows:
        cli = _row_op(r, "paths")
        if not cli:
            problems.append(f"{r['steps']}: skipped")
        elif cli.get("timed_out"):
            problems.append(f"{r['steps']}: timeout")
        elif cli.get("exit") != 0:
            problems.append(f"{r['steps']} steps: {cli.get('error', 'failed').split(':')[0]}")
        elif cli.get("paths", 0) > 1000:
            problems.append(f"{r['steps']}: {cli['paths']} paths")
    measured = "finishes at every size, ≤ 1000 paths" if not problems else "; ".join(problems)
    return _target("paths does not explode on wide branching (--limit 1000)", measured, not problems)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the brief with its measured value and whether it is met (None: not measured)."""
    return [*_validate_targets(results), *_throughput_targets(results), *_scaling_targets(results)]


# -- markdown ------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _validate_md(v: dict[str, Any]) -> list[str]:
    rows = []
    for name, side in v["sides"].items():
        versus = {
            "kprocess validate": (v["ratio_kprocess_vs_check_jsonschema"], v["ratio_kprocess_vs_floor"]),
            "kprocess validate, cached": (v["ratio_cached_vs_check_jsonschema"], v["ratio_cached_vs_floor"]),
            "check-jsonschema": (1.0, v["ratio_check_jsonschema_vs_floor"]),
        }.get(name, (None, 1.0))
        rows.append(
            [
                f"`{name}`",
                seconds(side["median_s"]),
                f"{side['spread'] * 100:.0f} %",
                f"{side['peak_mib']:.0f} MiB",
                str(side["exit"]),
                ratio(versus[0]),
                ratio(versus[1]),
            ]
        )
    head = f"### Validate, cold process ({len(v['packs'])} packs, {v['rounds']} interleaved rounds)"
    parsers = "; ".join(f"{name}: `{parser}`" for name, parser in v.get("yaml_parsers", {}).items())
    return [
        head,
        "",
        f"YAML parser in use — {parsers}. The cached row keeps its cache in `results/raw/validate-cache`, "
        "filled by the warm-up runs; the cold row runs with `--no-cache`.",
        "",
        *_table(["command", "median wall", "IQR / median", "peak RSS", "exit", "× check-jsonschema", "× floor"], rows),
    ]


def _throughput_md(packs: list[dict[str, Any]], cli_batch: dict[str, Any] | None) -> list[str]:
    rows = []
    for p in packs:
        for name in ENGINE_ORDER:
            e = p["engines"].get(name)
            if e is None:
                continue
            label = f"{p['pack']} ({p['steps']} steps)"
            if "unavailable" in e:
                rows.append([label, f"**{e['unavailable']}**", "—", "—", "—", "—", "—"])
                continue
            rows.append(
                [
                    label,
                    name,
                    f"{e['cases_per_s']:,.0f}",
                    f"{e['s_per_case'] * 1e6:,.1f}",
                    ratio(e["vs_transitions"]),
                    ratio(e["vs_dictwalk"]),
                    f"{e['agrees']} ({e['cases']} cases)"
                    if e["agrees"] != "reference"
                    else f"reference ({e['cases']})",
                ]
            )
    out = [
        "### Simulation throughput, one process",
        "",
        *_table(
            ["pack", "engine", "cases/s", "µs/case", "× bare transitions", "× dict-walk", "agrees with kprocess"], rows
        ),
    ]
    if cli_batch:
        b = cli_batch
        out += [
            "",
            f"`kprocess simulate {b['pack']} --batch cases.jsonl` (cold process, {b['cases']} cases): "
            f"{seconds(b['seconds'])}, {b['cases_per_s']:,.0f} cases/s including start-up, "
            f"peak {b['peak_mib']:.0f} MiB, exit {b['exit']}, {b['result_lines']} result lines.",
        ]
    return out


def _unusable_md(unusable: dict[str, str]) -> list[str]:
    if not unusable:
        return []
    items = "; ".join(f"`{name}`: {why}" for name, why in unusable.items())
    return ["", f"Not run (kprocess cannot load them, see the validate table): {items}."]


def _op_cells(row: dict[str, Any], op: str) -> list[str]:
    cell = row.get(op, {})
    if "skipped" in cell:
        return ["skipped", "—", "—"]
    cli, work = cell["cli"], cell.get("inprocess") or {}
    if cli.get("timed_out"):
        wall = "timeout"
    elif cli.get("exit") != 0:
        wall = f"**{'crash' if cli.get('crashed') else 'failed'}** (exit {cli['exit']})"
    else:
        wall = seconds(cli["seconds"])
        if op == "paths" and "paths" in cli:
            wall += (
                f" ({cli['paths']} paths{', truncated' if cli.get('truncated') else ''}, {cli['output_mib']:.0f} MiB)"
            )
    return [wall, seconds(work.get("seconds")), f"{cli.get('peak_mib', 0):.0f}"]


def _scaling_md(s: dict[str, Any]) -> list[str]:
    rows = []
    for r in s["rows"]:
        rows.append(
            [
                f"{r['steps']:,}",
                f"{r['kib']:,.0f}",
                *(c for op in ("validate", "paths", "simulate") for c in _op_cells(r, op)),
            ]
        )
    for key, label in (("growth_per_doubling_fastest", "per doubling (fastest)"), ("growth_per_doubling", "(medians)")):
        growth = [label, ""]
        for op in ("validate", "paths", "simulate"):
            factors = [ratio(f) if f is not None else "—" for f in s.get(key, {}).get(op, [])]
            growth += ["", " → ".join(factors), ""]
        rows.append(growth)
    header = ["steps", "KiB"]
    for op in ("validate", "paths", "simulate"):
        header += [f"{op} CLI", f"{op} work", f"{op} MiB"]
    errors = [
        f"* {r['steps']:,} steps, `{op}`: {r[op]['cli']['error']}"
        for r in s["rows"]
        for op in ("validate", "paths", "simulate")
        if r.get(op, {}).get("cli", {}).get("error")
    ]
    out = ["### Scaling on synthetic packs", "", *_table(header, rows)]
    if errors:
        out += ["", "Errors:", "", *errors]
    return out


def _targets_md(items: list[dict[str, Any]]) -> list[str]:
    mark = {True: "✅ met", False: "❌ not met", None: "— not measured"}
    return [
        "### Targets",
        "",
        *_table(["target", "measured", "met"], [[t["target"], t["measured"], mark[t["met"]]] for t in items]),
    ]


def _profile_table(profile: dict[str, Any], own: int = 6, cumulative: int = 10) -> list[str]:
    """The costliest kprocess functions (cumulative), then the costliest functions by own time."""
    rows = [r for r in profile.get("cumulative", []) if r["function"].startswith("kprocess/")][:cumulative]
    rows += [r for r in profile.get("tottime", [])[:own] if r not in rows]
    body = [[f"`{r['function']}`", f"{r['calls']:,}", f"{r['tottime_s']:.3f}", f"{r['cumtime_s']:.3f}"] for r in rows]
    return _table(["function", "calls", "own s", "cumulative s"], body)


def _imports_md(rows: list[dict[str, Any]], count: int = 10) -> list[str]:
    total, top = rows[0].get("total_import_ms", 0.0), rows[1 : count + 1]
    body = [[f"`{r['module']}`", str(r["depth"]), f"{r['cumulative_ms']:.1f}", f"{r['self_ms']:.1f}"] for r in top]
    return [
        f"Imports of `kprocess validate` (`python -X importtime`), {total:.0f} ms in all:",
        "",
        *_table(["module", "depth", "cumulative ms", "self ms"], body),
    ]


def _profiles_md(profiles: dict[str, Any]) -> list[str]:
    out = ["### Where kprocess spends its time (cProfile; files under benchmarks/results/profiles/)", ""]
    validate = profiles.get("validate", {})
    if validate.get("importtime"):
        out += [*_imports_md(validate["importtime"]), ""]
    named = [("`kprocess validate` of the county packs", validate.get("cprofile", {}))]
    if "run_case" in profiles:
        rc = profiles["run_case"]
        named.append((f"`run_case` × {rc['cases']} cases of {rc['pack']}", rc))
    for name, profile in profiles.get("scaling", {}).items():
        op, size = name.rsplit("-", 1)
        named.append((f"`kprocess {op}` of the {int(size):,}-step synthetic pack", profile))
    for title, profile in named:
        if profile.get("cumulative"):
            out += [f"{title}:", "", *_profile_table(profile), ""]
    return out


def markdown(results: dict[str, Any]) -> str:
    """The whole report: targets, validate, throughput, scaling, machine."""
    meta = results["meta"]
    lines = [
        f"## Benchmark results ({results['mode']} run, {meta['date']})",
        "",
        f"Machine: {meta['cpus']} CPUs ({meta['cpu_model']}), {meta['python']}, {meta['platform']}; "
        f"kprocess at `{meta['git']}`. Versions: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}.",
        "",
        *_targets_md(results["targets"]),
        "",
        *_validate_md(results["validate"]),
        "",
        *_throughput_md(results["throughput"], results.get("cli_batch")),
        *_unusable_md(results.get("unusable_packs", {})),
        "",
        *_scaling_md(results["scaling"]),
        "",
        *_profiles_md(results.get("profiles", {})),
        f"Total benchmark time: {results['elapsed_s']:.0f} s.",
    ]
    return "\n".join(lines) + "\n"
