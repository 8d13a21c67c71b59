"""What the notebooks call: each section's tables, charts and summary, built on the analysis
layer. Findings (numbers and sentences) live in `rusturk.analysis.findings`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup

from rusturk.analysis import cost, eventset, findings, index, periodisation, stats
from rusturk.analysis.window import Window
from rusturk.common import templating
from rusturk.common.text import at_precision, day, month, signed
from rusturk.notebook import charts

SOCHI_EVENT = "sochi-idlib-memorandum"
TEMPLATES = Path(__file__).resolve().parent / "templates"

# -- method ----------------------------------------------------------------------------------

SUPPORT = (
    "**Support before claims.** Every mean is given with its number of events (n) and a "
    f"{findings.PERCENT}% bootstrap interval: the events are resampled {stats.REPLICATES:,} "
    "times with a fixed seed, so every build reports the same interval. A phase or period is "
    f"ranked above another only when both hold at least {stats.MIN_EVENTS} events and the "
    "interval of their difference excludes zero; otherwise the text says that the data cannot "
    f"tell them apart. Under {stats.MIN_EVENTS} events one shoot-down or one signed agreement "
    "moves a mean by a point or more, and the bootstrap cannot show what so few events did not "
    "happen to include.")
WINDOW = (
    "**Windows.** The smoothed index, the monthly counts and the cumulative losses are "
    "computed on the whole history and then cut to the window, so an edition on one month "
    "shows the same value for a day as the full edition does.")
PERIODS = (
    "**The periodisation check.** The monthly counts of cooperative (verbal and material) and "
    "conflictual analysed events are split where the split most reduces the squared "
    "deviations from the segment means, a split is kept only if fewer than "
    f"{periodisation.ALPHA:.0%} of {periodisation.PERMUTATIONS} random reorderings of the "
    "segment's months split as well, and each kept half is tested again (segments of at "
    f"least {periodisation.MIN_SEGMENT_MONTHS} months). Each curated phase boundary and each "
    "alternative an analyst proposes is set against the nearest kept break.")
CAVEAT = (
    "**What the check can and cannot show.** Counts of curated events follow what the "
    "sources reported and what the curators chose, not only what the two states did; a "
    "break in them says the volume or the mix of reported events changed, not why. The "
    "test is run afresh on each half, so the p-values are not corrected for the several "
    "tests made. A boundary far from any break is not refuted: a phase is also defined by "
    "what its events meant, which counts do not measure.")


def method_text(window_days: int, include_syria: bool) -> str:
    """The method as the reports state it: the event set, the index, support and windows."""
    return "\n\n".join([
        eventset.definition(include_syria),
        index.METHOD.format(sides=", ".join(eventset.russian_side(include_syria)),
                            window=window_days),
        SUPPORT, WINDOW, PERIODS, cost.RULE])


# -- overview --------------------------------------------------------------------------------

def chronology(events: pd.DataFrame, include_syria: bool = True) -> pd.DataFrame:
    """The chronology: date as the source gives it, what happened, who, and whether the
    event is in the analysed set."""
    def when(row: pd.Series) -> str:
        text = at_precision(row["date"], row["date_precision"])
        if pd.notna(row["exact_date"]):
            text += f" ({day(row['exact_date'])})"
        return text

    analysed = set(eventset.analysed(events, include_syria)["event_id"])
    return pd.DataFrame({
        "date": events.apply(when, axis=1),
        "event": events["title"],
        "actors": events["actor_initiator"].astype(str) + " → "
        + events["actor_target"].astype(str),
        "Goldstein": events["goldstein"].map(lambda v: signed(v, 1)),
        "analysed": events["event_id"].isin(analysed).map({True: "yes", False: "no"}),
        "sources": events["source_ids"].map(", ".join),
    }).reset_index(drop=True)


def _event_rows(events: pd.DataFrame) -> list[str]:
    return [f"{day(e.date_best)}: {e.title} (event {e.event_id}; score "
            f"{signed(e.goldstein, 1)}; sources {', '.join(e.source_ids)})"
            for e in events.itertuples()]


def _figure_rows(rows: pd.DataFrame) -> list[str]:
    return [f"{r['event_id']} / {r['source_id']}: {findings.reading_text(r)}"
            + (f" ({r['claimant']})" if pd.notna(r.get("claimant")) else "")
            for _, r in rows.iterrows()]


def evidence(w: Window, groups: list[tuple[str, list[str]]]) -> Markup:
    """The rows and sources behind a summary's numbers, one click away (folded in the HTML,
    left out of print)."""
    return Markup("") if w.empty else templating.macro(TEMPLATES, "sections.html.j2",
                                                      "evidence", groups)


def overview_summary(w: Window, window_days: int, include_syria: bool) -> Markup:
    summary = findings.summary(w, findings.named(
        "overview", w, {"smoothing_window_days": window_days, "include_syria": include_syria}))
    return summary + evidence(w, [("Analysed events", _event_rows(
        eventset.analysed(w.events, include_syria)))])


def timeline_chart(w: Window, include_syria: bool = True):
    """The analysed events over the phases, the events that open each phase numbered."""
    analysed = eventset.analysed(w.events, include_syria)
    if analysed.empty:
        return None
    opening = w.ds.events.set_index("event_id").loc[list(w.phases["opening_event_id"])]
    opening = opening[(opening["date_best"] >= w.start) & (opening["date_best"] <= w.end)]
    # A phase still running at the window's end is shown to that day: its curated end is
    # hindsight for an edition that stops before it.
    phases = w.phases.assign(end=w.phases["end"].clip(upper=w.end))
    return charts.timeline(analysed, phases, opening.reset_index())


def monthly_chart(w: Window, include_syria: bool = True):
    if w.empty:
        return None
    return charts.monthly_counts_chart(findings.monthly_counts(w, include_syria))


def index_chart(w: Window, window_days: int, include_syria: bool):
    series = findings.index_history(w, window_days, include_syria)
    if series.empty:
        return None
    return charts.index_chart(series, w.phases, window_days)


def chronology_table(w: Window, include_syria: bool = True):
    return None if w.empty else chronology(w.events, include_syria)


# -- phases ----------------------------------------------------------------------------------

def phases_summary(w: Window, include_syria: bool,
                   rupture_phase_ids: list[str] | tuple[str, ...] = (),
                   alternatives: list[str] | tuple[str, ...] = ()) -> Markup:
    summary = findings.summary(w, findings.named("phases", w, {
        "include_syria": include_syria, "rupture_phase_ids": rupture_phase_ids,
        "alternative_boundaries": alternatives}))
    return summary + evidence(w, [("Analysed events of the whole study period", _event_rows(
        eventset.analysed(w.ds.events, include_syria)))])


def phase_table_or_none(w: Window, include_syria: bool = True):
    if w.empty:
        return None
    t = findings.phase_table(w, include_syria)
    return pd.DataFrame({
        "phase": t["name"], "from": t["start"].map(day), "to": t["end"].map(day),
        "days": t["duration_days"].map("{:,}".format), "events (n)": t["events"],
        "mean score": t["mean_goldstein"].map(lambda v: "" if pd.isna(v) else signed(v)),
        f"{findings.PERCENT}% interval": [
            "" if pd.isna(lo) else f"{signed(lo)} to {signed(hi)}"
            for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)],
        "cooperation": t["cooperation"], "conflict": t["conflict"],
        "net cooperation share": t["net_cooperation_share"].map(
            lambda v: "" if pd.isna(v) else signed(v)),
    })


def phase_means(w: Window, include_syria: bool = True):
    return None if w.empty else charts.phase_means_chart(findings.phase_table(w, include_syria))


def change_points_section(w: Window, include_syria: bool,
                          alternatives: list[str] | tuple[str, ...] = ()):
    if w.empty:
        return None, None
    p = findings.periodisation_figures(w, include_syria, alternatives)
    return charts.change_point_chart(p["counts"], p["breaks"], p["comparison"]), breaks_table(
        p["comparison"])


def crises_table(w: Window, include_syria: bool, phase_ids: list[str]):
    t = findings.crisis_comparison(w, include_syria, phase_ids)
    if t.empty:
        return None
    return pd.DataFrame({
        "crisis": t["name"], "days": t["days"],
        "Russia–Turkey events": t["rus_tur_events"],
        "of which material conflict": t["rus_tur_material_conflict"],
        "verbal conflict": t["rus_tur_verbal_conflict"],
        "cooperation": t["rus_tur_cooperation"],
        "Syria–Turkey material conflict": t["syr_tur_material_conflict"]})


def breaks_table(table: pd.DataFrame) -> pd.DataFrame:
    """Each candidate boundary against the nearest kept break (`periodisation.compare`), as
    shown for the curated counts and for an event stream alike."""
    return pd.DataFrame({
        "boundary": table["boundary"], "kind": table["kind"], "date": table["date"].map(day),
        "nearest kept break": table["nearest_break"].map(
            lambda d: "" if pd.isna(d) else month(d, long=True)),
        "gap (days)": table["gap_days"].map(lambda g: "" if g is None or pd.isna(g)
                                            else signed(int(g), 0)),
        f"within {periodisation.TOLERANCE_DAYS} days": table["matched"].map(
            {True: "yes", False: "no"}),
    })


# -- Idlib -----------------------------------------------------------------------------------

def idlib_summary(w: Window) -> Markup:
    summary = findings.summary(w, findings.named("idlib", w, {}))
    if w.empty:
        return summary
    f = findings.idlib_figures(w)
    claims = [f"{c.event_id} / {', '.join(c.sources)}: "
              f"{findings.actor_name(c.claimed_initiator)} ({c.claimant}; {c.side})"
              for c in f["claims"].itertuples()]
    return summary + evidence(w, [
        ("Readings of Turkish military deaths, per incident", _figure_rows(f["readings"])),
        ("Running tallies", _figure_rows(f["tallies"])),
        ("Civilian deaths", _figure_rows(f["civilians"])),
        ("Displacement, the last week", _figure_rows(f["displaced"])),
        ("Claims of who struck", claims)])


def idlib_chronology(w: Window):
    return None if w.empty else chronology(w.events)


def casualty_section(w: Window):
    """The incidents table (headline, basis, range, sources), the readings chart and the
    cumulative chart; a sentence instead where the window holds no incident."""
    if w.empty:
        return (None,)
    f = findings.idlib_figures(w)
    incidents = f["incidents"]
    if incidents.empty:
        return ("No per-incident casualty figures fall in this window.",)
    table = pd.DataFrame({
        "date": incidents["date_best"].map(day), "incident": incidents["title"],
        "headline": incidents["headline"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
        "chosen as": incidents["basis"],
        "range of readings": [f"{lo:,} to {hi:,}" for lo, hi in
                              zip(incidents["low"], incidents["high"], strict=True)],
        "sources": incidents["sources"], "superseded first counts": incidents["superseded"]})
    return (table,
            charts.casualty_chart(f["readings"], incidents, "Turkish military deaths"),
            charts.cumulative_chart(f["cumulative"], tally_points(w)))


def tally_points(w: Window) -> pd.DataFrame:
    """The running tallies the sources report, as points beside the cumulative headlines."""
    t = cost.running_tallies(w.figures, w.ds.events)
    # One campaign's tallies: those of the event most tallies count (the offensive), so a
    # later operation's own small count is not drawn among them.
    if len(t):
        t = t[t["event_id"] == t["event_id"].value_counts().index[0]]
    info = w.ds.sources.set_index("source_id")["publisher"]
    return pd.DataFrame({
        "date_ref": t["date_ref"],
        "value": t["value_best"].fillna(t["low"]).astype(float),
        "publisher": t["source_id"].map(info).map(lambda p: str(p).split(" (")[0]),
        "official": t["official"].astype(bool)}).reset_index(drop=True)


def judgement_checks(w: Window, include_syria: bool = True):
    """For analysts: every condition of every analysts' claim this window allows, with the
    values behind it and whether it holds; withheld claims are named in the summary."""
    from rusturk.analysis import judgements

    if w.empty:
        return None
    edition = judgements.for_window(w, include_syria)
    if not edition.outcomes:
        return "No judgement covers a period inside this window."
    return pd.DataFrame({"claim": [o.claim for o in edition.outcomes],
                         "condition": [o.condition for o in edition.outcomes],
                         "values": [o.values for o in edition.outcomes],
                         "verdict": ["holds" if o.passed else "fails: withheld"
                                     for o in edition.outcomes]})


def _readings_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "as of": rows["date_ref"].map(day),
        "reading": [findings.reading_text(r) for _, r in rows.iterrows()],
        "claimant": rows["claimant"].fillna(""),
        "source": rows["publisher"].map(lambda p: str(p).split(" (via ")[0]),
        "note": rows["note"].fillna("")})


def tallies_table(w: Window):
    if w.empty:
        return None
    t = cost.running_tallies(w.figures, w.ds.events)
    if t.empty:
        return None
    info = w.ds.sources.set_index("source_id")[["publisher", "affiliation"]]
    return _readings_table(t.join(info, on="source_id"))


def civilians_table(w: Window):
    if w.empty:
        return None
    rows = findings.escalation_readings(w, "killed_civilians")
    return None if rows.empty else _readings_table(rows)


def displacement_section(w: Window):
    f = None if w.empty else findings.idlib_figures(w)
    if f is None:
        return (None,)
    readings = findings.escalation_readings(w, "displaced")
    if readings.empty:
        return ("No displacement readings fall in this window.",)
    kinds = w.ds.sources.set_index("source_id")["kind"].astype(str)
    return charts.displacement_chart(readings, kinds), _readings_table(f["displaced"])


def claims_table(w: Window):
    if w.empty:
        return None
    c = cost.claims(w.ds.attributions, w.events, w.ds.sources)
    if c.empty:
        return None
    return pd.DataFrame({
        "date": c["date_best"].map(day), "event": c["title"],
        "perpetrator claimed": c["claimed_initiator"].map(findings.actor_name),
        "claimed by": c["claimant"], "speaks for": c["side"],
        "relayed by": c["publishers"].map(
            lambda ps: "; ".join(dict.fromkeys(str(p).split(" (via ")[0] for p in ps)))})


def placed_events(w: Window) -> pd.DataFrame:
    """The window's events that have a place: their own sourced coordinates, else the town
    of the gazetteer that their location names (the first one named)."""
    towns = charts.places()
    rows = []
    for e in w.events.itertuples():
        place = str(e.location_name) if pd.notna(e.location_name) else ""
        lat, lon = e.latitude, e.longitude
        if pd.isna(lat) and place:
            hits = [t for t in towns.itertuples() if t.name.lower() in place.lower()]
            if hits:
                first = min(hits, key=lambda t: place.lower().index(t.name.lower()))
                lat, lon = first.latitude, first.longitude
        if pd.notna(lat):
            rows.append({"event_id": e.event_id, "title": e.title, "place": place,
                         "date_best": e.date_best, "latitude": float(lat),
                         "longitude": float(lon), "quad_class_label": e.quad_class_label})
    return pd.DataFrame(rows, columns=["event_id", "title", "place", "date_best", "latitude",
                                       "longitude", "quad_class_label"])


def _in_frame(placed: pd.DataFrame) -> pd.Series:
    west, east, south, north = charts.FRAME
    return placed["longitude"].between(west, east) & placed["latitude"].between(south, north)


def map_chart(w: Window):
    placed = None if w.empty else placed_events(w)
    if placed is None or placed.empty:
        return None
    return charts.event_map(placed[_in_frame(placed)])


def map_outside(w: Window):
    """The located events the map's frame leaves out, listed rather than dropped."""
    placed = None if w.empty else placed_events(w)
    if placed is None or placed.empty:
        return None
    outside = placed[~_in_frame(placed)]
    if outside.empty:
        return None
    return pd.DataFrame({"date": outside["date_best"].map(day), "event": outside["title"],
                         "where": outside["place"]})


