"""English beside Swedish for what is wrong with an answer, a format rule and a line of a batch:
each message in both languages, and the kind of answer problem that code reacts to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kprocess import i18n
from kprocess.answers import AnswerError, AnswerProblem, Answers
from kprocess.pack import RulePack, load_pack
from tests.conftest import MINIMAL, ROOT
from tests.test_i18n import VN, cli


@pytest.fixture(autouse=True)
def _swedish_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("sv")


def refusal(pack: RulePack, key: str, raw: object, language: str) -> tuple[str, AnswerProblem]:
    i18n.set_language(language)
    with pytest.raises(AnswerError) as refused:
        Answers(pack.questions, ["Alfa", "Beta"]).set(key, raw)
    return str(refused.value), refused.value.kind


@pytest.mark.parametrize(
    ("key", "raw", "swedish", "english", "kind"),
    [
        (
            "beror_kommunerna",
            "kanske",
            "`beror_kommunerna` besvaras med ja eller nej, inte `kanske`",
            "`beror_kommunerna` takes ja or nej (yes or no), not `kanske`",
            AnswerProblem.value,
        ),
        (
            "programomrade",
            "tandvärd",
            "`programomrade` har inget alternativ `tandvärd` (menade du `tandvard`?)",
            "`programomrade` has no option `tandvärd` (did you mean `tandvard`?)",
            AnswerProblem.value,
        ),
        (
            "beror_kommunern",
            "ja",
            "okänd fråga `beror_kommunern` (menade du `beror_kommunerna`?)",
            "unknown question `beror_kommunern` (did you mean `beror_kommunerna`?)",
            AnswerProblem.unknown_question,
        ),
        (
            "zzz",
            "ja",
            "okänd fråga `zzz`; `kprocess facts PAKET` listar frågorna",
            "unknown question `zzz`; `kprocess facts PACK` lists the questions",
            AnswerProblem.unknown_question,
        ),
        (
            "kommun_beslut[Gamma]",
            "ja",
            "`Gamma` är ingen part i paketet; parterna är: Alfa, Beta",
            "`Gamma` is not a party of the pack; the parties are: Alfa, Beta",
            AnswerProblem.unknown_party,
        ),
        (
            "komplettera[Alfa]",
            "ja",
            "`komplettera` besvaras inte per part; skriv `komplettera=...` utan `[Alfa]`",
            "`komplettera` is not answered per party; write `komplettera=...` without `[Alfa]`",
            AnswerProblem.not_per_party,
        ),
        (
            "Fråga",
            "ja",
            "`Fråga` är inget fråge-id; skriv t.ex. `beror_kommunerna=ja` eller `fraga[Timrå]=nej`",
            "`Fråga` is not a question id; write e.g. `beror_kommunerna=ja` or `question[Timrå]=nej`",
            AnswerProblem.key,
        ),
        ("komplettera", [], "`komplettera` saknar svar", "`komplettera` has no answer", AnswerProblem.empty),
    ],
)
def test_answer_errors_in_both_languages(
    minimal: RulePack, key: str, raw: object, swedish: str, english: str, kind: AnswerProblem
) -> None:
    assert refusal(minimal, key, raw, "sv") == (swedish, kind)
    assert refusal(minimal, key, raw, "en") == (english, kind)


def test_a_number_out_of_range_in_both_languages() -> None:
    pack = load_pack(ROOT / VN)
    question = "parkerad_manader"
    swedish = refusal(pack, question, "1e300", "sv")
    english = refusal(pack, question, "1e300", "en")
    limit = "1 000 000 000 000 000"
    assert swedish == (
        f"`{question}` besvaras med ett tal mellan -{limit} och {limit}, inte `1e300`",
        AnswerProblem.value,
    )
    assert english == (f"`{question}` takes a number between -{limit} and {limit}, not `1e300`", AnswerProblem.value)


def test_a_wrong_answer_on_the_command_line_in_english() -> None:
    done = cli("--lang", "en", "simulate", VN, "--fact", "beror_kommunerna=kanske", "--no-input")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "kprocess: `beror_kommunerna` takes ja or nej (yes or no), not `kanske`\n"


ROUTE_WITH_BOTH = MINIMAL.read_text(encoding="utf-8").replace(
    "      - otherwise: regionrutin\n", "      - {otherwise: regionrutin, to: analys}\n", 1
)


@pytest.mark.parametrize(
    ("lang", "message", "summary"),
    [
        ("sv", "en `otherwise`-väg har varken `when` eller `to`", "1 fil kontrollerade: 1 fel, 0 varningar."),
        ("en", "an `otherwise` route has neither `when` nor `to`", "1 file checked: 1 error, 0 warnings."),
    ],
)
def test_a_format_rule_in_both_languages(tmp_path: Path, lang: str, message: str, summary: str) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(ROUTE_WITH_BOTH, encoding="utf-8")
    done = cli("--lang", lang, "validate", str(pack))
    assert done.returncode == 1
    assert done.stdout == f"{pack}:42:9: KP103 {message}\n{summary}\n"


BATCH = (
    '{"answers": {"beror_kommunerna": "x"}}\n[1]\n{"answers": {}, "start": "2020"}\nnot json\n'
    '{"answers": {}, "fl": 1}\n'
)


@pytest.mark.parametrize(
    ("lang", "errors", "summary"),
    [
        (
            "sv",
            [
                "`beror_kommunerna` besvaras med ja eller nej, inte `x`",
                'raden är inte ett JSON-objekt; skriv t.ex. {"answers": {"beror_kommunerna": "ja"}}',
                "`start` är inget datum: `2020`; skriv ÅÅÅÅ-MM-DD",
                "rad 4 är inte JSON: Expecting value (tecken 1)",
                "okänd nyckel `fl` på raden; tillåtna: id, answers, flow, start",
            ],
            'kprocess: 5 ärenden kunde inte köras (se "error" i utdata)\n',
        ),
        (
            "en",
            [
                "`beror_kommunerna` takes ja or nej (yes or no), not `x`",
                'the line is not a JSON object; write e.g. {"answers": {"beror_kommunerna": "ja"}}',
                "`start` is not a date: `2020`; write YYYY-MM-DD",
                "line 4 is not JSON: Expecting value (character 1)",
                "unknown key `fl` on the line; allowed: id, answers, flow, start",
            ],
            'kprocess: 5 cases could not be run (see "error" in the output)\n',
        ),
    ],
)
def test_batch_line_errors_in_both_languages(tmp_path: Path, lang: str, errors: list[str], summary: str) -> None:
    import json

    batch = tmp_path / "cases.jsonl"
    batch.write_text(BATCH, encoding="utf-8")
    done = cli("--lang", lang, "simulate", VN, "--batch", str(batch))
    assert (done.returncode, done.stderr) == (1, summary)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [sorted(line) for line in lines] == [["error", "id", "line"]] * 5
    assert [line["error"] for line in lines] == errors
