"""Event streams: GDELT 2.0 and ICEWS exports read out of core by DuckDB, aggregated per period."""

from __future__ import annotations

import codecs
import contextlib
import glob
import gzip
import math
import os
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from rusturk.common.problems import display_path, printable
from rusturk.common.text import plural
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

# What marks a line as synthetic test data (tests/synthetic_streams.py writes it on every
# line): a GDELT SOURCEURL on the reserved .invalid domain, an ICEWS Publisher no real one
# bears. Each is a whole field's start, tab before it, so counting it counts lines.
SYNTHETIC_URL = "https://synthetic.invalid/"
SYNTHETIC_PUBLISHER = "SYNTHETIC TEST DATA"
SYNTHETIC_MARKS = {"gdelt": f"\t{SYNTHETIC_URL}".encode(),
                   "icews": f"\t{SYNTHETIC_PUBLISHER}\t".encode()}
# The first line of an aggregate computed from synthetic lines only; read_aggregate skips it.
SYNTHETIC_HEADER = "# synthetic test data: every line read carried the generator's mark"
# Why a line is set aside before the query sees it, as a reader would name it.
WRONG_COLUMNS = "wrong number of columns (expected {n}, tab-separated)"
NOT_UTF8 = "not valid UTF-8"
# DuckDB's longest line (its default, set explicitly so that the count below agrees with it);
# a longer one is skipped and counted, never held whole in memory.
MAX_LINE = 2 * (1 << 20)
TOO_LONG = f"line too long (over {MAX_LINE:,} bytes)"
SAMPLE = 5  # line numbers kept per file and reason: enough to find them, never them all
INT_COLUMNS = ("events", "quad1", "quad2", "quad3", "quad4")
GLOB_CHARACTERS = "*?["
MIB = 1 << 20
# The most one compressed input (a zip, all its members together, or a gzip) may inflate to;
# a larger one is skipped, never extracted whole. A GDELT 15-minute export inflates to a few
# MiB and a yearly ICEWS file to a few hundred.
DEFAULT_MAX_INFLATED = 512 * MIB
CHUNK = MIB
NEWLINE = ord("\n")
HEADER_BYTES = 1 << 16  # enough for any header line; a longer first line is no header


def size_text(n: int) -> str:
    """A byte count as a reader would give it: whole MiB or KiB where it is one.

    Examples:
        >>> size_text(512 * MIB), size_text(4096), size_text(1000)
        ('512 MiB', '4 KiB', '1,000 bytes')
    """
    if n and n % MIB == 0:
        return f"{n // MIB:,} MiB"
    if n and n % 1024 == 0:
        return f"{n // 1024:,} KiB"
    return plural(n, "byte")


class StreamError(Exception):
    """An input that cannot be read at all: a missing file, a glob matching nothing."""


@dataclass(frozen=True, order=True)
class Skipped:
    """Lines (or a whole file) left out, and why. `first_line` is 1-based where known, and
    `sample` the first few line numbers; `detail` (the error met, for a skipped file) is
    shown by file, never counted by."""

    file: str
    reason: str
    lines: int
    first_line: int | None = None
    detail: str = ""
    sample: tuple[int, ...] = ()


