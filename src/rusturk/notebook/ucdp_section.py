"""The Idlib notebook's UCDP GED section: the independent series, its totals and the Sochi test.

Every chart and sentence here says that GED ends on 30 November 2019; a window outside
GED's span gets one sentence saying so, and nothing is drawn past the end of the data.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from markupsafe import Markup

from rusturk.analysis import ucdp
from rusturk.analysis.findings import PERCENT
from rusturk.analysis.window import Window
from rusturk.common.text import LONG_DATE_STYLE, LONG_MONTH_STYLE, day, month, plural, signed
from rusturk.notebook import charts
from rusturk.notebook.sections import table_html

NO_EXTRACT = ("This data folder holds no UCDP GED extract (`ucdp_ged_nw_syria.csv`), so the "
              "independent series cannot be shown.")
ENDS = "GED ends 30 Nov 2019"
METHOD = (
    "**Method.** GED's events in Idlib governorate are counted by month when both their dates "
    "fall in one month (the few known only to a longer range count in the yearly totals "
    "only). The Sochi test sets the mean monthly deaths (GED's best estimate) in the "
    f"{ucdp.SOCHI_MONTHS} full months after September 2018 against the {ucdp.SOCHI_MONTHS} "
    "full months before it, the month of signing left out, with a "
    f"{PERCENT}% percentile bootstrap interval of the difference (months resampled, fixed "
    "seed); windows of 3 and 9 months are shown as a check. Beside it, an interrupted time "
    f"series: a segmented regression of the months from {ucdp.ITS_MONTHS_BEFORE} before the "
    "memorandum to April 2019, the last month before the 2019 offensive, with a change of "
    f"level and of slope after it and Newey–West intervals (lag {ucdp.HAC_LAG}).\n\n"
    "**Limits.** Months are not independent: violence comes in campaigns, so the intervals "
    "are narrower than they should be. With six or seven months on a side, one bad month "
    "moves a mean by tens of deaths. A before/after difference shows that violence changed, "
    "not that the memorandum changed it. GED counts only fatal events that its sources "
    "reported (in Syria mostly the Syrian Observatory for Human Rights): a change in "
    "reporting is a change in the series. GED ends on 30 November 2019 and says nothing of "
    "the escalation that began in December 2019.")


def _span(w: Window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The part of the window GED covers."""
    return max(w.start, ucdp.GED_START), min(w.end, ucdp.GED_END)


def _months_in(w: Window, frame: pd.DataFrame, column: str | None = None) -> pd.DataFrame:
    start, end = _span(w)
    index = frame[column] if column else frame.index.to_series()
    return frame[(index >= start.to_period("M").to_timestamp()) & (index <= end)]


def _unavailable(w: Window) -> str | None:
    """Why the section shows nothing but a sentence, or None."""
    if w.ds.ucdp_ged.empty:
        return NO_EXTRACT
    if not ucdp.covers(w.start, w.end):
        return f"**{ucdp.NOT_COVERED}** The window is {w.label}."
    return None


def _bar_width(months: int) -> float:
    """Bars as wide as most of a month on a time axis of `months` months."""
    return max(1.0, 0.6 * charts.WIDTH / max(months, 1))


def _between(f: ucdp.Finding) -> str:
    return f"{PERCENT}% interval {signed(f.low, 1)} to {signed(f.high, 1)}"


def _clear(f: ucdp.Finding) -> bool:
    return f.low > 0 or f.high < 0


def summary(w: Window) -> Markup:
    """The window's GED totals for Idlib, and the coverage caveat."""
    start, end = _span(w)
    ged = ucdp.in_governorate(w.ds.ucdp_ged)
    inside = ged[(ged["date_start"] >= start) & (ged["date_start"] <= end)]
    cut = Markup(" GED ends on 30 November 2019, before the window does.") \
        if w.end > ucdp.GED_END else Markup("")
    return Markup(
        "<p><strong>UCDP GED, {} to {}.</strong> GED records <strong>{}</strong> in Idlib "
        "governorate, with <strong>{}</strong> deaths by its best estimate (low {}, high "
        "{}).{} {}</p>").format(
            day(start), day(end), plural(len(inside), "fatal event"),
            f"{int(inside['best'].sum()):,}", f"{int(inside['low'].sum()):,}",
            f"{int(inside['high'].sum()):,}", cut, ucdp.COVERAGE)


