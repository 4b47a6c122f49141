"""`kprocess.lightformat` reads a pack without pydantic, and only when pydantic would read it alike.

Whenever the light reader returns objects, pydantic must accept the same data and give the
same values of the same types, field by field; whenever pydantic refuses the data, the light
reader must return None (so pydantic explains). `kprocess validate` uses the light reader,
so a valid pack is checked without importing pydantic.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kprocess.diagnostics import PackError
from kprocess.lightformat import LightModel, read_pack, read_vocabulary
from kprocess.model import Pack, Question, Vocabulary
from kprocess.pack import VOCABULARY, analyse_document
from kprocess.schema import render
from kprocess.yamlsource import parse_bytes, read_file
from tests.conftest import ROOT

CORPUS = sorted(
    [
        *ROOT.glob("regions/*.yaml"),
        *ROOT.glob("tests/data/**/*.yaml"),
        *ROOT.glob("tests/checks/*/*.yaml"),
        *ROOT.glob("tests/hostile/*.yaml"),
    ]
)


def typed(value: Any) -> Any:
    """Values with their types, for models of either kind: `1` and `1.0` and `True` differ."""
    if isinstance(value, LightModel):
        return {name: typed(getattr(value, name)) for name in value.fields}
    if isinstance(value, BaseModel):
        return {name: typed(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def pydantic_reading(data: Any) -> Pack | None:
    try:
        return Pack.model_validate(data)
    except ValidationError:
        return None


def assert_same_reading(data: Any) -> Any:
    light = read_pack(data)
    heavy = pydantic_reading(data)
    if heavy is None:
        assert light is None
    elif light is not None:
        assert typed(light) == typed(heavy)
    return light


def test_the_shipped_schema_is_the_committed_one() -> None:
    shipped = (ROOT / "src" / "kprocess" / "pack.schema.json").read_text(encoding="utf-8")
    committed = (ROOT / "schemas" / "kprocess-pack.schema.json").read_text(encoding="utf-8")
    assert shipped == committed == render("pack"), (
        "run `kprocess schema > src/kprocess/pack.schema.json` (and schemas/)"
    )


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_is_read_as_pydantic_reads_it_or_left_to_pydantic(path: Path) -> None:
    try:
        document = read_file(path, path.name)
    except PackError:  # files the YAML reader refuses never reach either reader
        return
    assert_same_reading(document.data)


@pytest.mark.parametrize("name", ["blekinge", "orebro", "vasternorrland"])
def test_the_county_packs_are_read_without_pydantic(name: str) -> None:
    document = read_file(ROOT / "regions" / f"{name}.yaml", name)
    light = assert_same_reading(document.data)
    assert light is not None
    assert light == read_pack(document.data)
    assert light != read_pack({**document.data, "name": "Annat namn"})
    assert analyse_document(document, light=True)[1] == analyse_document(document)[1]


def test_the_shared_vocabulary_is_read_as_pydantic_reads_it() -> None:
    data = parse_bytes(VOCABULARY.read_bytes(), "vocabulary.yaml").data
    light = read_vocabulary(data)
    assert light is not None
    assert typed(light) == typed(Vocabulary.model_validate(data))


def test_validate_of_valid_packs_does_not_import_pydantic() -> None:
    code = (
        "import sys; from pathlib import Path; from kprocess.cli.validate import run;"
        "code = run([Path('regions')], 'text', cache=False);"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"


def test_light_objects_copy_and_construct_as_pydantic_models_do() -> None:
    document = read_file(ROOT / "tests" / "data" / "constructs.yaml", "constructs.yaml")
    light, heavy = read_pack(document.data), Pack.model_validate(document.data)
    assert light is not None
    light_step, heavy_step = light.steps[0], heavy.steps[0]
    assert typed(light_step.model_copy(update={"name": "Nytt"})) == typed(
        heavy_step.model_copy(update={"name": "Nytt"})
    )
    assert light_step.name != "Nytt"
    made: dict[str, Any] = {"id": "all(x)", "text": "Alla: x?", "type": heavy.questions[0].type}
    assert typed(type(light.questions[0]).model_construct(**made)) == typed(Question.model_construct(**made))
    with pytest.raises(AttributeError):
        light_step.name = "Ändrat"


# -- data the light reader must leave to pydantic, or read exactly as pydantic does ----------------

ODD_VALUES = [
    "",
    "x",
    "Ab",
    "steg_1\n",
    "a" * 65,
    "2024-01-31",
    "2024-02-30",
    "2024-01-31T00:00:00",
    "20240131",
    "ja",
    "true",
    "5",
    "beslut",
    "region",
    "yesno",
    "okänd",
    0,
    -1,
    1,
    2,
    101,
    1.0,
    1.5,
    True,
    False,
    None,
    date(2024, 1, 31),
    [],
    ["x"],
    [{}],
    {},
    {"okänd": 1},
    {"when": "beror_kommunerna", "to": "start"},
    {"months": 0},
    {"months": 6},
]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _first_of_each_key(data: Any) -> dict[str, tuple[Any, ...]]:
    """The first path that ends in each key name."""
    first: dict[str, tuple[Any, ...]] = {}
    for path in _paths(data):
        if path and isinstance(path[-1], str):
            first.setdefault(path[-1], path)
    return first


def _kept(data: Any, paths: list[tuple[Any, ...]], prefix: tuple[Any, ...] = ()) -> Any:
    """`data` with only the list items on one of `paths` (and each list's first item)."""
    if isinstance(data, dict):
        return {key: _kept(value, paths, (*prefix, key)) for key, value in data.items()}
    if isinstance(data, list):
        wanted = {0} | {p[len(prefix)] for p in paths if len(p) > len(prefix) and p[: len(prefix)] == prefix}
        return [_kept(data[i], paths, (*prefix, i)) for i in sorted(wanted) if i < len(data)]
    return data


def _sample() -> Any:
    """One small pack holding every key the format has that the county packs use: a key's first
    occurrence in each of four packs, with the list items around it."""
    sample: dict[str, Any] = {}
    for name in (
        *(f"regions/{county}.yaml" for county in ("blekinge", "orebro", "vasternorrland")),
        "tests/data/constructs.yaml",
    ):
        data = read_file(ROOT / name, name).data
        kept = _kept(data, list(_first_of_each_key(data).values()))
        for key, value in kept.items():
            if isinstance(value, list) and isinstance(sample.get(key), list):
                sample[key] = sample[key] + value
            elif isinstance(value, dict) and isinstance(sample.get(key), dict):
                sample[key] = {**value, **sample[key]}
            else:
                sample.setdefault(key, value)
    return _kept(sample, list(_first_of_each_key(sample).values()))


SAMPLE = _sample()
PATHS = sorted(_first_of_each_key(SAMPLE).items())


def test_the_sample_is_a_pack_both_readers_take_and_holds_nearly_every_key() -> None:
    assert assert_same_reading(SAMPLE) is not None
    schema = json.loads(render("pack"))
    keys = set(schema["properties"]).union(*(d.get("properties", {}) for d in schema["definitions"].values()))
    assert sorted(keys - {key for key, _ in PATHS}) == ["days", "help_en", "weeks"]


def _changed(path: tuple[Any, ...], how: str, value: Any, data: Any = None) -> Any:
    """A copy of the sample (only the containers on `path` are copied) with one change at `path`."""
    node = copy.copy(SAMPLE if data is None else data)
    first, *rest = path
    if rest:
        node[first] = _changed(tuple(rest), how, value, node[first])
    elif how == "replace":
        node[first] = copy.deepcopy(value)
    elif how == "delete":
        del node[first]
    else:
        node["okänd_nyckel"] = copy.deepcopy(value)
    return node


@pytest.mark.parametrize(("key", "path"), PATHS, ids=[key for key, _ in PATHS])
def test_any_value_of_any_key_is_read_as_pydantic_reads_it_or_left_to_it(key: str, path: tuple[Any, ...]) -> None:
    for how in ("delete", "add"):
        assert_same_reading(_changed(path, how, "x"))
    for value in ODD_VALUES:
        assert_same_reading(_changed(path, "replace", value))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([p for _, p in PATHS]), st.sampled_from(ODD_VALUES)), max_size=3))
