"""Notebook parameters: read from the tagged cell by papermill, checked and typed here."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rusturk.common.atomic import write_text
from rusturk.config import cache_dir

TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list}
TRUE, FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
FORM = "expected `name: type = literal  # comment`"
# Each parameter's range, checked before any kernel starts: a window is at least one day.
RANGES = {"smoothing_window_days": (1, 3650)}
# A date parameter is an ISO calendar date, nothing else Python would also parse (2019-W10-1).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Longer than any real folder name: refused with a message rather than an OS error later.
MAX_PATH = 1024


class ParameterError(ValueError):
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
            number = float(str(value).strip()) if kind == "int" else TYPES[kind](value)
            if kind == "int":
                if not number.is_integer():
                    raise ValueError  # 1.9 is no whole number of days, and not truncated
                number = int(number)
            low, high = RANGES.get(name, (None, None))
            if (low is not None and number < low) or (high is not None and number > high):
                raise ParameterError(f"parameter {name}: expected a value from {low} to "
                                     f"{high}, got {value!r}")
            return number
        text = str(value)
        if name.endswith("_date"):
            if not ISO_DATE.fullmatch(text):
                raise ValueError
            dt.date.fromisoformat(text)
        return text
    except ParameterError:
        raise
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
