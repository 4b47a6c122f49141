"""A pack's data read into plain objects without pydantic, when every part of it is right.

Most of a cold `kprocess validate` used to go to importing pydantic and building its
validators, though a valid pack needs neither. `read_pack(data)` walks the data along the
pack's JSON Schema (the one `kprocess schema` writes, shipped as `pack.schema.json`) and
builds objects with the same attributes, rules (`kprocess.shapes`) and word lists
(`kprocess.enums`) as the models of `kprocess.model`. It accepts only what the models
accept unchanged: at the first value that is wrong, or that pydantic would convert (a
number given as text, say), it returns None, and the caller lets pydantic read the pack
and explain. `tests/test_lightformat.py` holds it to giving what pydantic gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self

from kprocess import enums, shapes

Reader = Callable[[Any], Any]

_EXACT: dict[str, type] = {"boolean": bool, "number": float, "null": type(None)}
_IGNORED = frozenset({"description", "title", "default", "$schema", "definitions"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENUMS: dict[str, type[StrEnum]] = {
    name: value
    for name, value in vars(enums).items()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
}


class _UnsureError(Exception):
    """The data is not plainly right: pydantic must read it."""


class LightModel:
    """A plain object with a model's fields (set as attributes) and its shape's rules."""

    __slots__ = ()
    fields: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[dict[str, Any]] = {}  # a field left out holds this (never a list)
    empty_lists: ClassVar[tuple[str, ...]] = ()  # a field left out holds a new empty list

    def __init__(self, **values: Any) -> None:
        attributes = self.__dict__
        attributes.update(self.defaults)
        for name in self.empty_lists:
            attributes[name] = []
        attributes.update(values)

    @classmethod
    def model_construct(cls, **values: Any) -> Self:
        """The object with these values, the other fields at their defaults (as pydantic's)."""
        return cls(**values)

    def model_copy(self, *, update: Mapping[str, Any]) -> Self:
        """A copy with some fields replaced (as pydantic's)."""
        return type(self)(**{name: update.get(name, getattr(self, name)) for name in self.fields})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        """Equal when of the same model with equal fields (as pydantic's)."""
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.fields)

    def __hash__(self) -> int:
        """From the fields (as a frozen pydantic model's: a list field makes it unhashable)."""
        return hash(tuple(getattr(self, name) for name in self.fields))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.fields)})"


def read_pack(data: Any) -> Any | None:
    """The pack as plain objects (attributes as `kprocess.model.Pack`), or None when unsure."""
    return _read(_schema().pack, data)


def read_vocabulary(data: Any) -> Any | None:
    """The shared vocabulary (`questions`, `option_sets`) as plain objects, or None when unsure."""
    return _read(_schema().vocabulary, data)


def _read(reader: Reader, data: Any) -> Any | None:
    try:
        return reader(data)
    except _UnsureError:
        return None


