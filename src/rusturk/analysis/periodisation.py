"""Change points: where a monthly series breaks, whether a break beats noise, and how near
each curated boundary lies to one. The one method of the curated and the stream analyses."""

from __future__ import annotations

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


def _split(x: np.ndarray, seed: int) -> tuple[int, float, float]:
    """The best split of a segment (ruptures' binary segmentation, L2 cost), its gain, and
    the permutation p-value: the share of month orders that split as well."""
    # Imported here: ruptures and scipy take 1 s to import, which a notebook or a test
    # that finds no periods need not pay.
    import ruptures
    import scipy.stats

    k = ruptures.Binseg(model="l2", min_size=MIN_SEGMENT_MONTHS, jump=1).fit(x).predict(
        n_bkps=1)[0]

    def best_gain(order: np.ndarray, axis: int = -1) -> np.ndarray:
        return _gains(x[order]).max(axis=-1)

    test = scipy.stats.permutation_test(
        (np.arange(len(x)),), best_gain, permutation_type="pairings", vectorized=True,
        n_resamples=PERMUTATIONS, alternative="greater", rng=np.random.default_rng(seed))
    return k, float(_gains(x)[k - MIN_SEGMENT_MONTHS]), float(test.pvalue)


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
