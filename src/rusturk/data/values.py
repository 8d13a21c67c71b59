"""Parse and check single cell values according to their schema field."""

from __future__ import annotations

import datetime as dt
import math
import re

from rusturk.data.schema import TODAY, Field

LIST_SEPARATOR = ";"
INTEGER = re.compile(r"[-+]?[0-9]+")
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# What no cell may hold: C0 and C1 controls but tab, newline and carriage return (text cells
# may wrap), and the bidirectional controls, which reverse the text shown around them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                     "\u200e\u200f]")


def control_error(value: str) -> str | None:
    """Why a cell holding a control or bidirectional character is refused, or None.

    Examples:
        >>> control_error("a\vb")
        'holds the control character U+000B at position 2; remove it'
        >>> control_error("plain") is None
        True
    """
    found = CONTROL.search(value)
    if found is None:
        return None
    return (f"holds the control character U+{ord(found.group()):04X} at position "
            f"{found.start() + 1}; remove it")


def split_list(value: str) -> list[str]:
    """Items of a ';'-separated list cell.

    Examples:
        >>> split_list("afp-2020; tass-2017")
        ['afp-2020', 'tass-2017']
    """
    return [item.strip() for item in value.split(LIST_SEPARATOR)] if value else []


def period(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a date given at day, month or year precision.

    Examples:
        >>> period("2016-02")
        (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
        >>> period("2017")
        (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))
    """
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def precision_of(value: str) -> str:
    """The precision a partial date is written at: day, month or year."""
    return {10: "day", 7: "month", 4: "year"}[len(value)]


def _number(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def cell_error(field: Field, value: str) -> str | None:
    """Why `value` is not acceptable for `field`, or None when it is. Empty cells pass here;
    whether they are allowed is the `required` check's business."""
    if value == "":
        return None
    expected = f"expected {field.type_label}"
    if field.kind == "category":
        if value not in field.allowed:
            return f"expected one of: {', '.join(field.allowed)}"
        return None
    if field.kind == "list":
        items = split_list(value)
        if any(not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", item) for item in items):
            return expected
        if len(set(items)) != len(items):
            return "the same id is listed twice"
        return None
    # ASCII digits only: `\d` and int() would take other scripts' digits, int() also `1_000`.
    if field.pattern and not re.fullmatch(field.pattern, value, re.ASCII):
        return expected
    try:
        if field.kind in ("date", "partial_date"):
            if not re.fullmatch(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?", value):
                raise ValueError(value)
            first, last = period(value)
        elif field.kind == "integer":
            if not INTEGER.fullmatch(value):
                raise ValueError(value)
            number = int(value)
        elif field.kind == "number":
            if not NUMBER.fullmatch(value):
                raise ValueError(value)
            number = _number(value)
    except ValueError:
        return expected
    if field.kind in ("date", "partial_date") and (field.earliest or field.latest):
        low = _bound(field.earliest) or dt.date.min
        high = _bound(field.latest) or dt.date.max
        if first < low or last > high:
            return (f"expected a date from {low} to "
                    f"{'today' if field.latest == TODAY else high}")
    if field.kind in ("integer", "number"):
        low = -math.inf if field.minimum is None else field.minimum
        high = math.inf if field.maximum is None else field.maximum
        if not low <= number <= high:
            bounds = (f"from {field.minimum:,g} to {field.maximum:,.0f}"
                      if field.maximum is not None else f"of at least {field.minimum:g}")
            return f"expected a value {bounds}"
    return None


def _bound(text: str) -> dt.date | None:
    """A schema date bound as a day: "today" is the day this runs."""
    if not text:
        return None
    return dt.date.today() if text == TODAY else dt.date.fromisoformat(text)


def normalise_space(text: str) -> str:
    """Collapse runs of white space, so quotes match across line breaks and double spaces."""
    return " ".join(text.split())


def best_date(date: str, exact_date: str = "") -> dt.date:
    """The single day used to place an event on a time axis: the pinned day where a source
    gives one, else the middle of the period the date names (a month-precision event sits
    mid-month rather than on the 1st, which would bias it early).

    Examples:
        >>> best_date("2016-08", "2016-08-09")
        datetime.date(2016, 8, 9)
        >>> best_date("2016-08")
        datetime.date(2016, 8, 16)
    """
    if exact_date:
        return period(exact_date)[0]
    first, last = period(date)
    return first + (last - first) / 2
