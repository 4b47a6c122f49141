"""One case through several county packs, phase by phase (`kprocess compare`).

Each pack's phases are placed on common stages (`STAGES`: remiss, nationellt beslut, lokal
beredning, beslut, implementering, uppföljning, matched by phase id); a phase with no common stage
gets a row of its own after them. With answers, the case runs through every pack; answers the case
leaves open are assumed (`Assumed`) so that the case goes as far as it can, the same shared answer
in every pack. Without answers, `structure` compares the packs as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kprocess.answers import AnswerError, AnswerProblem, Answers, answer_text
from kprocess.checks.base import compared_numbers, domain
from kprocess.conditions import Value
from kprocess.engine import CaseResult, RunError, TraceEntry, run_case
from kprocess.enums import FanOut, QuestionType
from kprocess.i18n import N_, _, language, pick
from kprocess.labels import status_label, weight_label
from kprocess.model import Question, Timing
from kprocess.pack import RulePack, vocabulary
from kprocess.packtext import actor_label, handed_to, named, party_name, step_name

STAGES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("remiss", N_("Remiss"), frozenset({"remiss", "remissforfarande"})),
    ("nationellt_beslut", N_("Nationellt beslut"), frozenset({"nationellt_beslut"})),
    ("beredning", N_("Lokal beredning"), frozenset({"kartlaggning", "lokal_hantering", "beredning", "forberedelse"})),
    ("beslut", N_("Beslut"), frozenset({"beslut"})),
    ("implementering", N_("Implementering"), frozenset({"implementering"})),
    ("uppfoljning", N_("Uppföljning"), frozenset({"uppfoljning"})),
)
SCOPE_QUESTION, SCOPE_FOLLOWS, SCOPE_SET = "programomrade", "beror_kommunerna", "kommunmedverkan"
END_RANK = {"ongoing": 4, "completed": 3, "handed_over": 2, "parked": 1, "stopped": 0}
SEARCH_ROUNDS = 3
Score = tuple[int, int, int]
FAILED: Score = (-1, -1, -(10**9))


@dataclass(frozen=True)
class Stage:
    """A row of the comparison: a common stage or a phase of its own."""

    id: str
    name: str


@dataclass(frozen=True)
class Assumed:
    """An answer the case did not give: assumed (`antaget`) or the pack's own default (`standard`)."""

    question: str
    text: str
    answer: str
    kind: str  # antaget | standard
    reason: str
    party: str | None = None


@dataclass(frozen=True)
class DecisionCell:
    """One decision taken in the case."""

    step: str
    question: str
    answer: str
    holder: str
    weight: str
    mandate: str | None
    party: str | None
    principal: str


@dataclass
class StageCase:
    """What one pack does in one stage of the case."""

    phases: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    decisions: list[DecisionCell] = field(default_factory=list)
    municipalities: bool = False
    first: date | None = None
    last: date | None = None

    @property
    def principals(self) -> list[str]:
        """The distinct principals that decide in the stage, in order."""
        return list(dict.fromkeys(d.principal for d in self.decisions))


@dataclass
class PackCase:
    """One pack's handling of the case."""

    pack: str
    county: str
    flow: str
    status: str | None = None
    end_step: str | None = None
    end_name: str | None = None
    handed_to: str | None = None
    end_date: date | None = None
    next_due: date | None = None
    stages: dict[str, StageCase] = field(default_factory=dict)
    assumed: list[Assumed] = field(default_factory=list)
    to_ask: list[tuple[str, str]] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    municipalities_enter: tuple[str, str, str] | None = None  # stage, step, step name
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def decisions(self) -> list[DecisionCell]:
        """Every decision of the case in this pack."""
        return [d for s in self.stages.values() for d in s.decisions]


@dataclass
class Comparison:
    """The case in every pack, with the stages as rows."""

    given: dict[str, str]
    start: date | None
    stages: list[Stage]
    packs: list[PackCase]


# -- stages ------------------------------------------------------------------------------------


def stage_of(phase_id: str, pack: RulePack | None = None) -> str:
    """The common stage of a phase: its `stage:` in the pack, else by its id (`STAGES`), else the phase id."""
    if pack is not None:
        phase = next((p for p in pack.model.phases if p.id == phase_id), None)
        if phase is not None and phase.stage is not None:
            return phase.stage.value
    return next((stage for stage, _name, phases in STAGES if phase_id in phases), phase_id)