class _Schema:
    """Readers compiled once from the shipped JSON Schema."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.definitions: dict[str, Any] = schema["definitions"]
        self.readers: dict[str, Reader] = {}
        self.pack = self.model("Pack", schema)
        vocabulary = {
            "type": "object",
            "additionalProperties": False,
            "required": ["questions", "option_sets"],
            "properties": {
                "questions": {"type": "array", "items": {"$ref": "#/definitions/Question"}},
                "option_sets": {"type": "array", "items": {"$ref": "#/definitions/OptionSet"}},
            },
        }
        self.vocabulary = self.model("Vocabulary", vocabulary)

    def reader(self, node: dict[str, Any]) -> Reader:
        """The reader of one schema node (raises `ValueError` for a keyword it does not know)."""
        if "$ref" in node:
            return self.ref(node["$ref"].rsplit("/", 1)[1])
        if "anyOf" in node:
            return _any_of([self.reader(option) for option in node["anyOf"]])
        kind = node.get("type")
        if kind == "array":
            _known(node, {"items", "minItems"})
            return _array(self.reader(node["items"]), node.get("minItems", 0))
        if kind == "string":
            return _string(_known(node, {"minLength", "maxLength", "pattern", "format"}))
        if kind == "integer":
            return _integer(_known(node, {"minimum", "maximum", "const"}))
        if kind in _EXACT:
            return _exact(_EXACT[kind], _known(node, set()))
        raise ValueError(f"schema node not understood: {node}")

    def ref(self, name: str) -> Reader:
        """The reader of a definition, compiled once."""
        if name not in self.readers:
            definition = self.definitions[name]
            if "enum" in definition:
                self.readers[name] = _enum(_ENUMS[name], definition["enum"])
            else:
                self.readers[name] = self.model(name, definition)
        return self.readers[name]

    def model(self, name: str, node: dict[str, Any]) -> Reader:
        """The reader of an object definition: its light class built from the fields."""
        _known(node, {"type", "properties", "required", "additionalProperties"})
        if node.get("additionalProperties") is not False:
            raise ValueError(f"{name}: only closed objects are read")
        properties: dict[str, Any] = node["properties"]
        required = frozenset(node.get("required", ()))
        readers = {key: self.reader(schema) for key, schema in properties.items()}
        optional = [key for key in properties if key not in required]
        empty_lists = tuple(key for key in optional if _empty_list(properties[key], readers[key]))
        defaults = {key: readers[key](properties[key]["default"]) for key in optional if key not in empty_lists}
        shape = getattr(shapes, f"{name}Shape", shapes.Shape)
        namespace = {"fields": tuple(properties), "defaults": defaults, "empty_lists": empty_lists}
        cls = type(name, (LightModel, shape), namespace)

        def read(data: Any) -> Any:
            if type(data) is not dict or not required <= data.keys() or not data.keys() <= readers.keys():
                raise _UnsureError
            instance = cls(**{key: readers[key](value) for key, value in data.items()})
            try:
                instance.check_shape()
            except ValueError:
                raise _UnsureError from None
            return instance

        return read


def _known(node: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    unknown = node.keys() - allowed - _IGNORED - {"type"}
    if unknown:
        raise ValueError(f"schema keywords not understood: {sorted(unknown)}")
    return node


def _empty_list(node: dict[str, Any], reader: Reader) -> bool:
    """Whether a field left out holds a new empty list (else its schema default, read as the model holds it)."""
    if "default" not in node:
        if node.get("type") != "array":
            raise ValueError(f"no default for an optional field: {node}")
        return True
    value = reader(node["default"])
    if isinstance(value, list) and value:
        raise ValueError(f"a list default must be empty: {node}")
    return isinstance(value, list)


def _any_of(options: list[Reader]) -> Reader:
    # Each reader takes exactly one Python type, so at most one option can take a value.
    def read(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except _UnsureError:
                continue
        raise _UnsureError

    return read


def _array(item: Reader, least: int) -> Reader:
    def read(data: Any) -> Any:
        if type(data) is not list or len(data) < least:
            raise _UnsureError
        return [item(value) for value in data]

    return read


def _exact(kind: type, _node: dict[str, Any]) -> Reader:
    def read(data: Any) -> Any:
        if type(data) is not kind:
            raise _UnsureError
        return data

    return read


def _string(node: dict[str, Any]) -> Reader:
    least, most = node.get("minLength", 0), node.get("maxLength")
    pattern = re.compile(node["pattern"]) if "pattern" in node else None
    if node.get("format", "date") != "date":
        raise ValueError(f"string format not understood: {node}")
    is_date = "format" in node

    def read(data: Any) -> Any:
        if type(data) is not str or len(data) < least or (most is not None and len(data) > most):
            raise _UnsureError
        if pattern is not None and not pattern.fullmatch(data):
            raise _UnsureError
        if is_date:
            if not _DATE.fullmatch(data):
                raise _UnsureError
            try:
                return date.fromisoformat(data)
            except ValueError:
                raise _UnsureError from None
        return data

    return read


def _integer(node: dict[str, Any]) -> Reader:
    least, most, const = node.get("minimum"), node.get("maximum"), node.get("const")

    def read(data: Any) -> Any:
        if type(data) is not int:
            raise _UnsureError
        if (least is not None and data < least) or (most is not None and data > most):
            raise _UnsureError
        if const is not None and data != const:
            raise _UnsureError
        return data

    return read


def _enum(kind: type[StrEnum], values: list[str]) -> Reader:
    allowed = frozenset(values)
    if allowed != {member.value for member in kind}:
        raise ValueError(f"{kind.__name__}: the schema and the word list differ")

    def read(data: Any) -> Any:
        if type(data) is not str or data not in allowed:
            raise _UnsureError
        return kind(data)

    return read


@cache
def _schema() -> _Schema:
    return _Schema(json.loads((Path(__file__).parent / "pack.schema.json").read_text(encoding="utf-8")))
