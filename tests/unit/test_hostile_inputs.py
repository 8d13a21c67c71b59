"""Issue 22's probes: nothing the build reads can delete a file, run code, hang or exhaust the
machine, and every user mistake ends in one line. Each test names its finding (F1 … F11).

Inputs are built in temporary folders. Where a build would start kernels, `no_kernels`
replaces them, so that a test fails fast, rather than after running notebooks, if the build
goes further than it should. Tests that do run kernels are marked slow.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from checkout import REPO_ROOT

from rusturk import cli
from rusturk.report import build, plan
from rusturk.report.params import ParameterError, coerce
from rusturk.report.variants import load_variants, notebook_values

PARAMS = ('start_date: str = "2019-12-01"  # first day\n'
          'end_date: str = "2020-03-31"  # last day\n'
          'data_dir: str = ""  # data folder\n'
          "names: list = [\"a\"]  # a list\n")


def make_notebook(folder: Path, name: str, *cells: str, params: str = PARAMS) -> Path:
    book = nbformat.v4.new_notebook()
    first = nbformat.v4.new_code_cell(params)
    first.metadata["tags"] = ["parameters"]
    book.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), first,
                  *(nbformat.v4.new_code_cell(c) for c in cells)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(book, path)
    return path


def reports_yaml(folder: Path, body: str) -> Path:
    path = folder / "reports.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path, data_dir):
    """A report `r` of one notebook `a` over the synthetic data, and an output folder."""
    make_notebook(tmp_path / "nbs", "a", "print('ran')")
    variants = reports_yaml(tmp_path, """\
        notebooks_dir: nbs
        reports:
          - name: r
            notebooks: [a]
        """)
    return {"variants": variants, "out": tmp_path / "out", "data": data_dir,
            "args": ["build", "--variants", str(variants), "--out", str(tmp_path / "out"),
                     "-p", f"data_dir={data_dir}"]}


class _NoKernels:
    """Stands in for the build's kernels: none is ever started."""

    def __init__(self, count: int, kernel_name: str = "python3", wanted: int = 0) -> None:
        import threading

        self.stopping = threading.Event()

    def take(self):
        raise AssertionError("a kernel was asked for")

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def no_kernels(monkeypatch):
    """The build may check and plan, but a notebook that would run fails the test."""
    from rusturk.report import execute

    def refuse(*args, **kwargs):
        raise AssertionError("a notebook would have run")

    monkeypatch.setattr(execute, "Kernels", _NoKernels)
    monkeypatch.setattr(build, "_execute", refuse)


def one_line(capsys) -> str:
    """The error: one line, the last, after any progress lines; no traceback."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines and not any("Traceback" in line for line in lines)
    errors = [line for line in lines if line.startswith(("rusturk build:", "rusturk stream:"))]
    assert errors == lines[-1:], lines
    return lines[-1]


def commit(p, staged: Path, out: Path) -> None:
    """The build's commit of one staged report into `out`. (Before issue 22 it took the
    report's folder rather than the output folder; the tests run against either.)"""
    import inspect

    third = list(inspect.signature(build._commit).parameters)[2]
    build._commit(p, staged, out / p.variant.name if third == "folder" else out)


# -- F1: a tampered manifest deletes nothing -------------------------------------------------------

