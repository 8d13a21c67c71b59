"""`rusturk stream` on hostile input: archives that inflate without bound, truncated or corrupt
archives, file names holding glob characters or markup, streams of one period or none.

Each test builds its hostile input in a temporary folder; the inflation limit is set tiny, so
no test writes or inflates more than a few MiB. Expected answers come from reading the good
files alone: a bad file must change nothing but the list of skipped files.
"""

from __future__ import annotations

import gzip
import io
import shutil
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from synthetic_streams import make_events, write_empty, write_gdelt, write_icews

from rusturk.cli import main
from rusturk.notebook import Window
from rusturk.notebook import stream_section as sec
from rusturk.streams import reader
from rusturk.streams.reader import MIB, aggregate, read_csv_call
from rusturk.streams.sql import GDELT, OUTPUT_COLUMNS, Options

LIMIT = MIB  # tests' limit: a good synthetic file inflates to a few hundred KiB at most


@pytest.fixture(scope="module")
def truth():
    return make_events(600, seed=5)


def good_files(truth, folder: Path) -> list[Path]:
    """Two good GDELT files: one gzipped, one zipped."""
    plain = write_gdelt(truth.iloc[:300], folder / "good", stem="20160101")
    zipped = write_gdelt(truth.iloc[300:], folder / "good", zipped=True, stem="20160102")
    gz = plain[0].with_name(plain[0].name + ".gz")
    gz.write_bytes(gzip.compress(plain[0].read_bytes()))
    plain[0].unlink()
    return [gz, zipped[0]]


def assert_same_aggregate(result, baseline) -> None:
    """The hostile run read exactly what the good files hold."""
    assert result.to_csv() == baseline.to_csv()
    assert result.lines_read == baseline.lines_read
    assert result.outside == baseline.outside
    assert sorted(result.files) == sorted(baseline.files)


def skipped(result) -> dict[str, str]:
    return {Path(s.file).name: s.reason for s in result.skipped_files}


# -- 1. inflation beyond the limit ----------------------------------------------------------

def test_a_gzip_inflating_beyond_the_limit_is_skipped_and_the_rest_read(truth, tmp_path):
    good = good_files(truth, tmp_path)
    baseline = aggregate(good, "gdelt", max_inflated=LIMIT)
    bomb = tmp_path / "synthetic_bomb.export.CSV.gz"
    bomb.write_bytes(gzip.compress(b"0" * (4 * LIMIT), compresslevel=9))
    assert bomb.stat().st_size < 64 * 1024, "a small file that inflates far beyond the limit"
    result = aggregate([*good, bomb], "gdelt", max_inflated=LIMIT)
    assert_same_aggregate(result, baseline)
    assert skipped(result) == {bomb.name: "inflates beyond 1 MiB"}
    assert result.file_reasons() == {"inflates beyond 1 MiB": 1}
    report = result.report()
    assert "skipped 1 file:" in report and f"{bomb.name}: inflates beyond 1 MiB" in report


def test_the_limit_can_be_raised(truth, tmp_path):
    folder = tmp_path / "big"
    path = write_gdelt(truth, folder)[0]
    gz = path.with_name(path.name + ".gz")
    gz.write_bytes(gzip.compress(path.read_bytes()))
    size = path.stat().st_size
    path.unlink()
    small = aggregate([gz], "gdelt", max_inflated=size - 1)
    assert not small.files and skipped(small)[gz.name].startswith("inflates beyond ")
    exact = aggregate([gz], "gdelt", max_inflated=size)
    assert exact.files and not exact.skipped_files and exact.lines_read == len(truth)
    assert reader.DEFAULT_MAX_INFLATED == 512 * MIB
    with pytest.raises(ValueError, match="max_inflated"):
        aggregate([gz], "gdelt", max_inflated=0)


