"""Every refusal of the condition compiler as a pack author reads it (code, column, message, hint),
and number comparisons at their boundaries."""

from __future__ import annotations

import pytest

from kprocess.conditions import Catalog, ConditionError, compile_condition
from kprocess.pack import RulePack, load_pack
from tests.conftest import ROOT

READ = "skriv t.ex. `fraga and not annan_fraga` eller `fraga == 'alternativ'`"
CALLS = "tillåtna funktioner: any(fraga) och all(fraga) för frågor som besvaras per part"
ALWAYS = "ta bort vägen som aldrig gäller, och använd `otherwise:` för en väg som alltid gäller"
OPTION = "jämför med ett alternativ: `programomrade == 'akut_vard'`"
NUMBER = "jämför med ett tal: `rapport_manader >= 12`"
YES_NO = "skriv bara `beror_kommunerna` eller `not beror_kommunerna`"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_pack(ROOT / "tests" / "data" / "minimal.yaml").catalog


@pytest.fixture(scope="module")
def timed() -> RulePack:
    return load_pack(ROOT / "tests" / "data" / "timed.yaml")


def refusal(text: str, catalog: Catalog) -> tuple[str, int, str, str | None]:
    with pytest.raises(ConditionError) as refused:
        compile_condition(text, catalog)
    error = refused.value
    return (error.code, error.column, str(error), error.hint)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "x" * 1001,
            (
                "KP205",
                0,
                "villkoret är 1001 tecken långt; högst 1000 läses",
                "dela upp villkoret, t.ex. med en härledd fråga (`derived:`)",
            ),
        ),
        ("beror_kommunerna and", ("KP205", 0, "villkoret går inte att läsa: invalid syntax", READ)),
        ("  beror_kommunerna or (", ("KP205", 22, "villkoret går inte att läsa: '(' was never closed", READ)),
        (
            "ｂｅｒｏｒ_kommunerna",
            (
                "KP204",
                0,
                "`ｂｅｒｏｒ_kommunerna` är skrivet med tecken som bara liknar vanliga bokstäver",
                "skriv `beror_kommunerna` med vanliga bokstäver (a–z, 0–9, _)",
            ),
        ),
        (
            "3 > ryms_i_budget",
            (
                "KP205",
                0,
                "vänster sida av en jämförelse ska vara en fråga",
                "skriv frågans id först, t.ex. `antal_manader >= 12`",
            ),
        ),
        (
            "programomrade == tandvard",
            (
                "KP206",
                17,
                "`tandvard` är ett svarsalternativ och skrivs inom citattecken",
                "skriv det inom citattecken: `programomrade == 'tandvard'`",
            ),
        ),
        (
            "tandvard",
            (
                "KP204",
                0,
                "`tandvard` är ett svarsalternativ, inte en fråga",
                "skriv det inom citattecken: `programomrade == 'tandvard'`",
            ),
        ),
        ("beror_komunerna", ("KP204", 0, "okänd fråga `beror_komunerna`", "menade du `beror_kommunerna`?")),
        ("okand_sak", ("KP204", 0, "okänd fråga `okand_sak`", "deklarera frågan under `questions:`")),
        ("programomrade", ("KP206", 0, "`programomrade` är inte en ja/nej-fråga och kan inte stå ensam", OPTION)),
        ("True", ("KP205", 0, "`True` är inget villkor: det är alltid sant", ALWAYS)),
        ("not False", ("KP205", 4, "`False` är inget villkor: det är alltid falskt", ALWAYS)),
        ("beror_kommunerna(1)", ("KP205", 0, "`beror_kommunerna(1)` är inte tillåtet i ett villkor", CALLS)),
        ("all(kommun_beslut, x)", ("KP205", 0, "`all(kommun_beslut, x)` är inte tillåtet i ett villkor", CALLS)),
        (
            "all(ryms_i_budget)",
            (
                "KP206",
                0,
                "all() gäller ja/nej-frågor som besvaras per part; `ryms_i_budget` är det inte",
                "sätt `per_party: true` på frågan, eller använd frågan direkt",
            ),
        ),
        (
            "beror_kommunerna.x",
            (
                "KP205",
                0,
                "`beror_kommunerna.x` är inte tillåtet i ett villkor",
                "tillåtet: frågor, `and`, `or`, `not`, jämförelser (==, !=, <, >) och `in`",
            ),
        ),
        (
            "1 < programomrade < 3",
            ("KP205", 0, "kedjade jämförelser stöds inte", "dela upp med `and`: `a >= 1 and a <= 5`"),
        ),
        (
            "programomrade is None",
            ("KP205", 0, "jämförelsen är inte tillåten", "använd ==, !=, <, <=, >, >= eller in"),
        ),
        ("programomrade == 3", ("KP206", 17, "alternativ skrivs inom citattecken", OPTION)),
        ("programomrade > 'a'", ("KP206", 16, "`programomrade` kan bara jämföras med == eller !=", OPTION)),
        (
            "beror_kommunerna == 'kanske'",
            ("KP206", 20, "`beror_kommunerna` är en ja/nej-fråga; `'kanske'` är inget ja/nej", YES_NO),
        ),
        ("beror_kommunerna != 3", ("KP206", 20, "`beror_kommunerna` är en ja/nej-fråga; `3` är inget ja/nej", YES_NO)),
        (
            "programomrade == 'tandvrd'",
            ("KP206", 17, "`programomrade` har inget alternativ 'tandvrd'", "menade du 'tandvard'?"),
        ),
        (
            "programomrade in kommunmedverkn",
            ("KP204", 17, "okänd alternativmängd `kommunmedverkn`", "menade du `kommunmedverkan`?"),
        ),
        (
            "programomrade in okand",
            ("KP204", 17, "okänd alternativmängd `okand`", "deklarera mängden under `option_sets:`"),
        ),
        (
            "programomrade in 3",
            (
                "KP206",
                17,
                "efter `in` kommer en alternativmängd eller en lista",
                "t.ex. `programomrade in kommunmedverkan` eller `programomrade in ['a', 'b']`",
            ),
        ),
        ("programomrade in ['tandvard', 3]", ("KP206", 30, "alternativ skrivs inom citattecken", OPTION)),
        ("programomrade == x", ("KP206", 17, "höger sida ska vara ett värde", OPTION)),
    ],
)
def test_refusal_reads_as_expected(catalog: Catalog, text: str, expected: tuple[str, int, str, str]) -> None:
    assert refusal(text, catalog) == expected


