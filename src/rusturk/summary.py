"""A short plain-text summary of a loaded dataset, printed after successful validation."""

from __future__ import annotations

import pandas as pd

from rusturk.data import Dataset


def provenance_counts(ds: Dataset) -> dict[str, int]:
    """Events whose primary source is a bundled raw document versus other sources."""
    raw_ids = set(ds.sources.loc[ds.sources["raw_file"].notna(), "source_id"])
    from_raw = int(ds.events["primary_source_id"].isin(raw_ids).sum())
    return {"from_raw_documents": from_raw, "from_other_sources": len(ds.events) - from_raw}


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
        "",
        "events per phase and category:",
        crosstab.to_string(),
    ]
    return "\n".join(lines)
