"""What the escalation cost, on hand-made readings whose headlines are worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from handmade import readings, strikes

from rusturk.analysis import cost

T = pd.Timestamp
NA = pd.NA
K = cost.TURKISH_DEATHS


def test_official_words_in_the_claimant_or_the_evidence():
    r = pd.DataFrame({"claimant": ["Turkish President Erdoğan", NA, NA, "SOHR", "ANKARA SAID"],
                      "evidence": [NA, "the MSB announced 3", "locals said 4", "Observatory",
                                   ""]})
    assert cost.is_official(r).tolist() == [True, True, False, False, True]
    assert cost.is_official(r, words=("locals",)).tolist() == [False, False, True, False,
                                                                False]
    assert cost.is_official(r).dtype == bool


def test_incident_readings_leave_out_running_tallies_and_other_measures():
    f = readings([
        ("x", "a", K, NA, 3, NA, "2020-02-10", NA, NA),
        ("x", "b", K, NA, 4, NA, "2020-02-13", NA, NA),  # three days on: still the incident
        ("x", "c", K, NA, 9, NA, "2020-02-14", NA, NA),  # four days on: a tally
        ("x", "d", K, NA, 2, NA, "2020-02-07", NA, NA),  # three days before
        ("x", "e", "displaced", NA, 100, NA, "2020-02-10", NA, NA),
        ("z", "f", K, NA, 5, NA, "2020-02-10", NA, NA),  # no such event
    ])
    r = cost.incident_readings(f, strikes())
    assert r["source_id"].tolist() == ["a", "b", "d"]
    assert r["title"].tolist() == ["Strike X"] * 3
    assert r["date_best"].tolist() == [T("2020-02-10")] * 3
    assert r["low"].tolist() == [3, 4, 2]
    assert cost.incident_readings(f, strikes(), measure="displaced")["source_id"].tolist() == [
        "e"]
    empty = cost.incident_readings(f.iloc[0:0], strikes())
    assert empty.empty and {"date_best", "title"} <= set(empty.columns)


def test_running_tallies_are_the_later_readings_in_date_order():
    f = readings([
        ("x", "b", K, NA, 4, NA, "2020-02-13", NA, NA),
        ("x", "d", K, NA, 20, NA, "2020-03-01", "Turkish Defence Ministry", NA),
        ("x", "c", K, NA, 9, NA, "2020-02-14", NA, NA),
        ("x", "a", K, NA, 9, NA, "2020-02-14", NA, NA),
    ])
    t = cost.running_tallies(f, strikes())
    assert t["source_id"].tolist() == ["a", "c", "d"]
    assert t["official"].tolist() == [False, False, True]


def _readings(rows) -> pd.DataFrame:
    """rows: (event, source, low, high, best, superseded_by, claimant)."""
    events = strikes().set_index("event_id")
    return pd.DataFrame({
        "event_id": [r[0] for r in rows], "source_id": [r[1] for r in rows],
        "title": [events.loc[r[0], "title"] for r in rows],
        "date_best": [events.loc[r[0], "date_best"] for r in rows],
        "low": [r[2] for r in rows], "high": [r[3] for r in rows],
        "value_best": pd.array([r[4] for r in rows], dtype="Int64"),
        "superseded_by": pd.array([r[5] for r in rows], dtype=object),
        "claimant": pd.array([r[6] for r in rows], dtype=object), "evidence": ""})


SOURCES = pd.DataFrame({"source_id": ["a", "b", "c", "d", "e"],
                        "reliability": ["A", "B", "C", "D", "F"]})


def test_headlines_by_the_rule_one_incident_per_row_in_date_order():
    r = _readings([
        # y (27 Feb): the official 30 superseded by the official 33; a graded 40 is no official.
        ("y", "a", 30, 30, 30, "b", "Hatay governor"),
        ("y", "b", 33, 33, 33, NA, "Hatay governor"),
        ("y", "c", 40, 40, 40, NA, NA),
        # x (10 Feb): no official; graded 2, 4 and 9 (median 4); ungraded 50; a range 1–3.
        ("x", "a", 2, 2, 2, NA, NA),
        ("x", "b", 4, 4, 4, NA, NA),
        ("x", "c", 9, 9, 9, NA, NA),
        ("x", "d", 50, 50, 50, NA, NA),
        ("x", "e", 1, 3, NA, NA, NA),
    ])
    h = cost.headlines(r, SOURCES)
    assert h["event_id"].tolist() == ["x", "y"]
    x, y = h.iloc[0], h.iloc[1]
    assert (x["headline"], x["basis"]) == (4.0, "median of graded readings")
    assert (x["low"], x["high"], x["sources"], x["readings"], x["superseded"]) == (1, 50, 5, 5,
                                                                                   0)
    assert (y["headline"], y["basis"]) == (33.0, "official")
    assert (y["low"], y["high"], y["sources"], y["readings"], y["superseded"]) == (30, 40, 3, 3,
                                                                                   1)
    assert y["title"] == "Strike Y" and y["date_best"] == T("2020-02-27")
    assert h.columns.tolist() == ["event_id", "title", "date_best", "headline", "basis", "low",
                                  "high", "sources", "readings", "superseded"]


def test_a_range_without_a_number_counts_by_its_low_end():
    r = _readings([("x", "a", 6, 9, NA, NA, "Turkish Defence Ministry"),
                   ("x", "b", 5, 5, 5, NA, "Turkish Defence Ministry")])
    assert cost.headlines(r, SOURCES).iloc[0]["headline"] == 6.0


def test_no_official_nor_graded_reading_no_headline():
    r = _readings([("x", "d", 7, 7, 7, NA, NA), ("x", "e", 8, 8, 8, NA, NA)])
    h = cost.headlines(r, SOURCES).iloc[0]
    assert math.isnan(h["headline"])
    assert h["basis"] == "no reading of an official or a graded source"
    assert cost.headlines(r.iloc[0:0], SOURCES).empty


def test_cumulative_runs_to_the_end_of_the_window():
    h = pd.DataFrame({"date_best": pd.to_datetime(["2020-02-27", "2020-02-03", "2020-02-10"]),
                      "headline": [34.0, 8.0, float("nan")]})
    c = cost.cumulative(h, T("2020-03-31"))
    assert c["date"].tolist() == [T("2020-02-03"), T("2020-02-10"), T("2020-02-27"),
                                  T("2020-03-31")]
    assert c["headline"].tolist() == [8.0, 8.0, 42.0, 42.0]
    at_end = cost.cumulative(h, T("2020-02-27"))
    assert len(at_end) == 3
    assert cost.cumulative(h.iloc[0:0], T("2020-03-31")).empty


def test_latest_readings_are_those_within_a_week_of_the_last():
    r = pd.DataFrame({"date_ref": pd.to_datetime(["2020-02-01", "2020-02-21", "2020-02-22",
                                                  "2020-02-28"])})
    assert cost.latest_readings(r)["date_ref"].dt.day.tolist() == [21, 22, 28]
    assert cost.latest_readings(r, days=6)["date_ref"].dt.day.tolist() == [22, 28]
    assert cost.latest_readings(r.iloc[0:0]).empty


def test_reading_text_keeps_the_hedge():
    assert cost.reading_text(pd.Series({"qualifier": "more than", "value_best": 961000,
                                        "low": 961000, "high": 961000})) == "more than 961,000"
    assert cost.reading_text(pd.Series({"qualifier": NA, "value_best": NA, "low": 4,
                                        "high": 1007})) == "4 to 1,007"
    assert cost.reading_text(pd.Series({"value_best": 33, "low": 33, "high": 33})) == "33"


@pytest.mark.parametrize(("claimant", "key"), [
    ("Russian Defence Ministry (via RIA)", "russian defence ministry"),
    ("Hatay governor Rahmi Doğan, as reported by Reuters", "hatay governor rahmi dogan"),
    ("Kremlin spokesman Peskov, per TASS", "kremlin spokesman peskov"),
    ("SOHR, via AFP", "sohr"),
    ("  The   Observatory. ", "the observatory"),
])
def test_claimant_key_drops_the_relay(claimant, key):
    assert cost.claimant_key(claimant) == key


@pytest.mark.parametrize(("claimant", "side"), [
    ("Turkish Defence Ministry", "Turkish officials"),
    ("Kremlin spokesman Dmitry Peskov", "Russian officials"),
    ("SANA, the Syrian state agency", "Syrian government"),
    ("White Helmets", "Monitors and rescuers"),
    ("A rebel commander", "Armed groups"),
    ("A local resident", "Others"),
    ("Russia's Turkish-language service", "Turkish officials"),  # the first match decides
])
def test_claimant_side_by_the_first_matching_words(claimant, side):
    assert cost.claimant_side(claimant) == side
