"""What a user reads for each kind of unreadable file: place, code, message and hint, exactly.

Also the bound on the number of values (the bound is read, one more is refused) and the types
plain YAML values are read as.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kprocess.diagnostics import PackError
from kprocess.yamlsource import MAX_NODES, parse_bytes, read_file

SAVE = "i VS Code, klicka på teckenkodningen i statusraden och välj 'Save with Encoding' → UTF-8"
TOP = "filen ska bestå av nycklar med värden, t.ex. `schema_version: 1` i ett regelpaket eller `name:` i ett testfall"
TAG_HINT = "ta bort taggen (det som börjar med `!`): regelpaket använder bara vanliga värden"


def refusal(raw: bytes) -> list[tuple[int, int, str, str, str | None]]:
    with pytest.raises(PackError) as refused:
        parse_bytes(raw, "p.yaml")
    return [(d.line, d.column, d.code, d.message, d.hint) for d in refused.value.diagnostics]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            b"a: 1\n---\nb: 2\n",
            (
                2,
                1,
                "KP001",
                "filen innehåller mer än ett YAML-dokument",
                "ta bort `---` och det andra dokumentet: ett paket är ett dokument",
            ),
            id="two-documents",
        ),
        pytest.param(
            b"a: 1\nb: \x07\n",
            (
                2,
                4,
                "KP001",
                "otillåtet styrtecken U+0007 i filen",
                "ta bort styrtecknet; en YAML-fil innehåller bara vanlig text",
            ),
            id="control-character",
        ),
        pytest.param(
            b"{a: 1}: 2\n",
            (1, 1, "KP001", "en nyckel måste vara en enkel text", "skriv nyckeln som `namn:` följt av värdet"),
            id="mapping-as-key",
        ),
        pytest.param(
            "a: 1\n".encode("utf-16"),
            (1, 1, "KP002", "filen är sparad som UTF-16, inte UTF-8", f"spara filen som UTF-8: {SAVE}"),
            id="utf16-with-bom",
        ),
        pytest.param(
            "a: 1\nb: 2\n".encode("utf-16-le"),
            (1, 1, "KP002", "filen är sparad som UTF-16, inte UTF-8", f"spara filen som UTF-8: {SAVE}"),
            id="utf16-without-bom",
        ),
        pytest.param(
            b"a: 1\nb: x\x00y\n",
            (
                2,
                5,
                "KP002",
                "filen är ingen textfil (den innehåller nolltecken)",
                "ange regelpaketets YAML-fil; en bild, ett Word-dokument eller ett arkiv kan inte läsas",
            ),
            id="nul-byte",
        ),
        pytest.param(
            "a: 1\nb: åäö\n".encode("latin-1"),
            (
                2,
                4,
                "KP002",
                "filen är inte giltig UTF-8 (byte 0xe5)",
                f"spara filen som UTF-8 (den ser ut att vara sparad som Latin-1/Windows-1252): {SAVE}",
            ),
            id="latin1-swedish-letters",
        ),
        pytest.param(
            b"a: 1\nb: \x80\x81\x82\x83\n",
            (2, 4, "KP002", "filen är inte giltig UTF-8 (byte 0x80)", f"spara filen som UTF-8: {SAVE}"),
            id="not-utf8-not-swedish",
        ),
        pytest.param(
            b"a:\n  b: 1\n\tc: 2\n",
            (
                3,
                1,
                "KP003",
                "tabbtecken används för indrag",
                "YAML tillåter bara mellanslag för indrag; ersätt tabben med mellanslag",
            ),
            id="tab",
        ),
        pytest.param(
            b"# bara en kommentar\n\n",
            (
                1,
                1,
                "KP004",
                "filen är tom",
                "ett regelpaket börjar med `schema_version: 1`, ett testfall med `name:` "
                "(se docs/format.md och docs/cases.md)",
            ),
            id="only-a-comment",
        ),
        pytest.param(
            b"- a\n- b\n",
            (1, 1, "KP005", "filens översta nivå är en lista, inte nycklar", TOP),
            id="list-at-top",
        ),
        pytest.param(
            b"hej\n",
            (1, 1, "KP005", "filens översta nivå är ett enkelt värde, inte nycklar", TOP),
            id="value-at-top",
        ),
        pytest.param(
            b"a: 1\nb: 2\na: 3\n",
            (
                3,
                1,
                "KP006",
                "nyckeln `a` finns redan på rad 1",
                "ta bort eller slå ihop den ena: en nyckel får bara finnas en gång per nivå",
            ),
            id="duplicate-key",
        ),
        pytest.param(
            b"a: &x 1\nb: *x\nc: *x\n",
            (
                2,
                4,
                "KP007",
                "alias (*x) används",
                "alias och ankare (&namn/*namn) stöds inte: skriv ut värdet där det behövs",
            ),
            id="alias-reported-once",
        ),
        pytest.param(
            b"a: !!python/name:os.system 1\n",
            (1, 4, "KP009", "taggen `tag:yaml.org,2002:python/name:os.system` är inte tillåten", TAG_HINT),
            id="python-tag",
        ),
        pytest.param(
            b"a: !fest 1\n",
            (1, 4, "KP009", "taggen `!fest` är inte tillåten", TAG_HINT),
            id="local-tag",
        ),
    ],
)
def test_unreadable_input_is_explained(raw: bytes, expected: tuple[int, int, str, str, str]) -> None:
    assert refusal(raw) == [expected]


def flow_list(items: int) -> bytes:
    """A file of MAX_NODES-counted values: the top mapping, the list, and its items."""
    return b"a: [" + b",".join([b"0"] * items) + b"]\n"


def test_values_up_to_the_bound_are_read() -> None:
    assert len(parse_bytes(flow_list(MAX_NODES - 2), "p.yaml").data["a"]) == MAX_NODES - 2


def test_one_value_over_the_bound_is_refused_where_it_is() -> None:
    assert refusal(flow_list(MAX_NODES - 1)) == [
        (
            1,
            2 * MAX_NODES + 1,
            "KP010",
            "filen har fler än 250 000 värden; så många läses inte",
            "dela upp paketet eller kontrollera att det är rätt fil",
        )
    ]


def test_plain_values_are_read_as_yaml_1_2_types() -> None:
    raw = (
        b"a: ~\nb: True\nc: 0x1F\nd: 1_000.5\ne: 12\nf: '12'\ng: !!str 12\nh: 0o17\ni: -3\n"
        b"j: yes\nk: null\nl: 1e3\nm: .inf\nn: 0b101\no: 1_000\np: FALSE\n"
    )
    document = parse_bytes(raw, "p.yaml")
    assert document.data == {
        "a": None,
        "b": True,
        "c": 31,
        "d": 1000.5,
        "e": 12,
        "f": "12",
        "g": "12",
        "h": 15,
        "i": -3,
        "j": "yes",
        "k": None,
        "l": 1000.0,
        "m": ".inf",
        "n": 5,
        "o": 1000,
        "p": False,
    }
    assert [document.position((key,)) for key in "aep"] == [(1, 4), (5, 4), (16, 4)]
    assert [document.position((key,), key=True) for key in "aep"] == [(1, 1), (5, 1), (16, 1)]
    assert document.position(()) == (1, 1)
    assert document.position(("a", "okänd")) == (1, 4)  # a path the file does not have: its parent


def test_a_utf8_byte_order_mark_is_read() -> None:
    assert parse_bytes(b"\xef\xbb\xbfa: 1\n", "p.yaml").data == {"a": 1}


OPEN_HINT = "ange sökvägen till en YAML-fil (.yaml)"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("ror.yaml", "det är ingen vanlig fil (utan t.ex. en namngiven rörledning eller en enhet)"),
        ("cirkel.yaml", "länken pekar i en cirkel (en symbolisk länk som till slut leder tillbaka till sig själv)"),
        ("mapp.yaml", "det är en mapp, inte en fil"),
        ("saknas.yaml", "filen finns inte"),
        ("a\x00b.yaml", "sökvägen innehåller otillåtna tecken"),
    ],
)
def test_what_is_not_a_readable_file_is_named(tmp_path: Path, name: str, problem: str) -> None:
    os.mkfifo(tmp_path / "ror.yaml")
    (tmp_path / "cirkel.yaml").symlink_to("runt.yaml")
    (tmp_path / "runt.yaml").symlink_to("cirkel.yaml")
    (tmp_path / "mapp.yaml").mkdir()
    with pytest.raises(PackError) as refused:
        read_file(tmp_path / name, name)
    assert [(d.file, d.line, d.column, d.code, d.message, d.hint) for d in refused.value.diagnostics] == [
        (name, 1, 1, "KP000", f"filen kan inte läsas: {problem}", OPEN_HINT)
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: 1\na: {b: [1, 2]}\nc: 3\n", ("p.yaml", 2, 1, "KP006", "nyckeln `a` finns redan på rad 1")),
        (b"a:\n  b: 1\n\tc: 2\n", ("p.yaml", 3, 1, "KP003", "tabbtecken används för indrag")),
    ],
    ids=["duplicate-key-with-nested-value", "tab"],
)
def test_the_file_is_named_and_reading_goes_past_a_nested_duplicate(
    raw: bytes, expected: tuple[str, int, int, str, str]
) -> None:
    with pytest.raises(PackError) as refused:
        parse_bytes(raw, "p.yaml")
    assert [(d.file, d.line, d.column, d.code, d.message) for d in refused.value.diagnostics] == [expected]
