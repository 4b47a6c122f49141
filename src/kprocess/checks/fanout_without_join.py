"""KP308 fanout-without-join: branches that never meet again.

A `for_each` step (one branch per party) or a `parallel` step (one branch per
listed step) needs a later step with `join: <that step>` that every branch
reaches; and `join:` must name such a step.

Fails::

    - id: kommunbeslut
      for_each: municipalities       # KP308: the branches reach `klart` without a join
      next: klart
    - id: klart
      end: completed

Passes::

    - id: kommunbeslut
      for_each: municipalities
      next: samordning
    - id: samordning
      join: kommunbeslut
      next: klart
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

CODE = "KP308"
NAME = "fanout-without-join"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report splits whose branches can end without meeting, and joins of nothing."""
    forward = graph.build(pack.model.steps)
    for i, step in enumerate(pack.model.steps):
        if step.join is not None:
            split = pack.steps.get(step.join)
            if split is not None and split.for_each is None and not split.parallel:
                yield Finding(
                    ("steps", i, "join"),
                    _("`{step}` delar inte upp flödet, så det finns inget att vänta in").format(step=step.join),
                    _("`join:` ska peka på ett steg med `for_each:` eller `parallel:`"),
                )
        if step.for_each is None and not step.parallel:
            continue
        escape = _escape(pack, forward, step.id)
        if escape is not None:
            yield Finding(
                ("steps", i, "id"),
                _("grenarna från `{step}` når `{escape}` utan att mötas").format(step=step.id, escape=escape),
                _("lägg till `join: {step}` på det steg där alla grenar ska mötas").format(step=step.id),
            )


def _escape(pack: RulePack, forward: graph.Graph, split: str) -> str | None:
    """An end step (or nested split) a branch reaches before the join, if any."""
    seen: set[str] = set()
    stack = list(forward[split])
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        step = pack.steps[node]
        if step.join == split:
            continue
        if step.end is not None or node == split:
            return node
        stack.extend(forward[node])
    return None


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
