"""Command wiring. Heavy modules are imported inside the commands so start-up stays fast."""

from __future__ import annotations

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kprocess.cli.common import EXIT_INTERNAL, EXIT_USAGE, UsageError
from kprocess.cli.swedish import install as _swedish

_swedish()

app = typer.Typer(
    name="kprocess",
    help="Regelpaket för kunskapsstyrning: validera, simulera och följ ärenden.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["--help", "-h"]},
    add_completion=True,
    subcommand_metavar="KOMMANDO [ARGUMENT]...",
    pretty_exceptions_enable=False,
)


_debug = {"on": False}  # set by `--debug`; KPROCESS_DEBUG=1 is read when an error happens


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"kprocess {version('kprocess')}")
        raise typer.Exit(0)


@app.callback()
def options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Visa hela felspåret (traceback) vid ett internt fel.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Visa versionen och avsluta.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Regelpaket för kunskapsstyrning: validera, simulera och följ ärenden."""
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


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Regelpaket (filer eller mappar).", metavar="FIL...")],
    output: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Rapportformat.", metavar="text|json|github")
    ] = ReportFormat.text,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Kontrollera allt på nytt; läs eller spara inget i cachen.")
    ] = False,
) -> None:
    """Kontrollera regelpaket: format, referenser, villkor och flöde."""
    from kprocess.cli import validate as command

    raise typer.Exit(command.run(paths, output.value, cache=False) if no_cache else command.run(paths, output.value))


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Option("--kind", help="Paket eller testfall.")] = SchemaKind.pack,
) -> None:
    """Skriv ut JSON Schema (draft-07) för formatet."""
    from kprocess.schema import render

    sys.stdout.write(render(kind.value))


PackArg = Annotated[Path, typer.Argument(help="Regelpaketet (YAML-fil).", metavar="PAKET")]
FactOption = Annotated[
    list[str] | None,
    typer.Option("--fact", help="Ett svar: `fraga=ja`, `fraga[Timrå]=nej`, `fraga=ja,nej`.", metavar="FRÅGA=SVAR"),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="text för läsare, json för program.", metavar="text|json")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Samma som `--format json`.")]
CaseOption = Annotated[Path | None, typer.Option("--case", help="Svar från en testfallsfil.", metavar="FIL")]
FlowOption = Annotated[str | None, typer.Option("--flow", help="Flödets id (annars paketets första).", metavar="FLÖDE")]


@app.command()
def simulate(
    pack: PackArg,
    fact: FactOption = None,
    case: CaseOption = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Startdatum: ger varje steg ett datum.", metavar="ÅÅÅÅ-MM-DD")
    ] = None,
    output: FormatOption = OutputFormat.text,
    as_json: JsonOption = False,
    compact: Annotated[bool, typer.Option("--compact", help="En rad per steg.")] = False,
    flow: FlowOption = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Fråga aldrig, även i en terminal.")] = False,
    batch: Annotated[
        str | None,
        typer.Option("--batch", help="Många ärenden: JSON Lines-fil (eller -), ett resultat per rad.", metavar="FIL"),
    ] = None,
    diagram: Annotated[
        Path | None,
        typer.Option(
            "--diagram", help="Rita ärendets väg på kartan: .svg, .html, .mmd eller .md (Mermaid).", metavar="FIL"
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
                f"{', '.join(given)} kan inte användas med --batch: ge svar, start och flöde på varje rad i filen"
            )

        raise typer.Exit(batch_command.run(pack, batch))
    from kprocess.cli import simulate as command

    as_json = as_json or output is OutputFormat.json
    raise typer.Exit(command.run(pack, fact or [], case, start, as_json, flow, not no_input, compact, diagram))


@app.command()
def facts(pack: PackArg, output: FormatOption = OutputFormat.text, as_json: JsonOption = False) -> None:
    """Visa frågorna som ett ärende kan besvara."""
    from kprocess.cli import facts as command

    raise typer.Exit(command.run(pack, as_json or output is OutputFormat.json))


@app.command()
def paths(
    pack: PackArg,
    output: FormatOption = OutputFormat.text,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Högsta antal vägar per flöde.", metavar="ANTAL")] = 1000,
) -> None:
    """Visa alla vägar genom flödet, svaren som leder dit och testfallens täckning."""
    from kprocess.cli import paths as command

    raise typer.Exit(command.run(pack, as_json or output is OutputFormat.json, limit))


@app.command()
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


@app.command()
def actors(
    pack: PackArg,
    actor: Annotated[
        str | None, typer.Argument(help="En aktörs id: visa forumets sammansättning.", metavar="AKTÖR")
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Visa aktörerna, eller vilka som sitter i ett forum."""
    from kprocess.cli import actors as command

    raise typer.Exit(command.run(pack, actor, output is OutputFormat.json))


