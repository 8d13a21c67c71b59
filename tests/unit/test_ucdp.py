"""UCDP GED: the extract's totals computed independently, the series and the Sochi test on
hand-made data whose answers are known, and the validation of the table."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict

import altair as alt
import pandas as pd
import pytest
from checkout import REPO_ROOT
from conftest import SOURCES, write_table

from rusturk.analysis import ucdp
from rusturk.analysis.window import Window
from rusturk.data.dataset import load
from rusturk.data.schema import UCDP_GED, UCDP_SOURCE_ID
from rusturk.data.validate import validate
from rusturk.notebook import ucdp_section

EXTRACT = REPO_ROOT / "data" / UCDP_GED.filename
IDLIB = "Idlib Governorate"


def ged(rows: list[tuple]) -> pd.DataFrame:
    """A typed GED frame from (id, start, end, adm_1, type, side_a, best, low, high, note)."""
    frame = pd.DataFrame(rows, columns=["ged_id", "date_start", "date_end", "adm_1",
                                        "type_of_violence", "side_a", "best", "low", "high",
                                        "note"])
    frame["date_start"] = pd.to_datetime(frame["date_start"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    frame["year"] = frame["date_start"].dt.year
    frame["type_of_violence"] = pd.Categorical(frame["type_of_violence"].astype(str),
                                               categories=["1", "2", "3"])
    frame["deaths_a"], frame["deaths_b"] = frame["best"], 0
    frame["deaths_civilians"] = frame["deaths_unknown"] = 0
    frame["date_prec"] = frame["where_prec"] = pd.Categorical(["1"] * len(frame))
    frame["where_coordinates"], frame["side_b"] = "Nowhere village", "Syrian insurgents"
    frame["dyad_name"] = frame["side_a"] + " - Syrian insurgents"
    return frame


SMALL = ged([
    (1, "2016-01-03", "2016-01-03", IDLIB, 1, "Government of Syria", 5, 4, 7, None),
    (2, "2016-01-20", "2016-01-22", IDLIB, 2, "HTS", 2, 2, 3, None),
    (3, "2016-03-01", "2016-03-01", IDLIB, 3, "Government of Turkey", 1, 1, 1, None),
    (4, "2016-02-25", "2016-04-10", IDLIB, 1, "Government of Syria", 10, 9, 12, None),
    (5, "2016-01-05", "2016-01-05", "Hamah Governorate", 1, "Government of Syria", 50, 50,
     50, None),
    (6, "2017-06-01", "2017-06-01", IDLIB, 1, "Government of Syria", 3, 4, 3, "as released"),
])


def test_monthly_totals_of_a_hand_made_frame():
    months = ucdp.monthly(SMALL)
    assert len(months) == 47  # January 2016 to November 2019
    assert months.loc["2016-01-01"].tolist() == [2, 7, 6, 10]  # events, best, low, high
    assert months.loc["2016-03-01"].tolist() == [1, 1, 1, 1]
    # Event 4 spans February to April: in no month; Hama's event is not Idlib's.
    assert months.loc["2016-02-01"].tolist() == [0, 0, 0, 0]
    assert months.loc["2016-04-01"].tolist() == [0, 0, 0, 0]
    assert months["best"].sum() == 5 + 2 + 1 + 3


def test_yearly_totals_keep_every_event_and_count_the_exceptions():
    years = ucdp.yearly(SMALL)
    assert years.loc[2016, ["events", "best", "low", "high"]].tolist() == [4, 18, 16, 23]
    assert years.loc[2016, "spanning_months"] == 1
    assert years.loc[2017, "bounds_out_of_order"] == 1
    assert years.loc[2017, "best"] == 3


def test_monthly_by_violence_and_side():
    by = ucdp.monthly_by(SMALL, "violence")
    january = by[by["month"] == pd.Timestamp("2016-01-01")].set_index("group")["best"]
    assert january.to_dict() == {"state-based": 5, "non-state": 2}
    side = ucdp.monthly_by(SMALL, "side").groupby("group")["best"].sum().to_dict()
    assert side == {"Government of Syria": 8, "armed groups (non-state)": 2,
                    "Government of Turkey": 1}
    with pytest.raises(ValueError, match="violence"):
        ucdp.monthly_by(SMALL, "colour")


def one_event_a_month(values: dict[str, int]) -> pd.DataFrame:
    return ged([(i + 1, f"{month}-10", f"{month}-10", IDLIB, 1, "Government of Syria",
                 best, best, best, None) for i, (month, best) in enumerate(values.items())])


SOCHI = pd.DataFrame({"event_id": ["sochi-idlib-memorandum",
                                   "northwest-syria-offensive-2019-04-30"],
                      "date_best": pd.to_datetime(["2018-09-17", "2019-04-30"]),
                      "quad_class": [2, 4], "location_name": ["Sochi, Russia", "Hama, Syria"],
                      "date_precision": ["day", "day"], "exact_date": [None, None],
                      "title": ["memorandum", "offensive"], "actor_initiator": ["RUS", "SYR"],
                      "actor_target": ["TUR", "SYR_OPP"]})


def months_from(first: str, values: list[int]) -> dict[str, int]:
    start = pd.Period(first, freq="M")
    return {str(start + i): v for i, v in enumerate(values)}


def test_sochi_test_finds_a_known_fall_and_its_length():
    # Before (Mar–Aug 2018) about 100 a month, after (Oct 2018–Mar 2019) about 10, then
    # 90 from January: the fall is clear, and lasts three months (Oct, Nov, Dec).
    values = months_from("2018-03", [100, 120, 80, 100, 110, 90, 500, 10, 12, 8, 90, 90, 90])
    found = ucdp.findings(one_event_a_month(values), SOCHI)
    assert found["ged_sochi_before_mean"].value == pytest.approx(100.0)
    assert found["ged_sochi_after_mean"].value == pytest.approx(50.0)
    change = found["ged_sochi_change"]
    assert change.value == pytest.approx(-50.0)
    assert change.high < 0, "a fall of half, every month lower: the interval excludes zero"
    assert found["ged_sochi_before_mean"].n == found["ged_sochi_after_mean"].n == 6
    assert found["ged_sochi_quiet_months"].value == 3
    # The month of signing (500) is in neither side.
    assert 500 not in change.rows["best"].tolist()


def test_sochi_test_says_when_the_data_cannot_tell():
    values = months_from("2018-03", [100, 20, 100, 20, 100, 20, 0, 20, 100, 20, 100, 20, 100])
    change = ucdp.findings(one_event_a_month(values), SOCHI)["ged_sochi_change"]
    assert change.value == pytest.approx(0.0)
    assert change.low < 0 < change.high


def test_segmented_regression_recovers_a_known_break():
    # 20 months (12 before, 7 after, the signing month out): level 200 falling 10 a month,
    # then 60 lower and rising 5 a month, exactly.
    pre = [200 - 10 * t for t in range(12)]
    post = [200 - 10 * t - 60 + 15 * (t - 13) for t in range(13, 20)]
    values = months_from("2017-09", [*pre, 999, *post])
    series = ucdp.monthly(one_event_a_month(values))
    fit = ucdp.segmented(series, pd.Timestamp("2018-09-17"), pd.Timestamp("2019-04-30"))
    assert fit.n == 19
    assert fit.coefficients["pre_slope"] == pytest.approx(-10)
    assert fit.coefficients["level_change"] == pytest.approx(-60 + -10 + 10)
    assert fit.coefficients["slope_change"] == pytest.approx(15)


def test_windows_outside_ged_are_not_covered():
    assert not ucdp.covers(pd.Timestamp("2015-01-01"), pd.Timestamp("2015-12-31"))
    assert not ucdp.covers(pd.Timestamp("2019-12-01"), pd.Timestamp("2020-03-31"))
    assert ucdp.covers(pd.Timestamp("2019-11-30"), pd.Timestamp("2020-03-31"))


def test_triangulation_matches_place_and_days_only():
    frame = ged([
        (1, "2019-06-26", "2019-06-26", "Hamah Governorate", 1, "Government of Syria", 1, 1,
         1, None),
        (2, "2019-06-20", "2019-06-20", "Hamah Governorate", 1, "Government of Syria", 9, 9,
         9, None),
        (3, "2019-06-27", "2019-06-27", IDLIB, 1, "Government of Syria", 4, 4, 4, None),
    ])
    frame["where_coordinates"] = ["Sheir Maghar village", "Sheir Maghar village", "Idlib town"]
    events = pd.DataFrame({
        "event_id": ["post", "far", "province", "abroad", "talk"],
        "date_best": pd.to_datetime(["2019-06-27", "2019-06-27", "2019-06-27", "2019-06-27",
                                     "2019-06-27"]),
        "quad_class": [4, 4, 4, 4, 1], "date_precision": ["day"] * 5, "exact_date": [None] * 5,
        "title": ["t"] * 5, "actor_initiator": ["SYR", "SYR", "SYR_OPP", "TUR", "RUS"],
        "actor_target": ["TUR", "TUR", "RUS", "SYR_KRD", "TUR"],
        "location_name": ["Sheir Maghar post, north-western Hama, Syria",
                          "Kafr Nabudah, Hama, Syria", "Idlib province, Syria",
                          "Ras al-Ain, Hasakah province, Syria", "Sochi, Syria talks"]})
    t = ucdp.triangulate(events, frame).set_index("event_id")
    assert t.loc["post", "match"] == "same place, within two days"
    assert t.loc["post", "ged_ids"] == "1", "the event six days earlier is not within two days"
    assert t.loc["far", "match"] == "same governorate and party, within two days"
    assert t.loc["province", "match"] == "none", "a province name is no place"
    assert t.loc["abroad", "match"] == "outside the extract"
    assert "talk" not in t.index, "only acts of force are compared"


# -- the bundled extract ----------------------------------------------------------------------

def csv_yearly(governorate: str) -> dict[int, list[int]]:
    """Events, best, low and high per year, straight from the CSV file."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    with EXTRACT.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["adm_1"] == governorate:
                t = totals[int(row["year"])]
                t[0] += 1
                t[1] += int(row["best"])
                t[2] += int(row["low"])
                t[3] += int(row["high"])
    return dict(totals)


