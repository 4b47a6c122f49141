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
    coverage_not_proven,
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
from kprocess.diagnostics import Diagnostic, Severity
from kprocess.i18n import _

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
        coverage_not_proven.CHECK,
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


CONSEQUENCES = {unreachable_step.CODE, no_way_to_end.CODE}
"""Checks whose findings follow from a reference to a step that does not exist."""


def run_checks(pack: RulePack) -> Iterator[Diagnostic]:
    """Every finding of every registered check, as diagnostics.

    One typo, one message: the checks after KP202 see a misspelt step reference as the step it
    is closest to; when a reference matches no step, their unreachable/no-end findings are
    replaced by one summary line.
    """
    document = pack.document
    meant, unmatched = undefined_references.repaired(pack)
    hidden = 0
    for check in REGISTRY.values():
        for finding in check.run(pack if check is undefined_references.CHECK else meant):
            if unmatched and check.code in CONSEQUENCES:
                hidden += 1
                continue
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
    if hidden:
        line, column = document.position(unmatched[0])
        yield Diagnostic(
            document.file,
            line,
            column,
            unreachable_step.CODE,
            _("{count} följdfel om steg som inte nås eller inte kan avslutas visas inte").format(count=hidden),
            _("de beror på hänvisningen till ett steg som inte finns; rätta den och kör igen"),
            Severity.warning,
            unmatched[0],
        )
