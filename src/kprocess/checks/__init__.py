"""The semantic checks: an explicit registry, one small module per check.

Each check has a permanent code, a name, and a docstring (with a failing and a
passing example) that is its documentation. `run_checks` runs them all and turns
their findings into positioned diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks import (
    citation_missing,
    condition_errors,
    decision_without_effect,
    decision_without_holder,
    duplicate_ids,
    fanout_without_join,
    loop_without_bound,
    loop_without_exit,
    never_true,
    no_way_to_end,
    overlapping_mandates,
    overlapping_routes,
    question_definition,
    question_never_read,
    routes_not_covering,
    section_not_covered,
    undefined_references,
    unknown_section,
    unreachable_step,
)
from kprocess.checks.base import Check
from kprocess.diagnostics import Diagnostic

if TYPE_CHECKING:
    from kprocess.pack import RulePack

REGISTRY: dict[str, Check] = {
    check.code: check
    for check in (
        duplicate_ids.CHECK,
        undefined_references.CHECK,
        *condition_errors.CHECKS,
        never_true.CHECK,
        unreachable_step.CHECK,
        no_way_to_end.CHECK,
        routes_not_covering.CHECK,
        overlapping_routes.CHECK,
        overlapping_mandates.CHECK,
        decision_without_holder.CHECK,
        loop_without_exit.CHECK,
        fanout_without_join.CHECK,
        citation_missing.CHECK,
        loop_without_bound.CHECK,
        question_definition.CHECK,
        decision_without_effect.CHECK,
        question_never_read.CHECK,
        unknown_section.CHECK,
        section_not_covered.CHECK,
    )
}


def run_checks(pack: RulePack) -> Iterator[Diagnostic]:
    """Every finding of every registered check, as diagnostics."""
    document = pack.document
    for check in REGISTRY.values():
        for finding in check.run(pack):
            line, column = document.position(finding.path, key=finding.key)
            yield Diagnostic(
                document.file,
                line,
                column + finding.column_offset,
                finding.code or check.code,
                finding.message,
                finding.hint,
                check.severity,
                finding.path,
            )
