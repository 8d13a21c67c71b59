"""Change points on hand-made monthly series: the gain of each split written out as sums of
squares, the permutation test replayed here with numpy, exact p-values where every order
can be counted, and the boundaries' gaps in days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rusturk.analysis import periodisation

T = pd.Timestamp


def _sse(seg: np.ndarray) -> np.ndarray:
    """Sum of squared deviations from the segment's column means, over months and columns."""
    return ((seg - seg.mean(axis=-2, keepdims=True)) ** 2).sum(axis=(-2, -1))


def _gains(x: np.ndarray, m: int = 3) -> np.ndarray:
    """SSE(all) − SSE(left) − SSE(right) for each split k from m to n − m, computed directly."""
    n = x.shape[-2]
    return np.stack([_sse(x) - _sse(x[..., :k, :]) - _sse(x[..., k:, :])
                     for k in range(m, n - m + 1)], axis=-1)


def _p_value(x: np.ndarray, seed: int) -> float:
    """The permutation test replayed: 999 orders drawn as `permuted` rows of one seeded
    generator, the share (observed included) whose best split gains at least as much."""
    n = len(x)
    rng = np.random.default_rng(seed)
    orders = rng.permuted(np.tile(np.arange(n), (999, 1, 1)), axis=-1)[:, 0, :]
    observed = _gains(x).max()
    null = _gains(x[orders]).max(axis=-1)
    return (np.sum(null >= observed - abs(observed) * 1e-13) + 1) / 1000


def _frame(*columns, start="2016-01-01") -> pd.DataFrame:
    months = pd.date_range(start, periods=len(columns[0]), freq="MS")
    return pd.DataFrame({f"c{i}": c for i, c in enumerate(columns)}, index=months)


# Fifteen months around 2 and fifteen around 4 (Poisson draws, fixed here), after a year at
# 20: a sure break after month 12, and a weaker one inside the rest.
NOISY = [2, 0, 7, 1, 1, 3, 0, 0, 3, 5, 0, 2, 4, 2, 2, 4, 2, 3, 2, 2, 4, 9, 8, 3, 8, 6, 2, 1,
         5, 5]


def test_gains_are_the_fall_in_squared_deviations_at_each_split():
    x = np.array([[1.0, 0.0], [2.0, 5.0], [0.0, 1.0], [7.0, 2.0], [3.0, 3.0], [9.0, 0.0],
                  [4.0, 4.0], [8.0, 1.0]])
    g = periodisation._gains(x)
    assert g.shape == (3,)  # splits at months 3, 4 and 5 of 8
    assert g == pytest.approx(_gains(x))
    batch = np.stack([x, x[::-1]])
    assert periodisation._gains(batch) == pytest.approx(_gains(batch))
    # One column, a step of 6 after month 12 of 24: 12·12/24 · 6² = 216 at the step.
    step = np.array([0.0] * 12 + [6.0] * 12)[:, None]
    g = periodisation._gains(step)
    assert len(g) == 19 and g[12 - 3] == pytest.approx(216.0) and g.argmax() == 9


def test_split_at_a_clean_step_beats_every_drawn_order():
    x = np.column_stack([[1.0] * 12 + [6.0] * 12, [3.0, 2.0] * 12])
    k, gain, p = periodisation._split(x, 0)
    # Only the orders keeping the two levels apart split as well: 2 of 24!/(12!·12!)·12!·12!,
    # none among 999 draws, so p = (0 + 1) / (999 + 1).
    assert (k, p) == (12, 0.001)
    assert gain == pytest.approx(12 * 12 / 24 * 25)  # the second column is flat in both halves


def test_split_takes_the_first_allowed_month_and_odd_months():
    x = np.array([5.0, 5.0, 5.0] + [0.0] * 9)[:, None]
    assert periodisation._split(x, 0)[0] == 3
    x = np.array([5.0] * 7 + [0.0] * 8)[:, None]
    assert periodisation._split(x, 0)[0] == 7


