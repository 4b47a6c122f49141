"""`kprocess test --replay DB|EXPORT`: would the changed packs disturb the recorded cases?

Each recorded case is replayed with its events under the current pack of the same id and
compared with its run under the revision it is pinned to (see `register.compat`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, load_or_report, pack_files
from kprocess.i18n import N_, _, ngettext
from kprocess.pack import RulePack

LABEL = {"same": N_("ok"), "moved": N_("FLYTTAT"), "different": N_("ANNAN VÄG"), "stranded": N_("STRANDAT")}
SKIPPED = N_("hoppas över")


@dataclass(frozen=True)
class Recorded:
    """A case as recorded: its pinned pack text and its events."""

    id: int
    title: str
    pack_id: str
    revision_text: str
    revision_path: str
    flow: str | None
    start: date
    events: list[Any]


def run(source: str, paths: list[Path], as_json: bool) -> int:
    """Replay every recorded case against the packs in `paths`; exit 1 if one would change."""
    from kprocess.register.compat import compare
    from kprocess.register.revisions import pack_from_text

    current: dict[str, RulePack] = {}
    for path in pack_files(paths):
        loaded = load_or_report(path)
        current[loaded.model.id] = loaded
    report: list[dict[str, Any]] = []
    disturbed = 0
    for case in _recorded(source):
        pack = current.get(case.pack_id)
        if pack is None:
            report.append({"case": case.id, "title": case.title, "verdict": "skipped", "reason": _("paketet saknas")})
            continue
        old = pack_from_text(case.revision_text, case.revision_path)
        verdict = compare(old, pack, case.flow, case.start, case.events)
        disturbed += verdict.kind != "same"
        report.append({"case": case.id, "title": case.title, "verdict": verdict.kind, "reason": verdict.shown})
    if as_json:
        print(json.dumps({"disturbed": disturbed, "cases": report}, ensure_ascii=False, indent=2))
    else:
        for item in report:
            label = _(LABEL.get(item["verdict"], SKIPPED))
            print(f"{label:<10} {item['case']:>5}  {item['title']}: {item['reason']}")
        print(
            ngettext(
                "{count} ärenden uppspelade, {disturbed} skulle påverkas av ändringen",
                "{count} ärenden uppspelade, {disturbed} skulle påverkas av ändringen",
                len(report),
            ).format(count=len(report), disturbed=disturbed)
        )
    return EXIT_FINDINGS if disturbed else EXIT_OK


def _recorded(source: str) -> list[Recorded]:
    from kprocess.register.state import EventView

    if source.endswith(".json"):
        path = Path(source)
        if not path.is_file():
            raise UsageError(_("{path} finns inte").format(path=source))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            revisions = data["revisions"]
            return [
                Recorded(
                    int(c["id"]),
                    str(c["title"]),
                    str(c["pack"]),
                    str(revisions[c["revision"]]["text"]),
                    str(revisions[c["revision"]]["path"]),
                    c["flow"],
                    date.fromisoformat(c["start"]),
                    [EventView(e["kind"], date.fromisoformat(e["date"]), e["data"]) for e in c["events"]],
                )
                for c in data["cases"]
            ]
        except (ValueError, KeyError, TypeError) as error:
            raise UsageError(
                _("{path} är ingen export från `kprocess case export --all`: {error}").format(path=source, error=error)
            ) from None
    from kprocess.register.store import Register, views

    if "://" not in source and not Path(source).is_file():
        raise UsageError(_("{path} finns inte").format(path=source))
    register = Register.open(source)
    found = []
    try:
        for case_id in register.case_ids():
            loaded = register.load(case_id)
            found.append(
                Recorded(
                    case_id,
                    loaded.case.title,
                    loaded.case.pack_id,
                    loaded.revision.text,
                    loaded.revision.path,
                    loaded.case.flow,
                    loaded.case.start,
                    views(loaded.events),
                )
            )
    finally:
        register.engine.dispose()
    return found
