"""The cooperation–conflict index: the analysed events' Goldstein scores, cumulated and smoothed."""

from __future__ import annotations

import pandas as pd

METHOD = (
    "Each event between Turkey and the Russian side ({sides}) carries the Goldstein score of "
    "its CAMEO code (−10 most conflictual, +10 most cooperative), looked up in cameo.csv, "
    "never typed per event. The cumulative index adds the scores in date order; the "
    "smoothed index is the mean score of the events in the preceding {window} days. "
    "Events dated only to a month sit mid-month unless a source pins the day."
)


def index_series(events: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Per event: its score, the running sum, and the trailing `window_days` mean.

    Examples:
        >>> e = pd.DataFrame({"date_best": pd.to_datetime(["2016-01-01", "2016-01-05",
        ...                                                "2016-03-01"]),
        ...                   "goldstein": [-10.0, 8.0, 4.0], "event_id": ["a", "b", "c"]})
        >>> index_series(e, 30)[["cumulative", "smoothed"]].values.tolist()
        [[-10.0, -10.0], [-2.0, -1.0], [2.0, 4.0]]
    """
    frame = events.sort_values("date_best", kind="stable").reset_index(drop=True)
    scores = frame.set_index("date_best")["goldstein"].astype(float)
    out = frame.copy()
    out["cumulative"] = scores.cumsum().to_numpy()
    out["smoothed"] = scores.rolling(f"{window_days}D").mean().to_numpy()
    return out