def monthly_chart(w: Window) -> alt.LayerChart:
    """Monthly best deaths in Idlib with the low–high band and the curated markers."""
    months = _months_in(w, ucdp.monthly(w.ds.ucdp_ged)).reset_index()
    marks = ucdp.markers(w.ds.events)
    marks = marks[(marks["date"] >= months["month"].min())
                  & (marks["date"] <= months["month"].max() + pd.offsets.MonthEnd(0))]
    data = charts._records(months)
    x = charts.time_x("month", months["month"].min(), months["month"].max(),
                      f"Month ({ENDS})", monthly=True, pad_days=15)
    band = alt.Chart(data).mark_area(opacity=0.25, color=charts.OKABE_ITO[0]).encode(
        x=x, y=alt.Y("low:Q", title="Deaths in Idlib (GED best; band: low to high)"),
        y2="high:Q")
    line = alt.Chart(data).mark_line(point=True, color=charts.OKABE_ITO[0]).encode(
        x=x, y="best:Q",
        tooltip=[alt.Tooltip("month:T", format=LONG_MONTH_STYLE),
                 alt.Tooltip("events:Q", format=","),
                 alt.Tooltip("best:Q", format=","), alt.Tooltip("low:Q", format=","),
                 alt.Tooltip("high:Q", format=",")])
    rules = alt.Chart(charts._records(marks)).mark_rule(
        color=charts.OKABE_ITO[3], strokeDash=[5, 3]).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N", title="event"),
                             alt.Tooltip("date:T", format=LONG_DATE_STYLE)])
    # Alternate rows, so that labels of markers a few months apart do not overprint.
    staggered = marks.assign(row=[3 + 13 * (i % 2) for i in range(len(marks))])
    labels = alt.Chart(charts._records(staggered)).mark_text(
        align="left", baseline="top", dx=3, fontSize=10, color="#444444").encode(
        x="date:T", y=alt.Y("row:Q", scale=None), text="label:N")
    total = int(months["best"].sum())
    return alt.layer(band, line, rules, labels).properties(
        width=charts.WIDTH, height=260,
        title=f"Deaths in fatal events in Idlib per month, UCDP GED ({ENDS})",
        description=f"UCDP GED best estimate of deaths per month in Idlib governorate, "
                    f"{len(months)} months, {total:,} deaths, with the low to high band; "
                    f"dashed: {', '.join(marks['label'])}. {ucdp.COVERAGE}")


def by_chart(w: Window, by: str) -> alt.Chart:
    """Monthly best deaths in Idlib, stacked by type of violence or by side A."""
    long = _months_in(w, ucdp.monthly_by(w.ds.ucdp_ged, by), "month")
    title = {"violence": "type of violence", "side": "side A of the dyad"}[by]
    width = _bar_width(long["month"].nunique())
    return alt.Chart(charts._records(long)).mark_bar(width=width).encode(
        x=charts.time_x("month", long["month"].min(), long["month"].max(),
                        f"Month ({ENDS})", monthly=True, pad_days=15),
        y=alt.Y("best:Q", title="Deaths (GED best)"),
        color=alt.Color("group:N", title=title),
        tooltip=[alt.Tooltip("month:T", format=LONG_MONTH_STYLE),
                 alt.Tooltip("group:N", title=title),
                 alt.Tooltip("events:Q", format=","), alt.Tooltip("best:Q", format=",")],
    ).properties(
        width=charts.WIDTH, height=200,
        title=f"Deaths in Idlib per month by {title}, UCDP GED ({ENDS})",
        description=f"UCDP GED best estimate of deaths per month in Idlib governorate, "
                    f"stacked by {title}. {ucdp.COVERAGE}")


def yearly_table(w: Window) -> pd.DataFrame:
    """Idlib's yearly totals over the years of the window that GED covers."""
    start, end = _span(w)
    t = ucdp.yearly(w.ds.ucdp_ged)
    t = t[(t.index >= start.year) & (t.index <= end.year)]
    return pd.DataFrame({
        "year": [f"{y}" + (" (to 30 Nov)" if y == ucdp.GED_END.year else "") for y in t.index],
        "fatal events": t["events"].map("{:,}".format).values,
        "deaths, best": t["best"].map("{:,}".format).values,
        "low": t["low"].map("{:,}".format).values,
        "high": t["high"].map("{:,}".format).values,
        "events dated only to a range over months": t["spanning_months"].values,
        "events with low, best, high out of order as released":
            t["bounds_out_of_order"].values})


