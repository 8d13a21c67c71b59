"""Benchmark: `rusturk stream` (DuckDB) against pandas.read_csv on a 1,000,000-row GDELT file.

Generates a synthetic GDELT 2.0 export in a temporary folder, then times dyad extraction
plus weekly aggregation in a fresh child process per run, so that each run's peak memory is
its own (ru_maxrss of the child). Prints figures and ratios; it is not a test.

    .venv/bin/python benchmarks/stream_benchmark.py [--rows N] [--repeat K]
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

GOAL_SECONDS = 5.0
GOAL_PEAK_MIB = 1024.0
NEEDED = ("SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "QuadClass", "GoldsteinScale",
          "NumMentions", "AvgTone")


def run_duckdb(path: str) -> dict:
    from rusturk.streams.reader import aggregate
    from rusturk.streams.sql import Options

    result = aggregate([path], "gdelt", Options(freq="W"))
    return {"table": result.table.assign(period_start=result.table["period_start"].dt.strftime(
        "%Y-%m-%d")).to_dict("list"), "lines": result.lines_read}


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
    print(json.dumps({"path": str(path)}))


def child(engine: str, path: str) -> None:
    """One timed run, imports done first; prints its figures as JSON on stdout's last line."""
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    import rusturk.streams.reader  # noqa: F401

    start = time.perf_counter()
    if engine == "duckdb":
        out = run_duckdb(path)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "generate":
            generate(int(args.child[1]), args.child[2])
        else:
            child(*args.child)
        return 0

    engines = {"duckdb": "rusturk stream (DuckDB)",
               "pandas": "pandas.read_csv, 7 columns as text",
               "pandas-all": "pandas.read_csv, all 61 columns"}
    with tempfile.TemporaryDirectory(prefix="rusturk-bench-") as tmp:
        start = time.perf_counter()
        path = Path(measure("generate", str(args.rows), tmp)["path"])
        generated = time.perf_counter() - start
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.rows:,} GDELT 2.0 rows, 61 columns, {size_mb:,.0f} MB "
              f"(generated in {generated:.1f} s)")
        print("each run: read the file, keep TUR–RUS both ways, aggregate per ISO week; "
              "time and peak RSS of a fresh process, imports excluded from the time")
        runs = {e: [measure(e, str(path)) for _ in range(args.repeat)] for e in engines}

    answer = runs["duckdb"][0]["table"]
    if not all(same_answer(answer, runs[e][0]["table"]) for e in engines):
        print("error: DuckDB and pandas disagree on the aggregate", file=sys.stderr)
        return 1
    summary = {}
    for engine, label in engines.items():
        seconds = statistics.median(r["seconds"] for r in runs[engine])
        peak = max(r["peak_mib"] for r in runs[engine])
        summary[engine] = (seconds, peak)
        print(f"  {label:<36} {seconds:6.2f} s (median of {args.repeat})   peak RSS "
              f"{peak:6,.0f} MiB")
    print(f"same answer from all: {len(answer['period_start'])} weeks, "
          f"{sum(answer['events']):,} dyad events")
    d_s, d_m = summary["duckdb"]
    for engine in ("pandas", "pandas-all"):
        p_s, p_m = summary[engine]
        print(f"{engines[engine]} / DuckDB: {p_s / d_s:.1f}x the time, {p_m / d_m:.1f}x the "
              "peak memory")
    print(f"goal time <= {GOAL_SECONDS:.0f} s: {'met' if d_s <= GOAL_SECONDS else 'MISSED'}; "
          f"goal peak <= 1 GiB: {'met' if d_m <= GOAL_PEAK_MIB else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
