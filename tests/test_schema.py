"""The committed JSON Schemas match the code, and a third-party validator accepts the packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from kprocess.schema import SCHEMA_FILES, render
from kprocess.yamlsource import read_file
from tests.conftest import PACKS, REGIONS, ROOT

SCHEMAS = ROOT / "schemas"


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_committed_schema_is_current(kind: str) -> None:
    committed = (SCHEMAS / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    assert committed == render(kind), f"run `kprocess schema --kind {kind} > schemas/{SCHEMA_FILES[kind]}`"


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.json")))
def test_schemas_are_valid_draft_07(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def _validate(path: Path, schema_file: str) -> list[str]:
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    data = read_file(path, path.name).data
    return [e.message for e in Draft7Validator(schema).iter_errors(json.loads(json.dumps(data, default=str)))]


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_packs_pass_the_committed_schema(pack: Path) -> None:
    assert _validate(pack, SCHEMA_FILES["pack"]) == []


@pytest.mark.parametrize("case", sorted(REGIONS.glob("cases/*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cases_pass_the_committed_schema(case: Path) -> None:
    assert _validate(case, SCHEMA_FILES["case"]) == []


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_packs_point_vscode_at_the_schema(pack: Path) -> None:
    first = pack.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/kprocess-pack.schema.json"


def test_schema_rejects_what_the_format_rejects() -> None:
    schema = json.loads((SCHEMAS / SCHEMA_FILES["pack"]).read_text(encoding="utf-8"))
    errors = Draft7Validator(schema).iter_errors({"schema_version": 1, "id": "Ö", "unknown": 1})
    found = sorted((list(e.absolute_path), e.validator, e.message) for e in errors)
    missing = ["actors", "county", "flows", "name", "parties", "phases", "sources", "steps"]
    assert found == [
        ([], "additionalProperties", "Additional properties are not allowed ('unknown' was unexpected)"),
        *[([], "required", f"'{key}' is a required property") for key in missing],
        (["id"], "pattern", "'Ö' does not match '^[a-z][a-z0-9_]*$'"),
    ]