def test_an_option_outside_the_list_names_every_option(catalog: Catalog) -> None:
    code, column, message, hint = refusal("programomrade == 'zzz'", catalog)
    options = [o.id for o in catalog.questions["programomrade"].options]
    assert (code, column, message, hint) == (
        "KP206",
        17,
        "`programomrade` har inget alternativ 'zzz'",
        f"möjliga alternativ: {', '.join(options)}",
    )


def test_in_on_a_question_that_is_not_a_choice_is_refused(catalog: Catalog) -> None:
    assert refusal("beror_kommunerna in kommunmedverkan", catalog) == (
        "KP206",
        20,
        "`in` fungerar bara för flervalsfrågor; `beror_kommunerna` är det inte",
        YES_NO,
    )
    assert refusal("beror_kommunerna >= 1", catalog)[3] == YES_NO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rapport_manader == '6'", ("KP206", 19, "`rapport_manader` är en talfråga; jämför med ett tal", NUMBER)),
        ("rapport_manader == True", ("KP206", 19, "`rapport_manader` är en talfråga; jämför med ett tal", NUMBER)),
        ("rapport_manader > --1", ("KP206", 18, "höger sida ska vara ett värde", NUMBER)),
        (
            "rapport_manader > 1e400",
            (
                "KP206",
                18,
                "talet `1e400` är för stort; högst 1 000 000 000 000 000 i ett villkor",
                "jämför med ett mindre tal, t.ex. `rapport_manader >= 12`",
            ),
        ),
        (
            "rapport_manader > -1000000000000001",
            (
                "KP206",
                18,
                "talet `-1000000000000001` är för stort; högst 1 000 000 000 000 000 i ett villkor",
                "jämför med ett mindre tal, t.ex. `rapport_manader >= 12`",
            ),
        ),
        ("rapport_manader", ("KP206", 0, "`rapport_manader` är inte en ja/nej-fråga och kan inte stå ensam", NUMBER)),
        (
            "rapport_manader in [1]",
            ("KP206", 19, "`in` fungerar bara för flervalsfrågor; `rapport_manader` är det inte", NUMBER),
        ),
    ],
)
def test_number_refusals(timed: RulePack, text: str, expected: tuple[str, int, str, str]) -> None:
    assert refusal(text, timed.catalog) == expected


