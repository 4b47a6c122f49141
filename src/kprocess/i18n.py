"""The language of what kprocess prints: Swedish (the source text) or English (a gettext catalogue).

Messages are written in Swedish in the code and wrapped in `_()` (or `ngettext()`); the Swedish
text is the msgid. English comes from `locale/en/LC_MESSAGES/kprocess.mo`, compiled with Babel
from the `.po` beside it and read with the standard library's `gettext`. The language is chosen,
first match wins, by `--lang sv|en` (before the command), `KPROCESS_LANG`, and the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`): a value starting with `en` gives English, anything else
Swedish. Swedish needs no catalogue and imports nothing, so start-up stays fast.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from gettext import NullTranslations

LANGUAGES = ("sv", "en")
DEFAULT = "sv"
DOMAIN = "kprocess"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")

_state: dict[str, str] = {"language": DEFAULT}
_catalogue: list[NullTranslations] = []  # the English catalogue while English is chosen


def _(message: str) -> str:
    """`message` (Swedish) in the chosen language."""
    return _catalogue[0].gettext(message) if _catalogue else message


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark `message` for the catalogue without translating it yet (a table of labels)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message (Swedish forms as msgids) for `count`."""
    if _catalogue:
        return _catalogue[0].ngettext(singular, plural, count)
    return singular if count == 1 else plural


def language() -> str:
    """The chosen language: `sv` or `en`."""
    return _state["language"]


def set_language(code: str) -> None:
    """Choose `sv` or `en` for everything printed from now on."""
    if code not in LANGUAGES:
        raise ValueError(f"okänt språk {code!r}; välj sv eller en")
    _state["language"] = code
    _catalogue.clear()
    if code != DEFAULT:
        import gettext

        _catalogue.append(gettext.translation(DOMAIN, LOCALE_DIR, languages=[code]))


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: `KPROCESS_LANG`, then the locale; Swedish by default."""
    env = os.environ if environ is None else environ
    for name in ("KPROCESS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def from_arguments(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The `--lang` given before the command (None if none, or not `sv`/`en`) and the arguments
    without it. An invalid value stays in the arguments so the command line reports it."""
    rest: list[str] = []
    chosen: str | None = None
    index = 0
    while index < len(argv):
        arg = argv[index]
        if not arg.startswith("-"):  # the command: what follows belongs to it
            rest += argv[index:]
            break
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
            index += 1
        if value in LANGUAGES:
            chosen = value
        elif value is not None:
            rest += [arg] if arg.startswith("--lang=") else ["--lang", value]
        else:
            rest.append(arg)
        index += 1
    return chosen, rest


def choose(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Set the language from `--lang` or the environment; return the arguments without `--lang`."""
    chosen, rest = from_arguments(argv)
    set_language(chosen or from_environment(environ))
    return rest


def pick(swedish: str, english: str | None) -> str:
    """A pack's own label: its English form in English when the pack gives one, else the Swedish."""
    return english if english and _catalogue else swedish