def triangulation_table(w: Window) -> pd.DataFrame | None:
    """The curated acts of force in the window set against GED's events."""
    start, end = _span(w)
    t = ucdp.triangulate(w.events, w.ds.ucdp_ged)
    t = t[(t["date"] >= start) & (t["date"] <= end)]
    if t.empty:
        return None
    return pd.DataFrame({
        "date": t["date"].map(day), "curated event": t["title"], "place": t["place"],
        "in GED": t["match"], "GED events (id)": t["ged_ids"],
        "their deaths, best": t["ged_deaths"].map("{:,}".format), "why": t["why"]})


TRIANGULATION = (
    "**Curated acts of force against GED.** Each curated act of force in Syria inside GED's "
    f"span is set against GED's events dated within {ucdp.MATCH_DAYS} days of it: at the same "
    "place (GED's place name appears in the curated location), else in the same governorate "
    "with a party of the curated event on a side. A match is a candidate, not an identity: "
    "GED does not name incidents, and its deaths there are all that it counts at that place "
    "in those days. GED counts fatal events only, so an act that killed no one is not in it.")


def monthly_table(w: Window) -> Markup:
    """Idlib's monthly totals, folded: an annex the reader opens."""
    m = _months_in(w, ucdp.monthly(w.ds.ucdp_ged)).reset_index()
    table = pd.DataFrame({"month": m["month"].map(month), "fatal events": m["events"],
                          "deaths, best": m["best"], "low": m["low"], "high": m["high"]})
    return Markup("<details><summary>Monthly totals, Idlib, UCDP GED ({}; {})</summary>"
                  "{}</details>").format(plural(len(table), "month"), ENDS,
                                         Markup(table_html(table)))


def section(w: Window) -> tuple:
    """What the notebook shows of the series: summary, monthly chart, the charts by type of
    violence and by side, and the yearly table; one sentence where GED cannot be shown."""
    why = _unavailable(w)
    if why:
        return (why,)
    matched = triangulation_table(w)
    return (summary(w), monthly_chart(w), by_chart(w, "violence"), by_chart(w, "side"),
            yearly_table(w), *((TRIANGULATION, matched) if matched is not None else ()))


def monthly_annex(w: Window) -> tuple:
    """The monthly table, folded, for the annex; nothing where GED cannot be shown (the
    section has already said why)."""
    return (None,) if _unavailable(w) else (monthly_table(w),)


# -- the Sochi test ----------------------------------------------------------------------------

def sochi_text(found: dict[str, ucdp.Finding]) -> Markup:
    """The Sochi test's conclusion in words, every number from the findings."""
    b, a, d = (found[k] for k in ("ged_sochi_before_mean", "ged_sochi_after_mean",
                                  "ged_sochi_change"))
    verdict = (Markup("the interval excludes zero: a fall the data can carry") if d.high < 0
               else Markup("the interval excludes zero: a rise") if d.low > 0
               else Markup("the interval includes zero: the data cannot tell this from no "
                           "change"))
    q = found["ged_sochi_quiet_months"]
    out = Markup(
        "<p><strong>Did violence in Idlib fall after the Sochi memorandum?</strong> In the {} "
        "full months after September 2018, GED's best estimate averages <strong>{}</strong> "
        "deaths a month in Idlib, against <strong>{}</strong> in the {} months before: a "
        "change of <strong>{}</strong> ({}); {}. Monthly deaths stayed below the lower end of "
        "the before-period's interval for {} after the month of signing.").format(
            a.n, f"{a.value:,.1f}", f"{b.value:,.1f}", b.n, signed(d.value, 1), _between(d),
            verdict, plural(int(q.value), "month"))
    its = [found.get(f"ged_its_{k}") for k in ("pre_slope", "level_change", "slope_change")]
    if all(its):
        pre, level, slope = its
        turned = slope.low > 0 and pre.value + slope.value > 0
        out += Markup(
            " The segmented regression ({}) finds a trend before the memorandum of {} deaths "
            "a month per month ({}), a change of level after it of {} ({}), {}, and a change "
            "of trend of {} ({}), {}{}.").format(
                plural(level.n, "month"), signed(pre.value, 1), _between(pre),
                signed(level.value, 1), _between(level),
                "clear of zero" if _clear(level) else "not clear of zero",
                signed(slope.value, 1), _between(slope),
                "clear of zero" if _clear(slope) else "not clear of zero",
                ": after the memorandum deaths trended upward, towards the offensive"
                if turned else "")
    off, change = found.get("ged_offensive_mean"), found.get("ged_offensive_change")
    if off and change:
        out += Markup(
            " From the first full month of the 2019 offensive to November 2019, where GED "
            "ends, the mean was <strong>{}</strong> deaths a month, {} more than in the months "
            "after Sochi ({}).").format(f"{off.value:,.1f}", f"{change.value:,.1f}",
                                        _between(change))
    return out + Markup("</p>")


