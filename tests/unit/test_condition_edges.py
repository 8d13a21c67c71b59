"""The edges of the analysts' conditions on hand-made numbers: zero on an interval's end, an
edition's last day, an aggregator's copy, and the words each condition is printed with."""

from __future__ import annotations

import pandas as pd
import pytest

from rusturk.analysis import conditions, judgements
from rusturk.analysis.registry import Quantity, Registry
from rusturk.data.narrative import Check, Holds, Level, Part

T = pd.Timestamp


def _q(name="m", low=0.1, high=0.9, sampled=True, value=0.5, label="mean score"):
    return Quantity(name, label, value, f"{value:+.2f}", 30, low, high, sampled=sampled)


@pytest.mark.parametrize(("low", "high", "positive", "negative", "indeterminate"), [
    (0.1, 0.9, True, False, False),
    (0.0, 0.9, False, False, True),  # an interval that starts at zero does not exclude it
    (-0.9, 0.0, False, False, True),
    (-0.9, -0.1, False, True, False),
    (-0.2, 0.4, False, False, True),
    (0.5, 1.5, True, False, False),  # above one too: the threshold is zero, not one
    (-1.5, -0.5, False, True, False),
])
def test_sign_against_zero_at_the_ends_of_the_interval(low, high, positive, negative,
                                                        indeterminate):
    q = _q(low=low, high=high, value=(low + high) / 2)
    assert conditions.sign(q, "positive")[0] is positive
    assert conditions.sign(q, "negative")[0] is negative
    assert conditions.sign(q, "indeterminate")[0] is indeterminate


def test_an_unsampled_range_is_never_indeterminate():
    ranged = _q(low=-1.0, high=1.0, sampled=False)
    assert conditions.sign(ranged, "indeterminate")[0] is False


def test_half_an_interval_is_no_interval():
    half = Quantity("m", "mean score", 0.5, "+0.50", 30, 0.1, float("nan"), sampled=True)
    ok, values = conditions.sign(half, "positive")
    assert not ok and values == "mean score +0.50, n = 30, no interval"
    count = Quantity("k", "killed", 3, "3", 1, float("nan"), 9.0)
    assert conditions.sign(count, "positive")[0]  # the count itself, 3, is above zero
    assert conditions.sign(Quantity("k", "k", -2, "-2", 1), "negative")[0]
    assert not conditions.sign(Quantity("k", "k", 0, "0", 1), "negative")[0]


def test_sign_prints_the_interval_it_judged():
    assert conditions.sign(_q(), "positive")[1] == (
        "mean score +0.50, 95% interval +0.10 to +0.90, n = 30")


def _reg(*qs, start="2020-01-01", end="2020-03-31"):
    reg = Registry(T(start), T(end))
    for q in qs:
        reg.add(q)
    return reg


def test_each_condition_in_words_with_the_quantities_labels():
    reg = _reg(_q("m", label="mean score"), _q("n", label="net share"))
    assert conditions.describe(Check(sign="m", **{"is": "positive"}), reg) == (
        "mean score lies above zero")
    assert conditions.describe(Check(sign="m", **{"is": "negative"}), reg) == (
        "mean score lies below zero")
    assert conditions.describe(Check(sign="m", **{"is": "indeterminate"}), reg) == (
        "the interval of mean score spans zero")
    assert conditions.describe(Check(exceeds="m", over="n"), reg) == (
        "mean score exceed net share")
    # Without the registry, or for a name the period lacks, the name itself.
    assert conditions.describe(Check(exceeds="m", over="x"), reg) == "mean score exceed x"
    assert conditions.describe(Check(sign="m", **{"is": "positive"})) == "m lies above zero"
    h = Holds(months=["2020-01"], phases=["p1"], events=["e1", "e2"])
    assert conditions.describe(Check(holds=h), reg) == (
        "the window holds 2020-01, p1, e1, e2")


def _part(*checks, sources=(), confidence="moderate"):
    return Part("text", ["e1"], list(sources), id="kj-x", confidence=confidence,
                checks=tuple(checks))


