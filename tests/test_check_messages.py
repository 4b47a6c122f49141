"""Each check's failing fixture gives exactly the diagnostics a user reads: place, code, message, hint.

The expected lines are in tests/checks/messages.txt, one per diagnostic, as
`KPnnn/fail.yaml:LINE:COLUMN: CODE message → hint`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kprocess.checks import REGISTRY
from kprocess.pack import analyse_file

CASES = Path(__file__).parent / "checks"
EXPECTED = (CASES / "messages.txt").read_text(encoding="utf-8").splitlines()


def shown(code: str) -> list[str]:
    """The diagnostics of `code`'s failing fixture, one line each."""
    _, diagnostics = analyse_file(CASES / code / "fail.yaml")
    return [f"{code}/fail.yaml:{d.line}:{d.column}: {d.code} {d.message} → {d.hint}" for d in diagnostics]


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_failing_fixture_reads_as_expected(code: str) -> None:
    assert shown(code) == [line for line in EXPECTED if line.startswith(f"{code}/")]


def test_every_expected_line_belongs_to_a_check() -> None:
    assert sorted({line.split("/", 1)[0] for line in EXPECTED}) == sorted(REGISTRY)
