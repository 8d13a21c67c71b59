"""The `rusturk` command: exit codes and what it prints."""

from __future__ import annotations

import json

from rusturk.cli import main
from rusturk.data.dictionary import render


def test_validate_ok_prints_summary(data_dir, capsys):
    assert main(["validate", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "events: 2 (2 from the source article, 0 from other sources)" in out
    assert "study period: 2016-05-01 to 2016-06-30" in out
    assert "p-one (One)" in out


def test_validate_bad_data_exits_1_with_lines(data_dir, edit, capsys):
    edit("events", 1, "date", "2016-06-31")
    assert main(["validate", "--data", str(data_dir)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("events.csv:3: date: expected date (YYYY-MM-DD, YYYY-MM or YYYY); "
                           "got '2016-06-31'")
    assert err[-1] == "1 problem(s) found"


def test_missing_folder_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    # In process: `python -m rusturk` itself is run by the stream and build tests.
    assert main(["validate", "--data", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "events.csv:1: -: file not found" in err


def test_dictionary_check_detects_drift(tmp_path, capsys):
    target = tmp_path / "README.md"
    package = tmp_path / "datapackage.json"  # written beside the dictionary
    assert main(["dictionary", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render()
    assert json.loads(package.read_text(encoding="utf-8"))["resources"][0]["path"] == "events.csv"
    assert main(["dictionary", "--out", str(target), "--check"]) == 0
    target.write_text("stale", encoding="utf-8")
    assert main(["dictionary", "--out", str(target), "--check"]) == 1
    assert main(["dictionary", "--out", str(target)]) == 0
    package.write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert main(["dictionary", "--out", str(target), "--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{package}: out of date with src/rusturk/data/schema.py; run `rusturk dictionary`"]


def test_dictionary_writes_the_package_where_asked(tmp_path):
    package = tmp_path / "elsewhere" / "dp.json"
    package.parent.mkdir()
    assert main(["dictionary", "--out", str(tmp_path / "README.md"), "--package",
                 str(package)]) == 0
    assert json.loads(package.read_text(encoding="utf-8"))["name"] == "rusturk"
    assert not (tmp_path / "datapackage.json").exists()


def test_site_is_a_subcommand_and_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["site", str(tmp_path / "nowhere"), str(tmp_path / "_site")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rusturk site: ")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    assert main(["site", str(tmp_path / "reports"), str(tmp_path / "_site")]) == 0
    assert (tmp_path / "_site" / "a.pdf").read_bytes() == b"%PDF-1.7 test"


def test_changes_max_items_below_one_is_refused(tmp_path, capsys):
    assert main(["changes", "--since", "HEAD", "--max-items", "0"]) == 2
    assert capsys.readouterr().err == "rusturk changes: --max-items must be 1 or more\n"