def stages_for(packs: Sequence[RulePack]) -> list[Stage]:
    """The common stages, then every phase that has none (first pack's name), in pack order."""
    out = [Stage(stage, _(name)) for stage, name, _phases in STAGES]
    known = {s.id for s in out}
    for pack in packs:
        for phase in pack.model.phases:
            if stage_of(phase.id, pack) not in known:
                known.add(phase.id)
                out.append(Stage(phase.id, pick(phase.name, phase.name_en)))
    return out


def _stage_rank(phase_id: str, pack: RulePack) -> int:
    stage = stage_of(phase_id, pack)
    return next((i for i, (known, _name, _phases) in enumerate(STAGES) if known == stage), -1)


# -- answers -----------------------------------------------------------------------------------


def read_questions(pack: RulePack) -> set[str]:
    """Every question the pack reads: in conditions (derived included), decisions and timings."""
    reads: set[str] = set()
    for condition in pack.conditions.values():
        for name in condition.questions:
            reads.add(name.partition("(")[2][:-1] if name.endswith(")") else name)
    for step in pack.model.steps:
        if step.decision is not None:
            reads.add(step.decision.question)
        for timing in (step.timing, step.resume.wait if step.resume else None):
            if timing is not None and timing.after_question:
                reads.add(timing.after_question)
    return reads


def case_answers(packs: Sequence[RulePack], answers: Mapping[str, object]) -> list[Answers]:
    """The case's answers for each pack: every answer whose question (and party) the pack has.

    Raises `AnswerError` for an answer no pack can take, or one that does not fit its question.
    """
    out = [Answers(p.questions, p.parties(FanOut.parties)) for p in packs]
    for key, value in answers.items():
        taken = False
        first: AnswerError | None = None
        for pack, parsed in zip(packs, out, strict=True):
            qid = key.partition("[")[0].strip()
            if qid not in pack.questions:
                continue
            try:
                parsed.set(key, value)
                taken = True
            except AnswerError as error:
                if error.kind is not AnswerProblem.unknown_party:
                    raise
                first = first or error
        if not taken:
            if first is not None:
                raise first
            parsed = Answers({**packs[0].questions, **{q: p.questions[q] for p in packs for q in p.questions}}, [])
            parsed.set(key, value)  # raises an unknown question with a suggestion
    return out


def candidates(pack: RulePack, question: Question) -> list[Value]:
    """The answers tried for a question the case leaves open, the first being the baseline."""
    if question.id == SCOPE_QUESTION:
        inside = pack.option_sets[SCOPE_SET].options
        outside = [o.id for o in question.options if o.id not in inside]
        return [inside[0], *outside[:1]]
    if question.type is QuestionType.number:
        numbers = compared_numbers(pack.conditions.values()).get(question.id, set())
        return [v for v in domain(question, numbers) if isinstance(v, float) and v >= 0] if numbers else [6.0]
    return domain(question, ())


def _scope_answer(pack: RulePack, concerns_municipalities: bool) -> str:
    inside = pack.option_sets[SCOPE_SET].options
    if concerns_municipalities:
        return inside[0]
    return next(o.id for o in pack.questions[SCOPE_QUESTION].options if o.id not in inside)


