"""`kprocess facts PACK`: the questions a case can answer."""

from __future__ import annotations

import json
from pathlib import Path

from kprocess.cli.common import EXIT_OK, load_or_report
from kprocess.i18n import N_, _
from kprocess.model import Question
from kprocess.pack import RulePack
from kprocess.packtext import pack_name, question_text

TYPE_LABEL = {"yesno": N_("ja/nej"), "choice": N_("flerval"), "number": N_("tal")}


def used_questions(pack: RulePack) -> list[Question]:
    """Questions the pack reads (conditions, decisions, time rules) or declares, in a stable order."""
    used: set[str] = {q.id for q in pack.model.questions}
    for condition in pack.conditions.values():
        used |= {q for q in condition.questions if q in pack.questions}
    for step in pack.model.steps:
        if step.decision:
            used.add(step.decision.question)
        for timing in (step.timing, step.resume.wait if step.resume else None):
            if timing and timing.after_question:
                used.add(timing.after_question)
    return [q for q in pack.questions.values() if q.id in used and q.derived is None]


def run(pack_path: Path, as_json: bool) -> int:
    """Print the pack's questions."""
    pack = load_or_report(pack_path)
    questions = used_questions(pack)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": q.id,
                        "text": q.text,
                        "type": q.type.value,
                        "options": [{"id": o.id, "label": o.label} for o in q.options],
                        "default": q.default,
                        "per_party": q.per_party,
                        "unit": q.unit,
                        "help": q.help,
                    }
                    for q in questions
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=_("Frågor i {pack}").format(pack=escape(pack_name(pack))))
    for column in (_("Id"), _("Fråga"), _("Typ"), _("Alternativ"), _("Standard")):
        table.add_column(column)
    for q in questions:
        options = ", ".join(o.id for o in q.options)
        kind = _(TYPE_LABEL[q.type.value]) + (_(" per part") if q.per_party else "")
        default = "" if q.default is None else str(q.default)
        table.add_row(q.id, escape(question_text(q)), kind, escape(options), escape(default))
    Console().print(table)
    return EXIT_OK
