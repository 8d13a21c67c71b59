"""The findings' numbers and words on the hand-made window of tests/handmade.py (`full_window`):
seven synthetic events over phases from December 2019 to March 2020, every expected number
counted by hand in the comment beside it. The rows are fixtures, not facts.

The events (Goldstein score, QuadClass): e1 RUS→TUR 5 Jan (+4, 1); e2 TUR→RUS 10 Jan (−10, 4);
e3 SYR→TUR 15 Jan (−10, 4); e4 TUR→SYR 20 Jan (−4, 3); e5 RUS→TUR 22 Jan, an accident;
e6 USA→TUR 25 Jan; e7 RUS→TUR 1 Feb (−2, 3). Analysed with Syria: e1–e4 and e7; without: e1,
e2, e7. Phases: Quiet winter 1 Dec–9 Jan (40 days), Strain 10 Jan–1 Feb (23 days), Thaw 2 Feb–
31 Mar.

Each test calls the findings itself (no shared fixture of findings), so that mutation testing
sees which tests reach each function; the windows, plain data, are built once (`win`).
"""

from __future__ import annotations

import dataclasses
import functools
import re

import pandas as pd
import pytest
from handmade import NA, events, full_figures, full_window, readings
from markupsafe import Markup

from rusturk.analysis import findings, periodisation, stats
from rusturk.analysis.window import Window

T = pd.Timestamp
INDEX_TAIL = "; it is computed on the whole history, so no window changes it."
SET_WORDS = ("are in the analysed set: Turkey against the Russian side, state acts only, "
             "accidents left out.")
NO_BREAKS = ("A permutation test on the monthly counts of cooperative and conflictual events "
             "(4 months, 999 shuffles) finds 0 breaks that beat noise at p < 0.05: none. "
             "0 of the 2 curated boundaries lie within 60 days of one.")


@functools.cache
def _dataset():
    return full_window().ds


def win(start="2020-01-01", end="2020-01-31") -> Window:
    """The full hand-made window; its dataset is built once (pandas copies on write, so no
    finding can change it for the next test)."""
    return Window(_dataset(), T(start), T(end))


def strs(items) -> list[str]:
    return [str(x) for x in items]


def with_figures(rows, start="2020-01-01", end="2020-01-31", drop=(), supersede=None,
                 e2_only_blog=False):
    """The full window with readings added (event, source, measure, low, best, high, date,
    claimant, superseded_by, counted_from), the readings of the sources in `drop` removed,
    the sources in `supersede` superseded by another, and e2's graded readings removed."""
    f = full_figures()
    f = f[~f["source_id"].isin(drop)]
    for source, by in (supersede or {}).items():
        f.loc[f["source_id"].eq(source), "superseded_by"] = by
    if e2_only_blog:
        f = f[~(f["event_id"].eq("e2") & f["source_id"].isin(["wire", "wire2"]))]
    extra = readings([r[:9] for r in rows]).assign(
        counted_from=pd.to_datetime([r[9] for r in rows]),
        note=pd.array([NA] * len(rows), dtype=object))
    return full_window(start, end, figure_frame=pd.concat([f, extra], ignore_index=True))


# -- small helpers ---------------------------------------------------------------------------

def test_interval_states_the_bounds_and_n_or_why_there_is_none():
    assert findings.PERCENT == 95
    assert findings.interval(stats.Estimate(-1.204, -2.5, 0.849, 32)) == (
        "95% interval −2.50 to +0.85, n = 32")
    assert findings.interval(stats.Estimate(3.0, 1.0, 4.0, 2)) == (
        "95% interval +1.00 to +4.00, n = 2")  # two events are enough for an interval
    assert findings.interval(stats.Estimate(3.0, NA, NA, 1)) == "n = 1, too few for an interval"
    assert findings.interval(stats.Estimate(NA, NA, NA, 0)) == "n = 0, too few for an interval"


def test_actor_names_as_a_reader_says_them():
    assert [findings.actor_name(c) for c in ("RUS", "TUR", "SYR", "SYR_OPP", "SYR_KRD", "IND")
            ] == ["Russia", "Turkey", "the Syrian government", "the Syrian opposition",
                  "Kurdish-led forces", "a non-state actor"]
    assert findings.actor_name("USA") == "United States"  # the schema's own name
    assert findings.actor_name("XYZ") == "XYZ"  # unknown: the code itself
    assert findings.TURKISH_DEATHS == "killed_turkish_military"


# -- overview --------------------------------------------------------------------------------

def test_the_analysed_events_of_the_window_with_and_without_syria():
    w = win()
    assert list(findings.analysed_in_window(w, True)["event_id"]) == ["e1", "e2", "e3", "e4"]
    assert list(findings.analysed_in_window(w, False)["event_id"]) == ["e1", "e2"]


