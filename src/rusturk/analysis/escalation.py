"""The Idlib escalation: casualty ranges across sources, cumulative losses, displacement."""

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


def incident_readings(figures: pd.DataFrame, events: pd.DataFrame, measure: str
                      ) -> pd.DataFrame:
    """Every per-incident reading of one measure, with its low and high bounds. Running
    totals (an 'as of' other than the event's own day) are not per-incident counts."""
    incident = figure_bounds(figures[(figures["measure"] == measure)
                                     & figures["event_id"].isin(events["event_id"])])
    days = events.set_index("event_id")["date_best"]
    return incident[incident["as_of"].isna()
                    | (incident["as_of"] == incident["event_id"].map(days))]


def casualty_ranges(figures: pd.DataFrame, events: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Per event, the spread of one measure across sources: lowest, highest, how many
    sources, and every distinct reading — never a single picked value."""
    incident = incident_readings(figures, events, measure)
    if incident.empty:
        return pd.DataFrame(columns=["event_id", "title", "date_best", "low", "high",
                                     "sources", "readings"])
    grouped = incident.groupby("event_id").agg(
        low=("low", "min"), high=("high", "max"), sources=("source_id", "nunique"),
        readings=("low", lambda s: len(s)))
    grouped = grouped.join(events.set_index("event_id")[["title", "date_best"]])
    return grouped.reset_index().sort_values("date_best", kind="stable")[
        ["event_id", "title", "date_best", "low", "high", "sources", "readings"]]


def cumulative_losses(ranges: pd.DataFrame) -> pd.DataFrame:
    """Running totals over incidents: the sum of the lowest and of the highest readings.

    Examples:
        >>> r = pd.DataFrame({"date_best": pd.to_datetime(["2020-02-03", "2020-02-27"]),
        ...                   "low": [4, 22], "high": [7, 100], "event_id": ["a", "b"]})
        >>> cumulative_losses(r)[["cumulative_low", "cumulative_high"]].values.tolist()
        [[4, 7], [26, 107]]
    """
    out = ranges.sort_values("date_best", kind="stable").reset_index(drop=True)
    out["cumulative_low"] = out["low"].astype(int).cumsum()
    out["cumulative_high"] = out["high"].astype(int).cumsum()
    return out


def displacement_series(figures: pd.DataFrame) -> pd.DataFrame:
    """Cumulative displacement readings by date, each with its source."""
    disp = figure_bounds(figures[figures["measure"] == "displaced"])
    return disp.sort_values(["date_ref", "source_id"], kind="stable")[
        ["date_ref", "source_id", "low", "high", "qualifier", "evidence"]].reset_index(drop=True)


def in_window(frame: pd.DataFrame, column: str, start: str, end: str) -> pd.DataFrame:
    """Rows whose `column` falls between `start` and `end`, inclusive."""
    return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))]