class _Skip(Exception):
    """Raised while staging one input: that input is skipped, the others go on."""

    def __init__(self, reason: str, detail: object = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, _detail(detail)


def _detail(error: object) -> str:
    """An error's message on one line, as short as a report line should be."""
    text = " ".join(str(error).split())
    return text[:200] + ("…" if len(text) > 200 else "")


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
    # Every line of every file read carries the synthetic mark: test data, never a finding.
    synthetic: bool = False

    @property
    def events(self) -> int:
        return int(self.table["events"].sum())

    @property
    def skipped_lines(self) -> int:
        return sum(s.lines for s in self.skipped)

    def reasons(self) -> dict[str, int]:
        """Skipped lines per reason, most frequent first."""
        counts: dict[str, int] = {}
        for s in self.skipped:
            counts[s.reason] = counts.get(s.reason, 0) + s.lines
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def file_reasons(self) -> dict[str, int]:
        """Skipped files per reason, most frequent first."""
        counts: dict[str, int] = {}
        for s in self.skipped_files:
            counts[s.reason] = counts.get(s.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def report(self) -> str:
        """What was read and skipped, for people: the command prints it on stderr."""
        o = self.options
        dates = f"{o.start or 'first day'} to {o.end or 'last day'}"
        lines = [
            f"{self.layout.label}: {plural(len(self.files), 'file')}, "
            f"{plural(self.lines_read, 'line')} read; "
            f"{plural(self.events, 'dyad event')} (TUR with {'+'.join(o.russian_side)}, both "
            f"directions, {dates}) in {plural(len(self.table), PERIOD_NAMES[o.freq])}; "
            f"{plural(self.outside, 'line')} outside the dyad or the dates",
            f"skipped {plural(self.skipped_lines, 'malformed line')}"
            + (":" if self.skipped else ""),
        ]
        lines += [f"  {n:>9,}  {reason}" for reason, n in self.reasons().items()]
        if self.skipped:
            lines.append("  by file:")
            for s in sorted(self.skipped):
                where = f" (first at line {s.first_line})" if s.first_line else ""
                if len(s.sample) > 1:
                    where = where[:-1] + f"; lines {', '.join(map(str, s.sample))}" + (
                        ", …)" if s.lines > len(s.sample) else ")")
                lines.append(f"    {printable(s.file)}: {s.lines:,} {s.reason}{where}")
        if self.skipped_files:
            lines.append(f"skipped {plural(len(self.skipped_files), 'file')}:")
            lines += [f"  {n:>9,}  {reason}" for reason, n in self.file_reasons().items()]
            lines.append("  by file:")
            lines += [f"    {printable(s.file)}: {s.reason}"
                      + (f" ({printable(s.detail)})" if s.detail else "")
                      for s in sorted(self.skipped_files)]
        if self.synthetic:
            lines.append("note: every line read is synthetic test data (each carries the "
                         "generator's mark); nothing here is a finding")
        return "\n".join(lines)

    def to_csv(self) -> str:
        """The output file; synthetic input says so on a first line of its own."""
        text = format_csv(self.table)
        return f"{SYNTHETIC_HEADER}\n{text}" if self.synthetic else text


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
        why = "not a regular file" if path.exists() else "file not found"
        raise StreamError(f"{display_path(path)}: {why}")
    frame = pd.read_csv(path, skiprows=1 if aggregate_is_synthetic(path) else 0)
    missing = [c for c in OUTPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise StreamError(f"{display_path(path)}: not an event-stream aggregate; missing "
                          f"column(s) {', '.join(missing)} (expected {', '.join(OUTPUT_COLUMNS)})")
    frame = frame[list(OUTPUT_COLUMNS)].copy()
    frame["period_start"] = pd.to_datetime(frame["period_start"], format="%Y-%m-%d")
    return frame.sort_values("period_start").reset_index(drop=True)


def aggregate_is_synthetic(path: Path | str) -> bool:
    """The aggregate says on its first line that it was computed from synthetic lines."""
    with Path(path).open("rb") as handle:
        return handle.readline(HEADER_BYTES).rstrip(b"\r\n") == SYNTHETIC_HEADER.encode()


# -- inputs ----------------------------------------------------------------------------------

def expand_inputs(patterns: Iterable[str | Path]) -> list[Path]:
    """Files named directly or by glob, sorted, each file once however often it is named;
    a clear error for a missing file, a folder, or a glob that matches nothing.

    A name that is an existing file is taken as it stands, whatever characters it holds (a
    shell has already expanded the user's globs into such names); anything else holding `*`,
    `?` or `[` is a glob, expanded here and only here. Every file found is then passed on
    as a literal path, never globbed again.
    """
    found: list[Path] = []
    for pattern in patterns:
        text = str(pattern)
        path = Path(text)
        if path.is_file():
            found.append(path)
        elif any(ch in text for ch in GLOB_CHARACTERS):
            matches = [Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file()]
            if not matches:
                raise StreamError(f"{text}: no file matches this pattern")
            found += matches
        elif path.is_dir():
            raise StreamError(f"{text}: is a folder; name files, or a glob such as "
                              f"'{text.rstrip('/')}/*.export.CSV.zip'")
        elif path.exists():
            raise StreamError(f"{text}: not a regular file (a pipe, a device or a socket); "
                              "name a file")
        else:
            raise StreamError(f"{text}: file not found")
    if not found:
        raise StreamError("no input files given")
    return _distinct(found)


def _distinct(paths: Iterable[Path]) -> list[Path]:
    """Sorted, keeping the first name of each file: the same file reached by two names
    (`a.csv` and `./x/../a.csv`, a link, a glob and a name) is read once."""
    seen: set[object] = set()
    out = []
    for path in sorted(set(paths)):
        try:
            st = path.stat()
            key: object = (st.st_dev, st.st_ino)
        except OSError:
            key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


@dataclass
class _Staged:
    """Plain files DuckDB can read, each under a name of ours in the work folder (no glob
    characters, nothing to decompress) with the name to report it by."""

    readable: dict[str, str] = field(default_factory=dict)  # path for DuckDB -> display
    problems: list[Skipped] = field(default_factory=list)


def _first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline(HEADER_BYTES)


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


def _inflates_beyond(limit: int) -> str:
    return f"inflates beyond {size_text(limit)}"


def _copy_bounded(src, dst, budget: int) -> int:
    """Copy in chunks while counting: past `budget` bytes the copy stops, having written at
    most `budget` bytes and read at most one chunk more."""
    written = 0
    while chunk := src.read(CHUNK):
        written += len(chunk)
        if written > budget:
            raise _Skip("")  # the caller names the limit
        dst.write(chunk)
    return written


def _gunzip(path: Path, target: Path, limit: int) -> None:
    """Decompress a gzip file into `target`, streaming, never past `limit` bytes."""
    try:
        with gzip.open(path, "rb") as src, target.open("wb") as dst:
            _copy_bounded(src, dst, limit)
    except _Skip:
        raise _Skip(_inflates_beyond(limit)) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise _Skip("truncated or corrupt gzip file", exc) from None
    except OSError as exc:
        raise _Skip("cannot be read", exc) from None


def _unzip(path: Path, display: str, stem: str, workdir: Path, limit: int
           ) -> list[tuple[Path, str]]:
    """Each file of a zip archive, extracted into `workdir`. The sizes the archive declares
    (its central directory) are checked first, and extraction counts what it writes: all
    members together may not inflate past `limit`."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if not members:
                raise _Skip("empty file (a zip with no files)")
            if sum(m.file_size for m in members) > limit:
                raise _Skip(_inflates_beyond(limit))
            out, budget = [], limit
            for i, member in enumerate(members):
                name = display if len(members) == 1 else f"{display}:{member.filename}"
                target = workdir / f"{stem}_{i:03d}.tsv"
                with archive.open(member) as src, target.open("wb") as dst:
                    try:
                        budget -= _copy_bounded(src, dst, budget)
                    except _Skip:
                        raise _Skip(_inflates_beyond(limit)) from None
                out.append((target, name))
            return out
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _Skip("truncated or corrupt zip archive", exc) from None
    except (NotImplementedError, RuntimeError) as exc:  # encrypted, or an unknown method
        raise _Skip("zip archive that cannot be unpacked", exc) from None
    except OSError as exc:
        raise _Skip("cannot be read", exc) from None


def _link(path: Path, target: Path) -> None:
    """`target` names the plain input `path`: a link where the system allows one."""
    try:
        target.symlink_to(path.absolute())
    except OSError:
        shutil.copyfile(path, target)


def _stage(paths: Sequence[Path], layout: Layout, workdir: Path,
           max_inflated: int = DEFAULT_MAX_INFLATED) -> _Staged:
    """Give DuckDB plain files only, under names of ours in `workdir`: zip members and gzip
    files inflated here (each bounded by `max_inflated`), plain files linked. Empty,
    unreadable, truncated, corrupt or oversized inputs are set aside, each named as the user
    would name it, and the rest go on. One input's files leave the work folder together if
    any of them fails."""
    staged = _Staged()
    for n, path in enumerate(paths):
        display, stem = display_path(path), f"{n:06d}"
        suffix = path.suffix.lower()
        try:
            if path.stat().st_size == 0:
                raise _Skip("empty file")
            if suffix == ".zip":
                candidates = _unzip(path, display, stem, workdir, max_inflated)
            else:
                target = workdir / f"{stem}.tsv"
                if suffix == ".gz":
                    _gunzip(path, target, max_inflated)
                else:
                    _link(path, target)
                candidates = [(target, display)]
        except _Skip as skip:
            for leftover in workdir.glob(f"{stem}*"):
                leftover.unlink()
            staged.problems.append(Skipped(display, skip.reason, 0, detail=skip.detail))
            continue
        except OSError as exc:
            staged.problems.append(Skipped(display, "cannot be read", 0, detail=_detail(exc)))
            continue
        for target, name in candidates:
            try:
                if target.stat().st_size == 0:
                    staged.problems.append(Skipped(name, "empty file", 0))
                    continue
                problem = _check_header(target, name, layout)
            except OSError as exc:
                problem = Skipped(name, "cannot be read", 0, detail=_detail(exc))
            if problem:
                staged.problems.append(problem)
            else:
                staged.readable[str(target)] = name
    return staged


# -- the query -------------------------------------------------------------------------------

def literal_path(path: str) -> str:
    """A path DuckDB reads as that one file: it globs any path holding `*`, `?` or `[`
    (and may then read other files, or the same twice), so each of these is written as a
    character class that matches only itself. DuckDB still reports the file by its path.

    Examples:
        >>> literal_path("/data/a*b?[1].csv"), literal_path("/data/plain.csv")
        ('/data/a[*]b[?][[]1].csv', '/data/plain.csv')
    """
    return "".join(f"[{ch}]" if ch in GLOB_CHARACTERS else ch for ch in path)


def read_csv_call(layout: Layout, files: Sequence[str]) -> str:
    """DuckDB's CSV scan over every file at once: all columns as text (the query parses and
    checks them), no quoting (GDELT and ICEWS never quote), bad lines skipped. The files
    are plain (archives were inflated before), each named by a literal path. No reject
    store: DuckDB would keep every bad line (6 GB for 100,000 short ones); they are
    counted apart, by `_rejected`."""
    columns = ", ".join(f"{quote(c)}: 'VARCHAR'" for c in layout.columns)
    listed = ", ".join(quote(literal_path(f)) for f in files)
    return (f"read_csv([{listed}], delim = '\\t', header = {str(layout.header).lower()}, "
            f"quote = '', escape = '', columns = {{{columns}}}, auto_detect = false, "
            "compression = 'none', null_padding = false, ignore_errors = true, "
            f"max_line_size = {MAX_LINE}, filename = true)")


def quiet(con) -> None:
    """No progress bar on stderr, where the report goes. Inside Jupyter without ipywidgets
    DuckDB refuses any progress-bar setting, but draws no bar there either."""
    import duckdb

    with contextlib.suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")


_DATABASES: dict[tuple[int, int | None], object] = {}
_OPENING = threading.Lock()


def connection(threads: int | None = None):
    """A connection of its own to this process's in-memory DuckDB for that many threads.

    Opening a database costs 40 ms, a cursor on an open one next to nothing: a run that
    tries files one by one, and the tests (some 150 queries), open one database. Kept per
    process, as a database does not survive a fork (its threads stay in the parent)."""
    import duckdb

    key = (os.getpid(), threads)
    with _OPENING:
        if key not in _DATABASES:
            _DATABASES[key] = duckdb.connect(config={"threads": threads} if threads else {})
        con = _DATABASES[key].cursor()
    quiet(con)
    return con


def _query(layout: Layout, options: Options, files: Sequence[str], threads: int | None,
           every_column: bool = True) -> pd.DataFrame:
    """The aggregate groups, on a connection of their own."""
    con = connection(threads)
    try:
        sql = aggregate_sql(layout, options, "duckdb", read_csv_call(layout, list(files)),
                            bookkeeping=True, every_column=every_column)
        return con.execute(sql).fetch_df()
    finally:
        con.close()


def _query_sparing_bad_files(layout: Layout, options: Options, staged: _Staged,
                             threads: int | None, every_column: bool = True
                             ) -> pd.DataFrame | None:
    """The query over every readable file. Should DuckDB fail on the scan, each file is tried
    alone: those that fail are moved to the skipped files and the rest read again, so one bad
    file never stops the run. None when no file is left."""
    import duckdb

    try:
        return _query(layout, options, list(staged.readable), threads, every_column)
    except duckdb.InterruptException:
        raise
    except duckdb.Error:
        errors = {}
        for path in list(staged.readable):
            try:
                _query(layout, options, [path], threads)
            except duckdb.InterruptException:
                raise
            except duckdb.Error as exc:
                errors[path] = exc
        if not errors:
            raise
        for path, exc in errors.items():
            staged.problems.append(Skipped(staged.readable.pop(path), "cannot be read by DuckDB",
                                           0, detail=_detail(exc)))
    if not staged.readable:
        return None
    return _query(layout, options, list(staged.readable), threads, every_column)


def aggregate(inputs: Iterable[str | Path], fmt: str, options: Options | None = None,
              threads: int | None = None, max_inflated: int = DEFAULT_MAX_INFLATED
              ) -> StreamResult:
    """Read every input, keep the dyad, and aggregate it per period.

    Malformed lines (wrong column count, bad dates or values, invalid UTF-8) and empty,
    unreadable, truncated, corrupt or oversized files (a zip or gzip inflating beyond
    `max_inflated` bytes) are counted and reported in the result, never fatal.
    """
    if fmt not in LAYOUTS:
        raise StreamError(f"unknown format {fmt!r}; expected one of {', '.join(LAYOUTS)}")
    if isinstance(max_inflated, bool) or not isinstance(max_inflated, int) or max_inflated < 1:
        raise ValueError(f"max_inflated must be a whole number of bytes, 1 or more; got "
                         f"{max_inflated!r}")
    layout, options = LAYOUTS[fmt], options or Options()
    dyad_condition(layout, options)  # an ICEWS country we cannot name fails before any unzipping
    paths = expand_inputs(inputs)
    with tempfile.TemporaryDirectory(prefix="rusturk-stream-") as tmp:
        staged = _stage(paths, layout, Path(tmp), max_inflated)
        mark = SYNTHETIC_MARKS[layout.name]
        surveys = {p: _survey_or_none(Path(p), mark) for p in staged.readable}
        utf8 = all(s and s.utf8 for s in surveys.values())
        groups = (_query_sparing_bad_files(layout, options, staged, threads,
                                           every_column=not utf8)
                  if staged.readable else None)
        if groups is None:
            return StreamResult(layout, options, _empty_table(), paths, [], 0, 0, [],
                                sorted(staged.problems))
        rejected = _rejected(staged, layout, surveys, int(groups["events"].sum()))
        header = 1 if layout.header else 0
        synthetic = all(s and 0 < s.lines - header == s.marked for p, s in surveys.items()
                        if p in staged.readable)
    return _result(layout, options, groups, rejected, staged, paths, synthetic)


def _empty_table() -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series(dtype="float64") for c in OUTPUT_COLUMNS})
    table["period_start"] = pd.Series(dtype="datetime64[s]")
    for name in INT_COLUMNS:
        table[name] = table[name].astype("int64")
    return table


def _result(layout: Layout, options: Options, groups: pd.DataFrame, rejected: list[Skipped],
            staged: _Staged, paths: list[Path], synthetic: bool) -> StreamResult:
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
    return StreamResult(
        layout=layout, options=options, table=table, inputs=paths,
        files=list(staged.readable.values()),
        lines_read=int(groups["events"].sum()) + sum(r.lines for r in rejected),
        outside=int(groups.loc[groups["status"] == "outside", "events"].sum()),
        skipped=_merge(skipped + rejected), skipped_files=sorted(staged.problems),
        synthetic=synthetic)


# -- lines the scan skipped --------------------------------------------------------------------

@dataclass(frozen=True)
class _Survey:
    """What one pass over a file's bytes finds before the query: its lines (every line;
    the scan reads the non-blank ones), whether all of it is valid UTF-8, and how many
    times the synthetic mark occurs."""

    lines: int
    utf8: bool
    marked: int = 0


def _survey(path: Path, mark: bytes = b"") -> _Survey:
    """Count the lines and the synthetic marks and check the UTF-8 of a file, a chunk at a
    time (bounded memory). A file found valid spares the query its every-column read, the
    costliest part of it."""
    count, last, marked, tail = 0, b"\n", 0, b""
    decoder, utf8 = codecs.getincrementaldecoder("utf-8")(), True
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            # numpy counts a byte three times as fast as bytes.count, which the profile
            # showed to be most of this pass.
            count += int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == NEWLINE))
            last = chunk[-1:]
            if mark:  # a mark across two chunks lies in the tail and the chunk's start
                marked += chunk.count(mark) + (tail + chunk[:len(mark) - 1]).count(mark)
                tail = (tail + chunk[1 - len(mark):])[1 - len(mark):]
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                try:  # ASCII is UTF-8 unless a character begun in the last chunk is pending
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return _Survey(count + (last != b"\n"), utf8, marked)


def _survey_or_none(path: Path, mark: bytes) -> _Survey | None:
    """None for a file that cannot be read now: the query names what is wrong with it."""
    try:
        return _survey(path, mark)
    except OSError:
        return None


def _rejected(staged: _Staged, layout: Layout, surveys: dict[str, _Survey | None],
              accepted: int) -> list[Skipped]:
    """The lines DuckDB's scan skipped, counted by file and reason, each with a few line
    numbers. Lines were counted before the query (fast, bounded memory); only when the scan
    kept fewer than there are is each line looked at, one at a time, never more than
    MAX_LINE bytes of it held."""
    header = 1 if layout.header else 0
    total = sum((surveys[p] or _survey(Path(p))).lines - header for p in staged.readable)
    if total == accepted:
        return []
    out: list[Skipped] = []
    for path, display in staged.readable.items():
        out += _classify(Path(path), display, layout)
    return out


def _classify(path: Path, display: str, layout: Layout) -> list[Skipped]:
    """Each line the scan skips, as it skips them: too long, not UTF-8, or the wrong number
    of tab-separated columns; blank lines are no lines to DuckDB, nor here. Read a chunk at
    a time; a line is held whole only up to MAX_LINE bytes."""
    tabs = len(layout.columns) - 1
    columns = WRONG_COLUMNS.format(n=len(layout.columns))
    found: dict[str, list] = {}  # reason -> [count, sample]
    number = 0  # the number of the last line looked at

    def note(reason: str, line_numbers: list[int]) -> None:
        entry = found.setdefault(reason, [0, []])
        entry[0] += len(line_numbers)
        entry[1] += line_numbers[:SAMPLE - len(entry[1])]

    def look(lines: list[bytes]) -> None:
        nonlocal number
        first = number + 1
        number += len(lines)
        counts = [line.count(b"\t") for line in lines]  # each a pass in C
        bad = [i for i, count in enumerate(counts) if count != tabs]
        try:
            b"\n".join(lines).decode("utf-8")
            plain = max(map(len, lines), default=0) <= MAX_LINE
        except UnicodeDecodeError:
            plain = False
        if plain:  # the usual case, even for a file of nothing but bad lines: no loop here
            note(columns, [first + i for i in bad if lines[i] not in (b"", b"\r")])
            return
        reasons: dict[str, list[int]] = {}
        for i, line in enumerate(lines):
            if line in (b"", b"\r"):
                continue
            if len(line) > MAX_LINE:
                reason = TOO_LONG
            else:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    reason = NOT_UTF8
                else:
                    if counts[i] == tabs:
                        continue
                    reason = columns
            reasons.setdefault(reason, []).append(first + i)
        for reason, numbers in reasons.items():
            note(reason, numbers)

    with path.open("rb") as handle:
        if layout.header:
            _skip_line(handle)
            number = 1
        carry = b""
        while block := handle.read(CHUNK):
            lines = (carry + block).split(b"\n")
            carry = lines.pop()
            look(lines)
            if len(carry) > MAX_LINE:  # a line longer than any kept: counted, then passed
                number += 1
                note(TOO_LONG, [number])
                carry = _rest_after_line(handle)
        if carry:  # the last line without its newline, or what followed an over-long line
            look(carry.split(b"\n"))
    return [Skipped(display, reason, n, sample[0], sample=tuple(sample))
            for reason, (n, sample) in found.items() if n]


def _rest_after_line(handle) -> bytes:
    """Read on to the end of the current line; what follows it in the last chunk read."""
    while block := handle.read(CHUNK):
        at = block.find(b"\n")
        if at >= 0:
            return block[at + 1:]
    return b""


def _skip_line(handle) -> None:
    """Read on to the end of the current line, a chunk at a time."""
    while (rest := handle.readline(CHUNK)) and not rest.endswith(b"\n"):
        pass


def _merge(skipped: list[Skipped]) -> list[Skipped]:
    """One entry per file and reason, whichever way the lines were found."""
    merged: dict[tuple[str, str], Skipped] = {}
    for s in skipped:
        key = (s.file, s.reason)
        if key in merged:
            old = merged[key]
            firsts = [f for f in (old.first_line, s.first_line) if f]
            merged[key] = Skipped(s.file, s.reason, old.lines + s.lines,
                                  min(firsts) if firsts else None,
                                  sample=tuple(sorted(old.sample + s.sample))[:SAMPLE])
        else:
            merged[key] = s
    return sorted(merged.values())
