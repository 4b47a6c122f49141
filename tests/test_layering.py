"""The core does not depend on the command line: only `cli/`, `maps/` and `__main__` import `kprocess.cli`."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "kprocess"
ALLOWED = ("cli/", "maps/", "__main__.py")


def _imports(path: str) -> set[str]:
    tree = ast.parse((PACKAGE / path).read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def test_the_core_imports_nothing_from_the_cli_package() -> None:
    core = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
    offenders = [
        path
        for path in core
        if not path.startswith(ALLOWED)
        and any(m == "kprocess.cli" or m.startswith("kprocess.cli.") for m in _imports(path))
    ]
    assert "compare.py" in core and "diff.py" in core
    assert offenders == []
