"""`kprocess diff` in English: every sentence, the test cases it reroutes and the summary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kprocess import i18n
from tests.test_diff import change_orebro, copy, invoke

__all__ = ["copy"]  # the fixture, used by name

ENGLISH = [
    "Örebro län: regions/orebro.yaml → orebro_ny.yaml",
    "  – The routes from the step `remiss_vof` have changed: with beror_kommunerna=ja, kraver_politiskt_beslut=ja "
    "the case now goes to `remiss_sammanstalls` instead of `remiss_kommunala_natverk`.",
    "  – The mandate in the step `kommun_beslut` has moved: with kraver_politiskt_beslut=ja Kommunens förvaltning "
    "(decision) now decides instead of Socialnämnden (decision).",
    "Test cases:",
    "  ! The test case 03_kommuner_politiskt_samverkansradet takes another path in the new pack: after `remiss_vof` "
    "it now goes to `remiss_sammanstalls` instead of `remiss_kommunala_natverk`.",
    "  ! The test case 22_rmks_bereder_kommunerna takes another path in the new pack: after `remiss_vof` it now goes "
    "to `remiss_sammanstalls` instead of `remiss_kommunala_natverk`.",
    "2 changes in meaning, 2 test cases take another path or cannot be run.",
]


@pytest.fixture(autouse=True)
def _swedish_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("sv")


def test_diff_in_english(copy: Path) -> None:
    new = copy / "orebro_ny.yaml"
    new.write_text(change_orebro((copy / "regions/orebro.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    assert invoke("--lang", "en", "diff", "regions/orebro.yaml", "orebro_ny.yaml") == (0, "\n".join(ENGLISH) + "\n")
    same = invoke("--lang", "en", "diff", "regions/orebro.yaml", "regions/orebro.yaml")
    assert same == (0, "Örebro län: regions/orebro.yaml → regions/orebro.yaml\nNo change in meaning.\n")
    markdown = invoke("--lang", "en", "diff", "regions/orebro.yaml", "orebro_ny.yaml", "--format", "markdown")[1]
    assert markdown.splitlines()[2:4] == [
        "> [!WARNING]",
        "> Test cases that take another path or cannot be run in the new pack:",
    ]


def test_diff_usage_error_in_english(copy: Path) -> None:
    assert invoke("--lang", "en", "diff", "regions", "regions/orebro.yaml") == (2, "regions is not a file")