@pytest.fixture(scope="module")
def dataset():
    return load(REPO_ROOT / "data")


@pytest.mark.data
def test_extract_yearly_totals_match_an_independent_count(dataset):
    expected = csv_yearly(IDLIB)
    assert sorted(expected) == [2016, 2017, 2018, 2019]
    got = ucdp.yearly(dataset.ucdp_ged)
    for year, (events, best, low, high) in expected.items():
        assert got.loc[year, ["events", "best", "low", "high"]].tolist() == [events, best,
                                                                              low, high]


@pytest.mark.data
def test_extract_covers_the_release_and_no_later(dataset):
    frame = dataset.ucdp_ged
    assert frame["date_start"].min() == pd.Timestamp("2016-01-01")
    assert frame["date_start"].max() <= ucdp.GED_END
    assert set(frame["adm_1"].astype(str)) == set(UCDP_GED.field("adm_1").allowed)
    months = ucdp.monthly(frame)
    assert months.index.max() == pd.Timestamp("2019-11-01"), "nothing past November 2019"


@pytest.mark.data
def test_named_findings_carry_their_rows(dataset):
    found = ucdp.findings(dataset.ucdp_ged, dataset.events)
    expected = csv_yearly(IDLIB)
    for year, (events, best, _, _) in expected.items():
        f = found[f"ged_idlib_best_{year}"]
        assert (f.value, f.n, len(f.rows)) == (best, events, events)
    change = found["ged_sochi_change"]
    assert len(change.rows) == 2 * ucdp.SOCHI_MONTHS
    facts = ucdp.facts(found)
    assert facts["ged_end"] == "30 Nov 2019"
    assert facts["ged_idlib_best_2016"] == f"{expected[2016][1]:,}"


