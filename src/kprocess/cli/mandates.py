"""`kprocess mandates PACK`: every decision, who holds the mandate when, and who would decide this case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kprocess.answers import Answers, parse_value
from kprocess.cli.common import EXIT_OK, apply_facts, load_or_report
from kprocess.cli.style import WEIGHT_LABEL
from kprocess.model import FanOut
from kprocess.pack import RulePack
from kprocess.paths import reachable_steps


def describe(pack: RulePack, answers: Answers) -> list[dict[str, Any]]:
    """Each decision with its mandate rules, whether this case reaches it, and who would decide.

    With no answers given every decision counts as reached; the holder is only named when the
    answers settle it.
    """
    known = {qid: values[0] for (qid, party), values in answers.given.items() if party is None}
    reached = reachable_steps(pack, known) if known else {s.id for s in pack.model.steps}
    out = []
    for i, step in enumerate(pack.model.steps):
        decision = step.decision
        if decision is None:
            continue
        rules = []
        if decision.by:
            rules.append(
                {
                    "when": None,
                    "holder": decision.by,
                    "jointly_with": list(decision.jointly_with),
                    "weight": decision.weight.value,
                    "name": None,
                }
            )
        for rule in decision.mandate:
            rules.append(
                {
                    "when": rule.when,
                    "holder": rule.actor,
                    "jointly_with": list(rule.jointly_with or decision.jointly_with),
                    "weight": (rule.weight or decision.weight).value,
                    "name": rule.name,
                }
            )
        out.append(
            {
                "step": step.id,
                "name": step.name,
                "question": decision.question,
                "source": step.source,
                "reached": step.id in reached,
                "rules": rules,
                "this_case": _holder(pack, i, answers) if step.id in reached else None,
            }
        )
    return out


def _holder(pack: RulePack, index: int, answers: Answers) -> str | None:
    """The holder for these answers, or None when an answer the rules need is not given."""
    decision = pack.model.steps[index].decision
    assert decision is not None
    if decision.by:
        return decision.by
    for j, rule in enumerate(decision.mandate):
        condition = pack.conditions.get(("steps", index, "decision", "mandate", j, "when"))
        if condition is None:
            return rule.actor
        if any(answers.sequence(q, None) is None and pack.questions[q].default is None for q in condition.questions):
            return None
        if condition(lambda q: _value(pack, answers, q)):
            return rule.actor
    return None


def _value(pack: RulePack, answers: Answers, qid: str) -> Any:
    given = answers.sequence(qid, None)
    if given:
        return given[0]
    return parse_value(pack.questions[qid], pack.questions[qid].default)


def run(pack_path: Path, facts: list[str], as_json: bool) -> int:
    """Print the mandate table."""
    pack = load_or_report(pack_path)
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    apply_facts(answers, facts)
    rows = describe(pack, answers)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Beslut och mandat i {escape(pack.model.name)}", show_lines=True)
    for column in ("Steg", "Beslut om", "Mandat", "Detta ärende", "Källa"):
        table.add_column(column)
    for row in rows:
        lines = []
        for rule in row["rules"]:
            holder = pack.actors[rule["holder"]]
            when = f"när {rule['when']}" if rule["when"] else ("alltid" if len(row["rules"]) == 1 else "annars")
            named = f"{rule['name']}: " if rule["name"] else ""
            together = "".join(f" tillsammans med {pack.actors[a].name}" for a in rule["jointly_with"])
            lines.append(
                f"{escape(holder.name + together)} ({WEIGHT_LABEL[rule['weight']]}) — {escape(named + when)}"
            )
        if not row["reached"]:
            this_case = "[dim]nås inte i detta ärende[/]"
        elif row["this_case"]:
            this_case = escape(pack.actors[row["this_case"]].name)
        else:
            this_case = "[dim]beror på svaren[/]"
        table.add_row(escape(row["name"]), row["question"], "\n".join(lines), this_case, escape(row["source"] or ""))
    Console().print(table)
    return EXIT_OK
