"""JSON Schema (draft-07, what VS Code's YAML extension reads) generated from the models."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_FILES = {"pack": "kprocess-pack.schema.json", "case": "kprocess-case.schema.json"}


def json_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of `model` (pydantic emits 2020-12 `$defs`; draft-07 uses `definitions`)."""
    schema = model.model_json_schema(ref_template="#/definitions/{model}", mode="validation")
    definitions = schema.pop("$defs", {})
    out: dict[str, Any] = {"$schema": DRAFT_07, **schema, "title": title}
    if definitions:
        out["definitions"] = definitions
    return out


def schema_for(kind: str) -> dict[str, Any]:
    """The schema of a pack (`pack`) or a golden case (`case`)."""
    if kind == "pack":
        from kprocess.model import Pack

        return json_schema(Pack, "kprocess regelpaket")
    from kprocess.golden import CaseFile

    return json_schema(CaseFile, "kprocess testfall")


def render(kind: str) -> str:
    """The schema as committed in `schemas/`: indented JSON with a final newline."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"