def test_split_p_value_counts_every_order_of_six_months():
    # Six months, 720 orders: fewer than 999, so every order is counted. The best split of
    # 0,0,0,9,9,9 is after month 3; 2·3!·3! = 72 orders put the nines at one end and split
    # as well, so p = 72/720.
    x = np.array([0.0, 0.0, 0.0, 9.0, 9.0, 9.0])[:, None]
    k, gain, p = periodisation._split(x, 0)
    assert (k, p) == (3, pytest.approx(0.1))
    assert gain == pytest.approx(3 * 3 / 6 * 81)
    # A flat series: every order splits as well as the data (all gains 0), p = 1.
    assert periodisation._split(np.ones((8, 2)), 0)[2] == 1.0


def test_split_p_value_is_the_seeded_permutation_test():
    x = np.array(NOISY, dtype=float)[:, None]
    for seed in (1, 2):
        assert periodisation._split(x, seed)[2] == pytest.approx(_p_value(x, seed))


def test_breaks_recurse_into_each_half_and_sort_by_month():
    # Levels 0, 2, 8 a year each: the largest gain is after month 24 (before 1, after 8),
    # then the first two years split after month 12 (before 0, after 2).
    s = _frame([0.0] * 12 + [2.0] * 12 + [8.0] * 12)
    found = periodisation.breaks(s)
    assert found.columns.tolist() == ["month", "p_value", "gain", "before", "after"]
    assert found["month"].tolist() == [T("2017-01-01"), T("2018-01-01")]
    assert found.index.tolist() == [0, 1]
    assert found["before"].tolist() == [0.0, 1.0]
    assert found["after"].tolist() == [2.0, 8.0]
    assert found["p_value"].tolist() == [0.001, 0.001]
    # 12·12/24 · 2² = 24 and 24·12/36 · 7² = 392.
    assert found["gain"].tolist() == pytest.approx([24.0, 392.0])


def test_breaks_before_and_after_sum_the_columns():
    s = _frame([1.0] * 12 + [6.0] * 12, [3.0, 2.0] * 12)
    found = periodisation.breaks(s)
    assert found["month"].tolist() == [T("2017-01-01")]
    assert (found["before"].iloc[0], found["after"].iloc[0]) == (3.5, 8.5)


def test_breaks_test_each_segment_with_its_own_seed():
    x = np.array([20.0] * 12 + NOISY)
    found = periodisation.breaks(_frame(x), seed=7)
    assert found["month"].tolist() == [T("2017-01-01"), T("2018-09-01")]
    assert found["p_value"].iloc[0] == 0.001
    # The second break is tested on months 12 to 42 with seed 7 + 12·1000 + 42; its best
    # split is 20 months in (means 2.25 and 5.1 of the noisy months).
    rest = x[12:, None]
    assert found["p_value"].iloc[1] == pytest.approx(_p_value(rest, 7 + 12 * 1000 + 42))
    assert found["gain"].iloc[1] == pytest.approx(_gains(rest).max())
    assert (found["before"].iloc[1], found["after"].iloc[1]) == pytest.approx((2.25, 5.1))


def test_breaks_on_short_or_flat_series_find_nothing():
    # Five months cannot hold two segments of three; six can, but p = 0.1 (see above).
    assert periodisation.breaks(_frame([0.0, 0.0, 9.0, 9.0, 9.0])).empty
    assert periodisation.breaks(_frame([0.0, 0.0, 0.0, 9.0, 9.0, 9.0])).empty
    flat = periodisation.breaks(_frame([1.0, 2.0] * 12, [2.0, 1.0] * 12))
    assert flat.empty
    assert flat.columns.tolist() == ["month", "p_value", "gain", "before", "after"]