def test_several_changes_at_once_are_read_as_pydantic_reads_them_or_left_to_it(
    changes: list[tuple[tuple[Any, ...], Any]],
) -> None:
    data = SAMPLE
    for path, value in changes:
        try:
            data = _changed(path, "replace", value, data)
        except (KeyError, IndexError, TypeError):  # an earlier change removed the place
            continue
    assert_same_reading(data)


def test_light_objects_hash_and_compare_as_frozen_pydantic_models_do() -> None:
    document = read_file(ROOT / "tests" / "data" / "constructs.yaml", "constructs.yaml")
    light, heavy = read_pack(document.data), Pack.model_validate(document.data)
    assert light is not None
    assert hash(light.phases[0]) == hash(read_pack(document.data).phases[0])
    assert (light.phases[0] == light.phases[1]) == (heavy.phases[0] == heavy.phases[1]) is False
    with pytest.raises(TypeError):
        hash(heavy.steps[0])  # a list field
    with pytest.raises(TypeError):
        hash(light.steps[0])


def test_every_rule_between_fields_is_a_shape_the_light_reader_finds() -> None:
    """A model's own validator, or a shape under another name, would be a rule the light reader skips."""
    from kprocess import model, shapes

    models = [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, BaseModel)]
    assert len(models) > 20
    for cls in models:
        decorators = cls.__pydantic_decorators__
        assert set(decorators.model_validators) <= {"_fits_together"}, cls.__name__
        assert not decorators.field_validators, cls.__name__
        mixins = [b for b in cls.__mro__ if b.__module__ == shapes.__name__ and b is not shapes.Shape]
        assert mixins[:1] == ([getattr(shapes, f"{cls.__name__}Shape")] if mixins else []), cls.__name__