def _sources(rows):
    return pd.DataFrame(rows, columns=["source_id", "publisher", "publication_date",
                                       "reliability", "copy_type"])


NO_SOURCES = _sources([])
NO_PHASES = pd.DataFrame(columns=["phase_id", "start", "end"])
NO_DAYS = pd.Series(dtype="datetime64[ns]")


def test_evaluate_names_claim_condition_values_and_verdict_for_every_check():
    reg = _reg(_q("m", label="mean score"))
    part = _part(Check(exceeds="gone", over="m"), Check(sign="m", **{"is": "positive"}),
                 Check(exceeds="a", over="b"))
    out = conditions.evaluate(part, "kj-x", reg, NO_PHASES, NO_DAYS, NO_SOURCES, None)
    assert [o.claim for o in out] == ["kj-x"] * 3
    assert [o.passed for o in out] == [False, True, False]
    assert out[0].condition == "gone exceed mean score"
    assert out[0].values == "no quantity gone in 1 Jan 2020 to 31 Mar 2020"
    assert out[2].values == "no quantity a, b in 1 Jan 2020 to 31 Mar 2020"
    assert out[1].condition == "mean score lies above zero"
    assert out[1].values == "mean score +0.50, 95% interval +0.10 to +0.90, n = 30"
    assert out[0].line() == (
        "kj-x: gone exceed mean score fails (no quantity gone in 1 Jan 2020 to 31 Mar 2020)")
    assert out[1].line() == ("kj-x: mean score lies above zero holds (mean score +0.50, 95% "
                             "interval +0.10 to +0.90, n = 30)")


def test_the_support_outcome_is_named_by_the_confidence_level():
    level = Level(meaning="well supported", min_publishers=1, grades=["A", "B"])
    rows = _sources([("s1", "AP", T("2020-01-05"), "B", "original")])
    out = conditions.evaluate(_part(sources=["s1"], confidence="high"), "kj-x", _reg(),
                              NO_PHASES, NO_DAYS, rows, level)
    (support,) = out
    assert support.claim == "kj-x" and support.passed
    assert support.condition == "high confidence's support"
    assert support.values == "1 distinct publishers graded A/B; 1 required"


HIGH = Level(meaning="well supported", min_publishers=2, grades=["A", "B"])


def _support(rows, ids, end="2020-02-27"):
    return conditions.support(_part(sources=ids), HIGH, _sources(rows), T(end))


def test_a_source_published_on_the_editions_last_day_supports_it():
    rows = [("a", "AP", T("2020-02-27"), "B", "original"),
            ("b", "AFP", T("2020-02-27"), "A", "original")]
    assert _support(rows, ["a", "b"])[0]
    assert not _support(rows, ["a", "b"], end="2020-02-26")[0]


def test_an_aggregators_copy_is_no_support():
    rows = [("a", "AP", T("2020-02-01"), "B", "original"),
            ("b", "News feed", T("2020-02-01"), "B", "aggregator")]
    ok, values = _support(rows, ["a", "b"])
    assert not ok and values.startswith("1 distinct publishers")


@pytest.mark.parametrize("second", [
    "reuters", "Reuters (via ARY News)", "Reuters (wire)", "  Reuters ", "REUTERS"])
def test_one_publisher_however_its_name_is_written(second):
    rows = [("a", "Reuters", T("2020-02-01"), "B", "original"),
            ("b", second, T("2020-02-01"), "B", "syndicated")]
    assert _support(rows, ["a", "b"]) == (False, "1 distinct publishers graded A/B; 2 required")


def test_publishers_that_share_a_first_word_are_two():
    rows = [("a", "The Guardian", T("2020-02-01"), "B", "original"),
            ("b", "The Times (via PressReader)", T("2020-02-01"), "B", "syndicated")]
    assert _support(rows, ["a", "b"])[0]


def test_an_unknown_placeholder_is_named_with_the_known_ones():
    with pytest.raises(judgements.PlaceholderError,
                       match=r"^\{x\} is not a computed quantity; known: a, b$"):
        judgements.fill("{x}", {"b": "2", "a": "1"}, pd.Series(dtype="datetime64[ns]"))


