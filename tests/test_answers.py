"""Answers as a user writes them: `ja,nej` sequences, labels, numbers, parties, and every refusal."""

from __future__ import annotations

from typing import Any

import pytest

from kprocess.answers import AnswerError, Answers, answer_text
from kprocess.enums import FanOut
from kprocess.pack import RulePack, load_pack
from tests.conftest import CONSTRUCTS

BOUND = "ett tal mellan -1 000 000 000 000 000 och 1 000 000 000 000 000"


@pytest.fixture(scope="module")
def constructs() -> RulePack:
    return load_pack(CONSTRUCTS)


@pytest.fixture(params=[False, True], ids=["plain", "memo"])
def answers(request: pytest.FixtureRequest, constructs: RulePack) -> Answers:
    """Fresh answers, with and without the memo that cases of one pack share."""
    memo: dict[tuple[object, ...], Any] | None = {} if request.param else None
    return Answers(constructs.questions, constructs.parties(FanOut.parties), memo=memo)


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("ny_lag", "ja,nej", [True, False]),
        ("ny_lag", ["ja", "nej", "ja"], [True, False, True]),
        ("ny_lag", " JA ", [True]),
        ("ny_lag", "Nej", [False]),
        ("ny_lag", True, [True]),
        ("programomrade", "akut_vard", ["akut_vard"]),
        ("programomrade", "Akut vård", ["akut_vard"]),
        ("programomrade", "AKUT VÅRD", ["akut_vard"]),
        ("vantan_manader", "6", [6.0]),
        ("vantan_manader", ["3,5"], [3.5]),
        ("vantan_manader", "3,5", [3.0, 5.0]),
        ("vantan_manader", 1e15, [1e15]),
        ("vantan_manader", -1e15, [-1e15]),
        ("vantan_manader", " 2.5 ", [2.5]),
    ],
)
def test_answers_are_read(answers: Answers, key: str, raw: object, expected: list[object]) -> None:
    assert answers.set(key, raw) == (key, None)
    assert answers.given == {(key, None): expected}
    assert answers.sequence(key, None) == expected


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("komplettera", "ja", "okänd fråga `komplettera`; `kprocess facts PAKET` listar frågorna"),
        ("ny_lagg", "ja", "okänd fråga `ny_lagg` (menade du `ny_lag`?)"),
        ("programomrade", "akut_vrd", "`programomrade` har inget alternativ `akut_vrd` (menade du `akut_vard`?)"),
        ("vantan_manader", True, "`vantan_manader` besvaras med ett tal, inte `True`"),
        ("vantan_manader", "tre", "`vantan_manader` besvaras med ett tal, inte `tre`"),
        ("vantan_manader", "1e16", f"`vantan_manader` besvaras med {BOUND}, inte `1e16`"),
        ("vantan_manader", -1.0000001e15, f"`vantan_manader` besvaras med {BOUND}, inte `-1000000100000000.0`"),
        ("vantan_manader", "nan", f"`vantan_manader` besvaras med {BOUND}, inte `nan`"),
        ("vantan_manader", "1e999", f"`vantan_manader` besvaras med {BOUND}, inte `1e999`"),
        (
            "inom_omradet",
            "ja",
            "`inom_omradet` besvaras inte utan härleds ur andra svar: programomrade in ['psykisk_halsa', 'primarvard']",
        ),
        ("kommun_beslut[orebro]", "ja", "`orebro` är ingen part i paketet; parterna är: Region Test, Alfa, Beta"),
        ("kommun_beslut[Alfaa]", "ja", "`Alfaa` är ingen part i paketet (menade du `Alfa`?)"),
        ("ny_lag[Alfa]", "ja", "`ny_lag` besvaras inte per part; skriv `ny_lag=...` utan `[Alfa]`"),
        ("ny_lag", None, "`ny_lag` besvaras med ja eller nej, inte med en tom rad"),
        ("ny_lag", {"a": 1}, "`ny_lag` besvaras med ja eller nej, inte med en samling nycklar"),
        ("ny_lag", ["ja", ["nej"]], "`ny_lag` besvaras med ja eller nej, inte med en lista"),
        ("vantan_manader", [[1]], "`vantan_manader` besvaras med ett tal, inte med en lista"),
        ("ny_lag", [], "`ny_lag` saknar svar"),
        ("ny_lag", "kanske", "`ny_lag` besvaras med ja eller nej, inte `kanske`"),
        ("Ny Lag", "ja", "`Ny Lag` är inget fråge-id; skriv t.ex. `beror_kommunerna=ja` eller `fraga[Timrå]=nej`"),
    ],
)
def test_wrong_answers_are_refused_with_how_to_write_them(
    answers: Answers, key: str, raw: object, message: str
) -> None:
    with pytest.raises(AnswerError) as refused:
        answers.set(key, raw)
    assert str(refused.value) == message
    assert answers.given == {}


def test_an_option_that_is_not_close_lists_them_all(answers: Answers, constructs: RulePack) -> None:
    options = ", ".join(o.id for o in constructs.questions["programomrade"].options)
    with pytest.raises(AnswerError) as refused:
        answers.set("programomrade", "zzzz")
    assert str(refused.value) == f"`programomrade` har inget alternativ `zzzz`; välj ett av: {options}"


def test_a_long_key_is_no_question_id(answers: Answers) -> None:
    with pytest.raises(AnswerError) as refused:
        answers.set("a" * 201, "ja")
    assert str(refused.value).startswith("`aaaa")
    assert str(refused.value).endswith(
        "…` är inget fråge-id; skriv t.ex. `beror_kommunerna=ja` eller `fraga[Timrå]=nej`"
    )
    answers.set("ny_lag", "ja")
    assert answers.given == {("ny_lag", None): [True]}


def test_party_answers_come_before_the_answer_for_all(answers: Answers) -> None:
    assert answers.set("kommun_beslut[alfa]", "nej") == ("kommun_beslut", "Alfa")
    answers.set("kommun_beslut", "ja")
    assert (answers.sequence("kommun_beslut", "Alfa"), answers.sequence("kommun_beslut", "Beta")) == ([False], [True])
    assert answers.sequence("ny_lag", None) is None


def test_a_question_given_twice_is_an_error(answers: Answers) -> None:
    first = answers.set("ny_lag", "ja", once=frozenset())
    with pytest.raises(AnswerError) as refused:
        answers.set(" ny_lag", "nej", once=frozenset({first}))
    assert str(refused.value) == (
        "`ny_lag` är angiven mer än en gång; ge frågan ett svar, eller flera i ordning med komma: `fraga=ja,nej`"
    )
    assert answers.given == {("ny_lag", None): [True]}
    answers.set("kommun_beslut[Alfa]", "ja", once=frozenset({first}))  # another question is fine
    assert answers.given[("kommun_beslut", "Alfa")] == [True]


@pytest.mark.parametrize(
    ("value", "text"), [(True, "ja"), (False, "nej"), (3.0, "3"), (2.5, "2.5"), ("tandvard", "tandvard")]
)
def test_answer_text(value: bool | float | str, text: str) -> None:
    assert answer_text(value) == text
