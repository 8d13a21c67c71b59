"""The dataset seen through a date window: what every section and finding computes on."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rusturk.analysis.escalation import in_window
from rusturk.common.text import span
from rusturk.data.dataset import Dataset, load
from rusturk.data.schema import UCDP_END, UCDP_SOURCE_ID, UCDP_START


@dataclass
class Window:
    """The dataset seen through a date window."""

    ds: Dataset
    start: pd.Timestamp
    end: pd.Timestamp

    @classmethod
    def load(cls, data_dir: str, start_date: str, end_date: str) -> Window:
        start, end = pd.Timestamp(start_date), pd.Timestamp(end_date)
        if start > end:
            raise ValueError(f"start_date {start_date} is after end_date {end_date}")
        return cls(load(data_dir or None), start, end)

    @property
    def events(self) -> pd.DataFrame:
        return in_window(self.ds.events, "date_best", str(self.start), str(self.end))

    @property
    def figures(self) -> pd.DataFrame:
        """The readings dated inside the window that were published by its end."""
        return in_window(self.known(self.end), "date_ref", str(self.start), str(self.end))

    def known(self, day: pd.Timestamp) -> pd.DataFrame:
        """Every reading dated by `day` whose source was published by then: an edition knows
        nothing after its end date (a report of February's deaths published in June is not
        in a February edition). A source without a publication date is taken as published
        on the day its reading refers to."""
        f = self.ds.figures
        published = f["source_id"].map(self.ds.sources.set_index("source_id")["publication_date"])
        return f[(f["date_ref"] <= day) & (published.isna() | (published <= day))]

    @property
    def phases(self) -> pd.DataFrame:
        p = self.ds.phases
        return p[(p["end"] >= self.start) & (p["start"] <= self.end)].reset_index(drop=True)

    @property
    def cited_sources(self) -> pd.DataFrame:
        """The sources the window's events and figures cite, published by its end."""
        cited = {s for ids in self.events["source_ids"] for s in ids}
        cited |= set(self.figures["source_id"]) | set(self.events["exact_date_source_id"].dropna())
        # The GED extract is cited wherever the window overlaps the span it covers.
        if not self.ds.ucdp_ged.empty and self.start <= pd.Timestamp(UCDP_END) \
                and self.end >= pd.Timestamp(UCDP_START):
            cited.add(UCDP_SOURCE_ID)
        s = self.ds.sources
        published = s["publication_date"]
        return s[s["source_id"].isin(cited) & (published.isna() | (published <= self.end))]

    @property
    def empty(self) -> bool:
        return self.events.empty

    @property
    def label(self) -> str:
        return span(self.start, self.end)

    def empty_message(self) -> str:
        first, last = self.ds.events["date_best"].min(), self.ds.events["date_best"].max()
        return (f"No events in the window {self.label}. The dataset runs from "
                f"{span(first, last)}; choose start_date and end_date "
                "inside that span.")
