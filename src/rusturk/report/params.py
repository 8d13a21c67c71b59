"""Notebook parameters: read from the tagged cell by papermill, checked and typed here."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from rusturk.common.atomic import write_text
from rusturk.common.problems import Lines
from rusturk.config import STUDY_END, STUDY_START, cache_dir

TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list}
TRUE, FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
FORM = "expected `name: type = literal  # comment`"
# Each parameter's range, checked before any kernel starts: a window is at least one day.
RANGES = {"smoothing_window_days": (1, 3650)}
# A date parameter is an ISO calendar date, nothing else Python would also parse (2019-W10-1).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# List parameters whose items are dates, checked like a date parameter.
DATE_LISTS = {"alternative_boundaries"}
# Numbers as text: ASCII digits, a sign, a point and an exponent; not `1_000` or `１２`.
INT_TEXT = re.compile(r"[-+]?[0-9]+", re.ASCII)
FLOAT_TEXT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
MAX_INT = 10**15  # beyond any count or number of days a notebook takes
# Longer than any real folder name: refused with a message rather than an OS error later.
MAX_PATH = 1024


class ParameterError(Lines, ValueError):
    """A parameter that the notebook does not declare, or a value of the wrong kind."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: object
    help: str


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The `name: type = literal  # help` lines of the cell tagged `parameters`.

    Read once per version of a notebook: the result is kept in the cache folder under the
    notebook's SHA-256, so an up-to-date build never imports papermill (~0.3 s).
    """
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    store = cache_dir() / "parameters" / f"{key}.json"
    try:
        cached = json.loads(store.read_text(encoding="utf-8"))
        return {name: Parameter(name, *fields) for name, fields in cached.items()}
    except (OSError, ValueError, TypeError):
        pass  # not cached yet, or unreadable: read the notebook
    params = _inspect(path, data)
    with contextlib.suppress(OSError):  # a read-only home only costs the next build 0.3 s
        write_text(store, json.dumps({n: [p.type, p.default, p.help]
                                      for n, p in params.items()}))
    return params


def _inspect(path: Path, data: bytes) -> dict[str, Parameter]:
    # papermill.inspect_notebook hands the tagged cell to this translator. It is called here
    # on the cell directly: inspect_notebook refuses a notebook without a kernelspec (the
    # build runs python3 whatever the notebook names), silently reads the first of several
    # tagged cells, and re-reads the file through nbformat's validator. Imported here because
    # papermill brings nbclient and requests along (~0.2 s), needed by nothing else until a
    # kernel runs.
    from papermill.translators import PythonTranslator

    book = json.loads(data.decode("utf-8"))
    cells = [c for c in book.get("cells", [])
             if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path}: expected one cell tagged 'parameters', found {len(cells)}")
    source = "".join(cells[0]["source"])
    found = PythonTranslator.inspect({"source": source})
    # papermill skips what its line pattern cannot read (any statement that is not an
    # assignment, a line with a second `=`) without an error; a parameter lost that way
    # would surface much later as an "unknown parameter". Python's own parser says which
    # names the cell assigns, so that each one papermill missed is refused here, by line.
    try:
        statements = ast.parse(source, filename=str(path)).body
    except SyntaxError as exc:
        raise ParameterError(f"{path}: parameters cell line {exc.lineno}: {exc.msg}") from None
    names = [param.name for param in found]
    for i, node in enumerate(statements):
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.value is not None):
            raise ParameterError(f"{path}: parameters cell line {node.lineno}: {FORM}")
        if names[i:i + 1] != [node.target.id] or (
                node is statements[-1] and len(names) > len(statements)):
            raise ParameterError(f"{path}: parameters cell line {node.lineno}: papermill "
                                 f"cannot read it ({FORM}, with one `=` on the line)")
    params = {}
    for param in found:
        kind = param.inferred_type_name.split("[")[0]
        try:
            default = ast.literal_eval(param.default)  # papermill gives the source text
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            # papermill ends the default at the first `#`, even one inside a string.
            raise ParameterError(f"{path}: parameter {param.name}: the default, as papermill "
                                 f"reads it, is not a literal: {param.default}") from None
        if kind not in TYPES:
            raise ParameterError(f"{path}: parameter {param.name}: type must be one of "
                                 f"{', '.join(TYPES)} with a literal default")
        params[param.name] = Parameter(param.name, kind, default, param.help)
    return params


def _date(name: str, value: object) -> str:
    """An ISO calendar day inside the study's bounds, as text."""
    if isinstance(value, dt.date):
        value = value.isoformat()  # YAML reads an unquoted 2020-02-01 as a date
    text = value if isinstance(value, str) else ""
    if not ISO_DATE.fullmatch(text):
        raise ValueError
    dt.date.fromisoformat(text)
    if not STUDY_START <= text <= STUDY_END:
        raise ParameterError(f"parameter {name}: expected a date from {STUDY_START} to "
                             f"{STUDY_END} (the study's bounds), got {text!r}")
    return text


