"""KP301 unreachable-step: no flow can reach the step.

Every step must be reachable from the `start` of some flow.

Fails::

    flows: [{id: huvudflode, name: Huvudflöde, start: remiss}]
    steps:
      - {id: remiss, ..., end: completed}
      - {id: glomt_steg, ..., end: completed}    # KP301

Passes::

    steps:
      - {id: remiss, ..., next: klart}
      - {id: klart, ..., end: completed}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess import graph
from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP301"
NAME = "unreachable-step"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report steps outside every flow."""
    reached = graph.reachable(graph.build(pack.model.steps, pack.model.flows), (f.start for f in pack.model.flows))
    for i, step in enumerate(pack.model.steps):
        if step.id not in reached:
            yield Finding(
                ("steps", i, "id"),
                _("steget `{step}` kan inte nås från något flöde").format(step=step.id),
                _("led dit en väg från ett annat steg, gör det till `start` i ett flöde, eller ta bort det"),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
