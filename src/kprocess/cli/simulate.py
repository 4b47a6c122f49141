"""`kprocess simulate PACK`: run one case and show who does what, who decides and why."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kprocess.answers import AnswerError, Answers, Origin, parse_value
from kprocess.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    apply_facts,
    load_or_report,
    read_or_report,
)
from kprocess.cli.style import who
from kprocess.cli.words import answer_label, condition_words
from kprocess.conditions import Value
from kprocess.engine import CaseResult, LoopLimitError, MissingAnswersError, RunError, TraceEntry, run_case
from kprocess.enums import FanOut, QuestionType
from kprocess.i18n import _
from kprocess.labels import status_label, weight_label
from kprocess.model import Question
from kprocess.pack import RulePack
from kprocess.packtext import (
    flow_name,
    handed_to,
    named,
    option_label,
    pack_name,
    party_name,
    phase_name,
    question_help,
    question_text,
    step_name,
    unit,
)
from kprocess.timing import shown

if TYPE_CHECKING:
    from rich.console import Console

EXIT_INTERRUPTED = 130


def run(
    pack_path: Path,
    facts: list[str],
    case_path: Path | None,
    start: str | None,
    as_json: bool,
    flow: str | None,
    interactive: bool,
    compact: bool = False,
    diagram: Path | None = None,
) -> int:
    """Simulate one case; return the exit code. With `diagram`, also draw its path on the map."""
    if diagram is not None:
        _check_diagram(diagram)
    pack = load_or_report(pack_path)
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    start_date = _date(start) if start else None
    try:
        if case_path is not None:
            from kprocess.golden import load_case

            case = read_or_report(case_path, load_case)
            for key, value in case.answers.items():
                answers.set(key, value)
            flow = flow or case.flow
            start_date = start_date or case.start
    except AnswerError as error:
        raise UsageError(str(error)) from None
    apply_facts(answers, facts)
    ask = _Asker() if interactive and sys.stdin.isatty() else None
    try:
        result = run_case(pack, answers, flow=flow, start=start_date, ask=ask)
    except (KeyboardInterrupt, EOFError) as stop:
        why = _("avbrutet") if isinstance(stop, KeyboardInterrupt) else _("inga fler svar")
        print("\nkprocess: " + _("{why}; inget ärende kördes.").format(why=why), file=sys.stderr)
        return EXIT_INTERRUPTED
    except MissingAnswersError as error:
        names = ", ".join(f"{q}[{p}]" if p else q for q, p in error.missing)
        print(
            "kprocess: " + _("svar saknas och ingen terminal finns att fråga i: {names}").format(names=names),
            file=sys.stderr,
        )
        print(_("Ange dem med `--fact fraga=svar` (se `kprocess facts`)."), file=sys.stderr)
        return EXIT_USAGE
    except RunError as error:
        if error.partial is not None:  # the timeline so far, then why it stopped
            _show(error.partial, pack, as_json=as_json, compact=compact)
            if diagram is not None:
                _draw(pack, error.partial, diagram)
        if isinstance(error, LoopLimitError):
            print("kprocess: " + _("ärendet stoppades: {error}").format(error=error), file=sys.stderr)
            return EXIT_FINDINGS
        raise UsageError(str(error)) from None
    _show(result, pack, as_json=as_json, compact=compact)
    if diagram is not None:
        _draw(pack, result, diagram)
    return EXIT_OK


def _check_diagram(path: Path) -> None:
    """Refuse a `--diagram` file whose suffix names no map format, before anything runs."""
    from kprocess.maps.views import view_for

    try:
        view_for(path)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _draw(pack: RulePack, result: CaseResult, path: Path) -> None:
    """Write the map with the case's path and answers to `path` (format from its suffix)."""
    from kprocess.maps.svg import GraphvizMissingError
    from kprocess.maps.views import draw_case

    try:
        text = draw_case(pack, result, path)
    except GraphvizMissingError as error:
        raise UsageError(str(error)) from None
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(
            _("`--diagram {path}`: kan inte skriva filen ({error})").format(path=path, error=error.strerror)
        ) from None


def _show(result: CaseResult, pack: RulePack, *, as_json: bool, compact: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        timeline(result, pack, compact=compact)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("`--start {text}` är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-01-15").format(text=text)
        ) from None


