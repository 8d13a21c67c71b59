"""The phases notebook's event-stream section, executed with papermill: with a generated
synthetic GDELT stream it shows the stream against the phases; without one, how to get one."""

from __future__ import annotations

from synthetic_streams import make_events, write_gdelt
from test_notebooks import (
    charts,
    html,
    markdown,
    outputs,
    project,  # noqa: F401  (autouse: the kernel is told the project)
    run,
)

# Phases of the bundled dataset, so that the synthetic stream has breaks to find.
CRISES = [("2015-11-24", "2016-06-26"), ("2019-12-19", "2020-03-04")]


def test_phases_notebook_sets_a_synthetic_stream_against_the_phases(tmp_path):
    truth = make_events(6000, seed=7, conflict_spans=CRISES)
    write_gdelt(truth, tmp_path / "stream", files=3, zipped=True, malformed={"columns": 2})
    book = run("02_phases", tmp_path, event_stream_path=str(tmp_path / "stream" / "*.zip"),
               event_stream_format="gdelt")
    assert not [o for o in outputs(book) if o.get("output_type") == "error"]

    dyad = {("TUR", "RUS"), ("RUS", "TUR"), ("TUR", "SYR"), ("SYR", "TUR")}
    expected = sum(1 for pair in zip(truth["side1"], truth["side2"], strict=True)
                   if pair in dyad)
    section = next(m for m in markdown(book) if "**Event stream," in m)
    assert section.startswith("**Synthetic test data.**")
    assert f"**{expected:,} events** between Turkey and the Russian side (RUS, SYR)" in section
    assert "read from 3 files. 2 malformed lines were skipped (2 wrong number of columns" in (
        section)
    # The stream steps where its conflict spans end (27 Jun 2016) and begin (19 Dec 2019): the
    # starts of "Thaw and reconciliation" and "Idlib escalation". The step of 4 Mar 2020 leaves
    # one month after it, too short for a segment, and no step lies near 10 Mar 2017.
    assert ("places **2 of the 4** curated boundaries within 60 days of a detected break"
            in section)

    specs = charts(book)
    assert len(specs) == 4, "the three phase charts and the stream chart"
    stream_chart = specs[-1]
    assert stream_chart["title"].startswith("Synthetic test data: GDELT 2.0 event stream")
    assert stream_chart["description"]
    assert "Data version" in html(book)[-1], "the section sits before the sources"


def test_phases_notebook_without_a_stream_says_how_to_get_one(tmp_path):
    book = run("02_phases", tmp_path)
    assert not [o for o in outputs(book) if o.get("output_type") == "error"]
    how_to = [m for m in markdown(book) if m.startswith("**No event stream given.**")]
    assert len(how_to) == 1
    for needed in ("masterfilelist.txt", "gdelt_bigquery.sql", "Dataverse", "rusturk stream"):
        assert needed in how_to[0]
    assert len(charts(book)) == 3
