"""Shared fixtures: paths to the packs and a loaded minimal pack."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kprocess
from kprocess.pack import RulePack, load_pack

SOURCE = Path(kprocess.__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _mutated_subprocesses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mutmut run`, a test's `python -m kprocess` runs the mutant under test too."""
    if SOURCE.parent.name == "mutants" and "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", ""):
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")])))


# The validate cache keys on file and source bytes; a mutation tool switching mutants at run time
# would get answers of another mutant from it. The cache's own tests turn it on (tests/test_cache.py).
os.environ["KPROCESS_NO_CACHE"] = "1"
# Output is Swedish unless English is asked for; a machine whose locale is English must not change
# what the exact-output tests see (tests/test_i18n.py sets the language itself).
os.environ["KPROCESS_LANG"] = "sv"

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "regions"
PACKS = sorted(REGIONS.glob("*.yaml"))
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
CONSTRUCTS = ROOT / "tests" / "data" / "constructs.yaml"


@pytest.fixture(scope="session")
def minimal() -> RulePack:
    """The small test pack in tests/data."""
    return load_pack(MINIMAL)
