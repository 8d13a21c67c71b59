"""Hostile data and hostile files: each case built in a temporary folder, each giving its
clear error or its correct result."""

from __future__ import annotations

import os
import signal
import time

import pytest
from markupsafe import Markup

from rusturk.common.problems import Problem
from rusturk.data.validate import MAX_RAW_BYTES, validate
from rusturk.report.params import ParameterError, coerce, resolve

LINK = "[x](javascript:alert(1)) ![i](http://host.invalid/x.png) <http://host.invalid/> <b>b</b>"


def problems(data_dir) -> list[Problem]:
    return validate(data_dir).problems


@pytest.mark.parametrize("bad", ["vertical\x0btab", "esc\x1b[2Jclear", "rtl\u202eoverride",
                                 "nul\x00byte", "c1\x85control"])
def test_control_and_bidirectional_characters_are_refused(edit, data_dir, bad):
    edit("events", 0, "title", bad)
    (problem,) = problems(data_dir)
    assert (problem.row, problem.column) == (2, "title")
    assert "control character U+" in problem.message
    line = str(problem)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in line)


def test_tab_and_newline_are_allowed_in_text(edit, data_dir):
    edit("events", 0, "description", "first line\nsecond\tline")
    assert problems(data_dir) == []


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd", "raw/../../x.txt"])
def test_raw_files_stay_inside_the_data_folder(edit, data_dir, name):
    edit("sources", 0, "raw_file", name)
    found = [p for p in problems(data_dir) if p.column == "raw_file"]
    assert len(found) == 1 and "outside the data folder" in found[0].message


def test_a_symlink_out_of_the_data_folder_is_refused(edit, data_dir):
    (data_dir / "raw" / "link.txt").symlink_to("/etc/hostname")
    edit("sources", 0, "raw_file", "raw/link.txt")
    (problem,) = [p for p in problems(data_dir) if p.column == "raw_file"]
    assert "outside the data folder" in problem.message


def test_a_fifo_is_not_read(edit, data_dir):
    os.mkfifo(data_dir / "raw" / "pipe.txt")
    edit("sources", 0, "raw_file", "raw/pipe.txt")
    (problem,) = [p for p in problems(data_dir) if p.column == "raw_file"]
    assert "not a regular file" in problem.message


def test_an_oversized_raw_file_is_not_read(edit, data_dir):
    with (data_dir / "raw" / "huge.txt").open("wb") as handle:
        handle.truncate(MAX_RAW_BYTES + 1)  # sparse: nothing is written
    edit("sources", 0, "raw_file", "raw/huge.txt")
    (problem,) = [p for p in problems(data_dir) if p.column == "raw_file"]
    assert "at most" in problem.message


def test_a_symlink_loop_is_a_problem_not_a_traceback(edit, data_dir):
    (data_dir / "raw" / "a").symlink_to(data_dir / "raw" / "b")
    (data_dir / "raw" / "b").symlink_to(data_dir / "raw" / "a")
    edit("sources", 0, "raw_file", "raw/a")
    assert [p for p in problems(data_dir) if p.column == "raw_file"]


@pytest.mark.parametrize(("name", "kind", "value", "message"), [
    ("smoothing_window_days", "int", "-5", "from 1 to"),
    ("smoothing_window_days", "int", "0", "from 1 to"),
    ("smoothing_window_days", "int", 1.9, "type int"),
    ("start_date", "str", "2019-W10-1", "YYYY-MM-DD"),
    ("end_date", "str", "2020-02-30", "YYYY-MM-DD"),
])
def test_parameters_have_ranges(name, kind, value, message):
    with pytest.raises(ParameterError, match=message):
        coerce(name, kind, value)


def test_an_overlong_data_dir_is_refused_in_one_line():
    from rusturk.report.params import Parameter

    declared = {"data_dir": Parameter("data_dir", "str", "", "")}
    with pytest.raises(ParameterError, match="characters long"):
        resolve(declared, {"data_dir": "x" * 5000}, "nb")


@pytest.mark.parametrize("error", [OSError(28, "No space left on device", "/out/a.pdf"),
                                   OSError(30, "Read-only file system", "/out"),
                                   OSError(36, "File name too long", "/out/x"),
                                   OSError(40, "Too many levels of symbolic links", "/d")])
def test_faults_end_in_one_line_and_exit_1(monkeypatch, capsys, error):
    from rusturk import cli
    from rusturk.report import build

    def fail(options, progress=None):
        raise error

    monkeypatch.setattr(build, "run", fail)
    assert cli.main(["build", "--no-pdf"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert error.strerror in err and "untouched" in err


def test_a_crashed_renderer_ends_in_one_line(monkeypatch, capsys):
    from rusturk import cli
    from rusturk.report import build

    crash = type("TargetClosedError", (Exception,), {"__module__": "playwright._impl._errors"})

    def fail(options, progress=None):
        raise crash("Target page, context or browser has been closed")

    monkeypatch.setattr(build, "run", fail)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "renderer failed" in err


def test_stale_staging_folders_are_removed_under_the_lock(tmp_path):
    from rusturk.report.build import _remove_stale
    from rusturk.report.progress import Progress

    (tmp_path / ".staging-abc" / "full").mkdir(parents=True)
    (tmp_path / "full").mkdir()
    _remove_stale(tmp_path, Progress(open(os.devnull, "w")))  # noqa: SIM115
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_sigterm_stops_a_build_like_ctrl_c():
    from rusturk.cli import _terminated_as_interrupt

    def before(signum, frame):  # a handler of our own, which the build must give back
        raise AssertionError("the build's handler should have run")

    previous = signal.signal(signal.SIGTERM, before)
    try:
        with pytest.raises(KeyboardInterrupt), _terminated_as_interrupt():
            assert signal.getsignal(signal.SIGTERM) is not before
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler raises as soon as the signal arrives
        assert signal.getsignal(signal.SIGTERM) is before, "the previous handler is restored"
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_markdown_and_html_in_data_text_stay_text(data_dir, edit):
    from rusturk.analysis.window import Window
    from rusturk.notebook.sections import sources_html

    edit("sources", 0, "publisher", LINK)
    edit("sources", 0, "title", LINK)
    w = Window.load(str(data_dir), "2016-05-01", "2016-06-30")
    page = str(sources_html(w))
    assert isinstance(sources_html(w), Markup)
    assert "<a " not in page and "<img" not in page and "<b>" not in page
    assert "[x](javascript:alert(1))" in page
