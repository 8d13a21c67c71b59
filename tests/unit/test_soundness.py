"""The analysis rules on small hand-made frames whose answers are known, and on the bundled
data: support before claims, seeded bootstrap, the casualty rule, the periodisation test,
and values that do not change with the window."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rusturk.analysis import cost, eventset, findings, measures, periodisation, stats
from rusturk.analysis.window import Window

# Checks of the bundled data folder: the `data` tier.
pytestmark = pytest.mark.data

# -- support and the bootstrap ------------------------------------------------------------------


def test_the_bootstrap_is_seeded_and_brackets_the_mean():
    values = [-10.0, -10.0, 8.0, 1.0, 4.0, 7.0, -2.0, 3.4, 1.9, 7.4]
    first, second = stats.bootstrap_mean(values), stats.bootstrap_mean(values)
    assert first == second
    assert first.low < np.mean(values) < first.high and first.n == 10
    assert stats.bootstrap_mean(values, seed=stats.SEED + 1) != first, "the seed is used"


def test_the_bootstrap_interval_on_cases_known_by_hand():
    # Two values: a resample's mean is 0, 0.5 or 1 with chances 1/4, 1/2, 1/4, so the 2.5th
    # and 97.5th percentiles of 2,000 resampled means are the extremes 0 and 1.
    two = stats.bootstrap_mean([0.0, 1.0])
    assert (two.mean, two.low, two.high, two.n) == (0.5, 0.0, 1.0, 2)
    # Every value alike: every resample has the same mean.
    same = stats.bootstrap_mean([3.0] * 12)
    assert (same.low, same.high) == (3.0, 3.0)
    # A large sample: the percentile interval is close to the normal one, mean ± 1.96 s/√n.
    x = np.random.default_rng(7).normal(2.0, 4.0, 400)
    e = stats.bootstrap_mean(x)
    half = 1.959964 * x.std(ddof=0) / np.sqrt(len(x))
    assert e.low == pytest.approx(x.mean() - half, abs=0.1 * half)
    assert e.high == pytest.approx(x.mean() + half, abs=0.1 * half)
    # The difference of two groups: constant groups give a zero-width interval at a − b;
    # groups of two span the four extreme differences.
    d = stats.difference([5.0] * 12, [2.0] * 12)
    assert (d.value, d.low, d.high, d.distinguishable) == (3.0, 3.0, 3.0, True)
    d = stats.difference([0.0, 1.0], [0.0, 1.0])
    assert (d.low, d.high, d.distinguishable) == (-1.0, 1.0, False)


def test_no_interval_and_no_ranking_below_the_threshold():
    assert np.isnan(stats.bootstrap_mean([4.0]).low)
    few = {"a": [8.0] * (stats.MIN_EVENTS - 1), "b": [-8.0] * 30}
    assert stats.ranked(few) is None
    enough = {"a": [8.0, 7.0] * stats.MIN_EVENTS, "b": [-8.0, -7.0] * stats.MIN_EVENTS}
    assert stats.ranked(enough) == "a" and stats.ranked(enough, highest=False) == "b"


def test_overlapping_groups_cannot_be_told_apart():
    rng = np.random.default_rng(1)
    a, b = list(rng.normal(0, 5, 30)), list(rng.normal(0.2, 5, 30))
    assert not stats.difference(a, b).distinguishable
    assert stats.ranked({"a": a, "b": b}) is None


def test_net_cooperation_share_and_monthly_counts_by_hand():
    e = pd.DataFrame({"date_best": pd.to_datetime(["2020-02-03", "2020-02-05", "2020-02-27",
                                                   "2020-03-05"]),
                      "quad_class": [4, 3, 4, 1], "goldstein": [-10.0, -7.0, -10.0, 8.0]})
    m = measures.monthly(e, pd.Timestamp("2020-02-01"), pd.Timestamp("2020-03-31"))
    assert m["events"].tolist() == [3, 1]
    assert m["net_cooperation_share"].tolist() == [-1.0, 1.0]
    assert m["mean_goldstein"].round(2).tolist() == [-9.0, 8.0]


# -- the casualty rule -------------------------------------------------------------------------

def readings(rows):
    frame = pd.DataFrame(rows, columns=["event_id", "source_id", "value_best", "superseded_by",
                                        "claimant", "evidence"])
    frame["title"], frame["date_best"] = "X", pd.Timestamp("2020-02-27")
    frame["low"] = frame["high"] = frame["value_best"]
    return frame


SOURCES = pd.DataFrame({"source_id": ["wire", "state", "blog", "mirror"],
                        "reliability": ["B", "C", "D", "D"]})


def test_the_headline_is_the_highest_official_reading_not_superseded():
    r = readings([["x", "state", 22, "wire", "Hatay governor, first count", ""],
                  ["x", "wire", 33, pd.NA, "Hatay governor", ""],
                  ["x", "blog", 100, pd.NA, pd.NA, "sources close to Turkey say"]])
    h = cost.headlines(r, SOURCES).iloc[0]
    assert (h.headline, h.basis, h.low, h.high, h.sources, h.superseded) == (
        33, "official", 22, 100, 3, 1)


def test_without_an_official_reading_the_median_of_graded_readings():
    r = readings([["x", "wire", 4, pd.NA, pd.NA, "four soldiers"],
                  ["x", "state", 6, pd.NA, pd.NA, "six soldiers"],
                  ["x", "blog", 50, pd.NA, pd.NA, "fifty"]])
    h = cost.headlines(r, SOURCES).iloc[0]
    assert (h.headline, h.basis) == (5, "median of graded readings")


def test_without_official_or_graded_readings_no_headline():
    r = readings([["x", "blog", 50, pd.NA, pd.NA, "fifty"]])
    h = cost.headlines(r, SOURCES).iloc[0]
    assert np.isnan(h.headline) and h.basis.startswith("no reading")


def test_running_tallies_are_kept_apart_from_incidents(window_full):
    incident = cost.incident_readings(window_full.ds.figures, window_full.ds.events)
    tallies = cost.running_tallies(window_full.ds.figures, window_full.ds.events)
    assert set(incident.index).isdisjoint(tallies.index)
    assert "idlib-offensive" not in set(incident["event_id"])


# -- the periodisation test --------------------------------------------------------------------

def test_breaks_are_deterministic_and_only_beat_noise():
    months = pd.date_range("2016-01-01", periods=36, freq="MS")
    rng = np.random.default_rng(3)
    noise = pd.DataFrame({"cooperation": rng.poisson(2, 36), "conflict": rng.poisson(1, 36)},
                         index=months)
    assert periodisation.breaks(noise).equals(periodisation.breaks(noise))
    assert len(periodisation.breaks(noise)) == 0
    step = noise.copy()
    step.iloc[24:, 1] += 6
    found = periodisation.breaks(step).set_index("month")
    assert months[24] in found.index and found.loc[months[24], "p_value"] < 0.01


def test_a_break_in_a_single_series_is_found_where_it_is_not_at_the_end():
    """The stream's shape: one column (a mean score), a step after month 7 of 12. A method
    that answered the last month, or the first allowed, would miss it."""
    months = pd.date_range("2016-05-01", periods=12, freq="MS")
    series = pd.DataFrame({"mean": [2.0, 2.5, 1.5, 2.0, 2.5, 1.5, 2.0,
                                    -6.0, -5.5, -6.5, -6.0, -5.5]}, index=months)
    found = periodisation.breaks(series)
    assert found["month"].tolist() == [pd.Timestamp("2016-12-01")]
    assert (found["before"].iloc[0], found["after"].iloc[0]) == (2.0, -5.9)


def test_a_boundary_matches_a_break_at_most_the_tolerance_away():
    tolerance = periodisation.TOLERANCE_DAYS
    assert tolerance == 60
    boundary = pd.Timestamp("2020-01-01")
    candidates = pd.DataFrame({"boundary": ["a", "b", "c"], "kind": ["curated"] * 3,
                               "date": [boundary, boundary + pd.Timedelta(days=1),
                                        pd.Timestamp("2021-06-01")]})
    detected = pd.Series([boundary + pd.Timedelta(days=60), pd.Timestamp("2021-01-01")])
    table = periodisation.compare(candidates, detected)
    assert table["gap_days"].tolist() == [60, 59, -151]
    assert table["matched"].tolist() == [True, True, False]
    assert periodisation.compare(candidates, pd.Series([], dtype="datetime64[ns]"))[
        "matched"].tolist() == [False, False, False]


# -- window invariance ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def window_full() -> Window:
    return Window.load("", "2015-11-24", "2020-03-31")


@pytest.fixture(scope="module")
def window_feb() -> Window:
    return Window.load("", "2020-02-01", "2020-02-29")


def test_the_index_shows_the_same_value_for_a_day_in_any_window(window_full, window_feb):
    full = findings.index_history(window_full, 180, True).set_index("event_id")["smoothed"]
    feb = findings.index_history(window_feb, 180, True).set_index("event_id")["smoothed"]
    assert len(feb) and feb.to_dict() == full.loc[feb.index].to_dict()


def test_monthly_counts_do_not_change_with_the_window(window_full, window_feb):
    full = findings.monthly_counts(window_full, True)
    feb = findings.monthly_counts(window_feb, True)
    assert feb.equals(full.loc[feb.index])


def test_cumulative_losses_do_not_change_with_the_window(window_full, window_feb):
    full = findings.idlib_figures(window_full)["cumulative"]
    feb = findings.idlib_figures(window_feb)["cumulative"]
    end = pd.Timestamp("2020-02-29")
    inside = feb[feb["date"] < end].reset_index(drop=True)
    same = full[(full["date"] >= window_feb.start) & (full["date"] < end)].reset_index(drop=True)
    assert len(inside) and inside.to_dict("records") == same.to_dict("records")
    assert feb["date"].max() == end, "the chart runs to the window's end"


def test_phase_statistics_cover_whole_phases_whatever_the_window(window_full, window_feb):
    full = findings.phase_table(window_full, True).set_index("phase_id")
    feb = findings.phase_table(window_feb, True).set_index("phase_id")
    assert feb.equals(full.loc[feb.index])


def test_every_statistic_uses_the_one_analysed_set(window_full):
    # The two events the codebook keeps out of the set by name (an individual's act, an
    # accident), and an independent count of the set straight from events.csv.
    import csv

    from checkout import REPO_ROOT

    with (REPO_ROOT / "data" / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sides = {"RUS", "SYR"}
    expected = sum(1 for r in rows if r["intent"] != "accidental" and (
        (r["actor_initiator"] == "TUR" and r["actor_target"] in sides)
        or (r["actor_initiator"] in sides and r["actor_target"] == "TUR")))
    ids = {r["event_id"] for r in rows}
    assert {"karlov-assassination", "albab-friendly-fire"} <= ids
    analysed = eventset.analysed(window_full.ds.events, True)
    assert "karlov-assassination" not in set(analysed["event_id"])
    assert "albab-friendly-fire" not in set(analysed["event_id"])
    assert len(analysed) == expected
    table = findings.phase_table(window_full, True)
    assert table["events"].sum() == expected
    assert findings.overview_figures(window_full, 180, True)["dyad_events"] == expected


# -- the crisis comparison -----------------------------------------------------------------------

def test_the_crisis_comparison_keeps_verbal_conflict_apart_from_material():
    """One hand-made phase: Russia–Turkey events of each kind, Syria–Turkey events of two, and
    events outside the phase or the analysed set, which count nowhere."""
    from types import SimpleNamespace

    def event(ini, tgt, quad, day="2020-02-10", intent="deliberate"):
        return {"actor_initiator": ini, "actor_target": tgt, "quad_class": quad,
                "intent": intent, "date_best": pd.Timestamp(day)}

    events = pd.DataFrame([
        event("RUS", "TUR", 4), event("TUR", "RUS", 3), event("TUR", "RUS", 3),
        event("RUS", "TUR", 1), event("TUR", "RUS", 2),
        event("SYR", "TUR", 4), event("TUR", "SYR", 4), event("SYR", "TUR", 3),
        event("RUS", "TUR", 4, intent="accidental"),  # an accident: out of the set
        event("RUS", "TUR", 4, day="2020-04-01"),  # after the phase
        event("USA", "TUR", 4),  # not the dyad
    ])
    phases = pd.DataFrame({"phase_id": ["crisis"], "name": ["Crisis"],
                           "start": [pd.Timestamp("2020-02-01")],
                           "end": [pd.Timestamp("2020-02-29")], "duration_days": [29]})
    w = SimpleNamespace(ds=SimpleNamespace(events=events, phases=phases))
    row = findings.crisis_comparison(w, True, ["crisis", "unknown"]).to_dict("records")
    assert row == [{"phase_id": "crisis", "name": "Crisis", "days": 29, "rus_tur_events": 5,
                    "rus_tur_material_conflict": 1, "rus_tur_verbal_conflict": 2,
                    "rus_tur_cooperation": 2, "syr_tur_material_conflict": 2}]
