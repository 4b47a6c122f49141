"""Random cases (answers) for a pack, and the parsed form the baseline engines take.

Every engine in the throughput benchmark runs the *same* cases. They are drawn at
random from each question's representative answers, with answer sequences for
loops (`ja,ja,nej`) and per-party answers (`fraga[Timrå]`), and kept only when
kprocess runs them to an end: a case that passes a loop bound is an error, not a
run, and would measure error handling instead of the engine.
"""

from __future__ import annotations

import random
from typing import Any

from kprocess.answers import Answers
from kprocess.checks.base import domain
from kprocess.engine import RunError, run_case
from kprocess.enums import FanOut, QuestionType
from kprocess.pack import RulePack

RawCase = dict[str, Any]
Parsed = dict[tuple[str, str | None], list[Any]]


def _numbers(pack: RulePack) -> dict[str, set[float]]:
    """Constants each number question is compared with anywhere in the pack."""
    found: dict[str, set[float]] = {}
    for condition in pack.conditions.values():
        for name, values in condition.numbers.items():
            found.setdefault(name, set()).update(values)
    return found


def _one_answer(rng: random.Random, values: list[Any], qtype: QuestionType) -> Any:
    """One answer, or for yes/no questions sometimes a sequence (loops read the next one each time)."""
    if qtype is QuestionType.yesno and rng.random() < 0.25:
        return [rng.choice(values) for _ in range(rng.randint(2, 3))] + [False]
    return rng.choice(values)


def random_case(pack: RulePack, rng: random.Random) -> RawCase:
    """Answers to every question of `pack`, as `run_case` takes them (`id` or `id[Party]` → value)."""
    numbers = _numbers(pack)
    parties = pack.parties(FanOut.parties)
    case: RawCase = {}
    for qid, question in pack.questions.items():
        if question.derived is not None:  # derived from other answers, never given
            continue
        values = domain(question, numbers.get(qid, set()))
        if question.per_party and rng.random() < 0.5:
            for party in parties:
                case[f"{qid}[{party}]"] = _one_answer(rng, values, question.type)
        else:
            case[qid] = _one_answer(rng, values, question.type)
    return case


def runnable_cases(pack: RulePack, count: int, seed: int = 0, tries: int = 20) -> list[RawCase]:
    """`count` random cases that kprocess runs to an end (fewer if too many hit loop bounds)."""
    rng = random.Random(seed)
    cases: list[RawCase] = []
    for _ in range(count * tries):
        if len(cases) == count:
            break
        case = random_case(pack, rng)
        try:
            run_case(pack, case)
        except RunError:
            continue
        cases.append(case)
    return cases


def parse(pack: RulePack, case: RawCase) -> Parsed:
    """The case's answers parsed and typed by kprocess: `(question, party or None)` → answers."""
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    for key, value in case.items():
        answers.set(key, value)
    return answers.given
