"""Validation messages: one typo gives one message, renamed ids, ASCII forms."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kprocess.pack import analyse_file

REGIONS = Path(__file__).parent.parent / "regions"
FIXTURE = Path(__file__).parent / "checks" / "KP202" / "pass.yaml"

Shown = tuple[int, int, str, str, str | None]


def _variant(tmp_path: Path, source: Path, old: str, new: str) -> tuple[list[Shown], str]:
    """Diagnostics of `source` with the first `old` replaced by `new`, and the changed text."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    broken = tmp_path / source.name
    broken.write_text(text, encoding="utf-8")
    return [(d.line, d.column, d.code, d.message, d.hint) for d in analyse_file(broken)[1]], text


def _at(text: str, line: str, column: int) -> tuple[int, int]:
    """(line, column) of the first line equal to `line` in `text`."""
    return text.splitlines().index(line) + 1, column


def test_a_misspelt_step_id_in_a_real_pack_gives_exactly_one_diagnostic(tmp_path: Path) -> None:
    found, text = _variant(tmp_path, REGIONS / "vasternorrland.yaml", "    next: s2\n", "    next: s2x\n")
    assert found == [(*_at(text, "    next: s2x", 11), "KP202", "steget `s2x` finns inte", "menade du `s2`?")]


def test_a_misspelt_reference_means_the_step_nothing_else_reaches(tmp_path: Path) -> None:
    found, text = _variant(tmp_path, REGIONS / "vasternorrland.yaml", "  - id: s5_kfvn\n", "  - id: s5_kfvn_ny\n")
    assert found == [
        (*_at(text, "    next: s5_kfvn", 11), "KP202", "steget `s5_kfvn` finns inte", "menade du `s5_kfvn_ny`?")
    ]


def test_a_reference_matching_no_step_hides_its_consequences_in_one_line(tmp_path: Path) -> None:
    found, _ = _variant(tmp_path, FIXTURE, "    next: samordning\n", "    next: helt_annat\n")
    assert found == [
        (81, 11, "KP202", "steget `helt_annat` finns inte", "deklarera steget under `steps:`"),
        (
            81,
            11,
            "KP301",
            "5 följdfel om steg som inte nås eller inte kan avslutas visas inte",
            "de beror på hänvisningen till ett steg som inte finns; rätta den och kör igen",
        ),
    ]


def test_a_renamed_actor_is_reported_once_with_every_place_that_uses_the_old_id(tmp_path: Path) -> None:
    old = "  - id: kfvn_samordnare\n"
    found, text = _variant(tmp_path, REGIONS / "vasternorrland.yaml", old, "  - id: kfvn_samordnaren\n")
    uses = [
        f"{number}:{match.start() + 1}"
        for number, line in enumerate(text.splitlines(), start=1)
        for match in re.finditer(r"\bkfvn_samordnare\b", line)
    ]
    assert len(uses) > 1
    assert found == [
        (
            *_at(text, "  - id: kfvn_samordnaren", 9),
            "KP202",
            f"aktören har id `kfvn_samordnaren`, men {len(uses)} ställen hänvisar till `kfvn_samordnare`",
            "döp tillbaka id:t till `kfvn_samordnare`, eller byt `kfvn_samordnare` mot `kfvn_samordnaren` "
            f"på {', '.join(uses)} (rad:kolumn)",
        )
    ]


def test_an_id_with_swedish_letters_gets_its_ascii_form(tmp_path: Path) -> None:
    found, _ = _variant(tmp_path, FIXTURE, "  - id: analys\n", "  - id: änalys\n")
    assert found == [
        (
            50,
            9,
            "KP103",
            "`änalys` är inget giltigt id",
            "menade du `analys`? ett id skrivs med små bokstäver a–z, siffror och _ (inga mellanslag, inga å, ä, ö)",
        )
    ]


