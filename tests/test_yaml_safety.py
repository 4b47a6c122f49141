"""Hostile and broken YAML gets a positioned error quickly and never runs anything."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kprocess.diagnostics import PackError
from kprocess.yamlsource import (
    MAX_DEPTH,
    Document,
    _check_text,
    _parser,
    _plain_scalar,
    _typed_starts,
    parse_bytes,
    parser_in_use,
    read_file,
)


def problems(raw: bytes) -> list[tuple[str, int, int]]:
    with pytest.raises(PackError) as caught:
        parse_bytes(raw, "p.yaml")
    return [(d.code, d.line, d.column) for d in caught.value.diagnostics]


def test_the_c_parser_is_in_use() -> None:
    assert parser_in_use() == "ruamel.yaml.clib._ruamel_yaml.CParser"


def test_yaml_1_2_keeps_norway_and_ja_as_text() -> None:
    data = parse_bytes(b"land: NO\nsvar: ja\nannat: no\nsant: true\ntal: 012\n", "p.yaml").data
    assert data == {"land": "NO", "svar": "ja", "annat": "no", "sant": True, "tal": 12}


def test_alias_bomb_is_refused_at_the_first_alias() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)]
    found = problems("\n".join(lines).encode())
    assert found[0] == ("KP007", 2, 10)
    assert len(found) == 9  # one per anchor, not one per use


def test_deep_nesting_is_bounded() -> None:
    assert problems(b"a: " + b"[" * 10_000 + b"]" * 10_000)[0][0] == "KP008"
    assert MAX_DEPTH <= 64


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['echo hacked']", "!!python/name:os.system", "!custom x"]
)
def test_tags_never_construct_objects(tag: str, capfd: pytest.CaptureFixture[str]) -> None:
    assert problems(f"a: {tag}\n".encode())[0][:2] == ("KP009", 1)
    assert "hacked" not in capfd.readouterr().out


def test_latin1_file_is_told_to_save_as_utf8() -> None:
    with pytest.raises(PackError) as caught:
        parse_bytes("id: test\nname: Västernorrland\n".encode("latin-1"), "p.yaml")
    [d] = caught.value.diagnostics
    assert (d.code, d.line, d.column) == ("KP002", 2, 8)
    assert d.hint is not None and "UTF-8" in d.hint


def test_tab_indentation_is_positioned() -> None:
    assert problems(b"a:\n\tb: 1\n") == [("KP003", 2, 1)]


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"# bara en kommentar\n"])
def test_empty_file(raw: bytes) -> None:
    assert problems(raw) == [("KP004", 1, 1)]


def test_list_at_root() -> None:
    assert problems(b"- a\n- b\n") == [("KP005", 1, 1)]


def test_duplicate_key_names_the_first() -> None:
    with pytest.raises(PackError) as caught:
        parse_bytes(b"id: a\nname: x\nid: b\n", "p.yaml")
    [d] = caught.value.diagnostics
    assert (d.code, d.line, d.message) == ("KP006", 3, "nyckeln `id` finns redan på rad 1")


def test_syntax_error_is_positioned() -> None:
    assert problems(b"a: b: c\n") == [("KP001", 1, 5)]


def test_multi_megabyte_file_is_read_or_refused_cleanly(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"notes:\n" + b"  - " + b"x" * 80 + b"\n" * 1 + (b"  - " + b"y" * 80 + b"\n") * 40_000)
    assert len(read_file(big, "big.yaml").data["notes"]) == 40_001
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"a: " + b"x" * (21 * 1024 * 1024))
    with pytest.raises(PackError) as caught:
        read_file(huge, "huge.yaml")
    assert caught.value.diagnostics[0].code == "KP010"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(raw: bytes) -> None:
    try:
        document = parse_bytes(raw, "p.yaml")
    except PackError as error:
        assert error.diagnostics != []
        assert all(d.line >= 1 and d.column >= 1 for d in error.diagnostics)
    else:
        assert_positioned(document)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n  \t,?")), max_size=120))
def test_yaml_punctuation_soup_never_crashes(text: str) -> None:
    try:
        document = parse_bytes(text.encode(), "p.yaml")
    except PackError as error:
        assert error.diagnostics != []
    else:
        assert_positioned(document)


def assert_positioned(document: Document) -> None:
    """A file that parses is a mapping, and every value in it has a position inside the file."""
    assert isinstance(document.data, dict)
    assert set(document.values) == set(data_paths(document.data))
    assert all(line >= 1 and column >= 1 for line, column in map(document.position, document.values))


def data_paths(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path into nested dicts and lists, the root included."""
    children: list[tuple[str | int, ...]] = [path]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        children += data_paths(value, (*path, key))
    return children


@settings(max_examples=300, deadline=None)
@given(
    st.text(min_size=1, max_size=8)
    | st.sampled_from(["null", "true", "False", "~", ".inf", "-1", "0x1f", "1e3", "nej"])
)
def test_text_not_starting_like_a_number_or_null_or_bool_is_text_without_asking(text: str) -> None:
    """The shortcut in reading unquoted scalars gives what ruamel's YAML 1.2 resolver gives."""
    assert None not in _parser().resolver.versioned_resolver
    if text[0] not in _typed_starts():
        assert _plain_scalar(text) is text
    if text.isalnum():  # read in a file, too, as the resolver reads it
        assert parse_bytes(f"v: {text}\n".encode(), "t.yaml").data == {"v": _plain_scalar(text)}


def _content_by_lines(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from([" ", "#", "a", "\n", "\r", "\x0c", "\u2028", "\x85", "-"]), max_size=12))
def test_a_file_is_empty_exactly_when_no_line_holds_more_than_a_comment(text: str) -> None:
    """The quick search for content gives what reading line by line gives, whatever ends the lines."""
    with pytest.raises(PackError) if not _content_by_lines(text) else contextlib.nullcontext():
        _check_text(text, "t.yaml")
