"""`rusturk stream`: exact counts and means on generated files, malformed input, clear errors.

Expected answers are computed here, in plain Python over the generator's ground-truth rows,
never by the code under test.
"""

from __future__ import annotations

import csv
import io
import math
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from synthetic_streams import make_events, write_empty, write_gdelt, write_icews

from rusturk.cli import main
from rusturk.streams import reader
from rusturk.streams.reader import SYNTHETIC_HEADER, aggregate
from rusturk.streams.sql import GDELT_COLUMNS, Options

COLUMNS = ["period_start", "events", "quad1", "quad2", "quad3", "quad4", "goldstein_mean",
           "goldstein_mean_weighted", "material_conflict_share", "tone_mean"]


def expected(truth, sides=("RUS",), freq="W", start=None, end=None) -> dict[str, dict]:
    """The aggregate, row by row in plain Python."""
    acc: dict[date, dict] = {}
    for r in truth.itertuples(index=False):
        if not ((r.side1 == "TUR" and r.side2 in sides) or (r.side1 in sides
                                                             and r.side2 == "TUR")):
            continue
        day = r.date.date()
        if (start and day < start) or (end and day > end):
            continue
        period = day - timedelta(days=day.weekday()) if freq == "W" else day.replace(day=1)
        a = acc.setdefault(period, {"events": 0, "quad": [0, 0, 0, 0], "gold": [],
                                    "weighted": 0.0, "mentions": 0, "tone": []})
        a["events"] += 1
        a["quad"][int(r.quad_class) - 1] += 1
        a["gold"].append(float(r.goldstein))
        a["weighted"] += float(r.goldstein) * int(r.mentions)
        a["mentions"] += int(r.mentions)
        a["tone"].append(float(r.tone))
    return {p.isoformat(): {
        "events": a["events"], **{f"quad{q + 1}": n for q, n in enumerate(a["quad"])},
        "goldstein_mean": math.fsum(a["gold"]) / a["events"],
        "goldstein_mean_weighted": a["weighted"] / a["mentions"],
        "material_conflict_share": a["quad"][3] / a["events"],
        "tone_mean": math.fsum(a["tone"]) / a["events"],
    } for p, a in sorted(acc.items())}


