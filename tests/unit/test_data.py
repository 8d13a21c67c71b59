"""Loading: types, derived columns, and refusal of invalid data."""

from __future__ import annotations

import pandas as pd
import pytest

from rusturk.common.problems import DataError
from rusturk.data.dataset import load


def test_types_and_lookups(data_dir):
    ds = load(data_dir)
    events = ds.events.set_index("event_id")
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert isinstance(events["category"].dtype, pd.CategoricalDtype)
    assert list(events["category"].cat.categories)[:2] == ["diplomatic", "economic"]
    assert events.loc["test-clash", "goldstein"] == -10.0
    assert events.loc["test-clash", "quad_class"] == 4
    assert events.loc["test-clash", "quad_class_label"] == "material conflict"
    assert events.loc["test-clash", "source_ids"] == ["test-article", "test-codebook"]
    assert events.loc["test-clash", "primary_source_id"] == "test-article"
    assert pd.isna(events.loc["test-accord", "latitude"])


def test_dates_keep_precision_and_best_date(data_dir):
    events = load(data_dir).events.set_index("event_id")
    assert events.loc["test-accord", "date"] == pd.Timestamp("2016-05-01")
    assert events.loc["test-accord", "date_end"] == pd.Timestamp("2016-05-31")
    assert events.loc["test-accord", "date_best"] == pd.Timestamp("2016-05-10")  # pinned day
    assert events.loc["test-clash", "date_best"] == pd.Timestamp("2016-06-03")


def test_phase_assignment_and_duration(data_dir):
    ds = load(data_dir)
    assert dict(zip(ds.events["event_id"], ds.events["phase_id"], strict=True)) == {
        "test-accord": "p-one", "test-clash": "p-two"}
    assert list(ds.phases["duration_days"]) == [31, 30]
    assert ds.study_period == (pd.Timestamp("2016-05-01"), pd.Timestamp("2016-06-30"))


def test_figures_reference_date(data_dir):
    figures = load(data_dir).figures
    assert (figures["date_ref"] == pd.Timestamp("2016-06-03")).all()
    assert figures["value_low"].dtype == "Int64"


def test_version_changes_with_any_file(data_dir):
    before = load(data_dir).version
    raw = data_dir / "raw" / "article.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert load(data_dir).version != before
    assert len(before) == 12


def test_invalid_data_raises_with_every_problem(data_dir, edit):
    edit("events", 0, "category", "cultural")
    edit("figures", 0, "measure", "dead")
    with pytest.raises(DataError) as info:
        load(data_dir)
    assert len(info.value.problems) == 2
    assert "events.csv:2: category" in str(info.value)
