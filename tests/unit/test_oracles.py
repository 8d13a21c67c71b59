"""The resampling and segmentation written out in analysis/ against the libraries they follow
(scipy.stats.bootstrap, scipy.stats.permutation_test, ruptures.Binseg), to the last bit.

The libraries are imported inside the tests, not at the top: every test worker collects every
file, and scipy.stats with ruptures costs each of them a second to import."""

from __future__ import annotations

import numpy as np
import pytest

from rusturk.analysis import periodisation, stats


def _samples():
    """Thirty samples: normal, integer-valued (ties) and ±1 (the net-cooperation share)."""
    g = np.random.default_rng(7)
    for trial in range(30):
        n = int(g.integers(2, 40))
        a = [g.normal(size=n) * 10, g.integers(-10, 11, n).astype(float),
             np.where(g.random(n) < 0.5, 1.0, -1.0)][trial % 3]
        b = g.integers(-10, 11, int(g.integers(2, 25))).astype(float)
        yield a, b, int(g.integers(0, 2**31)), int(g.choice([2, 7, 40, 999, 2000]))


def _scipy_interval(samples, statistic, seed, replicates):
    import scipy.stats

    ci = scipy.stats.bootstrap(samples, statistic, n_resamples=replicates,
                               confidence_level=stats.CONFIDENCE, method="percentile",
                               vectorized=True, rng=np.random.default_rng(seed)
                               ).confidence_interval
    return float(ci.low), float(ci.high)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # scipy's standard error of 2 draws
def test_the_bootstrap_interval_is_scipys_to_the_bit():
    for a, b, seed, replicates in _samples():
        for args in (((a,), stats._mean), ((a, b), stats._mean_difference)):
            mine = stats._percentile_interval(*args, seed, replicates)
            assert mine == _scipy_interval(*args, seed, replicates)
    # A missing value spoils the interval, as in scipy; infinities are kept.
    for values in ([1.0, np.nan, 3.0], [np.inf, -np.inf, 2.0], [np.inf, 1.0, 2.0]):
        a = np.asarray(values)
        np.testing.assert_array_equal(stats._percentile_interval((a,), stats._mean, 5, 2000),
                                      _scipy_interval((a,), stats._mean, 5, 2000))


def _series():
    """120 monthly series of 6 to 59 months: counts, exact ties (alternating, constant), a step.
    6 months is the exact test (720 orders), longer ones the random one; among them, orders
    that split as well as the observed one but differ from it in the last bits, which scipy's
    tolerance counts (trials 73, 80, 102, 111 and 112 fail without it)."""
    g = np.random.default_rng(3)
    for trial in range(120):
        n = 6 if trial < 8 else int(g.integers(7, 60))
        columns = 1 + trial % 2
        kind = (trial // 2) % 4
        if kind == 0:
            x = g.poisson(3, (n, columns)).astype(float)
        elif kind == 1:
            x = np.tile([[1.0, 2.0], [2.0, 1.0]], (n // 2 + 1, 1))[:n, :columns]
        elif kind == 2:
            x = np.ones((n, columns))
        else:
            x = g.normal(size=(n, columns)) + (np.arange(n) > n // 2)[:, None] * 3
        yield x, int(g.integers(0, 10**6))


def test_the_split_is_ruptures_binary_segmentation():
    import ruptures

    for x, _ in _series():
        expected = ruptures.Binseg(model="l2", min_size=periodisation.MIN_SEGMENT_MONTHS,
                                   jump=1).fit(x).predict(n_bkps=1)[0]
        assert periodisation._binseg_split(x) == expected


def test_the_p_value_is_scipys_permutation_test():
    import scipy.stats

    for x, seed in _series():
        def best_gain(order, axis=-1, x=x):
            return periodisation._gains(x[order]).max(axis=-1)

        expected = scipy.stats.permutation_test(
            (np.arange(len(x)),), best_gain, permutation_type="pairings", vectorized=True,
            n_resamples=periodisation.PERMUTATIONS, alternative="greater",
            rng=np.random.default_rng(seed)).pvalue
        assert periodisation._permutation_p(x, seed) == float(expected)
