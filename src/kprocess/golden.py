"""Golden cases: YAML files next to a pack that say what a run must produce (docs/cases.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationError

from kprocess.answers import AnswerError, Answers, parse_value
from kprocess.diagnostics import Diagnostic, PackError, display_name
from kprocess.engine import CaseResult, RunError, Status, run_case
from kprocess.model import Answer, FanOut, Id, Model, Text
from kprocess.pack import RulePack
from kprocess.schema_errors import diagnostics_from
from kprocess.yamlsource import read_file


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
    path = Path(path)
    document = read_file(path, display_name(path))
    try:
        return CaseFile.model_validate(document.data)
    except ValidationError as error:
        raise PackError(diagnostics_from(error, document, CaseFile)) from None


def answers_for(pack: RulePack, case: CaseFile) -> Answers:
    """The case's answers, parsed against the pack's questions."""
    answers = Answers(pack.questions, pack.parties(FanOut.parties))
    for key, value in case.answers.items():
        answers.set(key, value)
    return answers


def run_golden(pack: RulePack, path: Path) -> Outcome:
    """Run one golden case and compare the run with its expectation."""
    try:
        case = load_case(path)
    except PackError as error:
        return Outcome(display_name(path), path.stem, [_located(d) for d in error.diagnostics])
    outcome = Outcome(display_name(path), case.name)
    try:
        result = run_case(pack, answers_for(pack, case), flow=case.flow, start=case.start)
    except (AnswerError, RunError) as error:
        outcome.failures.append(f"ärendet kunde inte köras: {error}")
        return outcome
    outcome.result = result
    outcome.failures = compare(pack, case.expect, result)
    return outcome


def compare(pack: RulePack, expect: Expectation, result: CaseResult) -> list[str]:
    """Every way `result` differs from `expect`, in words."""
    failures: list[str] = []
    if expect.status is not None and expect.status != result.status:
        failures.append(f"status: väntade {expect.status.value}, fick {result.status.value}")
    if expect.path is not None and expect.path != result.path():
        failures.append(f"väg: väntade {' → '.join(expect.path)}\n         fick   {' → '.join(result.path())}")
    for party, steps in expect.parties.items():
        got = [e.step for e in result.trace if e.party == party]
        if got != steps:
            failures.append(f"väg för {party}: väntade {' → '.join(steps)}, fick {' → '.join(got) or '(ingen)'}")
    if expect.warnings is not None and expect.warnings != result.warnings:
        failures.append(f"varningar: väntade {expect.warnings or '(inga)'}, fick {result.warnings or '(inga)'}")
    for step, actor in expect.actors.items():
        got = sorted({e.actor.id for e in result.trace if e.step == step})
        if got != [actor]:
            failures.append(f"aktör i {step}: väntade {actor}, fick {', '.join(got) or '(steget gjordes inte)'}")
    for step, partners in expect.jointly.items():
        done = [sorted(p.id for p in e.jointly) for e in result.trace if e.step == step]
        if not done or any(got != sorted(partners) for got in done):
            got_text = ", ".join(done[0]) if done else "(steget gjordes inte)"
            failures.append(f"tillsammans med i {step}: väntade {', '.join(partners)}, fick {got_text or '(ingen)'}")
    for wanted in expect.decisions:
        if not any(_matches(pack, wanted, e) for e in result.trace):
            failures.append(f"beslut saknas: {_describe(wanted)}")
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
    parts = [f"steg {wanted.step}"]
    if wanted.party:
        parts.append(f"part {wanted.party}")
    if wanted.answer is not None:
        parts.append(f"svar {wanted.answer}")
    if wanted.by:
        parts.append(f"av {wanted.by}")
    return ", ".join(parts)


def _located(d: Diagnostic) -> str:
    return f"{d.location()}: {d.code} {d.message}" + (f" ({d.hint})" if d.hint else "")
