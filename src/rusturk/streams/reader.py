"""Event streams: GDELT 2.0 and ICEWS exports read out of core by DuckDB, aggregated per period."""

from __future__ import annotations

import contextlib
import glob
import gzip
import math
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from rusturk.common.problems import display_path
from rusturk.streams.sql import (
    ICEWS_COLUMNS,
    LAYOUTS,
    OUTPUT_COLUMNS,
    PERIOD_NAMES,
    Layout,
    Options,
    aggregate_sql,
    dyad_condition,
    quote,
)

SYNTHETIC_PREFIX = "synthetic_"
# DuckDB's reject types, as a reader would name them; a line rejected twice counts once.
REJECT_REASONS = {
    "MISSING COLUMNS": "wrong number of columns (expected {n}, tab-separated)",
    "TOO MANY COLUMNS": "wrong number of columns (expected {n}, tab-separated)",
    "INVALID ENCODING": "not valid UTF-8",
    "INVALID UNICODE": "not valid UTF-8",
    "LINE SIZE OVER MAXIMUM": "line too long",
}
INT_COLUMNS = ("events", "quad1", "quad2", "quad3", "quad4")


class StreamError(Exception):
    """An input that cannot be read at all: a missing file, a glob matching nothing."""


@dataclass(frozen=True, order=True)
class Skipped:
    """Lines (or a whole file) left out, and why. `first_line` is 1-based where known."""

    file: str
    reason: str
    lines: int
    first_line: int | None = None


@dataclass
class StreamResult:
    """One row per period for the dyad, plus an account of everything read and skipped."""

    layout: Layout
    options: Options
    table: pd.DataFrame
    inputs: list[Path]
    files: list[str]
    lines_read: int
    outside: int
    skipped: list[Skipped] = field(default_factory=list)
    skipped_files: list[Skipped] = field(default_factory=list)

    @property
    def events(self) -> int:
        return int(self.table["events"].sum())

    @property
    def skipped_lines(self) -> int:
        return sum(s.lines for s in self.skipped)

    @property
    def synthetic(self) -> bool:
        """Every input is one of the generated test files: never a finding."""
        return bool(self.inputs) and all(p.name.startswith(SYNTHETIC_PREFIX)
                                         for p in self.inputs)

    def reasons(self) -> dict[str, int]:
        """Skipped lines per reason, most frequent first."""
        counts: dict[str, int] = {}
        for s in self.skipped:
            counts[s.reason] = counts.get(s.reason, 0) + s.lines
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def report(self) -> str:
        """What was read and skipped, for people: the command prints it on stderr."""
        o = self.options
        dates = f"{o.start or 'first day'} to {o.end or 'last day'}"
        periods = len(self.table)
        lines = [
            f"{self.layout.label}: {len(self.files)} file(s), {self.lines_read:,} line(s) read; "
            f"{self.events:,} dyad event(s) (TUR with {'+'.join(o.russian_side)}, both "
            f"directions, {dates}) in {periods} {PERIOD_NAMES[o.freq]}(s); "
            f"{self.outside:,} line(s) outside the dyad or the dates",
            f"skipped {self.skipped_lines:,} malformed line(s)" + (":" if self.skipped else ""),
        ]
        lines += [f"  {n:>9,}  {reason}" for reason, n in self.reasons().items()]
        if self.skipped:
            lines.append("  by file:")
            for s in sorted(self.skipped):
                where = f" (first at line {s.first_line})" if s.first_line else ""
                lines.append(f"    {s.file}: {s.lines:,} {s.reason}{where}")
        if self.skipped_files:
            lines.append(f"skipped {len(self.skipped_files)} file(s):")
            lines += [f"  {s.file}: {s.reason}" for s in sorted(self.skipped_files)]
        if self.synthetic:
            lines.append("note: every input is synthetic test data (file names start with "
                         f"{SYNTHETIC_PREFIX!r}); nothing here is a finding")
        return "\n".join(lines)

    def to_csv(self) -> str:
        return format_csv(self.table)


def _float(value: float) -> str:
    """Fixed six decimals, empty for a missing value, never a negative zero.

    Examples:
        >>> _float(-1e-9), _float(2.5), _float(float("nan"))
        ('0.000000', '2.500000', '')
    """
    if value is None or math.isnan(value):
        return ""
    text = f"{value:.6f}"
    return "0.000000" if text == "-0.000000" else text


def format_csv(table: pd.DataFrame) -> str:
    """The output file: fixed columns, sorted periods, fixed float formatting."""
    out = [",".join(OUTPUT_COLUMNS)]
    for row in table.sort_values("period_start").itertuples(index=False):
        cells = []
        for name in OUTPUT_COLUMNS:
            value = getattr(row, name)
            if name == "period_start":
                cells.append(f"{value:%Y-%m-%d}")
            elif name in INT_COLUMNS:
                cells.append(str(int(value)))
            else:
                cells.append(_float(value))
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def bigquery_sql_file() -> Path:
    """The committed BigQuery query, where the installed package keeps it."""
    return Path(str(resources.files("rusturk.streams") / "sql" / "gdelt_bigquery.sql"))


