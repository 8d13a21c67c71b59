"""Shared fixtures: a tiny, hand-made, valid dataset written into a temporary folder.

The rows are synthetic test fixtures, not facts: they exist to exercise the code.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from rusturk.data.schema import TABLES

RAW_TEXT = (
    "schema:articleBody\n| - SYNTHETIC TEST ARTICLE. In May 2016, Alpha and Beta sign a "
    "test accord. On June 3, 2016, a test clash leaves around 7 dead.\n"
)

SOURCES = [
    {"source_id": "test-article", "kind": "news", "publisher": "Test Agency",
     "title": "Synthetic article", "publication_date": "2016-06-04",
     "url_or_reference": "test fixture", "access_date": "2026-01-01",
     "licence_note": "synthetic", "raw_file": "raw/article.txt", "copy_type": "original",
     "affiliation": "independent", "standing": "established", "reliability": "B",
     "credibility": "1"},
    {"source_id": "test-codebook", "kind": "reference", "publisher": "Test",
     "title": "Synthetic codebook", "publication_date": "", "url_or_reference": "test fixture",
     "access_date": "2026-01-01", "licence_note": "synthetic", "raw_file": "",
     "copy_type": "mirror", "affiliation": "unknown", "standing": "minor", "reliability": "D",
     "credibility": "3"},
]
EVENTS = [
    {"event_id": "test-accord", "date": "2016-05", "date_precision": "month",
     "exact_date": "2016-05-10", "exact_date_source_id": "test-codebook",
     "exact_date_evidence": "signed on 10 May 2016", "title": "Test accord",
     "description": "A synthetic accord.", "actor_initiator": "RUS", "actor_target": "TUR",
     "category": "diplomatic", "strand": "bilateral", "cameo_code": "057",
     "intent": "deliberate", "location_name": "", "latitude": "",
     "longitude": "", "coordinates_source_id": "", "source_ids": "test-article",
     "evidence": "In May 2016, Alpha and Beta sign a test accord."},
    {"event_id": "test-clash", "date": "2016-06-03", "date_precision": "day", "exact_date": "",
     "exact_date_source_id": "", "exact_date_evidence": "", "title": "Test clash",
     "description": "A synthetic clash.", "actor_initiator": "SYR", "actor_target": "TUR",
     "category": "military", "strand": "syria-idlib", "cameo_code": "190",
     "intent": "deliberate", "location_name": "Testville",
     "latitude": "35.8", "longitude": "36.7", "coordinates_source_id": "test-codebook",
     "source_ids": "test-article;test-codebook",
     "evidence": "On June 3, 2016, a test clash   leaves around 7 dead."},
]
FIGURES = [
    {"event_id": "test-clash", "source_id": "test-article", "measure": "killed_total",
     "value_low": "", "value_best": "7", "value_high": "", "qualifier": "around", "as_of": "",
     "evidence": "a test clash leaves around 7 dead"},
    {"event_id": "test-clash", "source_id": "test-codebook", "measure": "killed_total",
     "value_low": "5", "value_best": "6", "value_high": "9", "qualifier": "", "as_of": "",
     "evidence": "between 5 and 9 died"},
]
PHASES = [
    {"phase_id": "p-one", "name": "One", "start": "2016-05-01", "end": "2016-05-31",
     "opening_event_id": "test-accord", "closing_event_id": "test-clash",
     "rationale": "synthetic"},
    {"phase_id": "p-two", "name": "Two", "start": "2016-06-01", "end": "2016-06-30",
     "opening_event_id": "test-clash", "closing_event_id": "", "rationale": "synthetic"},
]
CAMEO = [
    {"cameo_code": "057", "description": "Sign formal agreement", "quad_class": "1",
     "goldstein": "8.0", "goldstein_source_id": "test-codebook",
     "quad_class_source_id": "test-codebook", "note": ""},
    {"cameo_code": "190", "description": "Use conventional military force", "quad_class": "4",
     "goldstein": "-10.0", "goldstein_source_id": "test-codebook",
     "quad_class_source_id": "test-codebook", "note": ""},
]
ATTRIBUTIONS = [
    {"event_id": "test-clash", "claimed_initiator": "SYR", "source_id": "test-article",
     "claimant": "Test Agency", "evidence": "a test clash leaves around 7 dead"},
]
ROWS = {"sources": SOURCES, "events": EVENTS, "figures": FIGURES,
        "attributions": ATTRIBUTIONS, "phases": PHASES, "cameo": CAMEO}


def write_table(data_dir: Path, name: str, rows: list[dict[str, str]]) -> Path:
    path = data_dir / TABLES[name].filename
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=TABLES[name].columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid synthetic dataset; tests edit one thing and expect one kind of problem."""
    folder = tmp_path / "data"
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "article.txt").write_text(RAW_TEXT, encoding="utf-8")
    for name, rows in ROWS.items():
        write_table(folder, name, [dict(r) for r in rows])
    return folder


