"""The findings, by name: the numbers and the sentence stating them, written once.

The notebooks show a section's findings as its summary and the briefing lists them as key
findings, so a number and its wording cannot drift apart. Sentences are `Markup`: text
from the data (a phase name, a source id) is escaped when it is formatted in, so it is
shown as text in every output and never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from markupsafe import Markup

from rusturk.analysis import cost, eventset, index, measures, periodisation, stats
from rusturk.analysis.escalation import figure_bounds
from rusturk.analysis.window import Window
from rusturk.common.text import day, month, plural, share, signed, verb
from rusturk.data.schema import ACTORS

TURKISH_DEATHS = cost.TURKISH_DEATHS
PERCENT = int(stats.CONFIDENCE * 100)


def interval(e: stats.Estimate) -> str:
    """'95% interval −1.20 to +0.85, n = 32', or why there is none."""
    if e.n < 2:
        return f"n = {e.n}, too few for an interval"
    return f"{PERCENT}% interval {signed(e.low)} to {signed(e.high)}, n = {e.n}"


def actor_name(code: str) -> str:
    """An actor code as a reader would say it: 'Russia', 'the Syrian government'."""
    return {"RUS": "Russia", "TUR": "Turkey", "SYR": "the Syrian government",
            "SYR_OPP": "the Syrian opposition", "SYR_KRD": "Kurdish-led forces",
            "IND": "a non-state actor"}.get(code, ACTORS.get(code, code))


# -- overview --------------------------------------------------------------------------------

def analysed_in_window(w: Window, include_syria: bool) -> pd.DataFrame:
    return eventset.analysed(w.events, include_syria)


def index_history(w: Window, window_days: int, include_syria: bool) -> pd.DataFrame:
    """The index computed on the whole history, then cut to the window: a narrower window
    never changes the value shown for a day inside it."""
    full = eventset.analysed(w.ds.events, include_syria)
    if full.empty:
        return full
    series = index.index_series(full, window_days)
    series["n_window"] = series.apply(
        lambda r: int(((full["date_best"] > r["date_best"] - pd.Timedelta(days=window_days))
                       & (full["date_best"] <= r["date_best"])).sum()), axis=1)
    return series[(series["date_best"] >= w.start) & (series["date_best"] <= w.end)]


def monthly_counts(w: Window, include_syria: bool) -> pd.DataFrame:
    """Monthly counts by QuadClass over the study period, cut to the window's months."""
    full = eventset.analysed(w.ds.events, include_syria)
    start, end = w.ds.study_period
    months = measures.monthly(full, start, end)
    return months[(months.index >= w.start.to_period("M").to_timestamp())
                  & (months.index <= w.end)]


def overview_figures(w: Window, window_days: int, include_syria: bool) -> dict:
    win = analysed_in_window(w, include_syria)
    series = index_history(w, window_days, include_syria)
    months = monthly_counts(w, include_syria)
    figures = {
        "events": len(w.events),
        "dyad_events": len(win),
        "estimate": stats.bootstrap_mean(win["goldstein"]),
        "material_conflict_share": float((win["quad_class"] == 4).mean()) if len(win)
        else None,
        "net_cooperation_share": measures.net_cooperation_share(win["quad_class"]),
        "months": len(months),
        "months_with_events": int((months["events"] > 0).sum()),
        "phases": len(w.phases),
    }
    if len(series):
        last = series.iloc[-1]
        figures.update(index_value=float(last["smoothed"]), index_date=last["date_best"],
                       index_n=int(last["n_window"]))
    return figures


def overview(w: Window, window_days: int, include_syria: bool) -> list[Markup]:
    f = overview_figures(w, window_days, include_syria)
    if not f["dyad_events"]:
        return [Markup("The window {} holds {}, none of them in the analysed set (Turkey "
                       "against the Russian side), so no index can be computed.").format(
                           w.label, plural(f["events"], "event"))]
    e = f["estimate"]
    out = [
        Markup("<strong>{} of {}</strong> in {} are in the analysed set: Turkey against the "
               "Russian side, state acts only, accidents left out.").format(
                   f["dyad_events"], plural(f["events"], "curated event"), w.label),
        Markup("Their mean Goldstein score is <strong>{}</strong> ({}); {} of them are "
               "material conflict and the net cooperation share is {}. {} of {} in the window "
               "{} at least one.").format(
                   signed(e.mean), interval(e), share(f["material_conflict_share"]),
                   signed(f["net_cooperation_share"]), f["months_with_events"],
                   plural(f["months"], "month"),
                   verb(f["months_with_events"], "holds", "hold")),
    ]
    if "index_value" in f:
        out.append(Markup("On {}, the last analysed event in the window, the {}-day mean of "
                          "the index stood at <strong>{}</strong> over {}; it is computed on "
                          "the whole history, so no window changes it.").format(
            day(f["index_date"]), window_days, signed(f["index_value"]),
            plural(f["index_n"], "event")))
    return out


