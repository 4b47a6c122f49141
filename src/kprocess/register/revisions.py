"""Pack revisions: the exact text a case runs under, its content hash and git revision."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kprocess.diagnostics import PackError
from kprocess.pack import RulePack, analyse_document
from kprocess.yamlsource import parse_bytes


@dataclass(frozen=True)
class PackText:
    """A pack file as read now: its text, hash and (when committed unchanged) git commit."""

    path: str
    text: str
    content_hash: str
    git_commit: str | None


def content_hash(text: str) -> str:
    """SHA-256 of the pack's UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_pack_text(path: Path) -> PackText:
    """Read a pack file; the git commit is recorded only when the file is committed unchanged."""
    text = path.read_bytes().decode("utf-8")
    return PackText(str(path), text, content_hash(text), git_commit(path))


def git_commit(path: Path) -> str | None:
    """The last commit that changed `path`, if git knows the file and it has no local changes."""
    folder = str(path.resolve().parent)
    name = path.resolve().name
    try:
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if dirty.returncode != 0 or dirty.stdout.strip():
            return None
        found = subprocess.run(
            ["git", "log", "-1", "--format=%H", "--", name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = found.stdout.strip()
    return commit if found.returncode == 0 and len(commit) == 40 else None


@lru_cache(maxsize=64)
def pack_from_text(text: str, display: str) -> RulePack:
    """A stored pack text as a usable pack (cached: many cases share a revision)."""
    pack, diagnostics = analyse_document(parse_bytes(text.encode("utf-8"), display))
    if pack is None:
        raise PackError([d for d in diagnostics if d.severity.name == "error"])
    return pack
