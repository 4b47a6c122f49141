"""`kprocess diff OLD NEW`: a change to a pack in meaning, as text, JSON, a PR comment or annotations.

OLD and NEW are files or `path@revision` (read with `git show revision:path`). Golden cases are
those recorded beside OLD (`cases/<pack-id>/`, at the same revision).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError
from kprocess.diagnostics import PackError, display_name
from kprocess.diff import CaseEffect, PackDiff, case_effects, diff_packs
from kprocess.i18n import _, ngettext
from kprocess.pack import RulePack, analyse_document
from kprocess.yamlsource import Document, parse_bytes

JSON_SCHEMA_ID = "kprocess.diff/1"


@dataclass(frozen=True)
class Version:
    """One side of the diff: where it was read from and its pack."""

    spec: str
    file: str  # the file as shown (the path, without the revision)
    revision: str | None
    pack: RulePack


def run(old: str, new: str, output: str, fail_on_reroute: bool) -> int:
    """Print the changes; exit 1 only with `--fail-on-reroute` when a golden case takes another path."""
    before, after = _version(old), _version(new)
    found = diff_packs(before.pack, after.pack)
    effects = case_effects(found, _cases(before))
    printers = {"text": _text, "json": _json, "markdown": _markdown, "github": _github}
    print(printers[output](before, after, found, effects))
    return EXIT_FINDINGS if fail_on_reroute and effects else EXIT_OK


# -- reading -----------------------------------------------------------------------------------


def _version(spec: str) -> Version:
    """A file, or `path@revision` when no such file exists."""
    if os.path.lexists(spec) or "@" not in spec:
        path = Path(spec)
        if not path.is_file():
            problem = _("{path} finns inte") if not os.path.lexists(spec) else _("{path} är ingen fil")
            raise UsageError(problem.format(path=spec))
        name = display_name(path)
        return Version(spec, name, None, _pack(path.read_bytes(), name))
    file, _at, revision = spec.rpartition("@")
    raw = _git_show(revision, file)
    return Version(spec, file, revision, _pack(raw, f"{file}@{revision}"))


def _git_show(revision: str, file: str) -> bytes:
    """`git show revision:./file`, relative to the working directory."""
    target = f"{revision}:./{PurePosixPath(Path(file).as_posix())}"
    try:
        done = subprocess.run(["git", "show", target], capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise UsageError(_("git finns inte; ange paketen som filer i stället för `fil@revision`")) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(
            _("`{file}@{revision}` kan inte läsas ur git: {problem}").format(
                file=file, revision=revision, problem=message[-1] if message else _("okänt fel")
            )
        )
    return done.stdout


def _git_list(revision: str, folder: str) -> list[str]:
    done = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:./{folder}"], capture_output=True, check=False, timeout=60
    )
    if done.returncode != 0:
        return []
    return [f"{folder}/{n}" for n in done.stdout.decode("utf-8").splitlines() if n.endswith((".yaml", ".yml"))]


def _pack(raw: bytes, name: str) -> RulePack:
    from kprocess.report import text
    from kprocess.severity import Severity

    try:
        document = parse_bytes(raw, name)
    except PackError as error:
        text(error.diagnostics, [name])
        raise SystemExit(EXIT_FINDINGS) from None
    pack, diagnostics = analyse_document(document)
    if pack is None:
        text([d for d in diagnostics if d.severity is Severity.error], [name])
        print(_("{name} har fel och kan inte jämföras; rätta dem först.").format(name=name))
        raise SystemExit(EXIT_FINDINGS)
    return pack


def _cases(version: Version) -> list[tuple[str, dict[str, Any], str | None]]:
    """The golden cases recorded beside OLD (at its revision), as (file name, answers, flow)."""
    from kprocess.golden import read_case

    folder = PurePosixPath(Path(version.file).parent.as_posix()) / "cases" / version.pack.model.id
    if version.revision is None:
        files = [(p.name, p.read_bytes()) for p in sorted(Path(str(folder)).glob("*.yaml"))]
    else:
        files = [
            (PurePosixPath(f).name, _git_show(version.revision, f)) for f in _git_list(version.revision, str(folder))
        ]
    out = []
    for name, raw in files:
        try:
            case = read_case(_document(raw, name))
        except PackError:
            continue  # a broken case file is `kprocess validate`'s to report
        out.append((name.removesuffix(".yaml"), dict(case.answers), case.flow))
    return out


def _document(raw: bytes, name: str) -> Document:
    return parse_bytes(raw, name)


# -- output ------------------------------------------------------------------------------------


def _title(before: Version, after: Version) -> str:
    return f"{after.pack.model.county}: {before.spec} → {after.spec}"


def _summary(found: PackDiff, effects: list[CaseEffect]) -> str:
    changes = len(found.changes)
    if not changes and not effects:
        return _("Ingen ändring i betydelse.")
    words = ngettext("{count} ändring i betydelse", "{count} ändringar i betydelse", changes).format(count=changes)
    if effects:
        words += _(", {count} testfall tar en annan väg eller kan inte köras").format(count=len(effects))
    return words + "."


def _text(before: Version, after: Version, found: PackDiff, effects: list[CaseEffect]) -> str:
    lines = [_title(before, after)]
    lines += [f"  – {c.text}" for c in found.changes]
    if effects:
        lines.append(_("Testfall:"))
        lines += [f"  ! {e.text}" for e in effects]
    lines.append(_summary(found, effects))
    return "\n".join(lines)


def _json(before: Version, after: Version, found: PackDiff, effects: list[CaseEffect]) -> str:
    document = after.pack.document

    def place(path: tuple[Any, ...]) -> dict[str, int]:
        line, column = document.position(path)
        return {"line": line, "column": column}

    data = {
        "schema": JSON_SCHEMA_ID,
        "old": {"spec": before.spec, "file": before.file, "revision": before.revision, "pack": before.pack.model.id},
        "new": {"spec": after.spec, "file": after.file, "revision": after.revision, "pack": after.pack.model.id},
        "renamed_steps": found.renamed,
        "changes": [{"kind": c.kind, "id": c.id, "text": c.text, **place(c.path)} for c in found.changes],
        "cases": [{"case": e.case, "kind": e.kind, "text": e.text} for e in effects],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _markdown(before: Version, after: Version, found: PackDiff, effects: list[CaseEffect]) -> str:
    lines = [f"### kprocess diff – {_title(before, after)}", ""]
    if effects:
        lines += ["> [!WARNING]", "> " + _("Testfall som tar en annan väg eller inte kan köras i det nya paketet:")]
        lines += [f"> - {e.text}" for e in effects] + [""]
    if found.changes:
        document = after.pack.document
        for change in found.changes:
            line, _column = document.position(change.path)
            lines.append(f"- {change.text} ({after.file}:{line})")
        lines.append("")
    lines.append(_summary(found, effects))
    return "\n".join(lines)


def _github(before: Version, after: Version, found: PackDiff, effects: list[CaseEffect]) -> str:
    document = after.pack.document
    lines = []
    for change in found.changes:
        line, column = document.position(change.path)
        lines.append(
            f"::warning file={after.file},line={line},col={column},title=kprocess diff::{_escape(change.text)}"
        )
    for effect in effects:
        title = _("kprocess diff: testfall")
        lines.append(f"::warning file={after.file},title={title}::{_escape(effect.text)}")
    lines.append(_summary(found, effects))
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Workflow-command data: `%`, CR and LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
