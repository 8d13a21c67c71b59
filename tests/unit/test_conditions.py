"""Judgements bound to their evidence: every condition type on hand-made numbers and data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rusturk.analysis import conditions, cost
from rusturk.analysis.registry import DuplicateQuantity, Quantity, Registry
from rusturk.data.narrative import Check, Holds, Level, Part


def _count(name: str, flags: list[int]) -> Quantity:
    return Quantity(name, name, float(sum(flags)), str(sum(flags)), len(flags),
                    indicator=tuple(flags))


def _registry(*quantities: Quantity, start="2020-01-01", end="2020-03-31") -> Registry:
    reg = Registry(pd.Timestamp(start), pd.Timestamp(end))
    for q in quantities:
        reg.add(q)
    return reg


PHASES = pd.DataFrame({"phase_id": ["crisis"], "start": [pd.Timestamp("2020-01-10")],
                       "end": [pd.Timestamp("2020-02-20")]})
NO_EVENTS = pd.Series(dtype="datetime64[ns]")


def _part(*checks: Check, sources=(), confidence="moderate") -> Part:
    return Part("text", ["e1"], list(sources), id="kj-x", confidence=confidence,
                checks=tuple(checks))


def _outcomes(part: Part, reg: Registry, sources=None, level=None):
    sources = sources if sources is not None else pd.DataFrame(
        columns=["source_id", "publisher", "publication_date", "reliability", "copy_type"])
    return conditions.evaluate(part, part.id, reg, PHASES, NO_EVENTS, sources, level)


# -- sign ----------------------------------------------------------------------------------------

def test_a_sign_that_flips_with_the_data_is_refused():
    """The same claim holds on one copy of the data and fails on a recoded one."""
    claim = _part(Check(sign="net", **{"is": "positive"}))
    holds = Quantity("net", "net share", 0.23, "+0.23", 141, 0.08, 0.39, sampled=True)
    flipped = Quantity("net", "net share", -0.73, "−0.73", 141, -0.84, -0.60, sampled=True)
    assert _outcomes(claim, _registry(holds))[0].passed
    assert not _outcomes(claim, _registry(flipped))[0].passed


def test_an_interval_that_includes_zero_is_no_finding():
    """+0.95 with an interval from −0.03 to +2.00 does not say cooperation outweighed."""
    claim = _part(Check(sign="mean", **{"is": "positive"}))
    mean = Quantity("mean", "mean score", 0.95, "+0.95", 141, -0.03, 2.00, sampled=True)
    outcome = _outcomes(claim, _registry(mean))[0]
    assert not outcome.passed
    assert "−0.03" in outcome.values and "n = 141" in outcome.values


def test_a_mean_of_one_event_has_no_interval_and_proves_nothing():
    claim = _part(Check(sign="mean", **{"is": "negative"}))
    one = Quantity("mean", "mean score", -10.0, "−10.00", 1, sampled=True)
    assert not _outcomes(claim, _registry(one))[0].passed


# -- comparison ----------------------------------------------------------------------------------

def test_a_comparison_that_ties_is_refused():
    a = _count("a", [1, 0, 1, 0, 0, 0, 0, 0])
    b = _count("b", [0, 1, 0, 1, 0, 0, 0, 0])
    claim = _part(Check(exceeds="a", over="b"))
    assert not _outcomes(claim, _registry(a, b))[0].passed


def test_a_clear_comparison_holds_and_its_reverse_does_not():
    # 13 against 2 of 38 events: the Idlib crisis phase's shape.
    a = _count("syr", [1] * 13 + [0] * 25)
    b = _count("rus", [0] * 13 + [1] * 2 + [0] * 23)
    assert _outcomes(_part(Check(exceeds="syr", over="rus")), _registry(a, b))[0].passed
    assert not _outcomes(_part(Check(exceeds="rus", over="syr")), _registry(a, b))[0].passed


def test_a_narrow_lead_within_the_noise_is_refused():
    # 6 against 4 of 20 events: the difference interval includes zero.
    a = _count("a", [1] * 6 + [0] * 14)
    b = _count("b", [0] * 6 + [1] * 4 + [0] * 10)
    assert not _outcomes(_part(Check(exceeds="a", over="b")), _registry(a, b))[0].passed


def test_tolls_compare_by_their_readings_not_their_headlines():
    big = Quantity("big", "big", 34, "34", 22, 9, 100)
    near = Quantity("near", "near", 8, "8", 4, 5, 12)  # its highest reading beats 9
    far = Quantity("far", "far", 6, "6", 4, 4, 7)
    assert not _outcomes(_part(Check(exceeds="big", over="near")), _registry(big, near))[
        0].passed
    assert _outcomes(_part(Check(exceeds="big", over="far")), _registry(big, far))[0].passed


def test_a_quantity_the_period_lacks_fails_with_its_name():
    outcome = _outcomes(_part(Check(exceeds="a", over="missing")),
                        _registry(_count("a", [1, 1])))[0]
    assert not outcome.passed and "missing" in outcome.values


# -- existence -----------------------------------------------------------------------------------

def test_a_window_without_the_compared_months_is_refused():
    claim = _part(Check(holds=Holds(months=["2019-12", "2020-02"])))
    february = _registry(start="2020-02-01", end="2020-02-29")
    winter = _registry(start="2019-12-01", end="2020-02-29")
    assert not _outcomes(claim, february)[0].passed
    assert _outcomes(claim, winter)[0].passed


def test_a_month_cut_short_by_the_window_is_not_held():
    claim = _part(Check(holds=Holds(months=["2020-02"])))
    assert not _outcomes(claim, _registry(start="2020-02-01", end="2020-02-28"))[0].passed


def test_phases_and_events_must_lie_in_the_window():
    days = pd.Series({"e1": pd.Timestamp("2020-03-05")})
    claim = _part(Check(holds=Holds(phases=["crisis"], events=["e1"])))
    reg = _registry(start="2020-01-01", end="2020-02-29")
    outcome = conditions.evaluate(claim, "x", reg, PHASES, days, pd.DataFrame(), None)[0]
    assert not outcome.passed and "event e1" in outcome.values
    assert "phase crisis" not in outcome.values


# -- support -------------------------------------------------------------------------------------

HIGH = Level(meaning="well supported", min_publishers=2, grades=["A", "B"])


def _sources(rows):
    return pd.DataFrame(rows, columns=["source_id", "publisher", "publication_date",
                                       "reliability", "copy_type"])


def test_a_high_confidence_judgement_with_one_source_is_refused():
    one = _sources([("s1", "Reuters", pd.Timestamp("2020-02-27"), "B", "original")])
    claim = _part(sources=["s1"], confidence="high")
    assert not _outcomes(claim, _registry(), one, HIGH)[-1].passed


def test_two_copies_of_one_publisher_are_one_source():
    two_copies = _sources([
        ("s1", "Reuters (via National Post)", pd.Timestamp("2020-02-27"), "B", "syndicated"),
        ("s2", "Reuters (via ARY News)", pd.Timestamp("2020-02-27"), "B", "syndicated")])
    claim = _part(sources=["s1", "s2"], confidence="high")
    assert not _outcomes(claim, _registry(), two_copies, HIGH)[-1].passed


def test_support_counts_neither_mirrors_nor_low_grades_nor_later_sources():
    rows = _sources([
        ("a", "AP", pd.Timestamp("2020-02-27"), "B", "original"),
        ("b", "Mirror site", pd.Timestamp("2020-02-27"), "B", "mirror"),
        ("c", "Blog", pd.Timestamp("2020-02-27"), "D", "original"),
        ("d", "AFP", pd.Timestamp("2020-06-01"), "B", "original"),  # after the edition
        ("e", "UN OCHA", pd.NaT, "A", "original")])
    claim = _part(sources=["a", "b", "c", "d"], confidence="high")
    assert not _outcomes(claim, _registry(), rows, HIGH)[-1].passed
    claim = _part(sources=["a", "b", "c", "d", "e"], confidence="high")
    assert _outcomes(claim, _registry(), rows, HIGH)[-1].passed


# -- one value per quantity ------------------------------------------------------------------------

def test_a_registry_refuses_one_name_with_two_values():
    reg = _registry(Quantity("sources", "sources", 19, "19", 19))
    reg.add(Quantity("sources", "sources", 19, "19", 19))  # the same value again is fine
    with pytest.raises(DuplicateQuantity, match="19 and 17"):
        reg.add(Quantity("sources", "sources", 17, "17", 17))


def test_interval_placeholders_print_the_interval_and_n():
    reg = _registry(Quantity("net", "net share", 0.23, "+0.23", 141, 0.08, 0.39, sampled=True))
    assert reg.texts()["interval:net"] == "95% interval +0.08 to +0.39, n = 141"


# -- claims of who struck, by claimant ---------------------------------------------------------

def test_claims_count_each_claimant_once_and_leave_out_reference_works():
    events = pd.DataFrame({"event_id": ["x"], "title": ["Strike"],
                           "date_best": [pd.Timestamp("2020-02-27")],
                           "attribution_disputed": [True]})
    attributions = pd.DataFrame({
        "event_id": ["x"] * 5,
        "claimed_initiator": ["SYR", "SYR", "SYR", "RUS", "RUS"],
        "source_id": ["a", "b", "c", "w", "m"],
        "claimant": ["Hatay governor Rahmi Doğan",
                     "Hatay governor Rahmi Dogan (Turkish government), as reported by Reuters",
                     "Hatay governor Rahmi Dogan (Turkish government)",
                     "Wikipedia's account of the strike",
                     "Syrian Observatory for Human Rights (SOHR)"]})
    sources = pd.DataFrame({
        "source_id": ["a", "b", "c", "w", "m"],
        "publisher": ["Daily Sabah", "Reuters (via National Post)", "TRT World", "Wikipedia",
                      "Hawar News Agency (ANHA)"],
        "kind": ["news", "news", "news", "encyclopedia", "news"],
        "copy_type": ["original", "syndicated", "original", "original", "original"],
        "affiliation": ["pro-government", "independent", "state-media", "independent",
                        "partisan"]})
    got = cost.claims(attributions, events, sources)
    by = got.groupby("claimed_initiator").size().to_dict()
    assert by == {"SYR": 1, "RUS": 1}  # one governor, three outlets; the encyclopedia is out
    syr = got[got["claimed_initiator"] == "SYR"].iloc[0]
    assert syr["side"] == "Turkish officials" and len(syr["sources"]) == 3
    assert got[got["claimed_initiator"] == "RUS"].iloc[0]["side"] == "Monitors and rescuers"


def test_yaml_checks_have_exactly_one_kind():
    with pytest.raises(ValueError, match="exactly one"):
        Check(sign="a", exceeds="b", over="c", **{"is": "positive"})
    with pytest.raises(ValueError, match="is: positive"):
        Check(sign="a")
    assert Holds(months=["2020-02"]).months == ["2020-02"]
    with pytest.raises(ValueError):
        Holds(months=["2020-13"])
    assert dt.date(2020, 2, 1)  # dates in YAML arrive as date objects; Holds takes strings


# -- the analysts' YAML: a wrong shape is one line naming file and key --------------------------

@pytest.mark.parametrize("yaml_text, key", [
    ("scale: [high, moderate, low]\njudgements: []\n", "scale"),
    ("scale: {}\njudgements:\n  - just a sentence\n", "judgements[0]"),
    ("scale: {}\njudgements:\n  - id: kj-x\n    covers: [2020-02-01, 2020-02-29]\n"
     "    confidence: high\n    text: words\n    rests_on: [balyun-strike]\n",
     "judgements[0].rests_on"),
    ("scale: {}\njudgements:\n  - id: kj-x\n    covers: [2020-02-01, 2020-02-29]\n"
     "    confidence: sure\n    text: words\n    rests_on: {events: [a]}\n",
     "judgements[0].confidence"),
    ("scale: {}\nextra: 1\n", "extra"),
])
def test_a_wrong_shape_in_the_analysts_yaml_is_one_line(tmp_path, yaml_text, key):
    from rusturk.data.narrative import read

    (tmp_path / "judgements.yaml").write_text(yaml_text, encoding="utf-8")
    problems = read(tmp_path)[1]
    assert problems, "the wrong shape was accepted"
    assert any(p.column == key for p in problems), [str(p) for p in problems]
    assert all("\n" not in str(p) and "judgements.yaml" in str(p) for p in problems)


def test_a_tag_or_an_alias_bomb_in_the_analysts_yaml_is_refused(tmp_path):
    from rusturk.data.narrative import read

    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    for text in ("background: !!python/object/apply:os.system [echo hi]\n", bomb):
        (tmp_path / "narrative.yaml").write_text(text, encoding="utf-8")
        problems = read(tmp_path)[1]
        assert len(problems) == 1 and "not valid YAML" in problems[0].message
