"""What a check is, and the helpers several checks share."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kprocess.answers import answer_text
from kprocess.conditions import Condition, Value
from kprocess.diagnostics import DataPath, Severity
from kprocess.enums import QuestionType
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.model import Question
    from kprocess.pack import RulePack

MAX_ASSIGNMENTS = 20_000


@dataclass(frozen=True)
class Finding:
    """A problem at a data path; the runner turns it into a positioned diagnostic."""

    path: DataPath
    message: str
    hint: str | None = None
    key: bool = False
    column_offset: int = 0
    code: str | None = None


CheckFunction = Callable[["RulePack"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """One semantic check: a permanent code, a name, a severity and a function."""

    code: str
    name: str
    severity: Severity
    run: CheckFunction
    doc: str


def domain(question: Question, numbers: Iterable[float]) -> list[Value]:
    """Representative answers of a question: every answer for yes/no and choice questions,
    and for numbers one value in each interval the compared constants split the line into."""
    if question.type is QuestionType.yesno:
        return [True, False]
    if question.type is QuestionType.choice:
        return [o.id for o in question.options]
    points = sorted(set(numbers))
    if not points:
        return [0.0]
    values = [points[0] - 1, *points, points[-1] + 1]
    values += [(a + b) / 2 for a, b in itertools.pairwise(points)]
    return sorted(values)


def compared_numbers(conditions: Iterable[Condition]) -> dict[str, set[float]]:
    """Per number question, the constants the conditions compare it with."""
    numbers: dict[str, set[float]] = {}
    for condition in conditions:
        for name, values in condition.numbers.items():
            numbers.setdefault(name, set()).update(values)
    return numbers


def assignments(pack: RulePack, conditions: Sequence[Condition]) -> Iterator[dict[str, Value]] | None:
    """Every combination of representative answers to the questions the conditions read,
    or None when there are too many to try."""
    space = _space(pack, conditions)
    if space is None:
        return None
    names, domains = space
    combos = (dict(zip(names, combo, strict=True)) for combo in itertools.product(*domains))
    return (answers for answers in combos if coherent(answers))


def _space(pack: RulePack, conditions: Sequence[Condition]) -> tuple[list[str], list[list[Value]]] | None:
    """The questions the conditions read, sorted, with their representative answers;
    None when the combinations number more than `MAX_ASSIGNMENTS`."""
    names = sorted(set().union(*(c.questions for c in conditions))) if conditions else []
    numbers = compared_numbers(conditions)
    domains = [domain(pack.question(name), numbers.get(name, ())) for name in names]
    size = 1
    for values in domains:
        size *= len(values)
    if size > MAX_ASSIGNMENTS:
        return None
    return names, domains


def coherent(answers: dict[str, Value]) -> bool:
    """False for answers no case can give: `all(q)` = ja while `any(q)` = nej."""
    return not any(
        value is True and answers.get("any" + name[3:]) is False
        for name, value in answers.items()
        if name.startswith("all(")
    )


def describe(answers: dict[str, Value]) -> str:
    """`beror_kommunerna=nej, programomrade=tandvard` for messages."""
    return ", ".join(f"{name}={answer_text(value)}" for name, value in answers.items()) or _("alla svar")


def rule_conditions(pack: RulePack, base: DataPath, count: int) -> list[tuple[int, Condition]]:
    """The compiled `when` conditions of the routes or mandate rules at `base`."""
    return [(j, pack.conditions[(*base, j, "when")]) for j in range(count) if (*base, j, "when") in pack.conditions]


def satisfiable(pack: RulePack, constraints: Sequence[tuple[Condition, bool]]) -> bool | None:
    """Whether some representative answers give every condition its wanted value; None when
    there are more combinations than `MAX_ASSIGNMENTS` (as `assignments` would not try them)."""
    space = _space(pack, [c for c, _ in constraints])
    return None if space is None else _possible(*space, constraints)


def first_gap(pack: RulePack, conditions: Sequence[Condition]) -> dict[str, Value] | None:
    """The first representative answers for which no condition holds, if any."""
    space = _space(pack, conditions)
    none_holds = [(c, False) for c in conditions]
    return _search(*space, none_holds) if space is not None and _possible(*space, none_holds) else None


def overlaps(pack: RulePack, rules: Sequence[tuple[int, Condition]]) -> Iterator[tuple[int, int, dict[str, Value]]]:
    """Pairs of rules (by index) that both hold for the same answers, with an example: the
    first such answers in the order `assignments` tries them."""
    for (i, a), (j, b) in itertools.combinations(rules, 2):
        space = _space(pack, [a, b])
        pair = [(a, True), (b, True)]
        if space is not None and _possible(*space, pair) and (answers := _search(*space, pair)) is not None:
            yield i, j, answers


GroupKey = tuple[tuple[int, bool], ...]


def solve(
    pack: RulePack,
    constraints: Sequence[tuple[Condition, bool]],
    cache: dict[GroupKey, dict[str, Value] | None] | None = None,
) -> dict[str, Value] | None:
    """The first representative answers for which every condition comes out as wanted, or None.

    Constraints that share no question are independent, so each group is solved on its own;
    within a group, backtracking (iterative, so any size is safe) tests each constraint as soon
    as every question it reads has an answer. `cache` remembers solved groups between calls
    (the conditions must stay alive while it is used).
    """
    answers: dict[str, Value] = {}
    for group in _groups(constraints):
        if cache is None:
            found = _backtrack(pack, group)
        else:
            key = tuple((id(c), want) for c, want in group)
            if key not in cache:
                cache[key] = _backtrack(pack, group)
            found = cache[key]
        if found is None:
            return None
        answers.update(found)
    return answers


def _groups(constraints: Sequence[tuple[Condition, bool]]) -> list[list[tuple[Condition, bool]]]:
    """Constraints grouped by shared questions (union-find over the questions)."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for condition, _want in constraints:
        first, *rest = sorted(condition.questions)
        twins = [_twin(name) for name in condition.questions if name.startswith(("all(", "any("))]
        for other in [*rest, *twins]:  # all(q) and any(q) constrain each other (see `coherent`)
            parent[root(other)] = root(first)
    groups: dict[str, list[tuple[Condition, bool]]] = {}
    for constraint in constraints:
        groups.setdefault(root(min(constraint[0].questions)), []).append(constraint)
    return list(groups.values())


