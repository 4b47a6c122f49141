"""Command wiring. Heavy modules are imported inside the commands so start-up stays fast."""

from __future__ import annotations

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kprocess.cli import COLLECT_THRESHOLDS
from kprocess.cli.common import EXIT_INTERNAL, EXIT_USAGE, UsageError
from kprocess.cli.swedish import install as _swedish
from kprocess.i18n import _, from_environment, set_language

_swedish()

app = typer.Typer(
    name="kprocess",
    help=_("Regelpaket för kunskapsstyrning: validera, simulera och följ ärenden."),
    no_args_is_help=True,
    context_settings={"help_option_names": ["--help", "-h"]},
    add_completion=True,
    subcommand_metavar=_("KOMMANDO [ARGUMENT]..."),
    pretty_exceptions_enable=False,
)


_debug = {"on": False}  # set by `--debug`; KPROCESS_DEBUG=1 is read when an error happens


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"kprocess {version('kprocess')}")
        raise typer.Exit(0)


class Language(StrEnum):
    """Languages of the output (`--lang`)."""

    sv = "sv"
    en = "en"


@app.callback(help=_("Regelpaket för kunskapsstyrning: validera, simulera och följ ärenden."))
def options(
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help=_("Språk för utdata: sv (standard) eller en; utan flaggan KPROCESS_LANG eller miljöns locale."),
            metavar="sv|en",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help=_("Visa hela felspåret (traceback) vid ett internt fel."))
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", help=_("Visa versionen och avsluta."), callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Regelpaket för kunskapsstyrning: validera, simulera och följ ärenden."""
    set_language(lang.value if lang is not None else from_environment())
    if debug:
        _debug["on"] = True


class ReportFormat(StrEnum):
    """Output formats of `validate`."""

    text = "text"
    json = "json"
    github = "github"


class SourcesFormat(StrEnum):
    """Output formats of `sources`."""

    text = "text"
    json = "json"
    markdown = "markdown"


class OutputFormat(StrEnum):
    """Output formats of the commands that print a view: text for people, JSON for programs."""

    text = "text"
    json = "json"


class SchemaKind(StrEnum):
    """Which schema `schema` prints."""

    pack = "pack"
    case = "case"


@app.command(help=_("Kontrollera regelpaket: format, referenser, villkor och flöde."))
def validate(
    paths: Annotated[list[Path], typer.Argument(help=_("Regelpaket (filer eller mappar)."), metavar=_("FIL..."))],
    output: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=_("Rapportformat."), metavar="text|json|github")
    ] = ReportFormat.text,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=_("Kontrollera allt på nytt; läs eller spara inget i cachen."))
    ] = False,
) -> None:
    """Kontrollera regelpaket: format, referenser, villkor och flöde."""
    from kprocess.cli import validate as command

    raise typer.Exit(command.run(paths, output.value, cache=False) if no_cache else command.run(paths, output.value))


@app.command(help=_("Skriv ut JSON Schema (draft-07) för formatet."))
def schema(
    kind: Annotated[SchemaKind, typer.Option("--kind", help=_("Paket eller testfall."))] = SchemaKind.pack,
) -> None:
    """Skriv ut JSON Schema (draft-07) för formatet."""
    from kprocess.schema import render

    sys.stdout.write(render(kind.value))


PackArg = Annotated[Path, typer.Argument(help=_("Regelpaketet (YAML-fil)."), metavar=_("PAKET"))]
FactOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fact", help=_("Ett svar: `fraga=ja`, `fraga[Timrå]=nej`, `fraga=ja,nej`."), metavar=_("FRÅGA=SVAR")
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help=_("text för läsare, json för program."), metavar="text|json")
]
JsonOption = Annotated[bool, typer.Option("--json", help=_("Samma som `--format json`."))]
CaseOption = Annotated[Path | None, typer.Option("--case", help=_("Svar från en testfallsfil."), metavar=_("FIL"))]
FlowOption = Annotated[
    str | None, typer.Option("--flow", help=_("Flödets id (annars paketets första)."), metavar=_("FLÖDE"))
]


