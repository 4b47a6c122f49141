"""KP311 question-definition: a question whose options, default or use do not fit its type.

Choice questions need at least two options; other types take none; a default
must be an answer of the question's type; a decision needs a yes/no or choice
question; `after_question` needs a number question.

Fails::

    - id: beslutsform
      type: choice                     # KP311: no options
    - id: behover_komplettering
      type: yesno
      default: kanske                  # KP311: not ja/nej

Passes::

    - id: beslutsform
      type: choice
      options: [{id: tjansteman, label: Tjänstemannayttrande}, {id: politiskt, label: Politiskt beslut}]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.conditions import parse_yesno
from kprocess.diagnostics import Severity
from kprocess.enums import QuestionType
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.model import Question
    from kprocess.pack import RulePack

CODE = "KP311"
NAME = "question-definition"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report questions that cannot be answered as declared, or are used against their type."""
    for i, question in enumerate(pack.model.questions):
        yield from _definition(question, ("questions", i))
    for i, step in enumerate(pack.model.steps):
        decision = step.decision
        if decision and (q := pack.questions.get(decision.question)) and q.type is QuestionType.number:
            yield Finding(
                ("steps", i, "decision", "question"),
                _("ett beslut besvarar en ja/nej- eller flervalsfråga; `{question}` är en talfråga").format(
                    question=q.id
                ),
                _("välj eller deklarera en ja/nej- eller flervalsfråga för beslutet"),
            )
        if decision and (q := pack.questions.get(decision.question)) and q.derived is not None:
            yield Finding(
                ("steps", i, "decision", "question"),
                _("`{question}` härleds ur andra svar (`derived:`) och kan inte beslutas").format(question=q.id),
                _("låt beslutet besvara en egen fråga, eller ta bort `derived:` från frågan"),
            )
        timing = step.timing
        waits_for = pack.questions.get(timing.after_question) if timing and timing.after_question else None
        if waits_for is not None and waits_for.type is not QuestionType.number:
            yield Finding(
                ("steps", i, "timing", "after_question"),
                _("`after_question` behöver en talfråga (antal månader); `{question}` är det inte").format(
                    question=waits_for.id
                ),
                _("deklarera en fråga med `type: number` och `unit: månader`"),
            )


def _definition(question: Question, at: tuple[str | int, ...]) -> Iterator[Finding]:
    if question.type is QuestionType.choice and len(question.options) < 2:
        yield Finding(
            (*at, "options"),
            _("flervalsfrågan `{question}` behöver minst två alternativ").format(question=question.id),
            _("lägg till `options:` med `id` och `label` för varje svar"),
            key=True,
        )
    if question.type is not QuestionType.choice and question.options:
        yield Finding(
            (*at, "options"),
            _("bara flervalsfrågor har alternativ; `{question}` är {type}").format(
                question=question.id, type=question.type
            ),
            _("ta bort `options:` eller ändra `type: choice`"),
            key=True,
        )
    default = question.default
    if default is None:
        return
    if question.type is QuestionType.yesno and parse_yesno(default) is None:
        yield Finding(
            (*at, "default"),
            _("standardsvaret `{default}` är inget ja/nej").format(default=default),
            _("skriv `ja` eller `nej`"),
        )
    elif question.type is QuestionType.number and (isinstance(default, bool) or not isinstance(default, int | float)):
        yield Finding(
            (*at, "default"),
            _("standardsvaret `{default}` är inget tal").format(default=default),
            _("skriv ett tal, t.ex. `12`"),
        )
    elif question.type is QuestionType.choice and default not in {o.id for o in question.options}:
        yield Finding(
            (*at, "default"),
            _("standardsvaret `{default}` är inget av alternativen").format(default=default),
            _("välj ett av: {options}").format(options=", ".join(o.id for o in question.options)),
        )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