@dataclass
class _Search:
    """Runs of one pack with chosen answers for the questions the case leaves open."""

    pack: RulePack
    answers: Answers
    start: date | None
    asked: list[str] = field(default_factory=list)

    def run(self, choices: Mapping[str, Value]) -> CaseResult | None:
        seen: dict[tuple[str, str | None], int] = {}

        def ask(question: Question, party: str | None) -> Value:
            """The chosen answer; asked again in a loop, the next candidate, so the loop is left."""
            if question.id not in self.asked:
                self.asked.append(question.id)
            options = candidates(self.pack, question)
            first = choices[question.id] if question.id in choices else options[0]
            times = seen[(question.id, party)] = seen.get((question.id, party), -1) + 1
            return first if times == 0 else options[(options.index(first) + times) % len(options)]

        try:
            return run_case(self.pack, self.answers, start=self.start, ask=ask)
        except RunError:
            return None

    def best(self, fixed: Mapping[str, Value], shared: set[str]) -> tuple[Score, CaseResult | None, dict[str, Value]]:
        """Greedy: change one open answer of the pack's own at a time while the case gets further."""
        choices = dict(fixed)
        result = self.run(choices)
        score = score_of(result, self.pack)
        for _round in range(SEARCH_ROUNDS):
            improved = False
            for qid in [q for q in self.asked if q not in fixed and q not in shared]:
                current = choices.get(qid, candidates(self.pack, self.pack.questions[qid])[0])
                for value in candidates(self.pack, self.pack.questions[qid]):
                    if value == current:
                        continue
                    trial = {**choices, qid: value}
                    found = self.run(trial)
                    trial_score = score_of(found, self.pack)
                    if trial_score > score:
                        choices, result, score, current, improved = trial, found, trial_score, value, True
            if not improved:
                break
        return score, result, choices


def score_of(result: CaseResult | None, pack: RulePack) -> Score:
    """How far a run got: the last common stage reached, how it ended, then the fewer steps the
    better (the direct way there: no loops, no detours)."""
    if result is None:
        return FAILED
    stage = max((_stage_rank(e.phase, pack) for e in result.trace), default=-1)
    return (stage, END_RANK.get(result.status.value, -1), -len(result.trace))


def assume(
    packs: Sequence[RulePack], answers: Sequence[Answers], start: date | None
) -> list[tuple[CaseResult | None, dict[str, Value], set[str]]]:
    """Run the case in every pack with the open answers assumed.

    Shared questions the case leaves open get the same answer in every pack, chosen (one at a
    time) so that the packs together get furthest; a pack's own open questions are then chosen
    for that pack alone. `programomrade`, when not given, follows `beror_kommunerna`: an area
    with municipal participation when it is ja, one without when nej. Returns, per pack, the
    result (None when no choice runs to an end), the choices and the shared questions chosen.
    """
    searches = [_Search(p, a, start) for p, a in zip(packs, answers, strict=True)]
    shared_ids = [q.id for q in vocabulary().questions]
    given = [{q for (q, _) in a.given} for a in answers]
    shared_choice: dict[str, Value] = {}

    def evaluate(choice: Mapping[str, Value]) -> tuple[Score, list[tuple[Score, CaseResult | None, dict[str, Value]]]]:
        runs = []
        for search, known in zip(searches, given, strict=True):
            fixed = {q: v for q, v in choice.items() if q not in known}
            if SCOPE_QUESTION not in known and SCOPE_QUESTION in search.pack.questions:
                follows = search.answers.sequence(SCOPE_FOLLOWS, None)
                concerns = follows[0] if follows else choice.get(SCOPE_FOLLOWS, True)
                fixed[SCOPE_QUESTION] = _scope_answer(search.pack, bool(concerns))
            runs.append(search.best(fixed, set(shared_ids)))
        total = [sum(r[0][i] for r in runs) for i in range(3)]
        return (total[0], total[1], total[2]), runs

    score, runs = evaluate(shared_choice)
    for _round in range(SEARCH_ROUNDS):
        improved = False
        open_shared = [
            q
            for q in shared_ids
            if q != SCOPE_QUESTION and any(q in s.asked for s in searches) and q not in shared_choice
        ]
        for qid in open_shared:
            question = packs[0].questions[qid]
            for value in candidates(packs[0], question)[1:]:
                trial_score, trial_runs = evaluate({**shared_choice, qid: value})
                if trial_score > score:
                    score, runs, improved = trial_score, trial_runs, True
                    shared_choice[qid] = value
                    break
            else:
                shared_choice[qid] = candidates(packs[0], question)[0]
        if not improved:
            break
    return [(r[1], r[2], set(shared_choice)) for r in runs]


# -- the comparison ----------------------------------------------------------------------------


