"""The cooperation–conflict index on hand-made scores: ties on a day keep the data's order
however many events share it, and the frame keeps the event's own columns."""

from __future__ import annotations

import pandas as pd
import pytest

from rusturk.analysis.index import index_series


def test_index_keeps_the_data_order_of_events_on_one_day():
    # Forty events on three days, given out of date order; more than sixteen, so an unstable
    # sort would reorder ties (numpy sorts short arrays stably whatever the kind).
    n = 40
    days = [(i * 7) % 3 for i in range(n)]
    e = pd.DataFrame({"date_best": pd.Timestamp("2016-01-01") + pd.to_timedelta(days, "D"),
                      "goldstein": [float(i % 9 - 4) for i in range(n)],
                      "event_id": [f"e{i}" for i in range(n)]})
    out = index_series(e, 30)
    order = sorted(range(n), key=lambda i: (days[i], i))  # by day, then as given
    assert out["event_id"].tolist() == [f"e{i}" for i in order]
    running, total = [], 0.0
    for i in order:
        total += i % 9 - 4
        running.append(total)
    assert out["cumulative"].tolist() == pytest.approx(running)


def test_index_columns_and_types():
    e = pd.DataFrame({"date_best": pd.to_datetime(["2016-01-02", "2016-01-01"]),
                      "goldstein": [3, -1], "event_id": ["b", "a"]})
    out = index_series(e, 1)
    assert out.columns.tolist() == ["date_best", "goldstein", "event_id", "cumulative",
                                    "smoothed"]
    assert out.index.tolist() == [0, 1]
    # A one-day window holds only the day itself: the smoothed index is each day's score.
    assert out["smoothed"].tolist() == [-1.0, 3.0]
    assert out["cumulative"].tolist() == [-1.0, 2.0]
    assert out["cumulative"].dtype.kind == "f"
    assert e["event_id"].tolist() == ["b", "a"]  # the caller's frame is left as it was
