"""Chart definitions: one theme, a colour-blind-safe palette, a description on every chart."""

from __future__ import annotations

import io
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

# Time axes label months and years apart ("Oct 2017"), and drop labels that would collide.
TIME_AXIS = alt.Axis(format="%b %Y", labelOverlap="greedy", labelAngle=0, tickCount=8)

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


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def timeline(events: pd.DataFrame, phases: pd.DataFrame,
             key_events: pd.DataFrame | None = None) -> alt.LayerChart:
    """Every event on a time axis by category, coloured by QuadClass, over phase bands; the
    phases and the key events numbered in lanes of their own at the top, named in the
    caption, so that no label collides with another or sits on a row of data."""
    data = _records(events.assign(
        sources=events["source_ids"].map(", ".join),
        when=events["date_best"],
    )[["event_id", "when", "date_precision", "title", "description", "category",
       "quad_class_label", "goldstein", "sources"]])
    lanes = ["phases", "key events"]
    order = lanes + sorted(events["category"].astype(str).unique())
    y = alt.Y("category:N", title=None, sort=order, scale=alt.Scale(domain=order))
    x = alt.X("when:T", title="Date (month-precision events sit mid-month)", axis=TIME_AXIS)
    points = alt.Chart(data).mark_point(filled=True, size=80, opacity=0.85).encode(
        x=x, y=y,
        color=alt.Color("quad_class_label:N", title="QuadClass", scale=_quad_scale()),
        shape=alt.Shape("date_precision:N", title="Date precision"),
        tooltip=[alt.Tooltip("when:T", title="date"), "date_precision:N", "title:N",
                 "description:N", alt.Tooltip("goldstein:Q", title="Goldstein"),
                 alt.Tooltip("sources:N", title="sources")])
    phase_marks = phases.assign(
        middle=phases["start"] + (phases["end"] - phases["start"]) / 2, category="phases",
        number=[ROMAN[i % len(ROMAN)] for i in range(len(phases))])
    phase_lane = alt.Chart(_records(phase_marks[["middle", "category", "number", "name"]]))
    layers = [phase_bands(phases, y_band=False), points,
              phase_lane.mark_text(fontSize=11, fontWeight="bold", color="#444444").encode(
                  x="middle:T", y=y, text="number:N", tooltip=["name:N"])]
    key = " Phases: " + "; ".join(
        f"{n} {name} ({a:%-d %b %Y} to {b:%-d %b %Y})" for n, name, a, b in zip(
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
            f"{n} {t} ({d:%-d %b %Y})" for n, (t, d) in enumerate(
                zip(key_events["title"], key_events["date_best"], strict=True), start=1)) + "."
    return alt.layer(*layers).properties(
        width=WIDTH, height=300, title="Russia–Turkey events by category and phase",
        description=f"{len(events)} analysed events from "
                    f"{events['date_best'].min():%-d %b %Y} to "
                    f"{events['date_best'].max():%-d %b %Y}, by category, coloured by "
                    f"QuadClass, over the curated phases.{key}")


def index_chart(series: pd.DataFrame, phases: pd.DataFrame, window_days: int) -> alt.LayerChart:
    """Per-event Goldstein scores and their trailing mean, over the phase bands; one axis."""
    data = _records(series[["event_id", "date_best", "title", "goldstein", "smoothed"]])
    base = alt.Chart(data).encode(x=alt.X("date_best:T", title="Date", axis=TIME_AXIS))
    points = base.mark_circle(size=40, color="#999999").encode(
        y=alt.Y("goldstein:Q", title="Goldstein score (−10 conflict … +10 cooperation)",
                scale=alt.Scale(domain=[-10, 10])),
        tooltip=["title:N", alt.Tooltip("date_best:T", title="date"), "goldstein:Q"])
    smoothed = base.mark_line(color=OKABE_ITO[3], strokeWidth=2).encode(y="smoothed:Q")
    return alt.layer(phase_bands(phases, y_band=False), points, smoothed).properties(
        width=WIDTH, height=240,
        title=f"Cooperation–conflict index: each event's score (grey) and the {window_days}-day "
              "mean (orange)",
        description=f"{len(series)} analysed events: each event's Goldstein score and the mean "
                    f"of the preceding {window_days} days, computed on the whole history.")


def change_point_chart(counts: pd.DataFrame, found: pd.DataFrame,
                       comparison: pd.DataFrame) -> alt.LayerChart:
    """Monthly counts of cooperative and conflictual events, the breaks a permutation test
    keeps (dashed) and the candidate boundaries, curated and alternative (solid)."""
    long = counts.reset_index().melt(id_vars="month", var_name="kind", value_name="events")
    lines = alt.Chart(_records(long)).mark_line(interpolate="step-after").encode(
        x=alt.X("month:T", title="Month", axis=TIME_AXIS),
        y=alt.Y("events:Q", title="Analysed events per month"),
        color=alt.Color("kind:N", title="Events", scale=alt.Scale(
            domain=["cooperation", "conflict"], range=[OKABE_ITO[0], OKABE_ITO[3]])),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), "kind:N", "events:Q"])
    marks = pd.concat([
        pd.DataFrame({"date": comparison["date"], "what": comparison["boundary"],
                      "kind": comparison["kind"] + " boundary"}),
        pd.DataFrame({"date": found["month"], "what": "break, p = " + found["p_value"].map(
            "{:.3f}".format), "kind": "detected break"})])
    rules = alt.Chart(_records(marks)).mark_rule(strokeWidth=1.5, color="#444444").encode(
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
    """Analysed events per month, stacked by QuadClass."""
    long = months.reset_index()[["month", "q1", "q2", "q3", "q4"]].melt(
        id_vars="month", var_name="q", value_name="events")
    long["quad_class_label"] = long["q"].map(
        {"q1": "verbal cooperation", "q2": "material cooperation", "q3": "verbal conflict",
         "q4": "material conflict"})
    return alt.Chart(_records(long[long["events"] > 0])).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title="Month", axis=TIME_AXIS),
        y=alt.Y("sum(events):Q", title="Analysed events"),
        color=alt.Color("quad_class_label:N", title="QuadClass", scale=_quad_scale()),
        tooltip=[alt.Tooltip("yearmonth(month):T", title="month"), "quad_class_label:N",
                 "events:Q"],
    ).properties(width=WIDTH, height=200, title="Analysed events per month by QuadClass",
                 description=f"Counts of analysed events in each of {len(months)} months, by "
                             "verbal and material cooperation and conflict.")


