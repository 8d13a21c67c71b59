"""What the notebooks call: a window on the data, and each section's computed figures, prose,
tables and charts. Figures are computed here so that tests can check the prose against them."""

from __future__ import annotations

import html
from dataclasses import dataclass

import altair as alt
import pandas as pd

from rusturk import charts, escalation, index, phases
from rusturk.data import Dataset, load

SOCHI_EVENT = "sochi-idlib-memorandum"

# Charts go out as Vega-Lite JSON, which JupyterLab draws itself: no CDN script in the output.
alt.renderers.enable("mimetype")


def esc(text: object) -> str:
    """Data text shown as text, never as markup."""
    return html.escape(str(text), quote=False)


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
        return escalation.in_window(self.ds.events, "date_best", str(self.start), str(self.end))

    @property
    def figures(self) -> pd.DataFrame:
        return escalation.in_window(self.ds.figures, "date_ref", str(self.start), str(self.end))

    @property
    def phases(self) -> pd.DataFrame:
        p = self.ds.phases
        return p[(p["end"] >= self.start) & (p["start"] <= self.end)].reset_index(drop=True)

    @property
    def empty(self) -> bool:
        return self.events.empty

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def empty_message(self) -> str:
        first, last = self.ds.events["date_best"].min(), self.ds.events["date_best"].max()
        return (f"**No events in the window {self.label}.** The dataset runs from "
                f"{first:%d %B %Y} to {last:%d %B %Y}; choose `start_date` and `end_date` "
                "inside that span.")


# -- overview --------------------------------------------------------------------------------

def overview_figures(w: Window, window_days: int, include_syria: bool) -> dict:
    dyad = index.dyad_events(w.events, include_syria)
    series = index.index_series(dyad, window_days) if len(dyad) else dyad
    figures = {
        "events": len(w.events),
        "dyad_events": len(dyad),
        "first": w.events["date_best"].min(),
        "last": w.events["date_best"].max(),
        "mean_goldstein": float(dyad["goldstein"].mean()) if len(dyad) else None,
        "cumulative_end": float(series["cumulative"].iloc[-1]) if len(dyad) else None,
        "material_conflict_share": float((dyad["quad_class"] == 4).mean()) if len(dyad)
        else None,
        "phases": len(w.phases),
    }
    if len(dyad):
        low, high = series.loc[series["smoothed"].idxmin()], series.loc[
            series["smoothed"].idxmax()]
        figures.update(lowest_smoothed=float(low["smoothed"]), lowest_date=low["date_best"],
                       highest_smoothed=float(high["smoothed"]), highest_date=high["date_best"])
    return figures


def overview_summary(f: dict, w: Window, window_days: int) -> str:
    if not f["dyad_events"]:
        return (f"The window {w.label} holds {f['events']} events, none of them between "
                "Turkey and the Russian side, so no index can be computed.")
    return "\n".join([
        f"**Summary, {w.label}.** The window holds **{f['events']} events** across "
        f"{f['phases']} phase(s), {f['dyad_events']} of them between Turkey and the Russian "
        f"side. Their mean Goldstein score is **{f['mean_goldstein']:+.2f}** and "
        f"**{f['material_conflict_share']:.0%}** are material conflict; the cumulative index "
        f"ends at **{f['cumulative_end']:+.1f}**.",
        "",
        f"The {window_days}-day mean is lowest, **{f['lowest_smoothed']:+.2f}**, on "
        f"{f['lowest_date']:%d %B %Y} and highest, **{f['highest_smoothed']:+.2f}**, on "
        f"{f['highest_date']:%d %B %Y}.",
    ])


def chronology(events: pd.DataFrame) -> pd.DataFrame:
    """The chronology as a table: date as the source gives it, what happened, who, sources."""
    def when(row: pd.Series) -> str:
        fmt = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}[row["date_precision"]]
        text = row["date"].strftime(fmt)
        if pd.notna(row["exact_date"]):
            text += f" ({row['exact_date']:%d %b %Y})"
        return text

    return pd.DataFrame({
        "date": events.apply(when, axis=1),
        "event": events["title"],
        "actors": events["actor_initiator"].astype(str) + " → "
        + events["actor_target"].astype(str),
        "category": events["category"].astype(str),
        "Goldstein": events["goldstein"].map("{:+.1f}".format),
        "sources": events["source_ids"].map(", ".join),
    }).reset_index(drop=True)