# -- phases ----------------------------------------------------------------------------------

def phase_table(w: Window, include_syria: bool) -> pd.DataFrame:
    """Per phase overlapping the window: the analysed events of the whole phase, n, mean
    with its interval, conflict and cooperation counts, net cooperation share."""
    full = eventset.analysed(w.ds.events, include_syria)
    table = measures.group_table(full, full["phase_id"].astype(str), list(w.phases["phase_id"]))
    return w.phases[["phase_id", "name", "start", "end", "duration_days"]].merge(
        table.rename(columns={"group": "phase_id"}), on="phase_id")


def candidates(w: Window, alternatives: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """The curated phase boundaries and the alternatives an analyst proposes."""
    p = w.ds.phases
    rows = [{"boundary": f"start of {name}", "date": start, "kind": "curated"}
            for name, start in zip(p["name"].iloc[1:], p["start"].iloc[1:], strict=True)]
    rows += [{"boundary": f"alternative: {day(a)}",
              "date": pd.Timestamp(a), "kind": "alternative"} for a in alternatives]
    return pd.DataFrame(rows, columns=["boundary", "date", "kind"])


def periodisation_figures(w: Window, include_syria: bool,
                          alternatives: list[str] | tuple[str, ...] = ()) -> dict:
    """Breaks in the monthly counts over the whole study period, tested by permutation, set
    against the curated boundaries and the alternatives."""
    full = eventset.analysed(w.ds.events, include_syria)
    start, end = w.ds.study_period
    months = measures.monthly(full, start, end)
    counts = pd.DataFrame({"cooperation": months["q1"] + months["q2"],
                           "conflict": months["q3"] + months["q4"]}, index=months.index)
    found = periodisation.breaks(counts[list(periodisation.COLUMNS)])
    table = periodisation.compare(candidates(w, alternatives), found["month"])
    return {"months": len(counts), "counts": counts, "breaks": found, "comparison": table,
            "events": len(full)}


def crisis_comparison(w: Window, include_syria: bool,
                      phase_ids: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The two crises on like terms: direct Russia–Turkey events and, apart, Syria–Turkey
    events, counted by kind, over each crisis phase as a whole."""
    full = eventset.analysed(w.ds.events, include_syria=True)
    phases_by_id = w.ds.phases.set_index("phase_id")
    rows = []
    for phase_id in phase_ids:
        if phase_id not in phases_by_id.index:
            continue
        ph = phases_by_id.loc[phase_id]
        inside = full[(full["date_best"] >= ph["start"]) & (full["date_best"] <= ph["end"])]
        rus = inside[eventset.with_turkey(inside, eventset.RUSSIA)]
        syr = inside[eventset.with_turkey(inside, eventset.SYRIA)]
        rows.append({"phase_id": phase_id, "name": ph["name"], "days": int(ph["duration_days"]),
                     "rus_tur_events": len(rus),
                     "rus_tur_material_conflict": int((rus["quad_class"] == 4).sum()),
                     "rus_tur_verbal_conflict": int((rus["quad_class"] == 3).sum()),
                     "rus_tur_cooperation": int((rus["quad_class"] <= 2).sum()),
                     "syr_tur_material_conflict": int((syr["quad_class"] == 4).sum())})
    return pd.DataFrame(rows)


def phases_figures(w: Window, include_syria: bool) -> dict:
    table = phase_table(w, include_syria)
    full = eventset.analysed(w.ds.events, include_syria)
    groups = {r.name: list(full.loc[full["phase_id"].astype(str) == r.phase_id, "goldstein"])
              for r in table.itertuples()}
    # Only phases with enough events are compared; the others are named as too thin.
    compared = {k: v for k, v in groups.items() if len(v) >= stats.MIN_EVENTS}
    return {"phases": len(table), "table": table, "compared": compared,
            "thin": [k for k in groups if k not in compared],
            "most_cooperative": stats.ranked(compared, highest=True),
            "most_conflictual": stats.ranked(compared, highest=False)}


def phases_findings(w: Window, include_syria: bool,
                    rupture_phase_ids: list[str] | tuple[str, ...] = (),
                    alternatives: list[str] | tuple[str, ...] = ()) -> list[Markup]:
    f = phases_figures(w, include_syria)
    table = f["table"].set_index("name")
    out = []
    if len(f["compared"]) >= 2:
        parts = []
        for highest, key, word in ((True, "most_cooperative", "most cooperative"),
                                   (False, "most_conflictual", "most conflictual")):
            lead, runner = stats.leaders(f["compared"], highest)
            if f[key]:
                parts.append(Markup("<em>{}</em> is the {} (mean {}, {}), clear of <em>{}</em> "
                                    "({})").format(
                    lead, word, signed(table.loc[lead, "mean_goldstein"]),
                    interval(stats.bootstrap_mean(f["compared"][lead])), runner,
                    signed(table.loc[runner, "mean_goldstein"])))
            else:
                parts.append(Markup("the data cannot tell whether <em>{}</em> (mean {}) or "
                                    "<em>{}</em> (mean {}) is the {}: the interval of "
                                    "their difference includes zero").format(
                    lead, signed(table.loc[lead, "mean_goldstein"]), runner,
                    signed(table.loc[runner, "mean_goldstein"]), word))
        sentence = Markup("Among the {} with at least {} analysed events, {}; {}.").format(
            plural(len(f["compared"]), "phase"), stats.MIN_EVENTS, parts[0], parts[1])
        if f["thin"]:
            sentence += Markup(" {} {} too few events to be compared ({}).").format(
                Markup(", ").join(Markup("<em>{}</em>").format(k) for k in f["thin"]),
                verb(len(f["thin"]), "holds", "hold"),
                Markup("; ").join(Markup("n = {}").format(int(table.loc[k, "events"]))
                                  for k in f["thin"]))
        out.append(sentence)
    p = periodisation_figures(w, include_syria, alternatives)
    found, comparison = p["breaks"], p["comparison"]
    curated = comparison[comparison["kind"] == "curated"]
    alt = comparison[comparison["kind"] == "alternative"]
    listed = ", ".join(f"{month(m, long=True)} (p = {v:.3f})" for m, v in
                       zip(found["month"], found["p_value"], strict=True)) or "none"
    text = Markup(
        "A permutation test on the monthly counts of cooperative and conflictual events "
        "({}, {} shuffles) finds {} that beat noise at p < {}: {}. {} of the {} curated "
        "boundaries {} within {} days of one.").format(
            plural(p["months"], "month"), periodisation.PERMUTATIONS,
            plural(len(found), "break"), periodisation.ALPHA, listed,
            int(curated["matched"].sum()), len(curated),
            verb(int(curated["matched"].sum()), "lies", "lie"), periodisation.TOLERANCE_DAYS)
    for row in alt.itertuples():
        text += Markup(" The alternative boundary of {} {}.").format(
            day(row.date), "lies within that distance of a break" if row.matched
            else "does not")
    out.append(text)
    crises = crisis_comparison(w, include_syria, rupture_phase_ids)
    if len(crises) == 2:
        a, b = crises.iloc[0], crises.iloc[1]
        out.append(Markup(
            "Compared on like terms, direct Russia–Turkey events only: <em>{}</em> held {} "
            "({} material conflict) in {}; <em>{}</em> held {} ({} material conflict) in {}, "
            "while the fighting ran between Syrian and Turkish forces ({} material-conflict "
            "events).").format(
                a["name"], plural(a["rus_tur_events"], "event"),
                a["rus_tur_material_conflict"], plural(a["days"], "day"), b["name"],
                plural(b["rus_tur_events"], "event"), b["rus_tur_material_conflict"],
                plural(b["days"], "day"), b["syr_tur_material_conflict"]))
    return out


# -- Idlib -----------------------------------------------------------------------------------

def idlib_figures(w: Window) -> dict:
    readings = cost.incident_readings(w.figures, w.events)
    incidents = cost.headlines(readings, w.ds.sources)
    known = w.known(w.end)
    history = cost.headlines(cost.incident_readings(known, w.ds.events), w.ds.sources)
    cumulative = cost.cumulative(history[history["date_best"] <= w.end], w.end)
    history = history.dropna(subset=["headline"])
    cumulative = cumulative[cumulative["date"] >= w.start]
    # A tally belongs to the campaign it counts (an event that may open before the window);
    # it is in the window when its own date is.
    tallies = cost.running_tallies(w.figures, w.ds.events)
    civilians = escalation_readings(w, "killed_civilians")
    displaced = escalation_readings(w, "displaced")
    un = displaced[displaced["affiliation"].astype(str) == "intergovernmental"]
    displaced = cost.latest_readings(un if len(un) else displaced)
    claims = cost.claims(w.ds.attributions, w.events, w.ds.sources)
    with_headline = incidents.dropna(subset=["headline"])
    biggest = (with_headline.loc[with_headline["headline"].idxmax()] if len(with_headline)
               else None)
    return {
        "events": len(w.events),
        "day_precision": int((w.events["date_precision"].eq("day")
                              | w.events["exact_date"].notna()).sum()),
        "analysed": len(eventset.analysed(w.events)),
        "incidents": incidents, "readings": readings, "cumulative": cumulative,
        "history": history,
        "total": float(with_headline["headline"].sum()),
        "without_headline": int(incidents["headline"].isna().sum()),
        "biggest": biggest,
        "tallies": tallies, "civilians": civilians, "displaced": displaced, "claims": claims,
    }


def escalation_readings(w: Window, measure: str) -> pd.DataFrame:
    """Every reading of a measure in the window, with its source's publisher and affiliation."""
    rows = figure_bounds(w.figures[w.figures["measure"] == measure])
    info = w.ds.sources.set_index("source_id")[["publisher", "affiliation"]]
    return rows.join(info, on="source_id").sort_values(["date_ref", "source_id"],
                                                       kind="stable")


def publisher(w: Window, source_id: str) -> str:
    """A source as a reader knows it: its publisher, without the way we read it."""
    name = str(w.ds.sources.set_index("source_id").loc[source_id, "publisher"])
    return name.split(" (via ")[0].split(" (")[0]


reading_text = cost.reading_text


def reconciliation(w: Window, f: dict) -> Markup | None:
    """The latest running tally that says where it counts from, set beside the headlines of
    the incidents the dataset holds over the same days: a gap is named as deaths the
    dataset does not record, never spread over the incidents as a band."""
    tallies = f["tallies"].dropna(subset=["counted_from"])
    if not len(tallies):
        return None
    # The latest tally of the best-graded sources: a wire's count before a feed's.
    grade = tallies["source_id"].map(w.ds.sources.set_index("source_id")["reliability"])
    best = tallies[grade.astype(str) == grade.astype(str).min()]
    # On one day a tally only rises, so the higher of two same-day counts is the later.
    last = best.assign(_v=best["value_best"].fillna(best["low"])).sort_values(
        ["date_ref", "_v"], kind="stable").iloc[-1]
    history = f["history"]  # every incident's headline, as known by the window's end
    span = history[(history["date_best"] >= last["counted_from"])
                   & (history["date_best"] <= last["date_ref"])]
    counted = float(span["headline"].sum())
    value = float(last["value_best"]) if pd.notna(last["value_best"]) else float(last["low"])
    text = Markup("The latest running tally of the best-graded sources counts {} Turkish "
                  "soldiers killed "
                  "from {} to {} ({}{}); over the same days the headlines of the {} the "
                  "dataset holds add up to {}.").format(
        reading_text(last), day(last["counted_from"]), day(last["date_ref"]),
        publisher(w, last["source_id"]), ", an official figure" if last["official"] else "",
        plural(len(span), "incident"), f"{counted:,.0f}")
    if value > counted:
        text += Markup(" The difference of {} is deaths the tally counts that the dataset "
                       "does not record as incidents (soldiers killed in attacks it does not "
                       "hold, or wounded who died later).").format(f"{value - counted:,.0f}")
    elif value < counted:
        text += Markup(" The tally is lower than the headlines: it was counted before later "
                       "readings raised them.")
    return text


def idlib_findings(w: Window) -> list[Markup]:
    f = idlib_figures(w)
    return [Markup("The window holds <strong>{}</strong>, {} of them dated to the day; {} are "
                   "in the analysed set.").format(plural(f["events"], "event"),
                                                  f["day_precision"], f["analysed"]),
            *cost_findings(w, f)]


def cost_findings(w: Window, f: dict | None = None) -> list[Markup]:
    """What the window cost: Turkish losses, the tallies beside them, civilians, the
    displaced, and who each side says struck."""
    f = f if f is not None else idlib_figures(w)
    out: list[Markup] = []
    incidents = f["incidents"]
    if f["biggest"] is not None:
        b = f["biggest"]
        out.append(Markup(
            "By the headline rule, <strong>{} Turkish soldiers</strong> were killed in {} "
            "from {}. {} of them died in one incident, <em>{}</em> on {}, whose readings run "
            "from {} to {} across {} ({} superseded).").format(
                f"{f['total']:,.0f}", plural(len(incidents), "incident"), w.label,
                f"{b['headline']:,.0f}", b["title"], day(b["date_best"]), b["low"], b["high"],
                plural(int(b["sources"]), "source"),
                plural(int(b["superseded"]), "first count")))
    tally = reconciliation(w, f)
    if tally is not None:
        out.append(tally)
    civilians = f["civilians"]
    un = civilians[civilians["affiliation"].astype(str) == "intergovernmental"]
    if len(un):
        last = un.iloc[-1]
        out.append(Markup("Civilian deaths: {} from {}{}; the latest United Nations reading "
                          "counts {} killed ({}, {}{}).").format(
            plural(len(civilians), "reading"), plural(civilians["source_id"].nunique(),
                                                      "source"),
            ", each for its own period and never added up" if len(civilians) > 1 else "",
            reading_text(last), publisher(w, last["source_id"]), day(last["date_ref"]),
            f": {str(last['note']).rstrip('.')}" if pd.notna(last.get("note")) else ""))
    displaced = f["displaced"]
    if len(displaced):
        low, high = displaced.loc[displaced["low"].idxmin()], displaced.loc[
            displaced["high"].idxmax()]
        if reading_text(low) == reading_text(high):
            amount = Markup("{} ({})").format(reading_text(low), publisher(w, low["source_id"]))
        else:
            amount = Markup("between {} ({}) and {} ({})").format(
                reading_text(low), publisher(w, low["source_id"]), reading_text(high),
                publisher(w, high["source_id"]))
        out.append(Markup("By {}, the people displaced in north-west Syria since December "
                          "2019 numbered {}, by {} of the last week.").format(
            day(displaced["date_ref"].max()), amount, plural(len(displaced), "reading")))
    claims = f["claims"]
    # The question of the escalation: was Russia's hand in a lethal attack on Turkish forces?
    attacks = set(w.events.loc[w.events["actor_target"].astype(str) == eventset.TURKEY,
                               "event_id"])
    russia = set(claims.loc[claims["claimed_initiator"] == eventset.RUSSIA, "event_id"])
    claims = claims[claims["event_id"].isin(attacks & russia)]
    for _, group in claims.groupby("event_id", sort=False):
        named = "; ".join(
            f"{actor_name(code)} by {plural(len(g), 'claimant')} ("
            + ", ".join(f"{side} {len(by_side)}"
                        for side, by_side in g.groupby("side", sort=True)) + ")"
            for code, g in group.groupby("claimed_initiator", sort=True))
        out.append(Markup("Who struck is disputed for <em>{}</em>: {}; each claimant is "
                          "counted once, however many outlets relayed the claim.").format(
            group["title"].iloc[0], named))
    return out


# -- the findings by name, from a section's parameters ---------------------------------------

def _overview(w: Window, p: dict) -> list[Markup]:
    return overview(w, int(p["smoothing_window_days"]), bool(p["include_syria"]))


def _phases(w: Window, p: dict) -> list[Markup]:
    return phases_findings(w, bool(p["include_syria"]), p.get("rupture_phase_ids", ()),
                           p.get("alternative_boundaries", ()))


def _idlib(w: Window, p: dict) -> list[Markup]:
    return idlib_findings(w)


# What a section may ask for; the analysis knows no notebook, each notebook names its own.
BY_NAME: dict[str, Callable[[Window, dict], list[Markup]]] = {
    "overview": _overview,
    "phases": _phases,
    "idlib": _idlib,
}


def named(name: str, w: Window, params: dict) -> list[Markup]:
    """The findings called `name` ("overview", "phases", "idlib") with a section's
    parameters; none for an empty window."""
    if name not in BY_NAME:
        raise ValueError(f"no findings called {name!r}; there are {', '.join(BY_NAME)}")
    return [] if w.empty else BY_NAME[name](w, params)


def summary(w: Window, findings: list[Markup]) -> Markup:
    """A section's summary paragraph: its findings, or why there are none."""
    if w.empty:
        return Markup("<p><strong>{}</strong></p>").format(w.empty_message())
    return Markup("<p><strong>Summary, {}.</strong> {}</p>").format(
        w.label, Markup(" ").join(findings))
