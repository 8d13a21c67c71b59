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
    # An independent percentile bootstrap with the same seed and draws gives the same bounds.
    rng = np.random.default_rng(stats.SEED)
    data = np.array(values)
    means = data[rng.integers(0, 10, size=(stats.REPLICATES, 10))].mean(axis=1)
    assert (first.low, first.high) == pytest.approx(tuple(np.percentile(means, [2.5, 97.5])))


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
    analysed = eventset.analysed(window_full.ds.events, True)
    assert "karlov-assassination" not in set(analysed["event_id"])
    assert "albab-friendly-fire" not in set(analysed["event_id"])
    table = findings.phase_table(window_full, True)
    assert table["events"].sum() == len(analysed)
    assert findings.overview_figures(window_full, 180, True)["dyad_events"] == len(analysed)
