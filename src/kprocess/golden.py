"""Golden cases: YAML files next to a pack that say what a run must produce (docs/cases.md)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationError

from kprocess.answers import AnswerError, AnswerProblem, Answers, parse_value
from kprocess.diagnostics import DataPath, Diagnostic, PackError, display_name
from kprocess.engine import CaseResult, RunError, Status, run_case
from kprocess.enums import FanOut
from kprocess.i18n import N_, _
from kprocess.model import Answer, Id, Model, Text
from kprocess.pack import RulePack
from kprocess.schema_errors import diagnostics_from
from kprocess.spelling import closest
from kprocess.yamlsource import Document, read_file


class ExpectedDecision(Model):
    """A decision the trace must contain."""

    step: Id
    party: Text | None = None
    answer: Answer | None = None
    by: Id | None = Field(None, description="Mandatinnehavarens aktörs-id.")


class Expectation(Model):
    """What the run must produce."""

    status: Status | None = None
    path: list[Id] | None = None
    decisions: list[ExpectedDecision] = Field(default_factory=list)
    parties: dict[str, list[Id]] = Field(default_factory=dict, description="En parts egen väg genom en uppdelning.")
    actors: dict[Id, Id] = Field(
        default_factory=dict, description="Vem som gör steget (aktörs-id), varje gång det görs: `{s13: styrgrupp}`."
    )
    warnings: list[Text] | None = Field(
        None, description="Varningarna ärendet ska ge (t.ex. utanför överenskommelsens giltighet); `[]` för inga."
    )
    jointly: dict[Id, list[Id]] = Field(
        default_factory=dict, description="Vilka som gör steget tillsammans med aktören: `{p2: [rss]}`."
    )


class CaseFile(Model):
    """A golden case file."""

    name: Text
    source: Text | None = Field(None, description="Avsnittet som motiverar förväntan, t.ex. `002 steg 4`.")
    flow: Id | None = None
    start: date | None = None
    answers: dict[str, Answer | list[Answer]] = Field(default_factory=dict)
    expect: Expectation
    note: Text | None = None


@dataclass
class Outcome:
    """The result of one golden case."""

    file: str
    name: str
    failures: list[str] = field(default_factory=list)
    result: CaseResult | None = None

    @property
    def passed(self) -> bool:
        """True when the run produced everything expected."""
        return not self.failures


def case_files(pack_file: Path, pack_id: str) -> list[Path]:
    """The golden cases of a pack: `cases/<pack-id>/*.yaml` beside the pack file."""
    folder = pack_file.parent / "cases" / pack_id
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_case(path: str | Path) -> CaseFile:
    """Read a case file; raise `PackError` with positioned problems."""
    return read_case(read_file(Path(path), display_name(Path(path))))


def read_case(document: Document) -> CaseFile:
    """A parsed case file as a case; raise `PackError` with positioned problems."""
    try:
        return CaseFile.model_validate(document.data)
    except ValidationError as error:
        raise PackError(diagnostics_from(error, document, CaseFile)) from None


def answers_for(pack: RulePack, case: CaseFile, document: Document | None = None) -> Answers:
    """The case's answers, parsed against the pack's questions; with `document`, every wrong
    answer is reported at once (`PackError`), else the first raises `AnswerError`."""
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    problems: list[Diagnostic] = []
    for key, value in case.answers.items():
        try:
            answers.set(key, value)
        except AnswerError as error:
            if document is None:
                raise
            about_key = key.partition("[")[0].strip() not in pack.questions or error.kind in _KEY_PROBLEMS
            problems.append(document.diagnostic(("answers", key), "KP402", str(error), _(_ANSWER_HINT), key=about_key))
    if problems:
        raise PackError(problems)
    return answers


_KEY_PROBLEMS = frozenset((AnswerProblem.unknown_party, AnswerProblem.not_per_party, AnswerProblem.derived))
"""Answer problems that lie in the key (`fraga[Part]`), so the diagnostic points at the key."""
_ANSWER_HINT = N_("rätta svaret i testfallet (`kprocess facts PAKET` visar frågorna och deras svar)")


def against_pack(pack: RulePack, case: CaseFile, document: Document) -> list[Diagnostic]:
    """Everything in the case that does not fit the pack: answers, flow, steps, actors and parties."""
    problems: list[Diagnostic] = []
    try:
        answers_for(pack, case, document)
    except PackError as error:
        problems += error.diagnostics

    def unknown(name: str | None, known: Collection[str], path: DataPath, kind: str, key: bool = False) -> None:
        if name is None or name in known:
            return
        match = closest(name, known)
        word = _(kind)
        hint = (
            _("menade du `{match}`?").format(match=match)
            if match
            else _("{kind} i paketet: {known}").format(kind=word, known=", ".join(sorted(known)))
        )
        line, column = document.position(path, key=key)
        message = _("{kind} `{name}` finns inte i paketet").format(kind=word, name=name)
        problems.append(Diagnostic(document.file, line, column, "KP402", message, hint))

    expect, steps, actors = case.expect, pack.steps, pack.actors
    flow, step_, actor_, party_ = N_("flödet"), N_("steget"), N_("aktören"), N_("parten")
    unknown(case.flow, {f.id for f in pack.model.flows}, ("flow",), flow)
    for i, step in enumerate(expect.path or []):
        unknown(step, steps, ("expect", "path", i), step_)
    for i, decision in enumerate(expect.decisions):
        unknown(decision.step, steps, ("expect", "decisions", i, "step"), step_)
        unknown(decision.by, actors, ("expect", "decisions", i, "by"), actor_)
        unknown(decision.party, pack.parties(FanOut.parties), ("expect", "decisions", i, "party"), party_)
    for party, party_steps in expect.parties.items():
        unknown(party, pack.parties(FanOut.parties), ("expect", "parties", party), party_, key=True)
        for i, step in enumerate(party_steps):
            unknown(step, steps, ("expect", "parties", party, i), step_)
    for step, actor in expect.actors.items():
        unknown(step, steps, ("expect", "actors", step), step_, key=True)
        unknown(actor, actors, ("expect", "actors", step), actor_)
    for step, partners in expect.jointly.items():
        unknown(step, steps, ("expect", "jointly", step), step_, key=True)
        for i, partner in enumerate(partners):
            unknown(partner, actors, ("expect", "jointly", step, i), actor_)
    return sorted(problems)


def pack_for(case_path: Path) -> Path | None:
    """The pack a case belongs to: `X/cases/<pack-id>/case.yaml` belongs to the pack in `X/` with that id."""
    parent = case_path.resolve().parent
    if parent.parent.name != "cases":
        return None
    folder, pack_id = parent.parent.parent, parent.name
    named = [folder / f"{pack_id}.yaml", folder / f"{pack_id}.yml"]
    others = sorted(p for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if p not in named)
    for candidate in [*named, *others]:
        if candidate.is_file() and _declares_id(candidate, pack_id):
            return candidate
    return None


def _declares_id(path: Path, pack_id: str) -> bool:
    try:
        data = read_file(path, display_name(path)).data
    except PackError:
        return False
    return isinstance(data, dict) and data.get("id") == pack_id


def check_case(path: Path, document: Document) -> list[Diagnostic]:
    """Every problem of a golden case file: its format, and everything that does not fit its pack."""
    from kprocess.pack import analyse_file

    try:
        case = read_case(document)
    except PackError as error:
        return error.diagnostics
    pack_path = pack_for(path)
    if pack_path is None:
        folder = path.resolve().parent
        return [
            document.diagnostic(
                (),
                "KP401",
                _("testfallet hör inte till något paket"),
                _("lägg testfallet i `cases/<paketets id>/` bredvid paketfilen")
                + (
                    _(" (här söktes paketet `{pack}`)").format(pack=folder.name)
                    if folder.parent.name == "cases"
                    else ""
                ),
            )
        ]
    pack = analyse_file(pack_path)[0]
    if pack is None:
        return [
            document.diagnostic(
                (),
                "KP401",
                _("paketet {pack} har fel, så testfallet kan inte kontrolleras mot det").format(
                    pack=display_name(pack_path)
                ),
                _("kör `kprocess validate {pack}` och rätta paketet först").format(pack=display_name(pack_path)),
            )
        ]
    return against_pack(pack, case, document)


def run_golden(pack: RulePack, path: Path) -> Outcome:
    """Run one golden case and compare the run with its expectation; every problem of the case
    file (format, answers, ids the pack does not have) is reported at once."""
    try:
        document = read_file(path, display_name(path))
        case = read_case(document)
    except PackError as error:
        return Outcome(display_name(path), path.stem, [_located(d) for d in error.diagnostics])
    outcome = Outcome(display_name(path), case.name)
    problems = against_pack(pack, case, document)
    if problems:
        outcome.failures = [_located(d) for d in problems]
        return outcome
    try:
        result = run_case(pack, answers_for(pack, case), flow=case.flow, start=case.start)
    except (AnswerError, RunError) as error:
        if not isinstance(error, RunError) or error.partial is None or case.expect.status is not Status.failed:
            outcome.failures.append(_("ärendet kunde inte köras: {error}").format(error=error))
            return outcome
        result = error.partial  # the case expects the run to stop (e.g. at a loop's bound)
    outcome.result = result
    outcome.failures = compare(pack, case.expect, result)
    return outcome


def compare(pack: RulePack, expect: Expectation, result: CaseResult) -> list[str]:
    """Every way `result` differs from `expect`, in words."""
    failures: list[str] = []
    if expect.status is not None and expect.status != result.status:
        failures.append(
            _("status: väntade {expected}, fick {got}").format(expected=expect.status.value, got=result.status.value)
        )
    if expect.path is not None and expect.path != result.path():
        failures.append(
            _("väg: väntade {expected}\n         fick   {got}").format(
                expected=" → ".join(expect.path), got=" → ".join(result.path())
            )
        )
    for party, steps in expect.parties.items():
        got = [e.step for e in result.trace if e.party == party]
        if got != steps:
            failures.append(
                _("väg för {party}: väntade {expected}, fick {got}").format(
                    party=party, expected=" → ".join(steps), got=" → ".join(got) or _("(ingen)")
                )
            )
    if expect.warnings is not None and expect.warnings != result.warnings:
        failures.append(
            _("varningar: väntade {expected}, fick {got}").format(
                expected=expect.warnings or _("(inga)"), got=result.warnings or _("(inga)")
            )
        )
    for step, actor in expect.actors.items():
        got = sorted({e.actor.id for e in result.trace if e.step == step})
        if got != [actor]:
            failures.append(
                _("aktör i {step}: väntade {expected}, fick {got}").format(
                    step=step, expected=actor, got=", ".join(got) or _("(steget gjordes inte)")
                )
            )
    for step, partners in expect.jointly.items():
        done = [sorted(p.id for p in e.jointly) for e in result.trace if e.step == step]
        if not done or any(got != sorted(partners) for got in done):
            got_text = ", ".join(done[0]) if done else _("(steget gjordes inte)")
            failures.append(
                _("tillsammans med i {step}: väntade {expected}, fick {got}").format(
                    step=step, expected=", ".join(partners), got=got_text or _("(ingen)")
                )
            )
    for wanted in expect.decisions:
        if not any(_matches(pack, wanted, e) for e in result.trace):
            failures.append(_("beslut saknas: {decision}").format(decision=_describe(wanted)))
    return failures


def _matches(pack: RulePack, wanted: ExpectedDecision, entry: object) -> bool:
    from kprocess.engine import TraceEntry

    assert isinstance(entry, TraceEntry)
    decision = entry.decision
    if entry.step != wanted.step or decision is None:
        return False
    if wanted.party is not None and entry.party != wanted.party:
        return False
    if wanted.by is not None and decision.by.id != wanted.by:
        return False
    if wanted.answer is not None:
        try:
            expected = parse_value(pack.questions[decision.question], wanted.answer)
        except AnswerError:
            return False
        return expected == decision.answer
    return True


def _describe(wanted: ExpectedDecision) -> str:
    parts = [_("steg {step}").format(step=wanted.step)]
    if wanted.party:
        parts.append(_("part {party}").format(party=wanted.party))
    if wanted.answer is not None:
        parts.append(_("svar {answer}").format(answer=wanted.answer))
    if wanted.by:
        parts.append(_("av {actor}").format(actor=wanted.by))
    return ", ".join(parts)


def _located(d: Diagnostic) -> str:
    return f"{d.location()}: {d.code} {d.message}" + (f" ({d.hint})" if d.hint else "")
