"""The default text view of `kprocess compare`: one screen, one row per common stage.

Each cell says who decides (holders with weight when it is not `beslut`), how many decisions by
how many principals, and whether the municipalities take part; after the stages come the ends,
where the municipalities come in, the totals, the differences in sentences and what was assumed.
`--full` gives the long table (`kprocess.cli.compare`); the JSON always has everything.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping, Sequence

from kprocess.compare import Comparison, DecisionCell, Difference, PackStructure, Stage, StageCase, and_list
from kprocess.i18n import N_, _, ngettext
from kprocess.labels import status_label, weight_label
from kprocess.pack import vocabulary

LABEL_WIDTH = 17
MUNICIPAL = "●"
SHORT_WEIGHT = {
    "kannedom": N_("känned."),
    "bereder": N_("bered."),
    "tillstyrkan": N_("tillst."),
    "rekommendation": N_("rek."),
    "faststallande": N_("fastst."),
}
GAP = "  "
Cell = list[str]
Row = tuple[str, list[Cell]]


def width() -> int:
    """The terminal's width (`COLUMNS` first; 80 when not a terminal), kept between 60 and 160."""
    return max(60, min(160, shutil.get_terminal_size((80, 24)).columns))


def wrap(text: str, size: int, most: int | None = None) -> Cell:
    """`text` in lines of at most `size` characters; with `most`, cut to that many lines with `…`."""
    lines = [fit(line, size) for line in textwrap.wrap(text, size, break_long_words=False, break_on_hyphens=False)]
    if most is not None and len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: size - 1].rstrip() + "…"
    return lines or [""]


def fit(text: str, size: int) -> str:
    """`text` on one line of at most `size` characters, cut with `…`."""
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def grid(titles: Sequence[str], rows: Sequence[Row | None], total: int) -> list[str]:
    """A fixed-width table: a label column, then one column per pack; `None` is a rule."""
    size = cell_size(len(titles), total)
    rule = "─" * min(total, LABEL_WIDTH + (len(GAP) + size) * len(titles))

    def line(label: str, cells: Sequence[str]) -> str:
        return (label.ljust(LABEL_WIDTH) + "".join(GAP + c.ljust(size) for c in cells)).rstrip()

    out = [line("", [wrap(t, size, 1)[0] for t in titles]), rule]
    for row in rows:
        if row is None:
            out.append(rule)
            continue
        label, cells = row
        labels = wrap(label, LABEL_WIDTH, 2)
        height = max(len(labels), *(len(c) for c in cells))
        for i in range(height):
            out.append(line(labels[i] if i < len(labels) else "", [c[i] if i < len(c) else "" for c in cells]))
    return out