@app.command(help=_("Kör ett ärende genom flödet: vem gör vad, vem beslutar och varför."))
def simulate(
    pack: PackArg,
    fact: FactOption = None,
    case: CaseOption = None,
    start: Annotated[
        str | None, typer.Option("--start", help=_("Startdatum: ger varje steg ett datum."), metavar=_("ÅÅÅÅ-MM-DD"))
    ] = None,
    output: FormatOption = OutputFormat.text,
    as_json: JsonOption = False,
    compact: Annotated[bool, typer.Option("--compact", help=_("En rad per steg."))] = False,
    flow: FlowOption = None,
    no_input: Annotated[bool, typer.Option("--no-input", help=_("Fråga aldrig, även i en terminal."))] = False,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch", help=_("Många ärenden: JSON Lines-fil (eller -), ett resultat per rad."), metavar=_("FIL")
        ),
    ] = None,
    diagram: Annotated[
        Path | None,
        typer.Option(
            "--diagram", help=_("Rita ärendets väg på kartan: .svg, .html, .mmd eller .md (Mermaid)."), metavar=_("FIL")
        ),
    ] = None,
) -> None:
    """Kör ett ärende genom flödet: vem gör vad, vem beslutar och varför."""
    if batch is not None:
        from kprocess.cli import batch as batch_command

        given = [
            name
            for name, value in (
                ("--fact", fact),
                ("--case", case),
                ("--start", start),
                ("--flow", flow),
                ("--diagram", diagram),
            )
            if value
        ]
        if given:
            raise UsageError(
                _("{options} kan inte användas med --batch: ge svar, start och flöde på varje rad i filen").format(
                    options=", ".join(given)
                )
            )

        raise typer.Exit(batch_command.run(pack, batch))
    from kprocess.cli import simulate as command

    as_json = as_json or output is OutputFormat.json
    raise typer.Exit(command.run(pack, fact or [], case, start, as_json, flow, not no_input, compact, diagram))


@app.command(help=_("Visa frågorna som ett ärende kan besvara."))
def facts(pack: PackArg, output: FormatOption = OutputFormat.text, as_json: JsonOption = False) -> None:
    """Visa frågorna som ett ärende kan besvara."""
    from kprocess.cli import facts as command

    raise typer.Exit(command.run(pack, as_json or output is OutputFormat.json))


@app.command(help=_("Visa alla vägar genom flödet, svaren som leder dit och testfallens täckning."))
def paths(
    pack: PackArg,
    output: FormatOption = OutputFormat.text,
    as_json: JsonOption = False,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help=_("Högsta antal vägar per flöde."), metavar=_("ANTAL"))
    ] = 1000,
) -> None:
    """Visa alla vägar genom flödet, svaren som leder dit och testfallens täckning."""
    from kprocess.cli import paths as command

    raise typer.Exit(command.run(pack, as_json or output is OutputFormat.json, limit))


@app.command(help=_("Visa varje beslut, vem som har mandat när, och vem som beslutar i detta ärende."))
def mandates(
    pack: PackArg,
    fact: FactOption = None,
    case: CaseOption = None,
    flow: FlowOption = None,
    output: FormatOption = OutputFormat.text,
    as_json: JsonOption = False,
) -> None:
    """Visa varje beslut, vem som har mandat när, och vem som beslutar i detta ärende."""
    from kprocess.cli import mandates as command

    raise typer.Exit(command.run(pack, fact or [], as_json or output is OutputFormat.json, case, flow))


