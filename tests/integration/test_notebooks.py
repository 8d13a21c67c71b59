"""Execute each notebook with papermill into a temporary folder and check what it shows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import papermill
import pytest
from checkout import REPO_ROOT

import rusturk.notebook as rn

NOTEBOOKS = REPO_ROOT / "notebooks"
VEGA_LITE = "application/vnd.vegalite.v5+json"
CHARTS = {"01_overview": 3, "02_phases": 3, "03_idlib": 4}
# The UCDP GED section adds its charts where the window overlaps GED (to 30 Nov 2019): the
# monthly series, the series by type of violence and by side, and the Sochi test.
GED_CHARTS = {"03_idlib": 4}
DEFAULT_START = {"01_overview": "2015-11-24", "02_phases": "2015-11-24", "03_idlib": "2018-09-01"}


@pytest.fixture(autouse=True)
def project(monkeypatch):
    """The notebooks run in a temporary folder: the project is named, as outside it a user
    names it (the kernel inherits the environment)."""
    monkeypatch.setenv("RUSTURK_ROOT", str(REPO_ROOT))


def summary_for(name: str, w: rn.Window) -> str:
    if name == "01_overview":
        return str(rn.overview_summary(w, 180, True))
    if name == "02_phases":
        return str(rn.phases_summary(w, True, ["rupture", "idlib-escalation"], ["2020-02-03"]))
    return str(rn.idlib_summary(w))


def run(name: str, tmp_path: Path, **parameters) -> dict:
    out = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out),
                               parameters=parameters, kernel_name="python3",
                               cwd=str(tmp_path), progress_bar=False)
    return json.loads(out.read_text(encoding="utf-8"))


def outputs(book: dict) -> list[dict]:
    return [o for c in book["cells"] for o in c.get("outputs", [])]


def markdown(book: dict) -> list[str]:
    return ["".join(o["data"]["text/markdown"]) for o in outputs(book)
            if "text/markdown" in o.get("data", {})]


def html(book: dict) -> list[str]:
    return ["".join(o["data"]["text/html"]) for o in outputs(book)
            if "text/html" in o.get("data", {})]


def charts(book: dict) -> list[dict]:
    return [o["data"][VEGA_LITE] for o in outputs(book) if VEGA_LITE in o.get("data", {})]


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize("start", ["default", "2019-12-01"])
def test_notebook_runs_and_shows_computed_figures(name, start, tmp_path):
    params = {} if start == "default" else {"start_date": start}
    book = run(name, tmp_path, **params)
    assert not [o for o in outputs(book) if o.get("output_type") == "error"]
    window = rn.Window.load("", params.get("start_date", DEFAULT_START[name]), "2020-03-31")
    assert html(book)[0] == summary_for(name, window)
    ged = GED_CHARTS.get(name, 0) if window.start <= pd.Timestamp("2019-11-30") else 0
    assert len(charts(book)) == CHARTS[name] + ged
    for spec in charts(book):
        assert spec.get("description"), "every chart carries a description for screen readers"
        assert spec.get("title") or spec.get("vconcat")
    assert f"Data version <code>{window.ds.version}</code>" in html(book)[-1]


def test_narrowed_window_counts_match_the_csv(tmp_path):
    # An independent count, straight from events.csv: every event since 1 December 2019 is
    # dated to the day, directly or through exact_date.
    with (REPO_ROOT / "data" / "events.csv").open(encoding="utf-8") as handle:
        days = [r["exact_date"] or r["date"] for r in csv.DictReader(handle)]
    expected = sum(1 for d in days if len(d) == 10 and d >= "2019-12-01")
    book = run("03_idlib", tmp_path, start_date="2019-12-01")
    assert (f"The window holds <strong>{expected} events</strong>, {expected} of them dated to "
            "the day") in html(book)[0]
    assert "1 Dec 2019 to 31 Mar 2020" in html(book)[0]


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_empty_window_gives_a_message_not_a_traceback(name, tmp_path):
    book = run(name, tmp_path, start_date="2021-01-01", end_date="2021-12-31")
    assert not [o for o in outputs(book) if o.get("output_type") == "error"]
    assert html(book)[0].startswith("<p><strong>No events in the window 1 Jan 2021 to "
                                    "31 Dec 2021.")
    assert charts(book) == []
