"""Chart definitions: one theme, a colour-blind-safe palette, a description on every chart."""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import textwrap
from dataclasses import dataclass
from functools import cache
from importlib import resources

import altair as alt
import pandas as pd

from rusturk.common.text import (
    DATE_STYLE,
    DAY_MONTH_STYLE,
    LONG_MONTH_STYLE,
    MONTH_STYLE,
    YEAR_STYLE,
    day,
    span,
)
from rusturk.data.schema import QUAD_CLASSES

# Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]
QUAD_COLOURS = dict(zip(QUAD_CLASSES.values(), ["#0072B2", "#56B4E9", "#E69F00", "#D55E00"],
                        strict=True))
WIDTH = 640
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

# Axis and legend labels are never cut short (Vega's default limits end them with "…").
LABEL_LIMIT = 1000
# Human words for the source kinds of the schema; a legend never shows the bare code.
SOURCE_KIND_LABELS = {"news": "news outlet", "official": "government or military",
                      "un": "United Nations", "monitor": "monitoring group",
                      "analysis": "research institute", "encyclopedia": "encyclopedia",
                      "reference": "reference work", "dataset": "data set"}
MS_PER_DAY = 86_400_000


def _ms(day: pd.Timestamp) -> int:
    """A day as milliseconds since the epoch, UTC: what a Vega time scale and axis read."""
    day = pd.Timestamp(day)
    day = day.tz_localize("UTC") if day.tzinfo is None else day.tz_convert("UTC")
    return int(day.value // 1_000_000)


def time_ticks(start: pd.Timestamp, end: pd.Timestamp, max_ticks: int = 8,
               monthly: bool = False) -> tuple[list[pd.Timestamp], str]:
    """The ticks and their label format for a time axis from `start` to `end`.

    The unit follows the span: days for a fortnight, weeks up to about two months, months
    up to about two years, then quarters or years; never more than `max_ticks` ticks and
    never two ticks with the same label. `monthly` data (one value per month) is never
    ticked finer than a month; a single month's ticks sit mid-month, under its bar.

    Examples:
        >>> ticks, fmt = time_ticks(pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29"))
        >>> [t.strftime(fmt) for t in ticks], fmt == DAY_MONTH_STYLE
        (['1 Feb', '8 Feb', '15 Feb', '22 Feb', '29 Feb'], True)
        >>> ticks, fmt = time_ticks(pd.Timestamp("2015-11-24"), pd.Timestamp("2020-03-31"))
        >>> [t.strftime(fmt) for t in ticks], fmt == YEAR_STYLE
        (['2016', '2017', '2018', '2019', '2020'], True)
    """
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    days = (end - start).days
    if not monthly and days <= 70:
        step = next(s for s in (1, 2, 7, 14, 21, 28) if days // s + 1 <= max_ticks
                    and (s < 7 or days > 16))
        return list(pd.date_range(start, end, freq=f"{step}D")), DAY_MONTH_STYLE
    first = start if start.day == 1 else start + pd.offsets.MonthBegin(1)
    months = pd.date_range(first, end, freq="MS")
    if monthly and len(months) <= max_ticks:
        return [m + pd.Timedelta(days=14) for m in months if m + pd.Timedelta(days=14) <= end
                ] or [start], MONTH_STYLE
    for step in (1, 2, 3, 6, 12, 24, 60):
        if step >= 12:
            ticks = [m for m in months if m.month == 1 and m.year % (step // 12) == 0]
        else:
            ticks = [m for m in months if (m.month - 1) % step == 0]
        if step > 12 or (days > 750 and step < 3):
            continue
        if 0 < len(ticks) <= max_ticks:
            return ticks, YEAR_STYLE if step >= 12 else MONTH_STYLE
    return [start, end], MONTH_STYLE


def time_x(field: str, start: pd.Timestamp, end: pd.Timestamp, title: str, *,
           width: int = 640, monthly: bool = False, pad_days: float = 0.0) -> alt.X:
    """A time axis over `start`..`end` (padded by `pad_days`) ticked by `time_ticks`: an
    explicit domain in UTC, so that neither another layer nor the reader's time zone moves
    it, and the year written once, on the first label, when the ticks are days or weeks."""
    ticks, fmt = time_ticks(start, end, max_ticks=max(2, min(10, width // 75)),
                            monthly=monthly)
    pad = pd.Timedelta(days=pad_days)
    values = [_ms(t) for t in ticks]
    if fmt == DAY_MONTH_STYLE:
        label = (f"utcFormat(datum.value, time(datum.value) == {values[0]} ? "
                 f"'{DATE_STYLE}' : '{DAY_MONTH_STYLE}')")
    else:
        label = f"utcFormat(datum.value, '{fmt}')"
    axis = alt.Axis(values=values, labelExpr=label, labelOverlap=False, labelAngle=0,
                    labelFlush=True, labelLimit=LABEL_LIMIT, grid=False)
    return alt.X(field, type="temporal", title=title, axis=axis, scale=alt.Scale(
        type="utc", domain=[_ms(pd.Timestamp(start) - pad), _ms(pd.Timestamp(end) + pad)]))


def _span(*dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    joined = pd.concat([pd.to_datetime(pd.Series(d)) for d in dates]).dropna()
    return joined.min().normalize(), joined.max().normalize()


def _pad(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Room at both ends so a mark on the first or last day is not cut in half."""
    return max(1.0, (end - start).days * 0.015)


def _count_axis(title: str, top: float, ticks: int = 5) -> dict:
    """A count axis from zero whose labels never crowd: at most `ticks` intervals."""
    return {"title": title, "axis": alt.Axis(tickCount=ticks, format=",d", labelLimit=LABEL_LIMIT,
                                             labelOverlap=True, tickMinStep=1),
            "scale": alt.Scale(domain=[0, _nice(top)], nice=False)}


def _nice(top: float) -> float:
    """The smallest round number at or above `top`: 1, 2 or 5 times a power of ten, or a
    multiple of one, so an axis ends on a labelled tick."""
    top = max(float(top), 1.0)
    magnitude = 10 ** math.floor(math.log10(top))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * magnitude >= top:
            return m * magnitude
    return 10 * magnitude


# Charts go out as Vega-Lite JSON, which JupyterLab draws itself: no CDN script in the output.
alt.renderers.enable("mimetype")


def theme() -> dict:
    return {"config": {
        "font": FONT,
        "view": {"stroke": None},
        "title": {"fontSize": 14, "anchor": "start"},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": False,
                 "labelLimit": LABEL_LIMIT, "titleLimit": LABEL_LIMIT},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom",
                   "labelLimit": LABEL_LIMIT, "titleLimit": LABEL_LIMIT, "columns": 0},
        "range": {"category": OKABE_ITO},
    }}


alt.theme.register("rusturk", enable=True)(theme)


def _records(frame: pd.DataFrame) -> alt.Data:
    """Only JSON-friendly values go into a chart: dates as ISO strings, NA as null.

    Rows are handed over as plain records because Altair's own DataFrame clean-up lets
    pandas 3 turn None back into NaN in text columns, which is not valid JSON.
    """
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(str)
    return alt.Data(values=json.loads(out.to_json(orient="records")))


def _quad_scale() -> alt.Scale:
    return alt.Scale(domain=list(QUAD_COLOURS), range=list(QUAD_COLOURS.values()))


def _kind_of_act(title: str = "Kind of act") -> alt.Color:
    return alt.Color("quad_class_label:N", title=title, scale=_quad_scale())


def phase_bands(phases: pd.DataFrame, y_band: bool = True) -> alt.Chart:
    """Alternating shaded bands, one per phase, labelled at the top; clipped to the chart, so
    a phase reaching beyond the window does not stretch its time axis."""
    data = _records(phases[["phase_id", "name", "start", "end"]].assign(
        shade=[i % 2 for i in range(len(phases))]))
    base = alt.Chart(data)
    # Shading by opacity, not colour: a colour scale here would merge with the chart's own.
    bands = base.mark_rect(color="#999999", clip=True).encode(
        x="start:T", x2="end:T",
        opacity=alt.Opacity("shade:Q", scale=alt.Scale(domain=[0, 1], range=[0.14, 0.04]),
                            legend=None),
        tooltip=[alt.Tooltip("name:N", title="phase"), alt.Tooltip("start:T", title="from"),
                 alt.Tooltip("end:T", title="to")])
    # Only phases long enough to hold their name are labelled; short ones would overprint.
    long_enough = phases[(phases["end"] - phases["start"]).dt.days >= 150]
    labels = alt.Chart(_records(long_enough[["name", "start"]])).mark_text(
        align="left", baseline="top", dx=3, dy=3, fontSize=10, color="#444444",
        clip=True).encode(x="start:T", text="name:N")
    return bands + labels if y_band else bands


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _phase_numbers(phases: pd.DataFrame) -> list[str]:
    """Each phase's study-wide number: the frame's own `number` column where it has one (a
    window's phases are a slice of the study's), else the position in the frame."""
    if "number" in phases.columns:
        return [ROMAN[(int(n) - 1) % len(ROMAN)] for n in phases["number"]]
    return [ROMAN[i % len(ROMAN)] for i in range(len(phases))]


def timeline(events: pd.DataFrame, phases: pd.DataFrame,
             key_events: pd.DataFrame | None = None) -> alt.LayerChart:
    """Every event on a time axis by category, coloured by the kind of act, over phase bands;
    the phases and the key events numbered in lanes of their own at the top, named in the
    caption, so that no label collides with another or sits on a row of data."""
    data = _records(events.assign(
        sources=events["source_ids"].map(", ".join),
        when=events["date_best"],
    )[["event_id", "when", "date_precision", "title", "description", "category",
       "quad_class_label", "goldstein", "sources"]])
    start, end = _span(events["date_best"])
    lanes = ["phases", "key events"]
    order = lanes + sorted(events["category"].astype(str).unique())
    y = alt.Y("category:N", title=None, sort=order, scale=alt.Scale(domain=order))
    x = time_x("when", start, end, "Date (events known only to the month sit mid-month)",
               pad_days=_pad(start, end))
    points = alt.Chart(data).mark_point(filled=True, size=80, opacity=0.85).encode(
        x=x, y=y, color=_kind_of_act(),
        shape=alt.Shape("date_precision:N", title="Date known to the"),
        tooltip=[alt.Tooltip("when:T", title="date"), "date_precision:N", "title:N",
                 "description:N", alt.Tooltip("goldstein:Q", title="Goldstein"),
                 alt.Tooltip("sources:N", title="sources")])
    # Each phase's number sits in the middle of the part of it that the chart shows.
    shown_from = phases["start"].clip(lower=start)
    shown_to = phases["end"].clip(upper=end)
    phase_marks = phases.assign(
        middle=shown_from + (shown_to - shown_from) / 2, category="phases",
        number=_phase_numbers(phases))
    phase_lane = alt.Chart(_records(phase_marks[["middle", "category", "number", "name"]]))
    layers = [phase_bands(phases, y_band=False), points,
              phase_lane.mark_text(fontSize=11, fontWeight="bold", color="#444444").encode(
                  x="middle:T", y=y, text="number:N", tooltip=["name:N"])]
    key = " Phases: " + "; ".join(
        f"{n} {name} ({span(a, b)})" for n, name, a, b in zip(
            phase_marks["number"], phases["name"], phases["start"], phases["end"],
            strict=True)) + "."
    if key_events is not None and len(key_events):
        marks = key_events.assign(when=key_events["date_best"], category="key events",
                                  number=[str(i) for i in range(1, len(key_events) + 1)])
        lane = alt.Chart(_records(marks[["when", "category", "number", "title"]]))
        layers += [lane.mark_circle(size=260, color="#222222").encode(
                       x="when:T", y=y, tooltip=["title:N"]),
                   lane.mark_text(color="#ffffff", fontSize=10, fontWeight="bold").encode(
                       x="when:T", y=y, text="number:N")]
        key += " Key events: " + "; ".join(
            f"{n} {t} ({day(d)})" for n, (t, d) in enumerate(
                zip(key_events["title"], key_events["date_best"], strict=True), start=1)) + "."
    return alt.layer(*layers).properties(
        width=WIDTH, height=300, title="Russia–Turkey events by category and phase",
        description=f"{len(events)} analysed events from "
                    f"{span(events['date_best'].min(), events['date_best'].max())}, by "
                    f"category, coloured by the kind of act, over the curated phases.{key}")


def _goldstein_axis(title: str | list[str]) -> dict:
    """The −10 … +10 score scale, labelled every five points so that no two numbers touch."""
    return {"title": title, "scale": alt.Scale(domain=[-10, 10], nice=False),
            "axis": alt.Axis(values=[-10, -5, 0, 5, 10], format="+d",
                             labelExpr="datum.value == 0 ? '0' : datum.label")}


def index_chart(series: pd.DataFrame, phases: pd.DataFrame, window_days: int) -> alt.LayerChart:
    """Per-event Goldstein scores and their trailing mean, over the phase bands; one axis."""
    data = _records(series[["event_id", "date_best", "title", "goldstein", "smoothed"]])
    start, end = _span(series["date_best"])
    base = alt.Chart(data).encode(x=time_x("date_best", start, end, "Date",
                                           pad_days=_pad(start, end)))
    points = base.mark_circle(size=40, color="#999999").encode(
        # Two lines, so the rotated title is no taller than the plot.
        y=alt.Y("goldstein:Q", **_goldstein_axis(
            ["Score of each event", "(−10 conflict to +10 cooperation)"])),
        tooltip=["title:N", alt.Tooltip("date_best:T", title="date"), "goldstein:Q"])
    smoothed = base.mark_line(color=OKABE_ITO[3], strokeWidth=2).encode(y="smoothed:Q")
    return alt.layer(phase_bands(phases, y_band=False), points, smoothed).properties(
        width=WIDTH, height=240,
        title=f"Cooperation–conflict index: each event's score (grey) and the {window_days}-day "
              "mean (orange)",
        description=f"{len(series)} analysed events: each event's Goldstein score and the mean "
                    f"of the preceding {window_days} days, computed on the whole history.")


def _month_span(months: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From the first day of the first month to the first day after the last month, where
    that month's bar ends."""
    first, last = _span(months)
    first = first - pd.offsets.MonthBegin(1) if first.day != 1 else first
    return first, last - pd.offsets.MonthBegin(1) + pd.offsets.MonthBegin(2) \
        if last.day != 1 else last + pd.offsets.MonthBegin(1)


def change_point_chart(counts: pd.DataFrame, found: pd.DataFrame,
                       comparison: pd.DataFrame) -> alt.LayerChart:
    """Monthly counts of cooperative and conflictual events, the breaks a permutation test
    keeps (dashed) and the candidate boundaries, curated and alternative (solid)."""
    long = counts.reset_index().melt(id_vars="month", var_name="kind", value_name="events")
    start, end = _month_span(long["month"])
    lines = alt.Chart(_records(long)).mark_line(interpolate="step-after").encode(
        x=time_x("month", start, end, "Month", monthly=True),
        y=alt.Y("events:Q", **_count_axis("Analysed events per month", long["events"].max())),
        color=alt.Color("kind:N", title="Events", scale=alt.Scale(
            domain=["cooperation", "conflict"], range=[OKABE_ITO[0], OKABE_ITO[3]])),
        tooltip=[alt.Tooltip("month:T", format=LONG_MONTH_STYLE), "kind:N", "events:Q"])
    marks = pd.concat([
        pd.DataFrame({"date": comparison["date"], "what": comparison["boundary"],
                      "kind": comparison["kind"] + " boundary"}),
        pd.DataFrame({"date": found["month"], "what": "break, p = " + found["p_value"].map(
            "{:.3f}".format), "kind": "detected break"})])
    rules = alt.Chart(_records(marks)).mark_rule(strokeWidth=1.5, color="#444444",
                                                 clip=True).encode(
        x="date:T",
        strokeDash=alt.StrokeDash("kind:N", title=None, scale=alt.Scale(
            domain=["curated boundary", "alternative boundary", "detected break"],
            range=[[1, 0], [2, 2], [6, 3]])),
        tooltip=[alt.Tooltip("date:T"), "what:N"])
    return (lines + rules).properties(
        width=WIDTH, height=220, title="Monthly counts, detected breaks and phase boundaries",
        description=f"Cooperative and conflictual analysed events per month over "
                    f"{len(counts)} months, {len(found)} breaks kept by a permutation test and "
                    f"{len(comparison)} candidate boundaries.")


def monthly_counts_chart(months: pd.DataFrame) -> alt.Chart:
    """Analysed events per month, stacked by the kind of act; a few months make a narrower
    chart rather than bars as wide as the page."""
    long = months.reset_index()[["month", "q1", "q2", "q3", "q4"]].melt(
        id_vars="month", var_name="q", value_name="events")
    long["quad_class_label"] = long["q"].map(
        {"q1": "verbal cooperation", "q2": "material cooperation", "q3": "verbal conflict",
         "q4": "material conflict"})
    start, end = _month_span(long["month"])
    width = WIDTH if len(months) >= 8 else max(260, 80 * len(months))
    top = long.groupby("month")["events"].sum().max()
    return alt.Chart(_records(long[long["events"] > 0])).mark_bar().encode(
        x=time_x("utcyearmonth(month)", start, end, "Month", width=width, monthly=True),
        y=alt.Y("sum(events):Q", **_count_axis("Analysed events", top)),
        color=_kind_of_act(),
        tooltip=[alt.Tooltip("utcyearmonth(month):T", title="month"), "quad_class_label:N",
                 "events:Q"],
    ).properties(width=width, height=200, title="Analysed events per month by kind of act",
                 description=f"Counts of analysed events in each of {len(months)} months, by "
                             "verbal and material cooperation and conflict.")


def phase_means_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Each phase's mean score with its bootstrap interval and its number of events."""
    data = _records(table[["name", "events", "mean_goldstein", "ci_low", "ci_high"]].assign(
        label=table["name"] + " (n = " + table["events"].astype(str) + ")"))
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=None, title=None,
                                          axis=alt.Axis(labelLimit=LABEL_LIMIT)))
    bars = base.mark_rule(strokeWidth=2, color="#999999").encode(
        x=alt.X("ci_low:Q", **_goldstein_axis("Mean score with its 95% interval")),
        x2="ci_high:Q")
    dots = base.mark_point(filled=True, size=70, color=OKABE_ITO[0]).encode(
        x="mean_goldstein:Q",
        tooltip=["name:N", "events:Q", alt.Tooltip("mean_goldstein:Q", format="+.2f"),
                 alt.Tooltip("ci_low:Q", format="+.2f"), alt.Tooltip("ci_high:Q", format="+.2f")])
    return (bars + dots).properties(
        width=WIDTH - 160, height=32 * len(table) + 20, title="Mean score of each phase",
        description=f"Mean Goldstein score of the analysed events of {len(table)} phases, each "
                    "with its bootstrap interval and number of events.")


def _wrapped(text: str, width: int = 40) -> str:
    """A long category label on lines of at most `width` characters, joined by newlines,
    which the axis splits; nothing is cut."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


WRAPPED_LABELS = "split(datum.label, '\\n')"


def casualty_chart(readings: pd.DataFrame, incidents: pd.DataFrame, measure_label: str
                   ) -> alt.LayerChart:
    """Per incident, the span of readings across sources, each reading, and the headline."""
    labels = incidents.assign(label=[_wrapped(f"{t} ({day(d)})") for t, d in zip(
        incidents["title"], incidents["date_best"], strict=True)])
    label_of = labels.set_index("event_id")["label"]
    lines = labels["label"].str.count("\n") + 1
    y = alt.Y("label:N", sort=list(labels["label"]), title=None,
              axis=alt.Axis(labelExpr=WRAPPED_LABELS, labelLimit=LABEL_LIMIT,
                            labelLineHeight=13))
    top = max(labels["high"].max(), readings["high"].max() if len(readings) else 0)
    x = alt.X("low:Q", **_count_axis(measure_label, top, ticks=8))
    span = alt.Chart(_records(labels[["label", "low", "high", "sources", "headline",
                                      "basis"]])).mark_rule(
        strokeWidth=3, color="#999999").encode(
        y=y, x=x, x2="high:Q", tooltip=["label:N", "low:Q", "high:Q", "sources:Q"])
    dots = alt.Chart(_records(readings.assign(label=readings["event_id"].map(label_of))[
        ["label", "source_id", "low", "high", "qualifier", "claimant"]])).mark_point(
        size=50, color=OKABE_ITO[3]).encode(
        y=y, x="low:Q", tooltip=["source_id:N", "low:Q", "high:Q", "qualifier:N", "claimant:N"])
    headline = alt.Chart(_records(labels[["label", "headline", "basis"]])).mark_tick(
        thickness=3, size=18, color="#000000").encode(
        y=y, x="headline:Q", tooltip=["label:N", "headline:Q", "basis:N"])
    return (span + dots + headline).properties(
        width=WIDTH - 220, height=int(14 * lines.sum() + 18 * max(len(incidents), 1) + 10),
        title=f"{measure_label}: each source's reading (circles) and the headline (tick)",
        description=f"{measure_label} for {len(incidents)} incidents: the range across sources, "
                    "every reading, and the headline chosen by the written rule.")


HEADLINE_SERIES = "Sum of each incident's headline figure"
TALLY_SERIES = {True: "Running tally given by an official", False: "Running tally in a report"}
# Tallies are labelled on the chart only when this few points carry them; more would crowd.
FEW_TALLIES = 6


def cumulative_chart(cumulative: pd.DataFrame, tallies: pd.DataFrame | None = None
                     ) -> alt.LayerChart:
    """The running total of the incidents' headline figures (a step line), beside the running
    tallies that sources themselves reported (points, labelled with who and how many where
    there are few). No band: the lowest and highest readings of separate incidents are never
    added up. Columns: cumulative `date`, `headline` (any `low`/`high` are ignored); tallies
    `date_ref`, `value`, `publisher`, `official`; without `value`, a tally whose `low` and
    `high` agree is drawn at that number and one that gives a range is left out."""
    line_rows = cumulative[["date", "headline"]].assign(series=HEADLINE_SERIES)
    tallies = tallies if tallies is not None else pd.DataFrame(
        columns=["date_ref", "value", "publisher", "official"])
    if "value" not in tallies.columns:
        tallies = tallies[tallies["low"] == tallies["high"]].assign(value=tallies["low"])
    tally_rows = pd.DataFrame({
        "date": pd.to_datetime(tallies["date_ref"]), "value": tallies["value"].astype(float),
        "publisher": tallies["publisher"].astype(str).str.split(" \\(via ").str[0],
        "series": [TALLY_SERIES[bool(o)] for o in tallies["official"]]})
    start, end = _span(line_rows["date"], tally_rows["date"])
    top = _nice(max([line_rows["headline"].max(), tally_rows["value"].max()]
                    if len(tally_rows) else [line_rows["headline"].max()]) * 1.1)
    x = time_x("date", start, end, "Date", pad_days=_pad(start, end))
    y_title = "Turkish soldiers killed, running total"
    series = [HEADLINE_SERIES] + [TALLY_SERIES[o] for o in (True, False)
                                  if TALLY_SERIES[o] in set(tally_rows["series"])]
    colours = {HEADLINE_SERIES: "#000000", TALLY_SERIES[True]: OKABE_ITO[0],
               TALLY_SERIES[False]: OKABE_ITO[3]}
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=LABEL_LIMIT)
    colour = alt.Color("series:N", title=None, legend=legend, scale=alt.Scale(
        domain=series, range=[colours[s] for s in series]))
    # One legend: a stroke for the line, a diamond for each kind of tally.
    shape = alt.Shape("series:N", title=None, legend=legend, scale=alt.Scale(
        domain=series, range=["stroke"] + ["diamond"] * (len(series) - 1)))
    line = alt.Chart(_records(line_rows)).mark_line(interpolate="step-after").encode(
        x=x, y=alt.Y("headline:Q", **_count_axis(y_title, top)), color=colour,
        tooltip=[alt.Tooltip("date:T", title="date"), "headline:Q"])
    layers = [line]
    if len(tally_rows):
        groups = (tally_rows.groupby(["date", "value", "series"], sort=True)["publisher"]
                  .agg(lambda p: ", ".join(dict.fromkeys(p))).reset_index())
        layers.append(alt.Chart(_records(groups)).mark_point(
            filled=True, size=60).encode(
            x="date:T", y="value:Q", color=colour, shape=shape,
            tooltip=[alt.Tooltip("date:T", title="as of"), "value:Q", "publisher:N"]))
        if len(groups) <= FEW_TALLIES:
            layers.append(_tally_labels(groups, line_rows, start - pd.Timedelta(
                days=_pad(start, end)), end + pd.Timedelta(days=_pad(start, end)), top))
    return alt.layer(*layers).properties(
        width=WIDTH, height=CUMULATIVE_HEIGHT,
        title="Turkish soldiers killed: our running total and the sources' own tallies",
        description=f"The running total of {len(cumulative)} dated headline figures, to the end "
                    f"of the window, beside {len(tally_rows)} running tallies reported by "
                    "sources.")

CUMULATIVE_HEIGHT = 220


def _tally_labels(groups: pd.DataFrame, line_rows: pd.DataFrame, x_from: pd.Timestamp,
                  x_to: pd.Timestamp, top: float) -> alt.Chart:
    """Each tally's value and who gave it, placed beside its point by `place_labels` so that
    no label covers another, a point or the headline line."""
    span_ms = _ms(x_to) - _ms(x_from)

    def px(day, value):
        return (WIDTH * (_ms(day) - _ms(x_from)) / span_ms,
                CUMULATIVE_HEIGHT * (1 - value / top))

    steps = [px(d, v) for d, v in zip(line_rows["date"], line_rows["headline"], strict=True)]
    obstacles = []
    for (xa, ya), (xb, yb) in itertools.pairwise(steps):
        obstacles.append(Box(xa - 1, ya - 2, xb + 1, ya + 2))
        obstacles.append(Box(xb - 2, min(ya, yb) - 1, xb + 2, max(ya, yb) + 1))
    texts = [f"{v:,.0f}: {p}" for v, p in zip(groups["value"], groups["publisher"],
                                               strict=True)]
    anchors = [(*px(d, v), 4.0, t, False) for d, v, t in zip(
        groups["date"], groups["value"], texts, strict=True)]
    # Labels may run into the margin right of the plot: the latest tallies sit at its edge.
    boxes = place_labels(anchors, obstacles, Box(0, 0, WIDTH + 220, CUMULATIVE_HEIGHT),
                         size=10)
    rows = []
    for text, box in zip(texts, boxes, strict=True):
        if box is None:
            continue
        x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        rows.append({"date": _ms(x_from) + x / WIDTH * span_ms,
                     "value": top * (1 - y / CUMULATIVE_HEIGHT), "label": text})
    return alt.Chart(alt.Data(values=rows)).mark_text(
        align="center", baseline="middle", fontSize=10, color="#222222").encode(
        x="date:T", y="value:Q", text="label:N")



def displacement_chart(series: pd.DataFrame, kinds: pd.Series) -> alt.LayerChart:
    """Each displacement reading by date, coloured by who reported it."""
    data = series.assign(kind=series["source_id"].map(kinds).map(
        lambda k: SOURCE_KIND_LABELS.get(str(k), str(k))))[
        ["date_ref", "source_id", "kind", "low", "qualifier"]]
    start, end = _span(data["date_ref"])
    base = alt.Chart(_records(data)).encode(
        x=time_x("date_ref", start, end, "As of", pad_days=_pad(start, end)))
    un = SOURCE_KIND_LABELS["un"]
    un_line = base.transform_filter(alt.datum.kind == un).mark_line(color="#999999")
    y = alt.Y("low:Q", **_count_axis("People displaced since December 2019", data["low"].max()))
    points = base.mark_point(filled=True, size=70).encode(
        y=y, color=alt.Color("kind:N", title="Reported by"),
        tooltip=["source_id:N", alt.Tooltip("date_ref:T", title="as of"), "qualifier:N",
                 alt.Tooltip("low:Q", format=",")])
    return (un_line.encode(y=y) + points).properties(
        width=WIDTH, height=240, title="Displacement in north-west Syria (line: UN readings)",
        description=f"{len(series)} displacement readings from {series['source_id'].nunique()} "
                    "sources, by date.")


# Natural Earth 1:110m admin-0 country outlines (public domain), cut down to the countries
# inside the event map's frame; geo/README.md says where they come from and how to redo it.
OUTLINES = "countries_110m.geojson"


@cache
def country_outlines() -> dict:
    """The bundled country outlines, as a GeoJSON FeatureCollection; no network, no GDAL."""
    source = resources.files("rusturk.notebook").joinpath("geo").joinpath(OUTLINES)
    return json.loads(source.read_text(encoding="utf-8"))


# The map's frame: north-west Syria, Idlib and the highways through it (west, east, south,
# north in degrees).
FRAME = (35.7, 37.5, 35.1, 36.6)
# The highways drawn through the towns they link, in order; schematic, not surveyed.
ROADS = {"M4": ["Latakia", "Jisr al-Shughur", "Ariha", "Saraqib", "Aleppo"],
         "M5": ["Hama", "Khan Shaykhun", "Maarat al-Numan", "Saraqib", "Aleppo"]}


@cache
def places() -> pd.DataFrame:
    """Towns of the map from GeoNames (CC BY 4.0), extracted to geo/places.csv."""
    text = (resources.files("rusturk.notebook") / "geo" / "places.csv").read_text(
        encoding="utf-8")
    return pd.read_csv(io.StringIO(text))


@dataclass(frozen=True)
class MapView:
    """A Mercator view as Vega draws it (d3's geoMercator with centre, scale and translate
    to the middle of the view), so that labels can be placed in the same pixels."""

    width: int
    height: int
    scale: float
    centre: tuple[float, float]

    def projection(self) -> dict:
        return {"type": "mercator", "center": list(self.centre), "scale": self.scale,
                "translate": [self.width / 2, self.height / 2]}

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        lon0, lat0 = self.centre
        return (self.width / 2 + self.scale * math.radians(lon - lon0),
                self.height / 2 - self.scale * (_mercator_y(lat) - _mercator_y(lat0)))

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        lon0, lat0 = self.centre
        m = _mercator_y(lat0) - (y - self.height / 2) / self.scale
        return (lon0 + math.degrees((x - self.width / 2) / self.scale),
                math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2))

    def pixels_per_km(self, lat: float) -> float:
        """Mercator stretches both ways by 1 / cos(latitude): the scale holds at `lat` only."""
        return self.scale / (EARTH_RADIUS_KM * math.cos(math.radians(lat)))


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


EARTH_RADIUS_KM = 6371.0
MAIN_VIEW = MapView(470, 400, 12400, ((FRAME[0] + FRAME[1]) / 2, (FRAME[2] + FRAME[3]) / 2))
INSET_VIEW = MapView(170, 170, 700, (37.0, 35.6))
MAP_FONT = 10
PLACE_WITH_EVENTS = "Events at the place (area and number: how many)"
TOWN = "Town"
# Where the country names and the sea sit on the main map, in degrees, placed by hand
# inside each country's part of the frame.
COUNTRY_NAMES = [("TURKEY", 36.27, 36.45), ("SYRIA", 37.25, 35.32),
                 ("Mediterranean", 35.72, 36.12), ("Sea", 35.72, 36.07)]
INSET_NAMES = [("Turkey", 35.5, 38.3), ("Syria", 38.6, 35.0), ("Iraq", 41.6, 34.6),
               ("Lebanon", 34.3, 33.75), ("Cyprus", 33.2, 35.45)]
# Reports of 2018 name the villages near the twelve posts but give no coordinates, and some
# posts stand outside the village they are named by: geo/README.md lists what was found.
POSTS_NOTE = ("Turkish observation posts are not drawn: the sources of this study name the "
              "villages they stand near but give no positions for them.")

# Advance widths of DejaVu Sans (the charts' font) in em, by character class: enough to
# keep a label's box a little wider than the printed word, never narrower.
_NARROW, _WIDE = set("fijlrtI.,:;'!|()[] "), set("mwMW")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of a label's printed width in pixels."""
    em = sum(0.36 if c in _NARROW else 1.0 if c in _WIDE else 0.76 if c.isupper()
             else 0.66 for c in text)
    return em * size * (1.1 if bold else 1.0) + 1


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 \
            and other.y0 < self.y1

    def inside(self, outer: Box) -> bool:
        return self.x0 >= outer.x0 and self.y0 >= outer.y0 and self.x1 <= outer.x1 \
            and self.y1 <= outer.y1


def _candidates(x: float, y: float, r: float, w: float, h: float, gap: float = 2.0,
                reach: tuple[float, ...] = (0.0, 6.0, 14.0)):
    """Label boxes around a mark of radius `r` at (x, y), in the cartographers' order of
    preference: right, left, above, below, then the corners, then the same a step further."""
    for far in reach:
        d = r + gap + far
        yield Box(x + d, y - h / 2, x + d + w, y + h / 2)
        yield Box(x - d - w, y - h / 2, x - d, y + h / 2)
        yield Box(x - w / 2, y - d - h, x + w / 2, y - d)
        yield Box(x - w / 2, y + d, x + w / 2, y + d + h)
        k = d * 0.7
        yield Box(x + k, y - k - h, x + k + w, y - k)
        yield Box(x + k, y + k, x + k + w, y + k + h)
        yield Box(x - k - w, y - k - h, x - k, y - k)
        yield Box(x - k - w, y + k, x - k, y + k + h)


def _distance(box: Box, x: float, y: float) -> float:
    return math.hypot(max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1))


def place_labels(anchors: list[tuple[float, float, float, str, bool]], obstacles: list[Box],
                 bounds: Box, size: float = MAP_FONT,
                 reach: tuple[float, ...] = (0.0, 6.0, 14.0)) -> list[Box | None]:
    """Greedy label placement: each anchor (x, y, mark radius, text, bold), in the order
    given (most important first), takes the first candidate box that stays inside `bounds`,
    touches no mark, no fixed obstacle and no label already placed, and lies nearer its own
    mark than any other (so that it cannot be read as another's); None where no candidate
    is free (that label is left out rather than printed over another)."""
    taken = list(obstacles)
    taken += [Box(x - r, y - r, x + r, y + r) for x, y, r, _, _ in anchors]
    placed: list[Box | None] = []
    for i, (x, y, r, text, bold) in enumerate(anchors):
        w, h = text_width(text, size, bold), size * 1.25

        def own(b: Box, i=i, x=x, y=y, r=r) -> bool:
            mine = _distance(b, x, y) - r
            return all(_distance(b, ox, oy) - orad > mine
                       for j, (ox, oy, orad, _, _) in enumerate(anchors) if j != i)

        choice = next((b for b in _candidates(x, y, r, w, h, reach=reach)
                       if b.inside(bounds) and not any(b.overlaps(t) for t in taken)
                       and own(b)), None)
        placed.append(choice)
        if choice is not None:
            taken.append(choice)
    return placed


def event_places(events: pd.DataFrame) -> pd.DataFrame:
    """The events gathered by place, most events first: one row per gazetteer town within
    3 km of the events' coordinates (drawn at the town), else one per spot (coordinates to
    about 100 m) named after the first part of the events' own place name."""
    columns = ["name", "latitude", "longitude", "events"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    towns = places()
    rows = []
    for e in events.itertuples():
        near = towns[(towns["latitude"] - e.latitude).abs().le(0.03)
                     & (towns["longitude"] - e.longitude).abs().le(0.03)]
        if len(near):
            town = near.iloc[0]
            rows.append((town["name"], town["latitude"], town["longitude"]))
        else:
            place = "" if pd.isna(e.place) else str(e.place)
            name = re.sub(r"\s*\(.*?\)", "", place).split(",")[0].strip()
            rows.append((name or "unnamed place", round(e.latitude, 3), round(e.longitude, 3)))
    spots = pd.DataFrame(rows, columns=columns[:3])
    out = spots.groupby(columns[:3], sort=True).size().rename("events").reset_index()
    return out.sort_values(["events", "name"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


MAX_AREA = 1500.0


def map_layout(sites: pd.DataFrame, view: MapView = MAIN_VIEW) -> dict:
    """Marks, placed labels (with their pixel boxes) and the scale bar of the main map."""
    bounds = Box(2, 2, view.width - 2, view.height - 2)
    fixed: list[Box] = []
    label_rows = []

    def label(text, x, y, colour="#555555", weight="normal", box=None):
        lon, lat = view.unproject(x, y)
        label_rows.append({"text": text, "longitude": lon, "latitude": lat, "colour": colour,
                           "weight": weight, "x0": box.x0, "y0": box.y0, "x1": box.x1,
                           "y1": box.y1})

    for text, lon, lat in COUNTRY_NAMES:
        x, y = view.project(lon, lat)
        w, h = text_width(text, MAP_FONT), MAP_FONT * 1.25
        box = Box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        fixed.append(box)
        label(text, x, y, colour="#2b6cb0" if text in ("Mediterranean", "Sea") else "#777777",
              box=box)
    # Scale bar: 50 km at the frame's middle latitude, bottom left.
    km = 50
    length = km * view.pixels_per_km(view.centre[1])
    x0, y0 = 12.0, view.height - 14.0
    ends = [view.unproject(x0, y0), view.unproject(x0 + length, y0)]
    ticks = [view.unproject(x0, y0 - 5), view.unproject(x0 + length, y0 - 5)]
    bar = pd.DataFrame({"longitude": [ticks[0][0], ends[0][0], ends[1][0], ticks[1][0]],
                        "latitude": [ticks[0][1], ends[0][1], ends[1][1], ticks[1][1]],
                        "order": [0, 1, 2, 3]})
    fixed.append(Box(x0 - 1, y0 - 6, x0 + length + 1, y0 + 1))
    text = f"{km} km"
    w, h = text_width(text, MAP_FONT), MAP_FONT * 1.25
    box = Box(x0 + length + 4, y0 - h / 2 - 2, x0 + length + 4 + w, y0 + h / 2 - 2)
    fixed.append(box)
    label(text, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, colour="#222222", box=box)

    top = max(sites["events"].max() if len(sites) else 1, 20)
    mark_rows, anchors = [], []
    for s in sites.itertuples():
        area = MAX_AREA * s.events / top
        x, y = view.project(s.longitude, s.latitude)
        mark_rows.append({"name": s.name, "longitude": s.longitude, "latitude": s.latitude,
                          "area": area, "events": s.events, "kind": PLACE_WITH_EVENTS})
        anchors.append((x, y, math.sqrt(area / math.pi), f"{s.name} {s.events}", True))
    towns = places()
    west, east, south, north = FRAME
    named = set(sites["name"])
    for t in towns.itertuples():
        if t.name in named or not (west <= t.longitude <= east and south <= t.latitude <= north):
            continue
        if any(abs(s.latitude - t.latitude) <= 0.03 and abs(s.longitude - t.longitude) <= 0.03
               for s in sites.itertuples()):
            continue
        x, y = view.project(t.longitude, t.latitude)
        mark_rows.append({"name": t.name, "longitude": t.longitude, "latitude": t.latitude,
                          "area": 18.0, "events": 0, "kind": TOWN})
        anchors.append((x, y, math.sqrt(18.0 / math.pi), t.name, False))
    boxes = place_labels(anchors, fixed, bounds)
    for (_x, _y, _r, text, bold), box in zip(anchors, boxes, strict=True):
        if box is not None:
            label(text, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2,
                  colour="#111111" if bold else "#333333", weight="bold" if bold else "normal",
                  box=box)
    return {"marks": pd.DataFrame(mark_rows, columns=["name", "longitude", "latitude", "area",
                                                      "events", "kind"]),
            "labels": pd.DataFrame(label_rows), "scale_bar": bar,
            "dropped": [a[3] for a, b in zip(anchors, boxes, strict=True) if b is None]}


def event_map(events: pd.DataFrame) -> alt.HConcatChart:
    """North-west Syria: the events gathered by place (circle area and the number after the
    name give their count), the towns, the M4 and M5 drawn schematically, country names, a
    scale bar, and an inset locating the frame; labels placed so that none overlaps another
    or a mark. No tiles, nothing downloaded."""
    view = MAIN_VIEW
    outlines = alt.Data(values=country_outlines()["features"])
    land = alt.Chart(outlines).mark_geoshape(fill="#f2f2f2", stroke="#888888",
                                             strokeWidth=0.8, clip=True)
    towns = places()
    at = towns.set_index("name")
    road_rows = [{"road": road, "order": k, "longitude": at.loc[t, "longitude"],
                  "latitude": at.loc[t, "latitude"]}
                 for road, names in ROADS.items() for k, t in enumerate(names)]
    roads = alt.Chart(_records(pd.DataFrame(road_rows))).mark_line(
        strokeDash=[6, 3], strokeWidth=2, clip=True).encode(
        longitude="longitude:Q", latitude="latitude:Q", order="order:Q",
        color=alt.Color("road:N", title="Highway (schematic)",
                        scale=alt.Scale(range=["#7a5195", "#2f6f3e"])))
    sites = event_places(events)
    layout = map_layout(sites)
    marks = alt.Chart(_records(layout["marks"])).mark_circle(
        opacity=0.85, stroke="#ffffff", strokeWidth=0.8, clip=True).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        size=alt.Size("area:Q", scale=None, legend=None),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(
            domain=[PLACE_WITH_EVENTS, TOWN], range=[OKABE_ITO[3], "#333333"]),
            legend=alt.Legend(orient="bottom")),
        tooltip=["name:N", alt.Tooltip("events:Q", title="events")])
    texts = layout["labels"]
    labels = [alt.Chart(_records(texts[texts["weight"] == weight])).mark_text(
        align="center", baseline="middle", fontSize=MAP_FONT, fontWeight=weight,
        clip=True).encode(longitude="longitude:Q", latitude="latitude:Q", text="text:N",
                          color=alt.Color("colour:N", scale=None))
        for weight in ("normal", "bold")]
    scale_bar = alt.Chart(_records(layout["scale_bar"])).mark_line(
        color="#222222", strokeWidth=2).encode(longitude="longitude:Q", latitude="latitude:Q",
                                               order="order:Q")
    main = alt.layer(land, roads, marks, *labels, scale_bar).project(
        **view.projection()).resolve_scale(color="independent").properties(
        width=view.width, height=view.height)
    west, east, south, north = FRAME
    box = alt.Chart(_records(pd.DataFrame({"w": [west], "e": [east], "s": [south],
                                           "n": [north]}))).mark_rect(
        fill=None, stroke="#c0392b", strokeWidth=1.5).encode(
        longitude="w:Q", latitude="s:Q", longitude2="e:Q", latitude2="n:Q")
    inset_names = alt.Chart(_records(pd.DataFrame(INSET_NAMES, columns=[
        "text", "longitude", "latitude"]))).mark_text(
        fontSize=9, fontStyle="italic", color="#555555", baseline="middle").encode(
        longitude="longitude:Q", latitude="latitude:Q", text="text:N")
    inset = alt.layer(alt.Chart(outlines).mark_geoshape(fill="#f2f2f2", stroke="#888888",
                                                       strokeWidth=0.5, clip=True),
                      box, inset_names).project(**INSET_VIEW.projection()).properties(
        width=INSET_VIEW.width, height=INSET_VIEW.height, title="Where the frame lies")
    counts = "; ".join(f"{r.name} {r.events}" for r in sites.itertuples())
    return alt.hconcat(main, inset).properties(
        title="North-west Syria: where the events took place",
        description=f"{int(sites['events'].sum())} events at {len(sites)} places in north-west "
                    f"Syria, gathered by place (circle area and the number after each name: "
                    f"events there): {counts}. Towns from GeoNames (CC BY 4.0); the M4 and M5 "
                    "highways drawn schematically through the towns they link; country outlines "
                    "from Natural Earth; the scale bar holds at the frame's middle latitude. "
                    f"{POSTS_NOTE}")
