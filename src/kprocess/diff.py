"""What a change to a pack means (`kprocess diff OLD NEW`): one sentence per change.

Steps are matched by id; a removed and an added step with the same name or the same source are
one renamed step. Routes and mandate rules are compared by what they do: when they differ, the
path solver (`checks.base.solve`) finds example answers that now lead elsewhere. Each change
knows its place in NEW (a data path), so `--format github` can annotate that line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kprocess.checks.base import describe, solve
from kprocess.compare import timing_words
from kprocess.conditions import Condition
from kprocess.diagnostics import DataPath
from kprocess.i18n import N_, _
from kprocess.labels import status_label, weight_label
from kprocess.model import Decision, OptionSet, Question, SourceDocument, Step, Timing
from kprocess.pack import RulePack

Rule = tuple[Condition | None, str]  # a route or mandate rule: its condition (None: otherwise) and outcome


@dataclass(frozen=True)
class Change:
    """One change in meaning: its kind, the id it concerns, a sentence, and where it is in NEW."""

    kind: str
    id: str
    text: str
    path: DataPath = ()


@dataclass
class PackDiff:
    """Every change between two versions of a pack."""

    old: RulePack
    new: RulePack
    renamed: dict[str, str] = field(default_factory=dict)  # old step id -> new step id
    changes: list[Change] = field(default_factory=list)


def diff_packs(old: RulePack, new: RulePack) -> PackDiff:
    """The changes from `old` to `new`, in the order of the new pack's parts."""
    found = PackDiff(old, new)
    found.renamed = _renames(old, new)
    for part in (_identity, _validity, _sources, _phases, _actors, _questions, _option_sets, _flows, _steps):
        found.changes += list(part(found))
    return found


def _where(pack: RulePack, kind: str, item_id: str) -> DataPath:
    items = getattr(pack.model, kind)
    for index, item in enumerate(items):
        if item.id == item_id:
            return (kind, index)
    return (kind,)


# -- steps -------------------------------------------------------------------------------------


def _renames(old: RulePack, new: RulePack) -> dict[str, str]:
    """Removed steps that reappear under a new id: same name, else same source (and phase)."""
    removed = [s for s in old.model.steps if s.id not in new.steps]
    added = [s for s in new.model.steps if s.id not in old.steps]
    out: dict[str, str] = {}
    for same in (
        lambda a, b: a.name == b.name,
        lambda a, b: bool(a.source) and (a.source, a.phase) == (b.source, b.phase),
    ):
        for step in removed:
            if step.id in out:
                continue
            match = next((s for s in added if s.id not in out.values() and same(step, s)), None)
            if match is not None:
                out[step.id] = match.id
    return out


def _steps(found: PackDiff) -> Iterator[Change]:
    old, new = found.old, found.new
    for step in old.model.steps:
        if step.id not in new.steps and step.id not in found.renamed:
            text = _("Steget `{step}` (”{name}”) är borttaget.").format(step=step.id, name=step.name)
            yield Change("step_removed", step.id, text, ("steps",))
    for step in new.model.steps:
        where = _where(new, "steps", step.id)
        before_id = next((o for o, n in found.renamed.items() if n == step.id), step.id)
        before = old.steps.get(before_id)
        if before is None:
            phase = _phase_name(new, step.phase)
            text = _("Nytt steg `{step}` (”{name}”) i fasen {phase}.").format(step=step.id, name=step.name, phase=phase)
            yield Change("step_added", step.id, text, where)
            continue
        if before_id != step.id:
            text = _("Steget `{before}` heter nu `{step}`.").format(before=before_id, step=step.id)
            yield Change("step_renamed", step.id, text, (*where, "id"))
        yield from _step_changes(found, before, step, where)