def method_text(window_days: int, include_syria: bool) -> str:
    return index.METHOD.format(sides=", ".join(index.russian_side(include_syria)),
                               window=window_days)


# -- phases ----------------------------------------------------------------------------------

def phase_table(w: Window) -> pd.DataFrame:
    stats = phases.phase_stats(w.phases, w.events)
    shown = stats[["name", "start", "end", "duration_days", "events", "mean_goldstein",
                   "material_conflict_share", "opening_event", "closing_event"]].copy()
    shown["start"] = shown["start"].dt.strftime("%d %b %Y")
    shown["end"] = shown["end"].dt.strftime("%d %b %Y")
    shown["mean_goldstein"] = shown["mean_goldstein"].map("{:+.2f}".format)
    shown["material_conflict_share"] = shown["material_conflict_share"].map("{:.0%}".format)
    return shown


def phases_figures(w: Window, include_syria: bool) -> dict:
    stats = phases.phase_stats(w.phases, w.events)
    dyad = index.dyad_events(w.events, include_syria)
    monthly, comparison = phases.detect_against_phases(w.phases, dyad)
    most = stats.loc[stats["mean_goldstein"].idxmax()] if stats["events"].any() else None
    least = stats.loc[stats["mean_goldstein"].idxmin()] if stats["events"].any() else None
    return {
        "phases": len(stats),
        "longest": stats.loc[stats["duration_days"].idxmax(), "name"],
        "longest_days": int(stats["duration_days"].max()),
        "most_cooperative": None if most is None else most["name"],
        "most_cooperative_mean": None if most is None else float(most["mean_goldstein"]),
        "most_conflictual": None if least is None else least["name"],
        "most_conflictual_mean": None if least is None else float(least["mean_goldstein"]),
        "boundaries": len(comparison),
        "within_60_days": int((comparison["gap_days"].abs() <= 60).sum()),
        "months": len(monthly),
        "monthly": monthly,
        "comparison": comparison,
    }


def phases_summary(f: dict, w: Window) -> str:
    text = [f"**Summary, {w.label}.** The window spans **{f['phases']} phase(s)**; the "
            f"longest is *{esc(f['longest'])}* ({f['longest_days']} days)."]
    if f["most_cooperative"] is not None:
        text.append(f" The most cooperative is *{esc(f['most_cooperative'])}* (mean Goldstein "
                    f"{f['most_cooperative_mean']:+.2f}) and the most conflictual "
                    f"*{esc(f['most_conflictual'])}* ({f['most_conflictual_mean']:+.2f}).")
    if f["boundaries"]:
        text.append(f" Change-point detection on {f['months']} months of the index places "
                    f"{f['within_60_days']} of the {f['boundaries']} curated boundaries within "
                    "60 days of a detected break.")
    return "".join(text)


CAVEAT = ("**Caveat.** The index rests on a few dozen curated events, most months hold none, "
          "and a single −10 event (a shoot-down, an air strike) dominates a month. Binary "
          "segmentation asked for as many breaks as there are curated boundaries will place "
          "some on such single events. A detected break near a boundary is weak support; "
          "a missing one is not evidence against the periodisation.")


def breaks_table(comparison: pd.DataFrame) -> pd.DataFrame:
    out = comparison.copy()
    for column in ("curated_boundary", "nearest_detected"):
        out[column] = pd.to_datetime(out[column]).dt.strftime("%d %b %Y")
    return out


def ruptures_table(w: Window, include_syria: bool, phase_ids: list[str]) -> pd.DataFrame:
    dyad = index.dyad_events(w.ds.events, include_syria)
    known = set(w.ds.phases["phase_id"])
    rows = [phases.rupture_profile(w.ds.phases, dyad, p) for p in phase_ids if p in known]
    return pd.DataFrame(rows)


# -- Idlib -----------------------------------------------------------------------------------

TURKISH_DEATHS = "killed_turkish_military"