def test_index_history_is_the_whole_history_cut_to_the_window_inclusive():
    # 15 Jan–1 Feb opens on e3 and closes on e7; 15-day spans (day − 15, day]: on 15 Jan
    # e1, e2 (before the window) and e3, −16/3; on 20 Jan e1 (5 Jan) is exactly 15 days
    # back and left out: (−10 − 10 − 4)/3 = −8; on 1 Feb e4 and e7, −6/2.
    s = findings.index_history(win("2020-01-15", "2020-02-01"), 15, True)
    assert list(s["event_id"]) == ["e3", "e4", "e7"]
    assert list(s["n_window"]) == [3, 3, 2]
    assert list(s["smoothed"].round(4)) == [round(-16 / 3, 4), -8.0, -3.0]
    # Without Syria: e1, e2 in January; e7 later.
    assert list(findings.index_history(win(), 30, False)["event_id"]) == ["e1", "e2"]


def test_index_history_without_any_analysed_event_is_empty():
    only_others = events()[lambda e: e["event_id"].isin(["e5", "e6"])]
    w = full_window(event_frame=only_others)
    assert findings.index_history(w, 30, True).empty


def test_monthly_counts_cut_to_the_months_the_window_touches():
    # 15 Jan–1 Feb touches January (e1–e4) and February (e7, on the 1st).
    m = findings.monthly_counts(win("2020-01-15", "2020-02-01"), True)
    assert list(m.index) == [T("2020-01-01"), T("2020-02-01")]
    assert list(m["events"]) == [4, 1] and list(m["q4"]) == [2, 0] and list(m["q3"]) == [1, 1]
    whole = findings.monthly_counts(win("2019-12-01", "2020-03-31"), False)
    assert list(whole["events"]) == [0, 2, 1, 0]  # e1, e2 in January; e7 in February
    assert list(findings.monthly_counts(win("2020-01-16", "2020-01-31"), True).index) == [
        T("2020-01-01")]  # a window inside a month touches that month


def test_overview_figures_without_analysed_events():
    f = findings.overview_figures(win("2020-01-21", "2020-01-31"), 30, True)
    assert (f["events"], f["dyad_events"], f["phases"]) == (2, 0, 1)  # e5, e6; Strain only
    assert f["material_conflict_share"] is None and f["estimate"].n == 0
    assert "index_value" not in f


def test_months_with_events_count_syria_when_it_is_included():
    # Without e1 and e2, January holds only Syria–Turkey events (e3, e4).
    w = full_window(event_frame=events()[lambda e: ~e["event_id"].isin(["e1", "e2"])])
    f = findings.overview_figures(w, 30, True)
    assert (f["dyad_events"], f["months"], f["months_with_events"]) == (2, 1, 1)


def test_overview_sentences_on_january_by_name():
    # A section's parameters as a notebook passes them: strings and numbers.
    params = {"smoothing_window_days": "30", "include_syria": 1}
    first, second, third = strs(findings.named("overview", win(), params))
    assert first == ("<strong>4 of 6 curated events</strong> in 1 Jan 2020 to 31 Jan 2020 "
                     + SET_WORDS)
    # The interval of the mean of four resampled scores (+4, −10, −10, −4): all four −10 has
    # chance 1/16 > 2.5%, so the low end is −10; a mean of 2 or more (three or four draws of
    # +4) has chance 1/256 + 4/256 < 2.5%, a mean of 0.5 or more (adding three +4 and one
    # −10) 13/256 > 2.5%, so the high end is +0.5.
    assert second == ("Their mean Goldstein score is <strong>−5.00</strong> (95% interval "
                      "−10.00 to +0.50, n = 4); 50% of them are material conflict and the net "
                      "cooperation share is −0.50. 1 of 1 month in the window holds at least "
                      "one.")
    assert third == ("On 20 Jan 2020, the last analysed event in the window, the 30-day mean "
                     "of the index stood at <strong>−5.00</strong> over 4 events" + INDEX_TAIL)


def test_overview_of_two_equal_scores_and_a_window_ending_before_an_event():
    # 8–16 Jan holds e2 and e3, both −10: the interval is the point itself. The index on
    # 15 Jan still counts e1 from before the window: (4 − 10 − 10)/3 = −5.33.
    assert strs(findings.overview(win("2020-01-08", "2020-01-16"), 30, True)) == [
        "<strong>2 of 2 curated events</strong> in 8 Jan 2020 to 16 Jan 2020 " + SET_WORDS,
        "Their mean Goldstein score is <strong>−10.00</strong> (95% interval −10.00 to "
        "−10.00, n = 2); 100% of them are material conflict and the net cooperation share "
        "is −1.00. 1 of 1 month in the window holds at least one.",
        "On 15 Jan 2020, the last analysed event in the window, the 30-day mean of the index "
        "stood at <strong>−5.33</strong> over 3 events" + INDEX_TAIL]


def test_overview_of_a_single_event():
    assert strs(findings.overview(win("2020-01-01", "2020-01-06"), 7, True)) == [
        "<strong>1 of 1 curated event</strong> in 1 Jan 2020 to 6 Jan 2020 " + SET_WORDS,
        "Their mean Goldstein score is <strong>+4.00</strong> (n = 1, too few for an "
        "interval); 0% of them are material conflict and the net cooperation share is "
        "+1.00. 1 of 1 month in the window holds at least one.",
        "On 5 Jan 2020, the last analysed event in the window, the 7-day mean of the index "
        "stood at <strong>+4.00</strong> over 1 event" + INDEX_TAIL]