def _number(kind: str, value: object) -> int | float:
    """A whole or decimal number from YAML or text: ASCII digits only, no `_`."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str) and (INT_TEXT if kind == "int" else FLOAT_TEXT).fullmatch(
            value.strip()):
        number = (int if kind == "int" else float)(value.strip())
    else:
        raise ValueError
    if not math.isfinite(number):
        raise ValueError
    if kind == "int":
        if not float(number).is_integer() or abs(number) > MAX_INT:
            raise ValueError  # 1.9 is no whole number of days, and not truncated
        return int(number)
    return float(number)


def coerce(name: str, kind: str, value: object) -> object:
    """A value given on the command line or in YAML, as the declared type; every list item
    checked too, so that papermill only ever writes text, numbers and booleans.

    >>> coerce("start_date", "str", dt.date(2020, 2, 1))
    '2020-02-01'
    >>> coerce("include_syria", "bool", "no")
    False
    >>> coerce("rupture_phase_ids", "list", "rupture,idlib-escalation")
    ['rupture', 'idlib-escalation']
    """
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = value.strip().lower() if isinstance(value, str) else ""
            if text not in TRUE | FALSE:
                raise ValueError
            return text in TRUE
        if kind == "list":
            if isinstance(value, str):
                text = value.strip()
                value = (json.loads(text) if text.startswith("[") else
                         [item.strip() for item in text.split(",") if item.strip()])
            if type(value) is not list:
                raise ValueError
            return [_item(name, i, item) for i, item in enumerate(value, start=1)]
        if kind in ("int", "float"):
            number = _number(kind, value)
            low, high = RANGES.get(name, (None, None))
            if (low is not None and number < low) or (high is not None and number > high):
                raise ParameterError(f"parameter {name}: expected a value from {low} to "
                                     f"{high}, got {value!r}")
            return number
        if name.endswith("_date"):
            return _date(name, value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError
        return str(value)
    except ParameterError:
        raise
    except (ValueError, TypeError, json.JSONDecodeError, RecursionError):
        expected = "a date YYYY-MM-DD" if name.endswith("_date") else {
            "bool": "true or false", "list": "a comma-separated list or a JSON list",
            "int": "a value of type int (ASCII digits, no `_`)",
            "float": "a value of type float (ASCII digits, no `_`)",
        }.get(kind, f"a value of type {kind}")
        raise ParameterError(f"parameter {name}: expected {expected}, got "
                             f"{_shown(value)}") from None


def _item(name: str, i: int, item: object) -> object:
    """One item of a list parameter: text, a number or true/false; a date where the list is
    one of dates."""
    if name in DATE_LISTS:
        try:
            return _date(f"{name}, item {i}", item)
        except ParameterError:
            raise
        except ValueError:
            raise ParameterError(f"parameter {name}, item {i}: expected a date YYYY-MM-DD, "
                                 f"got {_shown(item)}") from None
    if isinstance(item, dt.date):
        return item.isoformat()
    if isinstance(item, str | bool | int) or (isinstance(item, float) and math.isfinite(item)):
        return item
    raise ParameterError(f"parameter {name}, item {i}: expected text, a number or true/false, "
                         f"got {_shown(item)}")


def _shown(value: object) -> str:
    """A value as an error message shows it: its repr for plain data, else its type."""
    if isinstance(value, str | bool | int | float | dt.date | type(None)):
        text = repr(value)
        return text[:80] + "…" if len(text) > 80 else text
    return {"set": "a set", "bytes": "bytes", "dict": "a mapping", "list": "a list"}.get(
        type(value).__name__, type(value).__name__)


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
    if data_dir and len(str(data_dir)) > MAX_PATH:
        raise ParameterError(f"{where}: data_dir is {len(str(data_dir)):,} characters long; "
                             f"a folder name is at most {MAX_PATH:,}")
    if data_dir and not _is_dir(Path(str(data_dir))):
        raise ParameterError(f"{where}: data_dir {data_dir}: no such folder")
    return values


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the system, a loop of symlinks
        return False


def load_params_file(path: Path) -> dict[str, object]:
    """A `--params-file`: a mapping of parameter names to plain values (YAML or JSON), every
    shape error one line naming the file and the key. Types are checked by `coerce` later,
    against what each notebook declares."""
    from typing import Annotated

    import yaml
    from pydantic import PlainValidator, StrictStr, TypeAdapter, ValidationError

    from rusturk.common import safe_yaml
    from rusturk.common.shapes import plain_value, shape_errors

    where = f"--params-file {path}"
    try:
        doc = safe_yaml.load_file(path)
    except safe_yaml.RefusedYAML as exc:
        raise ParameterError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise ParameterError(f"{where}: not valid YAML: {line}"
                             f"{getattr(exc, 'problem', None) or exc.__class__.__name__}"
                             ) from None
    except OSError as exc:
        raise ParameterError(f"{where}: {exc.strerror or exc}") from None
    if doc is None:
        return {}
    shape = TypeAdapter(dict[StrictStr, Annotated[object, PlainValidator(plain_value)]])
    try:
        return shape.validate_python(doc)
    except ValidationError as exc:
        raise ParameterError(*shape_errors(where, exc)) from None
