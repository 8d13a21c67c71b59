"""Read a dataset CSV into strings indexed by line number, turning every defect into a Problem."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from rusturk.common.problems import Problem, display_path
from rusturk.data.schema import Table


@dataclass
class RawTable:
    """A table's cells as stripped strings; the index is each record's first line in the file."""

    table: Table
    path: Path
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def display(self) -> str:
        # Asked for every cell checked: resolving the path each time cost half of validation.
        return display_path(self.path)


def read_raw(data_dir: Path, table: Table) -> RawTable:
    """Read `table` from `data_dir`; `frame` is None when the file cannot be used at all."""
    path = Path(data_dir) / table.filename
    raw = RawTable(table, path, None)
    where = raw.display

    def fail(message: str, row: int = 1, column: str = "-") -> RawTable:
        raw.problems.append(Problem(where, row, column, message))
        return raw

    expected = ", ".join(table.columns)
    if table.optional_file and not path.exists():
        return raw  # an optional table may be absent: no frame, and nothing wrong
    if not path.is_file():
        return fail(f"file not found; expected a CSV with columns {expected}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        return fail(f"not valid UTF-8 (byte 0x{byte}); save the file as UTF-8", row=line)
    if not text.strip():
        return fail(f"file is empty; expected a header row with columns {expected}")

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines carry nothing
            records.append(record)
            starts.append(start)
    except csv.Error as exc:
        return fail(f"malformed CSV ({exc}); check the quoting", row=reader.line_num)

    header, header_line = [c.strip() for c in records[0]], starts[0]
    for name in sorted({c for c in header if header.count(c) > 1}):
        fail("column appears more than once in the header", header_line, name)
    for name in header:
        if name not in table.columns:
            fail(f"unknown column; expected only {expected}", header_line, name or "(empty)")
    for name in table.columns:
        if name not in header:
            fail("missing column", header_line, name)
    if raw.problems:
        return raw
    if len(records) == 1:
        return fail("the file has a header but no data rows", header_line)

    rows, index = [], []
    for record, start in zip(records[1:], starts[1:], strict=True):
        if len(record) != len(header):
            fail(f"expected {len(header)} fields, found {len(record)}; check commas and quotes",
                 start)
            continue
        rows.append([cell.strip() for cell in record])
        index.append(start)
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(index, name="line"), dtype=object)
    raw.frame = frame[table.columns]
    return raw
