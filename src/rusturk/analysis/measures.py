"""Event-data measures by period: counts by QuadClass, net cooperation share, mean score."""

from __future__ import annotations

import pandas as pd

from rusturk.analysis.stats import bootstrap_mean

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
         4: "material conflict"}


def net_cooperation_share(quad_classes) -> float:
    """(cooperative events − conflictual events) / all events: +1 all cooperation, −1 all
    conflict; NaN without events.

    Examples:
        >>> net_cooperation_share([1, 2, 2, 4])
        0.5
    """
    q = pd.Series(list(quad_classes), dtype="float")
    return float(((q <= 2).sum() - (q >= 3).sum()) / len(q)) if len(q) else float("nan")


def monthly(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """One row per calendar month from `start` to `end`: counts by QuadClass, the total,
    the net cooperation share and the mean score (NaN for a month without events).

    Examples:
        >>> e = pd.DataFrame({"date_best": pd.to_datetime(["2016-01-09", "2016-01-20",
        ...                                                "2016-03-02"]),
        ...                   "quad_class": [1, 4, 4], "goldstein": [4.0, -10.0, -10.0]})
        >>> m = monthly(e, pd.Timestamp("2016-01-01"), pd.Timestamp("2016-03-31"))
        >>> m[["events", "q1", "q4", "net_cooperation_share"]].values.tolist()
        [[2.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, nan], [1.0, 0.0, 1.0, -1.0]]
    """
    months = pd.period_range(start, end, freq="M")
    period = events["date_best"].dt.to_period("M")
    counts = pd.crosstab(period, events["quad_class"]).reindex(
        index=months, columns=list(QUADS), fill_value=0)
    out = pd.DataFrame({f"q{q}": counts[q].astype(int) for q in QUADS}, index=months)
    out["events"] = out.sum(axis=1)
    coop, conflict = out["q1"] + out["q2"], out["q3"] + out["q4"]
    out["net_cooperation_share"] = ((coop - conflict) / out["events"]).where(out["events"] > 0)
    out["mean_goldstein"] = events.groupby(period)["goldstein"].mean().reindex(months)
    out.index = months.to_timestamp()
    out.index.name = "month"
    return out


def group_table(events: pd.DataFrame, groups: pd.Series, order: list[str]) -> pd.DataFrame:
    """Per group (a phase, a period): n, mean score with its bootstrap interval, counts of
    conflict and cooperation, the net cooperation share."""
    rows = []
    for name in order:
        inside = events[groups == name]
        est = bootstrap_mean(inside["goldstein"])
        rows.append({"group": name, "events": est.n, "mean_goldstein": est.mean,
                     "ci_low": est.low, "ci_high": est.high,
                     "cooperation": int((inside["quad_class"] <= 2).sum()),
                     "conflict": int((inside["quad_class"] >= 3).sum()),
                     "net_cooperation_share": net_cooperation_share(inside["quad_class"])})
    return pd.DataFrame(rows)
