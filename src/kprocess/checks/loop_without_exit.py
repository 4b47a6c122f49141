"""KP307 loop-without-exit: a loop whose steps only lead back into the loop.

Fails::

    steps:
      - {id: komplettera, ..., next: granska}
      - {id: granska, ..., routes: [{when: behover_komplettering, to: komplettera, max_times: 3},
                                    {otherwise: komplettera}]}   # KP307: no way out

Passes::

    steps:
      - {id: komplettera, ..., next: granska}
      - {id: granska, ..., routes: [{when: behover_komplettering, to: komplettera, max_times: 3},
                                    {otherwise: beslut}]}
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

CODE = "KP307"
NAME = "loop-without-exit"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report loops with no route leaving them."""
    forward = graph.build(pack.model.steps, pack.model.flows)
    for loop in graph.cycles(forward):
        members = set(loop)
        ends_inside = any(pack.steps[n].end is not None for n in loop)  # e.g. a parked step that can resume
        if not ends_inside and all(t in members for n in loop for t in forward[n]):
            chain = " → ".join([*loop, loop[0]])
            yield Finding(
                (*pack.step_path(loop[0]), "id"),
                _("slingan {chain} har ingen väg ut").format(chain=chain),
                _("lägg till en väg från något av stegen till ett steg utanför slingan"),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