def parse(text: str) -> tuple[list[str], dict[str, dict]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")
    return header, {r["period_start"]: r for r in rows}


def assert_matches(text: str, want: dict[str, dict], gdelt: bool = True) -> None:
    header, got = parse(text)
    assert header == COLUMNS
    assert list(got) == list(want), "the same periods, in order"
    for period, w in want.items():
        row = got[period]
        for name in ("events", "quad1", "quad2", "quad3", "quad4"):
            assert int(row[name]) == w[name], (period, name)
        for name in ("goldstein_mean", "material_conflict_share"):
            assert float(row[name]) == pytest.approx(w[name], abs=1e-6), (period, name)
        for name in ("goldstein_mean_weighted", "tone_mean"):
            if gdelt:
                assert float(row[name]) == pytest.approx(w[name], abs=1e-6), (period, name)
            else:
                assert row[name] == "", "ICEWS has no mentions or tone"


@pytest.fixture(scope="module")
def truth():
    return make_events(3000, seed=11)


def run(args: list[str], capsys) -> tuple[int, str, str]:
    """Exit code, the aggregate (without the synthetic mark line, which
    test_synthetic_inputs_are_flagged checks) and the report."""
    code = main(["stream", *args])
    captured = capsys.readouterr()
    return code, captured.out.removeprefix(SYNTHETIC_HEADER + "\n"), captured.err


def test_gdelt_weekly_counts_and_means_are_exact(truth, tmp_path, capsys):
    write_gdelt(truth, tmp_path, files=3, zipped=True)
    out = tmp_path / "out" / "stream.csv"
    code, _, err = run([str(tmp_path / "*.export.CSV.zip"), "--format", "gdelt",
                        "--out", str(out)], capsys)
    assert code == 0, err
    mark, text = out.read_text(encoding="utf-8").split("\n", 1)
    assert mark == SYNTHETIC_HEADER
    assert_matches(text, expected(truth))
    assert "3 files, 3,000 lines read" in err
    assert "skipped 0 malformed lines" in err


def test_gdelt_monthly_with_syria_and_date_bounds(truth, tmp_path, capsys):
    write_gdelt(truth, tmp_path, files=2)
    code, out, err = run([str(tmp_path / "*.CSV"), "--format", "gdelt", "--freq", "M",
                          "--with", "SYR", "--start", "2016-03-15", "--end", "2018-07-04"],
                         capsys)
    assert code == 0, err
    want = expected(truth, ("RUS", "SYR"), "M", date(2016, 3, 15), date(2018, 7, 4))
    assert_matches(out, want)
    assert next(iter(want)) == "2016-03-01", "a month is labelled by its 1st, even before --start"


def test_both_directions_are_kept_and_third_parties_only_on_request(truth, tmp_path):
    write_gdelt(truth, tmp_path)
    rus = aggregate([tmp_path / "synthetic_201601010000.export.CSV"], "gdelt").events
    both = aggregate([tmp_path / "synthetic_201601010000.export.CSV"], "gdelt",
                     Options(with_=("SYR",))).events
    pairs = list(zip(truth["side1"], truth["side2"], strict=True))
    assert rus == pairs.count(("TUR", "RUS")) + pairs.count(("RUS", "TUR"))
    assert both == rus + pairs.count(("TUR", "SYR")) + pairs.count(("SYR", "TUR"))
    assert pairs.count(("RUS", "TUR")) and pairs.count(("TUR", "RUS"))


def test_icews_counts_with_quad_class_from_cameo_root(truth, tmp_path, capsys):
    paths = write_icews(truth, tmp_path, files=2)
    code, out, err = run([str(p) for p in paths] + ["--format", "icews", "--with", "SYR"],
                         capsys)
    assert code == 0, err
    assert_matches(out, expected(truth, ("RUS", "SYR")), gdelt=False)


def test_icews_files_name_countries_in_full(truth, tmp_path):
    path = write_icews(truth.head(200), tmp_path)[0]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows[0]) == 20
    countries = {r["Source Country"] for r in rows} | {r["Target Country"] for r in rows}
    assert {"Russian Federation", "Turkey"} <= countries
    assert {r["Publisher"] for r in rows} == {"SYNTHETIC TEST DATA"}


def test_gdelt_columns_sit_where_the_codebook_puts_them(tmp_path, capsys):
    # A hand-made line, independent of the generator: 0-based positions from the GDELT 2.0
    # event codebook.
    positions = {"SQLDATE": 1, "Actor1CountryCode": 7, "Actor2CountryCode": 17,
                 "QuadClass": 29, "GoldsteinScale": 30, "NumMentions": 31, "AvgTone": 34,
                 "DATEADDED": 59, "SOURCEURL": 60}
    assert {n: GDELT_COLUMNS.index(n) for n in positions} == positions
    assert len(GDELT_COLUMNS) == 61

    def line(day: str, a1: str, a2: str, quad: str, gold: str, mentions: str, tone: str):
        cells = [""] * 61
        cells[0], cells[1], cells[7], cells[17] = "1", day, a1, a2
        cells[29], cells[30], cells[31], cells[34] = quad, gold, mentions, tone
        cells[60] = "https://synthetic.invalid/hand-made"
        return "\t".join(cells) + "\n"

    path = tmp_path / "synthetic_hand.export.CSV"
    path.write_text(line("20190102", "TUR", "RUS", "4", "-10", "3", "-5.5")
                    + line("20190103", "RUS", "TUR", "1", "4", "1", "1.5")
                    + line("20190104", "RUS", "USA", "1", "4", "1", "1.5")
                    + line("20190105", "RUS", "TUR", "9", "4", "1", "1.5")  # no QuadClass 9
                    + line("20190106", "RUS", "TUR", "1", "11", "1", "1.5"),  # Goldstein > 10
                    encoding="utf-8")
    code, out, err = run([str(path), "--format", "gdelt"], capsys)
    assert code == 0, err
    assert out.splitlines()[1] == "2018-12-31,2,1,0,0,1,-3.000000,-6.500000,0.500000,-2.000000"
    assert "1  bad QuadClass (not 1 to 4)" in err
    assert "1  bad GoldsteinScale (not a number from -10 to 10)" in err