def compare(
    packs: Sequence[RulePack], answers: Mapping[str, object], start: date | None = None, *, assume_open: bool = True
) -> Comparison:
    """The case (answers as `--fact` or a case file gives them) in every pack.

    With `assume_open` false nothing is assumed: a pack that needs more answers lists them in
    `to_ask` and has no stages.
    """
    parsed = case_answers(packs, answers)
    given = {key: _text(value) for key, value in answers.items()}
    stages = stages_for(packs)
    out = []
    runs: list[tuple[CaseResult | list[tuple[str, str]] | None, dict[str, Value], set[str]]]
    if assume_open:
        runs = list(assume(packs, parsed, start))
    else:
        runs = [(_strict(p, a, start), {}, set()) for p, a in zip(packs, parsed, strict=True)]
    for pack, answered, (result, _choices, shared) in zip(packs, parsed, runs, strict=True):
        case = PackCase(pack.model.id, pack.model.county, pack.model.flows[0].id)
        reads = read_questions(pack)
        case.unused = [q.id for q in vocabulary().questions if (q.id, None) in answered.given and q.id not in reads]
        if isinstance(result, list):
            case.to_ask = result
        elif result is None:
            case.error = _("inga svar leder ärendet till ett slut i paketet")
        else:
            _fill(case, pack, result, shared)
        out.append(case)
    return Comparison(given, start, stages, out)


def _strict(pack: RulePack, answers: Answers, start: date | None) -> CaseResult | list[tuple[str, str]] | None:
    """Run without assumptions; the questions still open when the case needs more answers."""
    from kprocess.engine import MissingAnswersError

    try:
        return run_case(pack, answers, start=start)
    except MissingAnswersError as error:
        seen = dict.fromkeys(q for q, _ in error.missing)
        return [(q, pack.questions[q].text) for q in seen]
    except RunError:
        return None


def _text(value: object) -> str:
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return answer_text(value) if isinstance(value, bool | int | float) else str(value)


def _fill(case: PackCase, pack: RulePack, result: CaseResult, shared: set[str]) -> None:
    """The run's stages, end and answers it assumed."""
    case.status = result.status.value
    case.flow = result.flow
    case.warnings = list(result.warnings)
    case.next_due = result.next_due
    region = pack.model.parties.region
    for entry in result.trace:
        stage = case.stages.setdefault(stage_of(entry.phase, pack), StageCase())
        if entry.phase not in stage.phases:
            stage.phases.append(entry.phase)
        if entry.step not in stage.steps:
            stage.steps.append(entry.step)
        for who in (entry.actor, *entry.jointly):
            label = _doer(pack, entry, party_name(pack, who.id, who.name), region)
            if label not in stage.actors:
                stage.actors.append(label)
        if entry.decision is not None:
            stage.decisions.append(_decision(pack, entry, region))
        if _municipal(entry, region):
            stage.municipalities = True
            if case.municipalities_enter is None:
                case.municipalities_enter = (
                    stage_of(entry.phase, pack),
                    entry.step,
                    step_name(pack, entry.step, entry.name),
                )
        if entry.date is not None:
            stage.first = min(stage.first or entry.date, entry.date)
            stage.last = max(stage.last or entry.date, entry.date)
        if entry.end is not None:
            case.end_step, case.end_name, case.handed_to, case.end_date = (
                entry.step,
                step_name(pack, entry.step, entry.name),
                handed_to(pack, entry.step, entry.handed_to) if entry.handed_to else None,
                entry.date,
            )
    case.assumed = _assumed(pack, result, shared)


def _doer(pack: RulePack, entry: TraceEntry, name: str, region: str) -> str:
    if entry.party is None:
        return name
    step = pack.steps[entry.step]
    each = _("varje kommun") if step.for_each is FanOut.municipalities else _("varje huvudman")
    return f"{name} ({each})"


def _municipal(entry: TraceEntry, region: str) -> bool:
    """Whether a municipality acts in the entry: a municipal actor, or a municipality's own branch."""
    principals = {entry.actor.principal, *(p.principal for p in entry.jointly)}
    if entry.decision is not None:
        principals.add(entry.decision.by.principal)
    return "kommun" in principals or (entry.party is not None and entry.party != region)


PRINCIPAL_NAMES = {"kommun": N_("kommunerna"), "gemensam": N_("gemensamt forum"), "nationell": N_("nationell nivå")}
PRINCIPAL_NAMES["sjukvardsregional"] = N_("sjukvårdsregionen")