def _staged_report(folder: Path, names: dict[str, str]) -> Path:
    """A staged report: files and a manifest listing them."""
    folder.mkdir(parents=True)
    outputs = {}
    for name, text in names.items():
        (folder / name).write_text(text, encoding="utf-8")
        outputs[name] = plan.sha256_file(folder / name)
    manifest = {"format": plan.MANIFEST_FORMAT, "outputs": outputs,
                "notebooks": {"a": {"fingerprint": "x"}}, "briefing": {"fingerprint": "y"}}
    (folder / plan.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_f1_a_tampered_manifest_deletes_no_file_outside_the_report(tiny, tmp_path):
    victims = [tmp_path / "victim.txt", tmp_path / "out" / "victim.txt"]
    for victim in victims:
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("keep me", encoding="utf-8")
    folder = tiny["out"] / "r"
    folder.mkdir(parents=True)
    tampered = {"format": 1, "notebooks": {}, "briefing": {"fingerprint": "x"},
                "outputs": {str(victims[0]): "0" * 64, "../victim.txt": "0" * 64,
                            "../../victim.txt": "0" * 64}}
    (folder / plan.MANIFEST).write_text(json.dumps(tampered), encoding="utf-8")
    (variant,) = load_variants(tiny["variants"])
    (p,) = plan.plan([variant], {"data_dir": str(tiny["data"])}, tiny["out"], force=False,
                     pdf=False)
    staged = _staged_report(tmp_path / "staging" / "r", {"a.ipynb": "new", "a.html": "new"})
    commit(p, staged, tiny["out"])
    assert all(v.read_text(encoding="utf-8") == "keep me" for v in victims)
    assert (tiny["out"] / "r" / "a.html").read_text(encoding="utf-8") == "new"
    assert "ignored, the report is rebuilt" in p.note


@pytest.mark.parametrize("manifest", [
    {"format": 1, "notebooks": [], "briefing": {}, "outputs": {}},
    {"format": 1, "notebooks": {}, "briefing": {"fingerprint": "x"}, "outputs": ["a.html"]},
    {"format": 1, "notebooks": {"a": "x"}, "briefing": {"fingerprint": "x"}, "outputs": {}},
    [1, 2, 3],
])
def test_f10_a_manifest_of_the_wrong_shape_is_ignored_with_a_line(tiny, manifest):
    folder = tiny["out"] / "r"
    folder.mkdir(parents=True)
    (folder / plan.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (variant,) = load_variants(tiny["variants"])
    (p,) = plan.plan([variant], {"data_dir": str(tiny["data"])}, tiny["out"], force=False,
                     pdf=False)
    assert p.rebuild and p.previous == {}
    assert "manifest.json is not a manifest this build can read" in p.note
    assert "\n" not in p.note


# -- F2, F8, F11: streams --------------------------------------------------------------------------

CHILD = """
import resource, sys
limit = 1 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from rusturk.streams.reader import aggregate
r = aggregate(sys.argv[1:], "gdelt")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(r.lines_read, r.skipped_lines, peak)
"""


def test_f2_malformed_lines_are_counted_within_1_gib(tmp_path):
    """20,000 malformed lines of each kind, one column and one too many: the reject store
    needed 1.4 GiB for 20,000 (and 6.4 GB for 100,000); under a 1 GiB address-space limit
    every line must still be counted. One child reads both files: a child's start and
    imports cost more than its reading."""
    paths = []
    for name, line in (("short", b"a\n"), ("long", b"x\t" * 61 + b"x\n")):
        path = tmp_path / f"synthetic_bad_{name}.export.CSV"
        path.write_bytes(line * 20_000)
        paths.append(str(path))
    result = subprocess.run([sys.executable, "-c", CHILD, *paths], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    read, skipped, peak = map(int, result.stdout.split())
    assert (read, skipped) == (40_000, 40_000)
    assert peak < 1 << 30


def test_f2_memory_for_bad_lines_does_not_grow_with_their_number(tmp_path, monkeypatch):
    """The line-by-line look at skipped lines keeps counts and a few numbers, never the lines
    or all their numbers: four times the bad lines may not raise its peak by 128 KiB (keeping
    each line's number would add about 240 KiB here, keeping the lines 1 MiB). Python's own
    allocations, traced, are exact where a child's RSS is noisy; the child above bounds the
    rest (DuckDB's). Small chunks keep what one chunk holds below the margin."""
    import tracemalloc

    from rusturk.streams import reader
    from rusturk.streams.reader import _classify
    from rusturk.streams.sql import GDELT

    def peak(n: int) -> int:
        path = tmp_path / f"bad{n}.export.CSV"
        path.write_bytes((b"x\t" * 62 + b"x\n") * n)  # 63 columns on every line
        tracemalloc.start()
        try:
            (found,) = _classify(path, path.name, GDELT)
            return tracemalloc.get_traced_memory()[1] if found.lines == n else -1
        finally:
            tracemalloc.stop()

    monkeypatch.setattr(reader, "CHUNK", 1 << 15)
    small, large = peak(2_000), peak(8_000)
    assert small > 0 and large > 0, "every line counted"
    assert large - small < 1 << 17, (small, large)


def test_f8_a_line_too_long_for_the_reader_is_counted_as_skipped(tmp_path, capsys):
    from synthetic_streams import make_events, write_gdelt

    good = write_gdelt(make_events(20, seed=3), tmp_path / "in")[0]
    giant = tmp_path / "in" / "synthetic_giant.export.CSV"
    giant.write_bytes(good.read_bytes() + b"x" * (50 << 20) + b"\n" + good.read_bytes())
    assert cli.main(["stream", str(giant), "--format", "gdelt"]) == 0
    err = capsys.readouterr().err
    assert "41 lines read" in err  # 20 + the giant + 20
    assert "skipped 1 malformed line:" in err and "line too long" in err
    assert "first at line 21" in err


def test_f11_a_fifo_is_reported_as_not_a_regular_file(tmp_path, capsys):
    fifo = tmp_path / "synthetic_pipe.export.CSV"
    os.mkfifo(fifo)
    assert cli.main(["stream", str(fifo), "--format", "gdelt"]) == 1
    assert "not a regular file" in one_line(capsys)


def test_f11_control_characters_in_stream_file_names_are_escaped(tmp_path, capsys):
    forged = tmp_path / "synthetic_x\nrusturk stream: forged\x1b[2J.export.CSV"
    forged.write_bytes(b"a\n")
    assert cli.main(["stream", str(forged), "--format", "gdelt"]) == 0
    err = capsys.readouterr().err
    assert not any(line.startswith("rusturk stream: forged") for line in err.splitlines())
    assert "\x1b" not in err and "\\nrusturk stream: forged\\x1b[2J" in err


# -- F3, F4, F10: YAML and parameters are data -----------------------------------------------------

PAYLOADS = {
    "set": "names: !!set {\"__import__('os').system('touch MARKER')\": null}\n",
    "binary": "names: [!!binary X19pbXBvcnRfXw==]\n",
    "python": "names: !!python/object/apply:os.system ['touch MARKER']\n",
    "local tag": "names: !x [a]\n",
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=list(PAYLOADS))
def test_f3_a_tagged_value_in_a_params_file_writes_nothing(tiny, tmp_path, capsys, no_kernels,
                                                          payload):
    params = tmp_path / "params.yaml"
    params.write_text(payload.replace("MARKER", str(tmp_path / "marker")), encoding="utf-8")
    assert cli.main([*tiny["args"], "--params-file", str(params), "--no-pdf"]) == 2
    assert "params.yaml" in one_line(capsys)
    assert not (tmp_path / "marker").exists() and not (tiny["out"] / "r").exists()


def test_f3_a_tagged_value_in_reports_yaml_writes_nothing(tiny, tmp_path, capsys, no_kernels):
    reports_yaml(tmp_path, """\
        notebooks_dir: nbs
        reports:
          - name: r
            notebooks: [a]
            parameters: {names: !!set {x: null}}
        """)
    assert cli.main([*tiny["args"], "--no-pdf"]) == 2
    assert "reports.yaml" in one_line(capsys)
    assert not (tiny["out"] / "r").exists()


@pytest.mark.parametrize("value", [{"x"}, [b"x"], [{"a": 1}], [["nested"]], [float("nan")]])
def test_f3_list_items_are_checked_before_papermill_sees_them(value):
    with pytest.raises(ParameterError, match="parameter names"):
        coerce("names", "list", value)


@pytest.mark.parametrize("body", [
    "names: [ok]\nextra: {a: 1}\n",  # a mapping is no parameter value
    "[a, b]\n",
    "1: x\n",
])
def test_f10_a_params_file_of_the_wrong_shape_is_one_line_per_key(tiny, tmp_path, capsys,
                                                                  no_kernels, body):
    params = tmp_path / "p.yaml"
    params.write_text(body, encoding="utf-8")
    assert cli.main([*tiny["args"], "--params-file", str(params), "--no-pdf"]) == 2
    assert "p.yaml" in one_line(capsys)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))
BOMB_CHILD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from rusturk.data.narrative import read
from rusturk.report.params import ParameterError, load_params_file
from rusturk.report.variants import load_variants
for kind, path in zip(sys.argv[1::2], map(Path, sys.argv[2::2])):
    if kind == "narrative":
        print([str(p) for p in read(path.parent)[1]])
        continue
    try:
        (load_variants if kind == "reports" else load_params_file)(path)
    except ParameterError as exc:
        print(exc)
"""
BOMBED = (("narrative", "narrative.yaml"), ("reports", "reports.yaml"), ("params", "params.yaml"))


def test_f4_an_alias_bomb_is_refused_under_a_memory_limit(tmp_path):
    """Nine levels of nine aliases: 387 million values once expanded, in the analysts' words,
    the variants file and a parameters file, each read in turn by one child."""
    args = []
    for kind, name in BOMBED:
        (tmp_path / kind).mkdir()
        path = tmp_path / kind / name
        path.write_text(BOMB, encoding="utf-8")
        args += [kind, str(path)]
    result = subprocess.run([sys.executable, "-c", BOMB_CHILD, *args],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(BOMBED), lines  # one line for each file
    for (kind, _), line in zip(BOMBED, lines, strict=True):
        # narrative.py names the loader's refusal by its class (the lead words its message)
        assert ("values once its aliases are expanded" in line
                or "not valid YAML: RefusedYAML" in line), (kind, line)


def test_f10_deep_nesting_in_the_analysts_yaml_is_one_problem(data_dir):
    from rusturk.data.validate import validate

    (data_dir / "narrative.yaml").write_text("background: " + "[" * 20_000 + "]" * 20_000,
                                             encoding="utf-8")
    problems = [p for p in validate(data_dir).problems if p.file.endswith("narrative.yaml")]
    assert len(problems) == 1 and "not valid YAML" in problems[0].message


def test_f10_deep_nesting_in_reports_yaml_is_one_line(tmp_path):
    path = reports_yaml(tmp_path, "reports: " + "[" * 20_000 + "]" * 20_000)
    with pytest.raises(ParameterError, match="nested more than") as caught:
        load_variants(path)
    assert len(caught.value.lines) == 1


# -- F5, F11: notebook names -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["{source}", "../nbs/a", "a.ipynb", "", "nbs/a"])
def test_f5_notebook_names_are_plain_names_of_notebooks(tiny, tmp_path, name):
    source = tmp_path / "nbs" / "a.ipynb"
    before = source.read_bytes()
    name = name.format(source=source.with_suffix(""))
    path = reports_yaml(tmp_path, f"notebooks_dir: nbs\nreports:\n  - name: r\n"
                                  f"    notebooks: [{json.dumps(name)}]\n")
    with pytest.raises(ParameterError, match=r"reports\.yaml: reports\.#1\.notebooks"):
        load_variants(path)
    assert source.read_bytes() == before


def test_f5_a_notebook_that_does_not_exist_is_named(tiny, tmp_path):
    path = reports_yaml(tmp_path, "notebooks_dir: nbs\nreports:\n  - {name: r, notebooks: [b]}\n")
    with pytest.raises(ParameterError, match=r"'b' is no notebook in .*; there are a"):
        load_variants(path)


def test_f11_the_same_notebook_twice_in_a_report_is_refused(tiny, tmp_path):
    path = reports_yaml(tmp_path, "notebooks_dir: nbs\nreports:\n"
                                  "  - {name: r, notebooks: [a, a]}\n")
    with pytest.raises(ParameterError, match="listed twice"):
        load_variants(path)


# -- F6: bounded work (slow: kernels) --------------------------------------------------------------

def _build(tmp_path: Path, data_dir: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "rusturk", "build", "--variants",
               str(tmp_path / "reports.yaml"), "--out", str(tmp_path / "out"), "--no-pdf",
               "-p", f"data_dir={data_dir}", *args]
    return subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            start_new_session=True)


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


LOOP = ("import os, pathlib\npathlib.Path(PIDFILE).write_text(str(os.getpid()))\n"
        "while True:\n    pass")


@pytest.mark.slow
def test_f6_a_looping_cell_is_stopped_by_the_timeout(tmp_path, data_dir):
    make_notebook(tmp_path / "nbs", "loop", LOOP.replace("PIDFILE", repr(str(tmp_path / "pid"))))
    reports_yaml(tmp_path, "notebooks_dir: nbs\nreports:\n  - {name: r, notebooks: [loop]}\n")
    build_ = _build(tmp_path, data_dir, "--timeout", "3")
    try:
        _, err = build_.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build_.pid, signal.SIGKILL)
    assert build_.returncode == 1
    last = err.strip().splitlines()[-1]
    assert "ran longer than 3 s" in last and "Previous reports are untouched" in last
    assert _gone(int((tmp_path / "pid").read_text()), 10)
    assert not (tmp_path / "out" / "r").exists()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_f6_sigterm_and_sigint_stop_running_kernels_within_seconds(tmp_path, data_dir, signum):
    make_notebook(tmp_path / "nbs", "loop", LOOP.replace("PIDFILE", repr(str(tmp_path / "pid"))))
    reports_yaml(tmp_path, "notebooks_dir: nbs\nreports:\n  - {name: r, notebooks: [loop]}\n")
    build_ = _build(tmp_path, data_dir)
    try:
        deadline = time.monotonic() + 120
        pid = tmp_path / "pid"
        # The kernel writes its pid: wait until the file holds it, not only until it exists.
        while not (pid.exists() and pid.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.2)
        kernel = int(pid.read_text())
        time.sleep(0.5)
        os.kill(build_.pid, signum)
        stopped = time.monotonic()
        _, err = build_.communicate(timeout=30)
        took = time.monotonic() - stopped
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build_.pid, signal.SIGKILL)
    assert build_.returncode == 130 and took < 10, (took, err)
    assert err.strip().splitlines()[-1] == "rusturk build: interrupted; no report was changed"
    assert _gone(kernel, 10)


@pytest.mark.slow
def test_f6_a_failure_beside_a_looping_notebook_ends_the_build_with_its_line(tmp_path,
                                                                             data_dir):
    make_notebook(tmp_path / "nbs", "a_loop", LOOP.replace("PIDFILE",
                                                           repr(str(tmp_path / "pid"))))
    make_notebook(tmp_path / "nbs", "b_fail", "import time\ntime.sleep(3)\n"
                                              "raise ValueError('boom')")
    reports_yaml(tmp_path, "notebooks_dir: nbs\nreports:\n  - {name: r, notebooks: "
                           "[a_loop, b_fail]}\n")
    build_ = _build(tmp_path, data_dir, "--jobs", "2")
    try:
        _, err = build_.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build_.pid, signal.SIGKILL)
    assert build_.returncode == 1
    last = err.strip().splitlines()[-1]
    assert "b_fail.ipynb failed" in last and "ValueError: boom" in last
    assert _gone(int((tmp_path / "pid").read_text()), 10)


# -- F7: one commit, one rename --------------------------------------------------------------------

def _state(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("kill_at", range(1, 12))
def test_f7_a_kill_during_the_commit_leaves_the_old_report_or_the_new_one(tiny, tmp_path,
                                                                          monkeypatch, kill_at):
    (variant,) = load_variants(tiny["variants"])
    overrides = {"data_dir": str(tiny["data"])}
    names = ["a.ipynb", "a.html", "a.pdf", "briefing.pdf"]
    (p,) = plan.plan([variant], overrides, tiny["out"], force=False, pdf=True)
    commit(p, _staged_report(tmp_path / "s1" / "r", dict.fromkeys(names, "old")), tiny["out"])
    old = _state(tiny["out"] / "r")
    (p,) = plan.plan([variant], overrides, tiny["out"], force=True, pdf=True)
    staged = _staged_report(tmp_path / "s2" / "r", dict.fromkeys(names, "new"))
    new = _state(staged)
    calls = {"n": 0}
    real = {name: getattr(os, name) for name in ("rename", "replace", "unlink", "symlink")}

    def counted(name):
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == kill_at:
                raise KeyboardInterrupt
            return real[name](*args, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, counted(name))
    with contextlib.suppress(KeyboardInterrupt):
        commit(p, staged, tiny["out"])
    monkeypatch.undo()
    assert _state(tiny["out"] / "r") in (old, new)


def test_f7_a_reader_of_the_report_path_sees_the_new_version(tiny, tmp_path):
    (variant,) = load_variants(tiny["variants"])
    (p,) = plan.plan([variant], {"data_dir": str(tiny["data"])}, tiny["out"], force=False,
                     pdf=False)
    commit(p, _staged_report(tmp_path / "s" / "r", {"a.html": "new"}), tiny["out"])
    folder = tiny["out"] / "r"
    assert folder.is_symlink() and (folder / "a.html").read_text(encoding="utf-8") == "new"
    assert [q.name for q in tiny["out"].iterdir() if q.name.startswith(".r.")] == [
        os.readlink(folder)]


def test_f7_a_version_left_by_a_kill_is_removed_and_the_current_one_kept(tiny, tmp_path):
    from rusturk.report.progress import Progress

    (variant,) = load_variants(tiny["variants"])
    (p,) = plan.plan([variant], {"data_dir": str(tiny["data"])}, tiny["out"], force=False,
                     pdf=False)
    commit(p, _staged_report(tmp_path / "s" / "r", {"a.html": "new"}), tiny["out"])
    orphan = tiny["out"] / ".r.0123456789abcdef"
    orphan.mkdir()
    (tiny["out"] / ".r.link-0123456789abcdef").symlink_to(orphan.name)
    build._remove_stale(tiny["out"], Progress(open(os.devnull, "w")))  # noqa: SIM115
    assert sorted(q.name for q in tiny["out"].iterdir()) == sorted(
        [os.readlink(tiny["out"] / "r"), "r"])


# -- F9, F11: dates and numbers in the data --------------------------------------------------------

@pytest.mark.parametrize(("table", "index", "column", "value"), [
    ("phases", 1, "end", "9999-12-31"),
    ("phases", 0, "start", "1915-05-01"),
    ("events", 1, "date", "2102-06-03"),
    ("figures", 0, "as_of", "9999-01-01"),
    ("sources", 0, "access_date", "9999-01-01"),
    ("sources", 0, "publication_date", "9999-01-01"),
])
def test_f9_f11_dates_outside_their_bounds_are_refused(data_dir, edit, table, index, column,
                                                       value):
    from rusturk.data.validate import validate

    edit(table, index, column, value)
    found = [p for p in validate(data_dir).problems
             if (p.file.endswith(f"{table}.csv"), p.row, p.column) == (True, index + 2, column)]
    assert found and "expected a date from" in found[0].message


@pytest.mark.parametrize("value", ["1" * 23, "1_000", "１２"])
def test_f10_f11_figures_hold_ascii_numbers_of_people(data_dir, edit, value):
    from rusturk.common.problems import DataError
    from rusturk.data.dataset import load

    edit("figures", 0, "value_best", value)
    with pytest.raises(DataError) as caught:
        load(data_dir)
    assert [p.column for p in caught.value.problems] == ["value_best"]


# -- F10: one line, before any kernel --------------------------------------------------------------

def test_f10_several_data_problems_are_several_lines(tiny, capsys, edit, no_kernels):
    edit("events", 0, "category", "cultural")
    edit("events", 1, "actor_target", "Turkey")
    assert cli.main([*tiny["args"], "--no-pdf"]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert "\\n" not in err and len(lines) >= 3
    assert lines[-1].endswith("no report was changed") and "2 problem(s)" in lines[-1]


def test_f10_a_20_digit_source_date_epoch_is_one_line(tiny, capsys, no_kernels, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 20)
    assert cli.main([*tiny["args"], "--no-pdf"]) == 1
    assert "SOURCE_DATE_EPOCH" in one_line(capsys)
    assert not (tiny["out"] / "r").exists()


@pytest.mark.data
def test_f10_an_unknown_placeholder_stops_the_build_before_any_notebook(tmp_path, capsys,
                                                                       no_kernels):
    import re

    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    for name in ("judgements.yaml", "narrative.yaml"):
        text = (data / name).read_text(encoding="utf-8")
        match = next((m for m in re.finditer(r"\{(?!date:)[a-z_]+\}", text)
                      if not text[:m.start()].rsplit("\n", 1)[-1].lstrip().startswith("#")),
                     None)
        if match:
            (data / name).write_text(text[:match.start()] + "{no_such_finding}"
                                     + text[match.end():], encoding="utf-8")
            break
    else:
        pytest.skip("the analysts' words hold no placeholder to break")
    assert cli.main(["build", "--only", "full", "--out", str(tmp_path / "out"),
                     "-p", f"data_dir={data}"]) == 1
    assert "{no_such_finding} is not a computed quantity" in one_line(capsys)


def test_f10_a_missing_chromium_stops_the_build_before_any_notebook(tiny, capsys, no_kernels,
                                                                   monkeypatch):
    monkeypatch.setenv("RUSTURK_CHROMIUM", str(tiny["out"] / "no-chromium"))
    assert cli.main(tiny["args"]) == 1
    assert "no-chromium" in one_line(capsys)


def test_f10_an_unknown_since_revision_stops_the_build_before_any_notebook(tiny, capsys,
                                                                          no_kernels):
    assert cli.main([*tiny["args"], "--no-pdf", "--since", "no-such-ref-22"]) == 1
    assert "--since 'no-such-ref-22': no such revision" in one_line(capsys)


# -- F11: folders, files and parameters ------------------------------------------------------------

def test_f11_a_symlinked_report_folder_is_refused(tiny, tmp_path, capsys, no_kernels):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tiny["out"].mkdir()
    (tiny["out"] / "r").symlink_to(elsewhere)
    assert cli.main([*tiny["args"], "--no-pdf"]) == 1
    assert "is a symlink" in one_line(capsys)
    assert list(elsewhere.iterdir()) == []


def _up_to_date(tiny) -> None:
    """A report the plan vouches for, as a build would have left it."""
    (variant,) = load_variants(tiny["variants"])
    (p,) = plan.plan([variant], {"data_dir": str(tiny["data"])}, tiny["out"], force=False,
                     pdf=False)
    files = {n: n for n in plan.notebook_outputs("a", pdf=False)}
    staged = _staged_report(tiny["out"].parent / "s" / "r", files)
    manifest = json.loads((staged / plan.MANIFEST).read_text(encoding="utf-8"))
    manifest["notebooks"] = {"a": {"fingerprint": p.jobs[0].fingerprint}}
    manifest["briefing"] = {"fingerprint": p.fingerprint}
    (staged / plan.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    commit(p, staged, tiny["out"])


@contextlib.contextmanager
def _read_only(folder: Path):
    """`folder` on a read-only file system (root: a tmpfs remounted read-only), or at least
    not writable by this user."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mount = tempfile.mkdtemp(prefix="rusturk-ro-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount],
                      capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a read-only file system here")
    try:
        shutil.copytree(folder, Path(mount) / "out", symlinks=True)
        subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
        shutil.rmtree(folder)
        folder.symlink_to(Path(mount) / "out")
        yield
    finally:
        subprocess.run(["umount", mount], check=False)
        os.rmdir(mount)