def cell_size(packs: int, total: int) -> int:
    """The width of one pack's column."""
    return max(10, (total - LABEL_WIDTH - len(GAP) * packs) // max(1, packs))


# -- a case ------------------------------------------------------------------------------------


def case_screen(
    comparison: Comparison, titles: Sequence[str], names: Mapping[str, str], found: Sequence[Difference]
) -> list[str]:
    """The whole screen for a case."""
    total = width()
    size = cell_size(len(titles), total)
    given = ", ".join(f"{k}={v}" for k, v in comparison.given.items())
    lines = textwrap.wrap(_("Jämförelse av ett ärende: {answers}").format(answers=given), total, break_on_hyphens=False)
    if comparison.start:
        lines.append(_("Start: {date}").format(date=comparison.start.isoformat()))
    legend = _("Per fas: vem som beslutar, antal beslut av antal huvudmän; {mark} kommunerna deltar.").format(
        mark=MUNICIPAL
    )
    lines += textwrap.wrap(legend, total)
    lines.append("")
    rows: list[Row | None] = []
    for stage in comparison.stages:
        cells = [p.stages.get(stage.id) for p in comparison.packs]
        if any(cells):
            rows.append((stage.name, [stage_cell(c, size) for c in cells]))
    rows.append(None)
    rows += summary_rows(comparison, size)
    lines += grid(titles, rows, total)
    lines += sentences(
        _("Skillnader"), difference_sentences(found, names) or [_("Inga: länen hanterar ärendet lika.")], total
    )
    lines += sentences(_("Antaget"), assumed_sentences(comparison, names), total)
    return lines


def stage_cell(case: StageCase | None, size: int) -> Cell:
    """Who decides (at most two lines), then `N beslut`, `av M huvudmän` and the municipal mark."""
    if case is None:
        return ["–"]
    mark = f" {MUNICIPAL}" if case.municipalities else ""
    if not case.decisions:
        return [_("inga beslut") + mark]
    out = [*holders(case.decisions, size), _count("beslut", len(case.decisions)) + mark]
    if len(case.principals) > 1:
        out.append(principals(len(case.principals)))
    return out


def _count(noun: str, count: int) -> str:
    """`3 beslut`, `1 steg`, `2 forum`: Swedish has one form, English two."""
    if noun == "beslut":
        text = ngettext("{count} beslut", "{count} beslut", count)
    elif noun == "steg":
        text = ngettext("{count} steg", "{count} steg", count)
    else:
        text = ngettext("{count} forum", "{count} forum", count)
    return text.format(count=count)


def principals(count: int) -> str:
    """`av 1 huvudman`, `av 13 huvudmän`."""
    return ngettext("av {count} huvudman", "av {count} huvudmän", count).format(count=count)


def holders(decisions: Sequence[DecisionCell], size: int) -> Cell:
    """One holder a line, the most frequent first (`Kommunens förvaltning ×12`); the rest as `+N`."""
    groups: dict[tuple[str, str], int] = {}
    for d in decisions:
        groups[(d.holder, d.weight)] = groups.get((d.holder, d.weight), 0) + 1
    ranked = sorted(groups.items(), key=lambda item: -item[1])
    lines = []
    for index, ((holder, weight), count) in enumerate(ranked[:2]):
        more = len(ranked) - 2 if index == 1 and len(ranked) > 2 else 0
        lines.append(holder_line(holder, weight, count, more, size))
    return lines


def holder_line(holder: str, weight: str, count: int, more: int, size: int) -> str:
    """`Länsledningen (rek.) +1`: the holder's name is cut before the count, weight or rest is dropped."""
    tail = (f" ×{count}" if count > 1 else "") + (f" +{more}" if more else "")
    if weight == "beslut":
        return fit(holder, size - len(tail)) + tail
    times, rest = (f" ×{count}" if count > 1 else ""), (f" +{more}" if more else "")
    short = _(SHORT_WEIGHT[weight]) if weight in SHORT_WEIGHT else weight
    for label in (weight_label(weight), short):
        text = f"{holder}{times} ({label}){rest}"
        if len(text) <= size:
            return text
    end = f"{times} ({short}){rest}"
    return fit(holder, size - len(end)) + end


def summary_rows(comparison: Comparison, size: int) -> list[Row | None]:
    """Ends, where the municipalities come in, the totals, what was assumed, the next follow-up."""
    names = {s.id: s.name for s in comparison.stages}
    ends, enter, totals = [], [], []
    for p in comparison.packs:
        if p.status is None:
            why = p.error or _("skulle frågas: {questions}").format(questions=", ".join(q for q, _t in p.to_ask))
            ends.append(wrap(why, size, 3))
        else:
            stage = next((s for s, c in p.stages.items() if p.end_step in c.steps), None)
            kind = status_label(p.status).split(" (")[0]
            cell = [fit(kind + (f" {p.end_date.isoformat()}" if p.end_date else ""), size)]
            cell += [fit(_("i {stage}").format(stage=names[stage]), size)] if stage in names else []
            cell += [fit(f"→ {p.handed_to}", size)] if p.handed_to else []
            ends.append(cell)
        if p.municipalities_enter:
            stage, _step, step = p.municipalities_enter
            enter.append([fit(names[stage] + ":", size), fit(step, size)])
        else:
            enter.append([_("aldrig") if p.status else "–"])
        count = len(dict.fromkeys(d.principal for d in p.decisions))
        totals.append([_count("beslut", len(p.decisions)), principals(count)] if p.status else ["–"])
    rows: list[Row | None] = [
        (_("Slut"), ends),
        (_("Kommunerna in"), enter),
        (_("Beslut totalt"), totals),
    ]
    if any(p.next_due for p in comparison.packs):
        rows.append(
            (_("Nästa uppföljning"), [[p.next_due.isoformat() if p.next_due else "–"] for p in comparison.packs])
        )
    return rows


def difference_sentences(found: Sequence[Difference], names: Mapping[str, str]) -> list[str]:
    """The differences that concern the whole case, in sentences.

    The phases where municipalities take part are left out (the table marks them `●`); the
    answers the counties do not read make one sentence.
    """
    out = [d.text for d in found if d.stage is None and d.aspect not in ("unused", "municipal_stages")]
    unread: dict[str, list[str]] = {}
    for d in found:
        if d.aspect == "unused":
            for pack, questions in d.values.items():
                unread.setdefault(questions, []).append(names[pack])
    if unread:
        parts = [f"{and_list(counties)} {questions}" for questions, counties in unread.items()]
        out.append(
            _("Svar som länet inte läser (de påverkar inte flödet): {answers}.").format(answers="; ".join(parts))
        )
    return out


def assumed_sentences(comparison: Comparison, names: Mapping[str, str]) -> list[str]:
    """The shared answers assumed alike everywhere, the counties' own, and where to see them all."""
    shared = {q.id for q in vocabulary().questions}
    ran = [p for p in comparison.packs if p.status is not None]
    alike = dict.fromkeys(
        f"{a.question}={a.answer}" for p in ran for a in p.assumed if a.kind == "antaget" and a.question in shared
    )
    out = []
    if alike:
        out.append(
            _("Gemensamma frågor som ärendet lämnar öppna, samma svar i alla län: {answers}.").format(
                answers=", ".join(alike)
            )
        )
    own = [(names[p.pack], sum(a.kind == "antaget" and a.question not in shared for a in p.assumed)) for p in ran]
    defaults = [(names[p.pack], sum(a.kind == "standard" for a in p.assumed)) for p in ran]
    parts = [
        f"{label}: " + ", ".join(f"{n} {k}" for n, k in counts if k)
        for label, counts in (
            (_("länens egna frågor, antagna för den raka vägen"), own),
            (_("paketens standardsvar"), defaults),
        )
        if any(k for _, k in counts)
    ]
    if parts:
        text = "; ".join(parts)
        out.append(text[0].upper() + text[1:] + _(" (se --full eller --format json)."))
    for p in comparison.packs:
        if p.to_ask:
            out.append(
                _("{county} skulle fråga: {questions}.").format(
                    county=names[p.pack], questions=", ".join(q for q, _t in p.to_ask)
                )
            )
        if p.warnings:
            count = len(p.warnings)
            warned = ngettext("{count} varning (se --full).", "{count} varningar (se --full).", count)
            out.append(f"{names[p.pack]}: " + warned.format(count=count))
    return out


def sentences(title: str, items: Sequence[str], total: int) -> list[str]:
    """A heading and its sentences, each wrapped with a hanging indent."""
    if not items:
        return []
    out = [title]
    for item in items:
        out += textwrap.wrap(item, total, initial_indent="  – ", subsequent_indent="    ", break_on_hyphens=False)
    return out


# -- the packs as written ----------------------------------------------------------------------


def structure_screen(stages: Sequence[Stage], found: Sequence[PackStructure], titles: Sequence[str]) -> list[str]:
    """The packs as written: per stage the steps, decision points, forums and rules, counted."""
    total = width()
    size = cell_size(len(titles), total)
    legend = _("Per fas: steg (och om de har tidsregler), beslutspunkter, forum, mandat och steg per huvudman.")
    lines = [_("Jämförelse av paketen som de är skrivna"), *textwrap.wrap(legend, total), ""]
    rows: list[Row | None] = []
    for stage in stages:
        cells = [f.stages.get(stage.id) for f in found]
        if not any(cells):
            continue
        out = []
        for c in cells:
            if c is None:
                out.append(["–"])
                continue
            cell = [
                _count("steg", c.steps) + (_(", tidsregler") if c.timing else ""),
                ngettext("{count} beslutspunkt", "{count} beslutspunkter", c.decision_points).format(
                    count=c.decision_points
                ),
            ]
            count = len(c.mandates)
            mandates = ngettext(", {count} mandat", ", {count} mandat", count).format(count=count) if count else ""
            cell.append(_count("forum", len(c.forums)) + mandates)
            cell += [_("per huvudman: {count}").format(count=len(c.per_party))] if c.per_party else []
            out.append([fit(line, size) for line in cell])
        rows.append((stage.name, out))
    rows.append(None)
    steps = [wrap(_count("steg", sum(c.steps for c in f.stages.values())), size) for f in found]
    points = [wrap(f"{sum(c.decision_points for c in f.stages.values())}", size) for f in found]
    rows += [(_("Steg"), steps), (_("Beslutspunkter"), points)]
    lines += grid(titles, rows, total)
    lines.append(_("Forum, mandat och tidsregler i ord: --full; allt: --format json."))
    return lines
