"""What `kprocess paths` lists: each path's steps, end, status and conditions; loops; the limit; coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from kprocess.engine import run_case
from kprocess.pack import RulePack, load_pack
from kprocess.paths import all_routes, coverage, flow_paths, reach, reachable_steps
from tests.conftest import CONSTRUCTS, ROOT

MAIN = ("remiss", "analys", "region_beslut", "kommunbeslut", "samordning", "klart")


@pytest.fixture(scope="module")
def constructs() -> RulePack:
    return load_pack(CONSTRUCTS)


def test_each_path_of_the_minimal_pack(minimal: RulePack) -> None:
    report = flow_paths(minimal, "huvudflode")
    assert [(p.steps, p.end, p.status, p.conditions, p.example) for p in report.paths] == [
        (
            MAIN,
            "klart",
            "completed",
            (("beror_kommunerna", True), ("komplettera", False)),
            {"beror_kommunerna": True, "komplettera": False},
        ),
        (
            ("remiss", "regionrutin"),
            "regionrutin",
            "handed_over",
            (("beror_kommunerna", False),),
            {"beror_kommunerna": False},
        ),
    ]
    assert [(loop.step, loop.target, loop.max_times) for loop in report.loops] == [("analys", "analys", 3)]
    assert (report.flow, report.truncated) == ("huvudflode", False)


@pytest.mark.parametrize(("limit", "listed", "truncated"), [(1, 1, True), (3, 2, False), (1000, 2, False)])
def test_the_limit_bounds_the_listing(minimal: RulePack, limit: int, listed: int, truncated: bool) -> None:
    report = flow_paths(minimal, "huvudflode", limit=limit)
    assert (len(report.paths), report.truncated) == (listed, truncated)
    assert report.paths[0].steps == MAIN


def test_a_flow_with_exactly_limit_paths_is_complete(minimal: RulePack) -> None:
    assert flow_paths(minimal, "huvudflode", limit=2).truncated is False
    assert flow_paths(minimal, "huvudflode", limit=1).truncated is True


def test_every_way_through_a_pack_with_parks_calls_fan_outs_and_derived_questions(constructs: RulePack) -> None:
    report = flow_paths(constructs, "huvudflode")
    statuses: dict[str, int] = {}
    for path in report.paths:
        statuses[path.status] = statuses.get(path.status, 0) + 1
    assert (len(report.paths), report.truncated) == (34, False)
    assert statuses == {"ongoing": 16, "stopped": 16, "parked": 1, "handed_over": 1}
    assert len({p.steps for p in report.paths}) == 34
    assert report.paths[-1].steps == ("omfattning", "till_radet")
    assert report.paths[-1].conditions == (("inom_omradet", False),)
    parked = [p for p in report.paths if p.status == "parked"]
    assert [(p.steps, p.conditions) for p in parked] == [
        (
            ("omfattning", "prioritering", "parkerad"),
            (("inom_omradet", True), ("lpo_har_resurser", False), ("lpo_tar_upp_igen", False)),
        )
    ]
    longest = max(report.paths, key=lambda p: len(p.steps))
    assert longest.steps == (
        "omfattning",
        "prioritering",
        "parkerad",
        "arbetsgrupp",
        "starta_lag",
        "lag_utses",
        "kommunerna_nominerar",
        "nomineringar_samlas",
        "lag_klar",
        "beslut",
        "ledning_beslutar",
        "tandvard_beslutar",
        "kommun_beslutar",
        "kommunerna_klara",
        "besluten_samlas",
        "arlig_uppfoljning",
    )
    called = flow_paths(constructs, "ny_arbetsgrupp")
    assert [(p.steps, p.status) for p in called.paths] == [
        (("lag_utses", "kommunerna_nominerar", "nomineringar_samlas", "lag_klar"), "completed")
    ]


def test_coverage_counts_steps_and_routes_taken(minimal: RulePack) -> None:
    assert all_routes(minimal) == {("remiss", 0), ("remiss", 1), ("analys", 0), ("analys", 1)}
    handed = coverage(minimal, [({"remiss", "regionrutin"}, {("remiss", 1)})])
    assert (handed.route_percent, round(handed.step_percent, 2)) == (25.0, 28.57)
    assert handed.missing_steps() == ["analys", "region_beslut", "kommunbeslut", "samordning", "klart"]
    assert handed.missing_routes() == [("remiss", 0), ("analys", 0), ("analys", 1)]
    both = coverage(
        minimal,
        [
            ({"remiss", "regionrutin"}, {("remiss", 1)}),
            (set(MAIN), {("remiss", 0), ("analys", 0), ("analys", 1)}),
        ],
    )
    assert (both.route_percent, both.step_percent, both.missing_steps(), both.missing_routes()) == (
        100.0,
        100.0,
        [],
        [],
    )
    none = coverage(minimal, [])
    assert (none.route_percent, none.step_percent) == (0.0, 0.0)


def test_steps_a_case_can_still_reach_given_what_is_known(minimal: RulePack) -> None:
    assert reachable_steps(minimal, {"beror_kommunerna": False}) == {"remiss", "regionrutin"}
    assert reachable_steps(minimal, {"beror_kommunerna": True}) == set(MAIN)
    assert reachable_steps(minimal, {}) == {*MAIN, "regionrutin"}
    found = reach(minimal, {"beror_kommunerna": True, "ryms_i_budget": False})
    assert (found.steps, found.complete) == (frozenset(MAIN), True)


@pytest.mark.parametrize(
    ("resume_when", "listed", "parked_paths"),
    [
        ("lpo_tar_upp_igen", 34, [("omfattning", "prioritering", "parkerad")]),
        ("not lpo_har_resurser", 33, []),  # parked because it has no resources: it always resumes
        ("lpo_har_resurser", 18, [("omfattning", "prioritering", "parkerad")]),  # it never resumes
    ],
)
def test_a_parked_case_stays_or_resumes_only_as_the_answers_allow(
    tmp_path: Path, resume_when: str, listed: int, parked_paths: list[tuple[str, ...]]
) -> None:
    text = CONSTRUCTS.read_text(encoding="utf-8")
    variant = tmp_path / "p.yaml"
    variant.write_text(text.replace("      when: lpo_tar_upp_igen\n", f"      when: {resume_when}\n"), encoding="utf-8")
    report = flow_paths(load_pack(variant), "huvudflode")
    assert len(report.paths) == listed
    assert [p.steps for p in report.paths if p.status == "parked"] == parked_paths


def test_a_branch_that_calls_a_flow_interleaves_as_the_engine_runs_it() -> None:
    pack = load_pack(ROOT / "tests" / "data" / "engine" / "parallel_call.yaml")
    rounds = ("start", "anrop", "svar_a", "underlag", "svar_b", "underlag_klart", "svar_c", "samla")
    report = flow_paths(pack, "huvudflode")
    assert [(p.steps, p.status) for p in report.paths] == [
        ((*rounds, "klart"), "completed"),
        ((*rounds, "avbrutet"), "stopped"),
    ]
    assert [run_case(pack, {"igen": answer}).path() for answer in ("ja", "nej")] == [
        list(p.steps) for p in report.paths
    ]
