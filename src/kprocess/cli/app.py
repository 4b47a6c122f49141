"""Command wiring. Heavy modules are imported inside the commands so start-up stays fast."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kprocess.cli.common import EXIT_USAGE, UsageError

app = typer.Typer(
    name="kprocess",
    help="Regelpaket för kunskapsstyrning: validera, simulera och följ ärenden.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReportFormat(StrEnum):
    """Output formats of `validate`."""

    text = "text"
    json = "json"
    github = "github"


class SchemaKind(StrEnum):
    """Which schema `schema` prints."""

    pack = "pack"
    case = "case"


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Regelpaket (filer eller mappar).")],
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="Rapportformat.")] = ReportFormat.text,
) -> None:
    """Kontrollera regelpaket: format, referenser, villkor och flöde."""
    from kprocess.cli import validate as command

    raise typer.Exit(command.run(paths, output.value))


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Option("--kind", help="Paket eller testfall.")] = SchemaKind.pack,
) -> None:
    """Skriv ut JSON Schema (draft-07) för formatet."""
    from kprocess.schema import render

    sys.stdout.write(render(kind.value))


def main() -> None:
    """Console-script entry point: usage mistakes exit 2 with a message, never a traceback."""
    try:
        app()
    except UsageError as error:
        print(f"kprocess: {error}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
