"""Figures and windows: each reading's bounds, and the rows that fall in a window."""

from __future__ import annotations

import pandas as pd


def figure_bounds(figures: pd.DataFrame) -> pd.DataFrame:
    """Each figure's lowest and highest reading: the range where given, else the stated number.

    Examples:
        >>> f = pd.DataFrame({"value_low": pd.array([pd.NA, 50], "Int64"),
        ...                   "value_best": pd.array([33, pd.NA], "Int64"),
        ...                   "value_high": pd.array([pd.NA, 70], "Int64")})
        >>> figure_bounds(f)[["low", "high"]].values.tolist()
        [[33, 33], [50, 70]]
    """
    out = figures.copy()
    out["low"] = out["value_low"].fillna(out["value_best"]).fillna(out["value_high"])
    out["high"] = out["value_high"].fillna(out["value_best"]).fillna(out["value_low"])
    return out


def in_window(frame: pd.DataFrame, column: str, start: str, end: str) -> pd.DataFrame:
    """Rows whose `column` falls between `start` and `end`, inclusive."""
    return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))]
