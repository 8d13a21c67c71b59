"""What the notebooks call: each section's tables, charts and summary, built on the analysis
layer. Findings (numbers and sentences) live in `rusturk.analysis.findings`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup

from rusturk.analysis import escalation, findings, index, phases
from rusturk.analysis.findings import TURKISH_DEATHS, idlib_figures, phases_figures
from rusturk.analysis.window import Window
from rusturk.common import templating
from rusturk.notebook import charts

SOCHI_EVENT = "sochi-idlib-memorandum"
TEMPLATES = Path(__file__).resolve().parent / "templates"


# -- overview --------------------------------------------------------------------------------

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


# -- Idlib -----------------------------------------------------------------------------------

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

def sources_html(w: Window) -> Markup:
    """The sources cited in the window, each shown as text: publisher, title, date, address."""
    cited = {s for ids in w.events["source_ids"] for s in ids} | set(w.figures["source_id"])
    cited |= set(w.events["exact_date_source_id"].dropna())
    rows = w.ds.sources[w.ds.sources["source_id"].isin(cited)].sort_values("source_id")
    shown = [{"source_id": s.source_id, "publisher": s.publisher, "title": s.title,
              "url_or_reference": s.url_or_reference, "read": findings.day(s.access_date),
              "published": findings.day(s.publication_date) if pd.notna(s.publication_date)
              else ""} for s in rows.itertuples()]
    return templating.macro(TEMPLATES, "sections.html.j2", "sources", shown)


def provenance_html(w: Window) -> Markup:
    """The data version and every data file's SHA-256."""
    return templating.macro(TEMPLATES, "sections.html.j2", "provenance", w.ds.version,
                            w.ds.file_hashes)


def table_html(frame: pd.DataFrame) -> str:
    """A table as escaped HTML: no index column, no truncated cells, no inline styling."""
    with pd.option_context("display.max_colwidth", None):
        return frame.to_html(index=False, border=0, justify="left", na_rep="", escape=True,
                             classes="data")


def show(*items: object) -> None:
    """Display each item: our HTML (`Markup`, data text already escaped) as HTML, our own prose
    (plain strings, never data text) as Markdown, tables as HTML, None (an empty window's
    section) as nothing."""
    from IPython.display import HTML, Markdown, display

    for item in items:
        if item is None:
            continue
        if isinstance(item, Markup):
            display(HTML(str(item)))
        elif isinstance(item, str):
            display(Markdown(item))
        elif isinstance(item, pd.DataFrame):
            display(HTML(table_html(item)))
        else:
            display(item)


# -- sections, each None for an empty window -------------------------------------------------

def overview_summary(w: Window, window_days: int, include_syria: bool) -> Markup:
    return findings.summary(w, findings.for_notebook(
        "01_overview", w, {"smoothing_window_days": window_days, "include_syria": include_syria}))


def timeline_chart(w: Window):
    return None if w.empty else charts.timeline(w.events, w.phases)


def index_chart(w: Window, window_days: int, include_syria: bool):
    dyad = index.dyad_events(w.events, include_syria)
    if dyad.empty:
        return None
    return charts.index_chart(index.index_series(dyad, window_days), w.phases, window_days)


def chronology_table(w: Window):
    return None if w.empty else chronology(w.events)


def phases_summary(w: Window, include_syria: bool,
                   rupture_phase_ids: list[str] | tuple[str, ...] = ()) -> Markup:
    return findings.summary(w, findings.for_notebook("02_phases", w, {
        "include_syria": include_syria, "rupture_phase_ids": rupture_phase_ids}))


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


def idlib_summary(w: Window) -> Markup:
    return findings.summary(w, findings.for_notebook("03_idlib", w, {}))


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