def idlib_figures(w: Window) -> dict:
    ranges = escalation.casualty_ranges(w.figures, w.events, TURKISH_DEATHS)
    cumulative = escalation.cumulative_losses(ranges) if len(ranges) else ranges
    displacement = escalation.displacement_series(w.figures)
    return {
        "events": len(w.events),
        "day_precision": int((w.events["date_precision"].eq("day")
                              | w.events["exact_date"].notna()).sum()),
        "incidents": len(ranges),
        "deaths_low": int(cumulative["cumulative_low"].iloc[-1]) if len(ranges) else 0,
        "deaths_high": int(cumulative["cumulative_high"].iloc[-1]) if len(ranges) else 0,
        "deadliest": ranges.loc[ranges["high"].idxmax(), "title"] if len(ranges) else None,
        "deadliest_low": int(ranges["low"].max()) if len(ranges) else None,
        "deadliest_high": int(ranges["high"].max()) if len(ranges) else None,
        "deadliest_sources": int(ranges.loc[ranges["high"].idxmax(), "sources"])
        if len(ranges) else None,
        "displacement_readings": len(displacement),
        "displacement_last": int(displacement["low"].iloc[-1]) if len(displacement) else None,
        "displacement_last_date": displacement["date_ref"].iloc[-1] if len(displacement)
        else None,
        "displacement_last_source": displacement["source_id"].iloc[-1] if len(displacement)
        else None,
        "ranges": ranges,
        "cumulative": cumulative,
        "displacement": displacement,
    }


def idlib_summary(f: dict, w: Window) -> str:
    text = [f"**Summary, {w.label}.** The window holds **{f['events']} events**, "
            f"{f['day_precision']} of them dated to the day."]
    if f["incidents"]:
        text.append(f" Across {f['incidents']} incident(s), sources report between "
                    f"**{f['deaths_low']}** and **{f['deaths_high']}** Turkish military deaths "
                    f"in total; the deadliest, *{esc(f['deadliest'])}*, is put at "
                    f"{f['deadliest_low']} to {f['deadliest_high']} by "
                    f"{f['deadliest_sources']} sources.")
    if f["displacement_readings"]:
        text.append(f" The latest of {f['displacement_readings']} displacement readings, "
                    f"{f['displacement_last_date']:%d %B %Y} ({f['displacement_last_source']}), "
                    f"counts **{f['displacement_last']:,}** people displaced since December "
                    "2019.")
    return "".join(text)


def casualty_readings(w: Window) -> pd.DataFrame:
    """Every per-incident reading of Turkish military deaths, with its source and claimant."""
    ranges = escalation.casualty_ranges(w.figures, w.events, TURKISH_DEATHS)
    readings = escalation.incident_readings(w.figures, w.events, TURKISH_DEATHS)
    return readings.merge(ranges[["event_id", "title"]], on="event_id")


def sochi_outcomes(w: Window) -> pd.DataFrame:
    """The Sochi memorandum's terms as its sources give them, set against what happened."""
    ev = w.ds.events.set_index("event_id")
    if SOCHI_EVENT not in ev.index:
        return pd.DataFrame()
    sochi = ev.loc[SOCHI_EVENT]
    later = w.events[(w.events["date_best"] > sochi["date_best"])
                     & (w.events["quad_class"] == 4)]
    rows = [{"date": f"{sochi['date_best']:%d %b %Y}", "kind": "commitment",
             "what": sochi["title"], "evidence": sochi["evidence"]}]
    if pd.notna(sochi["exact_date_evidence"]):
        rows.append({"date": f"{sochi['date_best']:%d %b %Y}", "kind": "commitment",
                     "what": "Terms as reported", "evidence": sochi["exact_date_evidence"]})
    rows += [{"date": f"{r.date_best:%d %b %Y}", "kind": "what happened", "what": r.title,
              "evidence": r.evidence} for r in later.itertuples()]
    return pd.DataFrame(rows)


# -- shared ----------------------------------------------------------------------------------

def sources_markdown(w: Window) -> str:
    cited = {s for ids in w.events["source_ids"] for s in ids} | set(w.figures["source_id"])
    cited |= set(w.events["exact_date_source_id"].dropna())
    rows = w.ds.sources[w.ds.sources["source_id"].isin(cited)].sort_values("source_id")
    lines = [f"**Sources ({len(rows)} cited in this window).**", ""]
    for s in rows.itertuples():
        date = f", {s.publication_date:%d %B %Y}" if pd.notna(s.publication_date) else ""
        lines.append(f"- `{s.source_id}`: {esc(s.publisher)}, *{esc(s.title)}*{date}. "
                     f"{esc(s.url_or_reference)} (read {s.access_date:%d %B %Y}).")
    return "\n".join(lines)


