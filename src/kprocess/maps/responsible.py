"""Who does a step besides its actor: `actor_when`, and `jointly_with` on the step, its decision
or a mandate rule, in words the maps show on or beside the step."""

from __future__ import annotations

from dataclasses import dataclass

from kprocess.cli.words import actor_label, condition_words
from kprocess.model import Step
from kprocess.pack import RulePack


@dataclass(frozen=True)
class Other:
    """Another actor (or actors together) responsible when a condition holds; `decides` when it
    is who decides (a mandate rule) rather than who does the step (`actor_when`)."""

    who: str
    when: str
    decides: bool = False

    def line(self, number: int) -> str:
        """`eller Styrgrupp [1]` (or `beslutar: LPO + Samordnare [2]`) on the step."""
        return f"{'beslutar:' if self.decides else 'eller'} {self.who} [{number}]"

    def note(self, number: int) -> str:
        """`[1] Styrgrupp när …`: the note the number points at."""
        return f"[{number}] {self.who}{' beslutar' if self.decides else ''} när {self.when}"


def together(pack: RulePack, actor: str, jointly_with: list[str]) -> str:
    """`Samordnare + RSS`: an actor and those who act with it."""
    return " + ".join(_name(pack, a) for a in [actor, *jointly_with])


def doers(pack: RulePack, step: Step) -> str:
    """Who does the step by default."""
    return together(pack, step.actor, step.jointly_with)


def deciders(pack: RulePack, step: Step) -> str | None:
    """Who decides together, when the decision names `jointly_with` (else None)."""
    decision = step.decision
    if decision is None or not decision.jointly_with:
        return None
    return together(pack, decision.by or step.actor, decision.jointly_with)


def others(pack: RulePack, step: Step) -> list[Other]:
    """Every `actor_when` rule, and every mandate rule that decides jointly, in order."""
    found = [Other(together(pack, r.actor, r.jointly_with), condition_words(pack, r.when)) for r in step.actor_when]
    if step.decision is not None:
        for rule in step.decision.mandate:
            if rule.jointly_with:
                when = condition_words(pack, rule.when) if rule.when else "inget annat mandat gäller"
                found.append(Other(together(pack, rule.actor, rule.jointly_with), when, decides=True))
    return found


def annotation(pack: RulePack, step: Step) -> str | None:
    """The text beside the step in BPMN when anyone but its actor alone is responsible (else None)."""
    extra = others(pack, step)
    decide = deciders(pack, step)
    if not extra and decide is None and not step.jointly_with:
        return None
    lines = [f"Ansvarig: {doers(pack, step)}"]
    if decide is not None:
        lines.append(f"Beslutar: {decide}")
    for other in extra:
        lines.append(f"{'Beslutar' if other.decides else 'Ansvarig'} när {other.when}: {other.who}")
    return "\n".join(lines)


def _name(pack: RulePack, actor_id: str) -> str:
    actor = pack.actors.get(actor_id)
    return actor_label(actor) if actor else actor_id
