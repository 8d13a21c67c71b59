"""Support before claims, on hand-made samples: the seeded bootstrap checked against a
resampling written out here with numpy, the thresholds at their edges, and the ranking."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rusturk.analysis import stats

# Ten and twelve values with many distinct resample means, so that a change of seed, of the
# number of replicates or of the confidence level moves the percentiles.
TEN = [-10.0, -10.0, 8.0, 1.0, 4.0, 7.0, -2.0, 3.4, 1.9, 7.4]
TWELVE = [5.0, 6.0, 7.0, 1.0, 2.0, 9.0, 4.0, 4.5, 3.0, 8.0, 2.2, 6.6]


def _by_hand(samples, statistic, seed, replicates=2000):
    """The percentile bootstrap written out: one generator, each sample resampled in turn
    with `integers(0, n, (replicates, n))`, the 2.5th and 97.5th percentiles (numpy's linear
    interpolation) of the resampled statistic."""
    rng = np.random.default_rng(seed)
    drawn = [np.asarray(s)[rng.integers(0, len(s), (replicates, len(s)))].mean(axis=1)
             for s in samples]
    return tuple(np.percentile(statistic(*drawn), [2.5, 97.5]))


def test_bootstrap_mean_is_the_seeded_percentile_interval():
    e = stats.bootstrap_mean(v for v in TEN)  # any iterable, read once
    assert (e.mean, e.n) == (pytest.approx(1.07), 10)  # sum 10.7 over 10
    assert (e.low, e.high) == pytest.approx(_by_hand([TEN], lambda m: m, stats.SEED))
    other = stats.bootstrap_mean(TEN, seed=7, replicates=500)
    assert (other.low, other.high) == pytest.approx(_by_hand([TEN], lambda m: m, 7, 500))
    assert (other.low, other.high) != (e.low, e.high)


def test_bootstrap_mean_on_cases_known_by_hand():
    empty = stats.bootstrap_mean([])
    assert empty.n == 0 and all(math.isnan(v) for v in (empty.mean, empty.low, empty.high))
    one = stats.bootstrap_mean([5])
    assert (one.mean, one.n) == (5.0, 1) and math.isnan(one.low) and math.isnan(one.high)
    assert isinstance(one.mean, float)
    # Two values: a resample's mean is 0, 0.5 or 1 with chances 1/4, 1/2, 1/4, so the 2.5th
    # and 97.5th percentiles of 2,000 resampled means are the extremes.
    two = stats.bootstrap_mean([0, 1])
    assert (two.mean, two.low, two.high, two.n) == (0.5, 0.0, 1.0, 2)
    # Integers are read as numbers: a mean of 1 and 2 is 1.5, not a floor division.
    assert stats.bootstrap_mean([1, 2]).mean == 1.5


def test_support_needs_ten_events():
    assert not stats.bootstrap_mean([1.0] * 9).supported
    assert stats.bootstrap_mean([1.0] * 10).supported


def test_difference_resamples_each_group_on_its_own_seed():
    d = stats.difference(iter(TWELVE), iter(TEN))
    assert d.value == pytest.approx(sum(TWELVE) / 12 - sum(TEN) / 10)
    assert (d.a.low, d.a.high) == pytest.approx(_by_hand([TWELVE], lambda m: m, stats.SEED))
    assert (d.b.low, d.b.high) == pytest.approx(_by_hand([TEN], lambda m: m, stats.SEED + 1))
    assert (d.low, d.high) == pytest.approx(
        _by_hand([TWELVE, TEN], lambda a, b: a - b, stats.SEED + 2))
    e = stats.difference(TWELVE, TEN, seed=3, replicates=400)
    assert (e.low, e.high) == pytest.approx(_by_hand([TWELVE, TEN], lambda a, b: a - b, 5, 400))
    assert (e.a.low, e.a.high) == pytest.approx(_by_hand([TWELVE], lambda m: m, 3, 400))
    assert (e.b.low, e.b.high) == pytest.approx(_by_hand([TEN], lambda m: m, 4, 400))


def test_difference_of_groups_too_small_to_resample_has_no_interval():
    for a, b in (([1.0], [1.0, 2.0, 3.0]), ([1.0, 2.0, 3.0], [1.0])):
        d = stats.difference(a, b)
        assert math.isnan(d.low) and math.isnan(d.high) and not d.distinguishable
        assert (d.a.n, d.b.n) == (len(a), len(b))  # each group's own estimate is kept
        assert (d.a.mean, d.b.mean) == (sum(a) / len(a), sum(b) / len(b))
    # Groups of two: the difference's extremes are 1 − 0 and 0 − 1, each drawn with chance
    # 1/16, so the percentiles of 2,000 resamples are −1 and +1.
    d = stats.difference([0, 1], [0, 1])
    assert (d.low, d.high, d.distinguishable) == (-1.0, 1.0, False)


def test_leaders_are_the_two_highest_or_lowest_means():
    groups = {"a": [1.0, 3.0], "b": [5.0], "c": [-2.0, 0.0], "d": [4.0, 4.5]}
    # Means: a 2, b 5, c −1, d 4.25.
    assert stats.leaders(groups) == ("b", "d")
    assert stats.leaders(groups, highest=True) == ("b", "d")
    assert stats.leaders(groups, highest=False) == ("c", "a")


def test_ranked_names_a_leader_only_where_the_data_carry_it():
    high, low = [8.0, 7.0] * 5, [-8.0, -7.0] * 5  # ten each: the threshold exactly
    assert stats.ranked({"a": high, "b": low}) == "a"
    assert stats.ranked({"a": high, "b": low}, highest=False) == "b"
    assert stats.ranked({"a": high, "b": low}, False) == "b"
    assert stats.ranked({"a": high, "b": low, "c": [0.0] * 10}) == "a"  # a against c, not b
    assert stats.ranked({"a": high, "b": low[:-1]}) is None  # nine events in b
    assert stats.ranked({"a": high[:-1], "b": low}) is None
    assert stats.ranked({"a": high}) is None  # nothing to rank against
    # Leader and runner-up within a point of each other on identical spreads: constant
    # groups give a zero-width interval at the difference, so 0.5 apart is distinguishable,
    # but two groups with the same values are not.
    assert stats.ranked({"a": [1.5] * 10, "b": [1.0] * 10, "c": [-9.0] * 10}) == "a"
    assert stats.ranked({"a": high, "b": list(high), "c": low}) is None
