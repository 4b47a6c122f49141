"""Source coverage: which listed sections of the source documents the pack's citations account for.

Every `source:` in the pack (steps, mandate rules, actors, questions, option sets, validity)
is read with `kprocess.citations`. A cited section counts for the most specific listed section
it falls under: `§4.4.1 p.4` for `§4.4.1`, `steg 13a` for `steg 13` unless `steg 13a` is listed.
When a listed section has listed subsections, they are its complete list: a citation below it
must fall under one of them, or it is unlisted.

A listed section is accounted for when something cites it, when it is `out_of_scope`, or when
it has listed subsections and every one of them is accounted for. Citing a section does not
account for its listed subsections: each needs its own citation or reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from kprocess.citations import Citation, CitationError, key, lineage, parse
from kprocess.diagnostics import DataPath
from kprocess.i18n import N_

if TYPE_CHECKING:
    from kprocess.model import Pack, Section, SourceDocument


class Kind(StrEnum):
    """What kind of thing cites a source."""

    step = "step"
    mandate = "mandate"
    actor = "actor"
    question = "question"
    option_set = "option_set"
    validity = "validity"


KIND_LABEL = {
    Kind.step: N_("steg"),
    Kind.mandate: N_("mandat"),
    Kind.actor: N_("aktör"),
    Kind.question: N_("fråga"),
    Kind.option_set: N_("alternativmängd"),
    Kind.validity: N_("giltighet"),
}


@dataclass(frozen=True)
class Site:
    """A `source:` in the pack: what holds it, and where."""

    kind: Kind
    id: str
    path: DataPath
    text: str
    rule: int | None = None


class Status(StrEnum):
    """How a listed section is accounted for."""

    cited = "cited"
    out_of_scope = "out_of_scope"
    by_parts = "by_parts"
    missing = "missing"


@dataclass
class SectionReport:
    """One listed section and what accounts for it."""

    section: Section
    index: int
    cited_by: list[Site] = field(default_factory=list)
    parent: SectionReport | None = field(default=None, repr=False)
    children: list[SectionReport] = field(default_factory=list)
    status: Status = Status.missing

    @property
    def depth(self) -> int:
        """How many listed sections this one lies under."""
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass(frozen=True)
class Unlisted:
    """A citation of a section its document does not list, with the closest listed one."""

    site: Site
    citation: Citation
    suggestion: str | None


@dataclass
class DocumentReport:
    """The listed sections of one document, and citations of sections it does not list."""

    document: SourceDocument
    index: int
    sections: list[SectionReport]
    listed: dict[str, SectionReport]
    unlisted: list[Unlisted] = field(default_factory=list)

    @property
    def accounted(self) -> int:
        """How many listed sections are accounted for."""
        return sum(s.status is not Status.missing for s in self.sections)

    @property
    def missing(self) -> list[SectionReport]:
        """Listed sections that nothing cites and that are not out of scope."""
        return [s for s in self.sections if s.status is Status.missing]


class _Citing(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def source(self) -> str | None: ...


def sites(pack: Pack) -> Iterator[Site]:
    """Every `source:` in the pack, in file order of kind."""
    for i, step in enumerate(pack.steps):
        if step.source is not None:
            yield Site(Kind.step, step.id, ("steps", i, "source"), step.source)
        for j, rule in enumerate(step.decision.mandate if step.decision else []):
            if rule.source is not None:
                path = ("steps", i, "decision", "mandate", j, "source")
                yield Site(Kind.mandate, step.id, path, rule.source, j + 1)
    groups: tuple[tuple[Kind, str, Sequence[_Citing]], ...] = (
        (Kind.actor, "actors", pack.actors),
        (Kind.question, "questions", pack.questions),
        (Kind.option_set, "option_sets", pack.option_sets),
    )
    for kind, name, items in groups:
        for i, item in enumerate(items):
            if item.source is not None:
                yield Site(kind, item.id, (name, i, "source"), item.source)
    if pack.validity is not None and pack.validity.source is not None:
        yield Site(Kind.validity, "", ("validity", "source"), pack.validity.source)


def citations(pack: Pack) -> Iterator[tuple[Site, list[Citation] | CitationError]]:
    """Each `source:` with what it cites, or why it cannot be read."""
    documents = [d.id for d in pack.sources]
    for site in sites(pack):
        try:
            yield site, parse(site.text, documents)
        except CitationError as error:
            yield site, error


def coverage(
    pack: Pack, cited: Iterable[tuple[Site, list[Citation] | CitationError]] | None = None
) -> list[DocumentReport]:
    """For every source document, its listed sections with what accounts for each (`cited`:
    the pack's `citations`, when they are already read)."""
    reports = {d.id: _document_report(d, i) for i, d in enumerate(pack.sources)}
    if not any(r.sections for r in reports.values()):
        return list(reports.values())
    same = {d.id: d.same_text_as for d in pack.sources if d.same_text_as in reports}
    for site, found in citations(pack) if cited is None else cited:
        if isinstance(found, CitationError):
            continue
        for citation in found:
            report = reports[same.get(citation.document, citation.document)]
            if report.sections:
                _place(report, site, citation)
    for report in reports.values():
        for section in report.sections:
            _settle(section)
    return list(reports.values())


def _document_report(document: SourceDocument, index: int) -> DocumentReport:
    sections = [SectionReport(s, j) for j, s in enumerate(document.sections)]
    listed = {key(s.section.id): s for s in reversed(sections)}
    for report in sections:
        parent = next((listed[k] for k in map(key, list(lineage(report.section.id))[1:]) if k in listed), None)
        if parent is not None:
            report.parent = parent
            parent.children.append(report)
    return DocumentReport(document, index, sections, listed)


def _place(report: DocumentReport, site: Site, citation: Citation) -> None:
    """Count the citation for the most specific listed section it falls under."""
    for depth, name in enumerate(lineage(citation.section)):
        found = report.listed.get(key(name))
        if found is not None and (depth == 0 or not found.children):
            found.cited_by.append(site)
            return
        if found is not None:
            break
    ids = [s.section.id for s in report.sections]
    close = get_close_matches(citation.section, ids, n=1, cutoff=0.5)
    report.unlisted.append(Unlisted(site, citation, close[0] if close else None))


def _settle(section: SectionReport) -> Status:
    """Work out (once) how the section is accounted for, its subsections first."""
    if section.status is not Status.missing:
        return section.status
    parts = [_settle(child) for child in section.children]
    if section.cited_by:
        section.status = Status.cited
    elif section.section.out_of_scope:
        section.status = Status.out_of_scope
    elif parts and Status.missing not in parts:
        section.status = Status.by_parts
    return section.status
