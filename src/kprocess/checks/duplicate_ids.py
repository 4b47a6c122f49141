"""KP201 duplicate-id: two things of the same kind share an id.

Ids must be unique per kind (actors, steps, questions, phases, flows, sources,
sections of one source, option sets, options of one question); a pack question
may not reuse an id of the shared vocabulary.

Fails::

    steps:
      - id: remiss
        ...
      - id: remiss      # KP201

Passes::

    steps:
      - id: remiss
      - id: remissvar
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import Severity
from kprocess.i18n import N_, _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP201"
NAME = "duplicate-id"


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _duplicates(items: Sequence[_HasId], path: tuple[str | int, ...], kind: str) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.id in first:
            yield Finding(
                (*path, index, "id"),
                _("{kind} `{id}` finns redan (nummer {number})").format(
                    kind=_(kind), id=item.id, number=first[item.id] + 1
                ),
                _("ge den ett eget id eller ta bort dubbletten"),
            )
        else:
            first[item.id] = index


def check(pack: RulePack) -> Iterator[Finding]:
    """Report every repeated id."""
    from kprocess.pack import shared_ids

    model = pack.model
    yield from _duplicates(model.actors, ("actors",), N_("aktören"))
    yield from _duplicates(model.steps, ("steps",), N_("steget"))
    yield from _duplicates(model.questions, ("questions",), N_("frågan"))
    yield from _duplicates(model.phases, ("phases",), N_("fasen"))
    yield from _duplicates(model.flows, ("flows",), N_("flödet"))
    yield from _duplicates(model.sources, ("sources",), N_("dokumentet"))
    for index, source in enumerate(model.sources):
        yield from _duplicates(source.sections, ("sources", index, "sections"), N_("avsnittet"))
    yield from _duplicates(model.option_sets, ("option_sets",), N_("alternativmängden"))
    for index, question in enumerate(model.questions):
        yield from _duplicates(question.options, ("questions", index, "options"), N_("alternativet"))
    shared_questions, shared_sets = shared_ids()
    for index, question in enumerate(model.questions):
        if question.id in shared_questions:
            yield Finding(
                ("questions", index, "id"),
                _("frågan `{question}` finns redan i det gemensamma ordförrådet").format(question=question.id),
                _("ta bort deklarationen: frågan kan användas direkt i alla paket"),
            )
    for index, option_set in enumerate(model.option_sets):
        if option_set.id in shared_sets:
            yield Finding(
                ("option_sets", index, "id"),
                _("alternativmängden `{option_set}` finns redan i det gemensamma ordförrådet").format(
                    option_set=option_set.id
                ),
                _("ge paketets mängd ett eget id"),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
