"""Each validation rule, on a small valid dataset with one thing broken."""

from __future__ import annotations

import pytest

from rusturk.common.problems import Problem
from rusturk.data.validate import validate


def messages(data_dir) -> list[str]:
    return [str(p) for p in validate(data_dir).problems]


def only(data_dir) -> Problem:
    problems = validate(data_dir).problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_fixture_dataset_is_valid(data_dir):
    assert messages(data_dir) == []


# -- files -----------------------------------------------------------------------------------

def test_missing_file(data_dir):
    (data_dir / "figures.csv").unlink()
    problem = only(data_dir)
    assert problem.file.endswith("figures.csv") and problem.row == 1
    assert "file not found" in problem.message and "value_best" in problem.message


def test_empty_file(data_dir):
    (data_dir / "phases.csv").write_text("", encoding="utf-8")
    problems = validate(data_dir).problems
    assert any(p.file.endswith("phases.csv") and "file is empty" in p.message
               for p in problems)


def test_header_only(data_dir):
    (data_dir / "figures.csv").write_text(
        (data_dir / "figures.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
        encoding="utf-8")
    problem = only(data_dir)
    assert "header but no data rows" in problem.message


def test_not_utf8_names_the_line(data_dir):
    path = data_dir / "events.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"A synthetic clash.", b"A synth\xe9tic clash.")
    path.write_bytes(b"\n".join(lines))
    problem = only(data_dir)
    assert problem.row == 3 and "not valid UTF-8 (byte 0xe9)" in problem.message


def test_missing_and_unknown_columns(data_dir):
    path = data_dir / "sources.csv"
    text = path.read_text(encoding="utf-8").replace("publisher,", "publsher,", 1)
    path.write_text(text, encoding="utf-8")
    found = {(p.column, p.message.split(";")[0]) for p in validate(data_dir).problems}
    assert ("publsher", "unknown column") in found
    assert ("publisher", "missing column") in found


def test_typed_goldstein_column_in_events_is_refused(data_dir):
    path = data_dir / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",goldstein"
    lines[1:] = [line + ",5" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = only(data_dir)
    assert (problem.row, problem.column) == (1, "goldstein")


def test_wrong_field_count(data_dir):
    path = data_dir / "cameo.csv"
    path.write_text(path.read_text(encoding="utf-8") + "999,extra\n", encoding="utf-8")
    problem = only(data_dir)
    assert problem.row == 4 and "expected 7 fields, found 2" in problem.message


# -- cells -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("table", "index", "column", "value", "expected"),
    [
        ("events", 1, "date", "2016-13-01", "expected date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("events", 1, "date", "3 June 2016", "expected date"),
        ("sources", 0, "access_date", "2026-02-30", "expected date (YYYY-MM-DD)"),
        ("events", 0, "category", "cultural", "expected one of: diplomatic, economic"),
        ("events", 0, "actor_target", "Turkey", "expected one of: RUS, TUR"),
        ("phases", 1, "phase_id", "Phase Two", "expected slug"),
        ("events", 1, "latitude", "135.8", "expected a value from -90 to 90"),
        ("events", 1, "longitude", "east", "expected decimal number"),
        ("figures", 0, "value_best", "7.5", "expected integer"),
        ("figures", 0, "value_best", "-1", "expected a value from 0 to 10,000,000,000"),
        ("figures", 0, "measure", "dead", "expected one of: killed_turkish_military"),
        ("cameo", 0, "goldstein", "11", "expected a value from -10 to 10"),
        ("events", 1, "source_ids", "test-article;test-article", "listed twice"),
        ("events", 0, "title", "", "required value is missing"),
    ],
)
def test_cell_rules(data_dir, edit, table, index, column, value, expected):
    edit(table, index, column, value)
    problem = only(data_dir)
    assert problem.file.endswith(f"{table}.csv")
    assert problem.row == index + 2  # header is line 1
    assert problem.column == column
    assert expected in problem.message


def test_duplicate_id(data_dir, edit):
    edit("events", 1, "event_id", "test-accord")
    found = [p for p in validate(data_dir).problems
             if p.column == "event_id" and p.file.endswith("events.csv")]
    assert len(found) == 1 and found[0].row == 3 and "duplicate value 'test-accord'" in (
        found[0].message)


def test_every_problem_is_reported_not_just_the_first(data_dir, edit):
    edit("events", 0, "category", "cultural")
    edit("sources", 1, "kind", "blog")
    edit("figures", 1, "qualifier", "roughly")
    assert len(validate(data_dir).problems) == 3


# -- across columns and tables ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("table", "index", "column", "value", "expected"),
    [
        ("events", 1, "source_ids", "test-article;nowhere", "unknown source_id 'nowhere'"),
        ("events", 0, "cameo_code", "0999", "unknown cameo_code '0999'; it is not in cameo.csv"),
        ("figures", 0, "event_id", "no-such-event", "unknown event_id 'no-such-event'"),
        ("phases", 1, "opening_event_id", "ghost", "unknown event_id 'ghost'"),
        ("cameo", 1, "goldstein_source_id", "nope", "unknown source_id 'nope'"),
    ],
)
def test_references(data_dir, edit, table, index, column, value, expected):
    edit(table, index, column, value)
    problem = only(data_dir)
    assert (problem.row, problem.column) == (index + 2, column)
    assert expected in problem.message


def test_date_must_match_its_precision(data_dir, edit):
    edit("events", 1, "date_precision", "month")
    problem = only(data_dir)
    assert problem.column == "date" and "written at day precision" in problem.message


def test_date_outside_study_period(data_dir, edit):
    edit("figures", 0, "as_of", "2017-06-03")
    problem = only(data_dir)
    assert problem.column == "as_of" and "outside the study period 2016-05-01 to 2016-06-30" in (
        problem.message)


def test_exact_date_outside_its_month(data_dir, edit):
    edit("events", 0, "exact_date", "2016-06-10")
    messages_ = [p.message for p in validate(data_dir).problems if p.column == "exact_date"]
    assert messages_ == ["'2016-06-10' is not inside the period of date '2016-05'"]


def test_exact_date_needs_its_source(data_dir, edit):
    edit("events", 0, "exact_date_source_id", "")
    problem = only(data_dir)
    assert problem.column == "exact_date_source_id" and "required when" in problem.message


def test_coordinates_come_in_pairs(data_dir, edit):
    edit("events", 1, "longitude", "")
    problem = only(data_dir)
    assert problem.column == "longitude"


def test_value_order(data_dir, edit):
    edit("figures", 1, "value_low", "8")
    problem = only(data_dir)
    assert problem.column == "value_low" and "greater than value_best 6" in problem.message


def test_phases_must_be_contiguous(data_dir, edit):
    edit("phases", 1, "start", "2016-06-02")
    problems = validate(data_dir).problems
    assert any(p.column == "start" and "leaves a gap" in p.message for p in problems)


def test_phases_must_not_overlap(data_dir, edit):
    edit("phases", 0, "end", "2016-06-05")
    problems = validate(data_dir).problems
    assert any(p.column == "start" and "overlaps phase 'p-one'" in p.message for p in problems)


def test_phase_end_before_start(data_dir, edit):
    edit("phases", 1, "end", "2016-05-15")
    assert any(p.column == "end" and "before start" in p.message
               for p in validate(data_dir).problems)


def test_quad_class_must_follow_root_code(data_dir, edit):
    edit("cameo", 1, "quad_class", "3")
    problem = only(data_dir)
    assert problem.column == "quad_class" and "so QuadClass 4" in problem.message


def test_evidence_must_be_verbatim_in_raw_article(data_dir, edit):
    edit("events", 0, "evidence", "In May 2016, Alpha and Beta signed a test accord.")
    problem = only(data_dir)
    assert (problem.row, problem.column) == (2, "evidence")
    assert "not found verbatim" in problem.message


def test_evidence_match_ignores_whitespace_only(data_dir, edit):
    edit("figures", 0, "evidence", "a test\nclash leaves  around 7 dead")
    assert messages(data_dir) == []
    edit("figures", 0, "evidence", "a test clash leaves around 8 dead")
    assert only(data_dir).column == "evidence"


def test_problem_line_format(data_dir, edit):
    edit("events", 1, "category", "cultural")
    line = messages(data_dir)[0]
    assert line.endswith("events.csv:3: category: expected one of: diplomatic, economic, "
                         "energy, military, security, humanitarian; got 'cultural'")


def test_range_without_best_value_is_allowed_but_not_nothing(data_dir, edit):
    edit("figures", 1, "value_best", "")
    assert messages(data_dir) == []  # low 5 and high 9 remain
    edit("figures", 1, "value_high", "")
    problem = only(data_dir)
    assert problem.column == "value_best" and "unless both value_low and value_high" in (
        problem.message)


def test_composite_key_must_be_unique(data_dir, edit):
    edit("figures", 0, "source_id", "test-codebook")
    problem = only(data_dir)
    assert (problem.row, problem.column) == (3, "-") and "same event_id" in problem.message


def test_month_event_placed_outside_study_period(data_dir, edit):
    # "2016-05" with no pinned day sits on 16 May; move the study start past it.
    edit("events", 0, "exact_date", "")
    edit("events", 0, "exact_date_source_id", "")
    edit("events", 0, "exact_date_evidence", "")
    assert messages(data_dir) == []
    edit("phases", 0, "start", "2016-05-20")
    found = {(p.file.rsplit("/", 1)[-1], p.column) for p in validate(data_dir).problems}
    assert found == {("events.csv", "date"), ("phases.csv", "opening_event_id")}
    event = next(p for p in validate(data_dir).problems if p.column == "date")
    assert "placed on 2016-05-16, outside the study period" in event.message


# -- codebook rules --------------------------------------------------------------------------

def test_codebook_closed_lists_are_enforced(edit, data_dir):
    edit("events", 0, "strand", "gossip")
    edit("events", 1, "intent", "careless")
    edit("sources", 0, "affiliation", "friendly")
    found = {(p.file.rsplit("/", 1)[-1], p.column) for p in validate(data_dir).problems}
    assert found == {("events.csv", "strand"), ("events.csv", "intent"),
                     ("sources.csv", "affiliation")}


def test_every_source_needs_its_grades(edit, data_dir):
    edit("sources", 1, "reliability", "")
    edit("sources", 1, "credibility", "7")
    found = {(p.row, p.column, p.message.split(";")[0]) for p in validate(data_dir).problems}
    assert found == {(3, "reliability", "required value is missing"),
                     (3, "credibility", "expected one of: 1, 2, 3, 4, 5, 6")}


def test_same_occurrence_twice_needs_a_reason(data_dir):
    from conftest import EVENTS, write_table
    twin = dict(EVENTS[1], event_id="test-clash-twin", cameo_code="190",
                source_ids="test-codebook;test-article", evidence="a second clash")
    rows = [dict(r) for r in EVENTS] + [twin]
    write_table(data_dir, "events", rows)
    problem = only(data_dir)
    assert (problem.row, problem.column) == (4, "same_day_reason")
    assert "'test-clash'" in problem.message
    rows[2]["same_day_reason"] = "A second, separate shelling that afternoon."
    write_table(data_dir, "events", rows)
    assert messages(data_dir) == []


def test_an_event_on_mirrors_alone_is_refused(edit, data_dir):
    edit("events", 1, "source_ids", "test-codebook")
    problem = only(data_dir)
    assert (problem.row, problem.column) == (3, "source_ids")
    assert "mirror or an aggregator" in problem.message


def test_disputed_initiator_must_be_one_of_the_claims(data_dir, edit):
    from conftest import ATTRIBUTIONS, write_table
    claims = [dict(ATTRIBUTIONS[0]), dict(ATTRIBUTIONS[0], claimed_initiator="RUS",
                                          source_id="test-codebook", evidence="Russian jets")]
    write_table(data_dir, "attributions", claims)
    assert messages(data_dir) == []
    edit("events", 1, "actor_initiator", "IRN")
    problem = only(data_dir)
    assert (problem.row, problem.column) == (3, "actor_initiator")
    assert "RUS, SYR" in problem.message


def test_superseded_by_names_a_reading_of_the_same_event_and_measure(edit, data_dir):
    edit("figures", 0, "superseded_by", "test-codebook")
    assert messages(data_dir) == []
    edit("figures", 1, "superseded_by", "test-codebook")
    edit("figures", 0, "measure", "killed_civilians")
    found = {(p.row, p.message) for p in validate(data_dir).problems}
    assert found == {
        (2, "source 'test-codebook' has no reading of killed_civilians for event 'test-clash'"),
        (3, "a reading cannot be superseded by itself; name the source of the reading that "
            "replaced it"),
    }


def test_an_event_needs_two_different_actors(edit, data_dir):
    edit("events", 1, "actor_target", "SYR")
    problem = only(data_dir)
    assert (problem.row, problem.column) == (3, "actor_target")


# -- the December 2026 sweep's rules -----------------------------------------------------------

def _into_escalation_window(edit) -> None:
    """Move the fixture into December 2019 – January 2020, still valid."""
    edit("phases", 0, "start", "2019-12-01")
    edit("phases", 0, "end", "2019-12-31")
    edit("phases", 1, "start", "2020-01-01")
    edit("phases", 1, "end", "2020-01-31")
    edit("events", 1, "date", "2020-01-03")


def test_escalation_window_is_dated_to_the_day(data_dir, edit):
    _into_escalation_window(edit)
    edit("events", 0, "date", "2019-12")
    edit("events", 0, "exact_date", "2019-12-10")
    edit("events", 0, "exact_date_evidence", "signed on 10 December 2019")
    problem = only(data_dir)  # a pinned exact_date is not enough inside the window
    assert (problem.row, problem.column) == (2, "date_precision")
    assert "every event is dated to the day" in problem.message
    edit("events", 0, "date", "2019-12-10")
    edit("events", 0, "date_precision", "day")
    for column in ("exact_date", "exact_date_source_id", "exact_date_evidence"):
        edit("events", 0, column, "")
    assert messages(data_dir) == []


def test_month_precision_outside_the_window_is_allowed(data_dir):
    # The fixture's test-accord is "2016-05" at month precision: valid (test above moves it).
    assert messages(data_dir) == []


@pytest.mark.parametrize(("words", "ok"), [
    ("signed on 10 May 2016", True),
    ("signed on 2016-05-10", True),
    ("signed on Tuesday", False),
    ("signed on 110 May", False),
    ("signed on 1 May", False),
])
def test_exact_date_evidence_must_give_the_day(data_dir, edit, words, ok):
    edit("events", 0, "exact_date_evidence", words)
    if ok:
        assert messages(data_dir) == []
    else:
        problem = only(data_dir)
        assert (problem.row, problem.column) == (2, "exact_date_evidence")
        assert "no '10' in the words" in problem.message


def _joint_patrol_tables(data_dir):
    from conftest import CAMEO, EVENTS, write_table
    write_table(data_dir, "cameo", [dict(r) for r in CAMEO] + [dict(
        CAMEO[0], cameo_code="062", description="Cooperate militarily", quad_class="2",
        goldstein="6.0")])
    return EVENTS, write_table


def test_a_joint_patrol_is_turkeys_act_toward_russia_062_military(data_dir):
    events, write_table = _joint_patrol_tables(data_dir)
    patrol = dict(events[1], event_id="test-joint-patrol-first", date="2016-06-10",
                  actor_initiator="RUS", actor_target="TUR", cameo_code="190",
                  category="security", title="A patrol")
    write_table(data_dir, "events", [dict(r) for r in events] + [patrol])
    found = {(p.row, p.column) for p in validate(data_dir).problems}
    assert found == {(4, "actor_initiator"), (4, "actor_target"), (4, "cameo_code"),
                     (4, "category")}
    patrol.update(actor_initiator="TUR", actor_target="RUS", cameo_code="062",
                  category="military")
    write_table(data_dir, "events", [dict(r) for r in events] + [patrol])
    assert messages(data_dir) == []


def test_a_062_row_titled_joint_patrol_is_a_joint_patrol(data_dir):
    events, write_table = _joint_patrol_tables(data_dir)
    patrol = dict(events[1], event_id="test-m4-run", date="2016-06-10", actor_initiator="RUS",
                  actor_target="TUR", cameo_code="062", category="military",
                  title="Second joint Russian–Turkish patrol on the road")
    write_table(data_dir, "events", [dict(r) for r in events] + [patrol])
    found = {(p.row, p.column) for p in validate(data_dir).problems}
    assert found == {(4, "actor_initiator"), (4, "actor_target")}
    # An act against a patrol is not a patrol: without 062 and the marker, no rule applies.
    patrol.update(cameo_code="190", category="security", title="Protesters block a joint patrol")
    write_table(data_dir, "events", [dict(r) for r in events] + [patrol])
    assert messages(data_dir) == []


def test_one_row_per_act_whichever_side_is_named_first(data_dir):
    from conftest import EVENTS, write_table
    reply = dict(EVENTS[1], event_id="test-clash-reply", actor_initiator="TUR",
                 actor_target="SYR", cameo_code="190", source_ids="test-codebook;test-article",
                 evidence="a reply")
    rows = [dict(r) for r in EVENTS] + [reply]
    write_table(data_dir, "events", rows)
    problem = only(data_dir)
    assert (problem.row, problem.column) == (4, "same_day_reason")
    assert "'test-clash'" in problem.message and "either direction" in problem.message
    rows[2]["same_day_reason"] = "Turkey's retaliation, a separate act by the other side."
    write_table(data_dir, "events", rows)
    assert messages(data_dir) == []


@pytest.mark.parametrize(("index", "column", "value", "wanted"), [
    (0, "reliability", "C", "is graded B"),          # independent established news: B
    (0, "standing", "minor", "is graded C"),         # independent minor news: C
    (0, "affiliation", "state-media", "is graded C"),  # state media of any state: C
    (0, "kind", "encyclopedia", "is graded C"),      # an established reference work: C
    (1, "reliability", "C", "is graded D"),          # a mirror: D whatever it copies
])
def test_reliability_follows_the_grade_rule(data_dir, edit, index, column, value, wanted):
    edit("sources", index, column, value)
    problem = only(data_dir)
    assert (problem.row, problem.column) == (index + 2, "reliability")
    assert wanted in problem.message and "grade rule" in problem.message


def test_credibility_fits_the_grade(data_dir, edit):
    edit("sources", 1, "credibility", "2")  # "probably true" from a mirror graded D
    problem = only(data_dir)
    assert (problem.row, problem.column) == (3, "credibility")
    edit("sources", 1, "credibility", "1")  # confirmed elsewhere: any grade
    assert messages(data_dir) == []


def test_a_visit_is_coded_from_the_host_never_042(data_dir):
    from conftest import CAMEO, write_table
    write_table(data_dir, "cameo", [dict(r) for r in CAMEO] + [dict(
        CAMEO[0], cameo_code="042", description="Make a visit", quad_class="1",
        goldstein="1.9")])
    assert messages(data_dir) == []
    from conftest import EVENTS
    visit = dict(EVENTS[0], cameo_code="042")
    write_table(data_dir, "events", [visit, dict(EVENTS[1])])
    problem = only(data_dir)
    assert (problem.row, problem.column) == (2, "cameo_code") and "host" in problem.message
