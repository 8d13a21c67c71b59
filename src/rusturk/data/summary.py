"""A short plain-text summary of a loaded dataset, printed after successful validation."""

from __future__ import annotations

import pandas as pd

from rusturk.data.dataset import Dataset


def provenance_counts(ds: Dataset) -> dict[str, int]:
    """Events whose primary source is a bundled raw document versus other sources."""
    raw_ids = set(ds.sources.loc[ds.sources["raw_file"].notna(), "source_id"])
    from_raw = int(ds.events["primary_source_id"].isin(raw_ids).sum())
    return {"from_raw_documents": from_raw, "from_other_sources": len(ds.events) - from_raw}


# The codebook's coverage target: every quarter from 2016 to 2020 Q1 with at least this many.
MIN_EVENTS_PER_QUARTER = 3


def quarter_counts(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Events per calendar quarter of the study period, zero where a quarter has none.

    Examples:
        >>> e = pd.DataFrame({"date_best": pd.to_datetime(["2016-01-05", "2016-08-01"])})
        >>> quarter_counts(e, pd.Timestamp("2016-01-01"), pd.Timestamp("2016-09-30")).tolist()
        [1, 0, 1]
    """
    quarters = pd.period_range(start, end, freq="Q")
    counts = events["date_best"].dt.to_period("Q").value_counts()
    return counts.reindex(quarters, fill_value=0).astype(int)


def coverage_text(ds: Dataset) -> str:
    """Per-quarter counts (flagging quarters under the target) and per-strand counts."""
    counts = quarter_counts(ds.events, *ds.study_period)
    cells = [f"{q}: {n}{'*' if n < MIN_EVENTS_PER_QUARTER else ''}" for q, n in counts.items()]
    rows = [", ".join(cells[i:i + 6]) for i in range(0, len(cells), 6)]
    strands = ds.events["strand"].value_counts(sort=False)
    thin = int((counts < MIN_EVENTS_PER_QUARTER).sum())
    return "\n".join([
        f"events per quarter (* under {MIN_EVENTS_PER_QUARTER}; {thin} such quarters):",
        *(f"  {row}" for row in rows),
        "events per strand: " + ", ".join(f"{s} {n}" for s, n in strands.items()),
        "sources by reliability: " + ", ".join(
            f"{g} {n}" for g, n in ds.sources["reliability"].value_counts(sort=False).items()),
        "sources by copy: " + ", ".join(
            f"{c} {n}" for c, n in ds.sources["copy_type"].value_counts(sort=False).items()),
    ])


def summary_text(ds: Dataset) -> str:
    """Counts, date span, and events per phase and category."""
    events = ds.events
    counts = provenance_counts(ds)
    start, end = ds.study_period
    crosstab = pd.crosstab(events["phase_id"], events["category"], margins=True,
                           margins_name="total", dropna=False)
    names = dict(zip(ds.phases["phase_id"], ds.phases["name"], strict=True))
    crosstab.index = [f"{i} ({names[i]})" if i in names else i for i in crosstab.index]
    lines = [
        f"data: {ds.data_dir} (version {ds.version})",
        f"study period: {start:%Y-%m-%d} to {end:%Y-%m-%d}",
        f"events: {len(events)} ({counts['from_raw_documents']} from the source article, "
        f"{counts['from_other_sources']} from other sources), "
        f"{events['date_best'].min():%Y-%m-%d} to {events['date_best'].max():%Y-%m-%d}",
        f"sources: {len(ds.sources)}; figures: {len(ds.figures)} "
        f"({ds.figures['measure'].nunique()} measures); CAMEO codes: {len(ds.cameo)}",
        coverage_text(ds),
        "",
        "events per phase and category:",
        crosstab.to_string(),
    ]
    return "\n".join(lines)