def _decision(pack: RulePack, entry: TraceEntry, region: str) -> DecisionCell:
    decision = entry.decision
    assert decision is not None
    if entry.party is not None:
        principal = entry.party
    elif decision.by.principal == "region":
        principal = region
    else:
        known = PRINCIPAL_NAMES.get(decision.by.principal or "")
        principal = _(known) if known else decision.by.principal or ""
    holder = party_name(pack, decision.by.id, decision.by.name) + "".join(
        _(" med {actor}").format(actor=party_name(pack, p.id, p.name)) for p in decision.jointly
    )
    return DecisionCell(
        entry.step,
        decision.question,
        answer_text(decision.answer),
        holder,
        decision.weight,
        decision.mandate,
        entry.party,
        principal,
    )


def _assumed(pack: RulePack, result: CaseResult, shared: set[str]) -> list[Assumed]:
    out: dict[tuple[str, str], Assumed] = {}
    for fact in result.facts:
        if fact.origin.value not in ("asked", "defaulted") or not fact.answers:
            continue
        answer = ",".join(answer_text(a) for a in dict.fromkeys(fact.answers))
        if fact.origin.value == "defaulted":
            kind, reason = "standard", _("paketets standardsvar")
        elif fact.question == SCOPE_QUESTION and fact.question not in shared:
            kind = "antaget"
            reason = _("följer {question} (alternativmängden {options})").format(
                question=SCOPE_FOLLOWS, options=SCOPE_SET
            )
        elif fact.question in shared:
            kind, reason = "antaget", _("gemensam fråga som ärendet inte besvarar; samma svar i alla län")
        else:
            kind, reason = "antaget", _("länets egen fråga; den raka vägen till flödets slut")
        key = (fact.question, answer)
        party = fact.party if key not in out else None
        out[key] = Assumed(fact.question, pack.questions[fact.question].text, answer, kind, reason, party)
    return sorted(out.values(), key=lambda a: (a.kind != "antaget", a.question))


# -- structure ---------------------------------------------------------------------------------


@dataclass
class StageStructure:
    """One pack's steps in one stage, as written."""

    forums: list[str] = field(default_factory=list)
    mandates: list[str] = field(default_factory=list)
    per_party: list[str] = field(default_factory=list)
    timing: list[str] = field(default_factory=list)
    decision_points: int = 0
    steps: int = 0


@dataclass
class PackStructure:
    """One pack as written, per stage."""

    pack: str
    county: str
    stages: dict[str, StageStructure] = field(default_factory=dict)


def structure(packs: Sequence[RulePack]) -> tuple[list[Stage], list[PackStructure]]:
    """Forums, mandates, per-principal steps, time rules and decision points per stage and pack."""
    out = []
    for pack in packs:
        found = PackStructure(pack.model.id, pack.model.county)
        for step in pack.model.steps:
            cell = found.stages.setdefault(stage_of(step.phase, pack), StageStructure())
            cell.steps += 1
            for actor in (step.actor, *step.jointly_with, *(r.actor for r in step.actor_when)):
                _add(cell.forums, _label(pack, actor))
            if step.decision is not None:
                holders = [step.decision.by] if step.decision.by else [r.actor for r in step.decision.mandate]
                weights = [step.decision.weight.value] + [r.weight.value for r in step.decision.mandate if r.weight]
                names = " / ".join(dict.fromkeys(_label(pack, h) for h in holders if h))
                words = [weight_label(w) for w in weights] if language() == "en" else weights  # Swedish: the ids
                _add(cell.mandates, f"{names} ({'/'.join(dict.fromkeys(words))})")
            if step.for_each is not None:
                who = _("varje kommun") if step.for_each is FanOut.municipalities else _("varje huvudman")
                _add(cell.per_party, f"{who}: {named(step)}")
            if step.timing is not None:
                _add(cell.timing, timing_words(step.timing))
            if step.decision is not None or len(step.routes) > 1 or any(w for _, w in step.branches):
                cell.decision_points += 1
        out.append(found)
    return stages_for(packs), out


