"""Numbers and dates as the reports print them: one date style, true minus signs, plurals."""

from __future__ import annotations

import pandas as pd

DATE_STYLE = "%-d %b %Y"


def day(value) -> str:
    """The one date style of the reports: 3 Feb 2020.

    >>> day(pd.Timestamp("2020-02-03"))
    '3 Feb 2020'
    """
    return f"{pd.Timestamp(value):{DATE_STYLE}}"


def signed(value: float, digits: int = 2) -> str:
    """A signed number with a true minus sign: +2.57, −1.02.

    >>> signed(-1.024), signed(2.5, 1)
    ('−1.02', '+2.5')
    """
    return f"{value:+.{digits}f}".replace("-", "\u2212")


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