@app.command()
def sources(
    pack: PackArg,
    output: Annotated[SourcesFormat, typer.Option("--format", "-f", help="Utdataformat.")] = SourcesFormat.text,
) -> None:
    """Visa källdokumentens avsnitt, vad som hänvisar till vart och ett, och täckningen."""
    from kprocess.cli import sources as command

    raise typer.Exit(command.run(pack, output.value))


@app.command()
def compare(
    packs: Annotated[list[Path], typer.Argument(help="Regelpaketen att jämföra.", metavar="PAKET...")],
    fact: FactOption = None,
    case: CaseOption = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Startdatum: ger varje fas datum.", metavar="ÅÅÅÅ-MM-DD")
    ] = None,
    output: Annotated[SourcesFormat, typer.Option("--format", "-f", help="Utdataformat.")] = SourcesFormat.text,
    no_assume: Annotated[
        bool, typer.Option("--no-assume", help="Anta inga svar: lista i stället vad varje län skulle fråga.")
    ] = False,
) -> None:
    """Kör ett ärende genom flera län sida vid sida, fas för fas (utan svar: paketen som de är skrivna)."""
    from kprocess.cli import compare as command

    raise typer.Exit(command.run(packs, fact or [], case, start, output.value, not no_assume))


class DiffFormat(StrEnum):
    """Output formats of `diff`."""

    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Paketet före: en fil eller `fil@revision` (git).", metavar="GAMMAL")],
    new: Annotated[str, typer.Argument(help="Paketet efter: en fil eller `fil@revision` (git).", metavar="NY")],
    output: Annotated[DiffFormat, typer.Option("--format", "-f", help="Utdataformat.")] = DiffFormat.text,
    fail_on_reroute: Annotated[
        bool, typer.Option("--fail-on-reroute", help="Avsluta med 1 när ett testfall tar en annan väg.")
    ] = False,
) -> None:
    """Visa vad en ändring av ett paket betyder: steg, vägar, mandat, frågor, källor och testfall."""
    from kprocess.cli import diff as command

    raise typer.Exit(command.run(old, new, output.value, fail_on_reroute))


@app.command()
def diagram(
    pack: PackArg,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Kartans format (se `kprocess diagram --help`).", metavar="FORMAT")
    ] = "bpmn",
    flow: Annotated[
        str | None, typer.Option("--flow", help="Bara detta flöde (och flöden det anropar).", metavar="FLÖDE")
    ] = None,
    lanes: Annotated[
        str, typer.Option("--lanes", help="En bana per huvudman eller per aktör.", metavar="principal|actor")
    ] = "principal",
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Skriv kartan till filen (annars standard ut).", metavar="FIL")
    ] = None,
) -> None:
    """Rita paketet som processkarta (BPMN 2.0 med banor per huvudman)."""
    from kprocess.cli import diagram as command

    raise typer.Exit(command.run(pack, output_format, flow, lanes, out))


@app.command("test")
def test_cases(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Paket eller mappar (standard: regions).", metavar="FIL...")
    ] = None,
    min_coverage: Annotated[
        float,
        typer.Option(
            "--min-coverage",
            min=0,
            max=100,
            help="Lägsta täckning av stegens utgångar (routes) i procent.",
            metavar="PROCENT",
        ),
    ] = 0.0,
    output: FormatOption = OutputFormat.text,
    replay: Annotated[
        str | None,
        typer.Option(
            "--replay",
            help="Spela upp registrets ärenden (databas eller export) mot paketen: vilka skulle ta en annan väg?",
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
    # A command builds many small objects and few cycles: collecting less often keeps large packs
    # linear (the default threshold made 10,000-step packs spend a fifth of their time in the GC).
    gc.set_threshold(100_000, 50, 100)
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
        f"kprocess: internt fel i kprocess ({type(error).__name__}: {excerpt(str(error), 120)}); "
        "det är inte ditt paket som är fel. Kör igen med `kprocess --debug ...` eller KPROCESS_DEBUG=1 "
        "för att se detaljerna, och rapportera felet.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
