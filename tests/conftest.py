"""Shared fixtures: paths to the packs and a loaded minimal pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from kprocess.pack import RulePack, load_pack

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "regions"
PACKS = sorted(REGIONS.glob("*.yaml"))
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
CONSTRUCTS = ROOT / "tests" / "data" / "constructs.yaml"


@pytest.fixture(scope="session")
def minimal() -> RulePack:
    """The small test pack in tests/data."""
    return load_pack(MINIMAL)