def test_overview_counts_months_with_and_without_events():
    # The whole study period: e1–e4 and e7; December and March are empty. Mean −22/5, 2 of
    # 5 material conflict, net (1 − 4)/5; on 1 Feb the 30 days back reach e1: all five.
    jan_mar = strs(findings.overview(win("2019-12-01", "2020-03-31"), 30, True))
    assert jan_mar[0].startswith("<strong>5 of 7 curated events</strong> in 1 Dec 2019 to "
                                 "31 Mar 2020 ")
    assert re.fullmatch(
        r"Their mean Goldstein score is <strong>−4\.40</strong> \(95% interval −\d+\.\d\d to "
        r"[−+]\d+\.\d\d, n = 5\); 40% of them are material conflict and the net cooperation "
        r"share is −0\.60\. 2 of 4 months in the window hold at least one\.", jan_mar[1])
    assert jan_mar[2] == ("On 1 Feb 2020, the last analysed event in the window, the 30-day "
                          "mean of the index stood at <strong>−4.40</strong> over 5 events"
                          + INDEX_TAIL)


def test_overview_without_syria_and_with_a_15_day_index_by_name():
    # Without Syria: e1, e2; mean −3; the bootstrap of two scores puts a quarter of the
    # means at each of +4 and −10, so the 2.5% and 97.5% points are the scores themselves.
    # The index on 10 Jan over 15 days: e1 and e2, −3.
    params = {"smoothing_window_days": 15, "include_syria": 0}
    assert strs(findings.named("overview", win(), params)) == [
        "<strong>2 of 6 curated events</strong> in 1 Jan 2020 to 31 Jan 2020 " + SET_WORDS,
        "Their mean Goldstein score is <strong>−3.00</strong> (95% interval −10.00 to +4.00, "
        "n = 2); 50% of them are material conflict and the net cooperation share is +0.00. "
        "1 of 1 month in the window holds at least one.",
        "On 10 Jan 2020, the last analysed event in the window, the 15-day mean of the index "
        "stood at <strong>−3.00</strong> over 2 events" + INDEX_TAIL]


def test_overview_of_a_window_without_analysed_events():
    assert strs(findings.overview(win("2020-01-21", "2020-01-31"), 30, True)) == [
        "The window 21 Jan 2020 to 31 Jan 2020 holds 2 events, none of them in the analysed "
        "set (Turkey against the Russian side), so no index can be computed."]


# -- phases ----------------------------------------------------------------------------------

def test_phase_table_counts_each_whole_phase_the_window_touches():
    t = findings.phase_table(win(), True)
    # Quiet winter: e1. Strain, as a whole (to 1 Feb): e2, e3, e4, e7, mean −26/4.
    assert list(t["phase_id"]) == ["quiet", "strain"]
    assert list(t["name"]) == ["Quiet winter", "Strain"]
    assert list(t["duration_days"]) == [40, 23]
    assert list(t["events"]) == [1, 4] and list(t["mean_goldstein"]) == [4.0, -6.5]
    assert list(t["cooperation"]) == [1, 0] and list(t["conflict"]) == [0, 4]
    assert list(t["net_cooperation_share"]) == [1.0, -1.0]
    russia_only = findings.phase_table(win(), False)
    assert list(russia_only["events"]) == [1, 2]  # e2, e7
    assert list(russia_only["mean_goldstein"]) == [4.0, -6.0]


def test_candidates_are_the_curated_starts_after_the_first_and_the_alternatives():
    c = findings.candidates(win(), ["2020-01-15"])
    assert list(c.columns) == ["boundary", "date", "kind"]
    assert c.values.tolist() == [
        ["start of Strain", T("2020-01-10"), "curated"],
        ["start of Thaw", T("2020-02-02"), "curated"],
        ["alternative: 15 Jan 2020", T("2020-01-15"), "alternative"]]
    assert len(findings.candidates(win())) == 2


def test_periodisation_figures_count_the_whole_study_period():
    p = findings.periodisation_figures(win(), True, ["2020-01-15"])
    # December to March; cooperation is QuadClass 1–2, conflict 3–4.
    assert p["months"] == 4 and p["events"] == 5  # e1–e4, e7
    assert list(p["counts"]["cooperation"]) == [0, 1, 0, 0]  # e1
    assert list(p["counts"]["conflict"]) == [0, 3, 1, 0]  # e2–e4; e7
    assert p["breaks"].empty  # four months are too few to split into two of three
    assert list(p["comparison"]["kind"]) == ["curated", "curated", "alternative"]
    assert not p["comparison"]["matched"].any()
    assert findings.periodisation_figures(win(), False)["events"] == 3  # e1, e2, e7


