"""Loading a rule pack: YAML → pydantic model (for `validate`, plain objects from `kprocess.lightformat`
when the pack is plainly right) → compiled conditions → semantic checks."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kprocess.conditions import Catalog, Condition, ConditionError, aggregate_questions, compile_condition
from kprocess.diagnostics import DataPath, Diagnostic, PackError, Severity, display_name, summarise
from kprocess.enums import FanOut
from kprocess.yamlsource import Document, parse_bytes, read_file

if TYPE_CHECKING:
    from pydantic import ValidationError

    from kprocess.citations import Citation, CitationError
    from kprocess.model import Actor, OptionSet, Pack, Question, Step, Vocabulary
    from kprocess.sections import DocumentReport, Site

VOCABULARY = Path(__file__).parent / "vocabulary.yaml"


@cache
def _vocabulary_data() -> Any:
    """The data of `vocabulary.yaml` in the package (read once; the readers below never change it)."""
    return parse_bytes(VOCABULARY.read_bytes(), "vocabulary.yaml").data


@cache
def vocabulary() -> Vocabulary:
    """The shared vocabulary (`vocabulary.yaml` in the package)."""
    from kprocess.model import Vocabulary

    return Vocabulary.model_validate(_vocabulary_data())


@cache
def _light_vocabulary() -> Any:
    """The shared vocabulary read without pydantic (`kprocess.lightformat`), for checking a light pack."""
    from kprocess.lightformat import read_vocabulary

    found = read_vocabulary(_vocabulary_data())
    return vocabulary() if found is None else found


@cache
def shared_ids() -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the shared vocabulary's questions and of its option sets."""
    shared = _light_vocabulary()
    return frozenset(q.id for q in shared.questions), frozenset(s.id for s in shared.option_sets)


@dataclass(eq=False)
class RulePack:
    """A validated pack with everything the engine and the checks need, indexed."""

    model: Pack
    document: Document
    questions: dict[str, Question]
    option_sets: dict[str, OptionSet]
    derived: dict[str, Question] = field(init=False)
    actors: dict[str, Actor] = field(init=False)
    steps: dict[str, Step] = field(init=False)
    conditions: dict[DataPath, Condition] = field(default_factory=dict)
    condition_errors: dict[DataPath, ConditionError] = field(default_factory=dict)
    expansions: dict[str, Condition] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.derived = aggregate_questions(self.questions)
        self.actors = {a.id: a for a in self.model.actors}
        self.steps = {s.id: s for s in self.model.steps}

    @property
    def file(self) -> str:
        """The file name as shown to the user."""
        return self.document.file

    @cached_property
    def section_citations(self) -> list[tuple[Site, list[Citation] | CitationError]]:
        """Each `source:` with what it cites, or why it cannot be read (`sections.citations`)."""
        from kprocess.sections import citations

        return list(citations(self.model))

    @cached_property
    def section_coverage(self) -> list[DocumentReport]:
        """Every source document's listed sections with what accounts for each (`sections.coverage`)."""
        from kprocess.sections import coverage

        return coverage(self.model, self.section_citations)

    @property
    def catalog(self) -> Catalog:
        """What conditions in this pack may name (questions, `any(q)`/`all(q)`, option sets)."""
        return Catalog({**self.questions, **self.derived}, self.option_sets, self.expansions)

    def question(self, name: str) -> Question:
        """A declared question, or a derived `any(q)` / `all(q)` one."""
        return self.questions.get(name) or self.derived[name]

    def parties(self, fan_out: FanOut) -> list[str]:
        """The parties a `for_each` step fans out to."""
        municipalities = list(self.model.parties.municipalities)
        if fan_out is FanOut.municipalities:
            return municipalities
        return [self.model.parties.region, *municipalities]

    def step_path(self, step_id: str) -> DataPath:
        """Data path of a step, for diagnostics."""
        for index, step in enumerate(self.model.steps):
            if step.id == step_id:
                return ("steps", index)
        return ("steps",)

    def derived_sites(self) -> Iterator[tuple[DataPath, str, str]]:
        """Every `derived:` question of the pack: its data path, id and expression."""
        for k, question in enumerate(self.model.questions):
            if question.derived is not None:
                yield ("questions", k, "derived"), question.id, question.derived

    def condition_sites(self) -> Iterator[tuple[DataPath, str]]:
        """Every condition text in the pack with its data path (derived questions included)."""
        for path, _, text in self.derived_sites():
            yield path, text
        for i, step in enumerate(self.model.steps):
            for j, actor_rule in enumerate(step.actor_when):
                yield ("steps", i, "actor_when", j, "when"), actor_rule.when
            for j, branch in enumerate(step.parallel):
                if not isinstance(branch, str):
                    yield ("steps", i, "parallel", j, "when"), branch.when
            for j, route in enumerate(step.routes):
                if route.when is not None:
                    yield ("steps", i, "routes", j, "when"), route.when
            if step.decision:
                for j, rule in enumerate(step.decision.mandate):
                    if rule.when is not None:
                        yield ("steps", i, "decision", "mandate", j, "when"), rule.when
            if step.resume is not None:
                yield ("steps", i, "resume", "when"), step.resume.when


