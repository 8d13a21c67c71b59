"""The analysed event set on hand-made rows: who is on each side, what is left out, the order,
and the words of its definition."""

from __future__ import annotations

import pandas as pd

from rusturk.analysis import eventset


def _events() -> pd.DataFrame:
    return pd.DataFrame({
        "event_id": ["tr", "rt", "st", "ts", "rs", "ir", "ut", "acc", "na", "tt"],
        "actor_initiator": ["TUR", "RUS", "SYR", "TUR", "RUS", "IND", "USA", "RUS", "TUR",
                            "TUR"],
        "actor_target": ["RUS", "TUR", "TUR", "SYR", "SYR", "TUR", "TUR", "TUR", "RUS", "TUR"],
        "intent": ["deliberate"] * 7 + ["accidental", None, "deliberate"],
        "date_best": pd.to_datetime(["2016-01-05", "2016-01-01", "2016-01-03", "2016-01-03",
                                     "2016-01-02", "2016-01-02", "2016-01-02", "2016-01-02",
                                     "2016-01-04", "2016-01-02"])})


def test_with_turkey_in_either_direction_and_no_one_else():
    e = _events()
    assert e["event_id"][eventset.with_turkey(e, eventset.RUSSIA)].tolist() == [
        "tr", "rt", "acc", "na"]
    assert e["event_id"][eventset.with_turkey(e, "SYR")].tolist() == ["st", "ts"]
    assert e["event_id"][eventset.with_turkey(e, "USA")].tolist() == ["ut"]
    # Categorical actor codes compare as their text.
    cat = e.astype({"actor_initiator": "category", "actor_target": "category"})
    assert eventset.with_turkey(cat, "RUS").tolist() == eventset.with_turkey(e, "RUS").tolist()


def test_analysed_keeps_the_dyad_without_accidents_in_stable_date_order():
    e = _events()
    # By date: rt (1 Jan); st and ts share 3 Jan and keep the data's order; a missing
    # intent is no accident (na, 4 Jan); tr (5 Jan). Not: rs (Russia on Syria), ir, ut, tt,
    # acc (an accident).
    assert eventset.analysed(e)["event_id"].tolist() == ["rt", "st", "ts", "na", "tr"]
    assert eventset.analysed(e, include_syria=True)["event_id"].tolist() == [
        "rt", "st", "ts", "na", "tr"]
    assert eventset.analysed(e, False)["event_id"].tolist() == ["rt", "na", "tr"]
    cat = e.astype({"actor_initiator": "category", "actor_target": "category",
                    "intent": "category"})
    assert eventset.analysed(cat)["event_id"].tolist() == ["rt", "st", "ts", "na", "tr"]
    # Without an intent column nothing is taken for an accident.
    assert eventset.analysed(e.drop(columns="intent"), False)["event_id"].tolist() == [
        "rt", "acc", "na", "tr"]


def test_the_sides_and_the_definition_in_words():
    assert eventset.russian_side(True) == ("RUS", "SYR")
    assert eventset.russian_side(False) == ("RUS",)
    with_syria, without = eventset.definition(True), eventset.definition(False)
    assert with_syria.startswith("**The analysed event set.** Every statistic")
    assert ("uses one set of events: those with Turkey on one side and Russia and the Syrian "
            "government on the other, both acting as states.") in with_syria
    assert ("uses one set of events: those with Turkey on one side and Russia on the other, "
            "both acting as states.") in without
    assert "{sides}" not in with_syria + without


def test_analysed_keeps_the_data_order_of_many_events_on_one_day():
    # Forty dyad events on three days: more than sixteen, so an unstable sort would reorder
    # the ties (numpy sorts short arrays stably whatever the kind).
    n = 40
    days = [(i * 7) % 3 for i in range(n)]
    e = pd.DataFrame({"event_id": [f"e{i}" for i in range(n)],
                      "actor_initiator": ["TUR", "RUS"] * (n // 2),
                      "actor_target": ["RUS", "TUR"] * (n // 2),
                      "date_best": pd.Timestamp("2016-01-01") + pd.to_timedelta(days, "D")})
    order = sorted(range(n), key=lambda i: (days[i], i))  # by day, then as given
    assert eventset.analysed(e)["event_id"].tolist() == [f"e{i}" for i in order]
