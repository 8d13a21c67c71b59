"""Benchmark: `rusturk stream` against its floor (a bare DuckDB query) and pandas.read_csv.

Generates a synthetic GDELT 2.0 export (test data, labelled so in every SOURCEURL) in a
temporary folder, and a malformed copy of it with one column too many on every line; both
are deleted afterwards. Each run reads a file, keeps Turkey–Russia both ways and aggregates per
ISO week in a fresh child process, so that its time and peak memory are its own (VmHWM of the
child). The floor reads the same file once and groups the same dyad by week with no checks;
it and `rusturk stream` alternate within each round, so each round's ratio is taken under the
same load. Prints figures and ratios (median and min–max over the rounds); it is not a test.

    .venv/bin/python benchmarks/stream_benchmark.py [--rows 10000000] [--repeat K]

pandas is timed only up to PANDAS_MAX_ROWS: all 61 columns of 10,000,000 rows do not fit in
this machine's memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_RATIO = 1.5  # rusturk stream / floor, on well-formed input
GOAL_PEAK_MIB = 1024.0  # well-formed and malformed alike
PANDAS_MAX_ROWS = 2_000_000
CHUNK = 1 << 24
NEEDED = ("SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "QuadClass", "GoldsteinScale",
          "NumMentions", "AvgTone")


def run_duckdb(path: str) -> dict:
    from rusturk.streams.reader import aggregate
    from rusturk.streams.sql import Options

    result = aggregate([path], "gdelt", Options(freq="W"))
    return {"table": result.table.assign(period_start=result.table["period_start"].dt.strftime(
        "%Y-%m-%d")).to_dict("list"), "lines": result.lines_read,
            "skipped": result.skipped_lines}


def run_floor(path: str) -> dict:
    """The floor: one bare DuckDB query, no checks (plain casts, no line accounting), the
    columns named and typed up front so that nothing is sniffed."""
    import duckdb

    from rusturk.streams.sql import GDELT_COLUMNS

    types = {"QuadClass": "INTEGER", "GoldsteinScale": "DOUBLE", "NumMentions": "BIGINT",
             "AvgTone": "DOUBLE"}
    columns = ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in GDELT_COLUMNS)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    frame = con.execute(f"""
        SELECT strftime(date_trunc('week', strptime(SQLDATE, '%Y%m%d')), '%Y-%m-%d')
                 AS period_start,
               count(*) AS events,
               count(*) FILTER (WHERE QuadClass = 1) AS quad1,
               count(*) FILTER (WHERE QuadClass = 2) AS quad2,
               count(*) FILTER (WHERE QuadClass = 3) AS quad3,
               count(*) FILTER (WHERE QuadClass = 4) AS quad4,
               avg(GoldsteinScale) AS goldstein_mean,
               sum(GoldsteinScale * NumMentions) / sum(NumMentions) AS goldstein_mean_weighted,
               count(*) FILTER (WHERE QuadClass = 4) / count(*) AS material_conflict_share,
               avg(AvgTone) AS tone_mean
        FROM read_csv('{path}', delim = '\t', header = false, quote = '', escape = '',
                      auto_detect = false, columns = {{{columns}}})
        WHERE (Actor1CountryCode = 'TUR' AND Actor2CountryCode = 'RUS')
           OR (Actor1CountryCode = 'RUS' AND Actor2CountryCode = 'TUR')
        GROUP BY ALL ORDER BY period_start""").fetch_df()
    con.close()
    return {"table": frame.to_dict("list"), "lines": None}


def run_pandas(path: str, every_column: bool) -> dict:
    """The same rules with pandas: read the file (only the needed columns, as text; or every
    column with pandas' own type inference), parse and check the values, keep Turkey–Russia
    in both directions, aggregate per ISO week."""
    import pandas as pd

    from rusturk.streams.sql import GDELT_COLUMNS

    read = {"sep": "\t", "header": None, "names": list(GDELT_COLUMNS),
            "quoting": csv.QUOTE_NONE, "on_bad_lines": "skip", "encoding_errors": "replace"}
    if every_column:
        frame = pd.read_csv(path, **read)
        lines = len(frame)
        frame = frame[list(NEEDED)].astype(str).replace("nan", "")
    else:
        frame = pd.read_csv(path, usecols=list(NEEDED), dtype=str, keep_default_na=False,
                            **read)
        lines = len(frame)
    day = pd.to_datetime(frame["SQLDATE"], format="%Y%m%d", errors="coerce")
    quad = pd.to_numeric(frame["QuadClass"], errors="coerce")
    gold = pd.to_numeric(frame["GoldsteinScale"], errors="coerce")
    mentions = pd.to_numeric(frame["NumMentions"], errors="coerce")
    tone = pd.to_numeric(frame["AvgTone"], errors="coerce")
    a1, a2 = frame["Actor1CountryCode"], frame["Actor2CountryCode"]
    keep = (day.notna() & quad.between(1, 4) & gold.between(-10, 10) & (mentions >= 0)
            & tone.notna() & (((a1 == "TUR") & (a2 == "RUS")) | ((a1 == "RUS") & (a2 == "TUR"))))
    d = pd.DataFrame({"period_start": (day - pd.to_timedelta(day.dt.weekday, unit="D"))[keep],
                      "quad": quad[keep], "goldstein": gold[keep], "mentions": mentions[keep],
                      "weighted": (gold * mentions)[keep], "tone": tone[keep]})
    g = d.groupby("period_start")
    table = pd.DataFrame({
        "events": g.size(),
        **{f"quad{q}": g["quad"].apply(lambda s, q=q: int((s == q).sum())) for q in (1, 2, 3, 4)},
        "goldstein_mean": g["goldstein"].mean(),
        "goldstein_mean_weighted": g["weighted"].sum() / g["mentions"].sum(),
        "tone_mean": g["tone"].mean(),
    }).reset_index()
    table["material_conflict_share"] = table["quad4"] / table["events"]
    table["period_start"] = table["period_start"].dt.strftime("%Y-%m-%d")
    return {"table": table.to_dict("list"), "lines": lines}


def peak_mib() -> float:
    """This process's peak resident memory. VmHWM belongs to the process image, so it starts
    afresh at exec; ru_maxrss would carry over the parent's peak from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def generate(rows: int, folder: str) -> None:
    # The generator is test code: it lives under tests/, not in the package.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from synthetic_streams import make_events, write_gdelt

    path = write_gdelt(make_events(rows, seed=2016, dyad_share=0.05), Path(folder),
                       stem="benchmark")[0]
    malformed = path.with_name(path.name.replace(".export", ".malformed.export"))
    with path.open("rb") as src, malformed.open("wb") as dst:
        while chunk := src.read(CHUNK):  # one column too many on every line
            dst.write(chunk.replace(b"\n", b"\textra\n"))
    print(json.dumps({"path": str(path), "malformed": str(malformed)}))


def child(engine: str, path: str) -> None:
    """One timed run, imports done first; prints its figures as JSON on stdout's last line."""
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    import rusturk.streams.reader  # noqa: F401

    start = time.perf_counter()
    if engine in ("duckdb", "duckdb-malformed"):
        out = run_duckdb(path)
    elif engine == "floor":
        out = run_floor(path)
    else:
        out = run_pandas(path, every_column=engine == "pandas-all")
    out["seconds"] = time.perf_counter() - start
    out["peak_mib"] = peak_mib()
    print(json.dumps(out))


def measure(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def same_answer(a: dict, b: dict) -> bool:
    """Equal periods and counts; means equal to 1e-9."""
    if a["period_start"] != b["period_start"]:
        return False
    for name in ("events", "quad1", "quad2", "quad3", "quad4"):
        if list(map(int, a[name])) != list(map(int, b[name])):
            return False
    for name in ("goldstein_mean", "goldstein_mean_weighted", "material_conflict_share",
                 "tone_mean"):
        if any(abs(x - y) > 1e-9 for x, y in zip(a[name], b[name], strict=True)):
            return False
    return True


def spread(values: list[float], fmt: str = ".2f") -> str:
    """Median and min–max, as the report gives every figure measured over rounds."""
    return (f"{statistics.median(values):{fmt}} (min {min(values):{fmt}}, max "
            f"{max(values):{fmt}}, n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (at least 3)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "generate":
            generate(int(args.child[1]), args.child[2])
        else:
            child(*args.child)
        return 0
    if args.repeat < 3:
        parser.error("--repeat: a spread needs at least 3 rounds")

    engines = {"duckdb": "rusturk stream (DuckDB)",
               "floor": "floor: bare DuckDB query",
               "duckdb-malformed": "rusturk stream, malformed input",
               "pandas": "pandas.read_csv, 7 columns as text",
               "pandas-all": "pandas.read_csv, all 61 columns"}
    if args.rows > PANDAS_MAX_ROWS:
        del engines["pandas"], engines["pandas-all"]
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    with tempfile.TemporaryDirectory(prefix="rusturk-bench-") as tmp:
        start = time.perf_counter()
        files = measure("generate", str(args.rows), tmp)
        path, malformed = Path(files["path"]), files["malformed"]
        generated = time.perf_counter() - start
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.rows:,} synthetic GDELT 2.0 rows, 61 columns, {size_mb:,.0f} MB, "
              f"and a malformed copy with 62 columns on every line (generated in "
              f"{generated:.1f} s, deleted afterwards)")
        print("each run: read the file, keep TUR–RUS both ways, aggregate per ISO week; "
              "time and peak RSS of a fresh process, imports excluded from the time")
        for k in range(args.repeat):
            # Alternate the order of the pair whose ratio is the goal.
            pair = ["floor", "duckdb"] if k % 2 == 0 else ["duckdb", "floor"]
            for engine in [*pair, *(e for e in engines if e not in pair)]:
                runs[engine].append(measure(engine, malformed if engine == "duckdb-malformed"
                                            else str(path)))

    answer = runs["duckdb"][0]["table"]
    for engine in engines:
        if engine != "duckdb-malformed" and not same_answer(answer, runs[engine][0]["table"]):
            print(f"error: rusturk stream and {engines[engine]} disagree on the aggregate",
                  file=sys.stderr)
            return 1
    bad = runs["duckdb-malformed"][0]
    if bad["lines"] != args.rows or bad["skipped"] != args.rows:
        print("error: the malformed file was not read as all lines skipped", file=sys.stderr)
        return 1
    for engine, label in engines.items():
        seconds = [r["seconds"] for r in runs[engine]]
        peak = max(r["peak_mib"] for r in runs[engine])
        print(f"  {label:<36} {spread(seconds)} s   peak RSS {peak:6,.0f} MiB")
    print(f"same answer from all on the well-formed file: {len(answer['period_start'])} weeks, "
          f"{sum(answer['events']):,} dyad events; malformed file: {bad['lines']:,} lines "
          "read, every one skipped")
    ratios = [d["seconds"] / f["seconds"] for d, f in zip(runs["duckdb"], runs["floor"],
                                                          strict=True)]
    print(f"rusturk stream / floor, per round: {spread(ratios)}")
    for engine in ("pandas", "pandas-all"):
        if engine in runs:
            p_s = statistics.median(r["seconds"] for r in runs[engine])
            d_s = statistics.median(r["seconds"] for r in runs["duckdb"])
            print(f"{engines[engine]} / rusturk stream: {p_s / d_s:.1f}x the time")
    peaks = {e: max(r["peak_mib"] for r in runs[e]) for e in ("duckdb", "duckdb-malformed")}
    ratio_met = statistics.median(ratios) <= GOAL_RATIO
    peak_met = max(peaks.values()) <= GOAL_PEAK_MIB
    print(f"goal ratio <= {GOAL_RATIO}x the floor (median): {'met' if ratio_met else 'MISSED'}; "
          f"goal peak <= 1 GiB, well-formed and malformed: {'met' if peak_met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
