"""KP310 loop-without-bound: a loop in which no route carries `max_times`.

A case that keeps answering the same way would go round forever; a bound on
the route back makes the engine stop with a clear error instead.

Fails::

    - id: granska
      routes:
        - when: behover_komplettering
          to: komplettera             # KP310: back into the loop without max_times
        - otherwise: beslut

Passes::

    - id: granska
      routes:
        - when: behover_komplettering
          to: komplettera
          max_times: 5
        - otherwise: beslut
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

CODE = "KP310"
NAME = "loop-without-bound"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report loops where no route inside the loop is bounded."""
    for loop in graph.cycles(graph.build(pack.model.steps, pack.model.flows)):
        members = set(loop)
        bounded = any(
            route.max_times is not None and route.target in members
            for step_id in loop
            for route in pack.steps[step_id].routes
        ) or any(
            (resume := pack.steps[step_id].resume) is not None and resume.max_times is not None and resume.to in members
            for step_id in loop
        )
        if not bounded:
            chain = " → ".join([*loop, loop[0]])
            yield Finding(
                (*pack.step_path(loop[-1]), "id"),
                _("slingan {chain} saknar gräns").format(chain=chain),
                _("sätt `max_times: <antal>` på den väg som går tillbaka i slingan"),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
