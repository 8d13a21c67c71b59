"""The stated quantities of an edition: each number the prose prints, computed once, with n.

Every number in a sentence, a table or a caption of the analysts' words comes from one
`Quantity`: its value, the text it is printed as, the number of observations behind it,
its interval or range, and the ids of the rows it rests on. A `Registry` holds the
quantities of one period and refuses to hold one name with two values, so a number cannot
be printed twice with different values in an edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rusturk.analysis import cost, eventset, stats
from rusturk.analysis.escalation import figure_bounds
from rusturk.analysis.window import Window
from rusturk.common.text import day, plural, signed


@dataclass(frozen=True)
class Quantity:
    """One stated number: what it is, its value, how it prints, and what it rests on."""

    name: str
    label: str
    value: float
    text: str
    n: int
    low: float = float("nan")
    high: float = float("nan")
    sampled: bool = False  # an interval from resampling events, not a range of readings
    rows: tuple[str, ...] = ()
    # For counts of analysed events: one 0/1 per analysed event of the period, so that two
    # counts can be compared with the interval of their difference.
    indicator: tuple[int, ...] = field(default=(), compare=False, repr=False)
    # What n counts, where `rows` are not sources: "analysed events", "incidents"; "" for a
    # setting of the method (a number of months), which rests on no observation.
    counts: str = "analysed events"

    @property
    def interval_text(self) -> str:
        """'95% interval −0.03 to +2.00, n = 141', or n alone where there is no interval."""
        return f"{self.bounds}, n = {self.n:,}" if self.bounds else f"n = {self.n:,}"

    @property
    def bounds(self) -> str:
        """The interval or range as printed, or ''."""
        if np.isnan(self.low) or np.isnan(self.high):
            return ""
        if self.sampled:
            return f"{int(stats.CONFIDENCE * 100)}% interval {signed(self.low)} to " \
                   f"{signed(self.high)}"
        return f"readings {self.low:,.0f} to {self.high:,.0f}"


class DuplicateQuantity(ValueError):
    """The same name registered with two values in one period."""


@dataclass
class Registry:
    """The quantities of one period of an edition, by name."""

    start: pd.Timestamp
    end: pd.Timestamp
    quantities: dict[str, Quantity] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return f"{day(self.start)} to {day(self.end)}"

    def add(self, q: Quantity) -> None:
        known = self.quantities.get(q.name)
        if known is not None and known.text != q.text:
            raise DuplicateQuantity(f"{q.name} is {known.text} and {q.text} in {self.period}")
        self.quantities[q.name] = q

    def __getitem__(self, name: str) -> Quantity:
        return self.quantities[name]

    def __contains__(self, name: object) -> bool:
        return name in self.quantities

    def texts(self) -> dict[str, str]:
        """What each placeholder prints: `{name}` the value, `{interval:name}` its interval
        or range with n."""
        out = {k: q.text for k, q in self.quantities.items()}
        out.update({f"interval:{k}": q.interval_text for k, q in self.quantities.items()})
        return out


def _count(name: str, label: str, analysed: pd.DataFrame, mask: pd.Series) -> Quantity:
    ids = tuple(analysed.loc[mask, "event_id"].astype(str))
    return Quantity(name, label, float(mask.sum()), f"{int(mask.sum()):,}", len(analysed),
                    rows=ids, indicator=tuple(int(v) for v in mask))


# Every name `compute` can register; a period may lack some (no incident, no reading).
NAMES = frozenset({
    "analysed_events", "mean_score", "net_cooperation", "runner_up_headline", "cooperative_events",
    "conflictual_events", "rus_tur_cooperation", "rus_tur_conflict", "syr_tur_conflict",
    "turkish_deaths", "incidents", "deadliest_headline", "deadliest_low", "deadliest_high",
    "deadliest_sources", "displaced"})


def compute(w: Window, include_syria: bool = True,
            known_by: pd.Timestamp | None = None) -> Registry:
    """Every quantity the analysts' words may cite, computed on the window's period with
    what the data knew by `known_by` (the edition's end; the window's end by default):
    readings dated after it are never used, and a reading of an incident in the period is
    used however late in the edition it came."""
    reg = Registry(w.start, w.end)
    known_by = w.end if known_by is None else pd.Timestamp(known_by)
    analysed = eventset.analysed(w.events, include_syria).reset_index(drop=True)
    ids = tuple(analysed["event_id"].astype(str))
    n = len(analysed)
    reg.add(Quantity("analysed_events", "analysed state acts", float(n), f"{n:,}", n, rows=ids))
    e = stats.bootstrap_mean(analysed["goldstein"])
    reg.add(Quantity("mean_score", "mean Goldstein score", e.mean, signed(e.mean), n, e.low,
                     e.high, sampled=True, rows=ids))
    # Net cooperation share: the mean of +1 (cooperation) and −1 (conflict) over the events.
    sign = np.where(analysed["quad_class"] <= 2, 1.0, -1.0)
    net = stats.bootstrap_mean(sign)
    reg.add(Quantity("net_cooperation", "net cooperation share", net.mean,
                     signed(net.mean), n, net.low, net.high, sampled=True, rows=ids))
    cooperative = analysed["quad_class"] <= 2
    material = analysed["quad_class"] == 4
    rus = eventset.with_turkey(analysed, eventset.RUSSIA)
    syr = eventset.with_turkey(analysed, eventset.SYRIA)
    reg.add(_count("cooperative_events", "cooperative acts", analysed, cooperative))
    reg.add(_count("conflictual_events", "conflictual acts", analysed, ~cooperative))
    reg.add(_count("rus_tur_cooperation", "Russia–Turkey cooperative acts", analysed,
                   rus & cooperative))
    reg.add(_count("rus_tur_conflict", "Russia–Turkey material-conflict acts", analysed,
                   rus & material))
    reg.add(_count("syr_tur_conflict", "Syria–Turkey material-conflict acts", analysed,
                   syr & material))
    _cost(reg, w, known_by)
    _ged(reg, w, known_by)
    return reg


_GED: dict[int, tuple[object, dict, dict]] = {}
# Short labels for the GED quantities a judgement prints (the others keep their notes).
GED_LABELS = {
    "ged_sochi_before_mean": "deaths a month in Idlib before the Sochi memorandum (UCDP GED)",
    "ged_sochi_after_mean": "deaths a month in Idlib after the Sochi memorandum (UCDP GED)",
    "ged_sochi_change": "change in deaths a month, after minus before (UCDP GED)",
    "ged_its_slope_change": "change in the monthly trend of deaths after Sochi (UCDP GED)",
    "ged_offensive_mean": "deaths a month in Idlib in the 2019 offensive (UCDP GED)",
    "ged_offensive_change": "offensive months minus the months after Sochi (UCDP GED)",
}


def _ged(reg: Registry, w: Window, known_by: pd.Timestamp) -> None:
    """The UCDP GED quantities (the Sochi test, Idlib's yearly totals), for an edition that
    reaches the end of GED's release: they are computed on the whole release."""
    from rusturk.analysis import ucdp
    from rusturk.data.schema import UCDP_END

    ged = getattr(w.ds, "ucdp_ged", None)
    if ged is None or ged.empty or known_by < pd.Timestamp(UCDP_END):
        return
    if id(w.ds) not in _GED or _GED[id(w.ds)][0] is not w.ds:
        found = ucdp.findings(ged, w.ds.events)
        _GED[id(w.ds)] = (w.ds, found, ucdp.facts(found))
    _, found, texts = _GED[id(w.ds)]
    for name, f in found.items():
        sampled = not (np.isnan(f.low) or np.isnan(f.high))
        reg.add(Quantity(name, GED_LABELS.get(name, f.note or name), f.value, texts[name],
                         f.n, f.low, f.high, sampled=sampled,
                         rows=("ucdp-ged-syria-191",)))
    reg.add(Quantity("ged_end", "the last day UCDP GED's release covers", float("nan"),
                     texts["ged_end"], 0, counts=""))
    reg.add(Quantity("ged_sochi_months", "months on each side of the Sochi test",
                     float(ucdp.SOCHI_MONTHS), f"{ucdp.SOCHI_MONTHS}", ucdp.SOCHI_MONTHS,
                     counts=""))


def _cost(reg: Registry, w: Window, known_by: pd.Timestamp) -> None:
    """Turkish losses by the headline rule, the deadliest incident, displacement."""
    known = w.known(known_by)
    readings = cost.incident_readings(known, w.events)
    incidents = cost.headlines(readings, w.ds.sources)
    with_headline = incidents.dropna(subset=["headline"])
    total = float(with_headline["headline"].sum())
    reg.add(Quantity("turkish_deaths", "Turkish soldiers killed, by the headline rule", total,
                     f"{total:,.0f}", len(with_headline),
                     rows=tuple(with_headline["event_id"]), counts="incidents"))
    reg.add(Quantity("incidents", "incidents with Turkish military deaths",
                     float(len(incidents)), f"{len(incidents):,}", len(incidents),
                     rows=tuple(incidents["event_id"]), counts="incidents"))
    if len(with_headline):
        b = with_headline.loc[with_headline["headline"].idxmax()]
        rows = tuple(readings.loc[readings["event_id"] == b["event_id"], "source_id"])
        title = str(b["title"])
        reg.add(Quantity("deadliest_headline",
                         f"Turkish soldiers killed in the deadliest incident ({title})",
                         float(b["headline"]), f"{b['headline']:,.0f}", int(b["readings"]),
                         float(b["low"]), float(b["high"]), rows=rows))
        reg.add(Quantity("deadliest_low", f"lowest reading of the deadliest incident ({title})",
                         float(b["low"]), f"{b['low']:,}", int(b["readings"]), rows=rows))
        reg.add(Quantity("deadliest_high", f"highest reading of the deadliest incident ({title})",
                         float(b["high"]), f"{b['high']:,}", int(b["readings"]), rows=rows))
        reg.add(Quantity("deadliest_sources", f"sources reading the deadliest incident ({title})",
                         float(b["sources"]), f"{int(b['sources']):,}", int(b["sources"]),
                         rows=tuple(sorted(set(rows)))))
        others = with_headline[with_headline["event_id"] != b["event_id"]]
        if len(others):
            r = others.loc[others["headline"].idxmax()]
            reg.add(Quantity("runner_up_headline",
                             f"Turkish soldiers killed in the next deadliest incident "
                             f"({r['title']})", float(r["headline"]), f"{r['headline']:,.0f}",
                             int(r["readings"]), float(r["low"]), float(r["high"]),
                             rows=tuple(readings.loc[readings["event_id"] == r["event_id"],
                                                     "source_id"])))
    displaced = figure_bounds(known[(known["measure"] == "displaced")
                                   & (known["date_ref"] >= w.start)
                                   & (known["date_ref"] <= w.end)])
    if len(displaced):
        info = w.ds.sources.set_index("source_id")["affiliation"].astype(str)
        un = displaced[displaced["source_id"].map(info) == "intergovernmental"]
        latest = cost.latest_readings(un if len(un) else displaced)
        top = latest.loc[latest["high"].idxmax()]
        text = cost.reading_text(top)
        reg.add(Quantity("displaced", f"people displaced since December 2019, by "
                         f"{day(latest['date_ref'].max())}", float(top["high"]), text, len(latest),
                         float(latest["low"].min()), float(latest["high"].max()),
                         rows=tuple(latest["source_id"])))


def describe(q: Quantity) -> str:
    """A quantity in one line for analysts: label, value, n and bounds."""
    parts = [f"{q.label}: {q.text}", f"n = {q.n}"]
    if q.bounds:
        parts.append(q.bounds)
    return "; ".join(parts)


__all__ = ["DuplicateQuantity", "Quantity", "Registry", "compute", "describe", "plural"]