def phase_means_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Each phase's mean score with its bootstrap interval and its number of events."""
    data = _records(table[["name", "events", "mean_goldstein", "ci_low", "ci_high"]].assign(
        label=table["name"] + " (n = " + table["events"].astype(str) + ")"))
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=None, title=None,
                                          axis=alt.Axis(labelLimit=320)))
    bars = base.mark_rule(strokeWidth=2, color="#999999").encode(
        x=alt.X("ci_low:Q", title="Mean Goldstein score with its 95% interval",
                scale=alt.Scale(domain=[-10, 10])), x2="ci_high:Q")
    dots = base.mark_point(filled=True, size=70, color=OKABE_ITO[0]).encode(
        x="mean_goldstein:Q",
        tooltip=["name:N", "events:Q", alt.Tooltip("mean_goldstein:Q", format="+.2f"),
                 alt.Tooltip("ci_low:Q", format="+.2f"), alt.Tooltip("ci_high:Q", format="+.2f")])
    return (bars + dots).properties(
        width=WIDTH, height=32 * len(table) + 20, title="Mean score of each phase",
        description=f"Mean Goldstein score of the analysed events of {len(table)} phases, each "
                    "with its bootstrap interval and number of events.")


def casualty_chart(readings: pd.DataFrame, incidents: pd.DataFrame, measure_label: str
                   ) -> alt.LayerChart:
    """Per incident, the span of readings across sources, each reading, and the headline."""
    labels = incidents.assign(label=incidents["title"] + " (" + incidents["date_best"].dt.strftime(
        "%-d %b %Y") + ")")
    label_of = labels.set_index("event_id")["label"]
    span = alt.Chart(_records(labels[["label", "low", "high", "sources", "headline",
                                      "basis"]])).mark_rule(
        strokeWidth=3, color="#999999").encode(
        y=alt.Y("label:N", sort=None, title=None), x=alt.X("low:Q", title=measure_label),
        x2="high:Q", tooltip=["label:N", "low:Q", "high:Q", "sources:Q"])
    dots = alt.Chart(_records(readings.assign(label=readings["event_id"].map(label_of))[
        ["label", "source_id", "low", "high", "qualifier", "claimant"]])).mark_point(
        size=50, color=OKABE_ITO[3]).encode(
        y=alt.Y("label:N", sort=None), x="low:Q",
        tooltip=["source_id:N", "low:Q", "high:Q", "qualifier:N", "claimant:N"])
    headline = alt.Chart(_records(labels[["label", "headline", "basis"]])).mark_tick(
        thickness=3, size=18, color="#000000").encode(
        y=alt.Y("label:N", sort=None), x="headline:Q",
        tooltip=["label:N", "headline:Q", "basis:N"])
    return (span + dots + headline).properties(
        width=WIDTH, height=40 * max(len(incidents), 1) + 20,
        title=f"{measure_label}: each source's reading (circles) and the headline (tick)",
        description=f"{measure_label} for {len(incidents)} incidents: the range across sources, "
                    "every reading, and the headline chosen by the written rule.")


