"""Each notebook's findings: the numbers and the sentence stating them, written once.

The notebooks show a section's findings as its summary and the briefing lists them as key
findings, so a number and its wording cannot drift apart. Sentences are `Markup`: text
from the data (a phase name, a source id) is escaped when it is formatted in, so it is
shown as text in every output and never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from markupsafe import Markup

from rusturk.analysis import escalation, index, phases
from rusturk.analysis.window import Window

# A curated phase boundary "matches" a detected break when they are at most this far apart.
BOUNDARY_TOLERANCE_DAYS = 60
TURKISH_DEATHS = "killed_turkish_military"


def day(value: pd.Timestamp) -> str:
    """The one date style of the reports: 3 February 2020."""
    return f"{value:%-d %B %Y}"


def signed(value: float, digits: int = 2) -> str:
    """A signed number with a true minus sign: +2.57, −1.02."""
    return f"{value:+.{digits}f}".replace("-", "\u2212")


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 phase', '3 phases': never 'phase(s)'."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


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


def overview(w: Window, window_days: int, include_syria: bool) -> list[Markup]:
    f = overview_figures(w, window_days, include_syria)
    if not f["dyad_events"]:
        return [Markup("The window {} holds {}, none of them between Turkey and the Russian "
                       "side, so no index can be computed.").format(
                           w.label, plural(f["events"], "event"))]
    return [
        Markup("<strong>{} of {}</strong> in {} are between Turkey and the Russian side. "
               "Their mean Goldstein score is <strong>{}</strong>, and <strong>{:.0%}</strong> "
               "are material conflict; the cumulative index ends at {}.").format(
                   f["dyad_events"], plural(f["events"], "curated event"), w.label,
                   signed(f["mean_goldstein"]), f["material_conflict_share"],
                   signed(f["cumulative_end"], 1)),
        Markup("The {}-day mean of the cooperation–conflict index is lowest, "
               "<strong>{}</strong>, on {} and highest, <strong>{}</strong>, on {}.").format(
                   window_days, signed(f["lowest_smoothed"]), day(f["lowest_date"]),
                   signed(f["highest_smoothed"]), day(f["highest_date"])),
    ]


# -- phases ----------------------------------------------------------------------------------

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
        "within_tolerance": int((comparison["gap_days"].abs()
                                 <= BOUNDARY_TOLERANCE_DAYS).sum()),
        "months": len(monthly),
        "monthly": monthly,
        "comparison": comparison,
    }


def ruptures_table(w: Window, include_syria: bool, phase_ids: list[str]) -> pd.DataFrame:
    dyad = index.dyad_events(w.ds.events, include_syria)
    known = set(w.ds.phases["phase_id"])
    rows = [phases.rupture_profile(w.ds.phases, dyad, p) for p in phase_ids if p in known]
    return pd.DataFrame(rows)


def phases_findings(w: Window, include_syria: bool,
                    rupture_phase_ids: list[str] | tuple[str, ...] = ()) -> list[Markup]:
    f = phases_figures(w, include_syria)
    first = Markup("Of <strong>{}</strong>, the longest is <em>{}</em> ({}).").format(
        plural(f["phases"], "phase"), f["longest"], plural(f["longest_days"], "day"))
    if f["most_cooperative"] is not None:
        first += Markup(" The most cooperative is <em>{}</em> (mean Goldstein {}); the most "
                        "conflictual is <em>{}</em> ({}).").format(
            f["most_cooperative"], signed(f["most_cooperative_mean"]), f["most_conflictual"],
            signed(f["most_conflictual_mean"]))
    out = [first]
    if f["boundaries"]:
        out.append(Markup("Change-point detection on {} of the index puts <strong>{} of {}"
                          "</strong> curated phase boundaries within {} days of a detected "
                          "break: weak support, given so few events.").format(
            plural(f["months"], "month"), f["within_tolerance"], f["boundaries"],
            BOUNDARY_TOLERANCE_DAYS))
    ruptures = ruptures_table(w, include_syria, list(rupture_phase_ids))
    if len(ruptures) == 2 and ruptures["days_to_first_lethal_clash"].notna().all():
        a, b = ruptures.iloc[0], ruptures.iloc[1]
        out.append(Markup(
            "The two crises escalated differently: <em>{}</em> reached lethal force on day {} "
            "and closed {} later; <em>{}</em> took {} to its first lethal clash and closed {} "
            "after it.").format(
                a["name"], int(a["days_to_first_lethal_clash"]),
                plural(int(a["days_from_clash_to_closing"]), "day"), b["name"],
                plural(int(b["days_to_first_lethal_clash"]), "day"),
                plural(int(b["days_from_clash_to_closing"]), "day")))
    return out


# -- Idlib -----------------------------------------------------------------------------------

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


def idlib_findings(w: Window) -> list[Markup]:
    f = idlib_figures(w)
    out = [Markup("The window holds <strong>{}</strong>, {} of them dated to the day.").format(
        plural(f["events"], "event"), f["day_precision"])]
    if f["incidents"]:
        out.append(Markup(
            "Across {} in {}, sources put Turkish military deaths at <strong>{} to {}</strong> "
            "in total. The deadliest, <em>{}</em>, is put at {} to {} by {}.").format(
                plural(f["incidents"], "incident"), w.label, f["deaths_low"], f["deaths_high"],
                f["deadliest"], f["deadliest_low"], f["deadliest_high"],
                plural(f["deadliest_sources"], "source")))
    if f["displacement_readings"]:
        out.append(Markup(
            "By {}, <strong>{:,} people</strong> had been displaced in north-west Syria since "
            "December 2019 ({}, the latest of {}).").format(
                day(f["displacement_last_date"]), f["displacement_last"],
                f["displacement_last_source"],
                plural(f["displacement_readings"], "reading")))
    return out


# -- every notebook's findings, from its parameters -------------------------------------------

def _overview(w: Window, p: dict) -> list[Markup]:
    return overview(w, int(p["smoothing_window_days"]), bool(p["include_syria"]))


def _phases(w: Window, p: dict) -> list[Markup]:
    return phases_findings(w, bool(p["include_syria"]), p.get("rupture_phase_ids", ()))


def _idlib(w: Window, p: dict) -> list[Markup]:
    return idlib_findings(w)


BY_NOTEBOOK: dict[str, Callable[[Window, dict], list[Markup]]] = {
    "01_overview": _overview,
    "02_phases": _phases,
    "03_idlib": _idlib,
}


def for_notebook(notebook: str, w: Window, params: dict) -> list[Markup]:
    """A notebook's findings with its parameters; none for an empty window."""
    if w.empty or notebook not in BY_NOTEBOOK:
        return []
    return BY_NOTEBOOK[notebook](w, params)


def summary(w: Window, findings: list[Markup]) -> Markup:
    """A section's summary paragraph: its findings, or why there are none."""
    if w.empty:
        return Markup("<p><strong>{}</strong></p>").format(w.empty_message())
    return Markup("<p><strong>Summary, {}.</strong> {}</p>").format(
        w.label, Markup(" ").join(findings))