def read_aggregate(path: Path | str) -> pd.DataFrame:
    """An aggregate written by `rusturk stream` or exported from the BigQuery query."""
    path = Path(path)
    if not path.is_file():
        raise StreamError(f"{display_path(path)}: file not found")
    frame = pd.read_csv(path)
    missing = [c for c in OUTPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise StreamError(f"{display_path(path)}: not an event-stream aggregate; missing "
                          f"column(s) {', '.join(missing)} (expected {', '.join(OUTPUT_COLUMNS)})")
    frame = frame[list(OUTPUT_COLUMNS)].copy()
    frame["period_start"] = pd.to_datetime(frame["period_start"], format="%Y-%m-%d")
    return frame.sort_values("period_start").reset_index(drop=True)


# -- inputs ----------------------------------------------------------------------------------

def expand_inputs(patterns: Iterable[str | Path]) -> list[Path]:
    """Files named directly or by glob, sorted and without repeats; a clear error for a
    missing file, a folder, or a glob that matches nothing."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        text = str(pattern)
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True)
                             if Path(m).is_file())
            if not matches:
                raise StreamError(f"{text}: no file matches this pattern")
        else:
            path = Path(text)
            if path.is_dir():
                raise StreamError(f"{text}: is a folder; name files, or a glob such as "
                                  f"'{text.rstrip('/')}/*.export.CSV.zip'")
            if not path.is_file():
                raise StreamError(f"{text}: file not found")
            matches = [path]
        found.update(dict.fromkeys(matches))
    if not found:
        raise StreamError("no input files given")
    return sorted(found)


@dataclass
class _Staged:
    """Plain or gzipped files DuckDB can read, each with the name to report it by."""

    readable: dict[str, str] = field(default_factory=dict)  # path for DuckDB -> display
    problems: list[Skipped] = field(default_factory=list)


def _first_line(path: Path) -> bytes:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return handle.readline()


def _is_empty(path: Path) -> bool:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            return not handle.read(1)
    return path.stat().st_size == 0


def _check_header(path: Path, display: str, layout: Layout) -> Skipped | None:
    """ICEWS files must open with the ICEWS header; a GDELT export must not."""
    first = _first_line(path).decode("utf-8-sig", errors="replace").rstrip("\r\n")
    is_icews = tuple(first.split("\t")) == ICEWS_COLUMNS
    if layout.name == "icews" and not is_icews:
        shown = first[:80] + ("…" if len(first) > 80 else "")
        return Skipped(display, f"not an ICEWS event file: its header should be the "
                                f"{len(ICEWS_COLUMNS)} tab-separated columns "
                                f"'{ICEWS_COLUMNS[0]}', '{ICEWS_COLUMNS[1]}', … "
                                f"'{ICEWS_COLUMNS[-1]}'; found {shown!r}", 0)
    if layout.name != "icews" and is_icews:
        return Skipped(display, "this is an ICEWS event file (it has the ICEWS header); "
                                "read it with --format icews", 0)
    return None


def _stage(paths: Sequence[Path], layout: Layout, workdir: Path) -> _Staged:
    """Unzip archives into `workdir` (DuckDB reads gzip itself, not zip) and set aside empty
    or unreadable files, each named as the user would name it."""
    staged = _Staged()
    candidates: list[tuple[Path, str]] = []
    for n, path in enumerate(paths):
        display = display_path(path)
        if path.suffix.lower() != ".zip" or path.stat().st_size == 0:
            candidates.append((path, display))
            continue
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    staged.problems.append(Skipped(display, "empty file (a zip with no files)",
                                                   0))
                for i, member in enumerate(members):
                    name = display if len(members) == 1 else f"{display}:{member.filename}"
                    target = workdir / f"{n:06d}_{i:03d}_{Path(member.filename).name}"
                    with archive.open(member) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                    candidates.append((target, name))
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            staged.problems.append(Skipped(display, f"not a readable zip archive ({exc})", 0))
    for path, display in candidates:
        try:
            if _is_empty(path):
                staged.problems.append(Skipped(display, "empty file", 0))
                continue
            problem = _check_header(path, display, layout)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            problem = Skipped(display, f"cannot be read ({exc})", 0)
        if problem:
            staged.problems.append(problem)
        else:
            staged.readable[str(path)] = display
    return staged


# -- the query -------------------------------------------------------------------------------

def read_csv_call(layout: Layout, files: Sequence[str]) -> str:
    """DuckDB's CSV scan over every file at once: all columns as text (the query parses and
    checks them), no quoting (GDELT and ICEWS never quote), bad lines set aside."""
    columns = ", ".join(f"{quote(c)}: 'VARCHAR'" for c in layout.columns)
    listed = ", ".join(quote(f) for f in files)
    return (f"read_csv([{listed}], delim = '\\t', header = {str(layout.header).lower()}, "
            f"quote = '', escape = '', columns = {{{columns}}}, auto_detect = false, "
            "null_padding = false, ignore_errors = true, store_rejects = true, "
            "filename = true)")


def quiet(con) -> None:
    """No progress bar on stderr, where the report goes. Inside Jupyter without ipywidgets
    DuckDB refuses any progress-bar setting, but draws no bar there either."""
    import duckdb

    with contextlib.suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")


def aggregate(inputs: Iterable[str | Path], fmt: str, options: Options | None = None,
              threads: int | None = None) -> StreamResult:
    """Read every input, keep the dyad, and aggregate it per period.

    Malformed lines (wrong column count, bad dates or values, invalid UTF-8) and empty or
    unreadable files are counted and reported in the result, never fatal.
    """
    import duckdb

    if fmt not in LAYOUTS:
        raise StreamError(f"unknown format {fmt!r}; expected one of {', '.join(LAYOUTS)}")
    layout, options = LAYOUTS[fmt], options or Options()
    dyad_condition(layout, options)  # an ICEWS country we cannot name fails before any unzipping
    paths = expand_inputs(inputs)
    with tempfile.TemporaryDirectory(prefix="rusturk-stream-") as tmp:
        staged = _stage(paths, layout, Path(tmp))
        shown = list(staged.readable.values())
        if not staged.readable:
            return StreamResult(layout, options, _empty_table(), paths, shown, 0, 0, [],
                                staged.problems)
        con = duckdb.connect(config={"threads": threads} if threads else {})
        try:
            quiet(con)
            sql = aggregate_sql(layout, options, "duckdb",
                                read_csv_call(layout, list(staged.readable)), bookkeeping=True)
            groups = con.execute(sql).fetch_df()
            rejects = con.execute(
                "SELECT file_path, error_type::VARCHAR AS error_type, count(*) AS lines, "
                "min(line) AS first_line FROM ("
                "  SELECT s.file_path, e.line, min(e.error_type::VARCHAR) AS error_type"
                "  FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)"
                "  GROUP BY ALL) GROUP BY ALL").fetch_df()
        finally:
            con.close()
    return _result(layout, options, groups, rejects, staged, paths)


def _empty_table() -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series(dtype="float64") for c in OUTPUT_COLUMNS})
    table["period_start"] = pd.Series(dtype="datetime64[s]")
    for name in INT_COLUMNS:
        table[name] = table[name].astype("int64")
    return table


def _result(layout: Layout, options: Options, groups: pd.DataFrame, rejects: pd.DataFrame,
            staged: _Staged, paths: list[Path]) -> StreamResult:
    ok = groups[groups["status"] == "ok"].sort_values("period_start")
    table = ok[list(OUTPUT_COLUMNS)].reset_index(drop=True)
    table["period_start"] = pd.to_datetime(table["period_start"])
    for name in INT_COLUMNS:
        table[name] = table[name].astype("int64")
    for name in set(OUTPUT_COLUMNS) - set(INT_COLUMNS) - {"period_start"}:
        table[name] = table[name].astype("float64")
    bad = groups[~groups["status"].isin(["ok", "outside"])]
    skipped = [Skipped(staged.readable.get(r.source_file, r.source_file), r.status,
                       int(r.events)) for r in bad.itertuples()]
    for r in rejects.itertuples():
        reason = REJECT_REASONS.get(r.error_type, r.error_type.lower()).format(
            n=len(layout.columns))
        skipped.append(Skipped(staged.readable.get(r.file_path, r.file_path), reason,
                               int(r.lines), int(r.first_line)))
    return StreamResult(
        layout=layout, options=options, table=table, inputs=paths,
        files=list(staged.readable.values()),
        lines_read=int(groups["events"].sum()) + int(rejects["lines"].sum()),
        outside=int(groups.loc[groups["status"] == "outside", "events"].sum()),
        skipped=_merge(skipped), skipped_files=sorted(staged.problems))


def _merge(skipped: list[Skipped]) -> list[Skipped]:
    """One entry per file and reason, whichever way the lines were found."""
    merged: dict[tuple[str, str], Skipped] = {}
    for s in skipped:
        key = (s.file, s.reason)
        if key in merged:
            old = merged[key]
            firsts = [f for f in (old.first_line, s.first_line) if f]
            merged[key] = Skipped(s.file, s.reason, old.lines + s.lines,
                                  min(firsts) if firsts else None)
        else:
            merged[key] = s
    return sorted(merged.values())
