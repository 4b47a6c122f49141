"""Synthetic rule packs of any size, for the scaling benchmarks.

`generate(n_steps, seed)` returns the YAML text of a valid pack with exactly
`n_steps` steps. The flow is a chain of *blocks*, drawn at random in roughly the
proportions of the real county packs (about 60 % plain `next` steps, a quarter
routing steps, a few per-party fan-outs, bounded loops, parallel branches and
early ends):

* ``linear``    one step with `next` (sometimes with timing or produces);
* ``yesno``     a decision on a new yes/no question, two arms that meet again;
* ``early_end`` a decision whose `otherwise` arm ends the case (stopped, handed over, parked);
* ``choice``    a decision on a new choice question, 3–4 arms that meet again;
* ``shared``    routing on the shared vocabulary (`programomrade in kommunmedverkan`,
  `beror_kommunerna`, a number question), so `kprocess paths` has to prune
  combinations that contradict earlier routes;
* ``for_each``  a per-party decision (`for_each` + `join`), sometimes with per-party routes inside;
* ``loop``      a step and a review step with a route back bounded by `max_times`;
* ``parallel``  two or three branches of one or two steps and a `join`.

Every question of its own has a default that leaves loops at once, so `kprocess
simulate PACK --no-input` runs given only the shared vocabulary (`SHARED_FACTS`).
Every decision question is decided in one block only, so a case's answers mean the
same thing to every engine in the benchmarks.

Run as a script to write a pack: ``python benchmarks/synthetic.py 1000 --seed 1 > pack.yaml``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MUNICIPALITIES = ["Alfa", "Beta", "Gamma", "Delta", "Epsilon"]
ACTORS = [
    ("lpo", "Lokalt programområde", "gemensam"),
    ("samordnare", "Samordnare", "region"),
    ("verksamhetschef", "Verksamhetschef", "region"),
    ("ledningsgrupp", "Ledningsgrupp", "region"),
    ("kommun", "Kommunen", "kommun"),
    ("lansledning", "Länsledningen", "gemensam"),
]
PHASES = [("remiss", "Remiss"), ("analys", "Analys"), ("beslut", "Beslut"), ("uppfoljning", "Uppföljning")]
ENDS = ["stopped", "handed_over", "parked"]
# Block kind → weight. Tuned so the step mix resembles regions/*.yaml (see module docstring).
WEIGHTS = {
    "linear": 32,
    "yesno": 12,
    "early_end": 8,
    "choice": 3,
    "shared": 3,
    "for_each": 2,
    "loop": 3,
    "parallel": 2,
}
MAX_BLOCK = 8  # the largest block; the tail of a pack is filled with linear steps
# Answers to the shared vocabulary (it has no defaults): with these, a synthetic pack runs without facts.
SHARED_FACTS = {
    "beror_kommunerna": "ja",
    "ryms_i_budget": "nej",
    "kraver_politiskt_beslut": "nej",
    "storre_process": "ja",
    "programomrade": "psykisk_halsa",
}


@dataclass
class _Pack:
    """The pack being generated: steps and questions as plain data, and a step counter."""

    rng: random.Random
    size: int
    steps: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)

    def sid(self, offset: int = 0) -> str:
        """Id of the step `offset` places after the last one added."""
        return f"s{len(self.steps) + offset + 1}"

    def step(self, way: dict[str, Any], **extra: Any) -> str:
        """Add a step that goes on by `way` (`next`, `routes`, `parallel` or `end`); return its id."""
        index = len(self.steps)
        sid = self.sid()
        phase = PHASES[min(index * len(PHASES) // max(self.size, 1), len(PHASES) - 1)][0]
        actor = self.rng.choice(ACTORS[:4])[0]
        step = {"id": sid, "name": f"Steg {index + 1}", "phase": phase, "actor": actor, "source": f"001 §{index + 1}"}
        step.update(extra)
        step.update(way)
        self.steps.append(step)
        return sid

    def question(self, kind: str, **extra: Any) -> str:
        """Declare a new question of type `kind`; return its id."""
        qid = f"q{len(self.questions) + 1}_{kind}"
        question = {"id": qid, "text": f"Fråga {len(self.questions) + 1}?", "type": kind}
        question.update(extra)
        self.questions.append(question)
        return qid


def _decision(pack: _Pack, qid: str) -> dict[str, Any]:
    """A decision on `qid`: one fixed holder, or (a third of the time) a mandate on the budget."""
    if pack.rng.random() < 0.33:
        return {
            "question": qid,
            "mandate": [
                {"when": "ryms_i_budget", "holder": "verksamhetschef", "name": "Inom uppdrag och budget"},
                {"otherwise": "ledningsgrupp"},
            ],
        }
    return {"question": qid, "by": pack.rng.choice(["lpo", "samordnare", "lansledning"])}


def _linear(pack: _Pack) -> None:
    extra: dict[str, Any] = {}
    roll = pack.rng.random()
    if roll < 0.1:
        extra["timing"] = {"after": {"months": pack.rng.randint(1, 6)}}
    elif roll < 0.3:
        extra["produces"] = ["underlag"]
    pack.step({"next": pack.sid(1)}, **extra)


def _yesno(pack: _Pack) -> None:
    qid = pack.question("yesno", default=pack.rng.choice(["ja", "nej"]))
    after = pack.sid(3)
    pack.step({"routes": [{"when": qid, "to": pack.sid(1)}, {"otherwise": pack.sid(2)}]}, decision=_decision(pack, qid))
    pack.step({"next": after})
    pack.step({"next": after})


def _early_end(pack: _Pack) -> None:
    qid = pack.question("yesno", default="ja")
    pack.step({"routes": [{"when": qid, "to": pack.sid(2)}, {"otherwise": pack.sid(1)}]}, decision=_decision(pack, qid))
    kind = pack.rng.choice(ENDS)
    extra = {"handed_to": "Regionens interna rutin"} if kind == "handed_over" else {}
    pack.step({"end": kind}, **extra)


def _choice(pack: _Pack) -> None:
    arms = pack.rng.randint(3, 4)
    options = [{"id": f"alt{k + 1}", "label": f"Alternativ {k + 1}"} for k in range(arms)]
    qid = pack.question("choice", options=options, default="alt1")
    after = pack.sid(arms + 1)
    routes: list[dict[str, Any]] = [{"when": f"{qid} == 'alt{k + 1}'", "to": pack.sid(k + 1)} for k in range(arms - 1)]
    routes.append({"otherwise": pack.sid(arms)})
    pack.step({"routes": routes}, decision=_decision(pack, qid))
    for _ in range(arms):
        pack.step({"next": after})


def _shared(pack: _Pack) -> None:
    """Routes on answers read (not decided) here: shared questions and a number question."""
    roll = pack.rng.random()
    if roll < 0.4:
        condition = "programomrade in kommunmedverkan"
    elif roll < 0.7:
        condition = pack.rng.choice(["beror_kommunerna", "kraver_politiskt_beslut", "storre_process"])
    else:
        nid = pack.question("number", unit="månader", default=6)
        condition = f"{nid} >= 12"
    after = pack.sid(3)
    pack.step({"routes": [{"when": condition, "to": pack.sid(1)}, {"otherwise": pack.sid(2)}]})
    pack.step({"next": after})
    pack.step({"next": after})


def _for_each(pack: _Pack) -> None:
    split = pack.sid()
    qid = pack.question("yesno", per_party=True, default="ja")
    fan_out = pack.rng.choice(["municipalities", "parties"])
    # Informational: in the variant without a route on the parties' answers nothing reads them (KP312).
    decision = {"question": qid, "by": "kommun", "informational": "varje part beslutar för egen del"}
    pack.step({"next": pack.sid(1)}, for_each=fan_out, actor="kommun", decision=decision)
    if pack.rng.random() < 0.5:
        join = pack.sid(3)
        pack.step({"routes": [{"when": qid, "to": pack.sid(1)}, {"otherwise": pack.sid(2)}]})
        pack.step({"next": join})
        pack.step({"next": join})
    else:
        pack.step({"next": pack.sid(1)})
    pack.step({"next": pack.sid(1)}, join=split)


def _loop(pack: _Pack) -> None:
    qid = pack.question("yesno", default="nej")
    work = pack.step({"next": pack.sid(1)})
    back = {"when": qid, "to": work, "max_times": pack.rng.randint(3, 5)}
    pack.step({"routes": [back, {"otherwise": pack.sid(1)}]}, decision=_decision(pack, qid))


def _parallel(pack: _Pack) -> None:
    lengths = [pack.rng.randint(1, 2) for _ in range(pack.rng.randint(2, 3))]
    join = pack.sid(1 + sum(lengths))
    starts, offset = [], 1
    for length in lengths:
        starts.append(pack.sid(offset))
        offset += length
    split = pack.step({"parallel": starts})
    for length in lengths:
        for k in range(length):
            pack.step({"next": pack.sid(1) if k < length - 1 else join})
    pack.step({"next": pack.sid(1)}, join=split)


BLOCKS: dict[str, tuple[int, Callable[[_Pack], None]]] = {
    "linear": (1, _linear),
    "yesno": (3, _yesno),
    "early_end": (2, _early_end),
    "choice": (5, _choice),
    "shared": (3, _shared),
    "for_each": (5, _for_each),
    "loop": (2, _loop),
    "parallel": (MAX_BLOCK, _parallel),
}


def _header(n_steps: int, seed: int) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": "syntetisk",
        "county": "Syntetiskt län",
        "name": f"Syntetiskt paket med {n_steps} steg (seed {seed})",
        "parties": {"region": "Region Syntet", "municipalities": MUNICIPALITIES},
        "sources": [{"id": "001", "title": "Syntetisk rutin"}],
        "phases": [{"id": pid, "name": name} for pid, name in PHASES],
        "actors": [{"id": aid, "name": name, "principal": principal} for aid, name, principal in ACTORS],
    }


def build(n_steps: int, seed: int) -> dict[str, Any]:
    """The pack as plain data (what `generate` serialises)."""
    if n_steps < 2:
        raise ValueError("a synthetic pack needs at least 2 steps")
    pack = _Pack(random.Random(seed), n_steps)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    while len(pack.steps) < n_steps - 1:
        room = n_steps - 1 - len(pack.steps)
        kind = pack.rng.choices(kinds, weights)[0] if room >= MAX_BLOCK else "linear"
        BLOCKS[kind][1](pack)
    pack.step({"end": "completed"})
    data = _header(n_steps, seed)
    data["questions"] = pack.questions
    data["flows"] = [{"id": "huvudflode", "name": "Huvudflöde", "start": "s1"}]
    data["steps"] = pack.steps
    return data


def generate(n_steps: int, seed: int = 0) -> str:
    """YAML text of a valid synthetic pack with exactly `n_steps` steps.

    JSON is a subset of YAML 1.2, so each step is written as one flow-style line:
    compact, quick to write and exactly what the YAML parser must handle.
    """
    data = build(n_steps, seed)
    lines = ["# Generated by benchmarks/synthetic.py – do not edit."]
    for key, value in data.items():
        if isinstance(value, list) and value:
            lines.append(f"{key}:")
            lines += [f"  - {json.dumps(item, ensure_ascii=False)}" for item in value]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def mix(n_steps: int, seed: int = 0) -> dict[str, int]:
    """How many steps of each way on (next, routes, parallel, end, for_each, join, loops) a pack has."""
    steps = build(n_steps, seed)["steps"]
    count = {"next": 0, "routes": 0, "parallel": 0, "end": 0, "for_each": 0, "join": 0, "max_times": 0}
    for step in steps:
        for key in count:
            if key in step:
                count[key] += 1
        count["max_times"] += any("max_times" in r for r in step.get("routes", []))
    return count


def main(argv: list[str] | None = None) -> int:
    """Write one synthetic pack to stdout (or print its step mix with `--mix`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("steps", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mix", action="store_true", help="print the step mix instead of the pack")
    args = parser.parse_args(argv)
    if args.mix:
        print(json.dumps(mix(args.steps, args.seed)))
    else:
        sys.stdout.write(generate(args.steps, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
