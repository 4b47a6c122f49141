"""`kprocess simulate PACK`: run one case and show who does what, who decides and why."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from kprocess.answers import AnswerError, Answers, answer_text, parse_value
from kprocess.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    apply_facts,
    load_or_report,
    read_or_report,
)
from kprocess.cli.style import STATUS_LABEL, WEIGHT_LABEL, who
from kprocess.conditions import Value
from kprocess.engine import CaseResult, LoopLimitError, MissingAnswersError, RunError, run_case
from kprocess.model import FanOut, Question, QuestionType


def run(
    pack_path: Path,
    facts: list[str],
    case_path: Path | None,
    start: str | None,
    as_json: bool,
    flow: str | None,
    interactive: bool,
) -> int:
    """Simulate one case; return the exit code."""
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
    ask = _prompt if interactive and sys.stdin.isatty() else None
    try:
        result = run_case(pack, answers, flow=flow, start=start_date, ask=ask)
    except MissingAnswersError as error:
        names = ", ".join(f"{q}[{p}]" if p else q for q, p in error.missing)
        print(f"kprocess: svar saknas och ingen terminal finns att fråga i: {names}", file=sys.stderr)
        print("Ange dem med `--fact fraga=svar` (se `kprocess facts`).", file=sys.stderr)
        return EXIT_USAGE
    except LoopLimitError as error:
        print(f"kprocess: ärendet stoppades: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    except RunError as error:
        raise UsageError(str(error)) from None
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        timeline(result, pack.model.name, pack.model.parties.region)
    return EXIT_OK


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"`--start {text}` är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-01-15") from None


def _prompt(question: Question, party: str | None) -> Value | None:
    """Ask one question in the terminal, in Swedish, with the declared options."""
    from rich.console import Console
    from rich.prompt import Prompt

    console = Console(stderr=True)
    title = question.text + (f" ({party})" if party else "")
    if question.help:
        console.print(f"[dim]{question.help}[/]")
    if question.type is QuestionType.choice:
        for number, option in enumerate(question.options, start=1):
            console.print(f"  {number}. {option.label} [dim]({option.id})[/]")
        choices = [str(n) for n in range(1, len(question.options) + 1)]
        picked = Prompt.ask(title, choices=choices, console=console, show_choices=False)
        return question.options[int(picked) - 1].id
    while True:
        hint = "ja/nej" if question.type is QuestionType.yesno else question.unit or "tal"
        raw = Prompt.ask(f"{title} [{hint}]", console=console)
        try:
            return parse_value(question, raw)
        except AnswerError as error:
            console.print(f"[red]{error}[/]")


def timeline(result: CaseResult, title: str, region: str) -> None:
    """The run as a readable table: phase, step, who, decision and source.

    In a per-principal step the party is coloured as its own principal: the region blue, a
    municipality green, as in the documents' swimlanes.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(title=f"{escape(title)}: {result.flow}", show_lines=False, expand=False)
    dated = any(e.date for e in result.trace)
    table.add_column("#", justify="right", style="dim")
    if dated:
        table.add_column("Datum")
    table.add_column("Steg")
    table.add_column("Vem")
    table.add_column("Beslut")
    table.add_column("Källa", style="dim")
    width = 5 if dated else 4
    phase = None
    for entry in result.trace:
        if entry.phase != phase:
            phase = entry.phase
            table.add_row(
                "", *([""] if dated else []), f"[bold underline]{escape(entry.phase_name)}[/]", *([""] * (width - 2))
            )
        actor = who(entry.actor.name, entry.actor.principal)
        if entry.party:
            actor += " " + who(entry.party, "region" if entry.party == region else "kommun")
        if entry.jointly:
            actor += " tillsammans med " + " och ".join(who(p.name, p.principal) for p in entry.jointly)
        decision = ""
        if entry.decision:
            d = entry.decision
            decision = (
                f"{escape(d.question)} = [bold]{answer_text(d.answer)}[/]\n"
                f"{WEIGHT_LABEL.get(d.weight, d.weight)} av {escape(d.by.name)}"
            )
            if d.jointly:
                decision += " tillsammans med " + " och ".join(escape(p.name) for p in d.jointly)
            if d.mandate:
                decision += f"\n[dim]mandat: {escape(d.mandate)}[/]"
        name = escape(entry.name)
        if entry.resumed:
            name += f"\n[bold]→ parkerat, tas upp igen i `{escape(entry.resumed)}`[/]"
        if entry.end:
            name += f"\n[bold]→ {STATUS_LABEL.get(entry.end, entry.end)}[/]"
            if entry.handed_to:
                name += f" till {escape(entry.handed_to)}"
        row = [str(entry.seq)]
        if dated:
            row.append(entry.date.isoformat() if entry.date else "")
        row += [name, actor, decision, escape(entry.source or "")]
        table.add_row(*row)
    console.print(table)
    status = STATUS_LABEL.get(result.status.value, result.status.value)
    console.print(f"Ärendet är [bold]{status}[/] efter {len(result.trace)} steg.")
    if result.next_due:
        console.print(f"Nästa uppföljning senast [bold]{result.next_due.isoformat()}[/].")
    for warning in result.warnings:
        console.print(f"[yellow]Varning:[/] {escape(warning)}")