@pytest.mark.parametrize(
    ("text", "below", "at", "above"),
    [
        ("rapport_manader >= 6", False, True, True),
        ("rapport_manader > 6", False, False, True),
        ("rapport_manader <= 6", True, True, False),
        ("rapport_manader < 6", True, False, False),
        ("rapport_manader == 6", False, True, False),
        ("rapport_manader != 6", True, False, True),
    ],
)
def test_number_comparisons_at_their_boundary(timed: RulePack, text: str, below: bool, at: bool, above: bool) -> None:
    condition = compile_condition(text, timed.catalog)
    assert [condition({"rapport_manader": v}.__getitem__) for v in (5.5, 6.0, 6.5)] == [below, at, above]
    assert (condition.questions, dict(condition.numbers)) == (
        frozenset({"rapport_manader"}),
        {"rapport_manader": frozenset({6.0})},
    )


@pytest.mark.parametrize(("text", "constant"), [("rapport_manader > -1", -1.0), ("rapport_manader < +2", 2.0)])
def test_signed_numbers_keep_their_sign(timed: RulePack, text: str, constant: float) -> None:
    condition = compile_condition(text, timed.catalog)
    assert dict(condition.numbers) == {"rapport_manader": frozenset({constant})}
    assert [condition({"rapport_manader": constant + d}.__getitem__) for d in (-0.5, 0.5)] == [
        text.endswith("+2"),
        text.endswith("-1"),
    ]


def test_a_question_read_inside_any_is_not_read_on_its_own(catalog: Catalog) -> None:
    condition = compile_condition("any(kommun_beslut) and all(kommun_beslut)", catalog)
    assert condition.questions == frozenset({"any(kommun_beslut)", "all(kommun_beslut)"})
    answers = {"any(kommun_beslut)": True, "all(kommun_beslut)": False}
    assert condition(answers.__getitem__) is False
    assert compile_condition("any(kommun_beslut) or all(kommun_beslut)", catalog)(answers.__getitem__) is True


def test_or_and_not_evaluate_every_combination(catalog: Catalog) -> None:
    condition = compile_condition("beror_kommunerna or not ryms_i_budget", catalog)
    table = {
        (a, b): condition({"beror_kommunerna": a, "ryms_i_budget": b}.__getitem__)
        for a in (True, False)
        for b in (True, False)
    }
    assert table == {(True, True): True, (True, False): True, (False, True): False, (False, False): True}


def test_only_per_party_yes_no_questions_get_any_and_all() -> None:
    catalog = load_pack(ROOT / "tests" / "data" / "minimal.yaml").catalog  # loaded here, not shared
    text = "Beslutar kommunen att införa kunskapsstödet?"
    assert {k: (q.id, q.text, q.type.value, q.per_party) for k, q in catalog.questions.items() if "(" in k} == {
        "any(kommun_beslut)": ("any(kommun_beslut)", f"Svarade minst en part ja på frågan: {text}", "yesno", False),
        "all(kommun_beslut)": (
            "all(kommun_beslut)",
            f"Svarade alla parter som besvarade frågan ja: {text}",
            "yesno",
            False,
        ),
    }