def _case_tree(tmp_path: Path, edits: dict[str, str]) -> Path:
    """A copy of Västernorrland's pack with one golden case beside it, lines of the case replaced."""
    (tmp_path / "cases" / "vasternorrland").mkdir(parents=True)
    (tmp_path / "vasternorrland.yaml").write_text(
        (REGIONS / "vasternorrland.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    source = REGIONS / "cases" / "vasternorrland" / "08_huvudman_beslutar_olika_sarskild_arbetsgrupp.yaml"
    text = source.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new, 1)
    case = tmp_path / "cases" / "vasternorrland" / "08.yaml"
    case.write_text(text, encoding="utf-8")
    return case


def test_validate_checks_a_case_file_against_its_pack_and_reports_every_problem(tmp_path: Path) -> None:
    case = _case_tree(
        tmp_path,
        {
            "  beror_kommunerna: ja\n": "  beror_kommunerna: kanske\n",
            "  lsg_aktiveras: nej\n": "  lsg_aktivras: nej\n",
            "path: [s1, s2,": "path: [s1, s2x,",
        },
    )
    lines = case.read_text(encoding="utf-8").splitlines()
    hint = "rätta svaret i testfallet (`kprocess facts PAKET` visar frågorna och deras svar)"
    done = subprocess.run(
        [sys.executable, "-m", "kprocess", "validate", str(case)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    path_line = next(i for i, line in enumerate(lines, 1) if line.startswith("  path: [s1, s2x,"))
    assert (done.returncode, done.stdout.splitlines()) == (
        1,
        [
            f"cases/vasternorrland/08.yaml:{lines.index('  beror_kommunerna: kanske') + 1}:21: KP402 "
            "`beror_kommunerna` besvaras med ja eller nej, inte `kanske`",
            f"    → {hint}",
            f"cases/vasternorrland/08.yaml:{lines.index('  lsg_aktivras: nej') + 1}:3: KP402 "
            "okänd fråga `lsg_aktivras` (menade du `lsg_aktiveras`?)",
            f"    → {hint}",
            f"cases/vasternorrland/08.yaml:{path_line}:14: KP402 steget `s2x` finns inte i paketet",
            "    → menade du `s2`?",
            "1 fil kontrollerade: 3 fel, 0 varningar.",
        ],
    )


def test_a_case_file_without_a_pack_is_one_clear_problem(tmp_path: Path) -> None:
    lone = tmp_path / "fall.yaml"
    lone.write_text("name: Ett fall\nanswers: {beror_kommunerna: ja}\nexpect: {status: completed}\n", encoding="utf-8")
    from kprocess.cli.validate import check_file

    assert [(d.line, d.column, d.code, d.message, d.hint) for d in check_file(lone)] == [
        (
            1,
            1,
            "KP401",
            "testfallet hör inte till något paket",
            "lägg testfallet i `cases/<paketets id>/` bredvid paketfilen",
        )
    ]


def test_kprocess_test_reports_every_problem_of_a_case_at_once(tmp_path: Path) -> None:
    case = _case_tree(
        tmp_path, {"  beror_kommunerna: ja\n": "  beror_kommunerna: kanske\n", "  lsg_aktiveras: nej\n": "  x_y: nej\n"}
    )
    from kprocess.golden import run_golden
    from kprocess.pack import load_pack

    outcome = run_golden(load_pack(tmp_path / "vasternorrland.yaml"), case)
    assert [failure.split(": KP402 ")[1].split(" (")[0] for failure in outcome.failures] == [
        "`beror_kommunerna` besvaras med ja eller nej, inte `kanske`",
        "okänd fråga `x_y`; `kprocess facts PAKET` listar frågorna",
    ]


SYNTAX = [
    (
        "a: 1\nb:\n  c: 2\n  d: 3\ne: [x, y\nf: 2\n",
        (5, 4, "listan `[` stängs aldrig med `]`; påbörjad här (upptäckt på rad 6, kolumn 2)"),
    ),
    ('a: "abc\nb: 2\n', (1, 4, "citattecknet stängs aldrig; texten är påbörjad här (upptäckt på rad 3, kolumn 1)")),
    ("a: {x: 1\nb: 2\n", (1, 4, "`{` stängs aldrig med `}`; påbörjad här (upptäckt på rad 2, kolumn 2)")),
    ("a:\n  - x\n  y: 2\n", (3, 3, "rad 3 står i listan som börjar på rad 2 men börjar inte med `- `")),
    ("a: 1\nbare words\nb: 2\n", (2, 1, "raden är varken `nyckel: värde` eller en listrad `- …`")),
    ("a: b: c\n", (1, 5, "ett kolon följt av mellanslag mitt i ett värde")),
]


@pytest.mark.parametrize(("text", "expected"), SYNTAX)
def test_yaml_syntax_errors_in_swedish_where_the_construct_began(
    tmp_path: Path, text: str, expected: tuple[int, int, str]
) -> None:
    broken = tmp_path / "p.yaml"
    broken.write_text(text, encoding="utf-8")
    [found] = analyse_file(broken)[1]
    assert (found.code, found.line, found.column, found.message) == ("KP001", *expected)


def test_a_key_indented_one_level_too_far_is_told_where_it_belongs(tmp_path: Path) -> None:
    old = "    decision: {question: komplettera, by: lpo}\n    routes:\n"
    new = "    decision:\n      question: komplettera\n      by: lpo\n      routes:\n"
    text = FIXTURE.read_text(encoding="utf-8")
    rest = text[text.index(old) + len(old) :].split("  - id: region_beslut")[0]
    text = text.replace(old + rest, new + "".join("  " + line + "\n" for line in rest.splitlines()), 1)
    broken = tmp_path / "p.yaml"
    broken.write_text(text, encoding="utf-8")
    assert [(d.line, d.column, d.code, d.message, d.hint) for d in analyse_file(broken)[1]] == [
        (
            59,
            7,
            "KP101",
            "okänd nyckel `routes`",
            "`routes` hör inte till `decision` utan en nivå ut: minska indraget så att `routes:` börjar i kolumn 5, "
            "i linje med `decision:`",
        )
    ]
