"""What the escalation cost, the parts a reader sees: who claims which strike (one row per
claimant, relays left out), the claimant's side and key, and the edges of the headline rule.
Hand-made rows; every expected value is worked out in the comments."""

from __future__ import annotations

import pandas as pd
import pytest
from handmade import readings, strikes

from rusturk.analysis import cost

T = pd.Timestamp
NA = pd.NA


@pytest.fixture(scope="module")
def claimed() -> pd.DataFrame:
    events = pd.DataFrame({
        "event_id": ["e1", "z0", "e2"], "title": ["Strike one", "Strike zero", "Quiet"],
        "date_best": pd.to_datetime(["2020-02-27", "2020-02-01", "2020-01-01"]),
        "attribution_disputed": [True, True, False]})
    sources = pd.DataFrame({
        "source_id": ["wp", "mir", "agg", "reu", "afp", "tass", "anon"],
        "publisher": ["Wikipedia (en)", "Mirror Site", "Feed Co", "Reuters", "AFP (via Yahoo)",
                      "TASS", None],
        "kind": ["encyclopedia", "news", "news", "news", "news", "news", "reference"],
        "copy_type": ["original", "mirror", "aggregator", "original", "original", "original",
                      "original"],
        "affiliation": ["independent"] * 7})
    rows = [  # event, claimed initiator, claimant, source
        ("e1", "RUS", "Turkish Defence Ministry", "reu"),
        ("e1", "RUS", "Turkish Defence Ministry, as reported by AFP", "afp"),
        ("e1", "SYR", "Russian Defence Ministry", "tass"),
        ("e1", "RUS", "Wikipedia", "wp"),  # the encyclopedia's own account: out
        ("e1", "RUS", "SOHR", "wp"),  # a monitor the encyclopedia credits: in
        ("e1", "RUS", "Mirror Site editors", "mir"),  # a mirror's own account: out
        ("e1", "RUS", "Feed Co", "agg"),  # a feed's own account: out
        ("e1", "RUS", "Reuters", "reu"),  # a wire's own account is a witness: in
        ("e2", "RUS", "Somebody", "reu"),  # not a disputed event
        ("z0", "TUR", "Kremlin spokesman Peskov", "tass"),
        ("e1", "RUS", "turkish defence ministry (MSB)", "reu"),  # the ministry again, via reu
        ("e1", "RUS", "Anonymous officials", "anon"),  # no publisher: never its own account
    ]
    attributions = pd.DataFrame(rows, columns=["event_id", "claimed_initiator", "claimant",
                                               "source_id"])
    return cost.claims(attributions, events, sources)


def test_claims_one_row_per_claimant_in_date_then_name_order(claimed):
    assert claimed.columns.tolist() == ["event_id", "title", "date_best", "claimed_initiator",
                                        "claimant", "side", "sources", "publishers"]
    # z0 (1 Feb) first, by date not by name; then e1 (27 Feb) by claimed initiator, RUS
    # before SYR, and by the claimant's key: anonymous, reuters, sohr, turkish defence ministry.
    assert claimed["event_id"].tolist() == ["z0", "e1", "e1", "e1", "e1", "e1"]
    assert claimed["claimed_initiator"].tolist() == ["TUR", "RUS", "RUS", "RUS", "RUS", "SYR"]
    assert claimed["claimant"].tolist() == [
        "Kremlin spokesman Peskov", "Anonymous officials", "Reuters", "SOHR",
        "Turkish Defence Ministry, as reported by AFP", "Russian Defence Ministry"]
    assert claimed["title"].tolist() == ["Strike zero"] + ["Strike one"] * 5
    assert claimed["date_best"].tolist() == [T("2020-02-01")] + [T("2020-02-27")] * 5
    assert claimed.index.tolist() == list(range(6))


def test_claims_name_the_side_and_every_relaying_source_once(claimed):
    assert claimed["side"].tolist() == ["Russian officials", "Others", "Others",
                                        "Monitors and rescuers", "Turkish officials",
                                        "Russian officials"]
    ministry = claimed.iloc[4]
    # Three rows of the ministry: afp, reu, reu again; sources in source order, once each.
    assert ministry["sources"] == ("afp", "reu")
    assert ministry["publishers"] == ("AFP (via Yahoo)", "Reuters")
    assert claimed.iloc[3]["sources"] == ("wp",)
    assert claimed.iloc[0]["publishers"] == ("TASS",)


def test_fold_drops_accents_case_and_runs_of_spaces():
    assert cost._fold("  Rahmi  DOĞAN\tÇavuşoğlu ") == "rahmi dogan cavusoglu"


@pytest.mark.parametrize(("claimant", "key"), [
    ("Peskov (Kremlin) (via TASS)", "peskov"),
    ("Peskov, per TASS", "peskov"),
    ("Peskov,per TASS", "peskov"),
    ("Peskov, perhaps", "peskov, perhaps"),  # "per" only as a whole word
    ("Peskov, viable", "peskov, viable"),
    ("Ministry, AS REPORTED BY Reuters", "ministry, as reported by reuters"),  # as written
    ("Ministry; officials.", "ministry; officials"),
    (",Ministry", "ministry"),
    (17, "17"),
])
def test_claimant_key_edges(claimant, key):
    assert cost.claimant_key(claimant) == key


@pytest.mark.parametrize(("claimant", "side"), [
    ("Hatay governorate", "Turkish officials"),
    ("Foreign minister Çavuşoğlu", "Turkish officials"),  # folded before matching
    ("Ambassador Karlov", "Russian officials"),
    ("SANA", "Syrian government"),
    ("Damascus", "Syrian government"),
    ("Syrian Civil Defence", "Monitors and rescuers"),
    ("Opposition spokesman", "Armed groups"),
    (float("nan"), "Others"),
])
def test_claimant_side_more_words(claimant, side):
    assert cost.claimant_side(claimant) == side


