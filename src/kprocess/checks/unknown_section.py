"""KP314 unknown-section: a citation of a section that its document does not list.

Only for documents that list their `sections:`. A cited section counts for the most specific
listed section it falls under (`§4.4.1 p.4` for `§4.4.1`); when a listed section has listed
subsections, a citation below it must fall under one of them.

Fails::

    sources:
      - id: "002"
        sections:
          - {id: steg 13, title: Beslut i länsledningen}
    steps:
      - id: s13
        source: 002 steg 31          # KP314: `steg 31` is not listed

Passes::

    steps:
      - id: s13
        source: 002 steg 13
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP314"
NAME = "unknown-section"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report citations of sections their document does not list."""
    for report in pack.section_coverage:
        for unlisted in report.unlisted:
            document = report.document.id
            yield Finding(
                unlisted.site.path,
                _("avsnittet `{section}` finns inte bland avsnitten i dokument {document}").format(
                    section=unlisted.citation.section, document=document
                ),
                _("menade du `{match}`?").format(match=unlisted.suggestion)
                if unlisted.suggestion
                else _("rätta hänvisningen, eller lägg till avsnittet under `sections:` i dokument {document}").format(
                    document=document
                ),
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
