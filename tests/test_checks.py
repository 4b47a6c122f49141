"""Every semantic check: documented, a failing case that it catches at the right line, a passing case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kprocess.checks import REGISTRY
from kprocess.pack import analyse_file

CASES = Path(__file__).parent / "checks"
MARK = re.compile(r"#\s*förväntat:\s*(KP\d+)")


def expected(path: Path) -> set[tuple[str, int]]:
    """(code, line) pairs marked with `# förväntat: KPnnn` in a fixture."""
    return {
        (match[1], number)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if (match := MARK.search(line))
    }


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_check_is_documented_with_examples(code: str) -> None:
    check = REGISTRY[code]
    assert code in check.doc
    assert "Fails::" in check.doc and "Passes::" in check.doc
    assert (CASES / code / "fail.yaml").is_file() and (CASES / code / "pass.yaml").is_file()


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_failing_case_is_reported_at_the_marked_line(code: str) -> None:
    fixture = CASES / code / "fail.yaml"
    _, diagnostics = analyse_file(fixture)
    found = {(d.code, d.line) for d in diagnostics}
    assert found == expected(fixture)
    assert all(d.hint for d in diagnostics if d.code == code)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_passing_case_is_clean(code: str) -> None:
    pack, diagnostics = analyse_file(CASES / code / "pass.yaml")
    assert diagnostics == []
    assert pack is not None


def test_every_fixture_folder_belongs_to_a_check() -> None:
    assert {p.name for p in CASES.iterdir() if p.is_dir()} == set(REGISTRY)


def test_unknown_key_gets_did_you_mean(tmp_path: Path) -> None:
    text = (CASES / "KP201" / "pass.yaml").read_text(encoding="utf-8").replace("    handed_to:", "    handed_too:")
    broken = tmp_path / "p.yaml"
    broken.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(broken)
    [unknown] = [d for d in diagnostics if d.code == "KP101"]
    assert unknown.hint == "menade du `handed_to`?"
    assert (unknown.line, unknown.column) == (49, 5)


def test_all_problems_are_reported_together_and_sorted(tmp_path: Path) -> None:
    text = (CASES / "KP201" / "pass.yaml").read_text(encoding="utf-8")
    text = text.replace("    actor: vc\n", "    actor: vcc\n").replace("    handed_to:", "    handed_too:")
    text = text.replace("    source: 001 steg 7\n", "")
    broken = tmp_path / "p.yaml"
    broken.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(broken)
    assert {d.code for d in diagnostics} == {"KP101", "KP202", "KP309"}
    assert diagnostics == sorted(diagnostics)


def test_invalid_id_explains_the_rule(tmp_path: Path) -> None:
    text = (CASES / "KP201" / "pass.yaml").read_text(encoding="utf-8").replace("id: klart", "id: Klart steg")
    broken = tmp_path / "p.yaml"
    broken.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(broken)
    assert any(d.code == "KP103" and "inget giltigt id" in d.message for d in diagnostics)


def test_newer_schema_version_is_named(tmp_path: Path) -> None:
    text = (CASES / "KP201" / "pass.yaml").read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2")
    broken = tmp_path / "p.yaml"
    broken.write_text(text, encoding="utf-8")
    _, diagnostics = analyse_file(broken)
    assert [(d.code, d.line) for d in diagnostics] == [("KP011", 2)]
