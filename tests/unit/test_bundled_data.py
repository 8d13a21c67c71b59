"""The bundled dataset: valid, and covering what the brief requires."""

from __future__ import annotations

import pandas as pd
import pytest
from checkout import REPO_ROOT

from rusturk.data.dataset import load
from rusturk.data.schema import UCDP_SOURCE_ID
from rusturk.data.summary import provenance_counts

# Checks of the bundled data folder: the `data` tier.
pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def ds():
    return load(REPO_ROOT / "data")


def test_article_and_public_record_coverage(ds):
    counts = provenance_counts(ds)
    assert counts["from_raw_documents"] >= 15
    assert counts["from_other_sources"] >= 20


def test_idlib_escalation_is_at_day_precision_where_sources_allow(ds):
    window = ds.events[(ds.events["date_best"] >= "2019-12-01")
                       & (ds.events["date_best"] <= "2020-03-31")]
    pinned = window["date_precision"].eq("day") | window["exact_date"].notna()
    assert pinned.all(), window.loc[~pinned, "event_id"].tolist()


def test_disagreeing_sources_are_kept_side_by_side(ds):
    balyun = ds.figures[(ds.figures["event_id"] == "balyun-strike")
                        & (ds.figures["measure"] == "killed_turkish_military")]
    assert balyun["source_id"].nunique() >= 3
    assert balyun["value_best"].nunique() >= 3


def test_displacement_series_spans_the_offensive(ds):
    series = ds.figures[ds.figures["measure"] == "displaced"]
    assert series["as_of"].notna().all()
    assert series["as_of"].min() < series["as_of"].max()
    assert series["as_of"].dt.to_period("M").nunique() >= 3


def test_codebook_coverage(ds):
    """At least 150 events; every quarter from 2016 to 2020 Q1 holds three or more."""
    assert len(ds.events) >= 150
    quarters = ds.events["date_best"].dt.to_period("Q").value_counts()
    wanted = pd.period_range("2016Q1", "2020Q1", freq="Q")
    thin = {str(q): int(quarters.get(q, 0)) for q in wanted if quarters.get(q, 0) < 3}
    assert thin == {}
    assert set(ds.events["strand"].astype(str)) >= {
        "syria-diplomacy", "syria-idlib", "syria-north", "energy", "defence", "trade-tourism",
        "libya", "bilateral"}


def test_february_and_march_2020_day_by_day(ds):
    # Distinct dates, not days of the month (3 February and 3 March are two days): 22 by a
    # count of events.csv with the csv module in December 2026, after the 6 March ceasefire
    # row was merged into the 5 March protocol.
    days = ds.events.loc[ds.events["date_best"].between("2020-02-01", "2020-03-06"),
                         "date_best"].dt.normalize().nunique()
    assert days >= 20


def test_known_coding_errors_stay_mended(ds):
    """The November 2026 fact-check's findings, as data: each would move the index."""
    e = ds.events.set_index("event_id")
    assert e.loc["karlov-assassination", "actor_initiator"] == "IND"
    assert e.loc["albab-friendly-fire", "intent"] == "accidental"
    assert {e.loc["putin-ends-some-sanctions", "cameo_code"],
            e.loc["putin-lifts-most-sanctions", "cameo_code"]} == {"085"}
    assert e.loc["euphrates-shield-start", "actor_target"] == "ISIL"
    assert not ds.events["event_id"].isin(["erdogan-turkstream-historic",
                                           "istanbul-putin-erdogan-talks"]).any()
    assert e.loc["balyun-strike", "attribution_disputed"]
    assert not ds.events["cameo_code"].eq("081").any()


def test_december_2026_sweep_stays_mended(ds):
    """The sweep's findings (data/agreement/sweep-2026-12.csv), as data."""
    e = ds.events.set_index("event_id")
    assert not ds.events["event_id"].isin(["idlib-ceasefire-mar"]).any()
    assert "aa-2020-03-05-idlib-ceasefire" in e.loc["moscow-protocol", "source_ids"]
    assert e.loc["m4-patrol-protests-2020-03-15", "actor_initiator"] == "SYR_OPP"
    assert e.loc["convoy-airstrike-khan-shaykhun-2019-08-19", "intent"] == "unclear"
    assert e.loc["convoy-airstrike-khan-shaykhun-2019-08-19", "attribution_disputed"]
    for inferred in ("russian-frigates-bosphorus-2020-02-28", "russian-military-police-saraqib"):
        assert e.loc[inferred, "actor_target"] == "SYR"
    assert e.loc["moscow-hlcc-2019-04-08", "cameo_code"] == "057"
    assert not ds.events["cameo_code"].eq("042").any()
    assert e.loc["putin-erdogan-call-2020-02-12", "strand"] == "syria-diplomacy"
    balyun = ds.figures[(ds.figures["event_id"] == "balyun-strike")
                        & (ds.figures["claimant"] == "Erdogan")]
    assert 36 in set(balyun["value_best"])


def test_every_source_is_cited(ds):
    cited = set(ds.figures["source_id"]) | set(ds.cameo["goldstein_source_id"])
    cited |= {s for ids in ds.events["source_ids"] for s in ids}
    cited |= set(ds.events["exact_date_source_id"].dropna())
    cited |= set(ds.events["coordinates_source_id"].dropna())
    cited |= set(ds.cameo["quad_class_source_id"])
    cited |= set(ds.attributions["source_id"]) | set(ds.figures["superseded_by"].dropna())
    cited |= {UCDP_SOURCE_ID} if not ds.ucdp_ged.empty else set()  # the GED extract's source
    notes = " ".join(ds.events["note"].dropna())
    uncited = [s for s in ds.sources["source_id"] if s not in cited and s not in notes]
    assert uncited == []


def test_phases_keep_their_study_wide_numbers_in_any_window():
    """A report that starts with the thaw numbers it II, as the whole study does."""
    import csv

    from rusturk.analysis.window import Window
    from rusturk.notebook import charts

    with (REPO_ROOT / "data" / "phases.csv").open(encoding="utf-8") as f:
        starts = sorted(r["start"] for r in csv.DictReader(f))
    second = starts[1]
    w = Window.load("", second, "2020-03-31")
    assert charts._phase_numbers(w.phases)[0] == "II"
