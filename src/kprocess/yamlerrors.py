"""YAML syntax errors in words a process owner understands: where the construct began,
where the parser noticed, and what to do about the common mistakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kprocess.i18n import _


@dataclass(frozen=True)
class SyntaxProblem:
    """A syntax error: the position to report (1-based), the message and the hint."""

    line: int
    column: int
    message: str
    hint: str


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def explain(context: str | None, problem: str | None, context_mark: Any, problem_mark: Any) -> SyntaxProblem:
    """Swedish message and hint for ruamel's (context, problem); reported where the construct
    began (`context_mark`) when there is one, with the place the parser noticed in the message."""
    context, problem = context or "", problem or ""
    began = _at(context_mark) if context_mark is not None else None
    noticed = _at(problem_mark) if problem_mark is not None else began or (1, 1)
    line, column = began or noticed
    started = (
        _("påbörjad här (upptäckt på rad {line}, kolumn {column})").format(line=noticed[0], column=noticed[1])
        if began and began != noticed
        else _("påbörjad här")
    )
    if "flow sequence" in context:
        return SyntaxProblem(
            line,
            column,
            _("listan `[` stängs aldrig med `]`; {started}").format(started=started),
            _("avsluta listan med `]` på samma rad, eller sätt komma mellan värdena"),
        )
    if "flow mapping" in context:
        return SyntaxProblem(
            line,
            column,
            _("`{{` stängs aldrig med `}}`; {started}").format(started=started),
            _("avsluta med `}` på samma rad, eller sätt komma mellan `nyckel: värde`-paren"),
        )
    if "quoted scalar" in context:
        return SyntaxProblem(
            line,
            column,
            _("citattecknet stängs aldrig; texten är {started}").format(started=started),
            _("avsluta texten med samma citattecken som den börjar med (`\"` eller `'`)"),
        )
    if "simple key" in context:
        return SyntaxProblem(
            line,
            column,
            _("raden är varken `nyckel: värde` eller en listrad `- …`"),
            _("lägg till `:` efter nyckeln, eller dra in raden så att den fortsätter texten på raden ovan"),
        )
    if "mapping values are not allowed" in problem:
        return SyntaxProblem(
            noticed[0],
            noticed[1],
            _("ett kolon följt av mellanslag mitt i ett värde"),
            _('sätt värdet inom citattecken (`"…: …"`), eller flytta det till en egen rad med indrag'),
        )
    if "'-' indicator" in problem:
        return SyntaxProblem(
            noticed[0],
            noticed[1],
            _("rad {line} står i listan som börjar på rad {start} men börjar inte med `- `").format(
                line=noticed[0], start=line
            ),
            _(
                "börja raden med `- ` om den är ett nytt listelement, dra in den om den hör till elementet ovan, "
                "eller minska indraget om den är en nyckel en nivå ut"
            ),
        )
    if "block mapping" in context or "block collection" in context or "block end" in problem:
        return SyntaxProblem(
            noticed[0],
            noticed[1],
            _(
                "indraget på rad {line} stämmer inte med nycklarna ovan (nivån börjar på rad {start}, kolumn {column})"
            ).format(line=noticed[0], start=line, column=column),
            _(
                "låt raden börja i kolumn {column}, som de andra nycklarna på samma nivå, "
                "eller längre in om den hör till raden ovan"
            ).format(column=column),
        )
    english = " ".join(filter(None, [context, problem]))
    return SyntaxProblem(
        noticed[0],
        noticed[1],
        _("YAML-fel: {problem}").format(problem=english),
        _("kontrollera indrag, kolon och citattecken på raden och raden före"),
    )
