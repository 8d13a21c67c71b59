"""UCDP GED beside the curated events: fatal events and deaths in Idlib, and the Sochi test.

Pure computation on the typed `ucdp_ged` table (`Dataset.ucdp_ged`). GED ends on 30 November
2019: every series stops there and nothing is extrapolated into the escalation that followed.

How the months are counted: an event is placed in the month of its dates only when its
`date_start` and `date_end` fall in the same calendar month. The few that span months (GED
knows their date only to a range) are kept in the yearly totals, which count every event by
GED's `year`, and are left out of the monthly series rather than piled on their first month;
the yearly table says how many.

The Sochi test: the mean monthly deaths (GED's best estimate) in Idlib in the N full months
after the memorandum's month against the N full months before it, the month of signing left
out as neither; the difference with a percentile bootstrap interval (`stats.difference`,
months resampled). Beside it, an interrupted time series: a segmented regression of the
monthly deaths from twelve months before the memorandum to April 2019, the last month before
the 2019 offensive, with a change of level and of slope after it (Newey–West intervals).
Limits: months are not independent (violence comes in campaigns), so the
interval is narrower than it should be; a before/after difference shows that violence changed,
not that the memorandum changed it; GED counts fatal events reported by its sources (in
Syria mostly SOHR), so a change in reporting is a change in the series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rusturk.analysis import stats
from rusturk.common.text import number, signed, signed_share
from rusturk.data.schema import UCDP_END, UCDP_RELEASE, UCDP_START

GED_START, GED_END = pd.Timestamp(UCDP_START), pd.Timestamp(UCDP_END)
IDLIB = "Idlib Governorate"
COVERAGE = (f"UCDP GED (Syria release {UCDP_RELEASE}) runs from 1 January 2016 to 30 "
            "November 2019: it ends before the escalation that began in December 2019, "
            "and nothing here is extrapolated into it.")
NOT_COVERED = ("GED does not cover this window: it runs from 1 January 2016 to 30 November "
               "2019.")
# The curated events the series is marked with, by event id, and how the charts name them.
MARKERS = {
    "astana-de-escalation-zones": "Astana de-escalation zones",
    "sochi-idlib-memorandum": "Sochi memorandum",
    "northwest-syria-offensive-2019-04-30": "2019 offensive begins",
}
SOCHI_EVENT = "sochi-idlib-memorandum"
OFFENSIVE_EVENT = "northwest-syria-offensive-2019-04-30"
SOCHI_MONTHS = 6  # the test's window on each side; 3 and 9 are shown as a sensitivity check
SENSITIVITY = (3, 6, 9)
VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}
# Side A as GED names it; the rest are the armed groups fighting each other.
STATES = ("Government of Syria", "Government of Turkey",
          "Government of United States of America")
PARTIES = {"deaths_a": "side A", "deaths_b": "side B", "deaths_civilians": "civilians",
           "deaths_unknown": "unknown"}
MEASURES = ("events", "best", "low", "high")


@dataclass(frozen=True)
class Finding:
    """One quantity the words may cite: its value, over how many units (events or months),
    its interval where it has one, and the rows it was computed from."""

    name: str
    value: float
    n: int
    unit: str
    low: float = float("nan")
    high: float = float("nan")
    rows: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)
    note: str = ""


def covers(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    """Whether a window overlaps GED's span at all.

    Examples:
        >>> covers(pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29"))
        False
        >>> covers(pd.Timestamp("2015-11-24"), pd.Timestamp("2016-01-01"))
        True
    """
    return not (end < GED_START or start > GED_END)


def months_span() -> pd.DatetimeIndex:
    """The first day of every month GED covers."""
    return pd.date_range(GED_START, GED_END, freq="MS")


def in_governorate(ged: pd.DataFrame, governorate: str = IDLIB) -> pd.DataFrame:
    return ged[ged["adm_1"].astype(str) == governorate]


def with_month(ged: pd.DataFrame) -> pd.DataFrame:
    """The events with a `month` column: the month of their dates, NaT for those whose dates
    span two months or more."""
    start = ged["date_start"].dt.to_period("M")
    same = start == ged["date_end"].dt.to_period("M")
    out = ged.copy()
    out["month"] = start.dt.to_timestamp().where(same)
    return out


def _sums(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.groupby(by, observed=True).agg(
        events=("ged_id", "size"), best=("best", "sum"), low=("low", "sum"),
        high=("high", "sum")).astype(int)


def monthly(ged: pd.DataFrame, governorate: str = IDLIB) -> pd.DataFrame:
    """Fatal events and deaths (best, low, high) per month of GED's span, zero where a month
    has none; events spanning months are left out (see the module's note)."""
    placed = with_month(in_governorate(ged, governorate)).dropna(subset=["month"])
    table = _sums(placed, ["month"]) if len(placed) else pd.DataFrame(columns=list(MEASURES))
    table = table.reindex(months_span(), fill_value=0).astype(int)
    table.index.name = "month"
    return table


def monthly_by(ged: pd.DataFrame, by: str, governorate: str = IDLIB) -> pd.DataFrame:
    """Long table of month, group, events and best deaths, by `violence` (GED's type of
    violence) or by `side` (side A: the states named in STATES, else armed groups)."""
    placed = with_month(in_governorate(ged, governorate)).dropna(subset=["month"])
    if by == "violence":
        group = placed["type_of_violence"].astype(int).map(VIOLENCE)
    elif by == "side":
        side = placed["side_a"].astype(str)
        group = side.where(side.isin(STATES), "armed groups (non-state)")
    else:
        raise ValueError(f"by must be 'violence' or 'side', got {by!r}")
    table = _sums(placed.assign(group=group), ["month", "group"])[["events", "best"]]
    return table.reset_index()


def monthly_deaths_by_party(ged: pd.DataFrame, governorate: str = IDLIB) -> pd.DataFrame:
    """Long table of month, party (side A, side B, civilians, unknown) and best deaths."""
    placed = with_month(in_governorate(ged, governorate)).dropna(subset=["month"])
    sums = placed.groupby("month")[list(PARTIES)].sum().astype(int)
    long = sums.rename(columns=PARTIES).reset_index().melt(
        id_vars="month", var_name="party", value_name="deaths")
    return long.sort_values(["month", "party"], kind="stable").reset_index(drop=True)


def yearly(ged: pd.DataFrame, governorate: str = IDLIB) -> pd.DataFrame:
    """Per year (GED's `year`, 2019 through 30 November): every event, with its deaths; how
    many span months (left out of the monthly series) and how many have bounds out of order
    as released."""
    frame = with_month(in_governorate(ged, governorate))
    table = _sums(frame, ["year"])
    table["spanning_months"] = frame["month"].isna().groupby(frame["year"]).sum().astype(int)
    table["bounds_out_of_order"] = frame["note"].notna().groupby(frame["year"]).sum().astype(int)
    table.index = table.index.astype(int)
    return table


def markers(events: pd.DataFrame) -> pd.DataFrame:
    """The curated events that mark the series, with their dates from events.csv; an id
    missing from the data is left out."""
    rows = events[events["event_id"].isin(list(MARKERS))]
    return pd.DataFrame({"event_id": rows["event_id"].astype(str).values,
                         "label": rows["event_id"].map(MARKERS).values,
                         "date": rows["date_best"].values}).sort_values("date").reset_index(
                             drop=True)


@dataclass(frozen=True)
class BeforeAfter:
    """Mean monthly best deaths in the months before and after a date's month."""

    months: int
    date: pd.Timestamp
    before: pd.DataFrame
    after: pd.DataFrame
    difference: stats.Difference | None  # after minus before; None where GED cannot cover

    @property
    def covered(self) -> bool:
        return self.difference is not None


def before_after(series: pd.DataFrame, date: pd.Timestamp, months: int) -> BeforeAfter:
    """The `months` full months before the month of `date` and the `months` after it (the month
    itself is neither), and the difference of their mean best deaths, after minus before.
    Not computed where either side reaches outside GED's span."""
    month = pd.Timestamp(date).to_period("M")
    before_months = pd.period_range(month - months, month - 1, freq="M").to_timestamp()
    after_months = pd.period_range(month + 1, month + months, freq="M").to_timestamp()
    before = series.reindex(before_months)
    after = series.reindex(after_months)
    if before.isna().any().any() or after.isna().any().any():
        return BeforeAfter(months, pd.Timestamp(date), before, after, None)
    d = stats.difference(after["best"], before["best"])
    return BeforeAfter(months, pd.Timestamp(date), before, after, d)


def quiet_months(series: pd.DataFrame, test: BeforeAfter) -> tuple[int, bool]:
    """For how long violence stayed down: the run of months after the date's month whose best
    deaths lie below the lower end of the before-mean's interval, and whether the run was cut
    short by the end of GED (then it lasted at least that long).

    Examples:
        >>> s = pd.DataFrame({"best": [10, 12, 11, 10, 5, 2, 3, 20, 1]},
        ...                  index=pd.date_range("2018-05-01", periods=9, freq="MS"))
        >>> t = before_after(s, pd.Timestamp("2018-09-17"), 3)
        >>> quiet_months(s, t)
        (2, False)
    """
    if not test.covered:
        return 0, False
    threshold = test.difference.b.low
    start = test.date.to_period("M") + 1
    later = series[series.index >= start.to_timestamp()]["best"]
    run = 0
    for value in later:
        if value >= threshold:
            return run, False
        run += 1
    return run, True


def _finding(name: str, estimate: stats.Estimate, rows: pd.DataFrame, note: str) -> Finding:
    return Finding(name, estimate.mean, estimate.n, "months", estimate.low, estimate.high,
                   rows, note)


def findings(ged: pd.DataFrame, events: pd.DataFrame,
             months: int = SOCHI_MONTHS) -> dict[str, Finding]:
    """Every number the words may cite from GED, by name: yearly Idlib totals, the Sochi
    before/after test, how long the fall lasted, and the 2019 offensive against the months
    after Sochi. Empty where the data folder holds no GED extract."""
    if ged.empty:
        return {}
    out: dict[str, Finding] = {}
    matched = triangulate(events, ged)
    compared = matched[~matched["match"].isin(["outside the extract", "not compared"])]
    same = compared[compared["match"] == "same place, within two days"]
    out["ged_curated_compared"] = Finding(
        "ged_curated_compared", float(len(compared)), len(compared), "events", rows=compared,
        note="curated acts of force in Syria, GED's span and the extract's governorates, "
        "dated to the day")
    out["ged_curated_same_place"] = Finding(
        "ged_curated_same_place", float(len(same)), len(compared), "events", rows=same,
        note="of them, those with a GED event at the same place within two days")
    idlib = in_governorate(ged)
    years = yearly(ged)
    for year, row in years.iterrows():
        rows = idlib[idlib["year"] == year]
        for measure in MEASURES:
            out[f"ged_idlib_{measure}_{year}"] = Finding(
                f"ged_idlib_{measure}_{year}", float(row[measure]), int(row["events"]),
                "events", rows=rows,
                note="2019 through 30 November" if year == 2019 else "")
    series = monthly(ged)
    dates = events.set_index("event_id")["date_best"]
    if SOCHI_EVENT not in dates.index:
        return out
    test = before_after(series, dates[SOCHI_EVENT], months)
    if not test.covered:
        return out
    d = test.difference
    note = (f"{months} full months before and after September 2018, the month of signing "
            "left out; mean monthly best deaths in Idlib")
    out["ged_sochi_before_mean"] = _finding("ged_sochi_before_mean", d.b, test.before, note)
    out["ged_sochi_after_mean"] = _finding("ged_sochi_after_mean", d.a, test.after, note)
    out["ged_sochi_change"] = Finding(
        "ged_sochi_change", d.value, d.a.n + d.b.n, "months", d.low, d.high,
        pd.concat([test.before.assign(side="before"), test.after.assign(side="after")]),
        note + "; after minus before")
    out["ged_sochi_change_share"] = Finding(
        "ged_sochi_change_share", d.value / d.b.mean if d.b.mean else float("nan"),
        d.a.n + d.b.n, "share", d.low / d.b.mean if d.b.mean else float("nan"),
        d.high / d.b.mean if d.b.mean else float("nan"), out["ged_sochi_change"].rows,
        "the change as a share of the before-mean")
    for other in (n for n in SENSITIVITY if n != months):
        t = before_after(series, dates[SOCHI_EVENT], other)
        if t.covered:
            out[f"ged_sochi_change_{other}m"] = Finding(
                f"ged_sochi_change_{other}m", t.difference.value, 2 * other, "months",
                t.difference.low, t.difference.high,
                pd.concat([t.before.assign(side="before"), t.after.assign(side="after")]),
                f"as ged_sochi_change, with {other} months on each side")
    run, censored = quiet_months(series, test)
    later = series[series.index > test.date.to_period("M").to_timestamp()]
    out["ged_sochi_quiet_months"] = Finding(
        "ged_sochi_quiet_months", float(run), run, "months", rows=later.iloc[:run + 1],
        note=("consecutive months after September 2018 below the lower end of the "
              "before-mean's interval" + ("; cut short by the end of GED" if censored
                                          else "")))
    if OFFENSIVE_EVENT in dates.index:
        its = segmented(series, dates[SOCHI_EVENT], dates[OFFENSIVE_EVENT])
        for key in ("pre_slope", "level_change", "slope_change") if its else ():
            out[f"ged_its_{key}"] = Finding(
                f"ged_its_{key}", its.coefficients[key], its.n, "months", its.low[key],
                its.high[key], its.months,
                f"segmented regression of monthly best deaths in Idlib, {ITS_MONTHS_BEFORE} "
                "months before September 2018 to April 2019 (the offensive began on 30 "
                f"April), Newey–West intervals (lag {HAC_LAG})")
        start = dates[OFFENSIVE_EVENT].to_period("M") + 1  # the first full month of it
        offensive = series[series.index >= start.to_timestamp()]
        calm = test.after
        if len(offensive) >= 2:
            e = stats.difference(offensive["best"], calm["best"])
            out["ged_offensive_mean"] = _finding(
                "ged_offensive_mean", e.a, offensive,
                "mean monthly best deaths in Idlib from the first full month of the 2019 "
                "offensive to November 2019, where GED ends")
            out["ged_offensive_change"] = Finding(
                "ged_offensive_change", e.value, e.a.n + e.b.n, "months", e.low, e.high,
                pd.concat([calm.assign(side="after Sochi"), offensive.assign(side="offensive")]),
                "offensive months minus the months after Sochi")
    return out


def sensitivity(ged: pd.DataFrame, events: pd.DataFrame,
                windows: tuple[int, ...] = SENSITIVITY) -> pd.DataFrame:
    """The Sochi test with other windows: months per side, means, difference and interval."""
    series = monthly(ged)
    dates = events.set_index("event_id")["date_best"]
    rows = []
    if ged.empty or SOCHI_EVENT not in dates.index:
        return pd.DataFrame(rows)
    for n in windows:
        t = before_after(series, dates[SOCHI_EVENT], n)
        if not t.covered:
            continue
        d = t.difference
        rows.append({"months": n, "before_mean": d.b.mean, "after_mean": d.a.mean,
                     "difference": d.value, "low": d.low, "high": d.high,
                     "distinguishable": bool(d.low > 0 or d.high < 0)})
    return pd.DataFrame(rows)


def facts(found: dict[str, Finding]) -> dict[str, str]:
    """The findings formatted as the reports print them, for `{placeholders}`: counts with
    thousands separators, means to one decimal, shares as percentages, intervals as 'A to B'."""
    out = {"ged_end": "30 Nov 2019", "ged_release": UCDP_RELEASE}
    for name, f in found.items():
        if f.unit == "share":
            out[name] = signed_share(f.value)
            if not np.isnan(f.low):
                out[name + "_interval"] = f"{signed_share(f.low)} to {signed_share(f.high)}"
        elif name.endswith("_months"):
            out[name] = f"{int(f.value)}"
        elif f.unit == "months":
            # Changes and slopes carry their sign; means and levels do not need one.
            form = signed if "change" in name or "slope" in name else number
            out[name] = form(f.value, 1)
            if not np.isnan(f.low):
                out[name + "_interval"] = f"{form(f.low, 1)} to {form(f.high, 1)}"
            out[name + "_n"] = f"{f.n}"
        else:
            out[name] = number(f.value)
    return out


# -- the interrupted time series -----------------------------------------------------------------

ITS_MONTHS_BEFORE = 12
HAC_LAG = 2  # Newey–West lags: months of violence are correlated over a campaign's few months
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Segmented:
    """Segmented regression of monthly best deaths on a date: the pre-trend, the change of
    level in the first month after the date's month, and the change of slope after it, each
    with a normal 95% interval from Newey–West standard errors."""

    months: pd.DataFrame  # month, best, t, after
    coefficients: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]

    @property
    def n(self) -> int:
        return len(self.months)


def newey_west(x: np.ndarray, residuals: np.ndarray, lag: int) -> np.ndarray:
    """Heteroscedasticity- and autocorrelation-consistent covariance of OLS coefficients
    (Bartlett weights)."""
    bread = np.linalg.inv(x.T @ x)
    scores = x * residuals[:, None]
    meat = scores.T @ scores
    for k in range(1, lag + 1):
        weight = 1 - k / (lag + 1)
        cross = scores[k:].T @ scores[:-k]
        meat += weight * (cross + cross.T)
    return bread @ meat @ bread


def segmented(series: pd.DataFrame, date: pd.Timestamp, end: pd.Timestamp,
              months_before: int = ITS_MONTHS_BEFORE, lag: int = HAC_LAG) -> Segmented | None:
    """Interrupted time series on the months from `months_before` before the date's month to
    the month of `end` (the next intervention's start), the date's month left out:
    best = b0 + b1·t + b2·after + b3·(t − t1)·after, t1 the first month after. None where the
    months reach outside GED's span or fewer than three lie on a side.

    Examples:
        >>> s = pd.DataFrame({"best": [10.0 + i for i in range(6)] + [0.0]
        ...                   + [1.0 + 2 * i for i in range(6)]},
        ...                  index=pd.date_range("2018-03-01", periods=13, freq="MS"))
        >>> r = segmented(s, pd.Timestamp("2018-09-17"), pd.Timestamp("2019-03-31"), 6)
        >>> {k: round(v, 6) for k, v in r.coefficients.items()}
        {'intercept': 10.0, 'pre_slope': 1.0, 'level_change': -16.0, 'slope_change': 1.0}
    """
    month = pd.Timestamp(date).to_period("M")
    first = (month - months_before).to_timestamp()
    last = pd.Timestamp(end).to_period("M").to_timestamp()
    wanted = pd.date_range(first, last, freq="MS")
    wanted = wanted[wanted != month.to_timestamp()]
    frame = series.reindex(wanted)
    if frame["best"].isna().any():
        return None
    t = np.array([(m.to_period("M") - first.to_period("M")).n for m in wanted], dtype=float)
    after = (wanted > month.to_timestamp()).astype(float)
    if after.sum() < 3 or (1 - after).sum() < 3:
        return None
    t1 = float((month + 1 - first.to_period("M")).n)
    x = np.column_stack([np.ones_like(t), t, after, (t - t1) * after])
    y = frame["best"].to_numpy(dtype=float)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    se = np.sqrt(np.diag(newey_west(x, y - x @ beta, lag)))
    names = ("intercept", "pre_slope", "level_change", "slope_change")
    return Segmented(
        pd.DataFrame({"month": wanted, "best": y, "t": t, "after": after.astype(bool)}),
        {k: float(v) for k, v in zip(names, beta, strict=True)},
        {k: float(b - Z95 * s) for k, b, s in zip(names, beta, se, strict=True)},
        {k: float(b + Z95 * s) for k, b, s in zip(names, beta, se, strict=True)})


# -- triangulation with the curated events ------------------------------------------------------

MATCH_DAYS = 2
# The governorates of the extract as a curated location names them.
GOVERNORATE_WORDS = {"Idlib Governorate": ("idlib",), "Hamah Governorate": ("hama",),
                     "Latakia Governorate": ("latakia",),
                     "Aleppo Governorate": ("aleppo", "afrin", "al-bab", "al bab", "azaz",
                                            "jarabulus", "manbij")}
GED_ACTOR = {"TUR": "Government of Turkey", "SYR": "Government of Syria",
             "RUS": "Government of Russia"}
PLACE_SUFFIX = (" town", " village", " district", " city", " subdistrict", " governorate",
                " airbase", " camp")


def _plain(text: str) -> str:
    """A place name reduced for comparison: lower case, no 'al-', hyphens as spaces.

    Examples:
        >>> _plain("Al Bab town"), _plain("near al-Bab, Aleppo")
        ('bab', 'near bab, aleppo')
        >>> _names("bab", "near bab, aleppo"), _names("bab", "babila")
        (True, False)
    """
    text = f" {text.lower().replace('-', ' ')} "
    for suffix in PLACE_SUFFIX:
        text = text.replace(suffix + " ", " ")
    return " ".join(w for w in text.split() if w != "al")


# Names a curated location uses for a whole governorate: no GED place is matched on them.
TOO_WIDE = {"idlib", "hama", "hamah", "aleppo", "latakia", "syria"}


def _places(where: str) -> list[str]:
    """The place names in GED's `where_coordinates` ('Kafaldin/Kafr Lusin village'), less
    the names of whole governorates.

    Examples:
        >>> _places("Kafaldin/Kafr Lusin village"), _places("Idlib town")
        (['kafaldin', 'kafr lusin'], [])
    """
    names = (_plain(part) for part in str(where).split("/"))
    return [p for p in names if len(p) >= 3 and p not in TOO_WIDE]


def _names(place: str, text: str) -> bool:
    """Whether `text` names `place` as whole words."""
    return re.search(rf"\b{re.escape(place)}\b", text) is not None


def triangulate(events: pd.DataFrame, ged: pd.DataFrame) -> pd.DataFrame:
    """The curated acts of force (QuadClass 4) inside GED's span set against GED's events:
    whether GED holds an event at the same place (its place name appears in the curated
    location) whose dates lie within MATCH_DAYS days of the curated day; else one in the
    same governorate within those days with a party of the curated event on a side; else
    none, with the likely reason. A match is a candidate, not an identity: GED does not name
    incidents."""
    in_syria = events["location_name"].fillna("").str.contains("Syria", regex=False)
    acts = events[(events["quad_class"] == 4) & (events["date_best"] >= GED_START)
                  & (events["date_best"] <= GED_END) & in_syria]
    rows = []
    for e in acts.itertuples():
        where = str(e.location_name) if pd.notna(e.location_name) else ""
        plain = _plain(where)
        governorates = [g for g, words in GOVERNORATE_WORDS.items()
                        if any(w in where.lower() for w in words)]
        day_known = e.date_precision == "day" or pd.notna(e.exact_date)
        row = {"event_id": e.event_id, "date": e.date_best, "title": e.title, "place": where,
               "match": "", "ged_ids": "", "ged_deaths": 0, "why": ""}
        if not governorates:
            row.update(match="outside the extract",
                       why="the place is not in Idlib, Hama, Latakia or Aleppo governorate")
        elif not day_known:
            row.update(match="not compared", why="the curated date is not known to the day")
        else:
            # Only GED events dated to the day or to a few days (date_prec 1 or 2) can fall
            # "within two days"; a month-long range would match anything in it.
            near = ged[(ged["date_prec"].astype(int) <= 2)
                       & (ged["date_start"] <= e.date_best + pd.Timedelta(days=MATCH_DAYS))
                       & (ged["date_end"] >= e.date_best - pd.Timedelta(days=MATCH_DAYS))
                       & ged["adm_1"].astype(str).isin(governorates)]
            # A point standing for a whole governorate (where_prec 4 or coarser) is no place.
            placed = near[near["where_prec"].astype(int) <= 3]
            same = placed[[any(_names(p, plain) for p in _places(w))
                           for w in placed["where_coordinates"]]]
            parties = {GED_ACTOR[a] for a in (str(e.actor_initiator), str(e.actor_target))
                       if a in GED_ACTOR}
            involved = near[near["side_a"].isin(parties) | near["side_b"].isin(parties)
                            | near["dyad_name"].str.contains("Turkey", regex=False)
                            & ("Government of Turkey" in parties)]
            if len(same):
                row.update(match="same place, within two days", ged_ids=_ids(same),
                           ged_deaths=int(same["best"].sum()))
            elif len(involved):
                row.update(match="same governorate and party, within two days",
                           ged_ids=_ids(involved), ged_deaths=int(involved["best"].sum()),
                           why="GED's place is not the curated one")
            else:
                row.update(match="none", why=(
                    "no GED event within two days at a place the curated location names, nor "
                    "one in its governorate with a party of the event on a side (GED counts "
                    "fatal events only, as its sources reported them)"))
        rows.append(row)
    return pd.DataFrame(rows, columns=["event_id", "date", "title", "place", "match",
                                       "ged_ids", "ged_deaths", "why"])


def _ids(frame: pd.DataFrame, most: int = 5) -> str:
    ids = [str(i) for i in frame["ged_id"]]
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")
