"""KP305 overlapping-mandates: two mandate rules of one decision apply to the same answers.

Fails::

    mandate:
      - when: ryms_i_budget
        holder: verksamhetschef
      - when: ryms_i_budget and storre_process     # KP305: who decides?
        holder: hsf_ledningsgrupp
      - otherwise: hsf_ledningsgrupp

Passes::

    mandate:
      - when: ryms_i_budget
        holder: verksamhetschef
      - otherwise: hsf_ledningsgrupp
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding, describe, overlaps, rule_conditions
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP305"
NAME = "overlapping-mandates"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report each pair of mandate rules that both apply for some answers."""
    for i, step in enumerate(pack.model.steps):
        if step.decision is None:
            continue
        base = ("steps", i, "decision", "mandate")
        rules = rule_conditions(pack, base, len(step.decision.mandate))
        for first, second, answers in overlaps(pack, rules):
            holders = [step.decision.mandate[k].actor for k in (first, second)]
            yield Finding(
                (*base, second, "when"),
                _("både `{first}` och `{second}` har mandat i `{step}` när {answers}").format(
                    first=holders[0], second=holders[1], step=step.id, answers=describe(answers)
                ),
                _("vem beslutar? Smalna av villkoren så att bara en regel gäller"),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
