"""A pack's own words in the chosen language: the English form (`name_en`, `text_en`, `label_en` …)
with `--lang en` where the pack gives one, the Swedish otherwise.

The lookups by id take what a run recorded as `default` and return it unchanged in Swedish, so
Swedish output is exactly what the run says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kprocess.i18n import language, pick

if TYPE_CHECKING:
    from kprocess.model import Actor, Flow, MandateRule, Option, OptionSet, Phase, Question, Step
    from kprocess.pack import RulePack


def named(item: Step | Phase | Flow | Actor | MandateRule) -> str | None:
    """The `name` of a step, phase, flow, actor or mandate rule."""
    return pick(item.name, item.name_en) if item.name is not None else None


def actor_label(actor: Actor) -> str:
    """An actor's short name where it has one (`LPO`, `RMKS`), else its name."""
    if actor.short is not None:
        return pick(actor.short, actor.short_en)
    return pick(actor.name, actor.name_en)


def question_text(question: Question) -> str:
    """The question as the reader reads it."""
    return pick(question.text, question.text_en)


def question_help(question: Question) -> str | None:
    """The question's help text, if any."""
    return pick(question.help, question.help_en) if question.help is not None else None


def unit(question: Question) -> str | None:
    """The unit of a number question, if any."""
    return pick(question.unit, question.unit_en) if question.unit is not None else None


def option_label(option: Option | OptionSet) -> str | None:
    """The label of an option or a named set of options."""
    return pick(option.label, option.label_en) if option.label is not None else None


def pack_name(pack: RulePack) -> str:
    """The process as the pack names it."""
    return pick(pack.model.name, pack.model.name_en)


def step_name(pack: RulePack, step_id: str, default: str) -> str:
    """A step's name by id; `default` (what the run recorded) for an unknown id."""
    if language() != "en":
        return default
    step = pack.steps.get(step_id)
    return pick(step.name, step.name_en) if step is not None else default


def phase_name(pack: RulePack, phase_id: str, default: str) -> str:
    """A phase's name by id; `default` for an unknown id."""
    if language() != "en":
        return default
    for phase in pack.model.phases:
        if phase.id == phase_id:
            return pick(phase.name, phase.name_en)
    return default


def flow_name(pack: RulePack, flow_id: str) -> str:
    """A flow's name by id; the id for an unknown flow."""
    for flow in pack.model.flows:
        if flow.id == flow_id:
            return pick(flow.name, flow.name_en)
    return flow_id


def party_name(pack: RulePack, actor_id: str, default: str) -> str:
    """How a trace names an actor (its short name, else its name) by id; `default` when unknown."""
    if language() != "en":
        return default
    actor = pack.actors.get(actor_id)
    return actor_label(actor) if actor is not None else default


def handed_to(pack: RulePack, step_id: str, default: str) -> str:
    """The routine a step hands the case over to."""
    if language() != "en":
        return default
    step = pack.steps.get(step_id)
    if step is None or step.handed_to is None:
        return default
    return pick(step.handed_to, step.handed_to_en)
