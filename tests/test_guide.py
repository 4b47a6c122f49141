"""The Swedish guide: its files match what its pages show, every page is in the site, the site builds.

The commands and examples on the pages run in tests/test_docs.py; these tests keep the files the
pages show (the tutorial's case, the example pack) identical to the blocks, and the site whole.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def yaml_blocks(page: Path) -> list[str]:
    """The text of each fenced `yaml` block of a page."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in page.read_text(encoding="utf-8").splitlines(keepends=True):
        if current is None and line.rstrip() == "```yaml":
            current = []
        elif current is not None and line.startswith("```"):
            blocks.append("".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("guide/handledning.md", "guide/fall/depression-vasternorrland.yaml"),
        ("guide/regelpaket.md", "guide/exempel/exempellan.yaml"),
    ],
)
def test_a_page_shows_its_file_as_it_is(page: str, shown: str) -> None:
    """The reader runs the file the page shows, so the block and the file are the same text."""
    text = (DOCS / shown).read_text(encoding="utf-8")
    assert [b for b in yaml_blocks(DOCS / page) if b == text] == [text]


def nav_pages(nav: Any) -> list[str]:
    """Every page named in the navigation, in order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in nav_pages(item)]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_pages(value)]
    return []


def test_every_page_is_in_the_navigation_once() -> None:
    """A page left out of the navigation could only be found by searching."""
    config = YAML(typ="safe", pure=True).load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = nav_pages(config["nav"])
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert (sorted(listed), len(listed)) == (pages, len(set(listed)))


def test_the_site_builds_with_warnings_as_errors(tmp_path: Path) -> None:
    """`mkdocs build --strict`: every link and anchor between the pages resolves."""
    pytest.importorskip("mkdocs", reason="the site needs the `docs` extra: pip install -e '.[docs]'")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(tmp_path)},
        timeout=120,
        check=False,
    )
    warnings = [line for line in done.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert (done.returncode, warnings) == (0, [])
    assert (tmp_path / "site" / "guide" / "handledning" / "index.html").is_file()