def _twin(aggregate: str) -> str:
    """`any(q)` for `all(q)` and the other way round."""
    return ("any" if aggregate.startswith("all") else "all") + aggregate[3:]


def _backtrack(pack: RulePack, constraints: Sequence[tuple[Condition, bool]]) -> dict[str, Value] | None:
    names: list[str] = []
    seen: set[str] = set()
    for condition, _want in constraints:
        new = sorted(condition.questions - seen)
        names += new
        seen.update(new)
    numbers = compared_numbers([c for c, _ in constraints])
    return _search(names, [domain(pack.question(name), numbers.get(name, ())) for name in names], constraints)


def _search(
    names: Sequence[str], domains: Sequence[Sequence[Value]], constraints: Sequence[tuple[Condition, bool]]
) -> dict[str, Value] | None:
    """The first answers, in the order of `itertools.product(*domains)`, for which every
    condition comes out as wanted and the answers are `coherent`; None if there are none.

    Backtracking (iterative, so any size is safe): a condition is tested as soon as every
    question it reads has an answer, so a branch that already fails is never extended.
    """
    position = {name: i for i, name in enumerate(names)}
    ready: list[list[tuple[Condition, bool]]] = [[] for _ in names]
    answers: dict[str, Value] = {}
    for condition, want in constraints:
        if not condition.questions:  # reads nothing: holds or fails whatever the answers
            if condition(answers.__getitem__) is not want:
                return None
            continue
        ready[max(position[q] for q in condition.questions)].append((condition, want))
    choice = [-1] * len(names)
    index = 0
    while 0 <= index < len(names):
        choice[index] += 1
        if choice[index] == len(domains[index]):
            choice[index] = -1
            answers.pop(names[index], None)
            index -= 1
            continue
        answers[names[index]] = domains[index][choice[index]]
        if coherent(answers) and all(c(answers.__getitem__) is want for c, want in ready[index]):
            index += 1
    return answers if index == len(names) else None


def _possible(
    names: Sequence[str], domains: Sequence[Sequence[Value]], constraints: Sequence[tuple[Condition, bool]]
) -> bool:
    """Whether some coherent answers make every condition come out as wanted.

    Faster than `_search` when there are none, which is what a clean pack gives: a condition
    is evaluated on partial answers, and the search branches on the question it stopped at,
    so questions that the conditions never reach on a branch are never tried there. (A
    condition that comes out without an unanswered question comes out so whatever the rest
    are answered; coherent partial answers can always be completed coherently.)
    """
    domain_of = dict(zip(names, domains, strict=True))
    answers: dict[str, Value] = {}

    def given(name: str) -> Value:
        if name in answers:
            return answers[name]
        raise _UnansweredError(name)

    # Each branch: the question it answers, its answers left to try, and the conditions still open
    # there (one that came out as wanted on fewer answers stays so on more).
    branches: list[tuple[str, Iterator[Value], list[tuple[Condition, bool]]]] = []
    pending = list(constraints)
    while True:
        failed, waiting, still = not coherent(answers), None, []
        for condition, want in [] if failed else pending:
            try:
                if condition(given) is not want:
                    failed = True
                    break
            except _UnansweredError as unanswered:
                waiting = waiting or unanswered.name
                still.append((condition, want))
        if not failed:
            if waiting is None:
                return True
            branches.append((waiting, iter(domain_of[waiting]), still))
        while branches:
            name, values, pending = branches[-1]
            value = next(values, None)  # an answer is never None
            if value is not None:
                answers[name] = value
                break
            branches.pop()
            del answers[name]
        else:
            return False


class _UnansweredError(Exception):
    """A condition read a question that has no answer yet."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name
