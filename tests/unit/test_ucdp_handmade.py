"""UCDP GED's series, yearly totals, Sochi test, segmented regression and triangulation on the
hand-made extract of tests/handmade_ged.py: every expected value is worked out by hand (the
comments say how) or by an independent computation (separate line fits, a double-sum
Newey–West), never by the module under test."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from handmade_ged import (
    ASTANA,
    HAMA,
    IDLIB,
    OFFENSIVE,
    SOCHI,
    USA_GOV,
    events,
    ged,
    row,
)

from rusturk.analysis import stats, ucdp

T = pd.Timestamp
MS = pd.date_range


@pytest.fixture(scope="module")
def extract() -> pd.DataFrame:
    return ged()


@pytest.fixture(scope="module")
def curated() -> pd.DataFrame:
    return events()


def typed(rows: list[dict[str, str]]) -> pd.DataFrame:
    """GED rows with the types the triangulation reads (cheaper than the full typing)."""
    frame = pd.DataFrame(rows)
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("ged_id", "best", "low", "high", "year"):
        frame[column] = frame[column].astype(int)
    return frame


def months(first: str, last: str) -> list[pd.Timestamp]:
    return list(pd.date_range(first, last, freq="MS"))


# -- span ---------------------------------------------------------------------------------------

def test_covers_is_inclusive_at_both_ends_of_the_span():
    assert ucdp.covers(T("2015-12-01"), T("2016-01-01"))  # ends on GED's first day
    assert not ucdp.covers(T("2015-12-01"), T("2015-12-31"))
    assert ucdp.covers(T("2019-11-30"), T("2019-12-31"))  # starts on GED's last day
    assert not ucdp.covers(T("2019-12-01"), T("2019-12-31"))
    assert ucdp.covers(T("2015-01-01"), T("2020-12-31"))  # spans the whole release


def test_months_span_is_january_2016_to_november_2019():
    span = ucdp.months_span()
    assert len(span) == 4 * 12 - 1  # 2016–2018 and eleven months of 2019
    assert (span[0], span[-1]) == (T("2016-01-01"), T("2019-11-01"))


# -- the monthly series ---------------------------------------------------------------------------

def test_with_month_places_only_rows_inside_one_month(extract):
    placed = ucdp.with_month(extract).set_index("ged_id")["month"]
    assert placed[17] == T("2018-04-01")  # 1–30 April: inside April
    assert placed[20] == T("2018-08-01")  # 31 August
    assert placed[1] == T("2016-01-01")  # GED's first day
    assert pd.isna(placed[2]) and pd.isna(placed[19]) and pd.isna(placed[36])  # span months
    assert "month" not in extract.columns, "the input frame is left as it was"


def test_monthly_counts_idlib_rows_placed_in_one_month(extract):
    m = ucdp.monthly(extract)
    assert m.columns.tolist() == ["events", "best", "low", "high"]
    assert m.index.name == "month" and len(m) == 47
    assert m.index[0] == T("2016-01-01") and m.index[-1] == T("2019-11-01")
    assert all(str(t).startswith("int") for t in m.dtypes)
    assert m.loc["2016-01-01"].tolist() == [1, 5, 4, 7]  # row 1; row 2 spans into February
    assert m.loc["2016-02-01"].tolist() == [1, 3, 2, 6]  # row 3 alone
    assert m.loc["2018-03-01"].tolist() == [2, 100, 80, 130]  # 60 + 40, low 50 + 30, 70 + 60
    assert m.loc["2018-04-01"].tolist() == [1, 100, 99, 102]  # Hama's 777 is not Idlib's
    assert m.loc["2018-05-01"].tolist() == [1, 100, 99, 102]  # the 999 spanning May–June out
    assert m.loc["2018-09-01"].tolist() == [1, 500, 499, 502]
    assert m.loc["2019-11-01"].tolist() == [1, 200, 199, 202]  # row 36 runs into December
    assert m.loc["2016-07-01"].tolist() == [0, 0, 0, 0]
    # Every Idlib best less the three spanning rows: 16 − 8 + 404 + 2,359 − 999 + 1,657 − 7.
    assert m["best"].sum() == 3422
    assert m["events"].sum() == 3 + 5 + 14 + 12 - 3


def test_monthly_of_another_governorate_and_of_none(extract):
    hama = ucdp.monthly(extract, HAMA)
    assert hama.loc["2016-01-01"].tolist() == [1, 50, 49, 52]
    assert hama.loc["2018-04-01"].tolist() == [1, 777, 776, 779]
    assert hama.loc["2018-10-01"].tolist() == [1, 3, 2, 5]
    assert hama["best"].sum() == 50 + 777 + 3
    # Only rows that span months: every month is zero, the columns are still there.
    spanning = ucdp.monthly(extract[extract["ged_id"].isin([2, 19, 36])])
    assert spanning.columns.tolist() == ["events", "best", "low", "high"]
    assert len(spanning) == 47 and int(spanning.to_numpy().sum()) == 0
    assert spanning.index.name == "month"
    assert all(str(t).startswith("int") for t in spanning.dtypes)


def test_monthly_by_violence_and_by_side(extract):
    by = ucdp.monthly_by(extract, "violence")
    assert by.columns.tolist() == ["month", "group", "events", "best"]
    march = by[by["month"] == T("2018-03-01")].set_index("group")
    assert march["best"].to_dict() == {"state-based": 60, "non-state": 40}
    assert march["events"].to_dict() == {"state-based": 1, "non-state": 1}
    totals = by.groupby("group")["best"].sum().to_dict()
    # One-sided: row 5 (4); non-state: rows 3 and 16 (3 + 40); the rest state-based.
    assert totals == {"one-sided": 4, "non-state": 43, "state-based": 3422 - 47}
    side = ucdp.monthly_by(extract, "side")
    totals = side.groupby("group")["best"].sum().to_dict()
    assert totals == {"Government of Turkey": 4, USA_GOV: 100,
                      "armed groups (non-state)": 43, "Government of Syria": 3422 - 147}
    assert side["events"].sum() == 34 - 3  # Idlib's rows less the three spanning months
    hama = ucdp.monthly_by(extract, "violence", HAMA)  # 50, 777 and 3, all state-based
    assert hama["group"].tolist() == ["state-based"] * 3 and hama["best"].sum() == 830
    with pytest.raises(ValueError, match=r"^by must be 'violence' or 'side', got 'colour'$"):
        ucdp.monthly_by(extract, "colour")


def test_monthly_deaths_by_party(extract):
    got = ucdp.monthly_deaths_by_party(extract)
    jan = got[got["month"] == T("2016-01-01")].set_index("party")["deaths"].to_dict()
    assert jan == {"side A": 2, "side B": 1, "civilians": 2, "unknown": 0}  # row 1 only
    feb = got[got["month"] == T("2016-02-01")].set_index("party")["deaths"].to_dict()
    assert feb == {"side A": 1, "side B": 1, "civilians": 0, "unknown": 1}  # row 3 only
    assert got["deaths"].dtype.kind == "i", "deaths are whole numbers"


def test_yearly_keeps_every_idlib_row_and_counts_the_exceptions(extract):
    years = ucdp.yearly(extract)
    expected = pd.DataFrame(
        # events, best, low, high, spanning months, bounds out of order, worked out in
        # handmade_ged.py's rows (low is best − 1 and high best + 2 unless given):
        # 2016: rows 1–3; 2017: rows 5–9, row 5's low above its best; 2018: 14 rows with
        # the 999 that spans May–June; 2019: 12 rows with the 7 that runs into December.
        [[3, 16, 14, 21, 1, 0], [5, 404, 401, 412, 0, 1], [14, 2359, 2327, 2413, 1, 0],
         [12, 1657, 1646, 1679, 1, 0]],
        index=pd.Index([2016, 2017, 2018, 2019], name="year"),
        columns=["events", "best", "low", "high", "spanning_months", "bounds_out_of_order"])
    pd.testing.assert_frame_equal(years, expected, check_dtype=False, check_index_type=False)
    assert years.index.dtype.kind == "i"
    hama = ucdp.yearly(extract, HAMA)
    assert hama.index.tolist() == [2016, 2018] and hama["best"].tolist() == [50, 780]


def test_markers_are_the_three_curated_events_in_date_order(curated):
    m = ucdp.markers(curated)
    assert m.columns.tolist() == ["event_id", "label", "date"]
    assert m["event_id"].tolist() == [ASTANA, SOCHI, OFFENSIVE]
    assert m["label"].tolist() == ["Astana de-escalation zones", "Sochi memorandum",
                                   "2019 offensive begins"]
    assert m["date"].tolist() == [T("2017-05-04"), T("2018-09-17"), T("2019-04-30")]
    assert m.index.tolist() == [0, 1, 2]
    two = ucdp.markers(curated[curated["event_id"] != ASTANA])
    assert two["event_id"].tolist() == [SOCHI, OFFENSIVE]


# -- the Sochi test -------------------------------------------------------------------------------

def test_before_after_takes_full_months_either_side(extract):
    series = ucdp.monthly(extract)
    t = ucdp.before_after(series, T("2018-09-17"), 3)
    assert t.covered and t.months == 3 and t.date == T("2018-09-17")
    assert t.before.index.tolist() == months("2018-06-01", "2018-08-01")
    assert t.after.index.tolist() == months("2018-10-01", "2018-12-01")
    d = t.difference
    assert (d.a.mean, d.b.mean, d.value) == (20.0, 100.0, -80.0)  # (10 + 20 + 30) / 3 − 100
    assert (d.a.n, d.b.n) == (3, 3)
    # Resampled means of 10, 20, 30 lie in [10, 30], of 100 at 100: the difference in
    # [−90, −70].
    assert -90 <= d.low < -80 < d.high <= -70


def test_before_after_is_not_computed_outside_the_span(extract):
    series = ucdp.monthly(extract)
    early = ucdp.before_after(series, T("2016-03-31"), 3)  # before: Dec 2015 to Feb 2016
    assert not early.covered and early.difference is None
    assert (early.months, early.date) == (3, T("2016-03-31"))
    assert early.before.index.tolist() == months("2015-12-01", "2016-02-01")
    late = ucdp.before_after(series, T("2019-10-01"), 3)  # after: Nov 2019 to Jan 2020
    assert not late.covered
    assert late.after.index.tolist() == months("2019-11-01", "2020-01-01")
    # At the edges: Jan–Mar 2016 and Sep–Nov 2019 both lie inside.
    first = ucdp.before_after(series, T("2016-04-01"), 3)
    assert first.covered and first.difference.b.mean == pytest.approx(8 / 3)  # 5, 3, 0
    last = ucdp.before_after(series, T("2019-08-31"), 3)
    assert last.covered and last.difference.a.mean == 200.0


def _test_at(date: str, before: stats.Estimate) -> ucdp.BeforeAfter:
    """A Sochi test whose before-interval is set by hand (no resampling)."""
    after = stats.Estimate(1.0, 0.5, 1.5, 3)
    d = stats.Difference(after, before, -99.0, 99.0)
    return ucdp.BeforeAfter(3, T(date), pd.DataFrame(), pd.DataFrame(), d)


def test_quiet_months_run_below_the_before_interval_s_lower_end():
    s = pd.DataFrame({"best": [50, 0, 5, 9.9, 10, 3, 1]},
                     index=MS("2019-05-01", periods=7, freq="MS"))
    before = stats.Estimate(20.0, 10.0, 30.0, 3)
    # Threshold 10: the month of the date (May, 0) is not counted; June 5 and July 9.9 are
    # below, August's 10 is not (a tie ends the run).
    assert ucdp.quiet_months(s, _test_at("2019-06-20", before)) == (2, False)
    # From September: its 10 ends the run at once.
    assert ucdp.quiet_months(s, _test_at("2019-08-01", before)) == (0, False)
    # From October: 3 and 1, then the series ends: at least two months.
    assert ucdp.quiet_months(s, _test_at("2019-09-15", before)) == (2, True)
    # Nothing after the last month: a run of none, cut short.
    assert ucdp.quiet_months(s, _test_at("2019-11-15", before)) == (0, True)
    bare = ucdp.BeforeAfter(3, T("2019-06-20"), pd.DataFrame(), pd.DataFrame(), None)
    assert ucdp.quiet_months(s, bare) == (0, False)


ITS_NOTE = ("segmented regression of monthly best deaths in Idlib, 12 months before September "
            "2018 to April 2019 (the offensive began on 30 April), Newey–West intervals (lag 2)")
SOCHI_NOTE = ("6 full months before and after September 2018, the month of signing left out; "
              "mean monthly best deaths in Idlib")


def test_findings_on_the_hand_made_extract(extract, curated):
    found = ucdp.findings(extract, curated)
    years = [f"ged_idlib_{m}_{y}" for y in (2016, 2017, 2018, 2019)
             for m in ("events", "best", "low", "high")]
    assert list(found) == [
        "ged_curated_compared", "ged_curated_same_place", *years, "ged_sochi_before_mean",
        "ged_sochi_after_mean", "ged_sochi_change", "ged_sochi_change_share",
        "ged_sochi_change_3m", "ged_sochi_change_9m", "ged_sochi_quiet_months",
        "ged_its_pre_slope", "ged_its_level_change", "ged_its_slope_change",
        "ged_offensive_mean", "ged_offensive_change"]
    assert all(name == f.name for name, f in found.items())

    # The triangulation: the offensive, t-post and t-none are compared (t-month is not
    # dated to the day, t-abroad is outside the governorates); t-post alone is at GED's place.
    c, s = found["ged_curated_compared"], found["ged_curated_same_place"]
    assert (c.value, c.n, c.unit) == (3.0, 3, "events")
    assert c.rows["event_id"].tolist() == [OFFENSIVE, "t-post", "t-none"]
    assert c.note == ("curated acts of force in Syria, GED's span and the extract's "
                      "governorates, dated to the day")
    assert (s.value, s.n, s.unit) == (1.0, 3, "events")
    assert s.rows["event_id"].tolist() == ["t-post"]
    assert s.note == "of them, those with a GED event at the same place within two days"

    # Yearly Idlib totals (see test_yearly_...): value, over the year's rows.
    for year, (events_, best, low, high) in {2016: (3, 16, 14, 21), 2017: (5, 404, 401, 412),
                                             2018: (14, 2359, 2327, 2413),
                                             2019: (12, 1657, 1646, 1679)}.items():
        for measure, value in zip(("events", "best", "low", "high"), (events_, best, low, high),
                                  strict=True):
            f = found[f"ged_idlib_{measure}_{year}"]
            assert (f.value, f.n, f.unit) == (value, events_, "events"), (measure, year)
            assert np.isnan(f.low) and np.isnan(f.high)
            assert len(f.rows) == events_ and set(f.rows["year"]) == {year}
            assert set(f.rows["adm_1"]) == {IDLIB}
            assert f.note == ("2019 through 30 November" if year == 2019 else "")

    # Before: Mar–Aug 2018, 100 a month (March's 60 + 40); after: Oct 2018–Mar 2019,
    # 10 … 60, mean 35; the signing month's 500 in neither.
    b, a, ch = found["ged_sochi_before_mean"], found["ged_sochi_after_mean"], found[
        "ged_sochi_change"]
    assert (b.value, b.n, b.unit, b.low, b.high) == (100.0, 6, "months", 100.0, 100.0)
    assert b.rows.index.tolist() == months("2018-03-01", "2018-08-01")
    assert (a.value, a.n, a.unit) == (35.0, 6, "months")
    assert 10 <= a.low < 35 < a.high <= 60  # resampled means of 10 … 60
    assert a.rows.index.tolist() == months("2018-10-01", "2019-03-01")
    assert b.note == a.note == SOCHI_NOTE
    assert (ch.value, ch.n, ch.unit) == (-65.0, 12, "months")
    assert -90 <= ch.low < -65 < ch.high <= -40  # after's resampled means within 10 … 60
    assert ch.rows["side"].tolist() == ["before"] * 6 + ["after"] * 6
    assert 500 not in ch.rows["best"].tolist()
    assert ch.note == SOCHI_NOTE + "; after minus before"
    share = found["ged_sochi_change_share"]
    assert (share.value, share.n, share.unit) == (-0.65, 12, "share")  # −65 / 100
    assert share.low == pytest.approx(ch.low / 100) and share.high == pytest.approx(
        ch.high / 100)
    assert share.rows.equals(ch.rows)
    assert share.note == "the change as a share of the before-mean"
    # Three months: Jun–Aug 100 against Oct–Dec 10, 20, 30; nine: Dec 2017–Aug 2018 100
    # against Oct 2018–Jun 2019, (10 + … + 60 + 100 + 200 + 200) / 9 = 710 / 9.
    m3, m9 = found["ged_sochi_change_3m"], found["ged_sochi_change_9m"]
    assert (m3.value, m3.n, m3.unit) == (-80.0, 6, "months") and -90 <= m3.low < m3.high <= -70
    assert m3.note == "as ged_sochi_change, with 3 months on each side"
    assert m3.rows["side"].tolist() == ["before"] * 3 + ["after"] * 3
    assert m9.value == pytest.approx(710 / 9 - 100) and m9.n == 18 and m9.low < m9.high
    assert m9.note == "as ged_sochi_change, with 9 months on each side"
    # Quiet: October to March lie below 100 (the before interval's low end), April's 100
    # does not: six months, the seventh row the month that ended the run.
    q = found["ged_sochi_quiet_months"]
    assert (q.value, q.n, q.unit) == (6.0, 6, "months") and np.isnan(q.low)
    assert q.rows.index.tolist() == months("2018-10-01", "2019-04-01")
    assert q.note == ("consecutive months after September 2018 below the lower end of the "
                      "before-mean's interval")
    # The segmented regression (values checked in test_segmented_...): 12 + 7 months.
    for key in ("pre_slope", "level_change", "slope_change"):
        f = found[f"ged_its_{key}"]
        assert f.n == 19 and f.unit == "months" and f.note == ITS_NOTE
        assert f.low < f.value < f.high and len(f.rows) == 19
    assert found["ged_its_slope_change"].value == pytest.approx(370 / 28 + 30 / 143)
    # The offensive: May–Nov 2019, 200 a month, against the six months after Sochi (35).
    o, oc = found["ged_offensive_mean"], found["ged_offensive_change"]
    assert (o.value, o.n, o.low, o.high, o.unit) == (200.0, 7, 200.0, 200.0, "months")
    assert o.rows.index.tolist() == months("2019-05-01", "2019-11-01")
    assert o.note == ("mean monthly best deaths in Idlib from the first full month of the "
                      "2019 offensive to November 2019, where GED ends")
    assert (oc.value, oc.n, oc.unit) == (165.0, 13, "months")
    assert 140 <= oc.low < 165 < oc.high <= 190  # 200 less resampled means within 10 … 60
    assert oc.rows["side"].tolist() == ["after Sochi"] * 6 + ["offensive"] * 7
    assert oc.note == "offensive months minus the months after Sochi"

    facts = ucdp.facts(found)
    assert facts["ged_end"] == "30 Nov 2019" and facts["ged_release"] == "652.1601.1911"
    assert facts["ged_idlib_best_2018"] == "2,359" and facts["ged_curated_compared"] == "3"
    assert facts["ged_sochi_before_mean"] == "100.0"
    assert facts["ged_sochi_before_mean_interval"] == "100.0 to 100.0"
    assert facts["ged_sochi_change"] == "−65.0" and facts["ged_sochi_change_n"] == "12"
    assert facts["ged_sochi_change_share"] == "−65%"
    assert facts["ged_sochi_change_3m"] == "−80.0" and facts["ged_sochi_change_9m"] == "−21.1"
    assert facts["ged_sochi_quiet_months"] == "6" and "ged_sochi_quiet_months_n" not in facts
    assert facts["ged_offensive_change"] == "+165.0"
    assert facts["ged_offensive_mean_interval"] == "200.0 to 200.0"
    assert facts["ged_its_slope_change"] == "+13.4" and facts["ged_its_pre_slope"] == "−0.2"


def _sochi_only(offensive: str | None) -> pd.DataFrame:
    e = events()
    e = e[e["event_id"].isin([SOCHI, OFFENSIVE])].copy()
    e.loc[e["event_id"] == OFFENSIVE, "date_best"] = T(offensive) if offensive else pd.NaT
    return e if offensive else e[e["event_id"] == SOCHI]


def test_findings_where_violence_stays_down_to_the_end_of_ged(extract):
    # The extract's March–August 2018 rows alone: 100 a month, nothing after. Every month
    # from October 2018 to November 2019 lies below 100, fourteen of them, and GED ends the
    # run.
    spring = extract[extract["ged_id"].isin([12, 13, 14, 15, 16, 17, 20])]
    found = ucdp.findings(spring, _sochi_only("2019-10-15"))
    q = found["ged_sochi_quiet_months"]
    assert q.value == 14 and q.n == 14 and len(q.rows) == 14
    assert q.note.endswith("interval; cut short by the end of GED")
    assert found["ged_sochi_change"].value == -100.0
    assert found["ged_sochi_change"].low == found["ged_sochi_change"].high == -100.0
    # The offensive's first full month is November 2019, GED's last: one month, no mean.
    assert "ged_offensive_mean" not in found and "ged_offensive_change" not in found
    assert "ged_its_slope_change" in found  # September 2017 to October 2019
    assert found["ged_its_slope_change"].n == 25  # 12 before, 13 after (Oct 2018–Oct 2019)
    # The offensive (Hama and Idlib, 15 October 2019) is compared, and GED has nothing near.
    assert found["ged_curated_compared"].value == 1
    assert found["ged_curated_same_place"].value == 0


def test_findings_with_nothing_before_has_no_share(extract):
    # The extract's December 2018 row (30) and September 2017's (130, before the six months
    # but in the regression's twelve): the before-mean is 0, no share of it.
    found = ucdp.findings(extract[extract["ged_id"].isin([6, 24])], _sochi_only("2019-09-15"))
    assert found["ged_sochi_before_mean"].value == 0.0
    assert found["ged_sochi_change"].value == 5.0  # 30 / 6
    share = found["ged_sochi_change_share"]
    assert np.isnan(share.value) and np.isnan(share.low) and np.isnan(share.high)
    assert found["ged_sochi_quiet_months"].value == 0  # October's 0 is not below 0
    assert len(found["ged_sochi_quiet_months"].rows) == 1
    # From October 2019: two offensive months, 0 each, against the six after Sochi.
    assert found["ged_offensive_mean"].n == 2 and found["ged_offensive_change"].n == 8
    assert found["ged_offensive_change"].value == -5.0


def test_findings_stop_where_the_sochi_test_cannot_be_made(extract, curated):
    assert ucdp.findings(extract.iloc[:0], curated) == {}
    two_years = extract[extract["ged_id"].isin([1, 5])]  # 2016's first row, 2017's first
    yearly_only = {"ged_curated_compared", "ged_curated_same_place"} | {
        f"ged_idlib_{m}_{y}" for y in (2016, 2017) for m in ("events", "best", "low", "high")}
    assert set(ucdp.findings(two_years, curated[curated["event_id"] == ASTANA])) == yearly_only
    early = curated[curated["event_id"] == SOCHI].copy()
    early["date_best"] = T("2016-03-10")  # six months before reach September 2015
    assert set(ucdp.findings(two_years, early)) == yearly_only


def test_sensitivity_table_by_hand(extract, curated):
    table = ucdp.sensitivity(extract, curated)
    assert table.columns.tolist() == ["months", "before_mean", "after_mean", "difference",
                                      "low", "high", "distinguishable"]
    assert table["months"].tolist() == [3, 6, 9]
    assert table["before_mean"].tolist() == [100.0, 100.0, 100.0]
    assert table["after_mean"].tolist() == pytest.approx([20.0, 35.0, 710 / 9])
    assert table["difference"].tolist() == pytest.approx([-80.0, -65.0, 710 / 9 - 100])
    assert (table["low"] < table["difference"]).all()
    assert (table["difference"] < table["high"]).all()
    # Three and six months: after's months all below 100, the interval below zero. Nine
    # months take in May and June 2019's 200s: 200 is drawn often enough to reach above 100.
    assert table["distinguishable"].tolist() == [True, True, False]


def test_sensitivity_of_a_rise_and_of_windows_ged_cannot_cover(extract, curated):
    rise = curated.copy()
    rise.loc[rise["event_id"] == SOCHI, "date_best"] = T("2019-04-15")
    # Three months: Jan–Mar 2019 (40, 50, 60) against May–Jul (200): +150, every resample
    # above zero. Nine months after April would reach January 2020: left out.
    table = ucdp.sensitivity(extract, rise, (9, 3))
    assert table["months"].tolist() == [3]
    assert table["difference"].tolist() == [150.0]
    assert 140 <= table["low"][0] < 150 < table["high"][0] <= 160  # 200 less 40 … 60
    assert table["distinguishable"].tolist() == [True]
    assert ucdp.sensitivity(extract.iloc[:0], curated).empty
    assert ucdp.sensitivity(extract, curated[curated["event_id"] != SOCHI]).empty


def test_a_difference_touching_zero_is_not_distinguishable(curated):
    sochi = curated[curated["event_id"] == SOCHI]
    before = [row(i, f"2018-{m:02d}-10") for i, m in ((1, 6), (2, 7), (3, 8))]  # 100 each
    # After: 100 three times, a difference of exactly 0, its interval 0 to 0: not clear of
    # zero. After: 101 three times, exactly +1, interval +1 to +1: clear of zero.
    for after, expected in ((100, False), (101, True)):
        extract = typed(before + [row(i, f"2018-{m:02d}-10", best=after)
                                  for i, m in ((4, 10), (5, 11), (6, 12))])
        table = ucdp.sensitivity(extract, sochi, (3,))
        assert table.loc[0, ["low", "high"]].tolist() == [after - 100.0] * 2
        assert table.loc[0, "distinguishable"] == expected


# -- the segmented regression ----------------------------------------------------------------------

def newey_west_by_pairs(x: np.ndarray, e: np.ndarray, lag: int) -> np.ndarray:
    """The Newey–West sandwich written as the double sum over pairs of rows (Bartlett weight
    1 − |t − s| / (lag + 1) within `lag` rows of each other)."""
    meat = np.zeros((x.shape[1], x.shape[1]))
    for t in range(len(x)):
        for s in range(len(x)):
            if abs(t - s) <= lag:
                meat += (1 - abs(t - s) / (lag + 1)) * e[t] * e[s] * np.outer(x[t], x[s])
    bread = np.linalg.inv(x.T @ x)
    return bread @ meat @ bread


def test_newey_west_equals_the_double_sum():
    x = np.column_stack([np.ones(6), np.arange(6.0), [0, 0, 0, 1, 1, 1.0]])
    e = np.array([1.0, -2.0, 0.5, 3.0, -1.0, 0.25])
    for lag in (0, 1, 2, 3):
        np.testing.assert_allclose(ucdp.newey_west(x, e, lag), newey_west_by_pairs(x, e, lag),
                                   rtol=1e-12, atol=1e-12)


def test_segmented_regression_against_two_separate_line_fits(extract):
    series = ucdp.monthly(extract)
    fit = ucdp.segmented(series, T("2018-09-17"), T("2019-04-30"))
    # Sep 2017–Aug 2018 (t = 0 … 11): 130, 70, then 100; Oct 2018–Apr 2019 (t = 13 … 19):
    # 10, 20, 30, 40, 50, 60, 100. The model with its own level and slope after the break
    # is two separate lines.
    pre_t, pre_y = np.arange(12.0), np.array([130, 70] + [100] * 10, dtype=float)
    post_t, post_y = np.arange(13.0, 20.0), np.array([10, 20, 30, 40, 50, 60, 100.0])
    p1, p0 = np.polyfit(pre_t, pre_y, 1)
    q1, q0 = np.polyfit(post_t, post_y, 1)
    assert p1 == pytest.approx(-30 / 143)  # Σ(t − 5.5)(y − 100) / Σ(t − 5.5)² by hand
    assert q1 == pytest.approx(370 / 28)
    expected = {"intercept": p0, "pre_slope": p1, "level_change": (q0 + 13 * q1) - (p0 + 13 * p1),
                "slope_change": q1 - p1}
    assert fit.coefficients == pytest.approx(expected)
    assert list(fit.coefficients) == list(expected)
    assert fit.n == 19
    assert fit.months.columns.tolist() == ["month", "best", "t", "after"]
    assert fit.months["month"].tolist() == months("2017-09-01", "2018-08-01") + months(
        "2018-10-01", "2019-04-01")
    assert fit.months["t"].tolist() == [*range(12), *range(13, 20)]
    assert fit.months["after"].tolist() == [False] * 12 + [True] * 7
    assert fit.months["after"].dtype == bool  # printed as the months' side, not as 0 or 1
    assert fit.months["best"].tolist() == [*pre_y, *post_y]
    # Intervals: Newey–West (lag 2) as a double sum, a normal 95% interval.
    t = np.concatenate([pre_t, post_t])
    after = np.r_[np.zeros(12), np.ones(7)]
    x = np.column_stack([np.ones(19), t, after, (t - 13) * after])
    residuals = np.r_[pre_y - (p0 + p1 * pre_t), post_y - (q0 + q1 * post_t)]
    se = np.sqrt(np.diag(newey_west_by_pairs(x, residuals, 2)))
    z = NormalDist().inv_cdf(0.975)  # the standard library's, not the module's own constant
    for i, key in enumerate(expected):
        assert fit.low[key] == pytest.approx(expected[key] - z * se[i])
        assert fit.high[key] == pytest.approx(expected[key] + z * se[i])
    # Without lags the intervals differ: the lag is used.
    se0 = np.sqrt(np.diag(newey_west_by_pairs(x, residuals, 0)))
    fit0 = ucdp.segmented(series, T("2018-09-17"), T("2019-04-30"), lag=0)
    assert fit0.high["slope_change"] == pytest.approx(expected["slope_change"] + z * se0[3])


def test_segmented_needs_three_months_a_side_inside_ged(extract):
    series = ucdp.monthly(extract)
    sochi = T("2018-09-17")
    assert ucdp.segmented(series, sochi, T("2018-11-30")) is None  # Oct, Nov: two after
    three = ucdp.segmented(series, sochi, T("2018-12-01"))  # Oct, Nov, Dec
    assert three is not None and three.n == 15
    # From December 2017: Sep–Nov 2017 are three months before, Jan–Dec 2018 twelve after.
    december = T("2017-12-15")
    assert ucdp.segmented(series, december, T("2018-12-31"), months_before=2) is None
    assert ucdp.segmented(series, december, T("2018-12-31"), months_before=3).n == 15
    # Twelve months before March 2016 reach 2015; an end past GED reaches December 2019.
    assert ucdp.segmented(series, T("2016-03-15"), T("2016-09-30")) is None
    assert ucdp.segmented(series, sochi, T("2019-12-31")) is None


# -- the triangulation -------------------------------------------------------------------------

WHY_NONE = ("no GED event within two days at a place the curated location names, nor one in "
            "its governorate with a party of the event on a side (GED counts fatal events only, "
            "as its sources reported them)")


def test_triangulate_the_curated_acts(extract, curated):
    t = ucdp.triangulate(curated, extract)
    assert t.columns.tolist() == ["event_id", "date", "title", "place", "match", "ged_ids",
                                  "ged_deaths", "why"]
    # Markers and talks are not acts of force; t-late is after GED; the rest in order.
    assert t["event_id"].tolist() == [OFFENSIVE, "t-post", "t-none", "t-month", "t-abroad"]
    t = t.set_index("event_id")
    post = t.loc["t-post"]
    assert (post["match"], post["ged_ids"], post["ged_deaths"], post["why"]) == (
        "same place, within two days", "37", 3, "")
    assert post["date"] == T("2018-10-05") and post["title"] == "Title t-post"
    assert post["place"] == "Sheir Maghar post, Hama, Syria"
    # The offensive names Hama and Idlib: GED's row 28 (Idlib, 30 April, Government of
    # Syria) is at Kafr Nabl, not a place it names, but shares its party.
    off = t.loc[OFFENSIVE]
    assert (off["match"], off["ged_ids"], off["ged_deaths"], off["why"]) == (
        "same governorate and party, within two days", "28", 100,
        "GED's place is not the curated one")
    none = t.loc["t-none"]
    assert (none["match"], none["ged_ids"], none["ged_deaths"], none["why"]) == (
        "none", "", 0, WHY_NONE)
    assert tuple(t.loc["t-month", ["match", "why"]]) == (
        "not compared", "the curated date is not known to the day")
    assert tuple(t.loc["t-abroad", ["match", "why"]]) == (
        "outside the extract", "the place is not in Idlib, Hama, Latakia or Aleppo governorate")


def _act(event_id: str, day: str, place: str, initiator: str = "SYR", target: str = "TUR",
         precision: str = "day", exact: str | None = None, quad: int = 4) -> dict:
    return {"event_id": event_id, "date_best": T(day), "quad_class": quad,
            "location_name": place, "date_precision": precision,
            "exact_date": T(exact) if exact else pd.NaT, "actor_initiator": initiator,
            "actor_target": target, "title": event_id}


def _match(acts: list[dict], rows: list[dict[str, str]], dyads: dict[int, str] | None = None
           ) -> pd.Series:
    frame = typed(rows)
    for gid, dyad in (dyads or {}).items():
        frame.loc[frame["ged_id"] == gid, "dyad_name"] = dyad
    return ucdp.triangulate(pd.DataFrame(acts), frame).set_index("event_id")[
        ["match", "ged_ids"]].apply(tuple, axis=1)


def test_triangulate_counts_two_days_either_side_and_day_precise_rows_only():
    rows = [  # all at Saraqib, Idlib; the curated day is 10 June 2019
        row(1, "2019-06-12", where="Saraqib town", where_prec=3),  # two days after: in
        row(2, "2019-06-13", where="Saraqib town"),  # three: out
        row(3, "2019-06-01", "2019-06-08", where="Saraqib town", date_prec=2),  # ends 2 before
        row(4, "2019-06-01", "2019-06-07", where="Saraqib town", date_prec=2),  # 3 before
        row(5, "2019-06-10", where="Saraqib town", date_prec=3),  # a week's range: no day
        row(6, "2019-06-10", where="Saraqib town", adm=HAMA),  # another governorate
        row(7, "2019-06-10", where="Saraqib town", where_prec=4),  # a governorate's point
        row(8, "2016-01-01", where="Saraqib town"),  # GED's first day
        row(9, "2019-11-30", where="Saraqib town"),  # and its last
    ]
    got = _match([_act("a", "2019-06-10", "near Saraqib, Idlib, Syria")], rows)
    assert got["a"] == ("same place, within two days", "1, 3")
    # Row 7 is near in days but stands for the governorate: a party match only.
    got = _match([_act("a", "2019-06-10", "near Saraqib, Idlib, Syria")], rows[4:])
    assert got["a"] == ("same governorate and party, within two days", "7")
    # Acts on GED's first and last days are compared.
    got = _match([_act("first", "2016-01-01", "Saraqib, Idlib, Syria"),
                  _act("last", "2019-11-30", "Saraqib, Idlib, Syria")], rows[7:])
    assert got.to_dict() == {"first": ("same place, within two days", "8"),
                             "last": ("same place, within two days", "9")}


def test_triangulate_places_and_parties():
    rows = [
        row(1, "2019-06-10", where="Al-Bab city", adm="Aleppo Governorate",
            side_a="Government of Turkey", side_b="IS"),
        row(2, "2019-06-10", where="Idlib town"),
        row(3, "2019-07-10", where="Jisr al-Shughur town", side_a="Hayat Tahrir al-Sham",
            side_b="Syrian insurgents"),
        row(4, "2019-08-10", where="Babila village", adm="Aleppo Governorate",
            side_a="Hayat Tahrir al-Sham", side_b="Syrian insurgents"),
        row(5, "2019-09-10", where="Taftanaz town", side_b="Government of Turkey"),
    ]
    acts = [
        _act("bab", "2019-06-10", "al Bab, Syria", "TUR", "ISIS"),  # "al bab" → Aleppo
        _act("idlib", "2019-06-11", "Idlib city, Syria", "RUS", "SYR_OPP"),  # too wide
        # Neither side is Turkey's, but the dyad names Turkey and Turkey is a party.
        _act("dyad", "2019-07-09", "Jisr, Idlib, Syria", "TUR", "SYR"),
        _act("nodyad", "2019-07-09", "Jisr, Idlib, Syria", "SYR_OPP", "RUS"),
        _act("whole", "2019-08-10", "Bab, Aleppo, Syria", "SYR_OPP", "RUS"),
        # The month only, but an exact date from another source: compared.
        _act("exact", "2019-06-09", "Al-Bab, Syria", "RUS", "SYR_OPP", "month", "2019-06-09"),
        # Turkey the target only, GED's side B: a party on a side.
        _act("target", "2019-09-11", "Saraqib, Idlib, Syria", "SYR_OPP", "TUR"),
    ]
    got = _match(acts, rows, {3: "Hayat Tahrir al-Sham - Turkey-backed rebels"})
    assert got["bab"] == ("same place, within two days", "1")
    assert got["idlib"][0] == "none", "Idlib names the governorate, not a place"
    assert got["dyad"] == ("same governorate and party, within two days", "3")
    assert got["nodyad"][0] == "none"
    assert got["whole"][0] == "none", "Babila is not Bab"
    assert got["exact"] == ("same place, within two days", "1")
    assert got["target"] == ("same governorate and party, within two days", "5")


def test_triangulate_lists_five_ids_and_how_many_more():
    rows = [row(i, "2019-06-10", where="Saraqib town", best=i) for i in range(1, 8)]
    t = ucdp.triangulate(pd.DataFrame([_act("a", "2019-06-10", "Saraqib, Idlib, Syria")]),
                         typed(rows))
    assert t.loc[0, "ged_ids"] == "1, 2, 3, 4, 5 and 2 more"
    assert t.loc[0, "ged_deaths"] == sum(range(1, 8))
    t = ucdp.triangulate(pd.DataFrame([_act("a", "2019-06-10", "Saraqib, Idlib, Syria")]),
                         typed(rows[:5]))
    assert t.loc[0, "ged_ids"] == "1, 2, 3, 4, 5"


def test_place_names_are_reduced_before_they_are_compared():
    assert ucdp._plain("Al-Bab Town") == "bab"
    assert ucdp._plain("Tal Rifaat district") == "tal rifaat"
    assert ucdp._plain("Hmeimim airbase") == "hmeimim"
    assert ucdp._plain("Atmeh camp") == "atmeh"
    assert ucdp._plain("Ariha subdistrict") == "ariha"
    assert ucdp._plain("Towns of Idlib governorate") == "towns of idlib"
    assert ucdp._places("Kafaldin/Kafr Lusin village") == ["kafaldin", "kafr lusin"]
    assert ucdp._places("Ab village/Hamah governorate/Syria") == []  # short and too wide
    assert ucdp._places("Abc village") == ["abc"]
    assert ucdp._names("kafr lusin", "near kafr lusin, idlib")
    assert not ucdp._names("bab", "babila") and not ucdp._names("a.b", "axb")
