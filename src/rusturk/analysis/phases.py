"""Change points set against the curated boundaries, and how each crisis escalated."""

from __future__ import annotations

import pandas as pd


def change_points(series: pd.Series, n_breaks: int) -> list[pd.Timestamp]:
    """Dates where the mean of `series` shifts, by binary segmentation (ruptures, L2 cost).
    Each break is the first period of a new segment.

    Examples:
        >>> months = pd.date_range("2016-01-01", periods=12, freq="MS")
        >>> s = pd.Series([0.0] * 6 + [9.0] * 6, index=months)
        >>> change_points(s, 1)
        [Timestamp('2016-07-01 00:00:00')]
    """
    n_breaks = min(n_breaks, len(series) - 1)
    if n_breaks < 1:
        return []
    import ruptures  # imported here: it pulls in scipy, half a second a kernel otherwise

    algo = ruptures.Binseg(model="l2", min_size=1, jump=1).fit(series.to_numpy().reshape(-1, 1))
    ends = algo.predict(n_bkps=n_breaks)[:-1]  # the last "end" is the series length
    return [series.index[i] for i in ends]


def compare_breaks(curated: list[pd.Timestamp], detected: list[pd.Timestamp]) -> pd.DataFrame:
    """Each curated boundary with the nearest detected break and the gap in days
    (positive when the detected break comes later).

    Examples:
        >>> gaps = compare_breaks([pd.Timestamp("2016-06-27")], [pd.Timestamp("2016-07-01")])
        >>> gaps.gap_days.tolist()
        [4]
    """
    rows = []
    for boundary in curated:
        nearest = min(detected, key=lambda d: abs((d - boundary).days)) if detected else None
        rows.append({"curated_boundary": boundary, "nearest_detected": nearest,
                     "gap_days": (nearest - boundary).days if nearest is not None else None})
    return pd.DataFrame(rows, columns=["curated_boundary", "nearest_detected", "gap_days"])


def rupture_profile(phases: pd.DataFrame, dyad: pd.DataFrame, phase_id: str) -> dict:
    """How a crisis phase escalated and what closed it: days from its start to the first
    lethal clash (CAMEO root 18–20, material conflict) and from that clash to the closing
    event, the count and share of conflict events, and the lowest score."""
    phase = phases.set_index("phase_id").loc[phase_id]
    inside = dyad[(dyad["date_best"] >= phase["start"]) & (dyad["date_best"] <= phase["end"])]
    lethal = inside[inside["cameo_code"].str[:2].astype(int) >= 18]
    first = lethal["date_best"].min() if len(lethal) else pd.NaT
    closing_id = phase["closing_event_id"]
    closing = dyad.set_index("event_id")["date_best"].get(closing_id, pd.NaT) if pd.notna(
        closing_id) else pd.NaT
    return {
        "phase_id": phase_id,
        "name": phase["name"],
        "start": phase["start"],
        "first_lethal_clash": first,
        "days_to_first_lethal_clash": (first - phase["start"]).days if pd.notna(first) else None,
        "closing_event_id": closing_id if pd.notna(closing_id) else "",
        "days_from_clash_to_closing": (closing - first).days
        if pd.notna(first) and pd.notna(closing) else None,
        "conflict_events": int((inside["quad_class"] >= 3).sum()),
        "lethal_clashes": len(lethal),
        "lowest_goldstein": float(inside["goldstein"].min()) if len(inside) else None,
    }