@pytest.mark.parametrize("fmt", ["gdelt", "icews"])
def test_malformed_lines_are_counted_reported_and_left_out(truth, tmp_path, capsys, fmt):
    bad = {"columns": 2, "date": 3, "utf8": 1}
    if fmt == "gdelt":
        write_gdelt(truth, tmp_path, files=2, zipped=True, malformed=bad)
        write_empty(tmp_path, "20160102000000.export.CSV.zip")
        pattern = "*.zip"
    else:
        write_icews(truth, tmp_path, malformed=bad)
        write_empty(tmp_path, "events.empty.tab")
        pattern = "*.tab"
    code, out, err = run([str(tmp_path / pattern), "--format", fmt], capsys)
    assert code == 0, err
    assert_matches(out, expected(truth), gdelt=fmt == "gdelt")
    assert "skipped 6 malformed lines:" in err
    # Each format's own expectation: a regex accepting either would pass a mix-up.
    columns, field, empty = {"gdelt": (61, "SQLDATE", "20160102000000.export.CSV.zip"),
                             "icews": (20, "Event Date", "events.empty.tab")}[fmt]
    assert f"2  wrong number of columns (expected {columns}, tab-separated)" in err
    assert f"3  bad date ({field} is not a" in err
    assert re.search(r"\b1  not valid UTF-8", err)
    assert "skipped 1 file:" in err
    assert f"synthetic_{empty}: empty" in err
    assert "first at line" in err
    assert f"{len(truth) + 6:,} lines read" in err


def test_file_of_the_other_format_is_skipped_with_a_reason(truth, tmp_path, capsys):
    icews = write_icews(truth.head(50), tmp_path)[0]
    code, _, err = run([str(icews), "--format", "gdelt"], capsys)
    assert code == 1
    assert "this is an ICEWS event file" in err and "--format icews" in err
    gdelt = write_gdelt(truth.head(50), tmp_path)[0]
    code, _, err = run([str(gdelt), "--format", "icews"], capsys)
    assert code == 1
    assert "not an ICEWS event file" in err


def test_output_is_deterministic_and_fixed_format(truth, tmp_path, capsys):
    write_gdelt(truth, tmp_path, files=4)
    first = run([str(tmp_path / "*.CSV"), "--format", "gdelt"], capsys)[1]
    again = run([str(tmp_path / "*.CSV"), "--format", "gdelt", "--freq", "W"], capsys)[1]
    assert first == again
    periods = [line.split(",")[0] for line in first.splitlines()[1:]]
    assert periods == sorted(periods)
    assert all(date.fromisoformat(p).weekday() == 0 for p in periods), "weeks start on Monday"
    for line in first.splitlines()[1:]:
        assert all(re.fullmatch(r"-?\d+\.\d{6}", v) for v in line.split(",")[6:]), line


def python_m(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rusturk", "stream", *args],
                          capture_output=True, text=True, check=False)


def test_missing_file_and_unknown_format_are_clear_errors(tmp_path, capsys):
    missing = tmp_path / "nowhere.export.CSV.zip"
    # Once through the real entry point, in a process of its own; the rest in this one.
    result = python_m(str(missing), "--format", "gdelt")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{missing}: file not found" in result.stderr
    code, _, err = run([str(tmp_path / "*.zip"), "--format", "gdelt"], capsys)
    assert code == 1 and "no file matches this pattern" in err
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, with its usage line
        run([str(missing), "--format", "phoenix"], capsys)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "Traceback" not in err
    assert "invalid choice: 'phoenix'" in err