def test_crisis_comparison_on_like_terms_over_whole_phases():
    c = findings.crisis_comparison(win(), False, ["quiet", "missing", "strain"])
    # Strain, 10 Jan–1 Feb: e2 on its first day and e7 on its last are Russia–Turkey;
    # e3, e4 are Syria–Turkey (Syria counted whatever include_syria says); e5 an accident.
    assert c.to_dict("records") == [
        {"phase_id": "quiet", "name": "Quiet winter", "days": 40, "rus_tur_events": 1,
         "rus_tur_material_conflict": 0, "rus_tur_verbal_conflict": 0,
         "rus_tur_cooperation": 1, "syr_tur_material_conflict": 0},
        {"phase_id": "strain", "name": "Strain", "days": 23, "rus_tur_events": 2,
         "rus_tur_material_conflict": 1, "rus_tur_verbal_conflict": 1,
         "rus_tur_cooperation": 0, "syr_tur_material_conflict": 1}]


def test_phases_figures_name_every_phase_too_thin():
    f = findings.phases_figures(win(), True)
    assert f["phases"] == 2 and f["compared"] == {}
    assert f["thin"] == ["Quiet winter", "Strain"]  # 1 and 4 events, under 10
    assert f["most_cooperative"] is None and f["most_conflictual"] is None


def test_phases_findings_on_january_with_the_two_crises_by_name():
    out = strs(findings.named("phases", win(), {
        "include_syria": True, "rupture_phase_ids": ["quiet", "strain"],
        "alternative_boundaries": ["2020-02-01"]}))
    # No phase has ten events: no comparison. No breaks, so no boundary is matched.
    assert out == [
        NO_BREAKS + " The alternative boundary of 1 Feb 2020 does not.",
        "Compared on like terms, direct Russia–Turkey events only: <em>Quiet winter</em> "
        "held 1 event (0 material conflict) in 40 days; <em>Strain</em> held 2 events "
        "(1 material conflict) in 23 days, while the fighting ran between Syrian and Turkish "
        "forces (1 material-conflict events)."]


def test_breaks_are_listed_by_month_and_matched_to_the_boundaries(monkeypatch):
    seen = []

    def found(counts):  # hand-made breaks, in place of the permutation test
        seen.append(counts)
        return pd.DataFrame({"month": [T("2020-01-01"), T("2020-03-01")],
                             "p_value": [0.001, 0.0304]})

    monkeypatch.setattr(periodisation, "breaks", found)
    out = strs(findings.phases_findings(win(), False, (),
                                        ["2020-03-31", "2020-07-01"]))
    # Strain starts 10 Jan, 9 days after the January break; Thaw 2 Feb, 28 days before the
    # March break; 31 Mar is 30 days after it, 1 Jul 122.
    assert out == [
        "A permutation test on the monthly counts of cooperative and conflictual events "
        "(4 months, 999 shuffles) finds 2 breaks that beat noise at p < 0.05: January 2020 "
        "(p = 0.001), March 2020 (p = 0.030). 2 of the 2 curated boundaries lie within 60 "
        "days of one. The alternative boundary of 31 Mar 2020 lies within that distance of "
        "a break. The alternative boundary of 1 Jul 2020 does not."]
    # What the test was given: the two columns, by month, without Syria (e1; e2 and e7).
    assert list(seen[0].columns) == ["cooperation", "conflict"]
    assert seen[0].values.tolist() == [[0, 0], [1, 1], [0, 1], [0, 0]]


def test_one_break_matching_one_boundary(monkeypatch):
    seen = []

    def found(counts):
        seen.append(counts)
        return pd.DataFrame({"month": [T("2020-04-01")], "p_value": [0.02]})

    monkeypatch.setattr(periodisation, "breaks", found)
    # By name without crises or alternatives: the periodisation sentence alone.
    (out,) = strs(findings.named("phases", win(), {"include_syria": 1}))
    # With Syria, January holds e1 (cooperation) and e2–e4 (conflict).
    assert seen[0].values.tolist() == [[0, 0], [1, 3], [0, 1], [0, 0]]
    # 1 Apr: 82 days after Strain's start, 59 after Thaw's.
    assert "finds 1 break that beat noise at p < 0.05: April 2020 (p = 0.020). 1 of the 2 " \
           "curated boundaries lies within 60 days of one." in out


# Phases of 2018, one a month, with ten events or fewer each: constant scores, so every
# mean and interval is known by hand. Five months are too few for a break to be tested.
PHASED = (("calm", "Calm", "2018-01-01", "2018-01-31"),
          ("crisis", "Crisis", "2018-02-01", "2018-02-28"),
          ("mixed", "Mixed", "2018-03-01", "2018-03-31"),
          ("short", "Short & <i>thin</i>", "2018-04-01", "2018-04-30"),
          ("empty", "Empty", "2018-05-01", "2018-05-31"))
SHORT = "<em>Short &amp; &lt;i&gt;thin&lt;/i&gt;</em>"  # the name is text, escaped


