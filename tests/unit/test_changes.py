"""What changed between two editions of the data: snapshots, the diff, the git baseline, text."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

import mistune
import pytest
from conftest import EVENTS, FIGURES, SOURCES, write_table

from rusturk.cli import main
from rusturk.data.changes import (
    Changes,
    ChangesError,
    Modified,
    Row,
    TableChanges,
    diff,
    snapshot,
    snapshot_from_git,
    to_markdown,
    to_text,
)

NEW_EVENT = dict(
    EVENTS[1], event_id="test-retaliation", date="2016-06-04", title="Test retaliation",
    description="A synthetic retaliation the day after the clash.", cameo_code="190")
FIGURE_KEY = '["test-clash","test-article","killed_total","",""]'


def figure_row(**changes: str) -> dict[str, str]:
    return dict(FIGURES[0], **changes)


# -- snapshots -------------------------------------------------------------------------------

def test_snapshot_holds_every_table_keyed_with_empty_cells_left_out(data_dir):
    snap = snapshot(data_dir, label="edition one")
    assert snap["format"] == 1 and snap["label"] == "edition one"
    assert list(snap["tables"]) == ["events", "sources", "figures", "attributions", "phases",
                                   "cameo", "ucdp_ged"]
    assert snap["tables"]["ucdp_ged"] == {}  # optional, and absent from this folder
    assert list(snap["tables"]["events"]) == ["test-accord", "test-clash"]
    clash = snap["tables"]["events"]["test-clash"]
    assert clash["source_ids"] == "test-article;test-codebook"
    assert "exact_date" not in clash  # empty in the CSV
    # The raw string, whitespace inside the quote kept: the snapshot is not normalised.
    assert clash["evidence"] == "On June 3, 2016, a test clash   leaves around 7 dead."
    assert snap["tables"]["figures"][FIGURE_KEY]["value_best"] == "7"
    assert list(snap["tables"]["figures"]) == sorted(snap["tables"]["figures"])


def test_snapshot_is_deterministic_json(data_dir):
    first = json.dumps(snapshot(data_dir), ensure_ascii=False)
    assert json.dumps(snapshot(data_dir), ensure_ascii=False) == first
    assert json.loads(first) == snapshot(data_dir)
    # Row order in the file does not matter.
    write_table(data_dir, "figures", [dict(r) for r in reversed(FIGURES)])
    assert json.dumps(snapshot(data_dir), ensure_ascii=False) == first


def test_snapshot_refuses_an_unreadable_table(data_dir):
    (data_dir / "figures.csv").unlink()
    with pytest.raises(ChangesError, match=r"figures\.csv:1: -: file not found"):
        snapshot(data_dir)


def test_snapshot_refuses_duplicate_keys(data_dir):
    write_table(data_dir, "figures", [dict(r) for r in FIGURES] + [dict(FIGURES[0])])
    with pytest.raises(ChangesError, match=r"figures\.csv:4: duplicate key .*first on line 2"):
        snapshot(data_dir)


# -- the diff --------------------------------------------------------------------------------

def test_unchanged_data_gives_no_changes(data_dir):
    changes = diff(snapshot(data_dir, label="v1"), snapshot(data_dir))
    assert changes.is_empty and not changes.first_edition
    assert changes.baseline == "v1" and changes.counts() == {}
    assert to_markdown(changes) == (
        "## What changed in this edition\n\nNo data changes since v1.\n")


def test_no_baseline_is_the_first_edition(data_dir):
    changes = diff(None, snapshot(data_dir))
    assert changes.first_edition and changes.tables == {}
    assert "First edition — no earlier build to compare with." in to_markdown(changes)


def test_added_removed_and_modified_events(data_dir):
    before = snapshot(data_dir)
    write_table(data_dir, "events", [dict(EVENTS[1], title="Test clash, renamed",
                                          note="A note where there was none."), NEW_EVENT])
    changes = diff(before, snapshot(data_dir))
    events = changes.table("events")
    assert events.added == [Row("test-retaliation", {k: v for k, v in NEW_EVENT.items() if v})]
    assert [r.key for r in events.removed] == ["test-accord"]
    assert events.removed[0].values["title"] == "Test accord"
    assert len(events.modified) == 1
    modified = events.modified[0]
    assert modified.key == "test-clash"
    # Fields in schema order, old → new, with "" for an empty cell.
    assert modified.fields == {"title": ("Test clash", "Test clash, renamed"),
                               "note": ("", "A note where there was none.")}
    assert changes.counts() == {"events": {"added": 1, "removed": 1, "modified": 1}}
    assert not changes.is_empty


def test_figure_changes_use_the_composite_key(data_dir):
    before = snapshot(data_dir)
    write_table(data_dir, "figures", [
        figure_row(value_best="8"),  # same key, new value: modified
        dict(FIGURES[1], claimant="Test governor"),  # claimant is in the key: removed + added
    ])
    figures = diff(before, snapshot(data_dir)).table("figures")
    assert [(m.key, m.fields) for m in figures.modified] == [(FIGURE_KEY, {"value_best":
                                                                           ("7", "8")})]
    assert [r.key for r in figures.added] == [
        '["test-clash","test-codebook","killed_total","","Test governor"]']
    assert [r.key for r in figures.removed] == [
        '["test-clash","test-codebook","killed_total","",""]']


def test_source_changes(data_dir):
    before = snapshot(data_dir)
    new_source = dict(SOURCES[1], source_id="test-report", title="Synthetic report")
    write_table(data_dir, "sources", [dict(SOURCES[0], access_date="2026-02-01"),
                                      dict(SOURCES[1]), new_source])
    sources = diff(before, snapshot(data_dir)).table("sources")
    assert [r.key for r in sources.added] == ["test-report"] and sources.removed == []
    assert [(m.key, m.fields) for m in sources.modified] == [
        ("test-article", {"access_date": ("2026-01-01", "2026-02-01")})]


def test_snapshots_survive_a_json_round_trip(data_dir, edit):
    stored = json.loads(json.dumps(snapshot(data_dir, label="stored")))
    edit("figures", 0, "value_best", "9")
    changes = diff(stored, snapshot(data_dir))
    assert changes.baseline == "stored"
    assert changes.table("figures").modified[0].fields == {"value_best": ("7", "9")}


def test_an_unknown_snapshot_format_is_refused(data_dir):
    with pytest.raises(ChangesError, match="format 99"):
        diff({"format": 99, "tables": {}}, snapshot(data_dir))


# -- the git baseline ------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def repo(data_dir: Path) -> Path:
    """A git repository holding the fixture dataset in data/, committed once and tagged v1."""
    root = data_dir.parent
    git(root, "init", "--quiet")
    git(root, "add", "data")
    git(root, "commit", "--quiet", "-m", "first edition")
    git(root, "tag", "v1")
    return root


def test_git_baseline_reads_the_tables_at_a_revision(repo, data_dir, edit):
    at_v1 = snapshot(data_dir)
    edit("figures", 0, "value_best", "8")
    git(repo, "commit", "--quiet", "-am", "correct a figure")
    edit("figures", 0, "value_best", "9")  # uncommitted: only the working tree has it

    baseline = snapshot_from_git("v1", data_dir)
    commit = git(repo, "rev-parse", "v1")
    assert baseline["tables"] == at_v1["tables"]
    assert baseline["label"] == f"v1 ({commit[:7]})"

    changes = diff(snapshot_from_git("HEAD", data_dir), snapshot(data_dir))
    assert [m.fields for m in changes.table("figures").modified] == [{"value_best": ("8", "9")}]
    assert to_text(changes).splitlines()[2].startswith("Since HEAD (")


def test_git_baseline_errors_are_clear(repo, data_dir, tmp_path_factory, monkeypatch):
    with pytest.raises(ChangesError, match="unknown git revision 'no-such-tag'"):
        snapshot_from_git("no-such-tag", data_dir)
    with pytest.raises(ChangesError, match="not a git revision"):
        snapshot_from_git("--output=/tmp/x", data_dir)

    (data_dir / "phases.csv").rename(data_dir / "phases.tmp")
    git(repo, "rm", "--quiet", "--cached", "data/phases.csv")
    git(repo, "commit", "--quiet", "-m", "drop phases")
    with pytest.raises(ChangesError, match=r"data/phases\.csv does not exist at HEAD \("):
        snapshot_from_git("HEAD", data_dir)

    elsewhere = tmp_path_factory.mktemp("not-a-repo") / "data"
    shutil.copytree(data_dir, elsewhere)
    # Stop git looking further up, in case the temporary folder sits inside a repository.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(elsewhere.parent))
    with pytest.raises(ChangesError, match="is not in a git repository"):
        snapshot_from_git("HEAD", elsewhere)


def test_changes_command_prints_changes_since_a_revision(repo, data_dir, edit, capsys):
    edit("figures", 0, "value_best", "8")
    assert main(["changes", "--since", "v1", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Modified figure test-clash / test-article / killed_total: value_best 7 → 8" in out
    assert main(["changes", "--since", "nope", "--data", str(data_dir)]) == 1
    assert "unknown git revision 'nope'" in capsys.readouterr().err


# -- rendering -------------------------------------------------------------------------------

def test_markdown_lists_each_change(data_dir, edit):
    before = snapshot(data_dir, label="the build of 2016-06-30")
    write_table(data_dir, "events", [dict(r) for r in EVENTS] + [NEW_EVENT])
    edit("figures", 0, "value_best", "8")
    text = to_markdown(diff(before, snapshot(data_dir)))
    assert text.splitlines() == [
        "## What changed in this edition",
        "",
        "Since the build of 2016-06-30: 1 event added; 1 figure modified.",
        "",
        "- Added event `test-retaliation` (2016-06-04): A synthetic retaliation the day after "
        "the clash.",
        r"- Modified figure `test-clash / test-article / killed_total`: value\_best 7 → 8",
    ]


def test_figures_and_sources_are_described_by_value_and_title(data_dir):
    before = snapshot(data_dir)
    write_table(data_dir, "figures", [dict(FIGURES[0])])
    new_source = dict(SOURCES[1], source_id="test-report", publisher="Test Office",
                      title="Synthetic report")
    write_table(data_dir, "sources", [dict(r) for r in SOURCES] + [new_source])
    lines = to_text(diff(before, snapshot(data_dir))).splitlines()
    assert lines[2:] == [
        "Since the previous edition: 1 figure removed; 1 source added.",
        "",
        "- Removed figure test-clash / test-codebook / killed_total: 6 (5–9)",
        "- Added source test-report: Test Office, “Synthetic report”",
    ]


def test_descriptions_are_cut_to_100_characters(data_dir):
    before = snapshot(data_dir)
    long_event = dict(NEW_EVENT, description="word " * 40)
    write_table(data_dir, "events", [dict(r) for r in EVENTS] + [long_event])
    line = to_text(diff(before, snapshot(data_dir))).splitlines()[-1]
    summary = line.split("(2016-06-04): ", 1)[1]
    assert len(summary) == 100 and summary.endswith("…")


def test_long_lists_are_truncated_per_table():
    rows = [Row(f"event-{i:02d}", {"date": "2016-06-01", "description": f"Event {i}"})
            for i in range(12)]
    changes = Changes("v1", {"events": TableChanges("events", added=rows)})
    lines = to_markdown(changes, max_items=5).splitlines()
    bullets = [line for line in lines if line.startswith("- ")]
    assert len(bullets) == 6
    assert bullets[-1] == "- … and 7 more event changes"
    assert "12 events added" in lines[2]


def test_long_modified_values_show_where_they_differ():
    old = "The same long opening words of a description, repeated. " * 3 + "Old ending."
    new = old.replace("Old ending.", "New ending.")
    mod = Modified("e", {"description": (old, new)}, {"description": old},
                   {"description": new})
    changes = Changes("v1", {"events": TableChanges("events", modified=[mod])})
    line = to_text(changes).splitlines()[-1]
    assert "Old ending." in line and "New ending." in line and len(line) < 200


def test_hostile_text_is_escaped_for_html(data_dir):
    before = snapshot(data_dir, label="<b>v1</b>")
    hostile = dict(NEW_EVENT, description="<script>alert('x')</script> & [click](javascript:x)"
                   " *loud*", event_id="test-hostile")
    rows = [dict(r) for r in EVENTS] + [hostile]
    rows[1]["title"] = "<img src=x onerror=alert(1)>"
    write_table(data_dir, "events", rows)
    markdown = to_markdown(diff(before, snapshot(data_dir)))
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown

    rendered = mistune.html(markdown)
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<b>" not in rendered and "<em>" not in rendered
    # The text itself survives, shown to the reader as typed.
    shown = html.unescape(rendered)
    assert "<script>alert('x')</script> & [click](javascript:x) *loud*" in shown
    assert "<img src=x onerror=alert(1)>" in shown and "Since <b>v1</b>:" in shown


def test_hostile_keys_are_escaped_too():
    row = Row("<script>x</script>", {"description": "d"})
    markdown = to_markdown(Changes("v1", {"cameo": TableChanges("cameo", added=[row])}))
    rendered = mistune.html(markdown)
    assert "<script" not in rendered
    assert "<code>&lt;script&gt;x&lt;/script&gt;</code>" in rendered
