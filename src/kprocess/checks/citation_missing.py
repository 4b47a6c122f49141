"""KP309 citation-missing: a step that does not cite the document section it comes from.

`source:` starts with the id of a declared source document, then the section.

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
from kprocess.diagnostics import Severity

if TYPE_CHECKING:
    from kprocess.pack import RulePack

CODE = "KP309"
NAME = "citation-missing"


def check(pack: RulePack) -> Iterator[Finding]:
    """Report steps without a usable citation."""
    documents = [d.id for d in pack.model.sources]
    for i, step in enumerate(pack.model.steps):
        if step.source is None:
            yield Finding(
                ("steps", i, "id"),
                f"steget `{step.id}` saknar källa",
                f"lägg till `source: <dokument> <avsnitt>`, t.ex. `source: {documents[0]} §3`",
            )
            continue
        parts = step.source.split(maxsplit=1)
        if parts[0] not in documents:
            yield Finding(
                ("steps", i, "source"),
                f"källan `{step.source}` börjar inte med ett känt dokument",
                f"börja med ett av dokument-id:na under `sources:`: {', '.join(documents)}",
            )
        elif len(parts) == 1:
            yield Finding(
                ("steps", i, "source"),
                f"källan `{step.source}` anger inget avsnitt",
                f"skriv avsnittet efter dokumentet, t.ex. `{parts[0]} §3`",
            )


CHECK = Check(CODE, NAME, Severity.error, check, __doc__ or "")
