"""The analysts' words for one window, on the hand-made window of tests/handmade.py: which parts
an edition shows, which it withholds and why, and the numbers filled in."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from handmade import once_per_run, window

from rusturk.analysis import judgements
from rusturk.data.narrative import Check, Holds, Level, Narrative, Part

D = dt.date
T = pd.Timestamp


def _judgement(id_, text, covers, checks=(), known_from=None, sources=("wire",)):
    return Part(text, ["e2"], list(sources), id=id_, confidence="moderate",
                covers=(D(*covers[0]), D(*covers[1])), checks=tuple(checks),
                known_from=known_from)


JANUARY = ((2020, 1, 1), (2020, 1, 31))
HOLDS_E2 = Check(holds=Holds(events=["e2"]))
HOLDS_E7 = Check(holds=Holds(events=["e7"]))  # e7 is dated 1 February


def _narrative() -> Narrative:
    return Narrative(
        scale={"moderate": Level(meaning="m", min_publishers=1, grades=["B"])},
        judgements=[
            _judgement("shown", "{rus_tur_conflict} by {date:e2}; {interval:turkish_deaths}",
                       JANUARY, [HOLDS_E2, Check(sign="turkish_deaths", **{"is": "positive"})]),
            _judgement("fails", "{analysed_events}", JANUARY, [HOLDS_E7]),
            _judgement("february", "{analysed_events}", ((2020, 2, 1), (2020, 2, 29))),
            _judgement("written-later", "{analysed_events}", JANUARY,
                       known_from=D(2020, 2, 15)),
            _judgement("no-incident", "{deadliest_headline}", ((2020, 1, 1), (2020, 1, 8))),
            _judgement("unsupported", "{analysed_events}", JANUARY, sources=("blog",)),
        ],
        bottom_line=[
            Part("narrow {analysed_events}", [], [], covers=(D(2020, 1, 1), D(2020, 1, 15)),
                 checks=(HOLDS_E2,)),
            Part("wide {analysed_events}", [], [], covers=(D(2020, 1, 1), D(2020, 1, 31)),
                 checks=(HOLDS_E7,)),
            Part("too wide", [], [], covers=(D(2019, 12, 1), D(2020, 1, 31))),
            Part("narrowest {analysed_events}", [], [],
                 covers=(D(2020, 1, 1), D(2020, 1, 5))),
        ],
        background=[
            Part("{analysed_events} acts", [], [], heading="Context"),
            Part("later", [], [], heading="Later", known_from=D(2020, 3, 1)),
            Part("after e7", ["e7"], [], heading="After e7"),
        ],
        watch=[
            Part("{displaced} displaced", [], [], heading="Displacement",
                 bears_on=("shown", "fails")),
            Part("{deadliest_headline} is missing", [], [], heading="Missing",
                 checks=(HOLDS_E7,)),
        ],
        glossary={"always": "known", "later": "not yet"},
        glossary_known_from={"later": D(2020, 3, 1)})


@once_per_run
def _edition() -> judgements.Edition:
    # Called in each test, not a fixture: under mutation testing each test computes it anew.
    return judgements.for_window(window(), narrative=_narrative())


def test_a_judgement_whose_checks_hold_is_shown_filled_in_in_january():
    edition = _edition()
    (shown,) = edition.judgements
    assert shown.id == "shown"
    # One Russia–Turkey material-conflict act (e2), dated 10 January; two incidents.
    assert shown.text == "1 by 10 Jan 2020; n = 2"


def test_failed_checks_and_missing_quantities_withhold_a_judgement_in_january():
    edition = _edition()
    withheld = dict(edition.withheld)
    assert withheld["fails"] == [
        "fails: the window holds e7 fails (missing event e7)"]
    # Support is judged by the period's end: the wire, published on 16 January, came later.
    assert withheld["no-incident"] == [
        "no-incident: moderate confidence's support fails (0 distinct publishers graded B; "
        "1 required)",
        "no-incident: no quantity deadliest_headline in 1 Jan 2020 to 8 Jan 2020"]
    assert withheld["unsupported"] == [
        "unsupported: moderate confidence's support fails (0 distinct publishers graded B; "
        "1 required)"]


def test_judgements_outside_the_window_or_written_later_are_left_out_in_january():
    edition = _edition()
    named = {j.id for j in edition.judgements} | {name for name, _ in edition.withheld}
    assert "february" not in named and "written-later" not in named


def test_the_bottom_line_is_the_widest_period_whose_checks_hold_in_january():
    edition = _edition()
    assert edition.bottom_line is not None
    assert edition.bottom_line.text == "narrow 3"  # e1–e3 by 15 January; wide fails on e7


def test_background_and_watch_filled_from_the_whole_window_in_january():
    edition = _edition()
    assert [p.text for p in edition.background] == ["4 acts"]
    assert [p.text for p in edition.watch] == ["300 displaced"]
    assert edition.watch[0].bears_on == ("shown",)  # "fails" is not shown
    assert ("Missing", ["Missing: the window holds e7 fails (missing event e7)",
                        "Missing: no quantity deadliest_headline"]) not in edition.withheld
    assert dict(edition.withheld)["Missing"] == [
        "Missing: the window holds e7 fails (missing event e7)"]


def test_glossary_terms_known_by_the_end_in_january():
    edition = _edition()
    assert edition.glossary == {"always": "known"}


def test_the_stated_quantities_are_those_the_shown_parts_cite_in_january():
    edition = _edition()
    stated = {(s.period, s.quantity.name) for s in edition.stated}
    assert stated == {("1 Jan 2020 to 31 Jan 2020", "rus_tur_conflict"),
                      ("1 Jan 2020 to 31 Jan 2020", "turkish_deaths"),
                      ("1 Jan 2020 to 15 Jan 2020", "analysed_events"),
                      ("1 Jan 2020 to 31 Jan 2020", "analysed_events"),
                      ("1 Jan 2020 to 31 Jan 2020", "displaced")}


def test_every_check_is_kept_as_an_outcome_in_january():
    edition = _edition()
    claims = [o.claim for o in edition.outcomes]
    assert claims.count("shown") == 3  # two checks and the support
    assert "bottom line" in claims


def test_an_unknown_name_stops_the_edition_before_any_number():
    narrative = _narrative()
    narrative.watch.append(Part("{no_such_number}", [], [], heading="Bad"))
    with pytest.raises(judgements.PlaceholderError, match=r"\{no_such_number\} is not a "):
        judgements.for_window(window(), narrative=narrative)
    narrative.watch[-1] = Part("{interval:ged_anything} {interval:mean_score}", [], [],
                               heading="Fine")
    judgements.for_window(window(), narrative=narrative)  # ged_ names may be absent


def test_known_from_is_the_parts_date_else_its_latest_event():
    dates = pd.Series({"a": T("2020-01-05"), "b": T("2020-01-20"), "c": pd.NaT})
    assert judgements.known_from(Part("", ["a", "b", "c", "z"], []), dates) == T("2020-01-20")
    assert judgements.known_from(Part("", ["a"], [], known_from=D(2019, 1, 2)), dates) == T(
        "2019-01-02")
    assert judgements.known_from(Part("", ["z", "c"], []), dates) is None


def test_used_names_each_quantity_once_in_order_without_dates():
    assert judgements.used("{b} {interval:a} {date:e1} {b} {c}") == ["b", "a", "c"]


JUDGEMENTS_YAML = """\
scale:
  high: {meaning: "well supported", min_publishers: 2, grades: [A, B]}
  moderate: {meaning: "supported", min_publishers: 2, grades: [A, B, C]}
  low: {meaning: "plausible", min_publishers: 1, grades: [A, B, C, D]}
