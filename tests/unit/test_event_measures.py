"""The analysed set and the measures on it, on hand-made events counted by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rusturk.analysis import eventset, measures


def _events() -> pd.DataFrame:
    return pd.DataFrame({
        "event_id": ["a", "b", "c", "d", "e", "f", "g"],
        "actor_initiator": ["RUS", "TUR", "SYR", "TUR", "RUS", "IND", "TUR"],
        "actor_target": ["TUR", "RUS", "TUR", "SYR", "TUR", "TUR", "USA"],
        "intent": ["deliberate"] * 4 + ["accidental", "deliberate", "deliberate"],
        "date_best": pd.to_datetime(["2016-03-01", "2016-01-01", "2016-02-01", "2016-01-01",
                                     "2016-01-05", "2016-01-06", "2016-01-07"]),
        "quad_class": [1, 4, 3, 2, 4, 4, 1],
        "goldstein": [3.0, -10.0, -4.0, 7.0, -10.0, -10.0, 1.0],
        "phase_id": ["p1", "p1", "p2", "p1", "p1", "p1", "p1"]})


def test_the_analysed_set_is_the_dyad_in_date_order_without_accidents():
    # b and d share a day: the stable sort keeps their order in the data.
    assert eventset.analysed(_events())["event_id"].tolist() == ["b", "d", "c", "a"]
    assert eventset.analysed(_events(), include_syria=False)["event_id"].tolist() == ["b", "a"]
    without_intent = _events().drop(columns="intent")
    assert eventset.analysed(without_intent)["event_id"].tolist() == ["b", "d", "e", "c", "a"]


def test_the_definition_names_the_sides():
    assert eventset.russian_side(True) == ("RUS", "SYR")
    assert eventset.russian_side(False) == ("RUS",)
    assert "Turkey on one side and Russia and the Syrian government on the other" in (
        eventset.definition(True))
    assert "Turkey on one side and Russia on the other" in eventset.definition(False)


def test_net_cooperation_share_by_hand():
    assert measures.net_cooperation_share([1, 2, 3, 4]) == 0.0
    assert measures.net_cooperation_share([3, 4, 4]) == -1.0
    assert measures.net_cooperation_share([2]) == 1.0
    assert measures.net_cooperation_share(q for q in [1, 1, 1, 4]) == 0.5
    assert math.isnan(measures.net_cooperation_share([]))


def test_monthly_counts_every_quad_class_and_the_mean():
    e = _events()
    m = measures.monthly(e, pd.Timestamp("2015-12-01"), pd.Timestamp("2016-03-31"))
    assert m.index.name == "month"
    assert m.index.tolist() == list(pd.to_datetime(["2015-12-01", "2016-01-01", "2016-02-01",
                                                    "2016-03-01"]))
    # January: b (4), d (2), e (4), f (4), g (1).
    jan = m.loc["2016-01-01"]
    assert [jan["q1"], jan["q2"], jan["q3"], jan["q4"], jan["events"]] == [1, 1, 0, 3, 5]
    assert jan["net_cooperation_share"] == pytest.approx((2 - 3) / 5)
    assert jan["mean_goldstein"] == pytest.approx((-10 + 7 - 10 - 10 + 1) / 5)
    feb = m.loc["2016-02-01"]
    assert [feb["q3"], feb["events"], feb["net_cooperation_share"]] == [1, 1, -1.0]
    dec = m.loc["2015-12-01"]
    assert dec[["q1", "q2", "q3", "q4", "events"]].tolist() == [0, 0, 0, 0, 0]
    assert all(m[c].dtype.kind == "i" for c in ("q1", "q2", "q3", "q4", "events"))
    assert dec["events"] == 0 and math.isnan(dec["net_cooperation_share"])
    assert math.isnan(dec["mean_goldstein"])


def test_group_table_per_group_in_the_given_order():
    e = _events()
    t = measures.group_table(e, e["phase_id"], ["p2", "p1", "none"])
    assert t["group"].tolist() == ["p2", "p1", "none"]
    p1 = t.iloc[1]
    # p1: a (1, +3), b (4, −10), d (2, +7), e (4, −10), f (4, −10), g (1, +1).
    assert p1["events"] == 6
    assert p1["mean_goldstein"] == pytest.approx((3 - 10 + 7 - 10 - 10 + 1) / 6)
    assert p1["cooperation"] == 3 and p1["conflict"] == 3
    assert p1["net_cooperation_share"] == 0.0
    assert p1["ci_low"] <= p1["mean_goldstein"] <= p1["ci_high"]
    p2 = t.iloc[0]
    assert (p2["events"], p2["mean_goldstein"], p2["conflict"], p2["cooperation"]) == (
        1, -4.0, 1, 0)
    assert math.isnan(p2["ci_low"]) and p2["net_cooperation_share"] == -1.0
    assert t.iloc[2]["events"] == 0
    assert t.columns.tolist() == ["group", "events", "mean_goldstein", "ci_low", "ci_high",
                                  "cooperation", "conflict", "net_cooperation_share"]


def test_the_index_cumulates_and_smooths_by_hand():
    from rusturk.analysis import index

    e = pd.DataFrame({"date_best": pd.to_datetime(["2016-01-10", "2016-01-01", "2016-01-10",
                                                   "2016-03-01"]),
                      "goldstein": [8, -10, 4, 2], "event_id": ["b", "a", "c", "d"]})
    out = index.index_series(e, 30)
    assert out["event_id"].tolist() == ["a", "b", "c", "d"]  # b before c: the data's order
    assert out["cumulative"].tolist() == [-10.0, -2.0, 2.0, 4.0]
    # The trailing 30 days of 10 January hold a, b and c; those of 1 March only d.
    assert out["smoothed"].tolist() == [-10.0, -1.0, pytest.approx(2 / 3), 2.0]
    assert out.index.tolist() == [0, 1, 2, 3]
