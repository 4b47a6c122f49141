"""The validate cache: a file's diagnostics, kept under a key made of everything they depend on.

The key of a file is a BLAKE2b hash of: the bytes of every source file of the installed
kprocess (so any change to the code, the shared vocabulary or a message catalogue is a new key), the installed
package versions (`*.dist-info` names on `sys.path`), the Python version, the working
directory, the file's name as shown and its real path, the language of the messages
(`kprocess.i18n`), its bytes, and, for a golden case
(`…/cases/<pack>/…`), the names and bytes of the YAML files beside the pack it belongs to.
A hit returns exactly what checking the file returned; the cache never decides a result.

Where it lives: `$KPROCESS_CACHE_DIR`, else `$XDG_CACHE_HOME/kprocess`, else
`~/.cache/kprocess` (one small file per checked file version under `validate-v1/`).
Deleting it is always safe; `kprocess validate --no-cache` (or `KPROCESS_NO_CACHE=1` in the
environment) neither reads nor writes it.
Only the standard library is imported here: a hit must start in a few milliseconds.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
from collections.abc import Iterable

from kprocess.i18n import language
from kprocess.severity import DataPath, DiagnosticText, Severity

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time
if TYPE_CHECKING:
    from kprocess.diagnostics import Diagnostic

try:  # the C module directly: `hashlib` would load OpenSSL first, which costs start-up time
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b

FORMAT = "validate-v1"
"""Folder of this cache's format inside the cache directory; a new format gets a new folder."""
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are not cached (the reader refuses them anyway)."""

Row = tuple[str, int, int, str, str, str | None, int, DataPath]


class CachedDiagnostic(DiagnosticText):
    """A diagnostic read back from the cache: the fields the reporters print, nothing more."""

    __slots__ = ("code", "column", "file", "hint", "line", "message", "path", "severity")

    def __init__(self, row: Row) -> None:
        self.file, self.line, self.column, self.code, self.message, self.hint, severity, self.path = row
        self.severity = Severity(severity)

    def sort_key(self) -> tuple[str, int, int, str]:
        """The order of `Diagnostic`s: file, line, column, code."""
        return (self.file, self.line, self.column, self.code)


def enabled() -> bool:
    """False when `KPROCESS_NO_CACHE` is set (to anything but `0`): as `--no-cache` on every call."""
    return os.environ.get("KPROCESS_NO_CACHE", "") in ("", "0")


def directory() -> str:
    """Where the cache lives (see the module docstring)."""
    chosen = os.environ.get("KPROCESS_CACHE_DIR")
    if chosen:
        return chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kprocess")


_fingerprint: list[bytes] = []


def fingerprint() -> bytes:
    """A hash of the installed kprocess (every source and data file), the packages beside it and Python."""
    if _fingerprint:
        return _fingerprint[0]
    digest = blake2b(sys.version.encode())
    package = os.path.dirname(os.path.abspath(__file__))
    for folder, dirs, files in sorted(os.walk(package)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml", ".json", ".mo")):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, package).encode() + b"\0")
                with open(path, "rb") as handle:  # open(), not pathlib: start-up time
                    digest.update(handle.read())
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith(".dist-info"))
        except OSError:
            continue
        digest.update("\0".join([entry, *names]).encode())
    _fingerprint.append(digest.digest())
    return _fingerprint[0]


def _regular_bytes(path: str) -> bytes | None:
    """The bytes of a regular file of at most `MAX_FILE_BYTES`; None for anything else."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError):
        return None
    return raw if len(raw) <= MAX_FILE_BYTES else None


def _neighbours(real: str) -> Iterable[bytes]:
    """For a golden case (`X/cases/<pack>/file`): every YAML file in `X`, by name, with its bytes."""
    parent = os.path.dirname(real)
    if os.path.basename(os.path.dirname(parent)) != "cases":
        return
    folder = os.path.dirname(os.path.dirname(parent))
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")))
    except OSError:
        return
    for name in names:
        raw = _regular_bytes(os.path.join(folder, name))
        yield name.encode() + b"\0" + (b"-" if raw is None else b"+" + raw)


def key(path: str, display: str) -> str | None:
    """The cache key of checking `path` shown as `display`; None when it must not be cached."""
    raw = _regular_bytes(path)
    if raw is None:
        return None
    real = os.path.realpath(path)
    digest = blake2b(fingerprint())
    for part in (os.getcwd(), display, real, language()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(raw)
    for neighbour in _neighbours(real):
        digest.update(b"\0" + neighbour)
    return digest.hexdigest()


def _entry(cache_key: str) -> str:
    return os.path.join(directory(), FORMAT, cache_key[:2], cache_key)


def load(cache_key: str) -> list[CachedDiagnostic] | None:
    """The diagnostics stored under `cache_key`, or None (not stored, or unreadable)."""
    try:
        with open(_entry(cache_key), "rb") as handle:
            rows = marshal.load(handle)
        return [CachedDiagnostic(row) for row in rows]
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store(cache_key: str, diagnostics: Iterable[Diagnostic]) -> None:
    """Keep `diagnostics` under `cache_key`; a cache that cannot be written is skipped silently."""
    rows = [(d.file, d.line, d.column, d.code, d.message, d.hint, int(d.severity), d.path) for d in diagnostics]
    target = _entry(cache_key)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump(rows, handle)
        os.replace(temporary, target)  # atomic: a reader sees the whole entry or none
    except (OSError, ValueError):
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)


def stamp(path: str) -> tuple[int, int] | None:
    """Size and modification time of `path`: taken before its key and compared after checking it,
    so a file changed meanwhile is not stored under the key of its older bytes."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_size, info.st_mtime_ns)
