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


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
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
    done = cli("--lang", "en", "simulate")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Usage: python -m kprocess simulate [OPTIONS] PACK\n"
        "Try 'python -m kprocess simulate --help' for help.\n"
        "kprocess: missing argument PACK\n"
    )


def test_locale_and_kprocess_lang_choose_english() -> None:
    by_locale = cli("simulate", KPROCESS_LANG="", LC_ALL="", LC_MESSAGES="", LANG="en_US.UTF-8")
    by_variable = cli("simulate", KPROCESS_LANG="en", LANG="sv_SE.UTF-8")
    assert by_locale.stderr == by_variable.stderr
    assert by_locale.stderr.endswith("kprocess: missing argument PACK\n")


def test_option_wins_over_environment() -> None:
    done = cli("--lang", "sv", "simulate", KPROCESS_LANG="en")
    assert done.stderr.endswith("kprocess: argumentet PAKET saknas\n")


def test_unknown_lang_value_is_a_usage_error() -> None:
    done = cli("--lang", "fr", "validate", str(MINIMAL))
    assert done.returncode == 2
    assert "'fr'" in done.stderr


def test_simulate_in_english() -> None:
    done = cli(
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
    done = cli("--lang", "en", "simulate", VN, "--case", CASE_08, "--start", "2026-02-01", "--no-input")
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
    swedish = cli("validate", str(MINIMAL.relative_to(ROOT)), **cached)
    english = [cli("--lang", "en", "validate", str(MINIMAL.relative_to(ROOT)), **cached) for _ in range(2)]
    assert swedish.stdout == "1 fil kontrollerade: inga problem.\n"
    assert [e.stdout for e in english] == ["1 file checked: no problems.\n"] * 2
    two = cli("validate", kp202, str(MINIMAL.relative_to(ROOT)), KPROCESS_LANG="en")
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


def test_validate_in_english_names_the_problems_and_the_fixes(tmp_path: Path) -> None:
    broken = (ROOT / "tests/checks/KP312/fail.yaml").read_text(encoding="utf-8")
    pack = tmp_path / "broken.yaml"
    pack.write_text(broken.replace("    actor: rmks\n", "    actor: rmsk\n", 1), encoding="utf-8")
    done = cli("--lang", "en", "validate", str(pack))
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == (
        f"{pack}:60:12: KP202 actor `rmsk` does not exist\n"
        "    → did you mean `rmks`?\n"
        f"{pack}:63:17: KP312 the decision in `rmks` has no effect: no condition in the step or after it reads "
        "`rmks_tillstyrker`, so every answer leads to the same continuation\n"
        "    → route on the answer (`routes: - when: rmks_tillstyrker …`), or mark the decision as informational "
        "in the document's words (`informational: \"<document> §<section>: '…'\"`)\n"
        f"{pack}:74:17: KP312 the decision in `kommunbeslut` has no effect: no condition in the step or after it "
        "reads `kommun_beslut`, so every answer leads to the same continuation\n"
        "    → route on the parties' answers after the join (`routes: - when: any(kommun_beslut) …` or `all(…)`), "
        "or mark the decision as informational in the document's words "
        "(`informational: \"<document> §<section>: '…'\"`)\n"
        "1 file checked: 3 errors, 0 warnings.\n"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "schema_version: 1\nid: x\nname: X\nsteps: [a, b\n",
            "{pack}:4:8: KP001 the list `[` is never closed with `]`; started here (noticed on line 5, column 1)\n"
            "    → end the list with `]` on the same line, or put commas between the values\n",
        ),
        (
            "a: 1\na: 2\n",
            "{pack}:2:1: KP006 the key `a` already appears on line 1\n"
            "    → remove or merge one of them: a key may appear only once per level\n",
        ),
        (
            "schema_version: 1\n\tid: x\n",
            "{pack}:2:1: KP003 tab characters are used for indentation\n"
            "    → YAML allows only spaces for indentation; replace the tab with spaces\n",
        ),
        (
            "",
            "{pack}:1:1: KP004 the file is empty\n"
            "    → a rule pack starts with `schema_version: 1`, a test case with `name:` "
            "(see docs/format.md and docs/cases.md)\n",
        ),
    ],
)
def test_format_problems_in_english(tmp_path: Path, content: str, expected: str) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(content, encoding="utf-8")
    done = cli("--lang", "en", "validate", str(pack))
    assert done.returncode == 1
    assert done.stdout == expected.format(pack=pack) + "1 file checked: 1 error, 0 warnings.\n"


