"""Turn pydantic validation errors into positioned diagnostics a process owner can act on."""

from __future__ import annotations

import re
import types
from difflib import get_close_matches
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from kprocess.diagnostics import MAX_PER_CODE, DataPath, Diagnostic, excerpt, more
from kprocess.i18n import N_, _
from kprocess.spelling import ascii_form
from kprocess.yamlsource import Document

_TYPE_WORDS = {
    "string_type": N_("ska vara en text"),
    "int_type": N_("ska vara ett heltal"),
    "int_parsing": N_("ska vara ett heltal"),
    "int_from_float": N_("ska vara ett heltal"),
    "bool_type": N_("ska vara ja/nej (true/false)"),
    "bool_parsing": N_("ska vara ja/nej (true/false)"),
    "list_type": N_("ska vara en lista (rader som börjar med `- `)"),
    "model_type": N_("ska vara en samling nycklar (`nyckel: värde`)"),
    "dict_type": N_("ska vara en samling nycklar (`nyckel: värde`)"),
    "model_attributes_type": N_("ska vara en samling nycklar (`nyckel: värde`)"),
    "date_type": N_("ska vara ett datum, ÅÅÅÅ-MM-DD"),
    "date_parsing": N_("ska vara ett datum, ÅÅÅÅ-MM-DD"),
    "date_from_datetime_parsing": N_("ska vara ett datum, ÅÅÅÅ-MM-DD"),
    "date_from_datetime_inexact": N_("ska vara ett datum utan klockslag, ÅÅÅÅ-MM-DD"),
    "too_short": N_("får inte vara tom"),
    "string_too_short": N_("får inte vara tom"),
    "string_too_long": N_("är för lång"),
    "greater_than_equal": N_("är för litet"),
    "less_than_equal": N_("är för stort"),
}


def diagnostics_from(error: ValidationError, document: Document, root: type[BaseModel]) -> list[Diagnostic]:
    """One diagnostic per offending place (the first error pydantic gives for it)."""
    seen: set[DataPath] = set()
    found: list[Diagnostic] = []
    shown: dict[str, int] = {}
    hidden: dict[str, tuple[Diagnostic, int]] = {}
    for item in error.errors(include_url=False):
        path = _data_path(item["loc"], document.data)
        if path in seen:
            continue
        seen.add(path)
        kind = item["type"]
        if shown.get(kind, 0) < MAX_PER_CODE:
            shown[kind] = shown.get(kind, 0) + 1
            found.append(_diagnostic(item, path, document, root))
        elif kind in hidden:  # beyond the cap only count: a file of a million bad keys stays fast
            hidden[kind] = (hidden[kind][0], hidden[kind][1] + 1)
        else:
            hidden[kind] = (_diagnostic(item, path, document, root), 1)
    found += [more(first, extra) for first, extra in hidden.values()]
    return found


def _data_path(loc: tuple[Any, ...], data: Any) -> DataPath:
    """The part of pydantic's `loc` that exists in the data (drops union branch names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            path.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            path.append(part)
            node = node[part] if part < len(node) else None
        else:
            break
    return tuple(path)


def _diagnostic(item: Any, path: DataPath, document: Document, root: type[BaseModel]) -> Diagnostic:
    kind = item["type"]
    name = path[-1] if path else ""
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(root, path[:-1]))
        close = get_close_matches(str(name), allowed, n=1)
        hint = (
            _("menade du `{match}`?").format(match=close[0])
            if close
            else _("tillåtna nycklar här: {keys}").format(keys=", ".join(allowed))
        )
        outer = _indented_too_far(root, path, document)
        return document.diagnostic(
            path, "KP101", _("okänd nyckel `{key}`").format(key=excerpt(name)), outer or hint, key=True
        )
    if kind == "missing":
        missing = item["loc"][-1]
        return document.diagnostic(
            path,
            "KP102",
            _("nyckeln `{key}` saknas").format(key=missing),
            _("lägg till `{key}:` här (se docs/format.md)").format(key=missing),
            key=True,
        )
    value = item.get("input")
    if kind == "string_pattern_mismatch" and "a-z" in str(item.get("ctx", {}).get("pattern", "")):
        rule = _("ett id skrivs med små bokstäver a–z, siffror och _ (inga mellanslag, inga å, ä, ö)")
        suggested = ascii_form(value) if isinstance(value, str) else ""
        hint = (
            _("menade du `{match}`? {rule}").format(match=suggested, rule=rule)
            if re.fullmatch(r"[a-z][a-z0-9_]{0,63}", suggested)
            else _("{rule}, t.ex. `steg_13a`").format(rule=rule)
        )
        return document.diagnostic(path, "KP103", _("`{value}` är inget giltigt id").format(value=excerpt(value)), hint)
    if kind == "literal_error" and name == "schema_version":
        return document.diagnostic(
            path,
            "KP011",
            _("formatversion {version} stöds inte").format(version=excerpt(repr(value))),
            _(
                "den här versionen av kprocess läser `schema_version: 1`; "
                "uppgradera kprocess om paketet är skrivet för en nyare version"
            ),
        )
    if kind == "enum":
        expected = item.get("ctx", {}).get("expected", "")
        return document.diagnostic(
            path,
            "KP103",
            _("`{value}` är inget tillåtet värde för `{key}`").format(value=excerpt(value), key=name),
            _("tillåtna värden: {expected}").format(expected=expected),
        )
    if kind == "value_error":
        message = str(item["msg"]).removeprefix("Value error, ")
        return document.diagnostic(path, "KP103", message)
    words = _TYPE_WORDS.get(kind)
    message = f"`{name}` {_(words)}" if words else f"`{name}`: {item['msg']}"
    return document.diagnostic(path, "KP103", message, _("rätta värdet (se docs/format.md)"))


def _indented_too_far(root: type[BaseModel], path: DataPath, document: Document) -> str | None:
    """A hint when the key belongs one level out (e.g. `routes:` indented under `decision:`)."""
    if len(path) < 3 or not isinstance(path[-2], str):
        return None
    name, holder = path[-1], path[-2]
    if str(name) not in _fields_at(root, path[:-2]):
        return None
    column = document.position(path[:-1], key=True)[1]
    return _(
        "`{key}` hör inte till `{holder}` utan en nivå ut: minska indraget så att "
        "`{key}:` börjar i kolumn {column}, i linje med `{holder}:`"
    ).format(key=excerpt(name), holder=holder, column=column)


def _fields_at(root: type[BaseModel], path: DataPath) -> set[str]:
    """Names of the keys allowed at `path` (empty when it is not a model)."""
    annotation: Any = root
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            annotation = field.annotation if field else None
        else:
            return set()
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {f.alias or n for n, f in annotation.model_fields.items()}
    return set()


def _unwrap(annotation: Any) -> Any:
    """`X | None` → `X`."""
    if get_origin(annotation) in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return annotation
