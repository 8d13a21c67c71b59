"""The phases notebook's event-stream section, on the small test dataset and generated streams."""

from __future__ import annotations

import pandas as pd
import pytest
from synthetic_streams import make_events, write_gdelt

from rusturk.cli import main
from rusturk.notebook import Window
from rusturk.notebook import stream_section as sec

START, END = "2016-05-01", "2016-06-30"  # the span of the test dataset's two phases


@pytest.fixture
def window(data_dir):
    return Window.load(str(data_dir), START, END)


def dyad_count(truth: pd.DataFrame, sides=("RUS", "SYR")) -> int:
    pairs = zip(truth["side1"], truth["side2"], strict=True)
    return sum(1 for a, b in pairs if (a == "TUR" and b in sides) or (a in sides and b == "TUR"))


def stream_files(tmp_path, n: int, seed: int = 3):
    truth = make_events(n, seed=seed, start=START, end=END)
    write_gdelt(truth, tmp_path / f"s{n}", files=2, zipped=True)
    return truth, str(tmp_path / f"s{n}" / "*.zip")


def test_without_a_stream_the_section_says_how_to_get_one(window):
    (text,) = sec.phases_section(window, "", "gdelt", True)
    for needed in ("masterfilelist.txt", "gdelt_bigquery.sql", "gdelt-bq.gdeltv2.events",
                   "10.7910/DVN/28075", "rusturk stream", "event_stream_path"):
        assert needed in text


def test_section_counts_the_stream_and_marks_it_synthetic(window, tmp_path):
    truth, pattern = stream_files(tmp_path, 800)
    summary, chart, caveat = sec.phases_section(window, pattern, "gdelt", True)
    assert summary.startswith(sec.SYNTHETIC)
    assert f"**{dyad_count(truth):,} events** between Turkey and the Russian side (RUS, SYR)" in (
        summary)
    assert "over 2 months, read from 2 files." in summary
    assert ("No break test was run: the stream covers only 2 months in the window, and setting "
            "detected breaks against 1 curated boundary takes at least 6 months (3 per phase)."
            ) in summary
    assert caveat == sec.CAVEAT
    spec = chart.to_dict()
    assert spec["title"].startswith("Synthetic test data: GDELT 2.0 event stream")
    assert "over 2 months" in spec["description"] and "no break test" in spec["description"]
    without_syria = sec.phases_section(window, pattern, "gdelt", False)[0]
    assert f"**{dyad_count(truth, ('RUS',)):,} events**" in without_syria


def long_stream(data_dir, tmp_path, conflict_from: str | None, end: str = "2016-12-31"):
    """A monthly section over May to `end` 2016 (one curated boundary, 1 June), the stream
    mostly conflictual from `conflict_from` on and mostly cooperative before."""
    window = Window.load(str(data_dir), START, end)
    spans = [(conflict_from, end)] if conflict_from else []
    truth = make_events(3000, seed=4, start=START, end=end, conflict_spans=spans)
    write_gdelt(truth, tmp_path / "long", files=2, zipped=True)
    return sec.phases_section(window, str(tmp_path / "long" / "*.zip"), "gdelt", True)


def test_a_stream_long_enough_is_set_against_the_boundaries(data_dir, tmp_path):
    """Eight months for one boundary, at least min_periods(1) = 6: breaks are sought. The
    stream turns conflictual in September, so the one kept break is September, 92 days after
    the boundary of 1 June: not a match."""
    summary, chart, breaks, caveat = long_stream(data_dir, tmp_path, "2016-09-01")
    assert "over 8 months, read from 2 files." in summary
    assert ("places the one curated boundary **more than 60 days** from the nearest detected "
            "break.") in summary
    assert "No break test" not in summary
    assert breaks.to_dict("records") == [{
        "boundary": "start of Two", "kind": "curated", "date": "1 Jun 2016",
        "nearest kept break": "September 2016", "gap (days)": "+92", "within 60 days": "no"}]
    assert chart.to_dict()["title"].endswith("(dashed: detected breaks)")
    assert caveat == sec.CAVEAT


def test_a_stream_without_a_step_keeps_no_break(data_dir, tmp_path):
    summary, _, breaks, _ = long_stream(data_dir, tmp_path, None)
    assert "finds no break that beats noise, so no curated boundary lies within 60 days" in (
        summary)
    assert breaks["nearest kept break"].tolist() == [""]


