"""`kprocess mandates PACK`: every decision, who holds the mandate when, and who would decide this case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kprocess import packtext
from kprocess.answers import AnswerError, Answers, parse_value
from kprocess.cli.common import EXIT_OK, UsageError, apply_facts, load_or_report, read_or_report
from kprocess.cli.words import actor_label, condition_words
from kprocess.enums import FanOut
from kprocess.i18n import _
from kprocess.labels import weight_label
from kprocess.model import Step
from kprocess.pack import RulePack
from kprocess.paths import reach


def describe(pack: RulePack, answers: Answers) -> list[dict[str, Any]]:
    """Each decision with its mandate rules, whether this case reaches it, and who would decide.

    With no answers given every decision counts as reached; the holder is only named when the
    answers settle it. `reached` is None (unknown) for a decision the walk did not get to
    before its budget ran out.
    """
    # A question answered several times (a loop: `ja,nej`) changes its answer along the way, so
    # only questions with one answer constrain which decisions the case reaches.
    known = {qid: values[0] for (qid, party), values in answers.given.items() if party is None and len(values) == 1}
    found = reach(pack, known) if known else None
    reached = set(found.steps) if found is not None else {s.id for s in pack.model.steps}
    unknown = None if found is not None and not found.complete else False  # partial walk: "not seen" is unknown
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
                "reached": True if step.id in reached else unknown,
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
        if any(_unknown(pack, answers, q) for q in condition.questions):
            return None
        if condition(lambda q: _value(pack, answers, q)):
            return rule.actor
    return None


def _unknown(pack: RulePack, answers: Answers, qid: str) -> bool:
    """True when the rules cannot be read for `qid` without a run: no answer and no default, or
    `any(q)`/`all(q)` over a per-party question (each party answers in the run)."""
    question = pack.questions.get(qid)
    return question is None or (answers.sequence(qid, None) is None and question.default is None)


def _value(pack: RulePack, answers: Answers, qid: str) -> Any:
    given = answers.sequence(qid, None)
    if given:
        return given[0]
    return parse_value(pack.questions[qid], pack.questions[qid].default)


def run(
    pack_path: Path, facts: list[str], as_json: bool, case_path: Path | None = None, flow: str | None = None
) -> int:
    """Print every decision with its mandate rules in words, and who decides in this case."""
    pack = load_or_report(pack_path)
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    if case_path is not None:
        from kprocess.golden import load_case

        case = read_or_report(case_path, load_case)
        try:
            for key, value in case.answers.items():
                answers.set(key, value)
        except AnswerError as error:
            raise UsageError(str(error)) from None
        flow = flow or case.flow
    apply_facts(answers, facts)
    rows = describe(pack, answers)
    if flow is not None:
        rows = [r for r in rows if r["step"] in _in_flow(pack, flow)]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    console.print(_("[bold]Beslut och mandat i {pack}[/]").format(pack=escape(packtext.pack_name(pack))))
    for row in rows:
        console.print()
        source = f" [dim]· {escape(row['source'])}[/]" if row["source"] else ""
        step = pack.steps[row["step"]]
        console.print(f"[bold]{escape(packtext.named(step) or row['name'])}[/]{source}")
        question = pack.questions.get(row["question"])
        console.print(
            _("  Beslut om: {question}").format(
                question=escape(packtext.question_text(question) if question else row["question"])
            )
        )
        names = _rule_names(step)
        for rule, name in zip(row["rules"], names, strict=True):
            console.print("  " + escape(_rule_words(pack, {**rule, "name": name}, len(row["rules"]))))
        if row["reached"] is None:
            this_case = _("[dim]okänt: för många vägar att gå igenom, svaret är ofullständigt[/]")
        elif not row["reached"]:
            this_case = _("[dim]nås inte i detta ärende[/]")
        elif row["this_case"]:
            this_case = escape(actor_label(pack.actors[row["this_case"]]))
        else:
            this_case = _("[dim]beror på svaren[/]")
        console.print(_("  I detta ärende: {holder}").format(holder=this_case))
    return EXIT_OK


def _rule_words(pack: RulePack, rule: dict[str, Any], count: int) -> str:
    """`LPO (beslut) — när ”…” är ja`: the holder as the timeline names it, the condition in words."""
    holder = actor_label(pack.actors[rule["holder"]])
    together = "".join(
        _(" tillsammans med {actor}").format(actor=actor_label(pack.actors[a])) for a in rule.get("jointly_with", [])
    )
    if rule["when"]:
        when = _("när {condition}").format(condition=condition_words(pack, rule["when"]))
    else:
        when = _("alltid") if count == 1 else _("annars")
    named = f"{rule['name']}: " if rule["name"] else ""
    return f"{holder}{together} ({weight_label(rule['weight'])}) — {named}{when}"


def _rule_names(step: Step) -> list[str | None]:
    """The names of a decision's rules as `describe` lists them, in the chosen language."""
    decision = step.decision
    assert decision is not None
    return [None] * bool(decision.by) + [packtext.named(rule) for rule in decision.mandate]


def _in_flow(pack: RulePack, flow: str) -> set[str]:
    """The steps a flow can reach, including the flows it calls."""
    from kprocess.graph import build, reachable

    starts = {f.id: f.start for f in pack.model.flows}
    if flow not in starts:
        raise UsageError(
            _("flödet `{flow}` finns inte; flödena är: {flows}").format(flow=flow, flows=", ".join(starts))
        )
    return reachable(build(pack.model.steps, pack.model.flows), [starts[flow]])
