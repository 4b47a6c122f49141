"""Shared fixtures: paths to the packs and a loaded minimal pack."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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

IN_CI = os.environ.get("CI", "") not in ("", "false", "0")
NO_GRAPHVIZ = shutil.which("dot") is None
GRAPHVIZ_MISSING = ("Graphviz (`dot`)", "ExecutableNotFound")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Process maps are laid out by Graphviz's `dot`, a program outside Python: on a machine without
    it (the README's Quick start needs only Python) a test that failed for that reason is skipped,
    saying how to install it. In CI (`.ci/run` installs Graphviz) it stays a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and NO_GRAPHVIZ and not IN_CI and any(m in str(report.longrepr) for m in GRAPHVIZ_MISSING):
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            "Skipped: Graphviz (`dot`) saknas: `apt-get install graphviz`",
        )


ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "regions"
PACKS = sorted(REGIONS.glob("*.yaml"))
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
CONSTRUCTS = ROOT / "tests" / "data" / "constructs.yaml"


@pytest.fixture(scope="session")
def minimal() -> RulePack:
    """The small test pack in tests/data."""
    return load_pack(MINIMAL)
