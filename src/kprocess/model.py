"""The rule-pack format: pydantic models are its single definition.

Every key a county YAML file may hold is declared here; the JSON Schema in
``schemas/`` and ``docs/format.md`` are generated from / describe these models.
Ids are ASCII snake_case; names, questions and labels are Swedish, each optionally with an
English form beside it (`name_en`, `text_en`, `label_en` …) for `--lang en`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kprocess.enums import CommonStage, EndKind, FanOut, Level, Principal, QuestionType, Weight
from kprocess.shapes import (
    MandateRuleShape,
    PeriodShape,
    QuestionShape,
    RouteShape,
    Shape,
    SourceDocumentShape,
    StepShape,
)

SCHEMA_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="Identifierare: små bokstäver a–z, siffror och _ (t.ex. `rmks`, `steg_13a`)."),
]
DocId = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z_.-]*$", max_length=32),
    Field(description="Dokumentets korta id, t.ex. `002`."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Condition = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1000),
    Field(
        description=(
            "Villkor över frågorna, t.ex. `beror_kommunerna and not ryms_i_budget` "
            "eller `programomrade in kommunmedverkan`."
        )
    ),
]
MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
English = Annotated[
    str,
    StringConstraints(min_length=1, max_length=4000),
    Field(description="Samma text på engelska: visas med `--lang en` (annars den svenska)."),
]


class Model(BaseModel, Shape):
    """Base of every format model: unknown keys are errors, nothing is coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)

    @model_validator(mode="after")
    def _fits_together(self) -> Model:
        self.check_shape()
        return self


class Period(Model, PeriodShape):
    """A length of time: `{years: 1}`, `{months: 6}`, `{weeks: 2}` or `{days: 14}`."""

    years: int = Field(0, ge=0, le=100)
    months: int = Field(0, ge=0, le=1200)
    weeks: int = Field(0, ge=0, le=5200)
    days: int = Field(0, ge=0, le=36500)


class Parties(Model):
    """The parties to the agreement: the region and each named municipality."""

    region: Text = Field(description="Regionens namn, t.ex. `Region Örebro län`.")
    municipalities: list[Text] = Field(min_length=1, description="Varje kommun vid namn.")


class Section(Model):
    """A section of a source document, as listed in its table of contents."""

    id: Text = Field(description="Dokumentets egen beteckning: `§4.4.1`, `steg 13`, `bilaga 2`, `titelsida`, `s. 4`.")
    title: Text = Field(description="Avsnittets rubrik.")
    out_of_scope: Text | None = Field(
        None,
        description="Varför inget steg bygger på avsnittet, gärna med dokumentets ord.",
    )
    note: Text | None = None


class SourceDocument(Model, SourceDocumentShape):
    """A source document that steps cite by its id."""

    id: DocId
    title: Text
    decided_by: Text | None = None
    decided: date | None = Field(None, description="Beslutsdatum, ÅÅÅÅ-MM-DD.")
    revised: date | None = Field(None, description="Senaste revision, ÅÅÅÅ-MM-DD.")
    file: Text | None = Field(None, description="Filnamn för dokumentet, där det finns.")
    note: Text | None = None
    sections: list[Section] = Field(
        default_factory=list,
        description="Dokumentets avsnitt (innehållsförteckning), för kontroll av täckning.",
    )
    same_text_as: DocId | None = Field(
        None,
        description=(
            "Samma text som ett annat källdokument (t.ex. ett annat textuttag): hänvisningar hit räknas för "
            "det dokumentets avsnitt."
        ),
    )


class Validity(Model):
    """Validity and notice rules of the agreement (e.g. 004 §1.2.1)."""

    valid_from: date | None = None
    valid_until: date | None = None
    notice: Period | None = Field(None, description="Uppsägningstid.")
    extension: Period | None = Field(None, description="Förlängning i taget om ingen säger upp.")
    revision: Period | None = Field(None, description="Hur ofta överenskommelsen revideras.")
    until_further_notice: bool = Field(False, description="Gäller tills vidare.")
    source: Text | None = None
    note: Text | None = None


