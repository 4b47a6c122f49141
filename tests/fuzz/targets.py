"""Fuzz targets: one function per input surface, each taking raw bytes.

A target returns quietly when the input is taken or refused the documented way (a positioned
diagnostic, a condition error with its code, one result line per batch line); anything else
(another exception, a diagnostic without a position, a batch result marked internal) is a finding.
tests/fuzz/run.py drives them with atheris; tests/test_fuzz_corpus.py replays the corpus.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kprocess.conditions import ConditionError, compile_condition
from kprocess.diagnostics import Diagnostic, PackError
from kprocess.engine.batch import read_jsonl, run_batch
from kprocess.pack import RulePack, analyse_document, load_pack
from kprocess.yamlsource import parse_bytes

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"


class UnexpectedOutcomeError(AssertionError):
    """The input was neither taken nor refused the documented way."""


@cache
def minimal() -> RulePack:
    return load_pack(MINIMAL)


def _positioned(diagnostics: list[Diagnostic]) -> None:
    if not diagnostics:
        raise UnexpectedOutcomeError("a refusal without a diagnostic")
    for d in diagnostics:
        if d.line < 1 or d.column < 1 or not d.code.startswith("KP") or not d.message:
            raise UnexpectedOutcomeError(f"diagnostic without a position or message: {d}")


def loader(data: bytes) -> None:
    """YAML bytes → a positioned document, or positioned diagnostics."""
    try:
        parse_bytes(data, "fuzz.yaml")
    except PackError as error:
        _positioned(error.diagnostics)


def validator(data: bytes) -> None:
    """YAML bytes → a pack, or positioned diagnostics; an error means no pack."""
    try:
        document = parse_bytes(data, "fuzz.yaml")
    except PackError as error:
        _positioned(error.diagnostics)
        return
    pack, diagnostics = analyse_document(document)
    if diagnostics:
        _positioned(diagnostics)
    if pack is not None and any(d.severity.name == "error" for d in diagnostics):
        raise UnexpectedOutcomeError("a pack with errors was loaded")


def condition(data: bytes) -> None:
    """Condition text → a compiled condition over known questions, or a KP2xx refusal."""
    text = data.decode("utf-8", errors="replace")
    catalog = minimal().catalog
    try:
        compiled = compile_condition(text, catalog)
    except ConditionError as error:
        if not (error.code.startswith("KP2") and 0 <= error.column <= len(text) and str(error)):
            message = f"condition refused without code or column: {error.code} {error.column}"
            raise UnexpectedOutcomeError(message) from error
        return
    if not compiled.questions <= set(catalog.questions):
        raise UnexpectedOutcomeError(f"condition reads unknown questions: {sorted(compiled.questions)}")


def batch(data: bytes) -> None:
    """A JSON Lines stream → one result or one error per line, never an internal error."""
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    results = list(run_batch(minimal(), read_jsonl(io.BytesIO(data))))
    if len(results) > lines:
        raise UnexpectedOutcomeError(f"{len(results)} results for {lines} lines")
    for result in results:
        if ("error" in result) == ("status" in result) or result.get("internal"):
            raise UnexpectedOutcomeError(f"batch result neither a run nor a refusal: {result}")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "loader": loader,
    "validator": validator,
    "condition": condition,
    "batch": batch,
}
