"""KP304 overlapping-routes: two routes of one step hold for the same answers.

Routes are tried in order, so the later one would silently never be taken for
those answers: say which one holds by narrowing a condition.

Fails::

    routes:
      - when: beror_kommunerna
        to: kommunspar
      - when: beror_kommunerna and kraver_politiskt_beslut   # KP304
        to: samverkansradet
      - otherwise: regionspar

Passes::

    routes:
      - when: beror_kommunerna and not kraver_politiskt_beslut
        to: kommunspar
      - when: beror_kommunerna and kraver_politiskt_beslut
        to: samverkansradet
      - otherwise: regionspar
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding, describe, overlaps, rule_conditions
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP304"
NAME = "overlapping-routes"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report each pair of routes that both hold for some answers."""
    for i, step in enumerate(pack.model.steps):
        rules = rule_conditions(pack, ("steps", i, "routes"), len(step.routes))
        for first, second, answers in overlaps(pack, rules):
            yield Finding(
                ("steps", i, "routes", second, "when"),
                _("väg {second} och väg {first} från `{step}` gäller båda när {answers}").format(
                    second=second + 1, first=first + 1, step=step.id, answers=describe(answers)
                ),
                _("vilken gäller? Smalna av villkoret så att bara en väg passar (nu vinner väg {first})").format(
                    first=first + 1
                ),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
