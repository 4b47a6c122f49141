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
    help=_("Följ verkliga ärenden: starta, svara, se vem som ska besluta, vad som är försenat och historiken."),
    no_args_is_help=True,
    subcommand_metavar=_("KOMMANDO [ARGUMENT]..."),
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
    typer.Option(
        "--db", help=_("Registret: en SQLite-fil eller en databas-URL (annars KPROCESS_DB)."), metavar=_("URL|FIL")
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help=_("text eller json."), metavar="text|json")]
ById = Annotated[int, typer.Argument(help=_("Ärendets nummer."), metavar=_("ID"))]
ByOption = Annotated[
    str | None, typer.Option("--by", help=_("Vem som gör ändringen (annars KPROCESS_USER)."), metavar=_("NAMN"))
]
DateOption = Annotated[
    str | None, typer.Option("--date", help=_("Dagens datum (standard: idag)."), metavar=_("ÅÅÅÅ-MM-DD"))
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key", help=_("Idempotensnyckel: samma nyckel två gånger sparar bara en gång."), metavar=_("NYCKEL")
    ),
]
ExpectOption = Annotated[
    int | None,
    typer.Option("--expect-version", help=_("Spara bara om ärendet har denna version."), metavar=_("VERSION")),
]
AnswersArg = Annotated[
    list[str] | None, typer.Argument(help=_("Svar: `fraga=ja`, `fraga[Timrå]=nej`."), metavar=_("FRÅGA=SVAR..."))
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


@app.command(help=_("Starta ett ärende under paketets nuvarande version."))
def start(
    pack: Annotated[Path, typer.Argument(help=_("Regelpaketet (YAML-fil)."), metavar=_("PAKET"))],
    title: Annotated[str, typer.Option("--title", help=_("Ärendets rubrik."), metavar=_("RUBRIK"))],
    fact: Annotated[
        list[str] | None,
        typer.Option("--fact", help=_("Ett svar som redan är känt: `fraga=ja`."), metavar=_("FRÅGA=SVAR")),
    ] = None,
    by: ByOption = None,
    flow: Annotated[str | None, typer.Option("--flow", help=_("Flödets id."), metavar=_("FLÖDE"))] = None,
    start_date: Annotated[
        str | None, typer.Option("--start", help=_("Ärendets startdatum (standard: --date)."), metavar=_("ÅÅÅÅ-MM-DD"))
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


@app.command(
    help=_(
        "Registrera svar och beslut; ärendet går vidare så långt svaren och datumet räcker.\n\n"
        "Utan svar: registrera att ett datum som ärendet väntar på (t.ex. en remissperiod) har passerat."
    )
)
def answer(
    case_id: ById,
    answers: AnswersArg = None,
    by: ByOption = None,
    follow_up: Annotated[
        bool, typer.Option("--follow-up", help=_("Registrera att den fortlöpande uppföljningen är gjord."))
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


@app.command(help=_("Lägg ett ärende vilande: det syns inte i arbetslistan förrän det återupptas."))
def park(
    case_id: ById,
    reason: Annotated[str, typer.Option("--reason", help=_("Varför ärendet vilar."), metavar=_("SKÄL"))],
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


@app.command(help=_("Återuppta ett vilande eller parkerat ärende (för ett parkerat: med det nya beslutet)."))
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


@app.command(help=_("Flytta ärendet till paketets nuvarande version, om dess väg hittills har en plats där."))
def migrate(
    case_id: ById,
    pack: Annotated[
        Path | None,
        typer.Option("--pack", help=_("Paketfilen (standard: filen ärendet startade från)."), metavar=_("FIL")),
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


@app.command(help=_("Visa ärendets tidslinje hittills och vem som ska göra vad härnäst."))
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


@app.command("list", help=_("Lista ärendena: status, vem de väntar på och när de ska vara klara."))
def list_cases(
    pack: Annotated[
        str | None, typer.Option("--pack", help=_("Bara detta pakets ärenden (id)."), metavar=_("PAKET"))
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help=_("waiting, on_hold, ongoing, completed, handed_over, stopped, parked eller failed."),
            metavar=_("STATUS"),
        ),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=_("Bara ärenden som har passerat sitt datum."))] = False,
    waiting_for: Annotated[
        str | None,
        typer.Option("--waiting-for", help=_("Bara ärenden som väntar på denna aktör (id)."), metavar=_("AKTÖR")),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help=_("Högst så många (0: alla)."), metavar=_("ANTAL"))
    ] = 100,
    day: DateOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Lista ärendena: status, vem de väntar på och när de ska vara klara."""
    from kprocess.cli import case_list

    with _engine(db) as opened:
        code = case_list.listing(opened, pack, status, overdue, waiting_for, limit, _day(day), output.value)
    raise typer.Exit(code)


@app.command(help=_("Arbetslistan: per aktör de beslut, steg och uppföljningar som väntar, äldst först."))
def todo(
    actor: Annotated[
        str | None, typer.Option("--actor", help=_("Bara denna aktör eller detta forum (id)."), metavar=_("AKTÖR"))
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help=_("Högst så många (0: alla)."), metavar=_("ANTAL"))
    ] = 100,
    day: DateOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """Arbetslistan: per aktör de beslut, steg och uppföljningar som väntar, äldst först."""
    from kprocess.cli import case_list

    with _engine(db) as opened:
        code = case_list.todo(opened, actor, limit, _day(day), output.value)
    raise typer.Exit(code)


@app.command(help=_("Ärendets händelselogg: vad, när, av vem, under vilket mandat och vilken paketversion."))
def history(case_id: ById, db: DbOption = None, output: FormatOption = Format.text) -> None:
    """Ärendets händelselogg: vad, när, av vem, under vilket mandat och vilken paketversion."""
    from kprocess.cli import case_view as view

    with _register(db) as opened:
        code = view.history(opened, case_id, output.value)
    raise typer.Exit(code)


@app.command(help=_("Exportera ärenden med händelser och paketversioner (json) eller händelserna som en tabell (csv)."))
def export(
    case_id: Annotated[int | None, typer.Argument(help=_("Ärendets nummer."), metavar=_("ID"))] = None,
    every: Annotated[bool, typer.Option("--all", help=_("Alla ärenden."))] = False,
    output: Annotated[ExportFormat, typer.Option("--format", "-f", help=_("json eller csv."), metavar="json|csv")] = (
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
