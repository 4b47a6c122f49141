"""Suggestions for misspelt ids: the ASCII form of a Swedish name and the closest declared id."""

from __future__ import annotations

from collections.abc import Collection
from difflib import get_close_matches

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "Å": "a", "Ä": "a", "Ö": "o", "É": "e"})


def ascii_form(name: str) -> str:
    """`lansstyrelsen` for `Länsstyrelsen`: the id a name with å, ä, ö would have."""
    return name.translate(_ASCII).lower().replace(" ", "_").replace("-", "_")


def closest(name: str, known: Collection[str], unused: Collection[str] = ()) -> str | None:
    """The declared id `name` most likely means: its ASCII form, else the closest spelling,
    preferring an id nothing else names (`unused`): that is the one a typo or a rename lost."""
    folded = ascii_form(name)
    if folded != name and folded in known:
        return folded
    close = get_close_matches(name, list(known), n=5) or get_close_matches(folded, list(known), n=5)
    return next((c for c in close if c in unused), close[0] if close else None)
