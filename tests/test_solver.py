"""The answer solver behind `paths`, `mandates --fact` and `diff`: answers exist exactly when it finds them.

`checks.base.solve` is compared with trying every representative answer (the same representatives
the checks use: both yes/no answers, every option, and for a number one value around and between
each constant it is compared with). Answers where all(q) holds but any(q) does not are no answers.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest

from kprocess.checks.base import assignments, domain, first_gap, overlaps, satisfiable, solve
from kprocess.conditions import Condition, Value, compile_condition
from kprocess.pack import RulePack, load_pack
from tests.conftest import ROOT

POOL = [
    "beror_kommunerna",
    "not beror_kommunerna",
    "beror_kommunerna and ryms_i_budget",
    "ryms_i_budget or storre_process",
    "not (storre_process and beror_kommunerna)",
    "programomrade == 'tandvard'",
    "programomrade in ['tandvard', 'akut_vard'] and ryms_i_budget",
    "vantan_manader >= 6",
    "vantan_manader < 3 or storre_process",
    "vantan_manader > 6 and vantan_manader <= 12",
    "all(kommun_beslut) and not storre_process",
    "inom_omradet",
]


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(ROOT / "tests" / "data" / "constructs.yaml")


def compiled(pack: RulePack, text: str) -> Condition:
    return compile_condition(text, pack.catalog)


def brute_force(pack: RulePack, constraints: list[tuple[Condition, bool]]) -> bool:
    """Whether some coherent representative answers give every condition its wanted value."""
    names = sorted(set().union(*(c.questions for c, _ in constraints)))
    numbers: dict[str, set[float]] = {}
    for condition, _ in constraints:
        for name, values in condition.numbers.items():
            numbers.setdefault(name, set()).update(values)
    domains = [domain(pack.question(n), numbers.get(n, ())) for n in names]
    for combo in itertools.product(*domains):
        answers = dict(zip(names, combo, strict=True))
        if answers.get("all(kommun_beslut)") is True and answers.get("any(kommun_beslut)") is False:
            continue
        if all(c(answers.__getitem__) is want for c, want in constraints):
            return True
    return False


def check(pack: RulePack, constraints: list[tuple[Condition, bool]]) -> None:
    found = solve(pack, constraints)
    assert (found is not None) == brute_force(pack, constraints)
    if found is not None:
        assert set(found) == set().union(*(c.questions for c, _ in constraints))
        assert all(c(found.__getitem__) is want for c, want in constraints)


@pytest.mark.parametrize("seed", range(40))
def test_solve_finds_answers_exactly_when_there_are_some(pack: RulePack, seed: int) -> None:
    draw = random.Random(seed)
    texts = draw.sample(POOL, draw.randint(1, 5))
    check(pack, [(compiled(pack, t), draw.random() < 0.6) for t in texts])


@pytest.mark.parametrize("seed", range(40))
def test_satisfiable_is_what_trying_every_answer_finds(pack: RulePack, seed: int) -> None:
    draw = random.Random(seed)
    constraints = [(compiled(pack, t), draw.random() < 0.6) for t in draw.sample(POOL, draw.randint(1, 4))]
    assert satisfiable(pack, constraints) is brute_force(pack, constraints)


def test_a_contradiction_several_steps_deep_has_no_answers(pack: RulePack) -> None:
    constraints = [
        (compiled(pack, "beror_kommunerna or ryms_i_budget"), True),
        (compiled(pack, "not beror_kommunerna"), True),
        (compiled(pack, "ryms_i_budget and storre_process"), False),
        (compiled(pack, "storre_process or beror_kommunerna"), True),
    ]
    assert solve(pack, constraints) is None


def test_the_last_question_can_force_the_first_to_change(pack: RulePack) -> None:
    constraints = [
        (compiled(pack, "beror_kommunerna or ryms_i_budget"), True),
        (compiled(pack, "ryms_i_budget or storre_process"), True),
        (compiled(pack, "beror_kommunerna and storre_process"), False),
        (compiled(pack, "storre_process"), True),
    ]
    assert solve(pack, constraints) == {"beror_kommunerna": False, "ryms_i_budget": True, "storre_process": True}


def test_independent_questions_are_solved_apart_and_any_failure_fails_all(pack: RulePack) -> None:
    yes = (compiled(pack, "beror_kommunerna"), True)
    number = (compiled(pack, "vantan_manader > 6 and vantan_manader <= 12"), True)
    never = (compiled(pack, "ryms_i_budget and not ryms_i_budget"), True)
    assert solve(pack, [yes, number]) == {"beror_kommunerna": True, "vantan_manader": 9.0}
    assert solve(pack, [yes, number, never]) is None
    cache: dict[tuple[tuple[int, bool], ...], dict[str, Value] | None] = {}
    assert solve(pack, [yes, number], cache) == solve(pack, [yes, number], cache) == solve(pack, [yes, number])
    assert len(cache) == 2


def test_all_without_any_is_no_answer(pack: RulePack) -> None:
    constraints = [(compiled(pack, "all(kommun_beslut)"), True), (compiled(pack, "any(kommun_beslut)"), False)]
    assert solve(pack, constraints) is None


def test_all_without_any_is_no_gap(pack: RulePack) -> None:
    assert first_gap(pack, [compiled(pack, "any(kommun_beslut) or not all(kommun_beslut)")]) is None
    assert first_gap(pack, [compiled(pack, "any(kommun_beslut) and all(kommun_beslut)")]) == {
        "all(kommun_beslut)": False,
        "any(kommun_beslut)": True,
    }


def test_number_representatives_lie_around_and_between_the_constants(pack: RulePack) -> None:
    question = pack.question("vantan_manader")
    assert domain(question, [12.0, 6.0, 6.0]) == [5.0, 6.0, 9.0, 12.0, 13.0]
    assert domain(question, []) == [0.0]
    assert domain(pack.question("beror_kommunerna"), [1.0]) == [True, False]


def test_gaps_and_overlaps_name_the_first_answers(pack: RulePack) -> None:
    routes = [compiled(pack, "beror_kommunerna and ryms_i_budget"), compiled(pack, "not beror_kommunerna")]
    assert first_gap(pack, routes) == {"beror_kommunerna": True, "ryms_i_budget": False}
    rules = [(0, compiled(pack, "ryms_i_budget")), (1, compiled(pack, "storre_process")), (2, routes[1])]
    assert list(overlaps(pack, rules)) == [
        (0, 1, {"ryms_i_budget": True, "storre_process": True}),
        (0, 2, {"beror_kommunerna": False, "ryms_i_budget": True}),
        (1, 2, {"beror_kommunerna": False, "storre_process": True}),
    ]


def first_by_trying(
    pack: RulePack, conditions: list[Condition], holds: Callable[[list[bool]], bool]
) -> dict[str, Value] | None:
    """The first coherent representative answers, in `assignments` order, for which `holds(results)`."""
    for answers in assignments(pack, conditions) or []:
        if holds([c(answers.__getitem__) for c in conditions]):
            return answers
    return None


@pytest.mark.parametrize("seed", range(60))
def test_gaps_and_overlaps_are_the_first_answers_trying_every_one_would_find(pack: RulePack, seed: int) -> None:
    """The searches prune; the answer (its values and their order) is what trying all gives."""
    draw = random.Random(seed)
    conditions = [compiled(pack, t) for t in draw.sample(POOL, draw.randint(1, 4))]
    expected_gap = first_by_trying(pack, conditions, lambda results: not any(results))
    gap = first_gap(pack, conditions)
    assert gap == expected_gap
    assert list(gap or {}) == list(expected_gap or {})
    expected_overlaps = []
    for (i, a), (j, b) in itertools.combinations(enumerate(conditions), 2):
        example = first_by_trying(pack, [a, b], all)
        if example is not None:
            expected_overlaps.append((i, j, list(example.items())))
    found = [(i, j, list(answers.items())) for i, j, answers in overlaps(pack, list(enumerate(conditions)))]
    assert found == expected_overlaps


def test_too_many_combinations_are_not_tried(pack: RulePack) -> None:
    yes_no = [
        q.id
        for q in pack.catalog.questions.values()
        if q.type.value == "yesno" and not q.per_party and q.derived is None and "(" not in q.id
    ]
    assert len(yes_no) >= 10

    def reading(count: int) -> Condition:
        return compiled(pack, " and ".join(yes_no[:count]) + " and programomrade == 'tandvard'")

    options = len(pack.question("programomrade").options)
    assert 2**9 * options <= 20_000 < 2**10 * options
    assert len(list(assignments(pack, [reading(9)]) or [])) == 2**9 * options
    assert assignments(pack, [reading(10)]) is None
    assert first_gap(pack, [reading(10)]) is None  # not searched, so no gap is claimed
    assert satisfiable(pack, [(reading(10), True)]) is None
    assert satisfiable(pack, [(reading(9), True)]) is True
