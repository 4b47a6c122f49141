"""What a change to a pack means (`kprocess diff OLD NEW`): one Swedish sentence per change.

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
from kprocess.labels import STATUS_LABEL, WEIGHT_LABEL
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
            yield Change("step_removed", step.id, f"Steget `{step.id}` (”{step.name}”) är borttaget.", ("steps",))
    for step in new.model.steps:
        where = _where(new, "steps", step.id)
        before_id = next((o for o, n in found.renamed.items() if n == step.id), step.id)
        before = old.steps.get(before_id)
        if before is None:
            phase = _phase_name(new, step.phase)
            yield Change("step_added", step.id, f"Nytt steg `{step.id}` (”{step.name}”) i fasen {phase}.", where)
            continue
        if before_id != step.id:
            yield Change("step_renamed", step.id, f"Steget `{before_id}` heter nu `{step.id}`.", (*where, "id"))
        yield from _step_changes(found, before, step, where)


def _step_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    old, new = found.old, found.new
    sid = step.id
    if before.name != step.name:
        yield Change(
            "step_name", sid, f"Steget `{sid}` heter nu ”{step.name}” (förut ”{before.name}”).", (*where, "name")
        )
    if before.phase != step.phase:
        was, now = _phase_name(old, before.phase), _phase_name(new, step.phase)
        text = f"Steget `{sid}` har flyttats från fasen {was} till {now}."
        yield Change("step_moved", sid, text, (*where, "phase"))
    if before.actor != step.actor and not (before.actor_when or step.actor_when):
        text = f"Steget `{sid}` görs nu av {_actor(new, step.actor)} i stället för {_actor(old, before.actor)}."
        yield Change("actor", sid, text, (*where, "actor"))
    if set(before.jointly_with) != set(step.jointly_with):
        together = ", ".join(_actor(new, a) for a in step.jointly_with) or "ingen"
        was = ", ".join(_actor(old, a) for a in before.jointly_with) or "ingen"
        text = f"Steget `{sid}` görs nu tillsammans med {together} (förut {was})."
        yield Change("actor", sid, text, (*where, "jointly_with"))
    if (before.source or "") != (step.source or ""):
        text = f"Steget `{sid}` hänvisar nu till `{step.source}` (förut `{before.source}`)."
        yield Change("source", sid, text, (*where, "source"))
    if before.for_each != step.for_each:
        now = {"parties": "av varje huvudman", "municipalities": "av varje kommun", None: "en gång"}[
            step.for_each.value if step.for_each else None
        ]
        yield Change("per_party", sid, f"Steget `{sid}` görs nu {now}.", (*where, "for_each"))
    if before.timing != step.timing:
        now, was = _timing(step.timing), _timing(before.timing)
        text = f"Tidsregeln för steget `{sid}` är nu {now} (förut {was})."
        yield Change("timing", sid, text, (*where, "timing"))
    yield from _end_changes(before, step, where)
    yield from _call_changes(before, step, where)
    target = found.renamed.get(before.next or "", before.next)
    if target != step.next and before.next and step.next:
        text = f"Steget `{sid}` går nu vidare till `{step.next}` i stället för `{target}`."
        yield Change("route", sid, text, (*where, "next"))
    yield from _route_changes(found, before, step, where)
    yield from _branch_changes(found, before, step, where)
    yield from _actor_rule_changes(found, before, step, where)
    yield from _resume_changes(found, before, step, where)
    yield from _decision_changes(found, before, step, where)


def _timing(timing: Timing | None) -> str:
    return f"”{timing_words(timing)}”" if timing is not None and timing_words(timing) else "ingen"


def _end_changes(before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    sid = step.id
    if before.end != step.end:
        now = STATUS_LABEL.get(step.end.value, step.end.value).split(" (")[0] if step.end else None
        was = STATUS_LABEL.get(before.end.value, before.end.value).split(" (")[0] if before.end else None
        if now and was:
            text = f"Steget `{sid}` slutar nu flödet som {now} (förut {was})."
        elif now:
            text = f"Steget `{sid}` slutar nu flödet som {now}."
        else:
            text = f"Steget `{sid}` slutar inte längre flödet (förut {was})."
        yield Change("end", sid, text, (*where, "end") if step.end else where)
    if before.handed_to != step.handed_to and before.end == step.end:
        now_to, was_to = step.handed_to or "ingen angiven rutin", before.handed_to or "ingen angiven rutin"
        text = f"Steget `{sid}` lämnar nu över till {now_to} (förut {was_to})."
        yield Change("end", sid, text, (*where, "handed_to") if step.handed_to else where)


def _call_changes(before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    sid = step.id
    if before.call == step.call:
        return
    if step.call and before.call:
        text = f"Steget `{sid}` kör nu flödet `{step.call}` (förut `{before.call}`) innan ärendet går vidare."
    elif step.call:
        text = f"Steget `{sid}` kör nu flödet `{step.call}` innan ärendet går vidare."
    else:
        text = f"Steget `{sid}` kör inte längre flödet `{before.call}`."
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
            condition = f" när `{when}`" if when else ""
            yield Change("branch", sid, f"Steget `{sid}` startar nu också grenen `{target}`{condition}.", path)
            continue
        was = old[target][1]
        if (was or "") == (when or ""):
            continue
        old_c = found.old.conditions.get(("steps", old_index, "parallel", old[target][0], "when"))
        new_c = found.new.conditions.get(("steps", new_index, "parallel", j, "when"))
        text = f"Villkoret för grenen `{target}` från steget `{sid}` är nu {_when(when)} (förut {_when(was)})"
        yield Change(
            "branch",
            sid,
            text + _flip(found, old_c, new_c, "startar grenen nu (förut inte)", "startar grenen inte längre") + ".",
            (*path, "when"),
        )
    for target in old:
        if target not in new:
            yield Change("branch", sid, f"Steget `{sid}` startar inte längre grenen `{target}`.", (*where, "parallel"))


def _when(text: str | None) -> str:
    return f"`{text}`" if text else "alltid"


def _flip(found: PackDiff, old: Condition | None, new: Condition | None, now_holds: str, no_longer: str) -> str:
    """`: med a=ja startar grenen nu (förut inte)`: answers for which a condition now comes out otherwise."""
    for was, now in ((False, True), (True, False)):
        constraints = [(c, want) for c, want in ((old, was), (new, now)) if c is not None]
        if (old is None and not was) or (new is None and not now):
            continue
        answers = _solve(found, constraints) if constraints else {}
        if answers is not None:
            return f": med {describe(answers)} {now_holds if now else no_longer}"
    return ", men det gäller för samma svar som förut"


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
        text = f"Reglerna för vem som gör steget `{step.id}` är omskrivna men ger samma aktör för alla svar."
    else:
        answers, was, now = example
        text = (
            f"Vem som gör steget `{step.id}` har ändrats: med {answers} gör nu {_doer(found.new, now)} det "
            f"i stället för {_doer(found.old, was)}."
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
    return _actor(pack, actor) + "".join(f" tillsammans med {_actor(pack, a)}" for a in jointly)


def _resume_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    """How a parked case is taken up again: added, removed, condition, where it goes on, the wait."""
    old, new, sid = before.resume, step.resume, step.id
    if old is None and new is None:
        return
    path = (*where, "resume")
    if old is None or new is None:
        text = (
            f"Ett ärende som parkeras i steget `{sid}` kan nu tas upp igen när `{new.when}` och fortsätter då "
            f"i `{new.to}`."
            if new
            else f"Ett ärende som parkeras i steget `{sid}` kan inte längre tas upp igen."
        )
        yield Change("resume", sid, text, path if new else where)
        return
    if old.when != new.when:
        old_c = found.old.conditions.get((*found.old.step_path(before.id), "resume", "when"))
        new_c = found.new.conditions.get((*found.new.step_path(sid), "resume", "when"))
        text = f"Villkoret för att ta upp ett parkerat ärende i steget `{sid}` igen är nu `{new.when}`"
        text += f" (förut `{old.when}`)"
        yield Change(
            "resume",
            sid,
            text + _flip(found, old_c, new_c, "tas det nu upp (förut inte)", "tas det inte längre upp") + ".",
            (*path, "when"),
        )
    if found.renamed.get(old.to, old.to) != new.to:
        text = f"Ett ärende som tas upp igen i steget `{sid}` fortsätter nu i `{new.to}` (förut `{old.to}`)."
        yield Change("resume", sid, text, (*path, "to"))
    if old.wait != new.wait:
        now, was = _timing(new.wait), _timing(old.wait)
        text = f"Väntetiden för ett parkerat ärende i steget `{sid}` är nu {now} (förut {was})."
        yield Change("resume", sid, text, (*path, "wait") if new.wait else path)


def _route_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    old_rules = _rules(found.old, before, "routes", lambda r: found.renamed.get(r.target, r.target))
    new_rules = _rules(found.new, step, "routes", lambda r: r.target)
    if not old_rules and not new_rules:
        return
    if [(c.text if c else None, t) for c, t in old_rules] == [(c.text if c else None, t) for c, t in new_rules]:
        return
    if not old_rules or not new_rules:
        text = f"Steget `{step.id}` har nu {'vägar' if new_rules else 'inga vägar'} ut."
        yield Change("route", step.id, text, (*where, "routes"))
        return
    added = [t for _, t in new_rules if t not in {t for _, t in old_rules}]
    example = _first_difference(found, old_rules, new_rules)
    if example is None:
        text = f"Vägarna från steget `{step.id}` är omskrivna men leder dit de ledde förut för alla svar."
    else:
        answers, was, now = example
        text = (
            f"Vägarna från steget `{step.id}` har ändrats: med {answers} går ärendet nu till `{now}` "
            f"i stället för `{was}`."
        )
    if added:
        text += " Ny väg till " + ", ".join(f"`{t}`" for t in added) + "."
    yield Change("route", step.id, text, (*where, "routes"))


def _decision_changes(found: PackDiff, before: Step, step: Step, where: DataPath) -> Iterator[Change]:
    old_d, new_d = before.decision, step.decision
    sid = step.id
    if old_d is None and new_d is None:
        return
    if old_d is None or new_d is None:
        text = f"Steget `{sid}` har nu {'ett beslut' if new_d else 'inget beslut'}" + (
            f" om `{new_d.question}`." if new_d else "."
        )
        yield Change("decision", sid, text, (*where, "decision"))
        return
    path = (*where, "decision")
    if old_d.question != new_d.question:
        text = f"Beslutet i steget `{sid}` gäller nu `{new_d.question}` (förut `{old_d.question}`)."
        yield Change("decision", sid, text, (*path, "question"))
    old_rules = _mandates(found.old, before, old_d)
    new_rules = _mandates(found.new, step, new_d)
    if [(c.text if c else None, h) for c, h in old_rules] == [(c.text if c else None, h) for c, h in new_rules]:
        return
    if len(old_rules) == 1 and len(new_rules) == 1:
        now, was = _holder(found.new, new_rules[0][1]), _holder(found.old, old_rules[0][1])
        text = f"Mandatet i steget `{sid}` har flyttats: {now} i stället för {was}."
    else:
        example = _first_difference(found, old_rules, new_rules)
        if example is None:
            text = f"Mandatreglerna i steget `{sid}` är omskrivna men ger samma mandat för alla svar."
        else:
            answers, was, now = example
            text = (
                f"Mandatet i steget `{sid}` har flyttats: med {answers} beslutar nu "
                f"{_holder(found.new, now)} i stället för {_holder(found.old, was)}."
            )
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
    actor, _, weight = head.partition("/")
    together = "".join(f" tillsammans med {_actor(pack, a)}" for a in jointly)
    return f"{_actor(pack, actor)}{together} ({WEIGHT_LABEL.get(weight, weight)})"


def _first_difference(found: PackDiff, old_rules: list[Rule], new_rules: list[Rule]) -> tuple[str, str, str] | None:
    """Example answers for which the first rule that holds leads elsewhere in NEW than in OLD."""
    for a, (old_condition, was) in enumerate(old_rules):
        for b, (new_condition, now) in enumerate(new_rules):
            if was == now:
                continue
            constraints = [(c, False) for c, _ in old_rules[:a] if c] + [(c, False) for c, _ in new_rules[:b] if c]
            constraints += [(c, True) for c in (old_condition, new_condition) if c]
            if not constraints:
                return "alla svar", was, now
            answers = _solve(found, constraints)
            if answers is not None:
                return describe(answers), was, now
    return None


def _solve(found: PackDiff, constraints: list[tuple[Condition, bool]]) -> dict[str, Any] | None:
    names = set().union(*(c.questions for c, _ in constraints))
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
            text = f"Giltigheten har ändrats: `{key}` är nu {_plain(after.get(key))} (förut {_plain(before.get(key))})."
            yield Change("validity", key, text, ("validity", key))


def _plain(value: Any) -> str:
    if value is None:
        return "inte angivet"
    if isinstance(value, dict):
        return ", ".join(f"{v} {k}" for k, v in value.items() if v)
    return str(value)


def _sources(found: PackDiff) -> Iterator[Change]:
    old = {s.id: s for s in found.old.model.sources}
    for doc in found.new.model.sources:
        where = _where(found.new, "sources", doc.id)
        before = old.pop(doc.id, None)
        if before is None:
            yield Change("source", doc.id, f"Nytt källdokument {doc.id}: ”{doc.title}”.", where)
            continue
        for key in ("title", "decided", "revised", "file"):
            if getattr(before, key) != getattr(doc, key):
                text = f"Källdokument {doc.id}: `{key}` är nu {getattr(doc, key)} (förut {getattr(before, key)})."
                yield Change("source", doc.id, text, (*where, key))
        yield from _sections(doc, before, where)
    for doc_id, doc in old.items():
        yield Change("source", doc_id, f"Källdokument {doc_id} (”{doc.title}”) är borttaget.", ("sources",))


def _sections(doc: SourceDocument, before: SourceDocument, where: DataPath) -> Iterator[Change]:
    """A source's sections added, removed, retitled, or moved in or out of the pack's scope."""
    old = {s.id: s for s in before.sections}
    for k, section in enumerate(doc.sections):
        path = (*where, "sections", k)
        was = old.pop(section.id, None)
        name = f"Avsnittet {section.id} i källdokument {doc.id}"
        if was is None:
            yield Change(
                "section", doc.id, f"Källdokument {doc.id} har ett nytt avsnitt {section.id} (”{section.title}”).", path
            )
            continue
        if was.title != section.title:
            yield Change(
                "section", doc.id, f"{name} heter nu ”{section.title}” (förut ”{was.title}”).", (*path, "title")
            )
        if (was.out_of_scope is None) != (section.out_of_scope is None):
            text = (
                f"{name} ligger nu utanför paketet: {section.out_of_scope}"
                if section.out_of_scope
                else f"{name} hör nu till paketet (förut utanför: {was.out_of_scope})"
            )
            yield Change("section", doc.id, text.rstrip(".") + ".", path)
    for section_id in old:
        yield Change(
            "section", doc.id, f"Avsnittet {section_id} i källdokument {doc.id} är borttaget.", (*where, "sections")
        )


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
            out.append(("members", f"{len(b.members)} platser"))
        return out

    yield from _ids(found, "actors", _NOUNS["actors"], changed)


def _questions(found: PackDiff) -> Iterator[Change]:
    def changed(a: Question, b: Question) -> list[tuple[str, str]]:
        out = []
        if a.type != b.type:
            out.append(("type", f"{b.type.value} (förut {a.type.value})"))
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
            text = f"Frågan `{qid}` härleds inte längre ur `{before.derived}`: den besvaras nu."
            yield Change("derived", qid, text, ("questions", k))
            continue
        if before.derived is None:
            text = f"Frågan `{qid}` besvaras inte längre: den härleds nu ur `{question.derived}`."
            yield Change("derived", qid, text, path)
            continue
        old_c, new_c = found.old.conditions.get(("questions", j, "derived")), found.new.conditions.get(path)
        text = f"Frågan `{qid}` härleds nu ur `{question.derived}` (förut `{before.derived}`)"
        yield Change(
            "derived",
            qid,
            text + _flip(found, old_c, new_c, "är svaret nu ja (förut nej)", "är svaret nu nej (förut ja)") + ".",
            path,
        )


def _option_sets(found: PackDiff) -> Iterator[Change]:
    """Option sets added, removed, or with other options (answers a condition on the set now takes in)."""
    old = {o.id: o for o in found.old.model.option_sets}
    for k, option_set in enumerate(found.new.model.option_sets):
        before = old.pop(option_set.id, None)
        sid, path = option_set.id, ("option_sets", k)
        if before is None:
            text = f"Ny alternativmängd `{sid}` för frågan `{option_set.question}`: {', '.join(option_set.options)}."
            yield Change("option_set", sid, text, path)
            continue
        if before.question != option_set.question:
            text = f"Alternativmängden `{sid}` gäller nu frågan `{option_set.question}` (förut `{before.question}`)."
            yield Change("option_set", sid, text, (*path, "question"))
        added = [o for o in option_set.options if o not in before.options]
        removed = [o for o in before.options if o not in option_set.options]
        if added or removed:
            yield Change("option_set", sid, _members(option_set, added, removed), (*path, "options"))
    for sid in old:
        yield Change("option_set", sid, f"Alternativmängden `{sid}` är borttagen.", ("option_sets",))


def _members(option_set: OptionSet, added: list[str], removed: list[str]) -> str:
    """`Alternativmängden x har nu också a och inte längre b: villkor på den gäller nu med q=a, inte med q=b.`"""
    q = option_set.question
    parts = []
    if added:
        parts.append("nu också " + ", ".join(f"`{o}`" for o in added))
    if removed:
        parts.append("inte längre " + ", ".join(f"`{o}`" for o in removed))
    effects = []
    if added:
        effects.append(f"nu med {q}={added[0]}")
    if removed:
        effects.append(f"inte längre med {q}={removed[0]}")
    return (
        f"Alternativmängden `{option_set.id}` har {' och '.join(parts)}: villkor på den gäller {' och '.join(effects)}."
    )


def _identity(found: PackDiff) -> Iterator[Change]:
    """The pack's own `id`, `county` and `name`."""
    words = {"id": "id", "county": "län", "name": "namn"}
    for key, word in words.items():
        was, now = getattr(found.old.model, key), getattr(found.new.model, key)
        if was != now:
            text = f"Paketets {word} (`{key}`) är nu ”{now}” (förut ”{was}”)."
            yield Change("pack", key, text, (key,))