def sochi_table(w: Window):
    return None if w.empty else sochi_outcomes(w)


def sochi_outcomes(w: Window) -> pd.DataFrame:
    """The Sochi memorandum's terms as its sources give them, set against what happened."""
    ev = w.ds.events.set_index("event_id")
    if SOCHI_EVENT not in ev.index:
        return pd.DataFrame()
    sochi = ev.loc[SOCHI_EVENT]
    # What tested the memorandum: force used by the analysed set's states, not every clash.
    analysed = eventset.analysed(w.events)
    later = analysed[(analysed["date_best"] > sochi["date_best"])
                     & (analysed["quad_class"] == 4)]
    rows = [{"date": day(sochi["date_best"]), "kind": "commitment",
             "what": sochi["title"], "in the source's words": sochi["evidence"]}]
    if pd.notna(sochi["exact_date_evidence"]):
        rows.append({"date": day(sochi["date_best"]), "kind": "commitment",
                     "what": "Terms as reported",
                     "in the source's words": sochi["exact_date_evidence"]})
    rows += [{"date": day(r.date_best), "kind": "what happened", "what": r.title,
              "in the source's words": r.evidence} for r in later.itertuples()]
    return pd.DataFrame(rows)



# -- shared ----------------------------------------------------------------------------------

def sources_html(w: Window) -> Markup:
    """The sources cited in the window, each shown as text: publisher, title, date, address."""
    rows = w.cited_sources.sort_values("source_id")
    shown = [{"source_id": s.source_id, "publisher": s.publisher, "title": s.title,
              "url_or_reference": s.url_or_reference, "read": day(s.access_date),
              "published": day(s.publication_date) if pd.notna(s.publication_date)
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
