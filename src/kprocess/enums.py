"""The format's fixed word lists (principal, weight, question type, …).

Kept apart from `kprocess.model` so that code which only reads a pack (the checks, the
conditions, `kprocess validate`) can use them without importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class Principal(StrEnum):
    """Which principal an actor belongs to (the document's swimlane colour)."""

    region = "region"
    kommun = "kommun"
    gemensam = "gemensam"
    nationell = "nationell"
    sjukvardsregional = "sjukvardsregional"


class Level(StrEnum):
    """Level of a forum, where a document gives one (004 §4.2)."""

    politisk = "politisk"
    strategisk = "strategisk"
    taktisk = "taktisk"
    operativ = "operativ"


class Weight(StrEnum):
    """Weight of a forum's involvement in a decision."""

    kannedom = "kannedom"
    bereder = "bereder"
    tillstyrkan = "tillstyrkan"
    rekommendation = "rekommendation"
    faststallande = "faststallande"
    beslut = "beslut"


class QuestionType(StrEnum):
    """What kind of answer a question takes."""

    yesno = "yesno"
    choice = "choice"
    number = "number"


class EndKind(StrEnum):
    """How a flow ends at an end step."""

    completed = "completed"
    handed_over = "handed_over"
    stopped = "stopped"
    parked = "parked"
    ongoing = "ongoing"


class FanOut(StrEnum):
    """Which parties a per-principal step fans out to."""

    parties = "parties"
    municipalities = "municipalities"


class CommonStage(StrEnum):
    """The stages every county's phases are placed on when counties are compared (`kprocess compare`)."""

    remiss = "remiss"
    nationellt_beslut = "nationellt_beslut"
    beredning = "beredning"
    beslut = "beslut"
    implementering = "implementering"
    uppfoljning = "uppfoljning"
