"""Findings checked against an independent computation straight from the CSV files."""

from __future__ import annotations

import csv
from statistics import mean

import pytest
from checkout import REPO_ROOT

from rusturk.analysis import findings
from rusturk.analysis.window import Window
from rusturk.common import text

# Checks of the bundled data folder: the `data` tier.
pytestmark = pytest.mark.data

DATA = REPO_ROOT / "data"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def day_of(row: dict[str, str]) -> str:
    return row["exact_date"] or row["date"]


@pytest.fixture(scope="module")
def window() -> Window:
    return Window.load("", "2019-12-01", "2020-03-31")


def test_overview_states_the_dyad_count_and_mean_from_the_csv(window):
    goldstein = {r["cameo_code"]: float(r["goldstein"]) for r in rows("cameo.csv")}
    dyad = [r for r in rows("events.csv")
            if len(day_of(r)) == 10 and "2019-12-01" <= day_of(r) <= "2020-03-31"
            and {r["actor_initiator"], r["actor_target"]} in ({"TUR", "RUS"}, {"TUR", "SYR"})
            and r["intent"] != "accidental"]
    text = " ".join(map(str, findings.overview(window, 180, True)))
    assert f"<strong>{len(dyad)} of " in text
    expected = f"{mean(goldstein[r['cameo_code']] for r in dyad):+.2f}".replace("-", "\u2212")
    assert f"mean Goldstein score is <strong>{expected}</strong>" in text


def test_idlib_states_the_current_un_displacement_range_from_the_csv(window):
    import datetime as dt

    un = {r["source_id"] for r in rows("sources.csv") if r["affiliation"] == "intergovernmental"}
    readings = [(dt.date.fromisoformat(r["as_of"]), int(r["value_best"] or r["value_low"]))
                for r in rows("figures.csv") if r["measure"] == "displaced"
                and r["source_id"] in un and "2019-12-01" <= r["as_of"] <= "2020-03-31"]
    last = max(d for d, _ in readings)
    week = [v for d, v in readings if (last - d).days <= 7]
    text = " ".join(map(str, findings.idlib_findings(window)))
    assert f"{min(week):,}" in text and f"{max(week):,}" in text
    assert f"By {last:%-d %b %Y}, the people displaced" in text


def test_data_text_in_a_finding_is_escaped(window):
    import dataclasses

    phases = window.ds.phases.copy()
    phases["name"] = "<b>bold</b> [x](javascript:alert(1))"
    hostile = Window(dataclasses.replace(window.ds, phases=phases), window.start, window.end)
    text = " ".join(map(str, findings.phases_findings(
        hostile, True, ["rupture", "idlib-escalation"])))
    assert "<b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text


def test_plurals_signs_and_dates():
    assert text.plural(1, "phase") == "1 phase"
    assert text.plural(1014, "day") == "1,014 days"
    assert text.signed(-1.024) == "\u22121.02"
    assert text.signed(-1204, 0) == "\u22121,204"
    assert text.day(__import__("pandas").Timestamp("2020-02-03")) == "3 Feb 2020"
    assert text.span("2020-02-01", "2020-02-29") == "1 Feb 2020 to 29 Feb 2020"
    assert [text.at_precision("2016-07-15", p) for p in ("day", "month", "year")] == [
        "15 Jul 2016", "Jul 2016", "2016"]
