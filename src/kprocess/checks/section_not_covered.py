"""KP315 section-not-covered: a listed section that nothing cites and that is not out of scope.

Every listed section of a source document should be encoded by what cites it (a step, mandate
rule, actor, question, option set or `validity`), or carry `out_of_scope:` with the reason.
A section with listed subsections is accounted for when they all are, so only the
subsections are reported.

Fails::

    sources:
      - id: "002"
        sections:
          - {id: steg 13, title: Beslut i länsledningen}
          - {id: steg 14, title: Återkoppling}       # KP315: nothing cites it

Passes::

    sources:
      - id: "002"
        sections:
          - {id: steg 13, title: Beslut i länsledningen}
          - id: steg 14
            title: Återkoppling
            out_of_scope: Återkopplingen sker nationellt, utanför länets rutin.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP315"
NAME = "section-not-covered"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report listed sections that are neither cited nor out of scope."""
    for report in pack.section_coverage:
        for missing in report.missing:
            if missing.children:
                continue
            section = missing.section
            yield Finding(
                ("sources", report.index, "sections", missing.index, "id"),
                _("avsnittet `{section}` ({title}) i dokument {document} har ingen hänvisning").format(
                    section=section.id, title=section.title, document=report.document.id
                ),
                _(
                    "hänvisa till det i `source:` där paketet bygger på det, "
                    "eller skriv `out_of_scope:` med skälet i dokumentets ord"
                ),
            )


CHECK = Check(CODE, NAME, Severity.warning, check, __doc__ or "")
