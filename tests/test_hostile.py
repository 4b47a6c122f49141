"""Hostile and broken input: a clear message and the right exit code, never a traceback or a hang.

The corpus in tests/hostile/ holds one file per kind of bad input; CORPUS says what `validate`
must answer for each. The other tests build their hostile input on the fly (FIFOs, symlink
loops, huge files, batch streams).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kprocess.cli import app as cli_app
from kprocess.conditions import Catalog, ConditionError, compile_condition
from kprocess.diagnostics import MAX_PER_CODE, PackError
from kprocess.engine import RunError, run_case
from kprocess.engine.batch import MAX_LINE, read_jsonl, run_batch
from kprocess.model import Question
from kprocess.pack import RulePack, analyse_file, load_pack
from kprocess.paths import flow_paths, reach
from kprocess.yamlsource import MAX_NODES, parse_bytes
from tests.conftest import MINIMAL, ROOT

HOSTILE = ROOT / "tests" / "hostile"
TIMED = ROOT / "tests" / "data" / "timed.yaml"

CORPUS = {
    "alias.yaml": "2:4: KP007 alias (*a) används",
    "binary.yaml": "3:1: KP002 filen är ingen textfil (den innehåller nolltecken)",
    "control_character.yaml": "2:1: KP001 otillåtet styrtecken U+0007 i filen",
    "deep.yaml": "1:43: KP008 nästlingen är djupare än 40 nivåer",
    "duplicate_key.yaml": "2:1: KP006 nyckeln `a` finns redan på rad 1",
    "empty.yaml": "1:1: KP004 filen är tom",
    "latin1.yaml": "2:8: KP002 filen är inte giltig UTF-8 (byte 0xe4)",
    "list_root.yaml": "1:1: KP005 filens översta nivå är en lista, inte nycklar",
    "tab.yaml": "2:1: KP003 tabbtecken används för indrag",
    "tag.yaml": "1:4: KP009 taggen `tag:yaml.org,2002:python/object/apply:os.system` är inte tillåten",
    "utf16.yaml": "1:1: KP002 filen är sparad som UTF-16, inte UTF-8",
    "condition_false.yaml": "40:15: KP205 `False` är inget villkor: det är alltid falskt",
    "condition_not_true.yaml": "40:19: KP205 `True` är inget villkor: det är alltid sant",
    "condition_and_false.yaml": "40:36: KP205 `False` är inget villkor: det är alltid falskt",
    "condition_decimal_literal.yaml": "40:15: KP205 `1` är inte tillåtet i ett villkor",  # found by fuzzing
    "mandate_constant.yaml": "70:17: KP205 `False` är inget villkor: det är alltid falskt",
    "lookalike_identifier.yaml": (
        "40:15: KP204 `ｂｅｒｏｒ_kommunerna` är skrivet med tecken som bara liknar vanliga bokstäver"
    ),
    "number_400_digits.yaml": (
        "60:33: KP206 talet `" + "9" * 59 + "…` är för stort; högst 1 000 000 000 000 000 i ett villkor"
    ),
}


def kprocess(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kprocess", *args],
        capture_output=True,
        text=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def first_diagnostic(path: Path) -> str:
    _, diagnostics = analyse_file(path)
    d = diagnostics[0]
    return f"{d.line}:{d.column}: {d.code} {d.message}"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_gives_its_positioned_message(name: str) -> None:
    assert first_diagnostic(HOSTILE / name) == CORPUS[name]


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted([*CORPUS, "negative_literal.yaml"])


def test_corpus_through_the_command_exits_1_without_traceback() -> None:
    done = kprocess("validate", str(HOSTILE))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.count("KP") >= len(CORPUS)


# -- defect: a condition that does not compile never runs ------------------------------------


@pytest.mark.parametrize(
    "name", ["condition_false.yaml", "condition_not_true.yaml", "condition_and_false.yaml", "mandate_constant.yaml"]
)
def test_constant_condition_makes_the_pack_unusable(name: str) -> None:
    pack, diagnostics = analyse_file(HOSTILE / name)
    assert pack is None
    assert [d.code for d in diagnostics if d.severity.name == "error"] == ["KP205"]
    with pytest.raises(PackError):
        load_pack(HOSTILE / name)


def test_constant_condition_stops_simulate_paths_and_mandates() -> None:
    pack = str(HOSTILE / "mandate_constant.yaml")
    for args in (["simulate", pack, "--no-input"], ["paths", pack], ["mandates", pack, "--fact", "ryms_i_budget=ja"]):
        done = kprocess(*args)
        assert (done.returncode, "Traceback" in done.stderr) == (1, False), args
        assert "KP205 `False` är inget villkor: det är alltid falskt" in done.stdout


def test_every_compiler_refusal_is_reported(minimal: RulePack) -> None:
    """Whatever code the compiler gives, validate reports it: nothing is left uncompiled and silent."""
    text = MINIMAL.read_text(encoding="utf-8")
    for condition in ["False", "not True", "x and False", "(", "1 < 2", "beror_kommunerna == 3"]:
        broken = text.replace("      - when: beror_kommunerna\n", f"      - when: {json.dumps(condition)}\n", 1)
        path = HOSTILE.parent / "data" / "_tmp_refusal.yaml"
        try:
            path.write_text(broken, encoding="utf-8")
            pack, diagnostics = analyse_file(path)
        finally:
            path.unlink()
        assert pack is None, condition
        assert [d.line for d in diagnostics if d.code.startswith("KP20")] == [40], condition


# -- exit code 3 -----------------------------------------------------------------------------


def run_main(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    monkeypatch.setattr(sys, "argv", ["kprocess", *argv])
    with pytest.raises(SystemExit) as stopped:
        cli_app.main()
    code = stopped.value.code
    assert isinstance(code, int)
    return code


def broken_validate(paths: Any, output: Any) -> int:
    raise KeyError("oväntat")


def test_internal_error_exits_3_with_one_swedish_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kprocess.cli.validate.run", broken_validate)
    monkeypatch.setitem(cli_app._debug, "on", False)
    assert run_main(monkeypatch, ["validate", str(MINIMAL)]) == 3
    err = capsys.readouterr().err
    assert err == (
        "kprocess: internt fel i kprocess (KeyError: 'oväntat'); det är inte ditt paket som är fel. "
        "Kör igen med `kprocess --debug ...` eller KPROCESS_DEBUG=1 för att se detaljerna, och rapportera felet.\n"
    )


def test_debug_flag_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("kprocess.cli.validate.run", broken_validate)
    monkeypatch.setitem(cli_app._debug, "on", False)
    assert run_main(monkeypatch, ["--debug", "validate", str(MINIMAL)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.splitlines()[-1].startswith("kprocess: internt fel i kprocess (KeyError")


def test_debug_environment_variable_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kprocess.cli.validate.run", broken_validate)
    monkeypatch.setitem(cli_app._debug, "on", False)
    monkeypatch.setenv("KPROCESS_DEBUG", "1")
    assert run_main(monkeypatch, ["validate", str(MINIMAL)]) == 3
    assert capsys.readouterr().err.startswith("Traceback (most recent call last):")


def test_case_file_with_a_list_root_gets_a_neutral_hint() -> None:
    done = kprocess("simulate", str(MINIMAL), "--case", str(HOSTILE / "list_root.yaml"), "--no-input")
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        "tests/hostile/list_root.yaml:1:1: KP005 filens översta nivå är en lista, inte nycklar",
        "    → filen ska bestå av nycklar med värden, "
        "t.ex. `schema_version: 1` i ett regelpaket eller `name:` i ett testfall",
    ]


# -- files that are not regular files ---------------------------------------------------------


@pytest.fixture()
def odd_files(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "good.yaml").write_bytes(MINIMAL.read_bytes())
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "loop1.yaml").symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop1.yaml")
    (tmp_path / "map.yaml").mkdir()
    yield tmp_path


def test_folder_with_fifo_and_symlink_loop_is_reported_not_hung(odd_files: Path) -> None:
    done = kprocess("validate", str(odd_files))
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "KP000" in line]
    assert [line.split(":", 1)[1] for line in lines] == [
        "1:1: KP000 filen kan inte läsas: det är ingen vanlig fil (utan t.ex. en namngiven rörledning eller en enhet)",
        "1:1: KP000 filen kan inte läsas: länken pekar i en cirkel "
        "(en symbolisk länk som till slut leder tillbaka till sig själv)",
        "1:1: KP000 filen kan inte läsas: länken pekar i en cirkel "
        "(en symbolisk länk som till slut leder tillbaka till sig själv)",
        "1:1: KP000 filen kan inte läsas: det är en mapp, inte en fil",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fifo.yaml", "det är ingen vanlig fil (utan t.ex. en namngiven rörledning eller en enhet)"),
        ("map.yaml", "det är en mapp, inte en fil"),
        ("loop1.yaml", "länken pekar i en cirkel (en symbolisk länk som till slut leder tillbaka till sig själv)"),
    ],
)
def test_odd_file_given_as_a_pack_is_a_usage_error(odd_files: Path, name: str, message: str) -> None:
    done = kprocess("simulate", str(odd_files / name), "--no-input")
    assert (done.returncode, done.stderr) == (2, f"kprocess: {odd_files / name}: {message}\n")


def test_device_is_not_called_missing() -> None:
    done = kprocess("paths", "/dev/zero")
    assert (done.returncode, done.stderr) == (
        2,
        "kprocess: /dev/zero: det är ingen vanlig fil (utan t.ex. en namngiven rörledning eller en enhet)\n",
    )


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (
            ["rapport_manader=100000", "--start", "2026-01-01"],
            "datumet efter 2026-02-15 hamnar utanför kalendern (efter år 9999); "
            "kontrollera startdatumet och svaren som anger tider i månader",
        ),
        (
            ["rapport_manader=3", "--start", "9999-12-01"],
            "datumet efter 9999-12-01 hamnar utanför kalendern (efter år 9999); "
            "kontrollera startdatumet och svaren som anger tider i månader",
        ),
        (
            ["rapport_manader=-3", "--start", "2026-01-01"],
            "`rapport_manader` är -3 månader; en väntetid kan inte vara negativ "
            "(ett steg kan inte ske före steget innan)",
        ),
        (
            ["rapport_manader=1e999", "--start", "2026-01-01"],
            "`rapport_manader` besvaras med ett tal mellan -1 000 000 000 000 000 och 1 000 000 000 000 000, "
            "inte `1e999`",
        ),
        (
            ["rapport_manader=nan"],
            "`rapport_manader` besvaras med ett tal mellan -1 000 000 000 000 000 och 1 000 000 000 000 000, "
            "inte `nan`",
        ),
    ],
)
def test_dates_and_numbers_out_of_range_are_usage_errors(facts: list[str], message: str) -> None:
    first, *rest = facts
    done = kprocess("simulate", str(TIMED), "--fact", first, *rest, "--no-input")
    assert (done.returncode, done.stderr) == (2, f"kprocess: {message}\n")


def test_date_overflow_is_a_run_error_for_the_library() -> None:
    from datetime import date

    pack = load_pack(TIMED)
    with pytest.raises(RunError) as caught:
        run_case(pack, {"rapport_manader": 100000}, start=date(2026, 1, 1))
    assert str(caught.value).startswith("datumet efter 2026-02-15 hamnar utanför kalendern")


def test_golden_case_with_a_date_overflow_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "timed.yaml").write_bytes(TIMED.read_bytes())
    cases = tmp_path / "cases" / "timed"
    cases.mkdir(parents=True)
    (cases / "a_overflow.yaml").write_text(
        "name: långt fram\nstart: 2026-01-01\nanswers: {rapport_manader: 100000}\nexpect: {status: completed}\n",
        encoding="utf-8",
    )
    (cases / "b_ok.yaml").write_text(
        "name: vanligt\nstart: 2026-01-01\nanswers: {rapport_manader: 6}\nexpect: {status: completed}\n",
        encoding="utf-8",
    )
    done = kprocess("test", str(tmp_path / "timed.yaml"))
    assert done.returncode == 1
    assert "ärendet kunde inte köras: datumet efter 2026-02-15 hamnar utanför kalendern" in done.stdout
    assert done.stdout.splitlines()[-3].startswith("ok")
    assert done.stdout.splitlines()[-3].endswith("b_ok.yaml: vanligt")


# -- answers and facts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (
            ["beror_kommunerna=ja", "beror_kommunerna=nej"],
            "`beror_kommunerna` är angiven mer än en gång; ge frågan ett svar, eller flera i ordning med komma: "
            "`fraga=ja,nej`",
        ),
        (
            ["beror_kommunerna[Alfa]=ja"],
            "`beror_kommunerna` besvaras inte per part; skriv `beror_kommunerna=...` utan `[Alfa]`",
        ),
        (
            ["x" * 5000 + "=ja"],
            "`" + "x" * 59 + "…` är inget fråge-id; skriv t.ex. `beror_kommunerna=ja` eller `fraga[Timrå]=nej`",
        ),
    ],
)
def test_fact_mistakes_are_usage_errors(facts: list[str], message: str) -> None:
    args = [arg for fact in facts for arg in ("--fact", fact)]
    done = kprocess("simulate", str(MINIMAL), *args, "--no-input")
    assert (done.returncode, done.stderr) == (2, f"kprocess: {message}\n")


def test_fact_with_batch_is_a_usage_error(tmp_path: Path) -> None:
    done = kprocess("simulate", str(MINIMAL), "--batch", "-", "--fact", "beror_kommunerna=ja", stdin="")
    assert (done.returncode, done.stderr) == (
        2,
        "kprocess: --fact kan inte användas med --batch: ge svar, start och flöde på varje rad i filen\n",
    )


# -- conditions ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def numbers() -> Catalog:
    tal = Question.model_validate({"id": "tal", "text": "Tal?", "type": "number"})
    ja = Question.model_validate({"id": "beror", "text": "Berör?", "type": "yesno"})
    return Catalog({"tal": tal, "beror": ja})


@pytest.mark.parametrize(
    ("text", "answer", "expected"), [("tal > -1", 0.0, True), ("tal > -1", -2.0, False), ("tal >= +2", 2.0, True)]
)
def test_signed_literals_compare(numbers: Catalog, text: str, answer: float, expected: bool) -> None:
    condition = compile_condition(text, numbers)
    assert condition({"tal": answer}.__getitem__) is expected


@pytest.mark.parametrize(
    ("text", "code", "column", "message"),
    [
        ("tal > 1e999", "KP206", 6, "talet `1e999` är för stort; högst 1 000 000 000 000 000 i ett villkor"),
        ("tal < -1e16", "KP206", 6, "talet `-1e16` är för stort; högst 1 000 000 000 000 000 i ett villkor"),
        ("tal > 1" + "0" * 5000, "KP205", 0, "villkoret är 5007 tecken långt; högst 1000 läses"),
        ("not " * 249 + "beror", "KP205", 0, None),
        ("ｂｅｒｏｒ", "KP204", 0, "`ｂｅｒｏｒ` är skrivet med tecken som bara liknar vanliga bokstäver"),
        ("beror and 𝐭𝐚𝐥 > 1", "KP204", 10, "`𝐭𝐚𝐥` är skrivet med tecken som bara liknar vanliga bokstäver"),
        ("  beror and False", "KP205", 12, "`False` är inget villkor: det är alltid falskt"),
        ("beror == '" + "a" * 300 + "'", "KP206", 9, None),
    ],
)
def test_condition_refusals_are_positioned_and_bounded(
    numbers: Catalog, text: str, code: str, column: int, message: str | None
) -> None:
    try:
        compile_condition(text, numbers)
    except ConditionError as error:
        assert (error.code, error.column) == (code, column)
        if message is not None:
            assert error.message == message
        assert len(error.message) < 200
    else:
        assert message is None and code == "KP205"  # 249 `not`s are allowed: still readable


def test_lookalike_hint_gives_the_ascii_spelling(numbers: Catalog) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition("ｂｅｒｏｒ", numbers)
    assert caught.value.hint == "skriv `beror` med vanliga bokstäver (a–z, 0–9, _)"


def test_negative_literal_pack_validates() -> None:
    pack, diagnostics = analyse_file(HOSTILE / "negative_literal.yaml")
    assert (pack is not None, diagnostics) == (True, [])


# -- size bounds -----------------------------------------------------------------------------


def test_node_count_is_bounded() -> None:
    raw = b"notes:\n" + b"".join(b"  - x\n" for _ in range(MAX_NODES + 10))
    with pytest.raises(PackError) as caught:
        parse_bytes(raw, "p.yaml")
    [d] = caught.value.diagnostics
    assert (d.code, d.line, d.message) == (
        "KP010",
        MAX_NODES,
        "filen har fler än 250 000 värden; så många läses inte",
    )


def test_node_count_at_the_bound_is_read() -> None:
    raw = b"notes:\n" + b"".join(b"  - x\n" for _ in range(MAX_NODES - 2))
    assert len(parse_bytes(raw, "p.yaml").data["notes"]) == MAX_NODES - 2


def test_repeated_diagnostics_are_capped_and_summarised(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8") + "".join(f"k{i}: 1\n" for i in range(1000)), encoding="utf-8")
    _, diagnostics = analyse_file(path)
    unknown = [d for d in diagnostics if d.code == "KP101"]
    assert len(unknown) == MAX_PER_CODE + 1
    assert [d.message for d in unknown if d.message.startswith("…")] == ["… och 900 fler KP101 i filen som inte visas"]


# -- batch -----------------------------------------------------------------------------------


BATCH_LINES: list[tuple[bytes, dict[str, Any]]] = [
    (
        b'{"answers": []}',
        {"id": 1, "line": 1, "error": "`answers` ska vara ett JSON-objekt med fråga och svar, inte en lista"},
    ),
    (
        b'{"answers": "ja"}',
        {"id": 2, "line": 2, "error": "`answers` ska vara ett JSON-objekt med fråga och svar, inte en text"},
    ),
    (
        b'{"answers": null}',
        {"id": 3, "line": 3, "error": "`answers` ska vara ett JSON-objekt med fråga och svar, inte null"},
    ),
    (
        b'{"answers": {}, "start": 20260101}',
        {"id": 4, "line": 4, "error": "`start` ska vara ett datum som text, ÅÅÅÅ-MM-DD, inte ett tal"},
    ),
    (b"[" * 100_000 + b"]" * 100_000, {"id": None, "line": 5, "error": "rad 5 är nästlad för djupt"}),
    (
        b'{"answers": {"beror_kommunerna": "\xff"}}',
        {"id": None, "line": 6, "error": "rad 6 är inte giltig UTF-8 (byte 0xff vid byte 35); spara filen som UTF-8"},
    ),
    (b"not json", {"id": None, "line": 7, "error": "rad 7 är inte JSON: Expecting value (tecken 1)"}),
    (
        b'{"id": 9}',
        {"id": 9, "line": 8, "error": 'raden saknar `answers`; skriv {"answers": {}} för ett ärende utan svar'},
    ),
    (
        b'{"answers": {"beror_kommunerna": NaN}}',
        {"id": None, "line": 9, "error": "rad 9 har ett ogiltigt värde: NaN är inget tal i JSON"},
    ),
    (
        b'{"answers": {"beror_kommunerna": {"x": 1}}}',
        {"id": 10, "line": 10, "error": "`beror_kommunerna` besvaras med ja eller nej, inte med en samling nycklar"},
    ),
    (
        b'{"answers": {"beror_kommunerna": "nej"}}',
        {
            "id": 11,
            "status": "handed_over",
            "path": ["remiss", "regionrutin"],
            "decisions": [["remiss", None, False, "lpo"]],
        },
    ),
    (
        b'{"answer": {}}',
        {"id": 12, "line": 12, "error": "okänd nyckel `answer` på raden; tillåtna: id, answers, flow, start"},
    ),
    (
        b'{"answers": {"x": "' + b"a" * (MAX_LINE + 10) + b'"}}',
        {"id": None, "line": 13, "error": "rad 13 är längre än 1024 kB och läses inte"},
    ),
]


def test_batch_reports_every_bad_line_and_goes_on(minimal: RulePack) -> None:
    import io

    stream = io.BytesIO(b"\n".join(line for line, _ in BATCH_LINES) + b"\n")
    results = list(run_batch(minimal, read_jsonl(stream)))
    assert results == [expected for _, expected in BATCH_LINES]


def test_batch_command_exits_1_and_writes_strict_json(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(b"\n".join(line for line, _ in BATCH_LINES) + b"\n")
    done = kprocess("simulate", str(MINIMAL), "--batch", str(cases))
    assert done.returncode == 1
    assert [json.loads(line, parse_constant=pytest.fail) for line in done.stdout.splitlines()] == [
        expected for _, expected in BATCH_LINES
    ]
    assert done.stderr == 'kprocess: 12 ärenden kunde inte köras (se "error" i utdata)\n'


# -- paths and mandates stay bounded ---------------------------------------------------------


def wide_pack(tmp_path: Path, branch_steps: int, sequence: int = 0) -> Path:
    """Two parallel branches of `branch_steps` yes/no steps each, then `sequence` more decisions."""
    head = MINIMAL.read_text(encoding="utf-8").split("flows:")[0]
    questions = "".join(
        f"  - {{id: q{b}_{i}, text: 'Fråga {b} {i}', type: yesno}}\n" for b in "ab" for i in range(branch_steps)
    ) + "".join(f"  - {{id: s{i}, text: 'Fråga s {i}', type: yesno}}\n" for i in range(sequence))
    steps = [
        "  - {id: start, name: Start, phase: remiss, actor: lpo, source: 001 steg 1, parallel: [a0, b0]}",
    ]
    for b in "ab":
        for i in range(branch_steps):
            after = f"{b}{i + 1}" if i + 1 < branch_steps else "samlas"
            steps.append(
                f"  - {{id: {b}{i}, name: Steg {b}{i}, phase: remiss, actor: lpo, source: 001 steg 1, "
                f"decision: {{question: q{b}_{i}, by: lpo, informational: test}}, "
                f"routes: [{{when: q{b}_{i}, to: {after}}}, {{otherwise: {after}}}]}}"
            )
    first = "s0" if sequence else "slut"
    steps.append(
        f"  - {{id: samlas, name: Samlas, phase: beslut, actor: lpo, source: 001 steg 1, join: start, next: {first}}}"
    )
    for i in range(sequence):
        after = f"s{i + 1}" if i + 1 < sequence else "slut"
        steps.append(
            f"  - {{id: s{i}, name: Sekvens {i}, phase: beslut, actor: lpo, source: 001 steg 1, "
            f"decision: {{question: s{i}, by: lpo, informational: test}}, "
            f"routes: [{{when: s{i}, to: {after}}}, {{otherwise: {after}}}]}}"
        )
    steps.append("  - {id: slut, name: Slut, phase: beslut, actor: lpo, source: 001 steg 1, end: completed}")
    head = head.replace("questions:\n", "questions:\n" + questions)
    text = head + "flows:\n  - {id: huvudflode, name: Huvudflöde, start: start}\nsteps:\n" + "\n".join(steps) + "\n"
    path = tmp_path / "wide.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_limit_bounds_parallel_branches(tmp_path: Path) -> None:
    pack = load_pack(wide_pack(tmp_path, 16))
    report = flow_paths(pack, "huvudflode", limit=3)
    assert (len(report.paths), report.truncated) == (3, True)
    assert report.paths[0].steps[:3] == ("start", "a0", "b0")


def test_mandates_answer_a_long_sequence_from_the_walk(tmp_path: Path) -> None:
    pack = load_pack(wide_pack(tmp_path, 2, sequence=40))
    found = reach(pack, {"s0": True})
    assert found.complete is False  # 2^40 ways on: the walk stops at its budget ...
    assert {"s0", "s1", "s39", "slut", "a0", "b1"} <= found.steps  # ... but has seen every step
    assert found.steps == frozenset(pack.steps)


def test_mandates_say_when_the_answer_is_partial(tmp_path: Path) -> None:
    path = wide_pack(tmp_path, 2, sequence=40)
    done = kprocess("mandates", str(path), "--json", "--fact", "s0=ja")
    rows = {row["step"]: row["reached"] for row in json.loads(done.stdout)}
    assert (done.returncode, rows["s0"], rows["s39"]) == (0, True, True)
