"""KP306 decision-without-holder: a decision for which nobody, or two ways, hold the mandate.

A decision names its holder with `by:` or with `mandate:` rules that cover every
answer (end them with `- otherwise: <aktör>`), never both.

Fails::

    decision:
      question: beslut_implementering
      mandate:
        - when: ryms_i_budget             # KP306: nobody decides when it does not fit the budget
          holder: verksamhetschef

Passes::

    decision:
      question: beslut_implementering
      mandate:
        - when: ryms_i_budget
          holder: verksamhetschef
        - otherwise: hsf_ledningsgrupp
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding, describe, first_gap, rule_conditions
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP306"
NAME = "decision-without-holder"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report decisions without a mandate holder for some answers."""
    for i, step in enumerate(pack.model.steps):
        decision = step.decision
        if decision is None:
            continue
        at = ("steps", i, "decision")
        if decision.by and decision.mandate:
            yield Finding(
                (*at, "by"),
                _("beslutet i `{step}` har både `by` och `mandate`").format(step=step.id),
                _("använd `by:` när samma aktör alltid beslutar, annars bara `mandate:`"),
                key=True,
            )
        elif not decision.by and not decision.mandate:
            yield Finding(
                at,
                _("beslutet i `{step}` saknar mandatinnehavare").format(step=step.id),
                _("ange `by: <aktör>` eller `mandate:` med regler"),
                key=True,
            )
        elif decision.mandate and not any(r.otherwise is not None for r in decision.mandate):
            rules = rule_conditions(pack, (*at, "mandate"), len(decision.mandate))
            if len(rules) == len(decision.mandate):
                gap = first_gap(pack, [c for _, c in rules])
                if gap is not None:
                    yield Finding(
                        (*at, "mandate"),
                        _("ingen har mandat i `{step}` när {answers}").format(step=step.id, answers=describe(gap)),
                        _("lägg till en regel för de svaren eller `- otherwise: <aktör>` sist"),
                        key=True,
                    )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
