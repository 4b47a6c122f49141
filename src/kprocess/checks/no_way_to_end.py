"""KP302 no-way-to-end: from this step no path leads to an end step.

Fails::

    steps:
      - {id: a, ..., next: b}
      - {id: b, ..., next: a}        # a and b only lead to each other (see also KP307)

Passes::

    steps:
      - {id: a, ..., next: b}
      - {id: b, ..., end: completed}
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

CODE = "KP302"
NAME = "no-way-to-end"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report steps from which no end is reachable (loops without exit are reported by KP307)."""
    forward = graph.build(pack.model.steps, pack.model.flows)
    ends = [s.id for s in pack.model.steps if s.end is not None]
    can_end = graph.reachable(graph.reversed_graph(forward), ends)
    in_closed_loop = {n for loop in graph.cycles(forward) if _closed(loop, forward) for n in loop}
    for i, step in enumerate(pack.model.steps):
        if step.id not in can_end and step.id not in in_closed_loop:
            yield Finding(
                ("steps", i, "id"),
                _("från steget `{step}` finns ingen väg till ett slut").format(step=step.id),
                _("lägg till en väg som leder till ett steg med `end:`"),
            )


def _closed(loop: list[str], forward: graph.Graph) -> bool:
    members = set(loop)
    return all(t in members for n in loop for t in forward[n])


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