judgements:
  - id: kj-holds
    covers: [2016-05-01, 2016-06-30]
    confidence: low
    text: "{analysed_events} acts"
    rests_on: {events: [test-clash], sources: [test-article]}
    checks: [{holds: {events: [test-clash]}}]
  - id: kj-fails
    covers: [2016-05-01, 2016-05-31]
    confidence: low
    text: "{syr_tur_conflict} acts"
    rests_on: {events: [test-clash], sources: [test-article]}
    checks: [{holds: {events: [test-clash]}}]
"""


def test_check_all_names_each_failing_judgement_on_its_own_period(data_dir):
    from rusturk.analysis.window import Window

    (data_dir / "judgements.yaml").write_text(JUDGEMENTS_YAML, encoding="utf-8")
    w = Window.load(str(data_dir), "2016-05-01", "2016-06-30")
    failed = judgements.check_all(w)
    # kj-fails covers May: the clash of 3 June is outside it, and the article it cites was
    # published on 4 June, after May's end.
    assert [(part.id, lines) for part, lines in failed] == [("kj-fails", [
        "kj-fails: the window holds test-clash fails (missing event test-clash)",
        "kj-fails: low confidence's support fails (0 distinct publishers graded A/B/C/D; "
        "1 required)"])]


def test_a_period_uses_what_the_edition_knew_by_its_own_end():
    # The wire's reading of e3 (7 killed) is dated 16 January, after a period ending on the
    # 15th, and is used in an edition running to the 31st: a later reading of an incident in
    # the period counts.
    narrative = Narrative(judgements=[_judgement(
        "early", "{deadliest_high}", ((2020, 1, 1), (2020, 1, 15)), sources=())])
    (shown,) = judgements.for_window(window(), narrative=narrative).judgements
    assert shown.text == "7"
