"""Notebook parameters: read from the tagged cell, checked and typed before any kernel starts."""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list}
TRUE, FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


class ParameterError(ValueError):
    """A parameter that the notebook does not declare, or a value of the wrong kind."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: object
    help: str


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The `name: type = literal  # help` lines of the cell tagged `parameters`."""
    book = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in book.get("cells", [])
             if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path}: expected one cell tagged 'parameters', found {len(cells)}")
    source = "".join(cells[0]["source"])
    comments = {tok.start[0]: tok.string.lstrip("#").strip()
                 for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                 if tok.type == tokenize.COMMENT}
    params = {}
    for node in ast.parse(source, filename=str(path)).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            raise ParameterError(f"{path}: parameters cell line {node.lineno}: expected "
                                 "`name: type = literal  # comment`")
        kind = ast.unparse(node.annotation).split("[")[0]
        if kind not in TYPES or node.value is None:
            raise ParameterError(f"{path}: parameter {node.target.id}: type must be one of "
                                 f"{', '.join(TYPES)} with a literal default")
        params[node.target.id] = Parameter(node.target.id, kind, ast.literal_eval(node.value),
                                           comments.get(node.lineno, ""))
    return params


def coerce(name: str, kind: str, value: object) -> object:
    """A value given on the command line or in YAML, as the declared type.

    >>> coerce("start_date", "str", dt.date(2020, 2, 1))
    '2020-02-01'
    >>> coerce("include_syria", "bool", "no")
    False
    >>> coerce("rupture_phase_ids", "list", "rupture,idlib-escalation")
    ['rupture', 'idlib-escalation']
    """
    if isinstance(value, dt.date):
        value = value.isoformat()  # YAML reads an unquoted 2020-02-01 as a date
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in TRUE | FALSE:
                raise ValueError
            return text in TRUE
        if kind == "list":
            if isinstance(value, list):
                return value
            text = str(value).strip()
            if text.startswith("["):
                return list(json.loads(text))
            return [item.strip() for item in text.split(",") if item.strip()]
        if kind in ("int", "float"):
            if isinstance(value, bool):
                raise ValueError
            return TYPES[kind](value)
        text = str(value)
        if name.endswith("_date"):
            dt.date.fromisoformat(text)
        return text
    except (ValueError, TypeError, json.JSONDecodeError):
        expected = "a date YYYY-MM-DD" if name.endswith("_date") else {
            "bool": "true or false", "list": "a comma-separated list or a JSON list",
        }.get(kind, f"a value of type {kind}")
        raise ParameterError(f"parameter {name}: expected {expected}, got {value!r}") from None


def resolve(declared: dict[str, Parameter], given: dict[str, object], where: str
            ) -> dict[str, object]:
    """The parameters to inject: given values checked against the declared ones.

    Dates must parse and `start_date` must not be after `end_date`; `data_dir` must be a
    folder. Unknown names are refused with the list of valid ones.
    """
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterError(f"{where}: unknown parameter(s) {', '.join(unknown)}; valid: "
                             f"{', '.join(sorted(declared))}")
    values = {name: coerce(name, declared[name].type, value) for name, value in given.items()}
    merged = {name: p.default for name, p in declared.items()} | values
    start, end = merged.get("start_date"), merged.get("end_date")
    if start and end and str(start) > str(end):
        raise ParameterError(f"{where}: start_date {start} is after end_date {end}")
    data_dir = values.get("data_dir")
    if data_dir and not Path(str(data_dir)).is_dir():
        raise ParameterError(f"{where}: data_dir {data_dir}: no such folder")
    return values
