"""Validation rules the first file of rule tests leaves alone, each on the small valid dataset of
conftest.py with one thing broken: where the problem is (file, line, column) and what it says."""

from __future__ import annotations

from rusturk.data.validate import validate


def _problems(data_dir) -> list[tuple[str, int, str, str]]:
    return [(p.file.rsplit("/", 1)[-1], p.row, p.column, p.message)
            for p in validate(data_dir).problems]


def test_a_source_read_before_it_was_published(data_dir, edit):
    edit("sources", 0, "access_date", "2016-06-03")  # published 2016-06-04
    assert _problems(data_dir) == [(
        "sources.csv", 2, "access_date",
        "2016-06-03 is before publication_date 2016-06-04; a source is read after it appears")]
    edit("sources", 0, "access_date", "2016-06-04")  # read on the day it appeared
    assert _problems(data_dir) == []


def test_a_tally_counted_from_after_its_as_of(data_dir, edit):
    edit("figures", 0, "as_of", "2016-06-05")
    edit("figures", 0, "counted_from", "2016-06-06")
    assert _problems(data_dir) == [(
        "figures.csv", 2, "counted_from", "2016-06-06 is after as_of 2016-06-05")]
    edit("figures", 0, "counted_from", "2016-06-05")  # the same day is allowed
    assert _problems(data_dir) == []


def test_as_of_and_counted_from_inside_the_study_period(data_dir, edit):
    # The phases of the fixture run from 2016-05-01 to 2016-06-30.
    edit("figures", 0, "as_of", "2016-07-01")
    edit("figures", 0, "counted_from", "2016-04-30")
    assert _problems(data_dir) == [
        ("figures.csv", 2, "as_of", "'2016-07-01' is outside the study period 2016-05-01 to "
         "2016-06-30 (the span of phases.csv)"),
        ("figures.csv", 2, "counted_from", "'2016-04-30' is outside the study period "
         "2016-05-01 to 2016-06-30 (the span of phases.csv)")]
    edit("figures", 0, "as_of", "2016-06-30")
    edit("figures", 0, "counted_from", "2016-05-01")
    assert _problems(data_dir) == []


def test_a_phase_opens_with_an_event_inside_it(data_dir, edit):
    edit("phases", 1, "opening_event_id", "test-accord")  # 10 May, the phase is June
    assert _problems(data_dir) == [(
        "phases.csv", 3, "opening_event_id",
        "event 'test-accord' (best date 2016-05-10) is not inside the phase 2016-06-01 to "
        "2016-06-30")]


def test_a_gap_and_an_overlap_between_phases_name_the_expected_start(data_dir, edit):
    edit("phases", 1, "start", "2016-06-03")
    assert _problems(data_dir) == [(
        "phases.csv", 3, "start",
        "2016-06-03 leaves a gap after phase 'p-one', which ends 2016-05-31; expected "
        "2016-06-01")]
    edit("phases", 1, "start", "2016-05-31")
    assert _problems(data_dir) == [(
        "phases.csv", 3, "start",
        "2016-05-31 overlaps phase 'p-one', which ends 2016-05-31; expected 2016-06-01")]


def test_a_value_range_in_order_and_out_of_order(data_dir, edit):
    # The second figure reads 5 to 9 with 6 best.
    edit("figures", 1, "value_low", "6")
    edit("figures", 1, "value_high", "6")
    assert _problems(data_dir) == []
    edit("figures", 1, "value_low", "7")
    edit("figures", 1, "value_high", "5")
    assert _problems(data_dir) == [
        ("figures.csv", 3, "value_high", "5 is less than value_best 6"),
        ("figures.csv", 3, "value_low", "7 is greater than value_best 6")]


def test_an_exact_date_outside_the_study_period_is_named_on_that_column(data_dir, edit):
    edit("events", 0, "date", "2016")
    edit("events", 0, "date_precision", "year")
    edit("events", 0, "exact_date", "2016-12-01")
    edit("events", 0, "exact_date_evidence", "signed on 1 December 2016")
    problems = _problems(data_dir)
    assert ("events.csv", 2, "exact_date",
            "the event is placed on 2016-12-01, outside the study period 2016-05-01 to "
            "2016-06-30; give exact_date (with its source) or a date at finer precision"
            ) in problems