def provenance_markdown(w: Window) -> str:
    lines = [f"**Data version `{w.ds.version}`** (SHA-256 of each file):", ""]
    lines += [f"- `{name}`: `{digest}`" for name, digest in sorted(w.ds.file_hashes.items())]
    return "\n".join(lines)


def table_html(frame: pd.DataFrame) -> str:
    """A table as escaped HTML: no index column, no truncated cells, no inline styling."""
    with pd.option_context("display.max_colwidth", None):
        return frame.to_html(index=False, border=0, justify="left", na_rep="", escape=True,
                             classes="data")


def show(*items: object) -> None:
    """Display each item: text as Markdown, tables as HTML, None (an empty window's section)
    as nothing."""
    from IPython.display import HTML, Markdown, display

    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            display(Markdown(item))
        elif isinstance(item, pd.DataFrame):
            display(HTML(table_html(item)))
        else:
            display(item)


# -- sections, each None for an empty window -------------------------------------------------

def overview_summary_md(w: Window, window_days: int, include_syria: bool) -> str:
    if w.empty:
        return w.empty_message()
    return overview_summary(overview_figures(w, window_days, include_syria), w, window_days)


def timeline_chart(w: Window):
    return None if w.empty else charts.timeline(w.events, w.phases)


def index_chart(w: Window, window_days: int, include_syria: bool):
    dyad = index.dyad_events(w.events, include_syria)
    if dyad.empty:
        return None
    return charts.index_chart(index.index_series(dyad, window_days), w.phases, window_days)


def chronology_table(w: Window):
    return None if w.empty else chronology(w.events)


def phases_summary_md(w: Window, include_syria: bool) -> str:
    return w.empty_message() if w.empty else phases_summary(phases_figures(w, include_syria), w)


def phase_table_or_none(w: Window):
    return None if w.empty else phase_table(w)


def gantt_and_index(w: Window, window_days: int, include_syria: bool):
    if w.empty:
        return None
    gantt = charts.phase_gantt(phases.phase_stats(w.phases, w.events))
    chart = index_chart(w, window_days, include_syria)
    if chart is None:
        return gantt
    return (gantt & chart).resolve_scale(x="shared").properties(
        description="The curated phases as a Gantt chart above the cooperation–conflict "
                    "index, on one time axis.")


def change_points_section(w: Window, include_syria: bool):
    if w.empty:
        return None, None
    f = phases_figures(w, include_syria)
    if not f["boundaries"]:
        return "The window holds a single phase, so there is no boundary to test.", None
    return charts.change_point_chart(f["monthly"], f["comparison"]), breaks_table(
        f["comparison"])


def idlib_summary_md(w: Window) -> str:
    return w.empty_message() if w.empty else idlib_summary(idlib_figures(w), w)


def idlib_chronology(w: Window):
    return None if w.empty else chronology(w.events)


def casualty_section(w: Window):
    f = None if w.empty else idlib_figures(w)
    if f is None or not f["incidents"]:
        return ("No per-incident casualty figures fall in this window." if f else None), None
    label = "Turkish military deaths"
    return (charts.casualty_chart(casualty_readings(w), f["ranges"], label),
            charts.cumulative_chart(f["cumulative"]))


def displacement_section(w: Window):
    f = None if w.empty else idlib_figures(w)
    if f is None or not f["displacement_readings"]:
        return "No displacement readings fall in this window." if f else None
    kinds = w.ds.sources.set_index("source_id")["kind"].astype(str)
    return charts.displacement_chart(f["displacement"], kinds)


def map_chart(w: Window):
    if w.empty or w.events[["latitude", "longitude"]].dropna().empty:
        return None
    return charts.event_map(w.events)


def sochi_table(w: Window):
    return None if w.empty else sochi_outcomes(w)


__all__ = ["Window", "charts", "escalation", "index", "phases", "show"]