def _step_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    old, new = found.old, found.new
    sid = step.id
    if before.name != step.name:
        text = _("Steget `{step}` heter nu ”{name}” (förut ”{before}”).").format(
            step=sid, name=step.name, before=before.name
        )
        yield Change("step_name", sid, text, (*where, "name"))
    if before.phase != step.phase:
        was, now = _phase_name(old, before.phase), _phase_name(new, step.phase)
        text = _("Steget `{step}` har flyttats från fasen {was} till {now}.").format(step=sid, was=was, now=now)
        yield Change("step_moved", sid, text, (*where, "phase"))
    if before.actor != step.actor and not (before.actor_when or step.actor_when):
        text = _("Steget `{step}` görs nu av {now} i stället för {was}.").format(
            step=sid, now=_actor(new, step.actor), was=_actor(old, before.actor)
        )
        yield Change("actor", sid, text, (*where, "actor"))
    if set(before.jointly_with) != set(step.jointly_with):
        together = ", ".join(_actor(new, a) for a in step.jointly_with) or _("ingen")
        was = ", ".join(_actor(old, a) for a in before.jointly_with) or _("ingen")
        text = _("Steget `{step}` görs nu tillsammans med {now} (förut {was}).").format(step=sid, now=together, was=was)
        yield Change("actor", sid, text, (*where, "jointly_with"))
    if (before.source or "") != (step.source or ""):
        text = _("Steget `{step}` hänvisar nu till `{now}` (förut `{was}`).").format(
            step=sid, now=step.source, was=before.source
        )
        yield Change("source", sid, text, (*where, "source"))
    if before.for_each != step.for_each:
        now = _(_FOR_EACH[step.for_each.value if step.for_each else None])
        yield Change(
            "per_party", sid, _("Steget `{step}` görs nu {how}.").format(step=sid, how=now), (*where, "for_each")
        )
    if before.timing != step.timing:
        now, was = _timing(step.timing), _timing(before.timing)
        text = _("Tidsregeln för steget `{step}` är nu {now} (förut {was}).").format(step=sid, now=now, was=was)
        yield Change("timing", sid, text, (*where, "timing"))
    yield from _end_changes(before, step, where)
    yield from _call_changes(before, step, where)
    target = found.renamed.get(before.next or "", before.next)
    if target != step.next and before.next and step.next:
        text = _("Steget `{step}` går nu vidare till `{now}` i stället för `{was}`.").format(
            step=sid, now=step.next, was=target
        )
        yield Change("route", sid, text, (*where, "next"))
    yield from _route_changes(found, before, step, where)
    yield from _branch_changes(found, before, step, where)
    yield from _actor_rule_changes(found, before, step, where)
    yield from _resume_changes(found, before, step, where)
    yield from _decision_changes(found, before, step, where)


def _timing(timing: Timing | None) -> str:
    return f"”{timing_words(timing)}”" if timing is not None and timing_words(timing) else _("ingen")


