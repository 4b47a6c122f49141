"""`kprocess case …`: the case register on the command line (start, answer, list, todo, history …).

Only typer is imported here; the register (SQLAlchemy, Alembic) is imported when a command runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kprocess.cli.common import UsageError
from kprocess.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kprocess.register.store import Register, Who

app = typer.Typer(
    name="case",
    help="Följ verkliga ärenden: starta, svara, se vem som ska besluta, vad som är försenat och historiken.",
    no_args_is_help=True,
    subcommand_metavar="KOMMANDO [ARGUMENT]...",
)


class Format(StrEnum):
    """text for people, json for programs."""

    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    """Formats of `case export`."""

    json = "json"
    csv = "csv"


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Registret: en SQLite-fil eller en databas-URL (annars KPROCESS_DB).", metavar="URL|FIL"),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="text eller json.", metavar="text|json")]
ById = Annotated[int, typer.Argument(help="Ärendets nummer.", metavar="ID")]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Vem som gör ändringen (annars KPROCESS_USER).", metavar="NAMN")
]
DateOption = Annotated[str | None, typer.Option("--date", help="Dagens datum (standard: idag).", metavar="ÅÅÅÅ-MM-DD")]
KeyOption = Annotated[
    str | None,
    typer.Option("--key", help="Idempotensnyckel: samma nyckel två gånger sparar bara en gång.", metavar="NYCKEL"),
]
ExpectOption = Annotated[
    int | None,
    typer.Option("--expect-version", help="Spara bara om ärendet har denna version.", metavar="VERSION"),
]
AnswersArg = Annotated[
    list[str] | None, typer.Argument(help="Svar: `fraga=ja`, `fraga[Timrå]=nej`.", metavar="FRÅGA=SVAR...")
]


@contextmanager
def _register(db: str | None) -> Iterator[Register]:
    """The register for one command; its connections are closed afterwards."""
    try:
        from kprocess.register.store import Register
    except ImportError:
        raise UsageError(_("`kprocess case` behöver tillägget register: pip install 'kprocess[register]'")) from None
    register = Register.open(db)
    try:
        yield register
    finally:
        register.engine.dispose()


@contextmanager
def _engine(db: str | None) -> Iterator[Engine]:
    """The database alone, for the lists (no ORM, no engine, no packs)."""
    try:
        from kprocess.register.db import connect
    except ImportError:
        raise UsageError(_("`kprocess case` behöver tillägget register: pip install 'kprocess[register]'")) from None
    engine = connect(db)
    try:
        yield engine
    finally:
        engine.dispose()


def _day(text: str | None, option: str = "--date") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("`{option} {text}` är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-02").format(option=option, text=text)
        ) from None


def _who(by: str | None, day: str | None, key: str | None = None, expect: int | None = None) -> Who:
    from kprocess.register.store import Who

    name = by or os.environ.get("KPROCESS_USER")
    if not name:
        raise UsageError(_("ange vem som gör ändringen med `--by NAMN` (eller KPROCESS_USER)"))
    return Who(name, _day(day), key, expect)


def _pairs(items: list[str]) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(
                _("`{item}`: skriv svaren som `fraga=svar`, t.ex. `beror_kommunerna=ja`").format(item=item)
            )
        pairs.append((key, value))
    return pairs


@app.command()
def start(
    pack: Annotated[Path, typer.Argument(help="Regelpaketet (YAML-fil).", metavar="PAKET")],
    title: Annotated[str, typer.Option("--title", help="Ärendets rubrik.", metavar="RUBRIK")],
    fact: Annotated[
        list[str] | None, typer.Option("--fact", help="Ett svar som redan är känt: `fraga=ja`.", metavar="FRÅGA=SVAR")
    ] = None,
    by: ByOption = None,
    flow: Annotated[str | None, typer.Option("--flow", help="Flödets id.", metavar="FLÖDE")] = None,
    start_date: Annotated[
        str | None, typer.Option("--start", help="Ärendets startdatum (standard: --date).", metavar="ÅÅÅÅ-MM-DD")
    ] = None,
    day: DateOption = None,
    key: KeyOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Starta ett ärende under paketets nuvarande version."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.start(opened, pack, title, _pairs(fact or []), _who(by, day, key), flow, start_date, output.value)
    raise typer.Exit(code)


@app.command()
def answer(
    case_id: ById,
    answers: AnswersArg = None,
    by: ByOption = None,
    follow_up: Annotated[
        bool, typer.Option("--follow-up", help="Registrera att den fortlöpande uppföljningen är gjord.")
    ] = False,
    day: DateOption = None,
    key: KeyOption = None,
    expect: ExpectOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Registrera svar och beslut; ärendet går vidare så långt svaren och datumet räcker.

    Utan svar: registrera att ett datum som ärendet väntar på (t.ex. en remissperiod) har passerat.
    """
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.answer(opened, case_id, _pairs(answers or []), follow_up, _who(by, day, key, expect), output.value)
    raise typer.Exit(code)