class Phase(Model):
    """A phase of the process as the documents name it."""

    id: Id
    name: Text
    name_en: English | None = None
    stage: CommonStage | None = Field(
        None,
        description=(
            "Det gemensamma skede fasen motsvarar när län jämförs (`kprocess compare`): remiss, nationellt_beslut, "
            "beredning (lokal beredning), beslut, implementering eller uppfoljning. Utan `stage` ger fasens id "
            "skedet för de kända id:na; annars får fasen en egen rad."
        ),
    )


class Member(Model):
    """One seat in a forum: a role, optionally the actor that fills it."""

    role: Text
    actor: Id | None = None
    principal: Principal | None = None
    note: Text | None = None


class Actor(Model):
    """A person, role or forum that takes part in the process."""

    id: Id
    name: Text
    name_en: English | None = None
    short: Text | None = Field(None, description="Kortnamn, t.ex. `RMKS`, `LSVO`, `KFVN`.")
    short_en: English | None = None
    principal: Principal
    level: Level | None = None
    description: Text | None = None
    members: list[Member] = Field(default_factory=list, description="Forumets sammansättning.")
    source: Text | None = None
    note: Text | None = None


class Option(Model):
    """One named answer to a choice question."""

    id: Id
    label: Text
    label_en: English | None = None


Answer = bool | int | float | str


class Question(Model, QuestionShape):
    """A case fact: a question a user answers to run a case."""

    id: Id
    text: Text = Field(description="Frågan som användaren läser, t.ex. `Berör kunskapsstödet kommunerna?`")
    text_en: English | None = None
    type: QuestionType
    options: list[Option] = Field(default_factory=list, description="Svarsalternativ (endast `choice`).")
    default: Answer | None = Field(None, description="Svar som används när inget annat anges.")
    help: Text | None = None
    help_en: English | None = None
    unit: Text | None = Field(None, description="Enhet för tal, t.ex. `månader`.")
    unit_en: English | None = None
    per_party: bool = Field(False, description="Besvaras av varje part för sig (t.ex. varje kommun).")
    derived: Condition | None = Field(
        None,
        description="Härlett svar: ett villkor över andra frågor (endast ja/nej). Frågan ställs aldrig.",
    )
    source: Text | None = None


class OptionSet(Model):
    """A named set of options of one choice question, usable as `q in namn`."""

    id: Id
    question: Id
    options: list[Id] = Field(min_length=1)
    label: Text | None = None
    label_en: English | None = None
    source: Text | None = None


class Flow(Model):
    """A named entry point: the main flow or a side routine (e.g. 000 §9)."""

    id: Id
    name: Text
    name_en: English | None = None
    start: Id
    description: Text | None = None


class Route(Model, RouteShape):
    """One ordered route: `{when: villkor, to: steg}` or `{otherwise: steg}` last."""

    when: Condition | None = None
    to: Id | None = None
    otherwise: Id | None = None
    max_times: int | None = Field(
        None, ge=1, le=100, description="Högsta antal gånger vägen får tas i ett ärende (slingor)."
    )
    note: Text | None = None


class ActorRule(Model):
    """Who does a step under a condition: `{when: villkor, actor: aktör}`."""

    when: Condition
    actor: Id
    jointly_with: list[Id] = Field(default_factory=list, description="Gör steget tillsammans med `actor`.")
    note: Text | None = None


class Branch(Model):
    """A parallel branch started only when its condition holds: `{to: steg, when: villkor}`."""

    to: Id
    when: Condition
    note: Text | None = None


class MandateRule(Model, MandateRuleShape):
    """Who holds the mandate: `{when: villkor, holder: aktör}` or `{otherwise: aktör}` last."""

    when: Condition | None = None
    holder: Id | None = None
    otherwise: Id | None = None
    weight: Weight | None = Field(None, description="Vikt, om annan än beslutets.")
    jointly_with: list[Id] = Field(default_factory=list, description="Beslutar tillsammans med dessa aktörer.")
    name: Text | None = Field(None, description="Mandatet i ord, t.ex. `inom uppdrag och budget`.")
    name_en: English | None = None
    source: Text | None = None
    note: Text | None = None