def test_a_weekly_aggregate_counts_weeks_towards_the_minimum(window, tmp_path, capsys):
    """Ten weeks over two months; the stream turns conflictual in the week of 30 May, two days
    before the curated boundary of 1 June: a match."""
    truth = make_events(1500, seed=3, start=START, end=END,
                        conflict_spans=[("2016-05-30", END)])
    write_gdelt(truth, tmp_path / "weekly", files=2, zipped=True)
    out = tmp_path / "synthetic_weekly.csv"
    assert main(["stream", str(tmp_path / "weekly" / "*.zip"), "--format", "gdelt", "--freq",
                 "W", "--with", "SYR", "--start", START, "--end", END, "--out", str(out)]) == 0
    capsys.readouterr()
    summary, _, breaks, _ = sec.phases_section(window, str(out), "aggregate", True)
    assert "over 10 weeks, read from 1 file." in summary, "the week of 1 May starts 25 April"
    assert ("stream's weekly mean Goldstein score (binary segmentation, each break kept by a "
            "permutation test at p < 5%) places the one curated boundary **within 60 days** of "
            "a detected break.") in summary
    assert breaks[["gap (days)", "within 60 days"]].values.tolist() == [["\u22122", "yes"]]


def test_figures_hold_the_minimum_and_plurals_are_words(window, tmp_path):
    events = make_events(40, seed=1, start="2016-06-10", end="2016-06-10")
    in_dyad = [(a, b) in {("TUR", "RUS"), ("RUS", "TUR"), ("TUR", "SYR"), ("SYR", "TUR")}
               for a, b in zip(events["side1"], events["side2"], strict=True)]
    first = in_dyad.index(True)
    keep = [i == first or not d for i, d in enumerate(in_dyad)]
    write_gdelt(events[keep], tmp_path / "one")
    f = sec.stream_figures(window, str(tmp_path / "one" / "*.CSV"), "gdelt", True)
    assert f["min_periods"] == 6 and not f["break_test"]
    summary = sec.stream_summary(f, window)
    assert "over 1 month, read from 1 file." in summary
    assert "**1 event** between" in summary and "(s)" not in summary


def test_chart_holds_periods_not_events(window, tmp_path):
    small = sec.phases_section(window, stream_files(tmp_path, 300)[1], "gdelt", True)[1]
    large = sec.phases_section(window, stream_files(tmp_path, 6000, seed=9)[1], "gdelt",
                               True)[1]

    def rows(spec: object) -> int:
        """Data rows anywhere in a spec, inline or in named datasets."""
        if isinstance(spec, dict):
            own = sum(len(v) for v in spec.get("datasets", {}).values())
            data = spec.get("data")
            own += len(data["values"]) if isinstance(data, dict) and "values" in data else 0
            return own + sum(rows(v) for k, v in spec.items() if k not in ("datasets", "data"))
        return sum(rows(v) for v in spec) if isinstance(spec, list) else 0

    assert rows(small.to_dict()) == rows(large.to_dict()) > 0

    assert abs(len(small.to_json()) - len(large.to_json())) < 200


def test_an_aggregate_csv_gives_the_same_section(window, tmp_path, capsys):
    truth, pattern = stream_files(tmp_path, 800)
    out = tmp_path / "synthetic_stream.csv"
    assert main(["stream", pattern, "--format", "gdelt", "--freq", "M", "--with", "SYR",
                 "--start", START, "--end", END, "--out", str(out)]) == 0
    capsys.readouterr()
    summary = sec.phases_section(window, str(out), "aggregate", True)[0]
    assert summary.startswith(sec.SYNTHETIC)
    assert f"**{dyad_count(truth):,} events**" in summary
    assert "read from 1 file." in summary


def test_unknown_format_and_empty_window(window, data_dir, tmp_path):
    with pytest.raises(ValueError, match="event_stream_format must be one of"):
        sec.phases_section(window, "x.csv", "phoenix", True)
    empty = Window.load(str(data_dir), "2021-01-01", "2021-12-31")
    assert sec.phases_section(empty, stream_files(tmp_path, 50)[1], "gdelt", True) == (None,)
