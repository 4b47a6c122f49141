"""The three county packs validate clean and their golden cases produce the expected runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kprocess.golden import case_files, run_golden
from kprocess.pack import analyse_file, load_pack
from kprocess.paths import coverage
from tests.conftest import PACKS

COUNTIES = {"orebro", "vasternorrland", "blekinge"}
CASES = [(pack, case) for pack in PACKS for case in case_files(pack, pack.stem)]


def test_every_county_has_a_pack() -> None:
    assert {p.stem for p in PACKS} == COUNTIES


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_pack_validates_clean(pack: Path) -> None:
    loaded, diagnostics = analyse_file(pack)
    assert [d.location() + " " + d.message for d in diagnostics] == []
    assert loaded is not None and loaded.model.id == pack.stem


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_at_least_eight_golden_cases(pack: Path) -> None:
    assert len(case_files(pack, pack.stem)) >= 8


@pytest.mark.parametrize(("pack", "case"), CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_case(pack: Path, case: Path) -> None:
    outcome = run_golden(load_pack(pack), case)
    assert outcome.failures == []


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_golden_cases_cover_every_route(pack: Path) -> None:
    loaded = load_pack(pack)
    outcomes = [run_golden(loaded, case) for case in case_files(pack, pack.stem)]
    covered = coverage(
        loaded, [({e.step for e in o.result.trace}, o.result.routes_taken()) for o in outcomes if o.result]
    )
    assert covered.missing_routes() == []
    assert covered.missing_steps() == []


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_every_municipality_is_a_party(pack: Path) -> None:
    expected = {
        "orebro": {
            "Askersund",
            "Degerfors",
            "Hallsberg",
            "Hällefors",
            "Karlskoga",
            "Kumla",
            "Laxå",
            "Lekeberg",
            "Lindesberg",
            "Ljusnarsberg",
            "Nora",
            "Örebro",
        },
        "vasternorrland": {"Härnösand", "Kramfors", "Sollefteå", "Sundsvall", "Timrå", "Ånge", "Örnsköldsvik"},
        "blekinge": {"Karlskrona", "Ronneby", "Karlshamn", "Sölvesborg", "Olofström"},
    }
    assert set(load_pack(pack).model.parties.municipalities) == expected[pack.stem]