def _label(pack: RulePack, actor_id: str) -> str:
    return actor_label(pack.actors[actor_id])


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def timing_words(timing: Timing) -> str:
    """A time rule in a few words: `15/2, 15/4`, `efter 3 mån`, `varje år`."""
    parts: list[str] = []
    if timing.dates:
        parts.append(", ".join(f"{int(d[3:])}/{int(d[:2])}" for d in timing.dates))
    if timing.after is not None:
        parts.append(_("efter {time}").format(time=period_words(timing.after)))
    if timing.after_question:
        parts.append(_("efter {time}").format(time=timing.after_question))
    if timing.every is not None:
        every = _("var {time}").format(time=period_words(timing.every))
        parts.append(every if timing.every.years != 1 else _("varje år"))
    return "; ".join(parts)


def period_words(period: object) -> str:
    """`2 år`, `3 mån`, `2 v`, `14 d`."""
    units = (("years", N_("år")), ("months", N_("mån")), ("weeks", N_("v")), ("days", N_("d")))
    return " ".join(f"{getattr(period, key)} {_(unit)}" for key, unit in units if getattr(period, key))


# -- differences -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """An aspect in which the packs differ, in one sentence (in the chosen language)."""

    aspect: str
    stage: str | None
    text: str
    values: dict[str, str]


def differences(comparison: Comparison, names: Mapping[str, str]) -> list[Difference]:
    """Where the packs handle the case differently: end, municipalities, decisions, unused answers."""
    packs = [p for p in comparison.packs if p.status is not None]
    out: list[Difference] = []

    def differ(aspect: str, stage: str | None, values: dict[str, str], sentence: str) -> None:
        if len(set(values.values())) > 1:
            listed = "; ".join(f"{names[p]} {v}" for p, v in values.items())
            out.append(Difference(aspect, stage, f"{sentence}: {listed}.", values))

    differ("end", None, {p.pack: status_label(p.status or "") for p in packs}, _("Ärendet slutar olika"))
    stage_names = {s.id: s.name for s in comparison.stages}
    differ(
        "municipalities",
        None,
        {p.pack: stage_names[p.municipalities_enter[0]] if p.municipalities_enter else _("aldrig") for p in packs},
        _("Kommunerna kommer in i olika faser"),
    )
    differ(
        "municipal_stages",
        None,
        {
            p.pack: ", ".join(stage_names[s] for s, c in p.stages.items() if c.municipalities) or _("ingen")
            for p in packs
        },
        _("Kommunerna deltar i olika faser"),
    )
    passed = {p.pack: [s.id for s in comparison.stages if s.id in p.stages] for p in packs}
    partial = [s for s in comparison.stages if 0 < sum(s.id in v for v in passed.values()) < len(packs)]
    if partial:
        parts = []
        for stage in partial:
            having = [names[p] for p, v in passed.items() if stage.id in v]
            lacking = [names[p] for p, v in passed.items() if stage.id not in v]
            parts.append(
                _("{stage} (bara {counties})").format(stage=stage.name, counties=and_list(having))
                if len(having) <= len(lacking)
                else _("{stage} (inte {counties})").format(stage=stage.name, counties=and_list(lacking))
            )
        values = {p: ", ".join(stage_names[s] for s in v) for p, v in passed.items()}
        sentence = _("Ärendet går inte genom samma faser: {stages}.").format(stages="; ".join(parts))
        out.append(Difference("stages", None, sentence, values))
    differ("decisions", None, {p.pack: str(len(p.decisions)) for p in packs}, _("Antalet beslut skiljer sig"))
    differ(
        "principals",
        None,
        {p.pack: str(len(dict.fromkeys(d.principal for d in p.decisions))) for p in packs},
        _("Antalet beslutande huvudmän skiljer sig"),
    )
    for stage in comparison.stages:
        counts = {p.pack: str(len(p.stages[stage.id].decisions)) if stage.id in p.stages else "0" for p in packs}
        differ("stage_decisions", stage.id, counts, _("Beslut i fasen {stage}").format(stage=stage.name))
    for case in comparison.packs:
        if case.unused:
            out.append(
                Difference(
                    "unused",
                    None,
                    _("{county} läser inte {questions}: svaret påverkar inte länets flöde.").format(
                        county=names[case.pack], questions=", ".join(case.unused)
                    ),
                    {case.pack: ", ".join(case.unused)},
                )
            )
    return out


def and_list(items: Sequence[str]) -> str:
    """`A`, `A och B`, `A, B och C`."""
    if len(items) == 1:
        return items[0]
    return _("{first} och {last}").format(first=", ".join(items[:-1]), last=items[-1])
