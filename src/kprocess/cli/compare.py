"""`kprocess compare PACK PACK…`: one case (or the packs as written) side by side, phase by phase."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kprocess.answers import AnswerError
from kprocess.cli import compare_screen as screen
from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, load_or_report, read_or_report
from kprocess.compare import (
    Comparison,
    DecisionCell,
    PackStructure,
    Stage,
    compare,
    differences,
    structure,
)
from kprocess.i18n import _, ngettext
from kprocess.labels import status_label, weight_label
from kprocess.pack import RulePack

JSON_SCHEMA_ID = "kprocess.compare/1"
Rows = list[tuple[str, list[str], bool]]  # label, one cell per pack, whether the cells differ


def run(
    pack_paths: list[Path],
    facts: list[str],
    case_path: Path | None,
    start: str | None,
    output: str,
    assume: bool,
    full: bool = False,
) -> int:
    """Compare the packs; exit 1 only when, without assumptions, some pack needs more answers.

    Text is one screen (`compare_screen`) unless `full` asks for the long table.
    """
    if len(pack_paths) < 2:
        raise UsageError(_("ge minst två paket att jämföra, t.ex. `kprocess compare regions/*.yaml`"))
    packs = [load_or_report(p) for p in pack_paths]
    answers, case_start = _answers(facts, case_path)
    day = _date(start) if start else case_start
    if not answers:
        stages, found = structure(packs)
        if output == "text" and not full:
            print("\n".join(screen.structure_screen(stages, found, [_short(p) for p in packs])))
            return EXIT_OK
        _print(output, _structure_json(stages, found), lambda: _structure_rows(packs, stages, found), packs, [], [])
        return EXIT_OK
    try:
        comparison = compare(packs, answers, day, assume_open=assume)
    except AnswerError as error:
        raise UsageError(str(error)) from None
    names = {p.model.id: _short(p) for p in packs}
    if output == "text" and not full:
        sentences = differences(comparison, names)
        print("\n".join(screen.case_screen(comparison, [_short(p) for p in packs], names, sentences)))
        return EXIT_FINDINGS if any(p.to_ask for p in comparison.packs) else EXIT_OK
    found_differences = [d.text for d in differences(comparison, names) if d.stage is None]
    notes = _notes(comparison, names)
    _print(
        output,
        _case_json(comparison, names),
        lambda: _case_rows(comparison),
        packs,
        found_differences,
        notes,
        header=_header(comparison),
    )
    return EXIT_FINDINGS if any(p.to_ask for p in comparison.packs) else EXIT_OK


def _answers(facts: list[str], case_path: Path | None) -> tuple[dict[str, object], date | None]:
    answers: dict[str, object] = {}
    day = None
    if case_path is not None:
        from kprocess.golden import load_case

        case = read_or_report(case_path, load_case)
        answers.update(case.answers)
        day = case.start
    seen = set()
    for fact in facts:
        key, sep, value = fact.partition("=")
        if not sep:
            raise UsageError(
                _("`--fact {fact}`: skriv `--fact fraga=svar`, t.ex. `--fact beror_kommunerna=ja`").format(fact=fact)
            )
        if key.strip() in seen:
            raise UsageError(
                _("`{key}` är angiven mer än en gång; ge frågan ett svar, eller flera med komma").format(
                    key=key.strip()
                )
            )
        seen.add(key.strip())
        answers[key.strip()] = value
    return answers, day


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("`--start {text}` är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-02-01").format(text=text)
        ) from None


def _short(pack: RulePack) -> str:
    """`Örebro län` → `Örebro`: the column heading."""
    county = pack.model.county
    for suffix in ("s län", " län"):
        if county.endswith(suffix):
            return county[: -len(suffix)]
    return county


# -- case --------------------------------------------------------------------------------------


def _header(comparison: Comparison) -> list[str]:
    given = ", ".join(f"{k}={v}" for k, v in comparison.given.items())
    lines = [_("Ärendet: {answers}").format(answers=given)]
    if comparison.start:
        lines.append(_("Start: {date}").format(date=comparison.start.isoformat()))
    return lines


def _case_rows(comparison: Comparison) -> tuple[list[str], list[tuple[Stage, Rows]], Rows]:
    packs = comparison.packs
    per_stage = []
    for stage in comparison.stages:
        cells = [p.stages.get(stage.id) for p in packs]
        if not any(cells):
            continue
        rows: Rows = [(_("Gör"), [_few(c.actors) if c else "–" for c in cells], False)]
        rows.append(
            (_("Beslutar"), ["\n".join(_holders(c.decisions)) if c and c.decisions else "–" for c in cells], False)
        )
        counts = [_count(c.decisions) if c else "0" for c in cells]
        rows.append((_("Beslut"), counts, len(set(counts)) > 1))
        municipal = [_("ja") if c and c.municipalities else _("nej") for c in cells]
        rows.append((_("Kommunerna"), municipal, len(set(municipal)) > 1))
        if comparison.start:
            rows.append((_("Datum"), [_dates(c.first, c.last) if c else "–" for c in cells], False))
        per_stage.append((stage, rows))
    names = {s.id: s.name for s in comparison.stages}
    ends = [
        f"{status_label(p.status)}: {p.end_name}"
        + (f" → {p.handed_to}" if p.handed_to else "")
        + (f" ({p.end_date.isoformat()})" if p.end_date else "")
        if p.status
        else (p.error or _("skulle frågas: {questions}").format(questions=", ".join(q for q, _t in p.to_ask)))
        for p in packs
    ]
    enter = [
        f"{names[p.municipalities_enter[0]]}: {p.municipalities_enter[2]}" if p.municipalities_enter else "–"
        for p in packs
    ]
    totals = [_count(p.decisions) for p in packs]
    summary: Rows = [
        (_("Slut"), ends, len({p.status for p in packs}) > 1),
        (
            _("Kommuner in"),
            enter,
            len({p.municipalities_enter[0] if p.municipalities_enter else "" for p in packs}) > 1,
        ),
        (_("Beslut"), totals, len(set(totals)) > 1),
    ]
    if any(p.next_due for p in packs):
        summary.append((_("Nästa uppföljning"), [p.next_due.isoformat() if p.next_due else "–" for p in packs], False))
    return [p.pack for p in packs], per_stage, summary


def _few(items: list[str], most: int = 4) -> str:
    """The first few items, then how many more (the JSON has them all)."""
    more = f" +{len(items) - most}" if len(items) > most else ""
    return ", ".join(items[:most]) + more


def _holders(decisions: list[DecisionCell]) -> list[str]:
    """Decisions grouped by holder, weight and mandate: `Kommunerna ×12 (beslut)`."""
    groups: dict[tuple[str, str, str | None], int] = {}
    for d in decisions:
        key = (d.holder, d.weight, d.mandate)
        groups[key] = groups.get(key, 0) + 1
    out = []
    for (holder, weight, mandate), count in groups.items():
        times = f" ×{count}" if count > 1 else ""
        named = f": {mandate if len(mandate) <= 40 else mandate[:39] + '…'}" if mandate else ""
        out.append(f"{holder}{times} ({weight_label(weight)}{named})")
    return out


def _count(decisions: list[DecisionCell]) -> str:
    principals = len(dict.fromkeys(d.principal for d in decisions))
    return _("{count} av {principals}").format(count=len(decisions), principals=principals) if decisions else "0"


def _dates(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "–"
    return first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}"


def _notes(comparison: Comparison, names: dict[str, str]) -> list[str]:
    lines = []
    for p in comparison.packs:
        assumed = [a for a in p.assumed if a.kind == "antaget"]
        if assumed:
            listed = ", ".join(f"{a.question}={a.answer}" for a in assumed)
            lines.append(_("{county}, antaget: {answers}.").format(county=names[p.pack], answers=listed))
        defaults = [a for a in p.assumed if a.kind == "standard"]
        if defaults:
            lines.append(
                ngettext(
                    "{county}: {count} svar är paketets standardsvar (se --format json).",
                    "{county}: {count} svar är paketets standardsvar (se --format json).",
                    len(defaults),
                ).format(county=names[p.pack], count=len(defaults))
            )
        if p.to_ask:
            lines.append(
                _("{county}, skulle frågas: {questions}.").format(
                    county=names[p.pack], questions=", ".join(q for q, _t in p.to_ask)
                )
            )
        for warning in p.warnings:
            lines.append(f"{names[p.pack]}: {warning}")
    return lines


def _case_json(comparison: Comparison, names: dict[str, str]) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA_ID,
        "mode": "case",
        "answers": comparison.given,
        "start": _iso(comparison.start),
        "stages": [{"id": s.id, "name": s.name} for s in comparison.stages],
        "packs": [
            {
                "id": p.pack,
                "county": p.county,
                "flow": p.flow,
                "status": p.status,
                "end": {"step": p.end_step, "name": p.end_name, "handed_to": p.handed_to, "date": _iso(p.end_date)}
                if p.status
                else None,
                "next_due": _iso(p.next_due),
                "municipalities_enter": {
                    "stage": p.municipalities_enter[0],
                    "step": p.municipalities_enter[1],
                    "name": p.municipalities_enter[2],
                }
                if p.municipalities_enter
                else None,
                "assumed": [
                    {"question": a.question, "text": a.text, "answer": a.answer, "kind": a.kind, "reason": a.reason}
                    for a in p.assumed
                ],
                "to_ask": [{"question": q, "text": t} for q, t in p.to_ask],
                "unused": p.unused,
                "warnings": p.warnings,
                "error": p.error,
                "stages": [
                    {
                        "stage": stage,
                        "phases": c.phases,
                        "steps": c.steps,
                        "actors": c.actors,
                        "decisions": [vars(d) for d in c.decisions],
                        "principals": c.principals,
                        "municipalities": c.municipalities,
                        "first_date": _iso(c.first),
                        "last_date": _iso(c.last),
                    }
                    for stage, c in p.stages.items()
                ],
            }
            for p in comparison.packs
        ],
        "differences": [
            {"aspect": d.aspect, "stage": d.stage, "text": d.text, "values": d.values}
            for d in differences(comparison, names)
        ],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -- structure ---------------------------------------------------------------------------------


def _structure_rows(
    packs: list[RulePack], stages: list[Stage], found: list[PackStructure]
) -> tuple[list[str], list[tuple[Stage, Rows]], Rows]:
    per_stage = []
    for stage in stages:
        cells = [f.stages.get(stage.id) for f in found]
        if not any(cells):
            continue
        points = [str(c.decision_points) if c else "0" for c in cells]
        rows: Rows = [
            (_("Forum"), [_few(c.forums) if c else "–" for c in cells], False),
            (_("Mandat"), ["\n".join(c.mandates) if c and c.mandates else "–" for c in cells], False),
            (_("Per huvudman"), ["\n".join(c.per_party) if c and c.per_party else "–" for c in cells], False),
            (_("Tidsregler"), ["\n".join(c.timing) if c and c.timing else "–" for c in cells], False),
            (_("Beslutspunkter"), points, len(set(points)) > 1),
        ]
        per_stage.append((stage, rows))
    totals = [str(sum(c.decision_points for c in f.stages.values())) for f in found]
    steps = [str(sum(c.steps for c in f.stages.values())) for f in found]
    summary: Rows = [
        (_("Steg"), steps, len(set(steps)) > 1),
        (_("Beslutspunkter"), totals, len(set(totals)) > 1),
    ]
    return [p.model.id for p in packs], per_stage, summary


def _structure_json(stages: list[Stage], found: list[PackStructure]) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA_ID,
        "mode": "structure",
        "stages": [{"id": s.id, "name": s.name} for s in stages],
        "packs": [
            {
                "id": f.pack,
                "county": f.county,
                "stages": [{"stage": stage, **vars(c)} for stage, c in f.stages.items()],
            }
            for f in found
        ],
    }


# -- output ------------------------------------------------------------------------------------


def _print(
    output: str,
    data: dict[str, Any],
    rows: Callable[[], tuple[list[str], list[tuple[Stage, Rows]], Rows]],
    packs: list[RulePack],
    found_differences: list[str],
    notes: list[str],
    header: list[str] | None = None,
) -> None:
    if output == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _ids, per_stage, summary = rows()
    titles = [_short(p) for p in packs]
    title = _("Jämförelse av ett ärende") if data["mode"] == "case" else _("Jämförelse av paketen som de är skrivna")
    if output == "markdown":
        print(_markdown(title, header or [], titles, per_stage, summary, found_differences, notes))
        return
    _text(title, header or [], titles, per_stage, summary, found_differences, notes)


def _text(
    title: str,
    header: list[str],
    titles: list[str],
    per_stage: list[tuple[Stage, Rows]],
    summary: Rows,
    found_differences: list[str],
    notes: list[str],
) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]{escape(title)}[/]")
    for line in header:
        console.print(escape(line))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    table.add_column("", no_wrap=False, max_width=17)
    for name in titles:
        table.add_column(escape(name), overflow="fold")
    for stage, rows in per_stage:
        table.add_row(f"[bold]{escape(stage.name)}[/]", *([""] * len(titles)))
        for label, cells, differ in rows:
            table.add_row(*_styled(label, cells, differ))
        table.add_section()
    table.add_row("[bold]" + _("Totalt") + "[/]", *([""] * len(titles)))
    for label, cells, differ in summary:
        table.add_row(*_styled(label, cells, differ))
    console.print(table)
    if found_differences:
        console.print("[bold]" + _("Skillnader") + "[/]")
        for line in found_differences:
            console.print("  – " + escape(line))
    if notes:
        console.print("[bold]" + _("Svar som ärendet inte gav") + "[/]" if header else "")
        for line in notes:
            console.print("  " + escape(line))


def _styled(label: str, cells: list[str], differ: bool) -> list[str]:
    from rich.markup import escape

    mark = "≠ " if differ else "  "
    style = "bold yellow" if differ else "dim"
    return [f"[{style}]{mark}{escape(label)}[/]", *(escape(c) for c in cells)]


def _markdown(
    title: str,
    header: list[str],
    titles: list[str],
    per_stage: list[tuple[Stage, Rows]],
    summary: Rows,
    found_differences: list[str],
    notes: list[str],
) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", "<br>")

    lines = [f"### {title}", ""]
    lines += [f"{line}  " for line in header] + ([""] if header else [])
    lines += ["| " + _("Fas") + " | " + " | ".join(titles) + " |", "|---|" + "---|" * len(titles)]
    for stage, rows in per_stage:
        lines.append(f"| **{cell(stage.name)}** |" + " |" * len(titles))
        for label, cells, differ in rows:
            shown = f"**≠ {label}**" if differ else label
            lines.append(f"| {shown} | " + " | ".join(cell(c) for c in cells) + " |")
    lines.append("| **" + _("Totalt") + "** |" + " |" * len(titles))
    for label, cells, differ in summary:
        shown = f"**≠ {label}**" if differ else label
        lines.append(f"| {shown} | " + " | ".join(cell(c) for c in cells) + " |")
    if found_differences:
        lines += ["", "**" + _("Skillnader") + "**", ""] + [f"- {line}" for line in found_differences]
    if notes:
        lines += ["", "**" + _("Svar som ärendet inte gav") + "**", ""] + [f"- {line}" for line in notes]
    return "\n".join(lines)