_NOUNS = {
    "phases": ("Ny fas", "fasen", "borttagen"),
    "flows": ("Nytt flöde", "flödet", "borttaget"),
    "actors": ("Ny aktör", "aktören", "borttagen"),
    "questions": ("Ny fråga", "frågan", "borttagen"),
}


def _ids(
    found: PackDiff, kind: str, nouns: tuple[str, str, str], changed: Callable[[Any, Any], list[tuple[str, str]]]
) -> Iterator[Change]:
    added_noun, noun, removed = nouns
    old = {item.id: item for item in getattr(found.old.model, kind)}
    for item in getattr(found.new.model, kind):
        where = _where(found.new, kind, item.id)
        before = old.pop(item.id, None)
        if before is None:
            yield Change(f"{kind}_added", item.id, f"{added_noun}: `{item.id}`.", where)
            continue
        for key, value in changed(before, item):
            text = f"I {noun} `{item.id}` är `{key}` nu {value}."
            yield Change(f"{kind}_changed", item.id, text, (*where, key))
    for item_id in old:
        yield Change(f"{kind}_removed", item_id, f"{noun.capitalize()} `{item_id}` är {removed}.", (kind,))


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
            out.append(CaseEffect(name, "failed", f"Testfallet {name} kan inte köras i det nya paketet: {error}."))
            continue
        mapped = [found.renamed.get(s, s) for s in before]
        if mapped != after:
            at = next(
                (i for i, (a, b) in enumerate(zip(mapped, after, strict=False)) if a != b), min(len(mapped), len(after))
            )
            was = f"`{mapped[at]}`" if at < len(mapped) else "slutet"
            now = f"`{after[at]}`" if at < len(after) else "slutet"
            after_step = f" efter `{after[at - 1]}`" if at else ""
            text = (
                f"Testfallet {name} tar en annan väg i det nya paketet:{after_step} går det nu till {now} "
                f"i stället för {was}."
            )
            out.append(CaseEffect(name, "rerouted", text))
    return out