def test_inflation_stops_at_the_limit_however_long_the_stream(tmp_path):
    """The copy reads at most one chunk past the limit, even from a stream without end."""

    class Endless(io.RawIOBase):
        read_bytes = 0

        def readable(self):
            return True

        def read(self, n=-1):
            n = reader.CHUNK if n is None or n < 0 else n
            self.read_bytes += n
            return b"0" * n

    source, sink = Endless(), io.BytesIO()
    with pytest.raises(reader._Skip):
        reader._copy_bounded(source, sink, 3 * reader.CHUNK + 5)
    assert len(sink.getvalue()) <= 3 * reader.CHUNK + 5
    assert source.read_bytes <= 4 * reader.CHUNK + 5


def test_a_zip_is_checked_by_its_directory_before_anything_is_extracted(truth, tmp_path,
                                                                        monkeypatch):
    good = good_files(truth, tmp_path)
    baseline = aggregate(good, "gdelt", max_inflated=LIMIT)
    bomb = tmp_path / "synthetic_bomb.export.CSV.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("synthetic_bomb.export.CSV", b"0" * (4 * LIMIT))
    several = tmp_path / "synthetic_several.export.CSV.zip"  # each member fits, not all
    with zipfile.ZipFile(several, "w", zipfile.ZIP_DEFLATED) as archive:
        for k in range(3):
            archive.writestr(f"part{k}.CSV", b"0" * (LIMIT // 2))
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, member, *args, **kwargs):
        opened.append(Path(self.filename).name)
        return real_open(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    result = aggregate([*good, bomb, several], "gdelt", max_inflated=LIMIT)
    assert_same_aggregate(result, baseline)
    assert skipped(result) == {bomb.name: "inflates beyond 1 MiB",
                               several.name: "inflates beyond 1 MiB"}
    assert bomb.name not in opened and several.name not in opened, "never extracted"


def test_a_zip_understating_its_size_is_not_inflated_past_what_it_declares(truth, tmp_path):
    good = good_files(truth, tmp_path)
    baseline = aggregate(good, "gdelt", max_inflated=LIMIT)
    liar = tmp_path / "synthetic_liar.export.CSV.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("synthetic_liar.export.CSV", b"0" * (4 * LIMIT))
    data = bytearray(liar.read_bytes())
    directory = data.index(b"PK\x01\x02")
    data[directory + 24:directory + 28] = (100).to_bytes(4, "little")  # uncompressed size
    liar.write_bytes(bytes(data))
    result = aggregate([*good, liar], "gdelt", max_inflated=LIMIT)
    assert_same_aggregate(result, baseline)
    assert skipped(result) == {liar.name: "truncated or corrupt zip archive"}
    assert "CRC" in result.skipped_files[0].detail


# -- 2. truncated or corrupt archives -------------------------------------------------------

def _flip_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 64]) + data[
        middle + 64:]


