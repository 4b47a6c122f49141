"""Generated packs: a well-formed pack validates clean, and every case through it ends clearly.

Each generated pack is a chain of steps s0 … sN. A step either goes on to the next step or asks
a yes/no question whose `ja` route jumps ahead, loops back to the step itself (bounded by
`max_times`) or ends the case (completed, stopped or handed over); `nej` goes on to the next
step. A case answers every question with `ja`, `nej` or a sequence such as `ja,ja,nej`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kprocess.engine import RunError, run_case
from kprocess.pack import analyse_document
from kprocess.yamlsource import parse_bytes

ENDS = {"klart": "completed", "avslut": "stopped", "overlamnat": "handed_over"}


@dataclass(frozen=True)
class Jump:
    """Where a yes/no step's `ja` goes: ahead by `ahead` steps, back to itself, or to an end."""

    ahead: int = 0
    loop: int = 0
    end: str = ""


def pack_text(jumps: list[Jump | None]) -> str:
    """The pack as JSON (valid YAML); `None` is a step without a question."""
    steps: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    used_ends = {"klart"}
    for i, jump in enumerate(jumps):
        after = f"s{i + 1}" if i + 1 < len(jumps) else "klart"
        step: dict[str, Any] = {"id": f"s{i}", "name": f"Steg {i}", "phase": "p", "actor": "a", "source": f"001 §{i}"}
        if jump is None:
            step["next"] = after
        else:
            questions.append({"id": f"q{i}", "text": f"Fråga {i}?", "type": "yesno"})
            step["decision"] = {"question": f"q{i}", "by": "a"}
            if jump.loop:
                route: dict[str, Any] = {"when": f"q{i}", "to": f"s{i}", "max_times": jump.loop}
            elif jump.end:
                route = {"when": f"q{i}", "to": jump.end}
                used_ends.add(jump.end)
            else:
                target = i + 1 + jump.ahead
                route = {"when": f"q{i}", "to": f"s{target}" if target < len(jumps) else "klart"}
            step["routes"] = [route, {"otherwise": after}]
        steps.append(step)
    for end in sorted(used_ends):
        step = {"id": end, "name": f"Slut {end}", "phase": "p", "actor": "a", "source": "001 §99", "end": ENDS[end]}
        if ENDS[end] == "handed_over":
            step["handed_to"] = "Annan rutin"
        steps.append(step)
    pack = {
        "schema_version": 1,
        "id": "genererat",
        "county": "Testlän",
        "name": "Genererat paket",
        "parties": {"region": "Region Test", "municipalities": ["Alfa"]},
        "sources": [{"id": "001", "title": "Rutin"}],
        "phases": [{"id": "p", "name": "Fas"}],
        "actors": [{"id": "a", "name": "Aktör", "principal": "region"}],
        "questions": questions,
        "flows": [{"id": "f", "name": "Flöde", "start": "s0"}],
        "steps": steps,
    }
    return json.dumps(pack, ensure_ascii=False, indent=1)


def jumps(size: int) -> st.SearchStrategy[list[Jump | None]]:
    def one(i: int) -> st.SearchStrategy[Jump | None]:
        options: list[st.SearchStrategy[Jump | None]] = [
            st.none(),
            st.builds(Jump, loop=st.integers(1, 3)),
            st.builds(Jump, end=st.sampled_from(sorted(ENDS))),
        ]
        if i + 2 < size:
            options.append(st.builds(Jump, ahead=st.integers(1, size - i - 2)))
        return st.one_of(options)

    return st.tuples(*(one(i) for i in range(size))).map(list)


PACKS = st.integers(1, 8).flatmap(jumps)
ANSWER = st.one_of(st.sampled_from(["ja", "nej"]), st.lists(st.sampled_from(["ja", "nej"]), min_size=2, max_size=5))


@settings(max_examples=40, deadline=None)
@given(PACKS)
def test_generated_packs_validate_clean(steps: list[Jump | None]) -> None:
    pack, diagnostics = analyse_document(parse_bytes(pack_text(steps).encode(), "genererat.yaml"))
    assert [f"{d.line}:{d.column}: {d.code} {d.message}" for d in diagnostics] == []
    assert pack is not None


@settings(max_examples=60, deadline=None)
@given(PACKS.flatmap(lambda s: st.tuples(st.just(s), st.lists(ANSWER, min_size=len(s), max_size=len(s)))))
def test_every_generated_case_ends_or_stops_at_a_loop_bound(case: tuple[list[Jump | None], list[Any]]) -> None:
    steps, given_answers = case
    pack, _ = analyse_document(parse_bytes(pack_text(steps).encode(), "genererat.yaml"))
    assert pack is not None
    answers = {f"q{i}": a if isinstance(a, str) else ",".join(a) for i, a in enumerate(given_answers) if steps[i]}
    try:
        result = run_case(pack, answers)
    except RunError as error:
        looping = [i for i, jump in enumerate(steps) if jump is not None and jump.loop]
        assert any(f"vägen från `s{i}` till `s{i}` har tagits fler än" in str(error) for i in looping), str(error)
        assert "max_times" in str(error)
        return
    end = result.trace[-1].step
    assert (result.status.value, end) in {(status, step) for step, status in ENDS.items()}
    assert result.path()[0] == "s0"