@app.command(help=_("Visa aktörerna, eller vilka som sitter i ett forum."))
def actors(
    pack: PackArg,
    actor: Annotated[
        str | None, typer.Argument(help=_("En aktörs id: visa forumets sammansättning."), metavar=_("AKTÖR"))
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Visa aktörerna, eller vilka som sitter i ett forum."""
    from kprocess.cli import actors as command

    raise typer.Exit(command.run(pack, actor, output is OutputFormat.json))


@app.command(help=_("Visa källdokumentens avsnitt, vad som hänvisar till vart och ett, och täckningen."))
def sources(
    pack: PackArg,
    output: Annotated[SourcesFormat, typer.Option("--format", "-f", help=_("Utdataformat."))] = SourcesFormat.text,
) -> None:
    """Visa källdokumentens avsnitt, vad som hänvisar till vart och ett, och täckningen."""
    from kprocess.cli import sources as command

    raise typer.Exit(command.run(pack, output.value))


@app.command(
    help=_("Kör ett ärende genom flera län sida vid sida, fas för fas (utan svar: paketen som de är skrivna).")
)
def compare(
    packs: Annotated[list[Path], typer.Argument(help=_("Regelpaketen att jämföra."), metavar=_("PAKET..."))],
    fact: FactOption = None,
    case: CaseOption = None,
    start: Annotated[
        str | None, typer.Option("--start", help=_("Startdatum: ger varje fas datum."), metavar=_("ÅÅÅÅ-MM-DD"))
    ] = None,
    output: Annotated[SourcesFormat, typer.Option("--format", "-f", help=_("Utdataformat."))] = SourcesFormat.text,
    no_assume: Annotated[
        bool, typer.Option("--no-assume", help=_("Anta inga svar: lista i stället vad varje län skulle fråga."))
    ] = False,
    full: Annotated[
        bool,
        typer.Option("--full", help=_("Hela tabellen: aktörer, mandat och datum per fas (text är annars en skärm).")),
    ] = False,
) -> None:
    """Kör ett ärende genom flera län sida vid sida, fas för fas (utan svar: paketen som de är skrivna)."""
    from kprocess.cli import compare as command

    raise typer.Exit(command.run(packs, fact or [], case, start, output.value, not no_assume, full))


class DiffFormat(StrEnum):
    """Output formats of `diff`."""

    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


@app.command(help=_("Visa vad en ändring av ett paket betyder: steg, vägar, mandat, frågor, källor och testfall."))
def diff(
    old: Annotated[
        str, typer.Argument(help=_("Paketet före: en fil eller `fil@revision` (git)."), metavar=_("GAMMAL"))
    ],
    new: Annotated[str, typer.Argument(help=_("Paketet efter: en fil eller `fil@revision` (git)."), metavar=_("NY"))],
    output: Annotated[DiffFormat, typer.Option("--format", "-f", help=_("Utdataformat."))] = DiffFormat.text,
    fail_on_reroute: Annotated[
        bool, typer.Option("--fail-on-reroute", help=_("Avsluta med 1 när ett testfall tar en annan väg."))
    ] = False,
) -> None:
    """Visa vad en ändring av ett paket betyder: steg, vägar, mandat, frågor, källor och testfall."""
    from kprocess.cli import diff as command

    raise typer.Exit(command.run(old, new, output.value, fail_on_reroute))


@app.command(help=_("Rita paketet som processkarta (BPMN 2.0 med banor per huvudman)."))
def diagram(
    pack: PackArg,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help=_("Kartans format (se `kprocess diagram --help`)."), metavar="FORMAT")
    ] = "bpmn",
    flow: Annotated[
        str | None, typer.Option("--flow", help=_("Bara detta flöde (och flöden det anropar)."), metavar=_("FLÖDE"))
    ] = None,
    lanes: Annotated[
        str, typer.Option("--lanes", help=_("En bana per huvudman eller per aktör."), metavar="principal|actor")
    ] = "principal",
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("Skriv kartan till filen (annars standard ut)."), metavar=_("FIL")),
    ] = None,
) -> None:
    """Rita paketet som processkarta (BPMN 2.0 med banor per huvudman)."""
    from kprocess.cli import diagram as command

    raise typer.Exit(command.run(pack, output_format, flow, lanes, out))


@app.command("test", help=_("Kör testfallen bredvid paketen och visa resultat och täckning."))
def test_cases(
    paths: Annotated[
        list[Path] | None, typer.Argument(help=_("Paket eller mappar (standard: regions)."), metavar=_("FIL..."))
    ] = None,
    min_coverage: Annotated[
        float,
        typer.Option(
            "--min-coverage",
            min=0,
            max=100,
            help=_("Lägsta täckning av stegens utgångar (routes) i procent."),
            metavar=_("PROCENT"),
        ),
    ] = 0.0,
    output: FormatOption = OutputFormat.text,
    replay: Annotated[
        str | None,
        typer.Option(
            "--replay",
            help=_("Spela upp registrets ärenden (databas eller export) mot paketen: vilka skulle ta en annan väg?"),
            metavar="DB|EXPORT",
        ),
    ] = None,
) -> None:
    """Kör testfallen bredvid paketen och visa resultat och täckning."""
    if replay is not None:
        from kprocess.cli import replay as replay_command

        raise typer.Exit(replay_command.run(replay, paths or [Path("regions")], output is OutputFormat.json))
    from kprocess.cli import test as command

    raise typer.Exit(command.run(paths or [Path("regions")], min_coverage, output is OutputFormat.json))


def _add_case_commands() -> None:
    from kprocess.cli.case import app as case_app

    app.add_typer(case_app, name="case")


_add_case_commands()


def main() -> None:
    """Console-script entry point: usage mistakes exit 2 with a message, never a traceback."""
    gc.set_threshold(*COLLECT_THRESHOLDS)
    try:
        app()
    except UsageError as error:
        print(f"kprocess: {error}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as error:  # the last line of defence: exit 3, never a bare traceback
        sys.exit(internal_error(error, debug=_debug["on"] or os.environ.get("KPROCESS_DEBUG", "") not in ("", "0")))


def internal_error(error: BaseException, *, debug: bool) -> int:
    """Report a fault in kprocess itself on one line (the traceback with `--debug`); return exit 3."""
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    from kprocess.diagnostics import excerpt

    print(
        "kprocess: "
        + _(
            "internt fel i kprocess ({error}); det är inte ditt paket som är fel. Kör igen med "
            "`kprocess --debug ...` eller KPROCESS_DEBUG=1 för att se detaljerna, och rapportera felet."
        ).format(error=f"{type(error).__name__}: {excerpt(str(error), 120)}"),
        file=sys.stderr,
    )
    return EXIT_INTERNAL
