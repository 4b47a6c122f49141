"""Reading a `source:` text: which sections of which documents it cites.

`003 §4, §6; 001 §3.3–3.5` cites §4 and §6 of document 003 and §3.3, §3.4 and §3.5 of 001.
A citation after `;` without a document id belongs to the document before it. Within one
document, `,` separates sections; a part that does not start like a section (`§`, `steg`,
`bilaga`, `s.`, `sida`, `titelsida`, a digit) belongs to the heading before it, so
`002 Begrepp, LSG` is one section. `steg 3 och 4` and `§3.3–3.5` (or `-`) expand.

A section's parents are found by taking its last part away: `§4.4.1 p.4` → `§4.4.1` → `§4.4`
→ `§4`; `steg 13a` → `steg 13`; `§4.5.1 steg 2` → `§4.5.1`; `Begrepp, LSG` → `Begrepp`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache

from kprocess.i18n import _

MAX_RANGE = 200

_MARKER = re.compile(r"^(§|steg\b|bilaga\b|s\.|sida\b|titelsida\b|\d)", re.IGNORECASE)
_DOCUMENT_LIKE = re.compile(r"^\d[0-9A-Za-z_.-]*$")
_AND = re.compile(r"^(?P<head>.*?)(?P<first>\d+[a-z]?) och (?P<second>\d+[a-z]?)$")
_RANGE = re.compile(r"^(?P<head>.*?)(?P<first>\d+(?:\.\d+)*) ?[–—-] ?(?:§ ?)?(?P<last>\d+(?:\.\d+)*)$")
_SIMPLE = re.compile(r"^(?P<document>\S+) (?P<section>(?:§\d+(?:\.\d+)*|steg \d+[a-z]?|bilaga \d+)(?: p\.\d+)?)$")
_SIGN_SPACE = re.compile(r"§ (?=\d)")
_POINT_SPACE = re.compile(r"\b(p)\. (?=\d)", re.IGNORECASE)
_PAGE_NO_SPACE = re.compile(r"\b(s)\.(?=\d)", re.IGNORECASE)
_PARENT = (
    re.compile(r"^(?P<parent>.*\S) (?:p\.|punkt |steg |stycke )\S+$", re.IGNORECASE),
    re.compile(r"^(?P<parent>.*\d)[a-z]$"),
    re.compile(r"^(?P<parent>.*\d)\.\d+$"),
    re.compile(r"^(?P<parent>.+),[^,]+$"),
)


class CitationError(ValueError):
    """A `source:` text that cannot be read; carries how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Citation:
    """One cited section of one document, in normal form (`§4.4.1 p.4`)."""

    document: str
    section: str


@lru_cache(maxsize=4096)
def normal(section: str) -> str:
    """One spelling per section: single spaces, `§4.4`, `p.4`, `s. 4` (remembered: a pack
    names the same sections many times)."""
    text = " ".join(section.split())
    if "." not in text and "§ " not in text:
        return text
    text = _SIGN_SPACE.sub("§", text)
    text = _POINT_SPACE.sub(r"\1.", text)
    return _PAGE_NO_SPACE.sub(r"\1. ", text)


def key(section: str) -> str:
    """What two labels of the same section have in common (spacing and case aside)."""
    return normal(section).casefold()


def parent(section: str) -> str | None:
    """The section one level up (`§4.4.1 p.4` → `§4.4.1`), or None at the top."""
    for pattern in _PARENT:
        if match := pattern.match(section):
            return match["parent"]
    return None


def lineage(section: str) -> Iterator[str]:
    """The section itself, then each parent up to the top."""
    current: str | None = normal(section)
    while current is not None:
        yield current
        current = parent(current)


def parse(text: str, documents: Collection[str]) -> list[Citation]:
    """Every (document, section) a `source:` text cites; `CitationError` if it cannot be read."""
    if (simple := _SIMPLE.match(text)) and simple["document"] in documents:
        return [Citation(simple["document"], simple["section"])]
    citations: list[Citation] = []
    document: str | None = None
    for part in text.split(";"):
        document, sections = _document(part, document, documents, text)
        if not sections:
            raise CitationError(
                _("källan `{text}` anger inget avsnitt i dokument {document}").format(text=text, document=document),
                _("skriv avsnittet efter dokumentet, t.ex. `{document} §3`").format(document=document),
            )
        citations += [Citation(document, s) for label in _labels(sections) for s in _expand(label, text)]
    return citations


def _document(part: str, before: str | None, documents: Collection[str], text: str) -> tuple[str, str]:
    """The document a `;`-separated part cites (its own id, or the one before) and its sections."""
    first, rest = (*part.split(maxsplit=1), "", "")[:2]
    if first in documents:
        return first, rest
    if before is None or (_DOCUMENT_LIKE.match(first) and rest):
        problem = (
            _("källan `{text}` börjar inte med ett känt dokument")
            if before is None
            else _("källan `{text}` nämner okänt dokument `{document}`")
        )
        raise CitationError(
            problem.format(text=text, document=first),
            _("skriv ett av dokument-id:na under `sources:` först: {documents}").format(documents=", ".join(documents)),
        )
    return before, part.strip()


def _labels(part: str) -> list[str]:
    """`§4, §6, Begrepp, LSG` → `§4`, `§6`, `Begrepp, LSG`."""
    labels: list[str] = []
    for piece in (normal(p) for p in part.split(",")):
        if labels and (not piece or not _MARKER.match(piece)):
            labels[-1] += f", {piece}"
        else:
            labels.append(piece)
    return labels


def _expand(label: str, text: str) -> list[str]:
    """`steg 3 och 4` → two sections, `§3.3–3.5` → three; anything else as it is."""
    if not _MARKER.match(label):
        return [label]
    if match := _AND.match(label):
        return [match["head"] + match["first"], match["head"] + match["second"]]
    match = _RANGE.match(label)
    if match is None:
        return [label]
    first = [int(n) for n in match["first"].split(".")]
    last = [int(n) for n in match["last"].split(".")]
    last = first[: len(first) - len(last)] + last
    if len(last) != len(first) or first[:-1] != last[:-1] or not 0 < last[-1] - first[-1] < MAX_RANGE:
        raise CitationError(
            _("intervallet `{label}` i källan `{text}` går inte att läsa").format(label=label, text=text),
            _("skriv intervallet från lägre till högre på samma nivå, t.ex. `§3.3–3.5` eller `steg 31–32`"),
        )
    stem = "".join(f"{n}." for n in first[:-1])
    return [f"{match['head']}{stem}{n}" for n in range(first[-1], last[-1] + 1)]