@pytest.mark.data
def test_notebook_section_says_ged_does_not_cover_a_later_window(dataset):
    w = Window(dataset, pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29"))
    shown = ucdp_section.section(w) + ucdp_section.sochi_section(w)
    assert all("GED does not cover this window" in str(item) for item in shown)
    assert UCDP_SOURCE_ID not in set(w.cited_sources["source_id"])
    inside = Window(dataset, pd.Timestamp("2018-09-01"), pd.Timestamp("2020-03-31"))
    items = ucdp_section.section(inside) + ucdp_section.sochi_section(inside)
    assert "30 November 2019" in str(items[0])
    charts = [i for i in items if isinstance(i, alt.TopLevelMixin)]
    assert len(charts) == 4
    assert all("30 Nov 2019" in c.to_dict()["title"] for c in charts)
    assert UCDP_SOURCE_ID in set(inside.cited_sources["source_id"])


# -- validation ---------------------------------------------------------------------------------

def ged_row(**changes: str) -> dict[str, str]:
    row = {"ged_id": "1", "year": "2018", "type_of_violence": "1",
           "conflict_name": "Syria: Government", "dyad_name": "A - B", "side_a": "A",
           "side_b": "B", "date_start": "2018-10-02", "date_end": "2018-10-02",
           "date_prec": "1", "event_clarity": "1", "adm_1": IDLIB, "adm_2": "",
           "where_coordinates": "Somewhere", "where_prec": "1", "latitude": "35.9",
           "longitude": "36.6", "number_of_sources": "1", "deaths_a": "1", "deaths_b": "1",
           "deaths_civilians": "0", "deaths_unknown": "0", "low": "2", "best": "2",
           "high": "3", "source_article": "synthetic", "note": ""}
    row.update(changes)
    return row


def ged_problems(data_dir, **changes: str) -> list[str]:
    write_table(data_dir, "sources", [*SOURCES, {**SOURCES[1], "source_id": UCDP_SOURCE_ID}])
    write_table(data_dir, "ucdp_ged", [ged_row(**changes)])
    return [f"{p.column}: {p.message}" for p in validate(data_dir).problems]


def test_a_folder_without_the_extract_is_valid(data_dir):
    assert validate(data_dir).ok
    assert load(data_dir).ucdp_ged.empty


def test_a_valid_ged_row_passes(data_dir):
    assert ged_problems(data_dir) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"type_of_violence": "4"}, "type_of_violence: expected one of: 1, 2, 3"),
    ({"adm_1": "Homs Governorate"}, "adm_1: expected one of: Idlib Governorate"),
    ({"date_start": "2019-12-02", "date_end": "2019-12-02", "year": "2019"},
     "date_start: 2019-12-02 is outside the release's span"),
    ({"date_end": "2018-10-01"}, "date_end: 2018-10-01 is before date_start"),
    ({"best": "3", "high": "3"}, "best: 3 is not the sum of deaths_a"),
    ({"low": "3"}, "low: low 3, best 2, high 3 are not in order"),
    ({"high": "1"}, "high: low 2, best 2, high 1 are not in order"),
    ({"latitude": ""}, "latitude: required value is missing"),
])
def test_ged_rows_are_checked(data_dir, changes, expected):
    problems = ged_problems(data_dir, **changes)
    assert any(p.startswith(expected) for p in problems), problems


def test_bounds_out_of_order_pass_only_with_a_note(data_dir):
    assert ged_problems(data_dir, low="3", note="As released.") == []


def test_the_extract_needs_its_source(data_dir, tmp_path):
    write_table(data_dir, "ucdp_ged", [ged_row()])
    problems = [p.message for p in validate(data_dir).problems]
    assert any(UCDP_SOURCE_ID in m and "sources.csv" in m for m in problems)


@pytest.mark.data
def test_bundled_extract_is_valid_and_its_rows_are_as_released(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", copy)
    assert validate(copy).ok
    with EXTRACT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out_of_order = [r for r in rows if not int(r["low"]) <= int(r["best"]) <= int(r["high"])]
    assert out_of_order and all(r["note"].startswith("As released") for r in out_of_order)
    assert all(r["note"] == "" for r in rows if r not in out_of_order)