class _Asker:
    """Asks each missing answer in the terminal, in the chosen language; a question's help is shown once."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.helped: set[str] = set()

    def __call__(self, question: Question, party: str | None) -> Value | None:
        from rich.markup import escape

        console = self.console
        helptext = question_help(question)
        if helptext and question.id not in self.helped:
            self.helped.add(question.id)
            console.print(f"[dim]{escape(helptext)}[/]")
        title = escape(question_text(question) + (f" ({party})" if party else ""))
        if question.type is QuestionType.choice:
            for number, option in enumerate(question.options, start=1):
                console.print(f"  {number}. {escape(option_label(option) or option.id)} [dim]({option.id})[/]")
            hint = _("1–{count} eller id").format(count=len(question.options))
        elif question.type is QuestionType.yesno:
            hint = _("ja/nej")
        else:
            hint = _("tal") + (f", {unit(question)}" if question.unit else "")
        while True:
            raw = console.input(f"[bold]{title}[/] ({escape(hint)}): ").strip()
            if question.type is QuestionType.choice and raw.isdigit():
                if 1 <= int(raw) <= len(question.options):
                    return question.options[int(raw) - 1].id
                choose = _("Välj ett nummer från 1 till {count} eller ett id.").format(count=len(question.options))
                console.print(f"[red]{choose}[/]")
                continue
            try:
                return parse_value(question, raw)
            except AnswerError as error:
                console.print(f"[red]{escape(str(error))}[/]")


def timeline(result: CaseResult, pack: RulePack, *, compact: bool = False) -> None:
    """The run as a list: phase, step, who, decision and source, wrapped to the terminal.

    Answers taken from a question's default are marked `antaget` and listed at the end with how
    to change them. In a per-principal step the party is coloured as its own principal: the
    region blue, a municipality green, as in the documents' swimlanes. `compact` gives one line
    per step.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    assumed = {(f.question, f.party) for f in result.facts if f.origin is Origin.defaulted}
    console.print(f"[bold]{escape(pack_name(pack))}[/]")
    head = _("Flöde: {flow}").format(flow=escape(flow_name(pack, result.flow)))
    if result.start:
        head += " · " + _("start {date}").format(date=result.start.isoformat())
    console.print(head)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    dated = any(e.date for e in result.trace)
    if dated:
        grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    phase = None
    for entry in result.trace:
        if entry.phase != phase and not compact:
            phase = entry.phase
            grid.add_row("", *([""] if dated else []), "")
            title = phase_name(pack, entry.phase, entry.phase_name)
            grid.add_row("", *([""] if dated else []), f"[bold underline]{escape(title)}[/]")
        cells = [str(entry.seq), *([entry.date.isoformat() if entry.date else ""] if dated else [])]
        if compact:
            console.print(" ".join(cells) + "  " + _compact_line(pack, entry, assumed), soft_wrap=True)
        else:
            grid.add_row(*cells, "\n".join(_entry_lines(pack, entry, assumed)))
    if not compact:
        console.print(grid)
        console.print()
    steps = len(result.trace)
    if result.error is not None:
        console.print(
            _("Körningen [bold red]stoppades[/] efter {count} steg, innan ärendet nådde ett slut.").format(count=steps)
        )
    else:
        status = status_label(result.status.value)
        console.print(_("Ärendet är [bold]{status}[/] efter {count} steg.").format(status=status, count=steps))
    if result.next_due:
        console.print(_("Nästa uppföljning senast [bold]{date}[/].").format(date=result.next_due.isoformat()))
    for warning in result.warnings:
        console.print(_("[yellow]Varning:[/] {warning}").format(warning=escape(shown(warning))))
    _assumed(console, pack, result)
    _legend(console, pack, result)


def _who(pack: RulePack, entry: TraceEntry) -> str:
    """Who does the step: the actor, the party in a per-party step, and who joins in."""
    actor = who(party_name(pack, entry.actor.id, entry.actor.name), entry.actor.principal)
    if entry.party:
        actor += " " + who(entry.party, entry.actor.principal)  # a per-party entry carries the party's principal
    if entry.jointly:
        joint = _(" och ").join(who(party_name(pack, p.id, p.name), p.principal) for p in entry.jointly)
        actor += _(" tillsammans med ") + joint
    return actor


def _compact_line(pack: RulePack, entry: TraceEntry, assumed: set[tuple[str, str | None]]) -> str:
    """One step on one line: name, who, the answer decided and how the case ended."""
    from rich.markup import escape

    line = f"{escape(step_name(pack, entry.step, entry.name))} — {_who(pack, entry)}"
    if entry.decision:
        line += f": [bold]{escape(_answer(pack, entry, assumed))}[/]"
    if entry.end:
        line += f" → {status_label(entry.end)}"
    return line


