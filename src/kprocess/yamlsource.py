"""Safe YAML reading that keeps the position of every key and value.

One pass over the events of ruamel.yaml's C parser builds plain Python data
(dicts, lists, str, int, float, bool, None) and a map from each data path to its
`line:column`. No constructor ever runs, so no tag can build a Python object;
aliases, explicit tags, duplicate keys, deep nesting, bad encodings and tabs are
refused with a positioned message. YAML 1.2 semantics: `no`/`ja` stay strings.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import events as ev

from kprocess.diagnostics import DataPath, Diagnostic, PackError
from kprocess.i18n import N_, _

MAX_BYTES = 20 * 1024 * 1024
"""Largest file read, in bytes."""
MAX_DEPTH = 40
"""Deepest nesting read (a pack needs about 8 levels)."""
MAX_NODES = 250_000
"""Most values (keys' values, list items, mappings and lists) read from one file: a pack of
10,000 steps has about 110,000."""
_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
Position = tuple[int, int]


_COLUMNS = 1 << 32


def packed(line: int, column: int) -> int:
    """A 1-based line and column as one number: a pair per value would take twice the memory of a
    large pack's positions, and make reading it slower per value as it grows."""
    return line * _COLUMNS + column


def unpacked(number: int) -> Position:
    """The line and column a `packed` number holds."""
    return divmod(number, _COLUMNS)


@dataclass
class Document:
    """A YAML file's data and where each part of it stands in the file."""

    file: str
    data: Any
    values: dict[DataPath, int] = field(default_factory=dict)
    """Where each value starts, as `packed` numbers."""
    keys: dict[DataPath, int] = field(default_factory=dict)
    """Where each key starts, as `packed` numbers."""

    def position(self, path: DataPath, *, key: bool = False) -> Position:
        """Line and column (1-based) of `path`, or of its nearest existing parent."""
        if key and path in self.keys:
            return unpacked(self.keys[path])
        while path:
            if path in self.values:
                return unpacked(self.values[path])
            path = path[:-1]
        return unpacked(self.values[()]) if () in self.values else (1, 1)

    def diagnostic(
        self, path: DataPath, code: str, message: str, hint: str | None = None, *, key: bool = False
    ) -> Diagnostic:
        """A diagnostic positioned at `path` in this file."""
        line, column = self.position(path, key=key)
        return Diagnostic(self.file, line, column, code, message, hint, path=path)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


def parser_in_use() -> str:
    """Name of the YAML parser class in use (the C parser is expected)."""
    return f"{_parser().Parser.__module__}.{_parser().Parser.__name__}"


_ERRNO_TEXT = {
    errno.ENOENT: N_("filen finns inte"),
    errno.ELOOP: N_("länken pekar i en cirkel (en symbolisk länk som till slut leder tillbaka till sig själv)"),
    errno.EACCES: N_("behörighet saknas för att läsa filen"),
    errno.EPERM: N_("behörighet saknas för att läsa filen"),
    errno.ENOTDIR: N_("en del av sökvägen är ingen mapp"),
    errno.EISDIR: N_("det är en mapp, inte en fil"),
    errno.ENAMETOOLONG: N_("sökvägen är för lång"),
}


def os_problem(error: OSError) -> str:
    """An operating-system error in Swedish words."""
    known = _ERRNO_TEXT.get(error.errno or 0)
    if known is not None:
        return _(known)
    return _("filen kan inte läsas ({reason})").format(reason=error.strerror or type(error).__name__)


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a YAML file, or None when it is a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return os_problem(error)
    except ValueError:
        return _("sökvägen innehåller otillåtna tecken")
    if stat.S_ISDIR(mode):
        return _("det är en mapp, inte en fil")
    if not stat.S_ISREG(mode):
        return _("det är ingen vanlig fil (utan t.ex. en namngiven rörledning eller en enhet)")
    return None


def read_file(path: Path, display: str) -> Document:
    """Read and parse a YAML file; raise `PackError` with positioned diagnostics.

    Only regular files are opened (a FIFO or a device would block or never end), and never more
    than `MAX_BYTES` is read.
    """
    problem = file_problem(path)
    if problem is not None:
        raise PackError(
            [
                Diagnostic(
                    display, 1, 1, "KP000", _("filen kan inte läsas: {problem}").format(problem=problem), _(_OPEN_HINT)
                )
            ]
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise PackError(
            [Diagnostic(display, 1, 1, "KP000", _("filen kan inte läsas: {problem}").format(problem=os_problem(error)))]
        ) from None
    if len(raw) > MAX_BYTES:
        size = max(path.stat().st_size, len(raw))
        raise PackError(
            [
                Diagnostic(
                    display,
                    1,
                    1,
                    "KP010",
                    _("filen är {size} MB; högst {limit} MB läses").format(
                        size=f"{size / 1e6:.1f}", limit=MAX_BYTES // 2**20
                    ),
                    _("dela upp paketet eller kontrollera att det är rätt fil"),
                )
            ]
        )
    return parse_bytes(raw, display)


_OPEN_HINT = N_("ange sökvägen till en YAML-fil (.yaml)")


def parse_bytes(raw: bytes, display: str) -> Document:
    """Parse YAML bytes (UTF-8) into a positioned `Document`."""
    text = _decode(raw, display)
    _check_text(text, display)
    return _Builder(display).build(text)


_SAVE_AS_UTF8 = N_("i VS Code, klicka på teckenkodningen i statusraden och välj 'Save with Encoding' → UTF-8")


def _decode(raw: bytes, display: str) -> str:
    head = raw[:8192]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 4
        and head.count(0) * 3 >= len(head)
        and (head[1::2].count(0) or head[::2].count(0)) * 2 >= len(head) // 2
    )
    if utf16:
        raise PackError(
            [
                Diagnostic(
                    display,
                    1,
                    1,
                    "KP002",
                    _("filen är sparad som UTF-16, inte UTF-8"),
                    _("spara filen som UTF-8: {how}").format(how=_(_SAVE_AS_UTF8)),
                )
            ]
        )
    if 0 in head:
        before = head[: head.index(0)]
        raise PackError(
            [
                Diagnostic(
                    display,
                    before.count(b"\n") + 1,
                    len(before) - (before.rfind(b"\n") + 1) + 1,
                    "KP002",
                    _("filen är ingen textfil (den innehåller nolltecken)"),
                    _("ange regelpaketets YAML-fil; en bild, ett Word-dokument eller ett arkiv kan inte läsas"),
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise PackError(
            [
                Diagnostic(
                    display,
                    line,
                    column,
                    "KP002",
                    _("filen är inte giltig UTF-8 (byte 0x{byte})").format(byte=f"{raw[exc.start]:02x}"),
                    _("spara filen som UTF-8{guess}: {how}").format(guess=_guess_encoding(raw), how=_(_SAVE_AS_UTF8)),
                )
            ]
        ) from None


def _guess_encoding(raw: bytes) -> str:
    """` (den ser ut att vara sparad som Latin-1/Windows-1252)` when that reading gives Swedish letters."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    high = [ch for ch in text if ord(ch) > 127]
    if high and sum(ch in "åäöÅÄÖéÉüÜ" for ch in high) * 2 >= len(high):
        return _(" (den ser ut att vara sparad som Latin-1/Windows-1252)")
    return ""


_CONTENT = re.compile(r"^\s*[^\s#]", re.MULTILINE)
"""A line with more than spaces and a comment."""


def _tab_indents(text: str, display: str) -> list[Diagnostic]:
    """Each line indented with a tab."""
    return [
        Diagnostic(
            display,
            number,
            len(line) - len(stripped) + 1,
            "KP003",
            _("tabbtecken används för indrag"),
            _("YAML tillåter bara mellanslag för indrag; ersätt tabben med mellanslag"),
        )
        for number, line in enumerate(text.splitlines(), start=1)
        if (stripped := line.lstrip(" ")).startswith("\t")
    ]


def _check_text(text: str, display: str) -> None:
    problems = _tab_indents(text, display) if "\t" in text else []
    if problems:
        raise PackError(problems)
    has_content = _CONTENT.search(text) is not None or any(
        line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()
    )  # the search finds every line with content that a newline starts
    if not has_content:
        raise PackError(
            [
                Diagnostic(
                    display,
                    1,
                    1,
                    "KP004",
                    _("filen är tom"),
                    _(
                        "ett regelpaket börjar med `schema_version: 1`, ett testfall med `name:` "
                        "(se docs/format.md och docs/cases.md)"
                    ),
                )
            ]
        )


def _char_name(character: object) -> str:
    """`U+0007` for a control character the YAML reader refused (it reports a code or a str)."""
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


class _AbortError(Exception):
    """Stops the walk after a problem that makes the rest unreadable."""


class _Builder:
    """Builds data and positions from parser events, refusing what is unsafe."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Diagnostic] = []
        self.aliases: set[str] = set()
        self.nodes = 0
        self.doc = Document(display, None)
        yaml = _parser()
        self.yaml = yaml

    def _problem(self, mark: Any, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(self.display, mark.line + 1, mark.column + 1, code, message, hint))

    def build(self, text: str) -> Document:
        from ruamel.yaml.error import MarkedYAMLError
        from ruamel.yaml.reader import ReaderError

        try:
            self._walk(iter(self.yaml.parse(io.StringIO(text))))
        except _AbortError:
            pass
        except ReaderError as exc:
            before = text[: exc.position]
            self.problems.append(
                Diagnostic(
                    self.display,
                    before.count("\n") + 1,
                    len(before) - (before.rfind("\n") + 1) + 1,
                    "KP001",
                    _("otillåtet styrtecken {character} i filen").format(character=_char_name(exc.character)),
                    _("ta bort styrtecknet; en YAML-fil innehåller bara vanlig text"),
                )
            )
        except MarkedYAMLError as exc:
            from kprocess.yamlerrors import explain

            found = explain(exc.context, exc.problem, exc.context_mark, exc.problem_mark)
            self.problems.append(Diagnostic(self.display, found.line, found.column, "KP001", found.message, found.hint))
        if self.problems:
            raise PackError(self.problems)
        return self.doc

    def _walk(self, events: Any) -> None:

        documents = 0
        for event in events:
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._problem(
                        event.start_mark,
                        "KP001",
                        _("filen innehåller mer än ett YAML-dokument"),
                        _("ta bort `---` och det andra dokumentet: ett paket är ett dokument"),
                    )
                    return
                first = next(events)
                root = self._node(first, events, (), 1)
                if not isinstance(root, dict) and not self.problems:
                    kind = _("en lista") if isinstance(root, list) else _("ett enkelt värde")
                    self._problem(
                        first.start_mark,
                        "KP005",
                        _("filens översta nivå är {kind}, inte nycklar").format(kind=kind),
                        _(
                            "filen ska bestå av nycklar med värden, "
                            "t.ex. `schema_version: 1` i ett regelpaket eller `name:` i ett testfall"
                        ),
                    )
                self.doc.data = root

    def _node(self, event: Any, events: Any, path: DataPath, depth: int) -> Any:

        mark = event.start_mark
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._problem(
                mark,
                "KP010",
                _("filen har fler än {limit} värden; så många läses inte").format(
                    limit=f"{MAX_NODES:,}".replace(",", " ")
                ),
                _("dela upp paketet eller kontrollera att det är rätt fil"),
            )
            raise _AbortError
        self.doc.values[path] = packed(mark.line + 1, mark.column + 1)
        if isinstance(event, ev.AliasEvent):
            if event.anchor in self.aliases:
                return None
            self.aliases.add(event.anchor)
            self._problem(
                mark,
                "KP007",
                _("alias (*{anchor}) används").format(anchor=event.anchor),
                _("alias och ankare (&namn/*namn) stöds inte: skriv ut värdet där det behövs"),
            )
            return None
        if depth > MAX_DEPTH:
            self._problem(
                mark,
                "KP008",
                _("nästlingen är djupare än {limit} nivåer").format(limit=MAX_DEPTH),
                _("ett regelpaket behöver inte så djup struktur; kontrollera indragen"),
            )
            raise _AbortError
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _CORE_TAGS and tag != "!":
            self._problem(
                mark,
                "KP009",
                _("taggen `{tag}` är inte tillåten").format(tag=tag),
                _("ta bort taggen (det som börjar med `!`): regelpaket använder bara vanliga värden"),
            )
        if isinstance(event, ev.ScalarEvent):
            return self._scalar(event)
        if isinstance(event, ev.SequenceStartEvent):
            items: list[Any] = []
            for child in events:
                if isinstance(child, ev.SequenceEndEvent):
                    return items
                items.append(self._node(child, events, (*path, len(items)), depth + 1))
        if isinstance(event, ev.MappingStartEvent):
            return self._mapping(events, path, depth)
        raise AssertionError(f"unexpected YAML event {event!r}")

    def _mapping(self, events: Any, path: DataPath, depth: int) -> dict[str, Any]:

        mapping: dict[str, Any] = {}
        for key_event in events:
            if isinstance(key_event, ev.MappingEndEvent):
                return mapping
            mark = key_event.start_mark
            if not isinstance(key_event, ev.ScalarEvent):
                self._problem(
                    mark,
                    "KP001",
                    _("en nyckel måste vara en enkel text"),
                    _("skriv nyckeln som `namn:` följt av värdet"),
                )
                self._node(key_event, events, path, depth + 1)
                self._node(next(events), events, path, depth + 1)
                continue
            key = str(self._scalar(key_event))
            child = (*path, key)
            if key in mapping or child in self.doc.keys:
                line = unpacked(self.doc.keys[child])[0]
                self._problem(
                    mark,
                    "KP006",
                    _("nyckeln `{key}` finns redan på rad {line}").format(key=key, line=line),
                    _("ta bort eller slå ihop den ena: en nyckel får bara finnas en gång per nivå"),
                )
                self._node(next(events), events, (*path, f"{key}#dup"), depth + 1)
                continue
            self.doc.keys[child] = packed(mark.line + 1, mark.column + 1)
            mapping[key] = self._node(next(events), events, child, depth + 1)
        return mapping

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        if event.style or not event.implicit[0] or (value and value[0] not in _typed_starts()):
            return value
        return _plain_scalar(value)


@lru_cache(maxsize=1)
def _typed_starts() -> frozenset[str]:
    """The first characters of unquoted scalars that may be other than text (null, bool,
    number): the keys of ruamel's YAML 1.2 resolver, which tries no pattern for any other
    (it has no resolver for every character: `tests/test_yaml_safety.py`)."""
    return frozenset(key for key in _parser().resolver.versioned_resolver if key)


@lru_cache(maxsize=8192)
def _plain_scalar(value: str) -> Any:
    """The value of an unquoted scalar under YAML 1.2 (ruamel's resolver decides the type)."""
    from ruamel.yaml.nodes import ScalarNode

    tag = _parser().resolver.resolve(ScalarNode, value, (True, False))
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        for base in (10, 0):
            try:
                return int(value, base)
            except ValueError:
                pass
        return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value
