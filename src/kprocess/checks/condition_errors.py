"""KP204 unknown-question, KP205 condition-syntax, KP206 condition-type.

A condition may only name declared questions and option sets (KP204), must be
written in the condition language (KP205), and must compare each question with
answers of its type: yes/no questions stand alone or after `not`, choice
questions are compared with one of their options, numbers with numbers (KP206).
A condition the compiler refuses is always an error: `True`, `False` and
`x and False` are not conditions (KP205; use `otherwise:`), so no pack with a
condition that did not compile ever runs.

Fails::

    routes:
      - when: beror_komunerna          # KP204 (did you mean `beror_kommunerna`?)
        to: kommunspar
      - when: import os                # KP205
        to: x
      - when: beror_kommunerna and False   # KP205: always false
        to: z
      - when: programomrade == 'tandvrd'   # KP206: no such option
        to: y

Passes::

    routes:
      - when: beror_kommunerna and programomrade in kommunmedverkan
        to: kommunspar
      - otherwise: regionspar
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import Severity

if TYPE_CHECKING:
    from kprocess.pack import RulePack


def findings(pack: RulePack, code: str) -> Iterator[Finding]:
    """The condition compile errors with `code`."""
    for path, error in pack.condition_errors.items():
        if error.code == code:
            yield Finding(path, error.message, error.hint, column_offset=error.column)


_OWN = frozenset({"KP204", "KP206"})


def unknown_question(pack: RulePack) -> Iterator[Finding]:
    """KP204: a condition names a question or option set that is not declared."""
    return findings(pack, "KP204")


def condition_syntax(pack: RulePack) -> Iterator[Finding]:
    """KP205: a condition is not written in the condition language.

    Also every other refusal of the compiler (under its own code), so that no condition that
    did not compile is ever left unreported.
    """
    for path, error in pack.condition_errors.items():
        if error.code not in _OWN:
            yield Finding(path, error.message, error.hint, column_offset=error.column, code=error.code)


def condition_type(pack: RulePack) -> Iterator[Finding]:
    """KP206: a condition compares a question with something that is not one of its answers."""
    return findings(pack, "KP206")


CHECKS = (
    Check("KP204", "unknown-question", Severity.error, unknown_question, __doc__ or ""),
    Check("KP205", "condition-syntax", Severity.error, condition_syntax, __doc__ or ""),
    Check("KP206", "condition-type", Severity.error, condition_type, __doc__ or ""),
)