@app.command()
def park(
    case_id: ById,
    reason: Annotated[str, typer.Option("--reason", help="Varför ärendet vilar.", metavar="SKÄL")],
    by: ByOption = None,
    day: DateOption = None,
    key: KeyOption = None,
    expect: ExpectOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Lägg ett ärende vilande: det syns inte i arbetslistan förrän det återupptas."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.park(opened, case_id, reason, _who(by, day, key, expect), output.value)
    raise typer.Exit(code)


@app.command()
def resume(
    case_id: ById,
    answers: AnswersArg = None,
    by: ByOption = None,
    day: DateOption = None,
    key: KeyOption = None,
    expect: ExpectOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Återuppta ett vilande eller parkerat ärende (för ett parkerat: med det nya beslutet)."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.resume(opened, case_id, _pairs(answers or []), _who(by, day, key, expect), output.value)
    raise typer.Exit(code)


@app.command()
def migrate(
    case_id: ById,
    pack: Annotated[
        Path | None, typer.Option("--pack", help="Paketfilen (standard: filen ärendet startade från).", metavar="FIL")
    ] = None,
    by: ByOption = None,
    day: DateOption = None,
    key: KeyOption = None,
    expect: ExpectOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Flytta ärendet till paketets nuvarande version, om dess väg hittills har en plats där."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.migrate(opened, case_id, pack, _who(by, day, key, expect), output.value)
    raise typer.Exit(code)


@app.command()
def show(
    case_id: ById,
    day: DateOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Visa ärendets tidslinje hittills och vem som ska göra vad härnäst."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.show(opened, case_id, _day(day), output.value)
    raise typer.Exit(code)


@app.command("list")
def list_cases(
    pack: Annotated[str | None, typer.Option("--pack", help="Bara detta pakets ärenden (id).", metavar="PAKET")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="waiting, on_hold, ongoing, completed, handed_over, stopped, parked eller failed.",
            metavar="STATUS",
        ),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Bara ärenden som har passerat sitt datum.")] = False,
    waiting_for: Annotated[
        str | None, typer.Option("--waiting-for", help="Bara ärenden som väntar på denna aktör (id).", metavar="AKTÖR")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Högst så många (0: alla).", metavar="ANTAL")] = 100,
    day: DateOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Lista ärendena: status, vem de väntar på och när de ska vara klara."""
    from kprocess.cli import case_list

    with _engine(db) as opened:
        code = case_list.listing(opened, pack, status, overdue, waiting_for, limit, _day(day), output.value)
    raise typer.Exit(code)


@app.command()
def todo(
    actor: Annotated[
        str | None, typer.Option("--actor", help="Bara denna aktör eller detta forum (id).", metavar="AKTÖR")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Högst så många (0: alla).", metavar="ANTAL")] = 100,
    day: DateOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Arbetslistan: per aktör de beslut, steg och uppföljningar som väntar, äldst först."""
    from kprocess.cli import case_list

    with _engine(db) as opened:
        code = case_list.todo(opened, actor, limit, _day(day), output.value)
    raise typer.Exit(code)


@app.command()
def history(case_id: ById, db: DbOption = None, output: FormatOption = Format.text) -> None:
    """Ärendets händelselogg: vad, när, av vem, under vilket mandat och vilken paketversion."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.history(opened, case_id, output.value)
    raise typer.Exit(code)


@app.command()
def export(
    case_id: Annotated[int | None, typer.Argument(help="Ärendets nummer.", metavar="ID")] = None,
    every: Annotated[bool, typer.Option("--all", help="Alla ärenden.")] = False,
    output: Annotated[ExportFormat, typer.Option("--format", "-f", help="json eller csv.", metavar="json|csv")] = (
        ExportFormat.json
    ),
    db: DbOption = None,
) -> None:
    """Exportera ärenden med händelser och paketversioner (json) eller händelserna som en tabell (csv)."""
    from kprocess.cli import case_view as view

    if (case_id is None) == (not every):
        raise UsageError(_("ange ett ärendes nummer eller --all"))
    with _register(db) as opened:
        code = view.export(opened, case_id, output.value)
    raise typer.Exit(code)
