"""The documented input bounds hold exactly: the bound itself is read, one more is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kprocess.diagnostics import PackError
from kprocess.yamlsource import MAX_BYTES, MAX_DEPTH, parse_bytes, read_file


def nested(lists: int) -> bytes:
    return b"a: " + b"[" * lists + b"]" * lists + b"\n"


def test_nesting_up_to_the_bound_is_read() -> None:
    data = parse_bytes(nested(MAX_DEPTH - 1), "p.yaml").data  # the top-level mapping is the first level
    for _ in range(MAX_DEPTH - 1):
        data = data["a"] if isinstance(data, dict) else data[0] if data else data
    assert data == []


def test_nesting_one_deeper_is_refused_where_it_starts() -> None:
    with pytest.raises(PackError) as refused:
        parse_bytes(nested(MAX_DEPTH), "p.yaml")
    assert [(d.code, d.line, d.column, d.message) for d in refused.value.diagnostics] == [
        ("KP008", 1, MAX_DEPTH + 3, f"nästlingen är djupare än {MAX_DEPTH} nivåer")
    ]


def test_a_file_of_exactly_the_size_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    path.write_bytes(b"a: 1\n#" + b"x" * (MAX_BYTES - 6))
    assert (path.stat().st_size, read_file(path, "stor.yaml").data) == (MAX_BYTES, {"a": 1})


def test_one_byte_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    path.write_bytes(b"a: 1\n#" + b"x" * (MAX_BYTES - 5))
    with pytest.raises(PackError) as refused:
        read_file(path, "stor.yaml")
    assert [(d.code, d.line, d.column, d.message) for d in refused.value.diagnostics] == [
        ("KP010", 1, 1, "filen är 21.0 MB; högst 20 MB läses")
    ]
