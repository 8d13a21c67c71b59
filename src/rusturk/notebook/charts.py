"""Chart definitions: one theme, a colour-blind-safe palette, a description on every chart."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import altair as alt
import pandas as pd

from rusturk.data.schema import QUAD_CLASSES

# Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]
QUAD_COLOURS = dict(zip(QUAD_CLASSES.values(), ["#0072B2", "#56B4E9", "#E69F00", "#D55E00"],
                        strict=True))
WIDTH = 640
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

# Charts go out as Vega-Lite JSON, which JupyterLab draws itself: no CDN script in the output.
alt.renderers.enable("mimetype")


def theme() -> dict:
    return {"config": {
        "font": FONT,
        "view": {"stroke": None},
        "title": {"fontSize": 14, "anchor": "start"},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": False},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
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


def phase_bands(phases: pd.DataFrame, y_band: bool = True) -> alt.Chart:
    """Alternating shaded bands, one per phase, labelled at the top."""
    data = _records(phases[["phase_id", "name", "start", "end"]].assign(
        shade=[i % 2 for i in range(len(phases))]))
    base = alt.Chart(data)
    # Shading by opacity, not colour: a colour scale here would merge with the chart's own.
    bands = base.mark_rect(color="#999999").encode(
        x="start:T", x2="end:T",
        opacity=alt.Opacity("shade:Q", scale=alt.Scale(domain=[0, 1], range=[0.14, 0.04]),
                            legend=None),
        tooltip=[alt.Tooltip("name:N", title="phase"), alt.Tooltip("start:T", title="from"),
                 alt.Tooltip("end:T", title="to")])
    # Only phases long enough to hold their name are labelled; short ones would overprint.
    long_enough = phases[(phases["end"] - phases["start"]).dt.days >= 150]
    labels = alt.Chart(_records(long_enough[["name", "start"]])).mark_text(
        align="left", baseline="top", dx=3, dy=3, fontSize=10, color="#444444").encode(
        x="start:T", text="name:N")
    return bands + labels if y_band else bands


def timeline(events: pd.DataFrame, phases: pd.DataFrame) -> alt.LayerChart:
    """Every event on a time axis by category, coloured by QuadClass, over phase bands."""
    data = _records(events.assign(
        sources=events["source_ids"].map(", ".join),
        when=events["date_best"],
    )[["event_id", "when", "date_precision", "title", "description", "category",
       "quad_class_label", "goldstein", "sources"]])
    points = alt.Chart(data).mark_point(filled=True, size=80, opacity=0.85).encode(
        x=alt.X("when:T", title="Date (event day; month-precision events mid-month)"),
        y=alt.Y("category:N", title="Category"),
        color=alt.Color("quad_class_label:N", title="QuadClass", scale=_quad_scale()),
        shape=alt.Shape("date_precision:N", title="Date precision"),
        tooltip=[alt.Tooltip("when:T", title="date"), "date_precision:N", "title:N",
                 "description:N", alt.Tooltip("goldstein:Q", title="Goldstein"),
                 alt.Tooltip("sources:N", title="sources")])
    return (phase_bands(phases) + points).properties(
        width=WIDTH, height=240, title="Russia–Turkey events by category and phase",
        description=f"Timeline of {len(events)} events from "
                    f"{events['date_best'].min():%Y-%m-%d} to "
                    f"{events['date_best'].max():%Y-%m-%d}, by category, coloured by "
                    "QuadClass, over the curated phases.")


def index_chart(series: pd.DataFrame, phases: pd.DataFrame, window_days: int) -> alt.LayerChart:
    """Per-event Goldstein scores, their running sum and their trailing mean."""
    data = _records(series[["event_id", "date_best", "title", "goldstein", "cumulative",
                            "smoothed"]])
    base = alt.Chart(data).encode(x=alt.X("date_best:T", title="Date"))
    points = base.mark_circle(size=40, color="#999999").encode(
        y=alt.Y("goldstein:Q", title="Goldstein score (−10 conflict … +10 cooperation)"),
        tooltip=["title:N", alt.Tooltip("date_best:T", title="date"), "goldstein:Q"])
    cumulative = base.mark_line(color=OKABE_ITO[0], interpolate="step-after").encode(
        y=alt.Y("cumulative:Q", title="Cumulative index (sum of scores)"))
    smoothed = base.mark_line(color=OKABE_ITO[3], strokeDash=[4, 2]).encode(y="smoothed:Q")
    left = alt.layer(phase_bands(phases, y_band=False), points, smoothed)
    return alt.layer(left, cumulative).resolve_scale(y="independent").properties(
        width=WIDTH, height=260,
        title=f"Cooperation–conflict index: scores (grey), {window_days}-day mean (orange, "
              "left axis), running sum (blue, right axis)",
        description=f"Index over {len(series)} dyad events: per-event Goldstein scores, a "
                    f"{window_days}-day trailing mean and the cumulative sum.")


def phase_gantt(stats: pd.DataFrame) -> alt.Chart:
    """One bar per phase from start to end, coloured by its mean Goldstein score."""
    data = _records(stats[["name", "start", "end", "duration_days", "events",
                           "mean_goldstein"]])
    return alt.Chart(data).mark_bar(height=18).encode(
        x=alt.X("start:T", title="Date"), x2="end:T",
        y=alt.Y("name:N", sort=None, title=None),
        color=alt.Color("mean_goldstein:Q", title="Mean Goldstein",
                        scale=alt.Scale(scheme="blueorange", domain=[-10, 10], reverse=True)),
        tooltip=["name:N", alt.Tooltip("start:T"), alt.Tooltip("end:T"), "duration_days:Q",
                 "events:Q", alt.Tooltip("mean_goldstein:Q", format=".2f")],
    ).properties(width=WIDTH, height=30 * len(stats) + 20, title="Phases of the relationship",
                 description=f"Gantt chart of {len(stats)} curated phases coloured by their "
                             "mean Goldstein score.")


def change_point_chart(monthly: pd.Series, comparison: pd.DataFrame) -> alt.LayerChart:
    """Monthly net index as bars, curated boundaries solid, detected breaks dashed."""
    data = _records(pd.DataFrame({"month": monthly.index, "net": monthly.to_numpy()}))
    bars = alt.Chart(data).mark_bar(color="#999999").encode(
        x=alt.X("month:T", title="Month"),
        y=alt.Y("net:Q", title="Net Goldstein per month (sum of scores)"),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), "net:Q"])
    marks = pd.concat([
        pd.DataFrame({"date": comparison["curated_boundary"], "kind": "curated boundary"}),
        pd.DataFrame({"date": comparison["nearest_detected"].dropna().unique(),
                      "kind": "detected break"})])
    rules = alt.Chart(_records(marks)).mark_rule(strokeWidth=2).encode(
        x="date:T",
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(range=[OKABE_ITO[0], OKABE_ITO[3]])),
        strokeDash=alt.StrokeDash("kind:N", legend=None,
                                  scale=alt.Scale(range=[[1, 0], [5, 3]])),
        tooltip=[alt.Tooltip("date:T"), "kind:N"])
    return (bars + rules).properties(
        width=WIDTH, height=220, title="Curated phase boundaries and detected change points",
        description=f"Monthly net index with {len(comparison)} curated boundaries and the "
                    "change points detected by binary segmentation.")


def casualty_chart(readings: pd.DataFrame, ranges: pd.DataFrame, measure_label: str
                   ) -> alt.LayerChart:
    """Per incident, the span of readings across sources and each source's reading."""
    span = alt.Chart(_records(ranges[["title", "low", "high", "sources"]])).mark_rule(
        strokeWidth=3, color="#999999").encode(
        y=alt.Y("title:N", sort=None, title=None), x=alt.X("low:Q", title=measure_label),
        x2="high:Q", tooltip=["title:N", "low:Q", "high:Q", "sources:Q"])
    dots = alt.Chart(_records(readings[["title", "source_id", "low", "high", "qualifier",
                                        "claimant"]])).mark_point(
        filled=True, size=60, color=OKABE_ITO[3]).encode(
        y=alt.Y("title:N", sort=None), x="low:Q",
        tooltip=["source_id:N", "low:Q", "high:Q", "qualifier:N", "claimant:N"])
    return (span + dots).properties(
        width=WIDTH, height=40 * max(len(ranges), 1) + 20,
        title=f"{measure_label}: every source's reading per incident",
        description=f"{measure_label} for {len(ranges)} incidents, from the lowest to the "
                    "highest reading across sources, with each reading as a dot.")


