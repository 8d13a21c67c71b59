"""Each reading's bounds and the rows a window holds, on hand-made readings and dates."""

from __future__ import annotations

import pandas as pd

from rusturk.analysis.escalation import figure_bounds, in_window

NA = pd.NA


def test_bounds_take_the_range_else_the_stated_number_else_the_other_end():
    def ints(values):
        return pd.array(values, dtype="Int64")
    f = pd.DataFrame({
        #            best only, range only, low only, high only, all three, best and high
        "value_low": ints([NA, 10, 4, NA, 5, NA]),
        "value_best": ints([7, NA, NA, NA, 6, 8]),
        "value_high": ints([NA, 20, NA, 9, 9, 12]),
        "event_id": list("abcdef")})
    out = figure_bounds(f)
    assert out["low"].tolist() == [7, 10, 4, 9, 5, 8]
    assert out["high"].tolist() == [7, 20, 4, 9, 9, 12]
    # The frame is copied, not changed, and keeps its other columns and order.
    assert "low" not in f.columns and out["event_id"].tolist() == list("abcdef")
    assert out["value_best"].tolist()[:2] == [7, NA]


def test_in_window_includes_both_edges():
    frame = pd.DataFrame({"d": pd.to_datetime(["2020-01-31", "2020-02-01", "2020-02-15",
                                               "2020-02-29", "2020-03-01"]),
                          "id": list("abcde")})
    assert in_window(frame, "d", "2020-02-01", "2020-02-29")["id"].tolist() == ["b", "c", "d"]
    assert in_window(frame, "d", "2020-02-15", "2020-02-15")["id"].tolist() == ["c"]
    assert in_window(frame, "d", "2020-03-02", "2020-03-31").empty
