"""The regrade tool: a sources file brought into line with the grade rule, by hand-made cases."""

from __future__ import annotations

import csv
import io

from rusturk.cli import main
from rusturk.data.grades import regrade
from rusturk.data.schema import SOURCES

# Written before the `standing` column existed: 14 fields a row, as the fill helpers' rows are.
OLD_HEADER = [c for c in SOURCES.columns if c != "standing"]


def _row(source_id, publisher, kind, copy_type, affiliation, reliability, credibility):
    cells = dict.fromkeys(OLD_HEADER, "x")
    cells.update(source_id=source_id, publisher=publisher, kind=kind, copy_type=copy_type,
                 affiliation=affiliation, reliability=reliability, credibility=credibility,
                 raw_file="", publication_date="", note="")
    return [cells[c] for c in OLD_HEADER]


def _text(rows, header=OLD_HEADER):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


def _by_id(text):
    return {r["source_id"]: r for r in csv.DictReader(io.StringIO(text))}


ROWS = [
    # (id, publisher, kind, copy, affiliation, reliability, credibility)
    ("wire-a", "Reuters", "news", "original", "independent", "C", "2"),
    ("wire-b", "Reuters (via Some Paper)", "news", "syndicated", "independent", "C", "1"),
    ("blog", "Some Blog", "news", "aggregator", "unknown", "C", "2"),
    ("agency", "TASS", "news", "original", "state-media", "B", "3"),
    ("newsite", "New Site", "news", "original", "independent", "B", "2"),
]


def test_regrade_adds_standing_and_follows_the_rule():
    text = _text([_row(*r) for r in ROWS])
    # wire-a has no standing yet, so it is taken as minor; wire-b gets wire-a's.
    fixed, changes = regrade(text)
    rows = _by_id(fixed)
    assert list(rows["blog"].keys()) == SOURCES.columns
    # Expected grades read off the codebook's table (section 9), not from the code:
    assert {k: (r["standing"], r["reliability"], r["credibility"]) for k, r in rows.items()} == {
        "wire-a": ("minor", "C", "2"),        # independent, standing unknown -> minor -> C
        "wire-b": ("minor", "C", "1"),        # same publisher as wire-a
        "blog": ("minor", "D", "3"),          # aggregator -> D; "probably true" needs A-C
        "agency": ("established", "C", "2"),  # state media -> C; "possibly true" needs D-F
        "newsite": ("minor", "C", "2"),       # a new independent outlet: minor until read
    }
    assert "wire-a: standing '' -> minor (please confirm)" in changes
    assert "agency: reliability B -> C" in changes and "blog: credibility 2 -> 3" in changes


def test_a_known_established_publisher_lends_its_standing():
    rows = [_row(*r) for r in ROWS]
    header = list(OLD_HEADER)
    at = header.index("affiliation") + 1
    header.insert(at, "standing")
    rows = [[*r[:at], "established" if r[0] == "wire-a" else "", *r[at:]] for r in rows]
    fixed, _ = regrade(_text(rows, header))
    got = _by_id(fixed)
    assert (got["wire-a"]["reliability"], got["wire-b"]["reliability"]) == ("B", "B")
    assert got["newsite"]["standing"] == "minor"


def test_cli_checks_then_fixes(tmp_path, capsys):
    (tmp_path / "sources.csv").write_text(_text([_row(*r) for r in ROWS]), encoding="utf-8")
    assert main(["grades", str(tmp_path)]) == 1          # changes needed, nothing written
    assert "standing" not in (tmp_path / "sources.csv").read_text(encoding="utf-8")
    assert main(["grades", str(tmp_path), "--fix"]) == 0
    assert main(["grades", str(tmp_path)]) == 0          # now follows the rule
    assert "grades follow the rule" in capsys.readouterr().out


def test_cli_names_a_broken_file(tmp_path, capsys):
    (tmp_path / "sources.csv").write_text("source_id,kind\nx\n", encoding="utf-8")
    assert main(["grades", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sources.csv:1:" in err
