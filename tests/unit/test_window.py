"""The dataset through a date window, on hand-made rows: edges inclusive, nothing known early."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rusturk.analysis.window import Window
from rusturk.data.dataset import Dataset
from rusturk.data.schema import UCDP_SOURCE_ID

T = pd.Timestamp


def _ds(ged: pd.DataFrame | None = None) -> Dataset:
    events = pd.DataFrame({
        "event_id": ["before", "first", "last", "after"],
        "date_best": pd.to_datetime(["2020-01-31", "2020-02-01", "2020-02-29", "2020-03-01"]),
        "source_ids": [("s-before",), ("s-first", "s-both"), ("s-last",), ("s-after",)],
        "exact_date_source_id": [pd.NA, "s-exact", pd.NA, pd.NA]})
    sources = pd.DataFrame({
        "source_id": ["s-before", "s-first", "s-both", "s-last", "s-after", "s-exact",
                      "s-fig", "s-undated", "s-later", UCDP_SOURCE_ID],
        "publication_date": pd.to_datetime(["2020-01-31", "2020-02-01", "2020-02-01",
                                            "2020-02-29", "2020-03-01", "2020-02-01",
                                            "2020-02-10", None, "2020-03-05", "2020-06-01"])})
    figures = pd.DataFrame({
        "event_id": ["first"] * 5,
        "source_id": ["s-fig", "s-undated", "s-later", "s-fig", "s-fig"],
        "date_ref": pd.to_datetime(["2020-02-10", "2020-02-12", "2020-02-15", "2020-01-20",
                                    "2020-03-02"])})
    phases = pd.DataFrame({"phase_id": ["p1", "p2", "p3", "p4"],
                           "start": pd.to_datetime(["2019-12-01", "2020-01-15", "2020-02-29",
                                                    "2020-03-01"]),
                           "end": pd.to_datetime(["2020-01-31", "2020-02-01", "2020-02-29",
                                                  "2020-04-30"])})
    return Dataset(Path("unused"), events, sources, figures, pd.DataFrame(), phases,
                   pd.DataFrame(), ucdp_ged=ged if ged is not None else pd.DataFrame())


def _feb(ds: Dataset | None = None) -> Window:
    return Window(ds or _ds(), T("2020-02-01"), T("2020-02-29"))


def test_events_on_both_edges_are_in_the_window():
    assert _feb().events["event_id"].tolist() == ["first", "last"]


def test_known_takes_readings_dated_and_published_by_the_day():
    w = _feb()
    # s-later's reading (15 Feb) was published 5 Mar; the undated source counts as published.
    assert w.known(T("2020-02-29"))["source_id"].tolist() == ["s-fig", "s-undated", "s-fig"]
    assert w.known(T("2020-03-05"))["date_ref"].tolist() == [
        T("2020-02-10"), T("2020-02-12"), T("2020-02-15"), T("2020-01-20"), T("2020-03-02")]
    assert w.known(T("2020-02-10"))["date_ref"].tolist() == [T("2020-02-10"), T("2020-01-20")]


def test_figures_are_the_known_readings_dated_inside_the_window():
    assert _feb().figures["date_ref"].tolist() == [T("2020-02-10"), T("2020-02-12")]


def test_phases_overlapping_the_window_on_either_edge():
    assert _feb().phases["phase_id"].tolist() == ["p2", "p3"]
    assert _feb().phases.index.tolist() == [0, 1]


def test_cited_sources_are_those_of_events_figures_and_exact_dates_published_by_the_end():
    cited = set(_feb().cited_sources["source_id"])
    assert cited == {"s-first", "s-both", "s-last", "s-exact", "s-fig", "s-undated"}


def test_the_ged_extract_is_cited_where_the_window_overlaps_its_span():
    ged = pd.DataFrame({"ged_id": [1]})
    ds = _ds(ged)
    # The extract's own source row is dated 2020-06-01 here, so a window must end after it.
    inside = Window(ds, T("2019-11-30"), T("2020-07-01"))
    assert UCDP_SOURCE_ID in set(inside.cited_sources["source_id"])
    edge = Window(ds, T("2015-06-01"), T("2016-01-01"))  # ends on GED's first day
    ds.sources.loc[ds.sources["source_id"] == UCDP_SOURCE_ID, "publication_date"] = pd.NaT
    assert UCDP_SOURCE_ID in set(edge.cited_sources["source_id"])
    later = Window(ds, T("2019-12-01"), T("2020-07-01"))  # opens after GED's last day
    assert UCDP_SOURCE_ID not in set(later.cited_sources["source_id"])
    before = Window(ds, T("2015-01-01"), T("2015-12-31"))
    assert UCDP_SOURCE_ID not in set(before.cited_sources["source_id"])
    assert UCDP_SOURCE_ID not in set(Window(_ds(), T("2019-01-01"), T("2019-12-31"))
                                     .cited_sources["source_id"])


def test_label_empty_and_the_message_naming_the_span():
    w = _feb()
    assert w.label == "1 Feb 2020 to 29 Feb 2020" and not w.empty
    gap = Window(_ds(), T("2020-02-02"), T("2020-02-28"))
    assert gap.empty
    assert gap.empty_message() == (
        "No events in the window 2 Feb 2020 to 28 Feb 2020. The dataset runs from "
        "31 Jan 2020 to 1 Mar 2020; choose start_date and end_date inside that span.")


def test_a_window_that_ends_before_it_starts_is_refused(data_dir):
    with pytest.raises(ValueError, match="start_date 2020-03-01 is after end_date 2020-02-01"):
        Window.load(str(data_dir), "2020-03-01", "2020-02-01")
    one_day = Window.load(str(data_dir), "2016-06-03", "2016-06-03")
    assert one_day.events["event_id"].tolist() == ["test-clash"]