def _entry_lines(pack: RulePack, entry: TraceEntry, assumed: set[tuple[str, str | None]]) -> list[str]:
    """One step in full: name; who and source; the decision and mandate; parking and end."""
    from rich.markup import escape

    lines = [
        f"[bold]{escape(step_name(pack, entry.step, entry.name))}[/]",
        _who(pack, entry) + (f" · [dim]{escape(entry.source)}[/]" if entry.source else ""),
    ]
    if entry.decision:
        lines += _decision_lines(pack, entry, assumed)
    if entry.resumed:
        resumed = escape(_step_name(pack, entry.resumed))
        lines.append("[bold]→ " + _("parkerat, tas upp igen i {step}").format(step=resumed) + "[/]")
    if entry.end:
        end = f"[bold]→ {status_label(entry.end)}[/]"
        if entry.handed_to:
            end += _(" till {routine}").format(routine=escape(handed_to(pack, entry.step, entry.handed_to)))
        lines.append(end)
    return lines


def _answer(pack: RulePack, entry: TraceEntry, assumed: set[tuple[str, str | None]]) -> str:
    decision = entry.decision
    assert decision is not None
    text = answer_label(pack.questions.get(decision.question), decision.answer)
    if (decision.question, entry.party) in assumed or (decision.question, None) in assumed:
        text += _(" (antaget)")
    return text


def _decision_lines(pack: RulePack, entry: TraceEntry, assumed: set[tuple[str, str | None]]) -> list[str]:
    from rich.markup import escape

    d = entry.decision
    assert d is not None
    question = pack.questions.get(d.question)
    asked = question_text(question) if question else d.question
    lines = [f"{escape(asked)} [bold]{escape(_answer(pack, entry, assumed))}[/]"]
    weight = weight_label(d.weight).capitalize()
    by = _("{weight} av {actor}").format(weight=weight, actor=escape(party_name(pack, d.by.id, d.by.name)))
    if d.jointly:
        by += _(" tillsammans med ") + _(" och ").join(escape(party_name(pack, p.id, p.name)) for p in d.jointly)
    lines.append(by)
    if d.mandate:
        mandate = _("Mandat: {mandate}").format(mandate=escape(_mandate_words(pack, entry.step, d.mandate)))
        lines.append(f"[dim]{mandate}[/]")
    return lines


def _mandate_words(pack: RulePack, step_id: str, mandate: str) -> str:
    """The mandate rule the engine applied, with its condition in words."""
    step = pack.steps.get(step_id)
    if step is not None and step.decision is not None:
        for rule in step.decision.mandate:
            if rule.name is None and rule.when is not None and mandate == f"när {rule.when}":
                return _("när {condition}").format(condition=condition_words(pack, rule.when))
            if rule.name is not None and mandate == rule.name:
                return named(rule) or mandate
    return _("i övriga fall") if mandate == "i övriga fall" else mandate


def _step_name(pack: RulePack, step_id: str) -> str:
    return step_name(pack, step_id, step_id) if step_id in pack.steps else step_id


def _assumed(console: Console, pack: RulePack, result: CaseResult) -> None:
    """The answers taken from defaults, and how to give another one."""
    from rich.markup import escape

    defaulted = [f for f in result.facts if f.origin is Origin.defaulted]
    if not defaulted:
        return
    console.print(_("Antagna svar (frågans standardsvar användes eftersom inget svar gavs):"))
    for fact in defaulted:
        question = pack.questions.get(fact.question)
        answers = ", ".join(answer_label(question, a) for a in fact.answers)
        key = f"{fact.question}[{fact.party}]" if fact.party else fact.question
        text = question_text(question) if question is not None and question.text == fact.text else fact.text
        change = _("(ändra med --fact {key}=…)").format(key=escape(key))
        console.print(f"  {escape(text)} [bold]{escape(answers)}[/] [dim]{change}[/]")


def _legend(console: Console, pack: RulePack, result: CaseResult) -> None:
    """Each source document the timeline cites: its id, title and dates."""
    from rich.markup import escape

    cited = {part.strip().split(" ")[0] for e in result.trace if e.source for part in e.source.split(";")}
    documents = [d for d in pack.model.sources if d.id in cited]
    if not documents:
        return
    from rich.table import Table

    console.print(_("Källor:"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for doc in documents:
        about = [
            x
            for x in (
                doc.decided_by,
                doc.decided and _("beslutad {date}").format(date=doc.decided.isoformat()),
                doc.revised and _("reviderad {date}").format(date=doc.revised.isoformat()),
            )
            if x
        ]
        extra = f" ({escape(', '.join(about))})" if about else ""
        grid.add_row(f"  {escape(doc.id)}", f"{escape(doc.title)}{extra}")
    console.print(grid)
