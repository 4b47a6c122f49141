"""KP309 citation-missing: a step that does not cite the document section it comes from.

Every `source:` (of a step, mandate rule, actor, question, option set or `validity`) starts
with the id of a declared source document, then the section; after `;` another document
may follow: `003 §4, §10; 001 §3.3–3.5`. A step must have one.

Fails::

    - id: remiss
      name: Remissen tas emot          # KP309: no source
    - id: prioritering
      source: 099 steg 11              # KP309: no document `099`

Passes::

    - id: remiss
      source: 002 steg 1
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kprocess.checks.base import Check, Finding
from kprocess.citations import CitationError
from kprocess.diagnostics import Severity
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP309"
NAME = "citation-missing"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report steps without a citation, and citations that cannot be read."""
    documents = [d.id for d in pack.model.sources]
    for i, step in enumerate(pack.model.steps):
        if step.source is None:
            yield Finding(
                ("steps", i, "id"),
                _("steget `{step}` saknar källa").format(step=step.id),
                _("lägg till `source: <dokument> <avsnitt>`, t.ex. `source: {document} §3`").format(
                    document=documents[0]
                ),
            )
    for site, cited in pack.section_citations:
        if isinstance(cited, CitationError):
            yield Finding(site.path, str(cited), cited.hint)


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