def test_is_official_reads_claimant_and_evidence_together_in_any_case():
    r = pd.DataFrame({"claimant": ["Turkish", "FAHRETTIN ALTUN", NA, "Local"],
                      "evidence": ["Official figures", NA, "Savunma Bakanlığı said", NA]})
    # "turkish official" spans the two fields, joined by one space.
    assert cost.is_official(r).tolist() == [True, True, True, False]


def test_incident_readings_of_a_window_without_readings_keep_typed_columns():
    f = readings([("x", "a", "displaced", NA, 3, NA, "2020-02-10", NA)])
    empty = cost.incident_readings(f, strikes())
    assert empty.empty
    assert str(empty["date_best"].dtype) == "datetime64[ns]" and empty["title"].dtype == object
    assert cost.incident_readings(f, strikes().iloc[0:0]).empty


def test_incident_readings_take_the_range_and_the_incident_of_each_reading():
    f = readings([("y", "a", cost.TURKISH_DEATHS, 30, NA, 36, "2020-02-27", NA),
                  ("x", "b", cost.TURKISH_DEATHS, NA, 3, NA, "2020-02-07", NA)])
    r = cost.incident_readings(f, strikes())
    assert r["low"].tolist() == [30, 3] and r["high"].tolist() == [36, 3]
    assert r["title"].tolist() == ["Strike Y", "Strike X"]
    assert r["date_best"].tolist() == [T("2020-02-27"), T("2020-02-10")]


def test_running_tallies_sort_by_date_then_source_and_mark_officials():
    f = readings([("x", "z", cost.TURKISH_DEATHS, NA, 9, NA, "2020-02-20", "Ankara said"),
                  ("x", "b", cost.TURKISH_DEATHS, NA, 9, NA, "2020-02-20", NA),
                  ("x", "a", cost.TURKISH_DEATHS, 5, NA, 8, "2020-03-01", NA),
                  ("y", "c", "displaced", NA, 9, NA, "2020-03-20", NA)])
    t = cost.running_tallies(f, strikes())
    assert t["source_id"].tolist() == ["b", "z", "a"]
    assert t["official"].tolist() == [False, True, False]
    assert t["low"].tolist() == [9, 9, 5] and t["high"].tolist() == [9, 9, 8]


def test_the_official_headline_is_the_highest_current_official_reading():
    r = pd.DataFrame({
        "event_id": ["x"] * 3, "source_id": ["a", "b", "c"], "title": "X",
        "date_best": T("2020-02-10"), "low": [33, 30, 31], "high": [33, 30, 31],
        "value_best": pd.array([33, 30, NA], dtype="Int64"),
        "superseded_by": pd.array([NA] * 3, dtype=object),
        "claimant": ["Hatay governor", "Erdogan", "Akar"], "evidence": ""})
    s = pd.DataFrame({"source_id": ["a", "b", "c"], "reliability": ["D", "E", "F"]})
    h = cost.headlines(r, s).iloc[0]
    # Officials however graded: 33, 30 and a range starting at 31; the highest is 33.
    assert (h["headline"], h["basis"]) == (33.0, "official")


def test_cumulative_adds_no_row_when_the_last_incident_is_on_the_end_day():
    h = pd.DataFrame({"date_best": pd.to_datetime(["2020-02-03"]), "headline": [8.0]})
    assert cost.cumulative(h, T("2020-02-03"))["date"].tolist() == [T("2020-02-03")]
    later = cost.cumulative(h, T("2020-02-04"))
    assert later["date"].tolist() == [T("2020-02-03"), T("2020-02-04")]
    assert later["headline"].tolist() == [8.0, 8.0] and later.index.tolist() == [0, 1]


def test_incidents_on_one_day_keep_the_data_order():
    # Seventeen incidents on three days for the headlines (each costs a few milliseconds),
    # forty for the running total: more than sixteen, so an unstable sort would reorder the
    # ties (numpy sorts short arrays stably whatever the kind).
    def days(n):
        return [(i * 7) % 3 for i in range(n)]

    def order(n):
        return sorted(range(n), key=lambda i: (days(n)[i], i))  # by day, then as given

    n = 17
    r = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(n)], "source_id": "a", "title": "X",
        "date_best": T("2020-02-01") + pd.to_timedelta(days(n), "D"),
        "low": list(range(n)), "high": list(range(n)),
        "value_best": pd.array(range(n), dtype="Int64"),
        "superseded_by": pd.array([NA] * n, dtype=object), "claimant": "Erdogan",
        "evidence": ""})
    h = cost.headlines(r, pd.DataFrame({"source_id": ["a"], "reliability": ["B"]}))
    assert h["event_id"].tolist() == [f"e{i}" for i in order(n)]
    n = 40
    c = cost.cumulative(pd.DataFrame({"date_best": T("2020-02-01") + pd.to_timedelta(days(n),
                                                                                     "D"),
                                      "headline": [float(i) for i in range(n)]}),
                        T("2020-02-03"))
    running, total = [], 0.0
    for i in order(n):
        total += i
        running.append(total)
    assert c["headline"].tolist() == running


def test_latest_readings_reach_back_seven_days_and_no_more():
    r = pd.DataFrame({"date_ref": pd.to_datetime(["2020-02-20", "2020-02-21", "2020-02-28"])})
    # 28 Feb − 7 days = 21 Feb: the 21st is in, the 20th (eight days back) is not.
    assert cost.latest_readings(r)["date_ref"].dt.day.tolist() == [21, 28]
