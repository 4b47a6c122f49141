"""`kprocess sources PACK`: each source document's sections, what cites them, and the coverage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kprocess import packtext
from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, load_or_report
from kprocess.i18n import N_, _
from kprocess.model import SourceDocument
from kprocess.sections import KIND_LABEL, DocumentReport, SectionReport, Site, Status, coverage

JSON_VERSION = 1
NO_SECTIONS = N_("listar inga avsnitt; lägg till `sections:` för att se täckningen")


def no_sections(document: SourceDocument) -> str:
    """Why a document shows no table: its text is another document's, or it lists no sections."""
    if document.same_text_as:
        return _("har samma text som {other}; hänvisningar hit redovisas under {other}").format(
            other=document.same_text_as
        )
    return _(NO_SECTIONS)


def run(pack_path: Path, output: str) -> int:
    """Print the coverage; exit 1 when a listed section is neither cited nor out of scope."""
    pack = load_or_report(pack_path)
    reports = coverage(pack.model)
    if output == "json":
        print(json.dumps(as_json(pack.model.id, reports), ensure_ascii=False, indent=2))
    elif output == "markdown":
        print(markdown(reports), end="")
    elif sys.stdout.isatty():
        _rich(packtext.pack_name(pack), reports)
    else:
        print(plain(packtext.pack_name(pack), reports), end="")
    return EXIT_FINDINGS if any(r.missing for r in reports) else EXIT_OK


def cited_by(sites: list[Site], code: bool = False) -> str:
    """`steg remiss, analys; aktör lpo; mandat beslut regel 2` (ids in backticks for Markdown)."""
    groups: dict[str, list[str]] = {}
    for site in sites:
        name = f"`{site.id}`" if code and site.id else site.id
        item = _("{name} regel {rule}").format(name=name, rule=site.rule) if site.rule else name
        items = groups.setdefault(_(KIND_LABEL[site.kind]), [])
        if item and item not in items:
            items.append(item)
    return "; ".join(f"{kind} {', '.join(items)}".strip() for kind, items in groups.items())


def status(section: SectionReport, code: bool = False) -> str:
    """What accounts for the section, in words."""
    if section.status is Status.cited:
        return cited_by(section.cited_by, code)
    if section.status is Status.out_of_scope:
        return _("utanför paketet: {reason}").format(reason=section.section.out_of_scope)
    if section.status is Status.by_parts:
        return _("genom underavsnitten")
    return _("saknar hänvisning")


def summary(report: DocumentReport) -> str:
    """`Täckning: 7/8 avsnitt redovisade, 1 avsnitt saknar hänvisning.`"""
    listed, missing = len(report.sections), len(report.missing)
    return _("Täckning: {accounted}/{listed} avsnitt redovisade, {missing} avsnitt saknar hänvisning.").format(
        accounted=listed - missing, listed=listed, missing=missing
    )


def plain(name: str, reports: list[DocumentReport]) -> str:
    """The report as plain text, for pipes and logs."""
    out = [_("Källor i {pack}").format(pack=name)]
    for report in reports:
        document = report.document
        out += ["", f"{document.id} – {' '.join(document.title.split())}"]
        if not report.sections:
            out.append(f"  {no_sections(document)}")
            continue
        width = max(2 * s.depth + len(s.section.id) for s in report.sections)
        for s in report.sections:
            label = ("  " * s.depth + s.section.id).ljust(width)
            out.append(f"  {label}  {s.section.title} — {status(s)}")
        out.append(f"  {summary(report)}")
    return "\n".join(out) + "\n"


def markdown(reports: list[DocumentReport]) -> str:
    """One table per document, for a county's page under docs/regions/."""
    out: list[str] = []
    for report in reports:
        document = report.document
        out += [f"### {document.id} – {' '.join(document.title.split())}", ""]
        if not report.sections:
            out += [_("Dokumentet {why}.").format(why=no_sections(document)), ""]
            continue
        out += [_("| Avsnitt | Rubrik | Redovisas av |"), "|---|---|---|"]
        for s in report.sections:
            cells = (s.section.id, s.section.title, status(s, code=True))
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        out += ["", summary(report), ""]
    return "\n".join(out)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def as_json(pack_id: str, reports: list[DocumentReport]) -> dict[str, Any]:
    """The documented JSON form (docs/format.md, `sources`)."""
    return {
        "version": JSON_VERSION,
        "pack": pack_id,
        "documents": [
            {
                "id": r.document.id,
                "title": r.document.title,
                "listed": len(r.sections),
                "accounted": len(r.sections) - len(r.missing),
                "missing": len(r.missing),
                "sections": [_section_json(s) for s in r.sections],
            }
            for r in reports
        ],
    }


def _section_json(section: SectionReport) -> dict[str, Any]:
    return {
        "id": section.section.id,
        "title": section.section.title,
        "parent": section.parent.section.id if section.parent else None,
        "status": section.status.value,
        "cited_by": [
            {"kind": site.kind.value, "id": site.id or None, "rule": site.rule, "source": site.text}
            for site in section.cited_by
        ],
        "out_of_scope": section.section.out_of_scope,
    }


def _rich(name: str, reports: list[DocumentReport]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print("[bold]" + _("Källor i {pack}").format(pack=escape(name)) + "[/]")
    colour = {Status.cited: "", Status.by_parts: "dim", Status.out_of_scope: "dim", Status.missing: "red"}
    for report in reports:
        document = report.document
        title = f"{document.id} – {' '.join(document.title.split())}"
        if not report.sections:
            console.print(f"\n[bold]{escape(title)}[/]\n  [dim]{escape(no_sections(document))}[/]")
            continue
        table = Table(title=escape(title))
        for column in (_("Avsnitt"), _("Rubrik"), _("Redovisas av")):
            table.add_column(column)
        for s in report.sections:
            text = escape(status(s))
            style = colour[s.status]
            table.add_row(
                escape("  " * s.depth + s.section.id), escape(s.section.title), f"[{style}]{text}[/]" if style else text
            )
        console.print(table)
        console.print(escape(summary(report)))
