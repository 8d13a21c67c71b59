"""Numbers and dates as the reports print them: one date style, true minus signs, plurals.

Every date format of the package is spelled here, for Python (`day`, `month`, `span`) and
for the charts' Vega expressions (the `*_STYLE` strings, which d3-time-format reads the same
way); `tests/unit/test_architecture.py` fails if one is spelled anywhere else.
"""

from __future__ import annotations

DATE_STYLE = "%-d %b %Y"  # 3 Feb 2020
DAY_MONTH_STYLE = "%-d %b"  # 3 Feb: a tick whose year the first tick gives
MONTH_STYLE = "%b %Y"  # Feb 2020
LONG_MONTH_STYLE = "%B %Y"  # February 2020
LONG_DATE_STYLE = "%-d %B %Y"  # 3 February 2020
YEAR_STYLE = "%Y"
# A date given to the month or the year is printed to that precision, never as the 1st.
PRECISION_STYLE = {"day": DATE_STYLE, "month": MONTH_STYLE, "year": YEAR_STYLE}


def _timestamp(value):
    # pandas on first use only: a build that finds its reports up to date never needs it.
    import pandas as pd

    return pd.Timestamp(value)


def day(value) -> str:
    """The one date style of the reports: 3 Feb 2020.

    >>> day("2020-02-03")
    '3 Feb 2020'
    """
    return f"{_timestamp(value):{DATE_STYLE}}"


def span(start, end) -> str:
    """Two days as a period: '3 Feb 2020 to 5 Mar 2020'.

    >>> span("2016-06-27", "2016-12-31")
    '27 Jun 2016 to 31 Dec 2016'
    """
    return f"{day(start)} to {day(end)}"


def month(value, long: bool = False) -> str:
    """A month: 'Feb 2020', or with `long` 'February 2020'.

    >>> month("2020-02-03"), month("2020-02-03", long=True)
    ('Feb 2020', 'February 2020')
    """
    return f"{_timestamp(value):{LONG_MONTH_STYLE if long else MONTH_STYLE}}"


def at_precision(value, precision: str) -> str:
    """A date to the precision it is known: '3 Feb 2020', 'Feb 2020' or '2020'.

    >>> [at_precision("2020-02-01", p) for p in ("day", "month", "year")]
    ['1 Feb 2020', 'Feb 2020', '2020']
    """
    return f"{_timestamp(value):{PRECISION_STYLE[precision]}}"


def signed(value: float, digits: int = 2) -> str:
    """A signed number with a true minus sign: +2.57, −1.02.

    >>> signed(-1.024), signed(2.5, 1), signed(1204, 0)
    ('−1.02', '+2.5', '+1,204')
    """
    return f"{value:+,.{digits}f}".replace("-", "\u2212")


def number(value: float, digits: int = 0) -> str:
    """A number with thousands separators and a true minus sign: 1,204, −3.5.

    >>> number(1204.2), number(-3.46, 1)
    ('1,204', '−3.5')
    """
    return f"{value:,.{digits}f}".replace("-", "\u2212")


def signed_share(value: float) -> str:
    """A signed share as a whole percentage: −46%, +12%.

    >>> signed_share(-0.456), signed_share(0.12)
    ('−46%', '+12%')
    """
    return f"{value:+.0%}".replace("-", "\u2212")


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 phase', '3 phases': never 'phase(s)'.

    >>> plural(1, "phase"), plural(1200, "event"), plural(2, "body", "bodies")
    ('1 phase', '1,200 events', '2 bodies')
    """
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def verb(n: int, one: str, many: str) -> str:
    """The verb agreeing with a count: 'holds' for 1, 'hold' otherwise."""
    return one if n == 1 else many


def share(value: float) -> str:
    """A share as a whole percentage: 0.257 → '26%'."""
    return f"{value:.0%}"
