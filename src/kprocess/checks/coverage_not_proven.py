"""KP316 coverage-not-proven: routes or mandate rules too wide to check for a gap.

KP303 and KP306 prove that routes and mandate rules without `otherwise` cover
every answer by trying the answers their conditions read. When that is more than
20,000 combinations they cannot try them all, so a gap may go unnoticed until a
case gets stuck; end the rules with `otherwise` to make coverage certain.

Fails::

    mandate:                              # KP316: 15 questions, 32,768 combinations
      - when: villkor_01 and villkor_02 and … and villkor_15
        holder: lpo

Passes::

    mandate:
      - when: villkor_01 and villkor_02 and … and villkor_15
        holder: lpo
      - otherwise: ledning
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import MAX_ASSIGNMENTS, Check, Finding, assignments, rule_conditions
from kprocess.diagnostics import DataPath, Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP316"
NAME = "coverage-not-proven"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report rule lists without `otherwise` whose answers are too many to try."""
    for i, step in enumerate(pack.model.steps):
        decision = step.decision
        lists: list[tuple[DataPath, int, bool]] = [
            (("steps", i, "routes"), len(step.routes), any(r.otherwise is not None for r in step.routes)),
        ]
        if decision is not None and decision.by is None:
            rules = decision.mandate
            lists.append((("steps", i, "decision", "mandate"), len(rules), any(r.otherwise is not None for r in rules)))
        for base, count, closed in lists:
            conditions = [c for _, c in rule_conditions(pack, base, count)]
            if count == 0 or closed or len(conditions) != count or assignments(pack, conditions) is not None:
                continue
            yield Finding(
                base,
                _("täckningen i `{step}` kan inte prövas: villkoren ger fler än {limit} svarskombinationer").format(
                    step=step.id, limit=f"{MAX_ASSIGNMENTS:,}".replace(",", " ")
                ),
                _("avsluta med `- otherwise: …` så att varje svar säkert har en fortsättning"),
                key=True,
            )


CHECK = Check(CODE, NAME, Severity.warning, check, __doc__ or "")