def cumulative_chart(cumulative: pd.DataFrame, tallies: pd.DataFrame | None = None
                     ) -> alt.LayerChart:
    """Running total of the incidents' headlines (line) beside the running tallies the sources
    themselves report (points); no band of summed extremes."""
    data = _records(cumulative[["date", "headline"]])
    line = alt.Chart(data).mark_line(color="#000000", interpolate="step-after").encode(
        x=alt.X("date:T", title="Date", axis=TIME_AXIS),
        y=alt.Y("headline:Q", title="Turkish soldiers killed (cumulative)"),
        tooltip=[alt.Tooltip("date:T", title="date"), "headline:Q"])
    layers = line
    if tallies is not None and len(tallies):
        points = alt.Chart(_records(tallies[["date_ref", "value", "publisher"]])).mark_point(
            color=OKABE_ITO[5], filled=True, size=50).encode(
            x="date_ref:T", y="value:Q", tooltip=["publisher:N", "value:Q"])
        layers = line + points
    return layers.properties(
        width=WIDTH, height=220,
        title="Cumulative Turkish military deaths by the headline rule (line) and the "
              "running tallies sources reported (points)",
        description=f"Running totals over {len(cumulative)} points, to the end of the window.")


def displacement_chart(series: pd.DataFrame, kinds: pd.Series) -> alt.LayerChart:
    """Each displacement reading by date, coloured by the kind of source."""
    data = _records(series.assign(kind=series["source_id"].map(kinds))[
        ["date_ref", "source_id", "kind", "low", "qualifier"]])
    base = alt.Chart(data).encode(x=alt.X("date_ref:T", title="As of", axis=alt.Axis(
        format="%-d %b %Y", labelOverlap="greedy")))
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


def event_map(events: pd.DataFrame) -> alt.HConcatChart:
    """North-west Syria: towns, the M4 and M5 drawn schematically, the events as marks, and
    an inset locating the frame; no tiles, nothing downloaded."""
    west, east, south, north = FRAME
    outlines = alt.Data(values=country_outlines()["features"])
    # Mercator centred on the frame, scaled so its height fills the view; marks are clipped.
    projection = {"type": "mercator", "center": [(west + east) / 2, (south + north) / 2],
                  "scale": 12400, "translate": [235, 200]}
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
    inside = towns[towns["longitude"].between(west, east) & towns["latitude"].between(south,
                                                                                     north)]
    town_data = _records(inside[["name", "latitude", "longitude"]])
    dots = alt.Chart(town_data).mark_circle(size=22, color="#333333", clip=True).encode(
        longitude="longitude:Q", latitude="latitude:Q")
    names = alt.Chart(town_data).mark_text(align="left", dx=5, dy=-5, fontSize=10,
                                           color="#222222", clip=True).encode(
        longitude="longitude:Q", latitude="latitude:Q", text="name:N")
    marks = alt.Chart(_records(events[["title", "place", "date_best", "latitude", "longitude",
                                       "quad_class_label"]])).mark_point(
        size=140, filled=True, opacity=0.8, stroke="#000000", strokeWidth=0.6,
        clip=True).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        color=alt.Color("quad_class_label:N", title="QuadClass", scale=_quad_scale()),
        tooltip=["title:N", "place:N", alt.Tooltip("date_best:T", title="date")])
    main = alt.layer(land, roads, dots, names, marks).project(**projection).resolve_scale(
        color="independent").properties(
        width=470, height=400)
    box = alt.Chart(_records(pd.DataFrame({"w": [west], "e": [east], "s": [south],
                                           "n": [north]}))).mark_rect(
        fill=None, stroke="#c0392b", strokeWidth=1.5).encode(
        longitude="w:Q", latitude="s:Q", longitude2="e:Q", latitude2="n:Q")
    inset = alt.layer(alt.Chart(outlines).mark_geoshape(fill="#f2f2f2", stroke="#888888",
                                                       strokeWidth=0.5, clip=True),
                      box).project(
        type="mercator", scale=700, center=[36.5, 36.5], translate=[75, 75]).properties(
        width=150, height=150, title="Where the frame lies")
    return alt.hconcat(main, inset).properties(
        title="North-west Syria: the towns, highways and events",
        description=f"{len(events)} events placed in north-west Syria, with "
                    f"{len(inside)} towns from GeoNames (CC BY 4.0) and the M4 and M5 highways "
                    "drawn schematically through the towns they link; country outlines from "
                    "Natural Earth. Turkish observation posts are not drawn: no source in the "
                    "dataset gives their places.")