def _end_changes(before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    sid = step.id
    if before.end != step.end:
        now = status_label(step.end.value).split(" (")[0] if step.end else None
        was = status_label(before.end.value).split(" (")[0] if before.end else None
        if now and was:
            text = _("Steget `{step}` slutar nu flödet som {now} (förut {was}).").format(step=sid, now=now, was=was)
        elif now:
            text = _("Steget `{step}` slutar nu flödet som {now}.").format(step=sid, now=now)
        else:
            text = _("Steget `{step}` slutar inte längre flödet (förut {was}).").format(step=sid, was=was)
        yield Change("end", sid, text, (*where, "end") if step.end else where)
    if before.handed_to != step.handed_to and before.end == step.end:
        now_to, was_to = step.handed_to or _("ingen angiven rutin"), before.handed_to or _("ingen angiven rutin")
        text = _("Steget `{step}` lämnar nu över till {now} (förut {was}).").format(step=sid, now=now_to, was=was_to)
        yield Change("end", sid, text, (*where, "handed_to") if step.handed_to else where)


def _call_changes(before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    sid = step.id
    if before.call == step.call:
        return
    if step.call and before.call:
        text = _("Steget `{step}` kör nu flödet `{now}` (förut `{was}`) innan ärendet går vidare.").format(
            step=sid, now=step.call, was=before.call
        )
    elif step.call:
        text = _("Steget `{step}` kör nu flödet `{now}` innan ärendet går vidare.").format(step=sid, now=step.call)
    else:
        text = _("Steget `{step}` kör inte längre flödet `{was}`.").format(step=sid, was=before.call)
    yield Change("call", sid, text, (*where, "call") if step.call else where)


def _branch_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    """Parallel branches added, removed, or started under another condition (with example answers)."""
    sid = step.id
    old_index, new_index = list(found.old.steps).index(before.id), list(found.new.steps).index(step.id)
    old = {found.renamed.get(t, t): (j, w) for j, (t, w) in enumerate(before.branches)}
    new = {t: (j, w) for j, (t, w) in enumerate(step.branches)}
    for target, (j, when) in new.items():
        path = (*where, "parallel", j)
        if target not in old:
            condition = _(" när `{condition}`").format(condition=when) if when else ""
            text = _("Steget `{step}` startar nu också grenen `{target}`{condition}.").format(
                step=sid, target=target, condition=condition
            )
            yield Change("branch", sid, text, path)
            continue
        was = old[target][1]
        if (was or "") == (when or ""):
            continue
        old_c = found.old.conditions.get(("steps", old_index, "parallel", old[target][0], "when"))
        new_c = found.new.conditions.get(("steps", new_index, "parallel", j, "when"))
        text = _("Villkoret för grenen `{target}` från steget `{step}` är nu {now} (förut {was})").format(
            target=target, step=sid, now=_when(when), was=_when(was)
        )
        flip = _flip(found, old_c, new_c, _("startar grenen nu (förut inte)"), _("startar grenen inte längre"))
        yield Change("branch", sid, text + flip + ".", (*path, "when"))
    for target in old:
        if target not in new:
            text = _("Steget `{step}` startar inte längre grenen `{target}`.").format(step=sid, target=target)
            yield Change("branch", sid, text, (*where, "parallel"))


def _when(text: str | None) -> str:
    return f"`{text}`" if text else _("alltid")


def _flip(found: PackDiff, old: Condition | None, new: Condition | None, now_holds: str, no_longer: str) -> str:
    """`: med a=ja startar grenen nu (förut inte)`: answers for which a condition now comes out otherwise."""
    for was, now in ((False, True), (True, False)):
        constraints = [(c, want) for c, want in ((old, was), (new, now)) if c is not None]
        if (old is None and not was) or (new is None and not now):
            continue
        answers = _solve(found, constraints) if constraints else {}
        if answers is not None:
            return _(": med {answers} {outcome}").format(
                answers=describe(answers), outcome=now_holds if now else no_longer
            )
    return _(", men det gäller för samma svar som förut")


def _actor_rule_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    """Who does the step by condition (`actor_when`, else `actor`), with example answers."""
    if not before.actor_when and not step.actor_when:
        return
    old_rules = _doers(found.old, before, lambda a: a)
    new_rules = _doers(found.new, step, lambda a: a)
    if [(c.text if c else None, o) for c, o in old_rules] == [(c.text if c else None, o) for c, o in new_rules]:
        return
    example = _first_difference(found, old_rules, new_rules)
    path = (*where, "actor_when") if step.actor_when else (*where, "actor")
    if example is None:
        text = _("Reglerna för vem som gör steget `{step}` är omskrivna men ger samma aktör för alla svar.").format(
            step=step.id
        )
    else:
        answers, was, now = example
        text = _("Vem som gör steget `{step}` har ändrats: med {answers} gör nu {now} det i stället för {was}.").format(
            step=step.id, answers=answers, now=_doer(found.new, now), was=_doer(found.old, was)
        )
    yield Change("actor", step.id, text, path)


def _doers(pack: RulePack, step: Step, _: Callable[[str], str]) -> list[Rule]:
    index = list(pack.steps).index(step.id)
    rules: list[Rule] = [
        (pack.conditions.get(("steps", index, "actor_when", j, "when")), "+".join([r.actor, *r.jointly_with]))
        for j, r in enumerate(step.actor_when)
    ]
    return [*rules, (None, "+".join([step.actor, *step.jointly_with]))]


def _doer(pack: RulePack, outcome: str) -> str:
    actor, *jointly = outcome.split("+")
    return _actor(pack, actor) + "".join(_(" tillsammans med {actor}").format(actor=_actor(pack, a)) for a in jointly)


def _resume_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    """How a parked case is taken up again: added, removed, condition, where it goes on, the wait."""
    old, new, sid = before.resume, step.resume, step.id
    if old is None and new is None:
        return
    path = (*where, "resume")
    if old is None or new is None:
        text = (
            _(
                "Ett ärende som parkeras i steget `{step}` kan nu tas upp igen när `{condition}` och fortsätter då "
                "i `{target}`."
            ).format(step=sid, condition=new.when, target=new.to)
            if new
            else _("Ett ärende som parkeras i steget `{step}` kan inte längre tas upp igen.").format(step=sid)
        )
        yield Change("resume", sid, text, path if new else where)
        return
    if old.when != new.when:
        old_c = found.old.conditions.get((*found.old.step_path(before.id), "resume", "when"))
        new_c = found.new.conditions.get((*found.new.step_path(sid), "resume", "when"))
        text = _(
            "Villkoret för att ta upp ett parkerat ärende i steget `{step}` igen är nu `{now}` (förut `{was}`)"
        ).format(step=sid, now=new.when, was=old.when)
        flip = _flip(found, old_c, new_c, _("tas det nu upp (förut inte)"), _("tas det inte längre upp"))
        yield Change("resume", sid, text + flip + ".", (*path, "when"))
    if found.renamed.get(old.to, old.to) != new.to:
        text = _("Ett ärende som tas upp igen i steget `{step}` fortsätter nu i `{now}` (förut `{was}`).").format(
            step=sid, now=new.to, was=old.to
        )
        yield Change("resume", sid, text, (*path, "to"))
    if old.wait != new.wait:
        now, was = _timing(new.wait), _timing(old.wait)
        text = _("Väntetiden för ett parkerat ärende i steget `{step}` är nu {now} (förut {was}).").format(
            step=sid, now=now, was=was
        )
        yield Change("resume", sid, text, (*path, "wait") if new.wait else path)


def _route_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    old_rules = _rules(found.old, before, "routes", lambda r: found.renamed.get(r.target, r.target))
    new_rules = _rules(found.new, step, "routes", lambda r: r.target)
    if not old_rules and not new_rules:
        return
    if [(c.text if c else None, t) for c, t in old_rules] == [(c.text if c else None, t) for c, t in new_rules]:
        return
    if not old_rules or not new_rules:
        text = (
            _("Steget `{step}` har nu vägar ut.") if new_rules else _("Steget `{step}` har nu inga vägar ut.")
        ).format(step=step.id)
        yield Change("route", step.id, text, (*where, "routes"))
        return
    added = [t for _, t in new_rules if t not in {t for _, t in old_rules}]
    example = _first_difference(found, old_rules, new_rules)
    if example is None:
        text = _("Vägarna från steget `{step}` är omskrivna men leder dit de ledde förut för alla svar.").format(
            step=step.id
        )
    else:
        answers, was, now = example
        text = _(
            "Vägarna från steget `{step}` har ändrats: med {answers} går ärendet nu till `{now}` i stället för `{was}`."
        ).format(step=step.id, answers=answers, now=now, was=was)
    if added:
        text += _(" Ny väg till {targets}.").format(targets=", ".join(f"`{t}`" for t in added))
    yield Change("route", step.id, text, (*where, "routes"))


def _decision_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    old_d, new_d = before.decision, step.decision
    sid = step.id
    if old_d is None and new_d is None:
        return
    if old_d is None or new_d is None:
        text = (
            _("Steget `{step}` har nu ett beslut om `{question}`.").format(step=sid, question=new_d.question)
            if new_d
            else _("Steget `{step}` har nu inget beslut.").format(step=sid)
        )
        yield Change("decision", sid, text, (*where, "decision"))
        return
    path = (*where, "decision")
    if old_d.question != new_d.question:
        text = _("Beslutet i steget `{step}` gäller nu `{now}` (förut `{was}`).").format(
            step=sid, now=new_d.question, was=old_d.question
        )
        yield Change("decision", sid, text, (*path, "question"))
    old_rules = _mandates(found.old, before, old_d)
    new_rules = _mandates(found.new, step, new_d)
    if [(c.text if c else None, h) for c, h in old_rules] == [(c.text if c else None, h) for c, h in new_rules]:
        return
    if len(old_rules) == 1 and len(new_rules) == 1:
        now, was = _holder(found.new, new_rules[0][1]), _holder(found.old, old_rules[0][1])
        text = _("Mandatet i steget `{step}` har flyttats: {now} i stället för {was}.").format(
            step=sid, now=now, was=was
        )
    else:
        example = _first_difference(found, old_rules, new_rules)
        if example is None:
            text = _("Mandatreglerna i steget `{step}` är omskrivna men ger samma mandat för alla svar.").format(
                step=sid
            )
        else:
            answers, was, now = example
            text = _(
                "Mandatet i steget `{step}` har flyttats: med {answers} beslutar nu {now} i stället för {was}."
            ).format(step=sid, answers=answers, now=_holder(found.new, now), was=_holder(found.old, was))
    yield Change("mandate", sid, text, (*path, "mandate" if new_d.mandate else "by"))


def _rules(pack: RulePack, step: Step, kind: str, target: Callable[[Any], str]) -> list[Rule]:
    index = list(pack.steps).index(step.id)
    return [
        (pack.conditions.get(("steps", index, kind, j, "when")), target(route))
        for j, route in enumerate(getattr(step, kind))
    ]


def _mandates(pack: RulePack, step: Step, decision: Decision) -> list[Rule]:
    """A decision's mandate as rules; the outcome is `holder/weight` (jointly holders after `+`)."""
    if decision.by:
        return [(None, _outcome(decision.by, decision.weight.value, decision.jointly_with))]
    index = list(pack.steps).index(step.id)
    return [
        (
            pack.conditions.get(("steps", index, "decision", "mandate", j, "when")),
            _outcome(rule.actor, (rule.weight or decision.weight).value, rule.jointly_with or decision.jointly_with),
        )
        for j, rule in enumerate(decision.mandate)
    ]


def _outcome(actor: str, weight: str, jointly: Sequence[str]) -> str:
    return "/".join([actor, weight]) + "".join(f"+{a}" for a in jointly)


def _holder(pack: RulePack, outcome: str) -> str:
    head, *jointly = outcome.split("+")
    actor, _slash, weight = head.partition("/")
    together = "".join(_(" tillsammans med {actor}").format(actor=_actor(pack, a)) for a in jointly)
    return f"{_actor(pack, actor)}{together} ({weight_label(weight)})"


def _first_difference(found: PackDiff, old_rules: list[Rule], new_rules: list[Rule]) -> tuple[str, str, str] | None:
    """Example answers for which the first rule that holds leads elsewhere in NEW than in OLD."""
    for a, (old_condition, was) in enumerate(old_rules):
        for b, (new_condition, now) in enumerate(new_rules):
            if was == now:
                continue
            constraints = [(c, False) for c, _o in old_rules[:a] if c] + [(c, False) for c, _o in new_rules[:b] if c]
            constraints += [(c, True) for c in (old_condition, new_condition) if c]
            if not constraints:
                return _("alla svar"), was, now
            answers = _solve(found, constraints)
            if answers is not None:
                return describe(answers), was, now
    return None


def _solve(found: PackDiff, constraints: list[tuple[Condition, bool]]) -> dict[str, Any] | None:
    names = set().union(*(c.questions for c, _want in constraints))
    pack = found.new if all(n in found.new.questions or n in found.new.derived for n in names) else found.old
    if not all(n in pack.questions or n in pack.derived for n in names):
        return None
    return solve(pack, constraints)


# -- the other parts ---------------------------------------------------------------------------


def _phase_name(pack: RulePack, phase_id: str) -> str:
    return next((p.name for p in pack.model.phases if p.id == phase_id), phase_id)


def _actor(pack: RulePack, actor_id: str) -> str:
    actor = pack.actors.get(actor_id)
    return (actor.short or actor.name) if actor else f"`{actor_id}`"


def _validity(found: PackDiff) -> Iterator[Change]:
    old, new = found.old.model.validity, found.new.model.validity
    if old == new:
        return
    before = old.model_dump(exclude_none=True) if old else {}
    after = new.model_dump(exclude_none=True) if new else {}
    for key in sorted(set(before) | set(after), key=lambda k: list(after).index(k) if k in after else 99):
        if before.get(key) != after.get(key):
            text = _("Giltigheten har ändrats: `{key}` är nu {now} (förut {was}).").format(
                key=key, now=_plain(after.get(key)), was=_plain(before.get(key))
            )
            yield Change("validity", key, text, ("validity", key))


def _plain(value: Any) -> str:
    if value is None:
        return _("inte angivet")
    if isinstance(value, dict):
        return ", ".join(f"{v} {k}" for k, v in value.items() if v)
    return str(value)


def _sources(found: PackDiff) -> Iterator[Change]:
    old = {s.id: s for s in found.old.model.sources}
    for doc in found.new.model.sources:
        where = _where(found.new, "sources", doc.id)
        before = old.pop(doc.id, None)
        if before is None:
            text = _("Nytt källdokument {document}: ”{title}”.").format(document=doc.id, title=doc.title)
            yield Change("source", doc.id, text, where)
            continue
        for key in ("title", "decided", "revised", "file"):
            if getattr(before, key) != getattr(doc, key):
                text = _("Källdokument {document}: `{key}` är nu {now} (förut {was}).").format(
                    document=doc.id, key=key, now=getattr(doc, key), was=getattr(before, key)
                )
                yield Change("source", doc.id, text, (*where, key))
        yield from _sections(doc, before, where)
    for doc_id, doc in old.items():
        text = _("Källdokument {document} (”{title}”) är borttaget.").format(document=doc_id, title=doc.title)
        yield Change("source", doc_id, text, ("sources",))


def _sections(doc: SourceDocument, before: SourceDocument, where: DataPath) -> Iterator[Change]:
    """A source's sections added, removed, retitled, or moved in or out of the pack's scope."""
    old = {s.id: s for s in before.sections}
    for k, section in enumerate(doc.sections):
        path = (*where, "sections", k)
        was = old.pop(section.id, None)
        name = _("Avsnittet {section} i källdokument {document}").format(section=section.id, document=doc.id)
        if was is None:
            text = _("Källdokument {document} har ett nytt avsnitt {section} (”{title}”).").format(
                document=doc.id, section=section.id, title=section.title
            )
            yield Change("section", doc.id, text, path)
            continue
        if was.title != section.title:
            text = _("{name} heter nu ”{now}” (förut ”{was}”).").format(name=name, now=section.title, was=was.title)
            yield Change("section", doc.id, text, (*path, "title"))
        if (was.out_of_scope is None) != (section.out_of_scope is None):
            text = (
                _("{name} ligger nu utanför paketet: {reason}").format(name=name, reason=section.out_of_scope)
                if section.out_of_scope
                else _("{name} hör nu till paketet (förut utanför: {reason})").format(
                    name=name, reason=was.out_of_scope
                )
            )
            yield Change("section", doc.id, text.rstrip(".") + ".", path)
    for section_id in old:
        text = _("Avsnittet {section} i källdokument {document} är borttaget.").format(
            section=section_id, document=doc.id
        )
        yield Change("section", doc.id, text, (*where, "sections"))


def _phases(found: PackDiff) -> Iterator[Change]:
    yield from _ids(found, "phases", _NOUNS["phases"], lambda a, b: [] if a.name == b.name else [("name", b.name)])


def _flows(found: PackDiff) -> Iterator[Change]:
    def changed(a: Any, b: Any) -> list[tuple[str, str]]:
        start = found.renamed.get(a.start, a.start)
        return [("start", f"`{b.start}`")] if start != b.start else []

    yield from _ids(found, "flows", _NOUNS["flows"], changed)


def _actors(found: PackDiff) -> Iterator[Change]:
    def changed(a: Any, b: Any) -> list[tuple[str, str]]:
        out = [
            (k, str(getattr(b, k))) for k in ("name", "short", "principal", "level") if getattr(a, k) != getattr(b, k)
        ]
        if a.members != b.members:
            out.append(("members", _("{count} platser").format(count=len(b.members))))
        return out

    yield from _ids(found, "actors", _NOUNS["actors"], changed)


def _questions(found: PackDiff) -> Iterator[Change]:
    def changed(a: Question, b: Question) -> list[tuple[str, str]]:
        out = []
        if a.type != b.type:
            out.append(("type", _("{now} (förut {was})").format(now=b.type.value, was=a.type.value)))
        if [o.id for o in a.options] != [o.id for o in b.options]:
            out.append(("options", ", ".join(o.id for o in b.options)))
        for key in ("text", "default", "per_party"):
            if getattr(a, key) != getattr(b, key):
                out.append((key, str(getattr(b, key))))
        return out

    yield from _ids(found, "questions", _NOUNS["questions"], changed)
    yield from _derived(found)


def _derived(found: PackDiff) -> Iterator[Change]:
    """A derived question whose expression changed, with answers for which it now comes out otherwise."""
    old = {q.id: (k, q) for k, q in enumerate(found.old.model.questions)}
    for k, question in enumerate(found.new.model.questions):
        if question.id not in old or old[question.id][1].derived == question.derived:
            continue
        j, before = old[question.id]
        path = ("questions", k, "derived")
        qid = question.id
        if question.derived is None:
            text = _("Frågan `{question}` härleds inte längre ur `{was}`: den besvaras nu.").format(
                question=qid, was=before.derived
            )
            yield Change("derived", qid, text, ("questions", k))
            continue
        if before.derived is None:
            text = _("Frågan `{question}` besvaras inte längre: den härleds nu ur `{now}`.").format(
                question=qid, now=question.derived
            )
            yield Change("derived", qid, text, path)
            continue
        old_c, new_c = found.old.conditions.get(("questions", j, "derived")), found.new.conditions.get(path)
        text = _("Frågan `{question}` härleds nu ur `{now}` (förut `{was}`)").format(
            question=qid, now=question.derived, was=before.derived
        )
        flip = _flip(found, old_c, new_c, _("är svaret nu ja (förut nej)"), _("är svaret nu nej (förut ja)"))
        yield Change("derived", qid, text + flip + ".", path)


def _option_sets(found: PackDiff) -> Iterator[Change]:
    """Option sets added, removed, or with other options (answers a condition on the set now takes in)."""
    old = {o.id: o for o in found.old.model.option_sets}
    for k, option_set in enumerate(found.new.model.option_sets):
        before = old.pop(option_set.id, None)
        sid, path = option_set.id, ("option_sets", k)
        if before is None:
            text = _("Ny alternativmängd `{set}` för frågan `{question}`: {options}.").format(
                set=sid, question=option_set.question, options=", ".join(option_set.options)
            )
            yield Change("option_set", sid, text, path)
            continue
        if before.question != option_set.question:
            text = _("Alternativmängden `{set}` gäller nu frågan `{now}` (förut `{was}`).").format(
                set=sid, now=option_set.question, was=before.question
            )
            yield Change("option_set", sid, text, (*path, "question"))
        added = [o for o in option_set.options if o not in before.options]
        removed = [o for o in before.options if o not in option_set.options]
        if added or removed:
            yield Change("option_set", sid, _members(option_set, added, removed), (*path, "options"))
    for sid in old:
        yield Change("option_set", sid, _("Alternativmängden `{set}` är borttagen.").format(set=sid), ("option_sets",))


def _members(option_set: OptionSet, added: list[str], removed: list[str]) -> str:
    """`Alternativmängden x har nu också a och inte längre b: villkor på den gäller nu med q=a, inte med q=b.`"""
    q = option_set.question
    parts = []
    if added:
        parts.append(_("nu också {options}").format(options=", ".join(f"`{o}`" for o in added)))
    if removed:
        parts.append(_("inte längre {options}").format(options=", ".join(f"`{o}`" for o in removed)))
    effects = []
    if added:
        effects.append(_("nu med {answer}").format(answer=f"{q}={added[0]}"))
    if removed:
        effects.append(_("inte längre med {answer}").format(answer=f"{q}={removed[0]}"))
    both = _(" och ")
    return _("Alternativmängden `{set}` har {changes}: villkor på den gäller {effects}.").format(
        set=option_set.id, changes=both.join(parts), effects=both.join(effects)
    )


def _identity(found: PackDiff) -> Iterator[Change]:
    """The pack's own `id`, `county` and `name`."""
    words = {"id": N_("id"), "county": N_("län"), "name": N_("namn")}
    for key, word in words.items():
        was, now = getattr(found.old.model, key), getattr(found.new.model, key)
        if was != now:
            text = _("Paketets {word} (`{key}`) är nu ”{now}” (förut ”{was}”).").format(
                word=_(word), key=key, now=now, was=was
            )
            yield Change("pack", key, text, (key,))


_NOUNS = {  # added, changed, removed
    "phases": (N_("Ny fas: `{id}`."), N_("I fasen `{id}` är `{key}` nu {value}."), N_("Fasen `{id}` är borttagen.")),
    "flows": (
        N_("Nytt flöde: `{id}`."),
        N_("I flödet `{id}` är `{key}` nu {value}."),
        N_("Flödet `{id}` är borttaget."),
    ),
    "actors": (
        N_("Ny aktör: `{id}`."),
        N_("I aktören `{id}` är `{key}` nu {value}."),
        N_("Aktören `{id}` är borttagen."),
    ),
    "questions": (
        N_("Ny fråga: `{id}`."),
        N_("I frågan `{id}` är `{key}` nu {value}."),
        N_("Frågan `{id}` är borttagen."),
    ),
}
_FOR_EACH = {"parties": N_("av varje huvudman"), "municipalities": N_("av varje kommun"), None: N_("en gång")}


def _ids(
    found: PackDiff, kind: str, nouns: tuple[str, str, str], changed: Callable[[Any, Any], list[tuple[str, str]]]
) -> Iterator[Change]:
    added_text, changed_text, removed_text = nouns
    old = {item.id: item for item in getattr(found.old.model, kind)}
    for item in getattr(found.new.model, kind):
        where = _where(found.new, kind, item.id)
        before = old.pop(item.id, None)
        if before is None:
            yield Change(f"{kind}_added", item.id, _(added_text).format(id=item.id), where)
            continue
        for key, value in changed(before, item):
            text = _(changed_text).format(id=item.id, key=key, value=value)
            yield Change(f"{kind}_changed", item.id, text, (*where, key))
    for item_id in old:
        yield Change(f"{kind}_removed", item_id, _(removed_text).format(id=item_id), (kind,))


# -- golden cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseEffect:
    """A golden case recorded under OLD that takes another path, or no longer runs, in NEW."""

    case: str
    kind: str  # rerouted | failed
    text: str


def case_effects(found: PackDiff, cases: Sequence[tuple[str, dict[str, Any], str | None]]) -> list[CaseEffect]:
    """Run each case (name, answers, flow) in OLD and NEW; report those whose path changed."""
    from kprocess.answers import AnswerError
    from kprocess.engine import RunError, run_case

    out = []
    for name, answers, flow in cases:
        try:
            before = run_case(found.old, answers, flow=flow).path()
        except (RunError, AnswerError):
            continue  # the case did not run under OLD either: not this change's doing
        try:
            after = run_case(found.new, answers, flow=flow).path()
        except (RunError, AnswerError) as error:
            text = _("Testfallet {case} kan inte köras i det nya paketet: {error}.").format(case=name, error=error)
            out.append(CaseEffect(name, "failed", text))
            continue
        mapped = [found.renamed.get(s, s) for s in before]
        if mapped != after:
            at = next(
                (i for i, (a, b) in enumerate(zip(mapped, after, strict=False)) if a != b), min(len(mapped), len(after))
            )
            was = f"`{mapped[at]}`" if at < len(mapped) else _("slutet")
            now = f"`{after[at]}`" if at < len(after) else _("slutet")
            after_step = _(" efter `{step}`").format(step=after[at - 1]) if at else ""
            text = _(
                "Testfallet {case} tar en annan väg i det nya paketet:{after} går det nu till {now} "
                "i stället för {was}."
            ).format(case=name, after=after_step, now=now, was=was)
            out.append(CaseEffect(name, "rerouted", text))
    return out
