"""What a YAML file holds: a rule pack or a golden case (decided without importing either's code)."""

from __future__ import annotations

from kprocess.yamlsource import Document


def is_case(document: Document) -> bool:
    """Whether a parsed file is a golden case (it has `expect:` and is no pack)."""
    data = document.data
    return isinstance(data, dict) and "expect" in data and "schema_version" not in data