@pytest.mark.parametrize(("kind", "reason"), [
    ("truncated gzip", "truncated or corrupt gzip file"),
    ("corrupt gzip", "truncated or corrupt gzip file"),
    ("gzip with a wrong checksum", "truncated or corrupt gzip file"),
    ("not a gzip", "truncated or corrupt gzip file"),
    ("truncated zip", "truncated or corrupt zip archive"),
    ("corrupt zip", "truncated or corrupt zip archive"),
])
def test_a_truncated_or_corrupt_archive_is_one_skipped_file(truth, tmp_path, kind, reason):
    good = good_files(truth, tmp_path)
    baseline = aggregate(good, "gdelt")
    source = write_gdelt(truth.head(300), tmp_path / "src", stem="20170101")[0].read_bytes()
    packed = io.BytesIO()
    if kind in ("truncated zip", "corrupt zip"):
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("synthetic_bad.export.CSV", source)
        name = "synthetic_bad.export.CSV.zip"
    else:
        packed.write(gzip.compress(source))
        name = "synthetic_bad.export.CSV.gz"
    data = packed.getvalue()
    if kind.startswith("truncated"):
        data = data[:len(data) // 2]
    elif kind.startswith("corrupt"):
        data = _flip_middle(data)
    elif kind == "gzip with a wrong checksum":
        data = data[:-8] + bytes(b ^ 0xFF for b in data[-8:-4]) + data[-4:]
    else:
        data = b"this is plain text, not gzip\n" * 10
    bad = tmp_path / name
    bad.write_bytes(data)
    result = aggregate([*good, bad], "gdelt")
    assert_same_aggregate(result, baseline)
    assert skipped(result) == {name: reason}
    assert result.skipped_files[0].detail, "the error met, for the report"


def test_a_truncated_gzip_no_longer_stops_the_command(truth, tmp_path, capsys):
    good = good_files(truth, tmp_path)
    whole = gzip.compress(write_gdelt(truth, tmp_path / "src", stem="20170101")[0].read_bytes())
    (tmp_path / "good" / "synthetic_cut.export.CSV.gz").write_bytes(whole[:len(whole) // 2])
    code = main(["stream", str(tmp_path / "good" / "*"), "--format", "gdelt"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == aggregate(good, "gdelt").to_csv()
    assert "skipped 1 file:" in err
    assert "synthetic_cut.export.CSV.gz: truncated or corrupt gzip file (Compressed file ended" in (
        err)
    assert "2 files, 600 lines read" in err


def test_only_bad_archives_still_exit_1(tmp_path, capsys):
    (tmp_path / "synthetic_a.export.CSV.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    code = main(["stream", str(tmp_path / "*.gz"), "--format", "gdelt"])
    err = capsys.readouterr().err
    assert code == 1
    assert "no input file could be read" in err and "truncated or corrupt gzip file" in err


def test_a_file_duckdb_cannot_read_is_skipped_and_the_rest_read(truth, tmp_path, monkeypatch):
    """Should DuckDB fail on one file all the same (here: it vanishes once staged), that file
    is skipped and the others are read again without it."""
    good = good_files(truth, tmp_path)
    baseline = aggregate(good, "gdelt")
    doomed = write_gdelt(truth.head(100), tmp_path / "doomed", stem="20180101")[0]
    staged_for_real = reader._stage

    def stage_then_lose(paths, *args, **kwargs):
        staged = staged_for_real(paths, *args, **kwargs)
        doomed.unlink()
        return staged

    monkeypatch.setattr(reader, "_stage", stage_then_lose)
    result = aggregate([*good, doomed], "gdelt")
    assert_same_aggregate(result, baseline)
    assert skipped(result) == {doomed.name: "cannot be read by DuckDB"}


# -- 3. names holding glob characters -------------------------------------------------------

def test_files_named_with_glob_characters_are_each_read_once(truth, tmp_path, capsys):
    folder = tmp_path / "odd"
    original = write_gdelt(truth.head(200), folder, stem="20160101")[0]
    single = aggregate([original], "gdelt")
    names = ["synthetic_2016*.export.CSV", "synthetic_?.export.CSV", "synthetic_[0].export.CSV",
             "synthetic_0.export.CSV", "synthetic_it's [a] {b} *.export.CSV"]
    for name in names:
        shutil.copyfile(original, folder / name)
    copies = len(names) + 1
    result = aggregate([folder / "*.CSV"], "gdelt")
    assert len(result.files) == copies
    assert result.lines_read == copies * single.lines_read
    assert result.events == copies * single.events
    assert result.table["events"].tolist() == [copies * n for n in single.table["events"]]

    # Names as a shell passes them after expanding a glob: each file as named, and only it.
    literal = aggregate([folder / "synthetic_[0].export.CSV",
                         folder / "synthetic_2016*.export.CSV"], "gdelt")
    assert sorted(Path(f).name for f in literal.files) == ["synthetic_2016*.export.CSV",
                                                           "synthetic_[0].export.CSV"]
    assert literal.lines_read == 2 * single.lines_read

    code = main(["stream", str(folder / "*.CSV"), "--format", "gdelt"])
    assert code == 0
    assert f"{copies} files, {copies * single.lines_read:,} lines read" in capsys.readouterr().err


def test_paths_are_literal_even_where_the_work_folder_holds_glob_characters(truth, tmp_path,
                                                                          monkeypatch):
    folder = tmp_path / "in"
    write_gdelt(truth.head(300), folder, files=2, malformed={"columns": 2, "date": 1})
    baseline = aggregate([folder / "*.CSV"], "gdelt")
    odd = tmp_path / "tmp [1] * ?"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    result = aggregate([folder / "*.CSV"], "gdelt")
    assert_same_aggregate(result, baseline)
    assert result.skipped == baseline.skipped and result.skipped_lines == 3
    assert not list(odd.iterdir()), "the work folder is gone"


def test_the_scan_reads_a_glob_named_file_and_only_it(truth, tmp_path):
    import duckdb

    original = write_gdelt(truth.head(50), tmp_path / "scan", stem="20160101")[0]
    for name in ("synthetic_*.export.CSV", "synthetic_[2].export.CSV", "synthetic_2.export.CSV"):
        shutil.copyfile(original, original.with_name(name))
    con = duckdb.connect()
    try:
        for name in ("synthetic_*.export.CSV", "synthetic_[2].export.CSV"):
            rows = con.execute(f"SELECT DISTINCT filename FROM "
                               f"{read_csv_call(GDELT, [str(original.with_name(name))])}"
                               ).fetchall()
            assert rows == [(str(original.with_name(name)),)]
    finally:
        con.close()


def test_a_file_named_twice_is_read_once(truth, tmp_path):
    folder = tmp_path / "twice"
    path = write_gdelt(truth.head(200), folder)[0]
    (folder / "sub").mkdir()
    link = folder / "sub" / "link.export.CSV"
    link.symlink_to(path)
    single = aggregate([path], "gdelt")
    again = aggregate([path, folder / "sub" / ".." / path.name, folder / "*.CSV", link,
                       folder / "**" / "*.CSV"], "gdelt")
    assert again.lines_read == single.lines_read and len(again.files) == 1
    assert again.to_csv() == single.to_csv()


# -- 4. streams of one period or none -------------------------------------------------------

def test_a_stream_of_one_period_or_none_gives_its_aggregate(truth, tmp_path, capsys):
    path = write_gdelt(truth, tmp_path)[0]
    one_day = truth[(truth["side1"] == "TUR") & (truth["side2"] == "RUS")]["date"].iloc[0].date()
    one = aggregate([path], "gdelt", Options(freq="M", start=one_day, end=one_day))
    assert len(one.table) == 1 and one.events >= 1
    assert "in 1 month;" in one.report()
    none = aggregate([path], "gdelt", Options(start=date(2030, 1, 1)))
    assert none.table.empty and none.events == 0 and none.lines_read == len(truth)
    assert "0 dyad events" in none.report() and "in 0 weeks;" in none.report()
    code = main(["stream", str(path), "--format", "gdelt", "--start", "2030-01-01"])
    out, _ = capsys.readouterr()
    assert code == 0 and out == none.to_csv()
    assert out.splitlines()[1:] == [",".join(OUTPUT_COLUMNS)], "the mark line, then the header"


def icews_month(tmp_path: Path, month: str, n: int = 300) -> Path:
    """An ICEWS export of a single month, as the phases notebook crashed on."""
    first = f"{month}-01"
    last = f"{month}-{28 if month.endswith('02') else 30}"
    events = make_events(n, seed=2, start=first, end=last)
    return write_icews(events, tmp_path / f"icews{month}")[0]


def test_the_section_on_a_single_month_says_why_there_is_no_break_test(data_dir, tmp_path):
    window = Window.load(str(data_dir), "2016-05-01", "2016-06-30")
    path = icews_month(tmp_path, "2016-06")
    summary, chart, caveat = sec.phases_section(window, str(path), "icews", True)
    assert "over 1 month, read from 1 file." in summary
    assert ("No break test was run: the stream covers only 1 month in the window, and setting "
            "detected breaks against 1 curated boundary takes at least 6 months (3 per phase)."
            ) in summary
    assert "dashed" not in chart.to_dict()["title"]
    assert caveat == sec.CAVEAT
    f = sec.stream_figures(window, str(path), "icews", True)
    assert not f["break_test"] and f["matched"] is None and f["detected"] == []


def test_the_section_on_a_stream_with_nothing_in_the_window(data_dir, tmp_path):
    window = Window.load(str(data_dir), "2016-05-01", "2016-06-30")
    path = icews_month(tmp_path, "2019-03")
    (summary,) = sec.phases_section(window, str(path), "icews", True)
    assert "holds **no events** between Turkey and the Russian side (RUS, SYR) in the window" in (
        summary)
    assert "No break test was run: the stream has no month with events in the window" in summary


# -- 5. names and reasons inert in the summary ----------------------------------------------

HOSTILE_NAMES = ["[x](javascript:alert(1)).csv", "![i](https:--e.invalid-p.png).csv",
                 "<img src=x onerror=alert(1)>.csv", "*bold* _em_ `code` $x$.csv",
                 "www.e.invalid <https:--e.invalid>.csv", "a\n# heading\n\n[y]: z.csv"]


def renderers() -> list:
    """Markdown as the reports render it (nbconvert, raw HTML let through) and CommonMark
    with GitHub's autolinks."""
    mistune = pytest.importorskip("mistune")
    found = [mistune.create_markdown(escape=False, plugins=["url", "strikethrough", "table"])]
    try:
        from nbconvert.filters.markdown_mistune import markdown2html_mistune
    except ImportError:  # pragma: no cover - nbconvert comes with the notebook tools
        return found
    return [markdown2html_mistune, *found]


def test_file_names_and_reasons_are_inert_in_the_summary(data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(sec, "NAMED_FILES", 10)  # every skipped file named
    window = Window.load(str(data_dir), "2016-05-01", "2016-06-30")
    folder = tmp_path / "names"
    events = make_events(300, seed=3, start="2016-05-01", end="2016-06-30")
    write_gdelt(events, folder)
    for name in HOSTILE_NAMES:
        write_empty(folder, name)
    write_icews(events.head(5), folder, stem="[z](javascript:x).")
    summary = sec.phases_section(window, str(folder / "*"), "gdelt", True)[0]
    assert summary.startswith(sec.SYNTHETIC)
    summary = summary.removeprefix(sec.SYNTHETIC)  # our own note, with a code span
    assert "7 input files were skipped" in summary
    for render in renderers():
        html = render(summary)
        for markup in ("<a ", "<img", "<em>", "<code>", "<h1", "<script", "<del>", "<table",
                       "href"):
            assert markup not in html, (markup, html)
        assert html.count("<p>") == 1, "one paragraph: no name breaks a line"
        assert html.count("<strong>") == summary.count("**") // 2, "only our own bold text"
        assert "synthetic_[x](javascript:alert(1)).csv: empty file" in html
        assert "synthetic_&lt;img src=x onerror=alert(1)&gt;.csv: empty file" in html
        assert "synthetic_*bold* _em_ `code` $x$.csv" in html
        assert r"synthetic_a\x0a# heading\x0a\x0a[y]: z.csv" in html


def test_many_skipped_files_are_counted_by_reason(data_dir, tmp_path):
    window = Window.load(str(data_dir), "2016-05-01", "2016-06-30")
    folder = tmp_path / "many"
    write_gdelt(make_events(300, seed=3, start="2016-05-01", end="2016-06-30"), folder)
    for k in range(sec.NAMED_FILES + 2):
        write_empty(folder, f"{k}.export.CSV")
    (folder / "synthetic_cut.export.CSV.gz").write_bytes(b"\x1f\x8b\x08\x00")
    summary = sec.phases_section(window, str(folder / "*"), "gdelt", True)[0]
    assert (f"{sec.NAMED_FILES + 3} input files were skipped (empty file: "
            f"{sec.NAMED_FILES + 2}; truncated or corrupt gzip file: 1)") in summary
