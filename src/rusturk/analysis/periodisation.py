"""Change points: where a monthly series breaks, whether a break beats noise, and how near
each curated boundary lies to one. The one method of the curated and the stream analyses."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from rusturk.analysis.stats import SEED

PERMUTATIONS = 999
ALPHA = 0.05
MIN_SEGMENT_MONTHS = 3  # a "phase" shorter than a quarter is one burst of events, not a phase
# A boundary "matches" a detected break when they are at most this far apart.
TOLERANCE_DAYS = 60
COLUMNS = ("cooperation", "conflict")


def _gains(x: np.ndarray) -> np.ndarray:
    """For every split point k (the first month of the second segment), how much splitting
    there lowers the sum of squared deviations from the segment means; `x` is (..., months,
    columns), so a batch of reorderings is scored at once."""
    n = x.shape[-2]
    csum = np.cumsum(x, axis=-2)
    total = csum[..., -1:, :]
    ks = np.arange(MIN_SEGMENT_MONTHS, n - MIN_SEGMENT_MONTHS + 1)
    left = csum[..., ks - 1, :]
    right = total - left
    nl, nr = ks[:, None], (n - ks)[:, None]
    # SSE(all) − SSE(left) − SSE(right) = nl·nr/n · |mean_left − mean_right|²
    return ((nl * nr / n) * (left / nl - right / nr) ** 2).sum(axis=-1)


def _binseg_split(x: np.ndarray) -> int:
    """The best single split of a segment by binary segmentation with the L2 cost: ruptures'
    `Binseg(model="l2", min_size=MIN_SEGMENT_MONTHS, jump=1).fit(x).predict(n_bkps=1)[0]`
    step for step (each segment's cost is its variance times its length, and the largest
    gain wins, the later split on a tie), so it picks the same month to the last bit
    (tests/unit/test_oracles.py compares them)."""
    n = len(x)

    def cost(start: int, end: int) -> float:
        return x[start:end].var(axis=0).sum() * (end - start)

    whole = cost(0, n)
    return max((whole - cost(0, k) - cost(k, n), k)
               for k in range(MIN_SEGMENT_MONTHS, n - MIN_SEGMENT_MONTHS + 1))[1]


def _permutation_p(x: np.ndarray, seed: int) -> float:
    """The share of month orders whose best split gains at least as much as the observed
    one: scipy's `permutation_test((arange(n),), best gain, permutation_type="pairings",
    vectorized=True, n_resamples=PERMUTATIONS, alternative="greater", rng=default_rng(seed))`
    step for step, to the last bit (compared in tests/unit/test_oracles.py).
    Every order when there are no more than PERMUTATIONS of them (p = share), else
    PERMUTATIONS random ones with the observed order counted in (p = (count + 1) / (N + 1))."""
    n = len(x)
    observed = _gains(x).max(axis=-1)
    exact = math.factorial(n) <= PERMUTATIONS
    if exact:
        orders = np.array(list(itertools.permutations(range(n))))
    else:
        indices = np.tile(np.arange(n), (PERMUTATIONS, 1, 1))
        orders = np.random.default_rng(seed).permuted(indices, axis=-1)[:, 0, :]
    null = _gains(x[orders]).max(axis=-1)
    # Orders that tie with the observed one in exact arithmetic may differ from it in the
    # last bits: scipy's relative tolerance counts them as ties.
    gamma = abs(np.finfo(np.float64).eps * 100 * observed)
    adjustment = 0 if exact else 1
    count = np.count_nonzero(null >= observed - gamma) + adjustment
    return float(np.clip(np.float64(count) / (len(orders) + adjustment), 0.0, 1.0))


def _split(x: np.ndarray, seed: int) -> tuple[int, float, float]:
    """The best split of a segment (binary segmentation, L2 cost), its gain, and the
    permutation p-value: the share of month orders that split as well. Both are written out
    rather than taken from ruptures and scipy.stats, whose imports cost about 1.2 s in the
    kernel of every notebook that finds periods."""
    k = _binseg_split(x)
    return k, float(_gains(x)[k - MIN_SEGMENT_MONTHS]), _permutation_p(x, seed)


def breaks(series: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Binary segmentation of a monthly (or weekly) series, one column or several, a split
    kept only when a permutation test says it beats noise (p < ALPHA), each half then tested
    in turn. `before` and `after` are the means of the summed columns on either side.

    Examples:
        >>> months = pd.date_range("2016-01-01", periods=24, freq="MS")
        >>> step = pd.DataFrame({"cooperation": [1] * 12 + [6] * 12,
        ...                      "conflict": [3, 2] * 12}, index=months)
        >>> breaks(step)["month"].dt.strftime("%Y-%m").tolist()
        ['2017-01']
        >>> flat = pd.DataFrame({"cooperation": [1, 2] * 12, "conflict": [2, 1] * 12},
        ...                     index=months)
        >>> breaks(flat).empty
        True
    """
    x = series.to_numpy(dtype=float)
    found: list[dict] = []
    todo = [(0, len(x))]
    while todo:
        a, b = todo.pop()
        if b - a < 2 * MIN_SEGMENT_MONTHS:
            continue
        k, gain, p = _split(x[a:b], seed + a * 1000 + b)
        if p < ALPHA:
            found.append({"month": series.index[a + k], "p_value": p, "gain": gain,
                          "before": float(x[a:a + k].sum(axis=1).mean()),
                          "after": float(x[a + k:b].sum(axis=1).mean())})
            todo += [(a, a + k), (a + k, b)]
    frame = pd.DataFrame(found, columns=["month", "p_value", "gain", "before", "after"])
    return frame.sort_values("month").reset_index(drop=True)


def compare(candidates: pd.DataFrame, detected: pd.Series) -> pd.DataFrame:
    """Each candidate boundary (curated or alternative) with the nearest detected break and
    the gap in days, positive when the break comes later.

    Examples:
        >>> c = pd.DataFrame({"boundary": ["a"], "date": [pd.Timestamp("2016-06-27")],
        ...                   "kind": ["curated"]})
        >>> compare(c, pd.Series([pd.Timestamp("2016-07-01")]))["gap_days"].tolist()
        [4]
    """
    rows = []
    for c in candidates.itertuples(index=False):
        nearest = (min(detected, key=lambda d: abs((d - c.date).days))
                   if len(detected) else pd.NaT)
        gap = (nearest - c.date).days if pd.notna(nearest) else None
        rows.append({"boundary": c.boundary, "kind": c.kind, "date": c.date,
                     "nearest_break": nearest, "gap_days": gap,
                     "matched": gap is not None and abs(gap) <= TOLERANCE_DAYS})
    return pd.DataFrame(rows, columns=["boundary", "kind", "date", "nearest_break", "gap_days",
                                       "matched"])