def cumulative_chart(cumulative: pd.DataFrame) -> alt.LayerChart:
    """Running totals of the lowest and highest readings over incidents."""
    data = _records(cumulative[["date_best", "title", "cumulative_low", "cumulative_high"]])
    base = alt.Chart(data).encode(x=alt.X("date_best:T", title="Date"))
    band = base.mark_area(opacity=0.25, color=OKABE_ITO[3], interpolate="step-after").encode(
        y=alt.Y("cumulative_low:Q", title="Turkish military deaths (cumulative)"),
        y2="cumulative_high:Q")
    lines = base.mark_line(point=True, color=OKABE_ITO[3], interpolate="step-after").encode(
        y="cumulative_low:Q",
        tooltip=["title:N", alt.Tooltip("date_best:T", title="date"), "cumulative_low:Q",
                 "cumulative_high:Q"])
    return (band + lines).properties(
        width=WIDTH, height=220,
        title="Cumulative Turkish military deaths: lowest (line) to highest (band) readings",
        description=f"Running totals over {len(cumulative)} incidents of the lowest and "
                    "highest death tolls reported.")


def displacement_chart(series: pd.DataFrame, kinds: pd.Series) -> alt.LayerChart:
    """Each displacement reading by date, coloured by the kind of source."""
    data = _records(series.assign(kind=series["source_id"].map(kinds))[
        ["date_ref", "source_id", "kind", "low", "qualifier"]])
    base = alt.Chart(data).encode(x=alt.X("date_ref:T", title="As of"))
    un_line = base.transform_filter(alt.datum.kind == "un").mark_line(color="#999999")
    points = base.mark_point(filled=True, size=70).encode(
        y=alt.Y("low:Q", title="People displaced since December 2019"),
        color=alt.Color("kind:N", title="Source kind"),
        tooltip=["source_id:N", alt.Tooltip("date_ref:T", title="as of"), "qualifier:N",
                 alt.Tooltip("low:Q", format=",")])
    return (un_line.encode(y="low:Q") + points).properties(
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


def event_map(events: pd.DataFrame) -> alt.LayerChart:
    """Event locations on country outlines; no tiles, nothing downloaded."""
    outlines = alt.Data(values=country_outlines()["features"])
    land = alt.Chart(outlines).mark_geoshape(fill="#eeeeee", stroke="#888888", strokeWidth=0.5)
    placed = events.dropna(subset=["latitude", "longitude"])
    data = _records(placed[["title", "location_name", "date_best", "latitude", "longitude",
                            "quad_class_label"]])
    dots = alt.Chart(data).mark_circle(size=90, opacity=0.85, stroke="#000000",
                                       strokeWidth=0.5).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        color=alt.Color("quad_class_label:N", title="QuadClass", scale=_quad_scale()),
        tooltip=["title:N", "location_name:N", alt.Tooltip("date_best:T", title="date")])
    return (land + dots).project(
        type="mercator", scale=2600, center=[36.6, 36.0]).properties(
        width=WIDTH, height=360, title="Where the events happened",
        description=f"Map of {len(placed)} located events on Natural Earth country outlines.")
