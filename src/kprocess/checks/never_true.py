"""KP207 never-true: a condition that no answers can make true.

Fails::

    - when: beror_kommunerna and not beror_kommunerna   # KP207
      to: kommunspar

Passes::

    - when: beror_kommunerna
      to: kommunspar
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding, satisfiable
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP207"
NAME = "never-true"


def check(pack: RulePack) -> Iterator[Finding]:
    """Try every representative answer; report conditions that are false for all of them."""
    for path, condition in pack.conditions.items():
        if satisfiable(pack, [(condition, True)]) is False:
            yield Finding(
                path,
                _("villkoret `{condition}` kan aldrig bli sant").format(condition=condition.text),
                _("kontrollera `and`/`or`/`not` och jämförelserna; ta bort vägen om den inte behövs"),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