@pytest.fixture
def edit(data_dir: Path):
    """Change one cell and rewrite its table; edits accumulate within a test."""

    current = {name: [dict(r) for r in rows] for name, rows in ROWS.items()}

    def _edit(name: str, index: int, column: str, value: str) -> Path:
        current[name][index][column] = value
        return write_table(data_dir, name, current[name])

    return _edit


def pytest_collection_modifyitems(items):
    """The slower tier: everything under tests/integration executes notebooks, builds reports
    or reads generated streams end to end."""
    for item in items:
        if "tests/integration" in Path(str(item.fspath)).as_posix():
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    # Tests and the builds they start keep derived facts in a cache of their own: one per
    # run, made by the first process (xdist's workers inherit it), removed when the run ends.
    if not hasattr(config, "workerinput"):
        config.rusturk_cache = tempfile.mkdtemp(prefix="rusturk-test-cache-")
        os.environ["RUSTURK_CACHE"] = config.rusturk_cache


def pytest_unconfigure(config):
    if getattr(config, "rusturk_cache", None):
        shutil.rmtree(config.rusturk_cache, ignore_errors=True)


# -- the tiers ---------------------------------------------------------------------------------
# Unit tests run on hand-made data; the checks of the bundled data folder carry the `data`
# marker and run as their own tier (`make test-data`), so that editing data/ never breaks
# the unit tier. An audit hook enforces it: a unit test that opens a file under data/ fails.

BUNDLED_DATA = os.path.abspath(Path(__file__).resolve().parents[1] / "data") + os.sep
_GUARD = {"on": False, "seen": []}


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _GUARD["on"] or not isinstance(args[0], (str, os.PathLike)):
        return
    path = os.path.abspath(os.fspath(args[0]))
    if path.startswith(BUNDLED_DATA):
        _GUARD["on"] = False  # the failure's own reporting may open files there
        _GUARD["seen"].append(path)
        raise RuntimeError(f"a unit test opened the bundled {path[len(BUNDLED_DATA) - 5:]}; "
                           "give it hand-made data (the data_dir fixture) or mark it "
                           "@pytest.mark.data")


sys.addaudithook(_audit)


def _guarded(item):
    _GUARD["on"] = not ({"data", "slow"} & {m.name for m in item.iter_markers()})
    try:
        return (yield)
    finally:
        _GUARD["on"] = False


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(_guarded)
pytest_runtest_call = pytest.hookimpl(wrapper=True)(_guarded)


def made_once(tmp_path_factory, name: str, make) -> Path:
    """A folder that `make` fills once per test session and worker, for a module fixture that
    builds reports. pytest-xdist tears a worker's fixtures down whenever the worker has no
    next test in hand, even in the middle of a module; the folder outlives that, so the
    fixture made again finds its reports built and does not build them twice."""
    folder = tmp_path_factory.getbasetemp() / f"made-once-{name}"
    if not (folder / ".made").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        make(folder)
        (folder / ".made").touch()
    return folder