def sochi_chart(found: dict[str, ucdp.Finding]) -> alt.LayerChart:
    """The months of the test as bars, before and after, each side's mean as a rule."""
    rows = found["ged_sochi_change"].rows.reset_index().rename(columns={"index": "month"})
    data = charts._records(rows[["month", "best", "side"]])
    scale = alt.Scale(domain=["before", "after"], range=[charts.OKABE_ITO[1],
                                                         charts.OKABE_ITO[0]])
    span = (rows["month"].max() - rows["month"].min()).days / 30.4 + 1
    bars = alt.Chart(data).mark_bar(width=_bar_width(int(span))).encode(
        x=charts.time_x("month", rows["month"].min(), rows["month"].max(),
                        f"Month ({ENDS})", monthly=True, pad_days=20),
        y=alt.Y("best:Q", title="Deaths in Idlib (GED best)"),
        color=alt.Color("side:N", scale=scale, title="months"),
        tooltip=[alt.Tooltip("month:T", format=LONG_MONTH_STYLE),
                 alt.Tooltip("best:Q", format=",")])
    means = charts._records(pd.DataFrame({
        "side": ["before", "after"],
        "mean": [found["ged_sochi_before_mean"].value, found["ged_sochi_after_mean"].value],
        "start": [rows.loc[rows["side"] == s, "month"].min() for s in ("before", "after")],
        "end": [rows.loc[rows["side"] == s, "month"].max() + pd.offsets.MonthEnd(0)
                for s in ("before", "after")]}))
    rules = alt.Chart(means).mark_rule(strokeWidth=2, strokeDash=[4, 2]).encode(
        x="start:T", x2="end:T", y="mean:Q", color=alt.Color("side:N", scale=scale),
        tooltip=[alt.Tooltip("side:N"), alt.Tooltip("mean:Q", format=",.1f")])
    d = found["ged_sochi_change"]
    return alt.layer(bars, rules).properties(
        width=charts.WIDTH, height=220,
        title=f"The Sochi test: months before and after September 2018 ({ENDS})",
        description=f"Monthly best deaths in Idlib, {found['ged_sochi_before_mean'].n} months "
                    f"before and {found['ged_sochi_after_mean'].n} after the Sochi memorandum, "
                    f"with each side's mean; difference {d.value:+.1f} ({PERCENT}% interval "
                    f"{d.low:+.1f} to {d.high:+.1f}). {ucdp.COVERAGE}")


def sensitivity_table(w: Window) -> pd.DataFrame:
    t = ucdp.sensitivity(w.ds.ucdp_ged, w.ds.events)
    return pd.DataFrame({
        "months on each side": t["months"],
        "mean before": t["before_mean"].map("{:,.1f}".format),
        "mean after": t["after_mean"].map("{:,.1f}".format),
        "after minus before": t["difference"].map(lambda v: signed(v, 1)),
        f"{PERCENT}% interval": [f"{signed(lo, 1)} to {signed(hi, 1)}" for lo, hi in
                                 zip(t["low"], t["high"], strict=True)],
        "excludes zero": t["distinguishable"].map({True: "yes", False: "no"})})


def sochi_section(w: Window) -> tuple:
    """The Sochi test, computed on GED's whole span whatever the window (the question does not
    change with it): the conclusion, the chart, the check with other windows, method and
    limits; one sentence where GED cannot be shown or the test cannot be run."""
    why = _unavailable(w)
    if why:
        return (why,)
    found = ucdp.findings(w.ds.ucdp_ged, w.ds.events)
    if "ged_sochi_change" not in found:
        return ("The Sochi test cannot be run: the data hold no `sochi-idlib-memorandum` "
                "event, or GED does not cover the months around it.",)
    return (sochi_text(found), sochi_chart(found), sensitivity_table(w), METHOD)