def analyse_file(path: Path) -> tuple[RulePack | None, list[Diagnostic]]:
    """Read and check one pack; return it (when usable) and every diagnostic, sorted."""
    display = display_name(path)
    try:
        document = read_file(path, display)
    except PackError as error:
        return None, error.diagnostics
    pack, diagnostics = analyse_document(document)
    return pack, summarise(diagnostics)


def analyse_document(document: Document, *, light: bool = False) -> tuple[RulePack | None, list[Diagnostic]]:
    """Validate a parsed document against the format and run every semantic check.

    With `light`, a pack whose every value is plainly right is read without pydantic
    (`kprocess.lightformat`): the diagnostics are the same, and the pack's parts are plain
    objects with the models' fields, fit for the checks (as `kprocess validate` uses it).
    """
    if light:
        from kprocess.lightformat import read_pack

        plain = read_pack(document.data)
        if plain is not None:
            return _checked(plain, document, _light_vocabulary())
    from pydantic import ValidationError

    from kprocess.model import Pack
    from kprocess.schema_errors import diagnostics_from

    try:
        model = Pack.model_validate(document.data)
    except ValidationError as error:
        format_problems = diagnostics_from(error, document, Pack)
        retry = _without_unknown_keys(document.data, error)
        try:
            model = Pack.model_validate(retry)
        except ValidationError:
            return None, sorted(format_problems)
        # Only unknown keys were wrong: check the rest too, so every problem is reported at once.
        return None, sorted([*format_problems, *_checked(model, document, vocabulary())[1]])
    return _checked(model, document, vocabulary())


def _without_unknown_keys(data: Any, error: ValidationError) -> Any:
    """A copy of `data` without the keys pydantic called unknown."""
    clean = copy.deepcopy(data)
    for item in error.errors():
        if item["type"] != "extra_forbidden":
            continue
        *parents, key = item["loc"]
        node = clean
        for part in parents:
            node = node[part]
        node.pop(key, None)
    return clean


def _checked(model: Pack, document: Document, shared: Vocabulary) -> tuple[RulePack | None, list[Diagnostic]]:
    from kprocess.checks import run_checks

    questions = {q.id: q for q in shared.questions}
    questions.update((q.id, q) for q in model.questions if q.id not in questions)
    option_sets = {s.id: s for s in shared.option_sets}
    option_sets.update((s.id, s) for s in model.option_sets if s.id not in option_sets)
    pack = RulePack(model, document, questions, option_sets)
    for path, qid, text in pack.derived_sites():
        try:
            pack.conditions[path] = pack.expansions[qid] = compile_condition(text, pack.catalog)
        except ConditionError as error:
            pack.condition_errors[path] = error
    catalog = pack.catalog
    for path, text in pack.condition_sites():
        if path in pack.conditions or path in pack.condition_errors:
            continue
        try:
            pack.conditions[path] = compile_condition(text, catalog)
        except ConditionError as error:
            pack.condition_errors[path] = error
    diagnostics = sorted(run_checks(pack))
    # A condition that did not compile must never run (it would read as "always").
    usable = not pack.condition_errors and not any(d.severity is Severity.error for d in diagnostics)
    return (pack if usable else None), diagnostics


def load_pack(path: str | Path) -> RulePack:
    """Load and validate a pack; raise `PackError` listing every error if it is not usable."""
    pack, diagnostics = analyse_file(Path(path))
    if pack is None:
        raise PackError([d for d in diagnostics if d.severity is Severity.error])
    return pack
