"""The stated quantities of a period, on a hand-made dataset whose every number is counted here.

The dataset (tests/handmade.py) is synthetic: seven events, a few readings of Turkish losses
and of the displaced, written so that each quantity the registry states can be counted by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from handmade import once_per_run
from handmade import window as _window

from rusturk.analysis import registry
from rusturk.analysis.registry import DuplicateQuantity, Quantity, Registry, compute, describe

T = pd.Timestamp


@once_per_run
def _january() -> Registry:
    # Called in each test, not a fixture: under mutation testing each test computes it anew.
    return compute(_window())


def test_the_january_registry_is_shared_but_made_anew_under_mutation_testing(monkeypatch):
    # Shared in a normal run; under mutmut (which sets MUTANT_UNDER_TEST) every call computes
    # it again, so that each test reaches `compute` and is run against each of its mutants.
    monkeypatch.delenv("MUTANT_UNDER_TEST", raising=False)
    assert _january() is _january()
    monkeypatch.setenv("MUTANT_UNDER_TEST", "stats")
    assert _january() is not _january()


def test_counts_of_the_analysed_events_by_hand_on_the_january_window():
    reg = _january()
    assert reg.period == "1 Jan 2020 to 31 Jan 2020"
    # e1–e4 are analysed: e5 is an accident, e6 is not the dyad, e7 is after the window.
    assert reg["analysed_events"].value == 4 and reg["analysed_events"].n == 4
    assert reg["analysed_events"].rows == ("e1", "e2", "e3", "e4")
    assert reg["analysed_events"].text == "4"
    assert reg["cooperative_events"].value == 1  # e1
    assert reg["conflictual_events"].value == 3  # e2, e3, e4
    assert reg["rus_tur_cooperation"].value == 1  # e1
    assert reg["rus_tur_conflict"].value == 1  # e2 (material); e1 is cooperation
    assert reg["syr_tur_conflict"].value == 1  # e3; e4 is verbal conflict, not material
    assert reg["syr_tur_conflict"].rows == ("e3",)
    assert reg["cooperative_events"].indicator == (1, 0, 0, 0)
    assert reg["conflictual_events"].indicator == (0, 1, 1, 1)
    assert reg["rus_tur_conflict"].indicator == (0, 1, 0, 0)
    for name in ("cooperative_events", "conflictual_events", "rus_tur_cooperation",
                 "rus_tur_conflict", "syr_tur_conflict"):
        q = reg[name]
        assert q.n == 4 and q.counts == "analysed events" and q.text == f"{int(q.value)}"
        assert q.rows == tuple(e for e, flag in zip(("e1", "e2", "e3", "e4"), q.indicator,
                                                    strict=True) if flag)
    assert reg["rus_tur_cooperation"].rows == ("e1",)
    assert reg["conflictual_events"].rows == ("e2", "e3", "e4")


def test_every_quantity_has_its_own_label_on_the_january_window():
    reg = _january()
    labels = [q.label for q in reg.quantities.values()]
    assert all(isinstance(label, str) and label for label in labels)
    assert len(set(labels)) == len(labels)


def test_mean_score_and_net_share_by_hand_on_the_january_window():
    reg = _january()
    mean = reg["mean_score"]
    assert mean.value == pytest.approx((4 - 10 - 10 - 4) / 4)
    assert mean.text == "−5.00" and mean.sampled and mean.n == 4
    assert mean.low <= mean.value <= mean.high
    assert mean.rows == ("e1", "e2", "e3", "e4") and mean.interval_text.endswith("n = 4")
    net = reg["net_cooperation"]
    assert net.value == pytest.approx((1 - 3) / 4)  # one cooperative, three conflictual
    assert net.text == "−0.50" and net.sampled
    assert -1 <= net.low <= net.value <= net.high <= 1
    assert net.n == 4 and net.rows == ("e1", "e2", "e3", "e4")


def test_without_syria_only_russia_counts():
    reg = compute(_window(), include_syria=False)
    assert reg["analysed_events"].rows == ("e1", "e2")
    assert reg["syr_tur_conflict"].value == 0
    assert reg["mean_score"].value == pytest.approx(-3.0)


def test_turkish_losses_by_the_headline_rule_on_the_january_window():
    reg = _january()
    # e3: the official 5 (the wire's 7 is not official; the tally ten days on is no
    # incident's); e2: no official reading, median of the graded 2 and 4 = 3.
    deaths = reg["turkish_deaths"]
    assert deaths.value == 8 and deaths.text == "8" and deaths.n == 2
    assert deaths.counts == "incidents" and set(deaths.rows) == {"e2", "e3"}
    assert reg["incidents"].value == 2 and reg["incidents"].n == 2
    top = reg["deadliest_headline"]
    assert top.value == 5 and top.text == "5"
    assert (top.low, top.high) == (5, 7) and top.n == 2  # two readings of e3
    assert set(top.rows) == {"off", "wire"} and "Event e3" in top.label
    assert top.bounds == "readings 5 to 7"
    assert reg["deadliest_low"].value == 5 and reg["deadliest_high"].value == 7
    assert reg["deadliest_high"].text == "7"
    assert reg["deadliest_sources"].value == 2 and reg["deadliest_sources"].rows == (
        "off", "wire")
    runner = reg["runner_up_headline"]
    assert runner.value == 3 and runner.text == "3" and "Event e2" in runner.label
    assert (runner.low, runner.high) == (2, 40) and runner.n == 3
    assert set(runner.rows) == {"wire", "wire2", "blog"}


def test_what_the_data_knew_by_an_earlier_day():
    # On 15 January the wire (published the 16th) was not yet read: e3 has the official 5
    # alone, e2 the graded 4 alone (the blog's 40 is ungraded), 5 + 4 = 9.
    reg = compute(_window(), known_by=T("2020-01-15"))
    assert reg["deadliest_headline"].value == 5
    assert reg["deadliest_high"].value == 5 and reg["deadliest_headline"].n == 1
    assert reg["turkish_deaths"].value == 9
    assert "displaced" not in reg  # every displacement reading is later


def test_one_incident_has_no_runner_up():
    reg = compute(_window("2020-01-12", "2020-01-31"))
    assert reg["incidents"].value == 1
    assert "runner_up_headline" not in reg


def test_the_displaced_are_the_un_readings_of_the_last_week_on_the_january_window():
    reg = _january()
    # The UN's readings of 22 and 28 January are within a week of its last; 2 January is
    # not; the NGO's 1,000 is not used while the UN has readings.
    q = reg["displaced"]
    assert q.value == 300 and q.text == "300" and q.n == 2
    assert (q.low, q.high) == (100, 300)
    assert set(q.rows) == {"un1", "un2"}
    assert "28 Jan 2020" in q.label


def test_without_un_readings_the_others_are_used():
    w = _window()
    f = w.ds.figures
    w.ds.figures = f[~f["source_id"].isin(["un1", "un2"])].reset_index(drop=True)
    q = compute(w)["displaced"]
    assert q.value == 1000 and q.rows == ("ngo",)


def test_a_window_without_incidents_states_zero_and_no_deadliest():
    reg = compute(_window("2020-01-01", "2020-01-08"))
    assert reg["analysed_events"].value == 1
    assert reg["turkish_deaths"].value == 0 and reg["incidents"].value == 0
    assert "deadliest_headline" not in reg and "displaced" not in reg


def test_every_name_compute_registers_is_declared_on_the_january_window():
    reg = _january()
    assert set(reg.quantities) <= registry.NAMES
    assert set(reg.quantities) == registry.NAMES  # this period has every kind of number


# -- Quantity and Registry ----------------------------------------------------------------------

def test_bounds_and_interval_text():
    sampled = Quantity("m", "mean", 0.5, "+0.50", 141, -0.03, 2.0, sampled=True)
    assert sampled.bounds == "95% interval −0.03 to +2.00"
    assert sampled.interval_text == "95% interval −0.03 to +2.00, n = 141"
    ranged = Quantity("k", "killed", 34, "34", 4, 1200.0, 3400.0)
    assert ranged.bounds == "readings 1,200 to 3,400"
    bare = Quantity("n", "count", 1234, "1,234", 1234)
    assert bare.bounds == "" and bare.interval_text == "n = 1,234"
    half = Quantity("h", "half", 1, "1", 1, low=0.0)
    assert half.bounds == ""


def test_a_registry_holds_one_value_per_name():
    reg = Registry(T("2020-01-01"), T("2020-02-03"))
    reg.add(Quantity("a", "a", 1, "1", 1))
    reg.add(Quantity("a", "a", 1, "1", 1))  # the same value again is no conflict
    with pytest.raises(DuplicateQuantity, match="a is 1 and 2 in 1 Jan 2020 to 3 Feb 2020"):
        reg.add(Quantity("a", "a", 2, "2", 1))
    assert reg["a"].text == "1" and "a" in reg and "b" not in reg
    assert reg.period == "1 Jan 2020 to 3 Feb 2020"


def test_texts_give_each_value_and_each_interval():
    reg = Registry(T("2020-01-01"), T("2020-01-31"))
    reg.add(Quantity("m", "mean", 0.5, "+0.50", 9, 0.1, 0.9, sampled=True))
    reg.add(Quantity("k", "killed", 3, "3", 2))
    assert reg.texts() == {"m": "+0.50", "k": "3",
                           "interval:m": "95% interval +0.10 to +0.90, n = 9",
                           "interval:k": "n = 2"}


def test_describe_names_label_value_n_and_bounds():
    assert describe(Quantity("k", "killed", 3, "3", 2)) == "killed: 3; n = 2"
    assert describe(Quantity("k", "killed", 3, "3", 2, 1.0, 5.0)) == (
        "killed: 3; n = 2; readings 1 to 5")


def test_nan_value_has_no_bounds():
    q = Quantity("x", "x", float("nan"), "", 0)
    assert np.isnan(q.value) and q.bounds == ""


def test_material_cooperation_counts_as_cooperation():
    w = _window()
    w.ds.events.loc[w.ds.events["event_id"] == "e5", "intent"] = "deliberate"  # RUS→TUR, 2
    reg = compute(w)
    assert reg["cooperative_events"].value == 2 and reg["rus_tur_cooperation"].value == 2
    assert reg["conflictual_events"].value == 3
    assert reg["net_cooperation"].value == pytest.approx((2 - 3) / 5)