def test_f11_an_up_to_date_build_into_a_read_only_folder_succeeds(tiny, capsys, no_kernels):
    _up_to_date(tiny)
    with _read_only(tiny["out"]):
        assert cli.main([*tiny["args"], "--no-pdf"]) == 0
    assert "reports up to date" in capsys.readouterr().err


def test_f11_a_full_temporary_folder_is_blamed_by_name(tiny, tmp_path, capsys, no_kernels,
                                                       monkeypatch):
    if os.geteuid() != 0:
        pytest.skip("filling a file system of its own needs root (mount)")
    full = tmp_path / "tmp"
    full.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)],
                      capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a file system here")
    try:
        with contextlib.suppress(OSError), (full / "filler").open("wb") as handle:
            handle.write(b"\0" * (1 << 20))
        monkeypatch.setattr(tempfile, "tempdir", str(full))
        assert cli.main(tiny["args"]) == 1
        err = one_line(capsys)
    finally:
        monkeypatch.undo()
        subprocess.run(["umount", str(full)], check=False)
    assert f"the temporary folder {full} cannot take a file" in err
    assert "No space left on device" in err and "Chromium" not in err


@pytest.mark.parametrize(("name", "kind", "value"), [
    ("smoothing_window_days", "int", "1_000"),
    ("smoothing_window_days", "int", "１８０"),
    ("smoothing_window_days", "float", "1_0.5"),
    ("start_date", "str", "9999-12-31"),
    ("end_date", "str", "２０２０-０２-０１"),
])
def test_f11_numbers_in_ascii_digits_and_dates_within_the_study(name, kind, value):
    with pytest.raises(ParameterError):
        coerce(name, kind, value)


@pytest.mark.parametrize("value", ["2020-02-30", "9999-01-01", "soon", "[1, 2]"])
def test_f11_alternative_boundaries_are_checked_before_any_kernel(value):
    (variant,) = [v for v in load_variants() if v.name == "full"]
    with pytest.raises(ParameterError, match="alternative_boundaries"):
        notebook_values(variant, {"alternative_boundaries": value})


def test_f11_a_planted_lock_symlink_is_not_followed(tiny, tmp_path, capsys, no_kernels):
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    tiny["out"].mkdir()
    (tiny["out"] / ".build.lock").symlink_to(target)
    assert cli.main([*tiny["args"], "--no-pdf"]) == 1
    assert "symlink" in one_line(capsys)
    assert target.read_text(encoding="utf-8") == "keep me"