def test_compare_gives_the_nearest_break_and_the_gap_in_days():
    candidates = pd.DataFrame({
        "boundary": ["a", "b", "c", "d"], "kind": ["curated", "curated", "alternative", "x"],
        "date": [T("2020-01-01"), T("2020-01-02"), T("2021-06-01"), T("2020-04-30")]})
    detected = pd.Series([T("2020-03-01"), T("2021-01-01"), T("2020-06-30")])
    t = periodisation.compare(candidates, detected)
    assert t.columns.tolist() == ["boundary", "kind", "date", "nearest_break", "gap_days",
                                  "matched"]
    assert t["boundary"].tolist() == ["a", "b", "c", "d"]
    assert t["kind"].tolist() == ["curated", "curated", "alternative", "x"]
    assert t["date"].tolist() == candidates["date"].tolist()
    # 1 Jan → 1 Mar is 31 + 29 = 60 days (2020 is a leap year): matched at the tolerance;
    # 2 Jan is 59 days off; 1 Jun 2021 is 151 days after 1 Jan 2021; 30 Apr lies 60 days
    # after 1 Mar and 61 before 30 Jun: the nearer, earlier break, −60, matches.
    assert t["nearest_break"].tolist() == [T("2020-03-01"), T("2020-03-01"), T("2021-01-01"),
                                           T("2020-03-01")]
    assert t["gap_days"].tolist() == [60, 59, -151, -60]
    assert t["matched"].tolist() == [True, True, False, True]
    one_more = pd.DataFrame({"boundary": ["e"], "kind": ["curated"], "date": [T("2019-12-31")]})
    e = periodisation.compare(one_more, detected).iloc[0]
    assert (e["gap_days"], e["matched"]) == (61, False)


def test_compare_without_breaks_matches_nothing():
    candidates = pd.DataFrame({"boundary": ["a"], "kind": ["curated"],
                               "date": [T("2020-01-01")]})
    t = periodisation.compare(candidates, pd.Series([], dtype="datetime64[ns]"))
    assert pd.isna(t["nearest_break"].iloc[0]) and t["gap_days"].iloc[0] is None
    assert t["matched"].tolist() == [False]


def test_a_break_at_p_exactly_alpha_is_not_kept():
    # Months 2 to 23 of NOISY with seed 144: the whole series is tested with seed
    # 144 + 0·1000 + 22 = 166, where the replayed test gives p = 50/1000 = ALPHA exactly.
    x = np.array(NOISY[2:24], dtype=float)
    assert _p_value(x[:, None], 166) == pytest.approx(0.05)
    assert periodisation._split(x[:, None], 166)[2] == pytest.approx(0.05)
    assert periodisation.breaks(_frame(x), seed=144).empty


def test_breaks_go_on_past_a_segment_too_short_to_split():
    # Levels 0 (12 months), 5 (13), 20 (5): the largest gain is after month 25, leaving five
    # months on the right, too few to split; the left part still breaks after month 12.
    # Gains by hand: at 25, 25·5/30 · (20 − 2.6)² ≈ 1261.5; at 12, 12·18/30 · (55/6)² ≈ 605.
    s = _frame([0.0] * 12 + [5.0] * 13 + [20.0] * 5)
    assert periodisation.breaks(s)["month"].tolist() == [T("2017-01-01"), T("2018-02-01")]


def test_breaks_test_both_halves_of_every_split():
    # Levels 0, 4, 20, 24 a year each: first split after month 24 (largest gain:
    # 24·24/48 · 20² = 4800 against 12·36/48 · 16² = 2304), then each half splits in its
    # middle.
    s = _frame([0.0] * 12 + [4.0] * 12 + [20.0] * 12 + [24.0] * 12)
    found = periodisation.breaks(s)
    assert found["month"].tolist() == [T("2017-01-01"), T("2018-01-01"), T("2019-01-01")]
    assert found["before"].tolist() == [0.0, 2.0, 20.0]
    assert found["after"].tolist() == [4.0, 22.0, 24.0]


def test_compare_without_candidates_keeps_its_columns():
    none = pd.DataFrame({"boundary": [], "kind": [], "date": pd.to_datetime([])})
    t = periodisation.compare(none, pd.Series([T("2020-01-01")]))
    assert t.empty and t.columns.tolist() == ["boundary", "kind", "date", "nearest_break",
                                              "gap_days", "matched"]