class Decision(Model):
    """A decision taken in a step: the question it answers and who may take it."""

    question: Id = Field(description="Frågan vars svar är beslutet.")
    weight: Weight = Weight.beslut
    by: Id | None = Field(None, description="Den som alltid har mandatet (annars `mandate`).")
    jointly_with: list[Id] = Field(default_factory=list, description="Beslutar tillsammans med `by`.")
    mandate: list[MandateRule] = Field(default_factory=list)
    informational: Text | None = Field(
        None, description="Beslutet styr inte flödet; skälet med dokumentets ord (t.ex. `003 §10: '…'`)."
    )
    note: Text | None = None


class Timing(Model):
    """When a step happens, relative to the step before it."""

    dates: list[MonthDay] = Field(
        default_factory=list, description="Startar vid nästa av dessa datum (MM-DD), t.ex. remissperioder."
    )
    after: Period | None = Field(None, description="Infaller efter denna tid.")
    after_question: Id | None = Field(None, description="Infaller efter så många månader som frågan anger.")
    every: Period | None = Field(None, description="Återkommer med detta intervall (minst).")
    note: Text | None = None


class Resume(Model):
    """How a parked case comes back: `{when: villkor, to: steg, wait: {after: …}}`."""

    when: Condition = Field(description="Villkoret för att ärendet tas upp igen.")
    to: Id = Field(description="Steget där ärendet fortsätter.")
    wait: Timing | None = Field(None, description="Hur länge ärendet väntade.")
    max_times: int | None = Field(
        None, ge=1, le=100, description="Högsta antal gånger ärendet tas upp igen (när `to` ger en slinga)."
    )
    note: Text | None = None


class Step(Model, StepShape):
    """One step of the flow."""

    id: Id
    name: Text
    name_en: English | None = None
    phase: Id
    actor: Id = Field(description="Ansvarig aktör.")
    actor_when: list[ActorRule] = Field(
        default_factory=list, description="Annan ansvarig aktör när villkoret gäller (första som gäller)."
    )
    jointly_with: list[Id] = Field(default_factory=list, description="Gör steget tillsammans med `actor`.")
    participants: list[Id] = Field(default_factory=list)
    produces: list[Text] = Field(default_factory=list, description="Dokument som tas fram.")
    source: Text | None = Field(None, description="Källa: dokument-id och avsnitt, t.ex. `002 steg 13`.")
    description: Text | None = None
    note: Text | None = None
    decision: Decision | None = None
    timing: Timing | None = None
    for_each: FanOut | None = Field(None, description="Steget görs av varje part för sig.")
    join: Id | None = Field(None, description="Steget väntar in alla grenar från detta steg.")
    call: Id | None = Field(None, description="Flödet som körs i steget innan ärendet går vidare.")
    next: Id | None = None
    routes: list[Route] = Field(default_factory=list)
    parallel: list[Id | Branch] = Field(
        default_factory=list, description="Grenar som löper samtidigt; `{to, when}` startar bara när villkoret gäller."
    )
    end: EndKind | None = None
    handed_to: Text | None = Field(None, description="Rutinen ärendet lämnas över till.")
    handed_to_en: English | None = None
    resume: Resume | None = Field(None, description="Hur ett parkerat ärende tas upp igen.")


class Pack(Model):
    """A county rule pack."""

    schema_version: Literal[1] = Field(description="Formatets version.")
    id: Id
    county: Text
    name: Text
    name_en: English | None = None
    description: Text | None = None
    parties: Parties
    sources: list[SourceDocument] = Field(min_length=1)
    validity: Validity | None = None
    phases: list[Phase] = Field(min_length=1)
    actors: list[Actor] = Field(min_length=1)
    questions: list[Question] = Field(default_factory=list)
    option_sets: list[OptionSet] = Field(default_factory=list)
    flows: list[Flow] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    notes: list[Text] = Field(default_factory=list)


class Vocabulary(BaseModel):
    """The shared questions and option sets shipped with kprocess (`vocabulary.yaml`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    questions: list[Question]
    option_sets: list[OptionSet]