def test_paths_in_english() -> None:
    done = cli("--lang", "en", "paths", str(MINIMAL.relative_to(ROOT)))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == PATHS_EN


def test_mandates_in_english() -> None:
    done = cli("--lang", "en", "mandates", VN, "--fact", "beror_kommunerna=ja", COLUMNS="200")
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[:6] == [
        "Decisions and mandates in Collaboration routine for knowledge support within knowledge management in "
        "health and social care (HälSam)",
        "",
        "The LPO judges whether the case concerns the municipalities or only the region · 002 steg 4; "
        "Remissprocess, beredning och beslut",
        "  Decision on: Does the knowledge support concern the municipalities?",
        "  LPO (decision) — always",
        "  In this case: LPO",
    ]


def test_usage_errors_of_the_commands_in_english() -> None:
    missing = cli("--lang", "en", "validate", "no/such.yaml")
    actor = cli("--lang", "en", "actors", VN, "lpx")
    fact = cli("--lang", "en", "mandates", VN, "--fact", "beror_kommunerna")
    assert [d.returncode for d in (missing, actor, fact)] == [2, 2, 2]
    assert missing.stderr == "kprocess: no/such.yaml does not exist\n"
    assert actor.stderr == "kprocess: actor `lpx` does not exist (did you mean `lpo`?)\n"
    assert fact.stderr == (
        "kprocess: `--fact beror_kommunerna`: write `--fact question=answer`, e.g. `--fact beror_kommunerna=ja`\n"
    )


PATHS_EN = """\
Flow huvudflode: 2 paths through the flow
  1. beror_kommunerna=ja, komplettera=nej → completed
     remiss → analys → region_beslut → kommunbeslut → samordning → klart
  2. beror_kommunerna=nej → handed over
     remiss → regionrutin
  loop: analys → analys (at most 3 times)
Coverage by 0 test cases: exits 0 %, steps 0 %
  not covered: exit 1 from remiss
  not covered: exit 2 from remiss
  not covered: exit 1 from analys
  not covered: exit 2 from analys
"""


def test_validity_warning_is_shown_in_english_and_recorded_in_swedish() -> None:
    from datetime import date

    from kprocess.model import Validity
    from kprocess.timing import shown, validity_warnings

    i18n.set_language("en")
    validity = Validity(valid_from=date(2024, 1, 1), source="004 §1.2.1")
    [warning] = validity_warnings(validity, date(2023, 3, 1), None)
    assert (warning, shown(warning)) == (
        "ärendet startar 2023-03-01 men överenskommelsen gäller först från 2024-01-01 (004 §1.2.1)",
        "the case starts on 2023-03-01 but the agreement is valid only from 2024-01-01 (004 §1.2.1)",
    )
    assert shown("en text") == "en text"


def test_simulate_shows_the_validity_warning_in_english() -> None:
    case = "regions/cases/blekinge/36_start_fore_giltighetstiden.yaml"
    done = cli("--lang", "en", "simulate", "regions/blekinge.yaml", "--case", case, "--no-input", COLUMNS="200")
    assert done.returncode == 0
    assert [line for line in done.stdout.splitlines() if line.startswith("Warning:")] == [
        "Warning: the case starts on 2023-03-01 but the agreement is valid only from 2024-01-01 "
        "(004 §1.2.1, §4.1; undertecknande)"
    ]


def test_case_lists_in_english(tmp_path: Path) -> None:
    pytest.importorskip("sqlalchemy")
    url = f"sqlite:///{tmp_path / 'register.db'}"
    start = cli("case", "start", VN, "--title", "Höft", "--date", "2026-03-02", "--db", url, KPROCESS_USER="Bo")
    assert start.returncode == 0
    listed = cli("--lang", "en", "case", "list", "--date", "2026-03-20", "--db", url)
    empty = cli("--lang", "en", "case", "todo", "--actor", "rmks", "--date", "2026-03-20", "--db", url)
    wrong = cli("--lang", "en", "case", "list", "--status", "klar", "--db", url)
    assert (listed.returncode, listed.stdout) == (0, "    1  Höft [vasternorrland] · waiting · LPO at s4\n")
    assert (empty.returncode, empty.stdout) == (0, "Nothing waits for rmks.\n")
    assert wrong.returncode == 2
    assert wrong.stderr.endswith("`--status klar` does not exist; choose from: " + ", ".join(LIST_STATUSES) + "\n")


LIST_STATUSES = ["waiting", "on_hold", "failed", "completed", "handed_over", "stopped", "parked", "ongoing"]