@pytest.mark.parametrize(("args", "message"), [
    (["--with", "TUR"], "TUR is already in the dyad"),
    (["--with", "SYRIA"], "three-letter country code"),
    (["--start", "2016-02-30"], "--start '2016-02-30': expected a day as YYYY-MM-DD"),
    (["--start", "2017-01-01", "--end", "2016-01-01"], "is after --end"),
    ([], "--format is required"),
])
def test_bad_options_exit_2_with_a_message(tmp_path, capsys, args, message):
    path = write_empty(tmp_path)
    code, _, err = run([str(path), *(["--format", "gdelt"] if args else []), *args], capsys)
    assert code == 2
    assert message in err


def test_icews_third_party_without_a_known_name_is_an_error(tmp_path, capsys):
    path = write_empty(tmp_path, "events.tab")
    code, _, err = run([str(path), "--format", "icews", "--with", "XYZ"], capsys)
    assert code == 1
    assert "no ICEWS country name known for XYZ" in err


def test_synthetic_inputs_are_flagged_by_their_content_not_their_name(truth, tmp_path):
    path = write_gdelt(truth.head(100), tmp_path, malformed={"columns": 2, "date": 1})[0]
    plain_name = path.rename(tmp_path / "20160101000000.export.CSV")
    result = aggregate([plain_name], "gdelt")
    assert result.synthetic, "every line carries the mark, whatever the file is called"
    assert "synthetic test data" in result.report()
    assert result.to_csv().splitlines()[0] == SYNTHETIC_HEADER
    text = plain_name.read_text(encoding="utf-8")
    # One line without the mark (a real URL) and the stream is no longer all synthetic.
    marked = text.replace("https://synthetic.invalid/", "https://news.example/", 1)
    named = tmp_path / "synthetic_20160101000000.export.CSV"
    named.write_text(marked, encoding="utf-8")
    mixed = aggregate([named], "gdelt")
    assert not mixed.synthetic, "a synthetic_ name alone is no label"
    assert "synthetic test data" not in mixed.report()
    assert mixed.to_csv().splitlines()[0] == "period_start,events,quad1,quad2,quad3,quad4," \
        "goldstein_mean,goldstein_mean_weighted,material_conflict_share,tone_mean"
    assert not aggregate([plain_name, named], "gdelt").synthetic
    icews = write_icews(truth.head(30), tmp_path / "icews")[0]
    assert aggregate([icews.rename(icews.with_name("events.2016.tab"))], "icews").synthetic


def test_the_mark_is_counted_across_chunk_boundaries(tmp_path, monkeypatch):
    """Lines hand-made so that the 1-byte-per-read survey splits every mark."""
    mark = "https://synthetic.invalid/x"
    line = "\t".join(["1", "20160104", *[""] * 58, mark]) + "\n"
    path = tmp_path / "a.export.CSV"
    path.write_text(line * 3, encoding="utf-8")
    monkeypatch.setattr(reader, "CHUNK", 7)
    survey = reader._survey(path, reader.SYNTHETIC_MARKS["gdelt"])
    assert (survey.lines, survey.marked, survey.utf8) == (3, 3, True)


def test_generated_gdelt_lines_have_61_columns_and_synthetic_urls(truth, tmp_path):
    path = write_gdelt(truth.head(20), tmp_path)[0]
    assert path.name.startswith("synthetic_")
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        assert len(cells) == 61
        assert cells[60].startswith("https://synthetic.invalid/")


def test_the_survey_checks_utf8_across_chunk_boundaries(tmp_path, monkeypatch):
    """A character split by a chunk boundary is valid; a lead byte followed by an ASCII
    chunk is not, though that chunk alone is ASCII."""
    monkeypatch.setattr(reader, "CHUNK", 4)
    path = tmp_path / "a.export.CSV"
    path.write_bytes(b"abc\xc3\xa9\n\n")
    assert (reader._survey(path).lines, reader._survey(path).utf8) == (2, True)
    path.write_bytes(b"abc\xc3abc\n")
    assert (reader._survey(path).lines, reader._survey(path).utf8) == (1, False)
