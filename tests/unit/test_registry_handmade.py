"""The UCDP GED quantities of the registry, on the hand-made extract of tests/handmade_ged.py
beside the hand-made window of tests/handmade.py: which editions state them, their labels,
texts, n and intervals, worked out by hand (the comments say how). Rows are fixtures."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import handmade
import handmade_ged
import numpy as np
import pandas as pd
import pytest

from rusturk.analysis import registry, ucdp
from rusturk.analysis.registry import Quantity, Registry, compute, describe
from rusturk.analysis.window import Window
from rusturk.data.dataset import Dataset

T = pd.Timestamp
GED_SOURCE = ("ucdp-ged-syria-191",)


def _dataset(ged: pd.DataFrame) -> Dataset:
    """The hand-made January 2020 dataset with the GED extract and its curated events."""
    events = pd.concat([handmade.events(), handmade_ged.events()], ignore_index=True)
    return Dataset(Path("unused"), events, handmade.sources(), handmade.figures(),
                   pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), ucdp_ged=ged)


@pytest.fixture(scope="module")
def extract() -> pd.DataFrame:
    return handmade_ged.ged()


def test_an_edition_past_ged_s_end_states_its_quantities(extract):
    reg = compute(Window(_dataset(extract), T("2020-01-01"), T("2020-01-31")))
    # The window's own numbers are still there (tests/unit/test_registry.py counts them), each
    # with the words a reader sees beside it: e3 is the deadliest incident (5), e2 the next (3),
    # the UN's last displacement reading is of 28 January.
    assert reg["analysed_events"].value == 4
    labels = {
        "analysed_events": "analysed state acts", "mean_score": "mean Goldstein score",
        "net_cooperation": "net cooperation share", "cooperative_events": "cooperative acts",
        "conflictual_events": "conflictual acts",
        "rus_tur_cooperation": "Russia–Turkey cooperative acts",
        "rus_tur_conflict": "Russia–Turkey material-conflict acts",
        "syr_tur_conflict": "Syria–Turkey material-conflict acts",
        "turkish_deaths": "Turkish soldiers killed, by the headline rule",
        "incidents": "incidents with Turkish military deaths",
        "deadliest_headline": "Turkish soldiers killed in the deadliest incident (Event e3)",
        "deadliest_low": "lowest reading of the deadliest incident (Event e3)",
        "deadliest_high": "highest reading of the deadliest incident (Event e3)",
        "deadliest_sources": "sources reading the deadliest incident (Event e3)",
        "runner_up_headline": "Turkish soldiers killed in the next deadliest incident (Event e2)",
        "displaced": "people displaced since December 2019, by 28 Jan 2020"}
    assert {k: reg[k].label for k in labels} == labels
    counts = {k: reg[k].counts for k in labels}
    assert counts == {k: "incidents" if k in ("turkish_deaths", "incidents")
                      else "analysed events" for k in labels}
    assert reg["deadliest_low"].text == "5" and reg["deadliest_low"].n == 2  # two readings
    assert reg["deadliest_high"].n == 2 and reg["deadliest_sources"].text == "2"
    assert reg["deadliest_low"].rows == reg["deadliest_high"].rows
    assert set(reg["deadliest_low"].rows) == {"off", "wire"}
    assert set(reg["incidents"].rows) == {"e2", "e3"} and reg["incidents"].text == "2"
    assert reg["runner_up_headline"].rows == ("wire", "wire2", "blog")
    ged = {k for k in reg.quantities if k.startswith("ged_")}
    years = {f"ged_idlib_{m}_{y}" for y in (2016, 2017, 2018, 2019)
             for m in ("events", "best", "low", "high")}
    assert ged == years | {
        "ged_curated_compared", "ged_curated_same_place", "ged_sochi_before_mean",
        "ged_sochi_after_mean", "ged_sochi_change", "ged_sochi_change_share",
        "ged_sochi_change_3m", "ged_sochi_change_9m", "ged_sochi_quiet_months",
        "ged_its_pre_slope", "ged_its_level_change", "ged_its_slope_change",
        "ged_offensive_mean", "ged_offensive_change", "ged_end", "ged_sochi_months"}
    # Idlib's 2018: 14 rows, best 2,359 (handmade_ged.py); no interval, the release's source.
    best = reg["ged_idlib_best_2018"]
    assert (best.value, best.text, best.n, best.sampled) == (2359.0, "2,359", 14, False)
    assert best.label == "ged_idlib_best_2018"  # no note, no short label: its name
    assert best.rows == GED_SOURCE and best.interval_text == "n = 14"
    assert reg["ged_idlib_best_2019"].label == "2019 through 30 November"
    # Before Sochi: 100 a month for six months, every resample 100.
    before = reg["ged_sochi_before_mean"]
    assert (before.value, before.text, before.n, before.low, before.high) == (
        100.0, "100.0", 6, 100.0, 100.0)
    assert before.sampled and before.rows == GED_SOURCE
    assert before.label == "deaths a month in Idlib before the Sochi memorandum (UCDP GED)"
    assert reg.texts()["interval:ged_sochi_before_mean"] == (
        "95% interval +100.00 to +100.00, n = 6")
    change = reg["ged_sochi_change"]
    assert (change.value, change.text, change.n) == (-65.0, "−65.0", 12)
    assert change.label == "change in deaths a month, after minus before (UCDP GED)"
    assert change.sampled and change.low < -65 < change.high
    assert reg["ged_sochi_after_mean"].label == (
        "deaths a month in Idlib after the Sochi memorandum (UCDP GED)")
    assert reg["ged_its_slope_change"].label == (
        "change in the monthly trend of deaths after Sochi (UCDP GED)")
    assert reg["ged_offensive_mean"].label == (
        "deaths a month in Idlib in the 2019 offensive (UCDP GED)")
    assert reg["ged_offensive_change"].label == (
        "offensive months minus the months after Sochi (UCDP GED)")
    assert reg["ged_sochi_change_share"].label == "the change as a share of the before-mean"
    assert reg["ged_sochi_change_share"].text == "−65%"
    quiet = reg["ged_sochi_quiet_months"]
    assert (quiet.value, quiet.text, quiet.n, quiet.sampled) == (6.0, "6", 6, False)
    end = reg["ged_end"]
    assert np.isnan(end.value) and (end.text, end.n, end.counts, end.rows) == (
        "30 Nov 2019", 0, "", ())
    assert end.label == "the last day UCDP GED's release covers"
    months = reg["ged_sochi_months"]
    assert (months.value, months.text, months.n, months.counts) == (6.0, "6", 6, "")
    assert months.label == "months on each side of the Sochi test"
    assert describe(months) == "months on each side of the Sochi test: 6; n = 6"


def _findings_once(monkeypatch) -> list[int]:
    """Replace ucdp.findings with three hand-made findings; count the calls."""
    calls: list[int] = []

    def fake(ged, events, months=ucdp.SOCHI_MONTHS):
        calls.append(len(ged))
        return {
            "ged_sochi_before_mean": ucdp.Finding("ged_sochi_before_mean", 12.3, 6, "months",
                                                  10.0, 14.5, note="ignored: a short label"),
            "ged_x_change": ucdp.Finding("ged_x_change", -3.0, 9, "months", -4.0,
                                         float("nan"), note="a note"),
            "ged_y": ucdp.Finding("ged_y", 1234.0, 7, "events", float("nan"), 5.0),
        }

    monkeypatch.setattr(ucdp, "findings", fake)
    return calls


def _ged_of(ds, known_by: str) -> Registry:
    reg = Registry(T("2020-01-01"), T("2020-01-31"))
    registry._ged(reg, Window(ds, T("2020-01-01"), T("2020-01-31")), T(known_by))
    return reg


def test_each_finding_becomes_a_quantity_with_its_text_and_label(monkeypatch, extract):
    calls = _findings_once(monkeypatch)
    ds = _dataset(extract)
    reg = _ged_of(ds, "2019-11-30")  # GED's last day: the edition reaches it
    assert list(reg.quantities) == ["ged_sochi_before_mean", "ged_x_change", "ged_y",
                                    "ged_end", "ged_sochi_months"]
    q = reg["ged_sochi_before_mean"]
    assert (q.label, q.value, q.text, q.n, q.low, q.high, q.sampled, q.rows) == (
        "deaths a month in Idlib before the Sochi memorandum (UCDP GED)", 12.3, "12.3", 6,
        10.0, 14.5, True, GED_SOURCE)
    assert q.interval_text == "95% interval +10.00 to +14.50, n = 6"
    # A change carries its sign; an interval with one end missing is no interval.
    x = reg["ged_x_change"]
    assert (x.label, x.text, x.n, x.sampled, x.low) == ("a note", "−3.0", 9, False, -4.0)
    assert np.isnan(x.high) and x.bounds == ""
    y = reg["ged_y"]
    assert (y.label, y.text, y.n, y.sampled, y.high) == ("ged_y", "1,234", 7, False, 5.0)
    assert calls == [len(extract)]
    # The same dataset again: computed once, its quantities the same.
    again = _ged_of(ds, "2020-03-01")
    assert calls == [len(extract)] and again.texts() == reg.texts()
    # Another dataset is computed on its own.
    other = _dataset(extract.iloc[:5])
    assert _ged_of(other, "2020-03-01")["ged_y"].text == "1,234"
    assert calls == [len(extract), 5]


def test_editions_before_ged_s_end_or_without_an_extract_state_none(monkeypatch, extract):
    calls = _findings_once(monkeypatch)
    assert _ged_of(_dataset(extract), "2019-11-29").quantities == {}  # a day short
    assert _ged_of(_dataset(extract.iloc[:0]), "2020-03-01").quantities == {}
    bare = SimpleNamespace(events=handmade.events())  # a dataset with no GED table at all
    assert _ged_of(bare, "2020-03-01").quantities == {}
    assert calls == []


# -- Quantity and Registry: the words a reader sees --------------------------------------------

def test_bounds_print_readings_rounded_with_separators_and_intervals_signed():
    assert Quantity("k", "killed", 3, "3", 2, 1234.4, 5678.6).bounds == "readings 1,234 to 5,679"
    assert Quantity("m", "mean", 0, "0", 2, -0.006, 0.124, sampled=True).bounds == (
        "95% interval −0.01 to +0.12")
    assert Quantity("h", "half", 1, "1", 1, high=2.0).bounds == ""
    assert Quantity("n", "n", 1, "1", 12345).interval_text == "n = 12,345"


def test_a_registry_names_its_period_in_the_duplicate_s_message():
    reg = Registry(T("2016-06-27"), T("2016-12-31"))
    reg.add(Quantity("a", "a", 1, "1", 1))
    reg.add(Quantity("a", "other label", 1.0, "1", 5))  # the same text: kept, replaced
    assert reg["a"].n == 5
    with pytest.raises(registry.DuplicateQuantity) as raised:
        reg.add(Quantity("a", "a", 1.2, "1.2", 1))
    assert str(raised.value) == "a is 1 and 1.2 in 27 Jun 2016 to 31 Dec 2016"
    assert 1 not in reg and "a" in reg


def test_displacement_readings_on_the_window_s_first_and_last_days_count():
    # 22–28 January: the UN's readings of the 22nd (100 to 200) and of the 28th (300) both
    # lie inside; no analysed event (e5 is an accident, e6 not the dyad).
    reg = compute(handmade.window("2020-01-22", "2020-01-28"))
    q = reg["displaced"]
    assert (q.value, q.text, q.n, q.low, q.high) == (300.0, "300", 2, 100.0, 300.0)
    assert q.rows == ("un1", "un2") and q.label.endswith("by 28 Jan 2020")
    assert reg["analysed_events"].value == 0 and reg["incidents"].value == 0
