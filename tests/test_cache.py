"""The validate cache: a hit prints exactly what checking prints, and any change to an input is a miss."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kprocess import cache
from kprocess.cli.entry import validate_request

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))
CASES = sorted((ROOT / "regions" / "cases").glob("*/*.yaml"))
FILES = [
    *sorted((ROOT / "regions").glob("*.yaml")),
    *sorted((ROOT / "tests" / "data").glob("*.yaml")),
    *HOSTILE,
    *CASES[:3],
]


def validate(*args: str | Path, cache_dir: Path, cwd: Path = ROOT) -> tuple[int, str, str]:
    """`python -m kprocess validate ARGS` with the cache in `cache_dir`: exit code, stdout, stderr."""
    env = {k: v for k, v in os.environ.items() if k != "KPROCESS_NO_CACHE"}
    env["KPROCESS_CACHE_DIR"] = str(cache_dir)
    done = subprocess.run(
        [sys.executable, "-m", "kprocess", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / cache.FORMAT).glob("*/*") if p.is_file())


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_a_hit_prints_exactly_what_checking_prints(tmp_path: Path, output: str) -> None:
    fresh = validate("--no-cache", "--format", output, *FILES, cache_dir=tmp_path)
    assert entries(tmp_path) == []
    assert fresh[0] == 1  # the hostile files have errors: the comparison covers findings
    first = validate("--format", output, *FILES, cache_dir=tmp_path)
    assert len(entries(tmp_path)) == len(FILES)
    second = validate("--format", output, *FILES, cache_dir=tmp_path)
    assert first == fresh
    assert second == fresh


def test_a_hit_is_read_from_the_cache(tmp_path: Path) -> None:
    pack = ROOT / "tests" / "data" / "minimal.yaml"
    assert validate(pack, cache_dir=tmp_path)[:2] == (0, "1 fil kontrollerade: inga problem.\n")
    [entry] = entries(tmp_path)
    import marshal

    entry.write_bytes(marshal.dumps([("tests/data/minimal.yaml", 3, 5, "KP999", "lagrat", None, 2, ())]))
    assert validate(pack, cache_dir=tmp_path)[:2] == (
        1,
        "tests/data/minimal.yaml:3:5: KP999 lagrat\n1 fil kontrollerade: 1 fel, 0 varningar.\n",
    )
    assert validate("--no-cache", pack, cache_dir=tmp_path)[:2] == (0, "1 fil kontrollerade: inga problem.\n")


def test_a_changed_file_is_checked_again(tmp_path: Path) -> None:
    pack = tmp_path / "paket.yaml"
    shutil.copy(ROOT / "tests" / "data" / "minimal.yaml", pack)
    assert validate(pack, cache_dir=tmp_path / "cache", cwd=tmp_path)[0] == 0
    pack.write_text(pack.read_text(encoding="utf-8") + "okänd_nyckel: 1\n", encoding="utf-8")
    changed = validate(pack, cache_dir=tmp_path / "cache", cwd=tmp_path)
    assert changed[0] == 1
    assert changed == validate("--no-cache", pack, cache_dir=tmp_path / "cache", cwd=tmp_path)


def test_a_case_is_checked_again_when_its_pack_changes(tmp_path: Path) -> None:
    case = next(p for p in CASES if p.parent.name == "orebro")
    shutil.copytree(ROOT / "regions", tmp_path / "regions")
    copy = tmp_path / "regions" / "cases" / "orebro" / case.name
    assert validate(copy, cache_dir=tmp_path / "cache", cwd=tmp_path)[0] == 0
    pack = tmp_path / "regions" / "orebro.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("\nid: orebro", "\nid: orebro2", 1), encoding="utf-8")
    changed = validate(copy, cache_dir=tmp_path / "cache", cwd=tmp_path)
    assert changed[0] == 1
    assert "KP401" in changed[1]
    assert changed == validate("--no-cache", copy, cache_dir=tmp_path / "cache", cwd=tmp_path)


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    pack = ROOT / "regions" / "orebro.yaml"
    first = validate(pack, cache_dir=tmp_path)
    shutil.rmtree(tmp_path / cache.FORMAT)
    assert validate(pack, cache_dir=tmp_path) == first


def test_the_key_changes_with_every_input(tmp_path: Path) -> None:
    pack = tmp_path / "a.yaml"
    pack.write_bytes(b"id: a\n")
    keys = {cache.key(str(pack), "a.yaml"), cache.key(str(pack), "b.yaml")}
    pack.write_bytes(b"id: b\n")
    keys.add(cache.key(str(pack), "a.yaml"))
    assert len(keys) == 3
    assert cache.key(str(tmp_path), "dir") is None  # only regular files are cached


@pytest.mark.parametrize(
    ("argv", "parsed"),
    [
        (["validate", "a.yaml"], (["a.yaml"], "text", True)),
        (["validate", "a.yaml", "--format", "json", "b.yaml"], (["a.yaml", "b.yaml"], "json", True)),
        (["validate", "-f", "github", "--no-cache", "a.yaml"], (["a.yaml"], "github", False)),
        (["validate", "--format=json", "a.yaml"], (["a.yaml"], "json", True)),
        (["validate"], None),
        (["validate", "a.yaml", "--help"], None),
        (["validate", "-fjson", "a.yaml"], None),
        (["validate", "--format", "xml", "a.yaml"], None),
        (["validate", "--", "a.yaml"], None),
        (["--debug", "validate", "a.yaml"], None),
        (["paths", "a.yaml"], None),
    ],
)
def test_only_plain_validate_calls_skip_the_full_command_line(
    argv: list[str], parsed: tuple[list[str], str, bool] | None
) -> None:
    assert validate_request(argv) == parsed