def phased(months) -> Window:
    """Russia–Turkey events in 2018, as {month: [(QuadClass, score), ...]}, over `PHASED`,
    the window running from January to the last month given."""
    rows = [(m, q, g) for m, scores in months.items() for q, g in scores]
    frame = pd.DataFrame({
        "event_id": [f"p{i}" for i in range(len(rows))],
        "actor_initiator": ["RUS"] * len(rows), "actor_target": ["TUR"] * len(rows),
        "intent": ["deliberate"] * len(rows),
        "date_best": pd.to_datetime([f"{m}-{i % 28 + 1:02d}" for i, (m, _, _) in
                                     enumerate(rows)]),
        "quad_class": [r[1] for r in rows], "goldstein": [r[2] for r in rows],
        "title": [f"Event p{i}" for i in range(len(rows))]})
    end = (T(f"{max(months)}-01") + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
    return full_window("2018-01-01", end, event_frame=frame, phase_rows=PHASED)


def test_phases_compared_with_a_clear_leader_each_way_and_the_thin_named():
    # Calm: ten +4; Crisis: ten −10; Mixed: five +1 (material cooperation) and five −1,
    # mean 0, whose resampled means lie within ±1, so Calm and Crisis are clear of it.
    # Short has nine events, one short of ten; May (empty) none.
    w = phased({"2018-01": [(1, 4.0)] * 10, "2018-02": [(4, -10.0)] * 10,
                "2018-03": [(2, 1.0)] * 5 + [(3, -1.0)] * 5, "2018-04": [(1, 2.0)] * 9,
                "2018-05": []})
    # Cooperation is QuadClass 1 and 2, conflict 3 and 4, month by month.
    counts = findings.periodisation_figures(w, True)["counts"]
    assert counts.values.tolist() == [[10, 0], [0, 10], [5, 5], [9, 0], [0, 0]]
    f = findings.phases_figures(w, True)
    assert (f["most_cooperative"], f["most_conflictual"]) == ("Calm", "Crisis")
    mixed = findings.crisis_comparison(w, True, ["mixed"]).iloc[0]
    assert (mixed["rus_tur_cooperation"], mixed["rus_tur_verbal_conflict"]) == (5, 5)
    assert strs(findings.phases_findings(w, True)) == [
        "Among the 3 phases with at least 10 analysed events, <em>Calm</em> is the most "
        "cooperative (mean +4.00, 95% interval +4.00 to +4.00, n = 10), clear of "
        "<em>Mixed</em> (+0.00); <em>Crisis</em> is the most conflictual (mean −10.00, 95% "
        "interval −10.00 to −10.00, n = 10), clear of <em>Mixed</em> (+0.00). " + SHORT + ", "
        "<em>Empty</em> hold too few events to be compared (n = 9; n = 0).",
        "A permutation test on the monthly counts of cooperative and conflictual events "
        "(5 months, 999 shuffles) finds 0 breaks that beat noise at p < 0.05: none. 0 of the "
        "4 curated boundaries lie within 60 days of one."]


def test_two_tied_phases_cannot_be_told_apart_either_way_and_one_thin_phase_holds():
    # Calm and Crisis: ten +4 each, a difference of 0 on every resample; Mixed: nine events.
    w = phased({"2018-01": [(1, 4.0)] * 10, "2018-02": [(1, 4.0)] * 10,
                "2018-03": [(1, 2.0)] * 9})
    tie = ("the data cannot tell whether <em>Calm</em> (mean +4.00) or <em>Crisis</em> "
           "(mean +4.00) is the most {}: the interval of their difference includes zero")
    assert str(findings.phases_findings(w, True)[0]) == (
        "Among the 2 phases with at least 10 analysed events, " + tie.format("cooperative")
        + "; " + tie.format("conflictual") + ". <em>Mixed</em> holds too few events to be "
        "compared (n = 9).")


# -- Idlib -----------------------------------------------------------------------------------

def test_escalation_readings_by_date_then_source_with_publisher_and_affiliation():
    w = with_figures([("e3", "ngo", "displaced", NA, 5, NA, "2020-01-02", NA, NA, None)])
    r = findings.escalation_readings(w, "displaced")
    # On 2 Jan un1 and (listed later) the NGO both read: by source, ngo first; then 22 Jan
    # (un1), 28 Jan (un2), 29 Jan (ngo).
    assert list(r["source_id"]) == ["ngo", "un1", "un1", "un2", "ngo"]
    assert list(r["low"]) == [5, 90, 100, 300, 1000] and list(r["high"]) == [5, 90, 200, 300,
                                                                             1000]
    assert list(r["publisher"])[:2] == ["Publisher ngo", "Publisher un1"]
    assert list(r["affiliation"])[-1] == "independent"


def test_publisher_without_the_way_we_read_it():
    w = win()
    assert findings.publisher(w, "wire") == "Publisher wire"
    s = w.ds.sources.copy()
    s.loc[s["source_id"] == "wire", "publisher"] = "Anadolu Agency (via Daily Sabah)"
    s.loc[s["source_id"] == "off", "publisher"] = "Reuters (English edition)"
    w2 = dataclasses.replace(w, ds=dataclasses.replace(w.ds, sources=s))
    assert findings.publisher(w2, "wire") == "Anadolu Agency"
    assert findings.publisher(w2, "off") == "Reuters"


TWO_INCIDENTS = ((T("2020-01-10"), 3.0), (T("2020-01-15"), 5.0))


def bounded(rows, **columns) -> pd.DataFrame:
    """Readings with their bounds from (source, best, low, high, date, ...) tuples; `columns`
    are the builder's own, placed before the (empty) qualifier."""
    def ints(i):
        return pd.array([r[i] for r in rows], dtype="Int64")
    return pd.DataFrame({
        "source_id": [r[0] for r in rows], "value_best": ints(1), "low": ints(2),
        "high": ints(3), "date_ref": pd.to_datetime([r[4] for r in rows]), **columns,
        "qualifier": pd.array([NA] * len(rows), dtype=object)})


def tally_figures(tallies, history=TWO_INCIDENTS) -> dict:
    """A hand-made `f` for `reconciliation`: tallies as (source, best, low, high, date, from,
    official) and incidents as (date, headline)."""
    t = bounded(tallies, counted_from=pd.to_datetime([r[5] for r in tallies]),
                official=[r[6] for r in tallies])
    h = pd.DataFrame({"date_best": [d for d, _ in history], "headline": [v for _, v in history]})
    return {"tallies": t, "history": h}


def test_reconciliation_sets_the_tally_beside_the_headlines_and_names_the_gap():
    w = win()
    # The late source (grade B) counts 50 (of a range 45 to 55: the stated number counts)
    # from 1 to 25 Jan; the blog (grade E) is later and higher but worse graded. Incidents
    # 10 and 15 Jan: 3 + 5 = 8; 50 − 8 = 42.
    f = tally_figures([("late", 50, 45, 55, "2020-01-25", "2020-01-01", False),
                       ("blog", 90, 90, 90, "2020-01-28", "2020-01-01", False)])
    assert str(findings.reconciliation(w, f)) == (
        "The latest running tally of the best-graded sources counts 50 Turkish soldiers "
        "killed from 1 Jan 2020 to 25 Jan 2020 (Publisher late); over the same days the "
        "headlines of the 2 incidents the dataset holds add up to 8. The difference of 42 is "
        "deaths the tally counts that the dataset does not record as incidents (soldiers "
        "killed in attacks it does not hold, or wounded who died later).")


def test_reconciliation_takes_the_higher_of_two_same_day_tallies_and_the_span_inclusive():
    w = win()
    # Two B-graded tallies on 25 Jan, listed higher first: the 2,000 is the later one.
    # Incidents on 10 Jan (the first counted day) and 25 Jan (the last) count; 9 Jan and
    # 26 Jan do not: 300 + 466 = 766, and 2,000 − 766 = 1,234.
    f = tally_figures([("late", 2000, 2000, 2000, "2020-01-25", "2020-01-10", True),
                       ("wire", 1500, 1500, 1500, "2020-01-25", "2020-01-10", False)],
                      history=((T("2020-01-09"), 7.0), (T("2020-01-10"), 300.0),
                               (T("2020-01-25"), 466.0), (T("2020-01-26"), 11.0)))
    assert str(findings.reconciliation(w, f)) == (
        "The latest running tally of the best-graded sources counts 2,000 Turkish soldiers "
        "killed from 10 Jan 2020 to 25 Jan 2020 (Publisher late, an official figure); over "
        "the same days the headlines of the 2 incidents the dataset holds add up to 766. "
        "The difference of 1,234 is deaths the tally counts that the dataset does not record "
        "as incidents (soldiers killed in attacks it does not hold, or wounded who died "
        "later).")


def test_reconciliation_of_a_lower_or_equal_tally_and_of_a_range():
    w = win()
    # A range 4 to 6 without a stated number is read at its low end, 4 < 8.
    lower = tally_figures([("wire", None, 4, 6, "2020-01-20", "2020-01-01", False)])
    assert str(findings.reconciliation(w, lower)) == (
        "The latest running tally of the best-graded sources counts 4 to 6 Turkish soldiers "
        "killed from 1 Jan 2020 to 20 Jan 2020 (Publisher wire); over the same days the "
        "headlines of the 2 incidents the dataset holds add up to 8. The tally is lower than "
        "the headlines: it was counted before later readings raised them.")
    # Two tallies of one day, one a range 4 to 60: read at its low end, 4, it is below the
    # other's 5, so the 5 is the later count.
    same_day = tally_figures([("wire", None, 4, 60, "2020-01-20", "2020-01-01", False),
                              ("late", 5, 5, 5, "2020-01-20", "2020-01-01", False)])
    assert "counts 5 Turkish soldiers killed" in str(findings.reconciliation(w, same_day))
    # 8 against 8 (and one incident from 12 Jan: 5 against 5): nothing more to say.
    equal = tally_figures([("wire", 8, 8, 8, "2020-01-20", "2020-01-01", False)])
    assert str(findings.reconciliation(w, equal)).endswith("add up to 8.")
    one = tally_figures([("wire", 5, 5, 5, "2020-01-20", "2020-01-12", False)])
    assert str(findings.reconciliation(w, one)).split("; over the same days ")[1] == (
        "the headlines of the 1 incident the dataset holds add up to 5.")


def test_reconciliation_needs_a_tally_that_says_where_it_counts_from():
    w = win()
    assert findings.reconciliation(w, tally_figures(
        [("late", 50, 50, 50, "2020-01-25", None, False)])) is None
    assert findings.reconciliation(w, tally_figures([])) is None


JANUARY_COST = [
    "By the headline rule, <strong>8 Turkish soldiers</strong> were killed in 2 incidents from "
    "1 Jan 2020 to 31 Jan 2020. 5 of them died in one incident, <em>Event e3</em> on 15 Jan "
    "2020, whose readings run from 5 to 7 across 2 sources (0 first counts superseded).",
    "The latest running tally of the best-graded sources counts 50 Turkish soldiers killed "
    "from 1 Jan 2020 to 25 Jan 2020 (Publisher late); over the same days the headlines of the "
    "2 incidents the dataset holds add up to 8. The difference of 42 is deaths the tally "
    "counts that the dataset does not record as incidents (soldiers killed in attacks it does "
    "not hold, or wounded who died later).",
    # Civilians: un1 40 (22 Jan), un2 50 to 70 (28 Jan), the NGO 120 (29 Jan); the UN's last.
    "Civilian deaths: 3 readings from 3 sources, each for its own period and never added up; "
    "the latest United Nations reading counts 50 to 70 killed (Publisher un2, 28 Jan 2020).",
    # The displaced: the UN's of the last week before 28 Jan: 100 to 200, and 300.
    "By 28 Jan 2020, the people displaced in north-west Syria since December 2019 numbered "
    "between 100 to 200 (Publisher un1) and 300 (Publisher un2), by 2 readings of the last "
    "week.",
    # e3 (Turkey the target): Russia by the observatory (twice relayed, once counted), a
    # Turkish official and the Turkish Foreign Ministry; the Syrian government by the
    # ministry. e4 (Turkey not the target), e6 (no Russian claim), e7 (February): none.
    "Who struck is disputed for <em>Event e3</em>: Russia by 3 claimants (Monitors and "
    "rescuers 1, Turkish officials 2); the Syrian government by 1 claimant (Turkish officials "
    "1); each claimant is counted once, however many outlets relayed the claim."]


def civilians(*rows) -> dict:
    """A hand-made `f` for `cost_findings` holding only readings of civilian deaths, as
    (source, best, low, high, date, note); no incident, tally, displaced or claim."""
    c = bounded(rows, note=pd.array([r[5] for r in rows], dtype=object))
    c = c.join(_dataset().sources.set_index("source_id")[["publisher", "affiliation"]],
               on="source_id")
    claims = pd.DataFrame(columns=["event_id", "title", "claimed_initiator", "side"])
    return {"incidents": pd.DataFrame(), "biggest": None, "civilians": c,
            "tallies": tally_figures([])["tallies"], "history": tally_figures([])["history"],
            "displaced": c.iloc[0:0], "claims": claims}


def test_civilian_deaths_two_readings_never_added_up_the_latest_un_one_stated():
    # Two readings, each of its own period; the NGO's is later, the UN's (un2) is stated.
    f = civilians(("un2", 12, 12, 12, "2020-01-20", "Since 1 January."),
                  ("ngo", 30, 30, 30, "2020-01-21", NA))
    assert strs(findings.cost_findings(win(), f)) == [
        "Civilian deaths: 2 readings from 2 sources, each for its own period and never added "
        "up; the latest United Nations reading counts 12 killed (Publisher un2, 20 Jan 2020: "
        "Since 1 January)."]
    # One source's two readings: the later one, without a note, stated.
    f = civilians(("un1", 12, 12, 12, "2020-01-20", "Since 1 January."),
                  ("un1", 15, 15, 15, "2020-01-21", NA))
    assert strs(findings.cost_findings(win(), f)) == [
        "Civilian deaths: 2 readings from 1 source, each for its own period and never added "
        "up; the latest United Nations reading counts 15 killed (Publisher un1, 21 Jan 2020)."]


def test_cost_findings_of_a_window_without_incidents():
    # 24–26 Jan: e6 alone, no reading of an incident, so no losses sentence; the tally of
    # 25 Jan falls inside, set beside the incidents known by the window's end (10, 15 Jan).
    assert strs(findings.cost_findings(win("2020-01-24", "2020-01-26"))) == [JANUARY_COST[1]]


def test_idlib_findings_by_name_to_28_january():
    out = strs(findings.named("idlib", win("2020-01-01", "2020-01-28"), {}))
    # e1–e6; all but e6 (month only) dated to the day, e2 by its exact date; e1–e4 analysed.
    # Losses, tally, the displaced and the dispute as in January. Civilians: un1's 40 of
    # 22 Jan and un2's 50 to 70 of 28 Jan, the later stated.
    assert out == [
        "The window holds <strong>6 events</strong>, 5 of them dated to the day; 4 are in the "
        "analysed set.",
        JANUARY_COST[0].replace("31 Jan 2020", "28 Jan 2020"), JANUARY_COST[1],
        "Civilian deaths: 2 readings from 2 sources, each for its own period and never added "
        "up; the latest United Nations reading counts 50 to 70 killed (Publisher un2, 28 Jan "
        "2020).", JANUARY_COST[3], JANUARY_COST[4]]


def test_a_superseded_count_no_headline_no_un_reading_and_an_incident_after_the_window():
    # From 10 Jan: the ministry's 5 for e3 replaced by the wire's 7 (graded B, the median of
    # one); e2 read by the blog alone (ungraded): no headline; no UN reading; a reading two
    # days before e7 (1 Feb), known in January, of an incident after the window.
    w = with_figures([("e7", "wire", "killed_turkish_military", NA, 9, NA, "2020-01-30", NA,
                       NA, None)], start="2020-01-10",
                     drop=("un1", "un2"), supersede={"off": "wire"}, e2_only_blog=True)
    f = findings.idlib_figures(w)
    # e1–e6 from 10 Jan: e2, e3, e4, e5, e6; day-dated e2 (exact), e3, e4, e5; analysed e2–e4.
    assert (f["events"], f["day_precision"], f["analysed"]) == (5, 4, 3)
    assert list(f["readings"]["source_id"]) == ["off", "wire", "blog"]  # not the tally
    assert list(f["incidents"]["event_id"]) == ["e2", "e3"]
    assert list(f["history"]["event_id"]) == ["e3", "e7"]  # with a headline, known by 31 Jan
    assert f["biggest"]["event_id"] == "e3"
    assert list(f["tallies"]["source_id"]) == ["late"]
    assert list(f["civilians"]["source_id"]) == ["ngo"]
    assert set(f["claims"]["event_id"]) == {"e3", "e4", "e6"}  # the disputed from 10 Jan
    assert f["without_headline"] == 1 and f["total"] == 7.0
    # The running total from e2's day (no headline: 0), e3's 7, to the window's end; not e7.
    assert f["cumulative"].values.tolist() == [[T("2020-01-10"), 0.0], [T("2020-01-15"), 7.0],
                                               [T("2020-01-31"), 7.0]]
    assert strs(findings.cost_findings(w, f)) == [
        "By the headline rule, <strong>7 Turkish soldiers</strong> were killed in 2 incidents "
        "from 10 Jan 2020 to 31 Jan 2020. 7 of them died in one incident, <em>Event e3</em> on "
        "15 Jan 2020, whose readings run from 5 to 7 across 2 sources (1 first count "
        "superseded).",
        # The tally's 1–25 Jan hold e3 alone with a headline: 50 − 7 = 43.
        "The latest running tally of the best-graded sources counts 50 Turkish soldiers killed "
        "from 1 Jan 2020 to 25 Jan 2020 (Publisher late); over the same days the headlines of "
        "the 1 incident the dataset holds add up to 7. The difference of 43 is deaths the "
        "tally counts that the dataset does not record as incidents (soldiers killed in "
        "attacks it does not hold, or wounded who died later).",
        # No UN reading of civilians: no sentence on them. The displaced: the NGO's 1,000.
        "By 29 Jan 2020, the people displaced in north-west Syria since December 2019 numbered "
        "1,000 (Publisher ngo), by 1 reading of the last week.",
        JANUARY_COST[-1]]


def test_what_was_known_by_15_january():
    w = win("2020-01-01", "2020-01-15")
    f = findings.idlib_figures(w)
    # The wire (published 16 Jan) is not known yet: e2 is the median of wire2's 4 (graded C;
    # the blog's 40 is ungraded), e3 the ministry's 5, on the window's last day: 4 + 5.
    assert f["cumulative"].values.tolist() == [[T("2020-01-10"), 4.0], [T("2020-01-15"), 9.0]]
    # No tally yet, no civilians, and un1's displaced of 2 Jan is published on 22 Jan; the
    # dispute over e3 stands.
    assert strs(findings.cost_findings(w, f)) == [
        "By the headline rule, <strong>9 Turkish soldiers</strong> were killed in 2 incidents "
        "from 1 Jan 2020 to 15 Jan 2020. 5 of them died in one incident, <em>Event e3</em> on "
        "15 Jan 2020, whose readings run from 5 to 5 across 1 source (0 first counts "
        "superseded).", JANUARY_COST[-1]]


# -- by name, and the summary ----------------------------------------------------------------

def test_named_findings_of_an_empty_window_and_an_unknown_name():
    assert list(findings.BY_NAME) == ["overview", "phases", "idlib"]
    for name in findings.BY_NAME:  # March holds no event: no findings, whatever the name
        assert findings.named(name, win("2020-03-01", "2020-03-31"), {}) == []
    with pytest.raises(ValueError) as err:
        findings.named("costs", win(), {})
    assert str(err.value) == "no findings called 'costs'; there are overview, phases, idlib"


def test_summary_joins_the_findings_or_says_why_there_are_none():
    w = win()
    s = findings.summary(w, [Markup("<em>One</em>."), "Two & three."])
    assert isinstance(s, Markup)
    assert str(s) == ("<p><strong>Summary, 1 Jan 2020 to 31 Jan 2020.</strong> <em>One</em>. "
                      "Two &amp; three.</p>")
    assert str(findings.summary(win("2020-03-01", "2020-03-31"), [])) == (
        "<p><strong>No events in the window 1 Mar 2020 to 31 Mar 2020. The dataset runs from "
        "5 Jan 2020 to 1 Feb 2020; choose start_date and end_date inside that span."
        "</strong></p>")
