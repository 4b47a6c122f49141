"""The fuzz targets replay their seed corpus: every input is taken or refused the documented way."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from kprocess.conditions import ConditionError, compile_condition
from kprocess.pack import RulePack
from tests.fuzz.targets import TARGETS

CORPUS = Path(__file__).parent / "fuzz" / "corpus"
SEEDS = sorted(p for p in CORPUS.glob("*/*") if p.is_file())


def test_every_target_has_seeds() -> None:
    assert sorted({p.parent.name for p in SEEDS}) == sorted(TARGETS)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seed_is_taken_or_refused(seed: Path) -> None:
    TARGETS[seed.parent.name](seed.read_bytes())


def test_number_glued_to_a_word_is_refused_without_a_python_warning(minimal: RulePack) -> None:
    """Found by fuzzing: `1and x` made Python print a SyntaxWarning on stderr before the refusal."""
    with warnings.catch_warnings(record=True) as caught, pytest.raises(ConditionError) as refused:
        warnings.simplefilter("always")
        compile_condition("1and beror_kommunerna", minimal.catalog)
    assert (caught, refused.value.code, str(refused.value)) == ([], "KP205", "`1` är inte tillåtet i ett villkor")
