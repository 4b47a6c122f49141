"""English beside Swedish: the catalogue is complete and compiled, the language is chosen as
documented, and commands print the exact English text (Swedish output is proved byte for byte
by the other tests, which run with `KPROCESS_LANG=sv`)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import kprocess
from kprocess import i18n
from tests.conftest import MINIMAL, ROOT

PACKAGE = Path(kprocess.__file__).parent
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "kprocess.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|\\\d")
VN = "regions/vasternorrland.yaml"
CASE_08 = "regions/cases/vasternorrland/08_huvudman_beslutar_olika_sarskild_arbetsgrupp.yaml"


@pytest.fixture(autouse=True)
def _swedish_afterwards() -> Iterator[None]:
    """A test that switches to English leaves the process in Swedish for the next test."""
    yield
    i18n.set_language("sv")


def catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def msgid(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def wrapped_messages() -> dict[str, str]:
    """Every message wrapped in `_()`, `ngettext()` or `N_()` in the package, with where it is."""
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(str(PACKAGE), keywords=KEYWORDS):
        found.setdefault(msgid(message), f"{filename}:{line}")
    return found


def test_every_wrapped_message_is_in_the_english_catalogue() -> None:
    wrapped = wrapped_messages()
    listed = {msgid(m.id) for m in catalogue() if m.id}
    assert sorted(f"{where}: {text}" for text, where in wrapped.items() if text not in listed) == []
    assert sorted(listed - set(wrapped)) == []  # nothing obsolete is kept


def test_every_message_has_an_english_translation_with_the_same_placeholders() -> None:
    untranslated, fuzzy, mismatched = [], [], []
    for message in catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(msgid(message.id))
        if message.fuzzy:
            fuzzy.append(msgid(message.id))
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        if any(sorted(PLACEHOLDER.findall(s)) != wanted for s in strings):
            mismatched.append(msgid(message.id))
    assert (untranslated, fuzzy, mismatched) == ([], [], [])


def test_the_compiled_catalogue_is_current() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    assert MO.read_bytes() == compiled.getvalue(), "run `pybabel compile` (docs/i18n.md)"


# -- choosing the language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "sv"),
        ({"LANG": "C.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_US.UTF-8", "KPROCESS_LANG": "sv"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "KPROCESS_LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "en"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert i18n.from_environment(environ) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "en", "validate", "x.yaml"], ("en", ["validate", "x.yaml"])),
        (["--lang=sv", "--debug", "simulate"], ("sv", ["--debug", "simulate"])),
        (["validate", "--lang", "en"], (None, ["validate", "--lang", "en"])),  # after the command: not global
        (["--lang", "fr", "validate"], (None, ["--lang", "fr", "validate"])),  # left for the command line to refuse
        (["--lang=de"], (None, ["--lang=de"])),
        (["--lang"], (None, ["--lang"])),
    ],
)
def test_lang_option_before_the_command(argv: list[str], expected: tuple[str | None, list[str]]) -> None:
    assert i18n.from_arguments(argv) == expected


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="okänt språk 'fr'; välj sv eller en"):
        i18n.set_language("fr")


def test_messages_and_plurals_follow_the_language() -> None:
    i18n.set_language("en")
    assert (i18n._("Utdataformat."), i18n.language()) == ("Output format.", "en")
    assert i18n.pick("Länsledningen", "The county management") == "The county management"
    assert i18n.pick("Länsledningen", None) == "Länsledningen"
    i18n.set_language("sv")
    assert (i18n._("Utdataformat."), i18n.language()) == ("Utdataformat.", "sv")
    assert i18n.pick("Länsledningen", "The county management") == "Länsledningen"
    assert [i18n.ngettext("{count} fil", "{count} filer", n) for n in (1, 2)] == ["{count} fil", "{count} filer"]


# -- commands in English ----------------------------------------------------------------------


def kprocess(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kprocess", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100", "KPROCESS_NO_CACHE": "1", **env},
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        check=False,
    )


def test_usage_error_in_english() -> None:
    done = kprocess("--lang", "en", "simulate")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Usage: python -m kprocess simulate [OPTIONS] PACK\n"
        "Try 'python -m kprocess simulate --help' for help.\n"
        "kprocess: missing argument PACK\n"
    )


def test_locale_and_kprocess_lang_choose_english() -> None:
    by_locale = kprocess("simulate", KPROCESS_LANG="", LC_ALL="", LC_MESSAGES="", LANG="en_US.UTF-8")
    by_variable = kprocess("simulate", KPROCESS_LANG="en", LANG="sv_SE.UTF-8")
    assert by_locale.stderr == by_variable.stderr
    assert by_locale.stderr.endswith("kprocess: missing argument PACK\n")


def test_option_wins_over_environment() -> None:
    done = kprocess("--lang", "sv", "simulate", KPROCESS_LANG="en")
    assert done.stderr.endswith("kprocess: argumentet PAKET saknas\n")


def test_unknown_lang_value_is_a_usage_error() -> None:
    done = kprocess("--lang", "fr", "validate", str(MINIMAL))
    assert done.returncode == 2
    assert "'fr'" in done.stderr


def test_simulate_in_english() -> None:
    done = kprocess(
        "--lang", "en", "simulate", VN, "--fact", "beror_kommunerna=nej", "--no-input", "--compact", COLUMNS="200"
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[:9] == [
        "Collaboration routine for knowledge support within knowledge management in health and social care (HälSam)",
        "Flow: Knowledge support from consultation to follow-up",
        "1  National knowledge support for consultation arrives at RVN from SKR — RVN",
        "2  RVN registers it and sends it to its coordinator for knowledge management — RVN",
        "3  RVN's coordinator forwards the consultation to the chairs of the LPOs concerned — RVN's coordinator",
        "4  The LPO judges whether the case concerns the municipalities or only the region — LPO: no",
        "5  The case concerns only the region – an internal regional routine takes over — RVN → handed over",
        "The case is handed over after 5 steps.",
        "Sources:",
    ]


def test_simulate_timeline_in_english_with_decisions_and_dates() -> None:
    done = kprocess("--lang", "en", "simulate", VN, "--case", CASE_08, "--start", "2026-02-01", "--no-input")
    lines = [line.rstrip() for line in done.stdout.splitlines()]
    assert done.returncode == 0
    assert lines[2] == "Flow: Knowledge support from consultation to follow-up · start 2026-02-01"
    step_4 = lines.index(" 4 2026-02-01 The LPO judges whether the case concerns the municipalities or only the region")
    assert lines[step_4 + 1 : step_4 + 4] == [
        "              LPO · 002 steg 4; Remissprocess, beredning och beslut",
        "              Does the knowledge support concern the municipalities? yes",
        "              Decision by LPO",
    ]
    assert lines[-10:-4] == [
        "              Decision by Principals",
        "              → ongoing (continuous follow-up)",
        "",
        "The case is ongoing (continuous follow-up) after 61 steps.",
        "Next follow-up by 2028-02-01.",
        "Sources:",
    ]


def test_validate_in_english_on_the_fast_path_and_from_the_cache(tmp_path: Path) -> None:
    cached = {"KPROCESS_NO_CACHE": "", "KPROCESS_CACHE_DIR": str(tmp_path)}
    kp202 = "tests/checks/KP202/fail.yaml"
    swedish = kprocess("validate", str(MINIMAL.relative_to(ROOT)), **cached)
    english = [kprocess("--lang", "en", "validate", str(MINIMAL.relative_to(ROOT)), **cached) for _ in range(2)]
    assert swedish.stdout == "1 fil kontrollerade: inga problem.\n"
    assert [e.stdout for e in english] == ["1 file checked: no problems.\n"] * 2
    two = kprocess("validate", kp202, str(MINIMAL.relative_to(ROOT)), KPROCESS_LANG="en")
    assert (two.returncode, two.stdout.splitlines()[-1]) == (1, "2 files checked: 1 error, 0 warnings.")


def test_in_process_lang_option_sets_the_language_for_one_invocation() -> None:
    from typer.testing import CliRunner

    from kprocess.cli.app import app

    runner = CliRunner()
    english = runner.invoke(app, ["--lang", "en", "validate", str(MINIMAL)], env={"KPROCESS_LANG": "sv"})
    swedish = runner.invoke(app, ["validate", str(MINIMAL)], env={"KPROCESS_LANG": "sv"})
    assert (english.stdout, swedish.stdout) == (
        "1 file checked: no problems.\n",
        "1 fil kontrollerade: inga problem.\n",
    )
