"""Shape errors of a loaded document (pydantic's), one line each naming the file and the key."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

# What a parameter value may be, in YAML and on the command line: plain data papermill writes
# as a Python literal, never a set, bytes or an object.
SCALARS = (str, bool, int, float, dt.date)
TYPE_NAMES = {str: "text", bool: "true/false", int: "a whole number", float: "a number",
              dt.date: "a date", list: "a list", dict: "a mapping", type(None): "nothing"}


def type_name(value: object) -> str:
    """How a user would name the type of `value`.

    Examples:
        >>> type_name({1}), type_name(b"x"), type_name(3)
        ('a set', 'bytes', 'a whole number')
    """
    for kind, name in TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return {"set": "a set", "bytes": "bytes", "tuple": "a list"}.get(
        type(value).__name__, type(value).__name__)


def plain_value(value: Any) -> Any:
    """A parameter value: a scalar, or a flat list of scalars (pydantic validator)."""
    if isinstance(value, SCALARS):
        return value
    if type(value) is list and all(isinstance(item, SCALARS) for item in value):
        return value
    if type(value) is list:
        bad = next(item for item in value if not isinstance(item, SCALARS))
        raise ValueError(f"a list may hold text, numbers, true/false and dates, not "
                         f"{type_name(bad)}")
    raise ValueError(f"expected text, a number, true/false, a date or a list of these; got "
                     f"{type_name(value)}")


def key_path(loc: tuple) -> str:
    """pydantic's location as a key path; list entries counted from 1.

    Examples:
        >>> key_path(("reports", 1, "notebooks"))
        'reports.#2.notebooks'
    """
    return ".".join(f"#{part + 1}" if isinstance(part, int) else str(part) for part in loc) \
        or "(top level)"


def _message(error: dict) -> str:
    kind, got = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type",
                "model_type", "float_type"):
        want = {"string_type": "text", "int_type": "a whole number", "bool_type":
                "true or false", "list_type": "a list", "dict_type": "a mapping",
                "model_type": "a mapping", "float_type": "a number"}[kind]
        return f"expected {want}, got {type_name(got)}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"]


def shape_errors(where: str, exc: ValidationError) -> list[str]:
    """Every shape error, one line each: `FILE: KEY: what was expected`."""
    return [f"{where}: {key_path(tuple(e['loc']))}: {_message(e)}" for e in exc.errors()]
