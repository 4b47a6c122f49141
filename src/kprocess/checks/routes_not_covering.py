"""KP303 routes-not-covering: some answers to the questions the routes test lead nowhere.

Routes without `otherwise` must together cover every answer of the questions
they test; otherwise a case can get stuck.

Fails::

    routes:                            # KP303: beror_kommunerna=nej leads nowhere
      - when: beror_kommunerna
        to: kommunspar

Passes::

    routes:
      - when: beror_kommunerna
        to: kommunspar
      - otherwise: regionspar
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding, describe, first_gap, rule_conditions
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP303"
NAME = "routes-not-covering"


def check(pack: RulePack) -> Iterator[Finding]:
    """Find answers for which no route of a step holds."""
    for i, step in enumerate(pack.model.steps):
        if not step.routes or any(r.otherwise is not None for r in step.routes):
            continue
        rules = rule_conditions(pack, ("steps", i, "routes"), len(step.routes))
        if len(rules) != len(step.routes):
            continue
        gap = first_gap(pack, [c for _, c in rules])
        if gap is not None:
            yield Finding(
                ("steps", i, "routes"),
                _("ingen väg från `{step}` gäller när {answers}").format(step=step.id, answers=describe(gap)),
                _("lägg till en väg för de svaren, eller `- otherwise: <steg>` sist"),
                key=True,
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
