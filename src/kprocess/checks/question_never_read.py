"""KP313 question-never-read: a question the pack declares and nothing uses.

A question of the pack's own (not the shared vocabulary) is used when a condition
reads it (also as `any(q)`/`all(q)` or through a derived question), a decision
answers it, or a timing waits for it (`after_question`). An unused question is
asked for nothing: use it, or remove it.

Fails::

    questions:
      - id: kommunal_medverkan          # KP313: no condition, decision or timing uses it
        text: Medverkar kommunerna?
        type: yesno

Passes::

    questions:
      - id: kommunal_medverkan
        text: Medverkar kommunerna?
        type: yesno
    steps:
      - id: remiss
        routes:
          - when: kommunal_medverkan
            to: kommunremiss
          - otherwise: regionremiss
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.checks.decision_without_effect import expand, timing_reads
from kprocess.conditions import parse_tree
from kprocess.diagnostics import Severity
from kprocess.i18n import _
from kprocess.pack import shared_ids

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP313"
NAME = "question-never-read"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report the pack's own questions that no condition, decision or timing uses."""
    used = expand(_named(pack), {})
    for condition in pack.conditions.values():
        used |= expand(condition.questions, {})
    for step in pack.model.steps:
        used |= timing_reads(step)
        if step.decision is not None:
            used.add(step.decision.question)
    shared = shared_ids()[0]
    for i, question in enumerate(pack.model.questions):
        if question.id in used or question.id in shared:
            continue
        yield Finding(
            ("questions", i, "id"),
            _(
                "frågan `{question}` används aldrig: inget villkor läser den, inget beslut besvarar den "
                "och ingen tidsangivelse väntar på den"
            ).format(question=question.id),
            _("läs frågan i ett villkor (`when:`), låt ett beslut besvara den, eller ta bort den"),
        )


def _named(pack: RulePack) -> set[str]:
    """Every name the pack's condition texts mention (a derived question is named, then expanded)."""
    names: set[str] = set()
    for site, text in pack.condition_sites():
        if site in pack.conditions:
            names |= pack.conditions[site].named
            continue
        try:
            tree = parse_tree(text.strip())
        except SyntaxError:
            continue
        names.update(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
    return names


CHECK = Check(CODE, NAME, Severity.warning, check, __doc__ or "")
