"""Support before claims: bootstrap intervals, and when a difference may be stated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Fixed, so every build draws the same resamples and reports the same bytes.
SEED = 20151124
REPLICATES = 2000
CONFIDENCE = 0.95
# A mean of fewer events is not compared with another. With under ten events a single
# shoot-down (−10) or signed agreement (+8) moves a mean by a point or more, and the
# percentile bootstrap's interval is too narrow to trust (it cannot show what the few
# events did not happen to include).
MIN_EVENTS = 10


@dataclass(frozen=True)
class Estimate:
    """A mean with its number of observations and its bootstrap interval (NaN under 2)."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def supported(self) -> bool:
        return self.n >= MIN_EVENTS


def bootstrap_mean(values, seed: int = SEED, replicates: int = REPLICATES) -> Estimate:
    """The mean and its percentile bootstrap interval, resampling the events.

    Examples:
        >>> e = bootstrap_mean([1.0, 2.0, 3.0, 4.0])
        >>> e.mean, e.n, e.low <= e.mean <= e.high, e == bootstrap_mean([1.0, 2.0, 3.0, 4.0])
        (2.5, 4, True, True)
        >>> bootstrap_mean([5.0])
        Estimate(mean=5.0, low=nan, high=nan, n=1)
    """
    data = np.asarray(list(values), dtype=float)
    n = len(data)
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    if n < 2:
        return Estimate(float(data.mean()), float("nan"), float("nan"), n)
    low, high = _percentile_interval((data,), _mean, seed, replicates)
    return Estimate(float(data.mean()), low, high, n)


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return x.mean(axis=axis)


def _mean_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return a.mean(axis=axis) - b.mean(axis=axis)


def _percentile_interval(samples: tuple, statistic, seed: int,
                         replicates: int) -> tuple[float, float]:
    """The percentile bootstrap: each sample resampled on its own from one seeded generator
    (the draws, in order, of `rng.integers(0, n, (replicates, n))` per sample), then the
    (1 − CONFIDENCE)/2 and 1 − (1 − CONFIDENCE)/2 quantiles of the resampled statistic by
    Hyndman and Fan's definition 7 (linear interpolation).

    This is scipy.stats.bootstrap(method="percentile", vectorized=True) step for step, to
    the last bit (tests/unit/test_oracles.py compares them); written out because
    importing scipy.stats costs 0.75 s in every process that reports a mean: the build's
    own pre-flight check and each notebook kernel.
    """
    rng = np.random.default_rng(seed)
    drawn = [s[rng.integers(0, s.shape[-1], (replicates, s.shape[-1]))] for s in samples]
    theta = np.sort(statistic(*drawn, axis=-1))
    if np.isnan(theta).any():  # as scipy's quantile propagates a missing value
        return float("nan"), float("nan")
    alpha = np.float64((1 - CONFIDENCE) / 2)
    p = np.array([alpha, 1 - alpha])
    n = len(theta)
    jg = p * n + (1 - p)  # definition 7: m = 1 − p
    j = jg // 1 - 1
    g = np.where(j < 0, 0.0, jg % 1)
    lower = theta[np.clip(j, 0, n - 1).astype(np.int64)]
    upper = theta[np.clip(j + 1, 0, n - 1).astype(np.int64)]
    low, high = (1 - g) * lower + g * upper
    return float(low), float(high)


@dataclass(frozen=True)
class Difference:
    """Group a minus group b, with the bootstrap interval of the difference."""

    a: Estimate
    b: Estimate
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.a.mean - self.b.mean

    @property
    def distinguishable(self) -> bool:
        """Both groups large enough and the interval of the difference clear of zero."""
        return (self.a.supported and self.b.supported
                and (self.low > 0 or self.high < 0))


def difference(a, b, seed: int = SEED, replicates: int = REPLICATES) -> Difference:
    """The difference of two means, each group resampled on its own.

    Examples:
        >>> d = difference([9.0] * 8 + [8.0] * 4, [-9.0] * 10 + [-8.0] * 2)
        >>> round(d.value, 2), d.distinguishable
        (17.5, True)
        >>> difference([1.0, 2.0], [0.0, 3.0]).distinguishable
        False
    """
    xa, xb = np.asarray(list(a), dtype=float), np.asarray(list(b), dtype=float)
    ea, eb = bootstrap_mean(xa, seed, replicates), bootstrap_mean(xb, seed + 1, replicates)
    if len(xa) < 2 or len(xb) < 2:
        return Difference(ea, eb, float("nan"), float("nan"))
    low, high = _percentile_interval((xa, xb), _mean_difference, seed + 2, replicates)
    return Difference(ea, eb, low, high)


def leaders(groups: dict[str, list[float]], highest: bool = True) -> tuple[str, str]:
    """The two groups with the highest (or lowest) means, first the leader.

    Examples:
        >>> leaders({"a": [1.0], "b": [3.0], "c": [2.0]})
        ('b', 'c')
    """
    order = sorted(groups, key=lambda k: float(np.mean(groups[k])), reverse=highest)
    return order[0], order[1]


def ranked(groups: dict[str, list[float]], highest: bool = True) -> str | None:
    """The group with the highest (or lowest) mean, only where the data can carry the claim:
    every group has at least MIN_EVENTS and the leader's difference from the runner-up is
    clear of zero. None means the data cannot tell them apart.

    Examples:
        >>> ranked({"a": [5.0] * 12, "b": [1.0] * 6 + [2.0] * 6})
        'a'
        >>> ranked({"a": [5.0] * 3, "b": [1.0] * 12}) is None
        True
    """
    if len(groups) < 2 or any(len(v) < MIN_EVENTS for v in groups.values()):
        return None
    first, second = leaders(groups, highest)
    d = difference(groups[first], groups[second])
    return first if d.distinguishable else None