def _flags(name, flags):
    return Quantity(name, name, float(sum(flags)), str(sum(flags)), len(flags),
                    indicator=tuple(flags))


def test_two_events_against_none_exceed_and_print_the_interval_of_the_difference():
    # Every resample of a difference that is 1 for both events has mean 1: the interval of
    # the difference of the counts is 2 to 2.
    ok, values = conditions.exceeds(_flags("a", [1, 1]), _flags("b", [0, 0]))
    assert ok
    assert values == "a 2 against b 0; difference +2, 95% interval +2.0 to +2.0, n = 2"


def test_an_interval_of_the_difference_that_touches_zero_is_not_clear_of_it():
    # One event of two: a quarter of the resamples draw the other twice, so the interval
    # starts at zero.
    ok, values = conditions.exceeds(_flags("a", [1, 0]), _flags("b", [0, 0]))
    assert not ok and "95% interval +0.0 to +2.0" in values


def test_four_of_twenty_against_none_is_clear_of_zero():
    # 0.8**20 ≈ 1.2% of the resamples draw none of the four: the interval's lower end is one
    # event, above zero though not above one.
    assert conditions.exceeds(_flags("a", [1] * 4 + [0] * 16), _flags("b", [0] * 20))[0]


def test_counts_without_indicators_compare_their_values():
    ten, three = Quantity("t", "ten", 10, "10", 1), Quantity("h", "three", 3, "3", 1)
    assert conditions.exceeds(ten, three) == (
        True, "ten 10 (lowest 10) against three 3 (highest 3)")
    assert not conditions.exceeds(three, ten)[0]
    touching = Quantity("r", "range", 8, "8", 2, 3.0, 9.0)
    assert not conditions.exceeds(touching, three)[0]  # its lowest reading ties the other


def test_the_difference_printed_is_a_minus_b():
    _, values = conditions.exceeds(_flags("a", [1, 1, 1, 0]), _flags("b", [0, 0, 0, 1]))
    assert "a 3 against b 1; difference +2, 95% interval " in values


PHASE = pd.DataFrame({"phase_id": ["p"], "start": [T("2020-01-10")], "end": [T("2020-02-20")]})


@pytest.mark.parametrize(("start", "end", "ok"), [
    ("2020-02-20", "2020-03-31", True),  # the window opens on the phase's last day
    ("2020-02-21", "2020-03-31", False),
    ("2019-12-01", "2020-01-10", True),  # the window closes on the phase's first day
    ("2019-12-01", "2020-01-09", False),
])
def test_a_phase_touching_the_window_is_held(start, end, ok):
    got = conditions.holds(Holds(phases=["p"]), T(start), T(end), PHASE, NO_DAYS)
    assert got == ((True, "all in the window") if ok else (False, "missing phase p"))


@pytest.mark.parametrize(("start", "end", "ok"), [
    ("2020-02-01", "2020-02-29", True),  # February of a leap year, whole
    ("2020-02-02", "2020-02-29", False),
    ("2020-02-01", "2020-02-28", False),
    ("2020-01-31", "2020-03-01", True),
])
def test_a_month_is_held_only_whole(start, end, ok):
    assert conditions.holds(Holds(months=["2020-02"]), T(start), T(end), PHASE,
                            NO_DAYS)[0] is ok


def test_an_event_on_either_edge_of_the_window_is_held():
    days = pd.Series({"first": T("2020-02-01"), "last": T("2020-02-29"), "undated": pd.NaT})
    h = Holds(events=["first", "last"])
    assert conditions.holds(h, T("2020-02-01"), T("2020-02-29"), PHASE, days) == (
        True, "all in the window")
    assert conditions.holds(Holds(events=["undated", "unknown", "last"]), T("2020-02-01"),
                            T("2020-02-28"), PHASE, days) == (
        False, "missing event undated, event unknown, event last")
    assert conditions.holds(Holds(phases=["gone"]), T("2020-02-01"), T("2020-02-29"),
                            NO_PHASES, days) == (False, "missing phase gone")
