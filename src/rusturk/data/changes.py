"""What changed in the data between two editions: snapshot the tables, compare, describe."""

from __future__ import annotations

import html
import json
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rusturk.common import gitinfo
from rusturk.common.problems import display_path
from rusturk.common.text import plural
from rusturk.config import default_data_dir
from rusturk.data.csvfile import read_raw
from rusturk.data.schema import TABLES, Table

# Bump when the snapshot's layout changes; diff() refuses snapshots it does not understand.
SNAPSHOT_FORMAT = 1
HEADING = "What changed in this edition"
# Events first: they are what a reader of the report cares about most.
RENDER_ORDER = ("events", "figures", "sources", "phases", "cameo")
NOUNS = {
    "events": ("event", "events"),
    "figures": ("figure", "figures"),
    "sources": ("source", "sources"),
    "phases": ("phase", "phases"),
    "cameo": ("CAMEO code", "CAMEO codes"),
}

Rows = dict[str, dict[str, str]]  # row key -> {field: value}, empty cells left out


class ChangesError(Exception):
    """A snapshot or a baseline cannot be read; the message says why and what to do."""


# -- snapshots -------------------------------------------------------------------------------

def row_key(table: Table, row: Mapping[str, str]) -> str:
    """The key of a row as one string: the value itself, or a JSON list for composite keys.

    Examples:
        >>> row_key(TABLES["events"], {"event_id": "saraqib-clashes"})
        'saraqib-clashes'
        >>> row_key(TABLES["figures"], {"event_id": "e", "source_id": "s", "measure": "m"})
        '["e","s","m","",""]'
    """
    parts = [row.get(name, "") for name in table.key]
    if len(parts) == 1:
        return parts[0]
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def _read_tables(folder: Path, where: Callable[[Table], str]) -> dict[str, Rows]:
    """Every table of `folder` as {key: {field: value}}, sorted; refuse unreadable tables."""
    tables: dict[str, Rows] = {}
    for name, table in TABLES.items():
        if table.optional_file and not (folder / table.filename).exists():
            tables[name] = {}
            continue
        raw = read_raw(folder, table)
        if raw.problems or raw.frame is None:
            # A row the reader skipped would otherwise show up as "removed".
            shown = "\n".join(f"{where(table)}:{p.row}: {p.column}: {p.message}"
                              for p in sorted(raw.problems))
            raise ChangesError(f"cannot compare {where(table)}: it cannot be read\n{shown}")
        rows: Rows = {}
        first_line: dict[str, int] = {}
        for line, record in zip(raw.frame.index, raw.frame.to_dict("records"), strict=True):
            key = row_key(table, record)
            if key in rows:
                raise ChangesError(f"{where(table)}:{line}: duplicate key {key} "
                                   f"(first on line {first_line[key]}); cannot compare")
            first_line[key] = line
            rows[key] = {f: record[f] for f in sorted(record) if record[f] != ""}
        tables[name] = {key: rows[key] for key in sorted(rows)}
    return tables


def snapshot(data_dir: Path | str | None = None, *, label: str = "") -> dict[str, Any]:
    """Snapshot a data folder's raw tables for a build manifest, to compare the next build with.

    The result is plain JSON: `{"format": 1, "label": label, "tables": {table: {key: {field:
    value}}}}`, with keys and fields sorted and empty cells left out, so the same data always
    gives the same snapshot. Cells are the strings in the CSV (stripped), not typed values.
    `label` names this edition when a later build compares with it (for example "the build
    of 2020-03-06").
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    tables = _read_tables(folder, lambda t: display_path(folder / t.filename))
    return {"format": SNAPSHOT_FORMAT, "label": label, "tables": tables}


def _git(folder: Path, *args: str):
    try:
        return gitinfo.run(folder, *args)
    except gitinfo.GitUnavailable as exc:
        raise ChangesError(f"{exc}, so there is no baseline to read") from exc


def snapshot_from_git(ref: str, data_dir: Path | str | None = None) -> dict[str, Any]:
    """Snapshot the data as it was at git revision `ref` (for `--since REF`).

    Each table is read with `git show REF:<path>`, where <path> is the data folder's place
    in the repository (normally `data/`). The label is `REF (short hash)`.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if not ref or ref.startswith("-"):
        raise ChangesError(f"{ref!r} is not a git revision; give a branch, tag or commit")
    if not folder.is_dir():
        raise ChangesError(f"{display_path(folder)}: no such data folder")
    found = _git(folder, "rev-parse", "--show-prefix")
    if found.returncode:
        raise ChangesError(f"{display_path(folder)} is not in a git repository, so there is "
                           f"no {ref} to compare with ({gitinfo.stderr(found)})")
    prefix = found.stdout.decode().strip()
    found = _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode:
        raise ChangesError(f"unknown git revision {ref!r}; check the name, and in a shallow "
                           "clone fetch the history (actions/checkout: fetch-depth: 0)")
    commit = found.stdout.decode().strip()
    label = f"{ref} ({commit[:7]})" if not commit.startswith(ref) else commit[:7]

    with tempfile.TemporaryDirectory(prefix="rusturk-baseline-") as tmp:
        for table in TABLES.values():
            shown = _git(folder, "show", f"{commit}:{prefix}{table.filename}")
            if shown.returncode:
                if table.optional_file:
                    continue
                raise ChangesError(f"{prefix}{table.filename} does not exist at {label}; "
                                   f"choose a later revision ({gitinfo.stderr(shown)})")
            (Path(tmp) / table.filename).write_bytes(shown.stdout)
        tables = _read_tables(Path(tmp), lambda t: f"{ref}:{prefix}{t.filename}")
    return {"format": SNAPSHOT_FORMAT, "label": label, "tables": tables}


def _tables_of(snap: Mapping[str, Any], role: str) -> dict[str, Rows]:
    if not isinstance(snap, Mapping) or snap.get("format") != SNAPSHOT_FORMAT:
        found = snap.get("format") if isinstance(snap, Mapping) else type(snap).__name__
        raise ChangesError(f"the {role} snapshot has format {found!r}; this version of "
                           f"rusturk reads format {SNAPSHOT_FORMAT}")
    return snap["tables"]


# -- comparison ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A row added or removed: its key and its non-empty cells."""

    key: str
    values: dict[str, str]


@dataclass(frozen=True)
class Modified:
    """A row present in both editions whose cells differ."""

    key: str
    fields: dict[str, tuple[str, str]]  # field -> (old, new); "" where a cell is empty
    before: dict[str, str]
    after: dict[str, str]


@dataclass(frozen=True)
class TableChanges:
    """Rows added, removed and modified in one table."""

    table: str
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    modified: list[Modified] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.modified)

    @property
    def is_empty(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class Changes:
    """The differences between a baseline edition and this one.

    With no baseline, `first_edition` is True and every table is empty: an edition has no
    changes to list before there is something to compare it with. Test `first_edition`
    before `is_empty`.
    """

    baseline: str
    tables: dict[str, TableChanges]
    first_edition: bool = False

    @property
    def is_empty(self) -> bool:
        return all(t.is_empty for t in self.tables.values())

    def table(self, name: str) -> TableChanges:
        return self.tables.get(name) or TableChanges(name)

    def counts(self) -> dict[str, dict[str, int]]:
        """{table: {"added": n, "removed": n, "modified": n}} for tables that changed."""
        return {name: {"added": len(t.added), "removed": len(t.removed),
                       "modified": len(t.modified)}
                for name, t in self.tables.items() if not t.is_empty}


def _field_order(name: str, fields: set[str]) -> list[str]:
    """Schema order, then any column the schema no longer has, alphabetically."""
    known = TABLES[name].columns if name in TABLES else []
    return [f for f in known if f in fields] + sorted(fields - set(known))


def _sort_rows(name: str, rows: list[Row]) -> list[Row]:
    # Events and phases read best in date order; everything else by key.
    date_field = {"events": "date", "phases": "start"}.get(name)
    if date_field is None:
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: (r.values.get("exact_date") or
                                       r.values.get(date_field, ""), r.key))


def _diff_table(name: str, before: Rows, after: Rows) -> TableChanges:
    added = [Row(k, dict(after[k])) for k in after.keys() - before.keys()]
    removed = [Row(k, dict(before[k])) for k in before.keys() - after.keys()]
    modified = []
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        changed = {f for f in old.keys() | new.keys() if old.get(f, "") != new.get(f, "")}
        if changed:
            fields = {f: (old.get(f, ""), new.get(f, "")) for f in _field_order(name, changed)}
            modified.append(Modified(key, fields, dict(old), dict(new)))
    return TableChanges(name, _sort_rows(name, added), _sort_rows(name, removed), modified)


def _table_names(*snapshots: Mapping[str, Rows]) -> list[str]:
    names = set().union(*(s.keys() for s in snapshots))
    return [n for n in RENDER_ORDER if n in names] + sorted(names - set(RENDER_ORDER))


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any], *,
         baseline: str | None = None) -> Changes:
    """Compare two snapshots; `before` is None when there is no earlier edition.

    `baseline` names the earlier edition in the rendered text; by default it is the label
    stored in `before`, or "the previous edition".
    """
    after_tables = _tables_of(after, "current")
    if before is None:
        return Changes(baseline or "", {}, first_edition=True)
    before_tables = _tables_of(before, "baseline")
    label = baseline or before.get("label") or "the previous edition"
    tables = {name: _diff_table(name, before_tables.get(name, {}), after_tables.get(name, {}))
              for name in _table_names(before_tables, after_tables)}
    return Changes(label, tables)


# The field that dates a row of each table, for an edition's window.
DATED = {"events": ("exact_date", "date"), "figures": ("as_of",), "phases": ("start",),
         "sources": ("publication_date",), "ucdp_ged": ("date_start",)}


def _inside(values: Mapping[str, str], name: str, start: str, end: str) -> bool:
    """Whether a row's date lies in the window (a month or a year overlapping it counts);
    a row with no date is kept."""
    day = next((values.get(f, "") for f in DATED.get(name, ()) if values.get(f, "")), "")
    return not day or start[:len(day)] <= day <= end[:len(day)]


def within(changes: Changes, start: str, end: str) -> Changes:
    """Only the changes an edition for `start`..`end` may show: rows dated in its window.

    >>> t = TableChanges("events", added=[Row("a", {"date": "2020-02-03"}),
    ...                                   Row("b", {"date": "2020-06-01"})])
    >>> [r.key for r in within(Changes("x", {"events": t}), "2020-02-01",
    ...                               "2020-02-29").table("events").added]
    ['a']
    """
    def keep(name: str, t: TableChanges) -> TableChanges:
        return TableChanges(
            name, [r for r in t.added if _inside(r.values, name, start, end)],
            [r for r in t.removed if _inside(r.values, name, start, end)],
            [m for m in t.modified if _inside(m.after, name, start, end)])

    return Changes(changes.baseline, {n: keep(n, t) for n, t in changes.tables.items()},
                   changes.first_edition)


# -- rendering -------------------------------------------------------------------------------

def clip(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis.

    Examples:
        >>> clip("Turkey  shoots\\ndown a jet", 40)
        'Turkey shoots down a jet'
        >>> clip("abcdefghij", 5)
        'abcd…'
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shorten_pair(old: str, new: str, width: int = 60) -> tuple[str, str]:
    """Both values on one line and at most about `width` long, around where they first differ.

    Examples:
        >>> shorten_pair("33", "34")
        ('33', '34')
        >>> shorten_pair("x" * 80 + "old end", "x" * 80 + "new end", 20)
        ('…xxxxxxxxxxold end', '…xxxxxxxxxxnew end')
    """
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= width and len(new) <= width:
        return old, new
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    start = max(0, same - width // 2)
    lead = "…" if start else ""
    return (clip(lead + old[start:], width), clip(lead + new[start:], width))


# Markdown punctuation that could start emphasis, links, code or tables inside a line.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()!|~{}])")
_PLAIN_CODE = re.compile(r"[\w.:/ -]+")


def md_text(text: str) -> str:
    """Data text made inert in Markdown and HTML: HTML-escaped, Markdown punctuation escaped.

    Examples:
        >>> print(md_text("<b>Tom & Jerry</b> *bold* [a](javascript:x)"))
        &lt;b&gt;Tom &amp; Jerry&lt;/b&gt; \\*bold\\* \\[a\\]\\(javascript:x\\)
    """
    escaped = html.escape(" ".join(text.split()), quote=True)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)


def md_code(text: str) -> str:
    """An identifier as inline code; through an escaped <code> tag unless it is plain.

    Examples:
        >>> md_code("saraqib-clashes")
        '`saraqib-clashes`'
        >>> md_code("a<b>")
        '<code>a&lt;b&gt;</code>'
    """
    if _PLAIN_CODE.fullmatch(text):
        return f"`{text}`"
    # Code spans show entities literally, so hostile text goes in an HTML element instead.
    return f"<code>{md_text(text)}</code>"


@dataclass(frozen=True)
class _Style:
    code: Callable[[str], str]
    text: Callable[[str], str]


MARKDOWN = _Style(md_code, md_text)
PLAIN = _Style(lambda s: s, lambda s: " ".join(s.split()))


def _label(name: str, row: Row | Modified) -> str:
    """A row's key as a reader would say it: composite keys joined with " / "."""
    values = row.values if isinstance(row, Row) else row.after
    if name in TABLES and len(TABLES[name].key) > 1:
        return " / ".join(values[k] for k in TABLES[name].key if values.get(k))
    return row.key


def _figure_value(values: Mapping[str, str]) -> str:
    """The figure as the source states it: "around 20", "5–9" (its as-of date is in the key)."""
    best, low, high = (values.get(k, "") for k in ("value_best", "value_low", "value_high"))
    number = best or (f"{low}–{high}" if low or high else "no value")
    if best and (low or high):
        number += f" ({low}–{high})"
    return f"{values['qualifier']} {number}" if values.get("qualifier") else number


def _summary(name: str, values: Mapping[str, str], added: bool) -> str:
    """What a reader needs to recognise an added or removed row, as plain text."""
    get = values.get
    if name == "events":
        # New events are described; removed ones are named by their headline.
        return clip(get("description", "") if added else get("title", ""), 100)
    if name == "figures":
        return _figure_value(values)
    if name == "sources":
        return clip(f"{get('publisher', '')}, “{get('title', '')}”", 100)
    if name == "phases":
        return clip(get("name", ""), 100)
    if name == "cameo":
        return clip(get("description", ""), 100)
    return ""


def _when(name: str, values: Mapping[str, str]) -> str:
    if name == "events":
        return values.get("exact_date") or values.get("date", "")
    if name == "phases" and values.get("start"):
        return f"{values['start']} to {values.get('end', '')}"
    return ""


def _items(changes: TableChanges, style: _Style) -> list[str]:
    name = changes.table
    noun = NOUNS.get(name, (name, name))[0]
    items = []
    for verb, rows in (("Added", changes.added), ("Removed", changes.removed)):
        for row in rows:
            when = _when(name, row.values)
            text = f"{verb} {noun} {style.code(_label(name, row))}"
            text += f" ({style.text(when)})" if when else ""
            summary = _summary(name, row.values, added=verb == "Added")
            items.append(f"{text}: {style.text(summary)}" if summary else text)
    for mod in changes.modified:
        parts = []
        for column, (old, new) in mod.fields.items():
            old, new = shorten_pair(old, new)
            parts.append(f"{style.text(column)} {style.text(old) or '(empty)'} → "
                         f"{style.text(new) or '(empty)'}")
        items.append(f"Modified {noun} {style.code(_label(name, mod))}: {'; '.join(parts)}")
    return items


def _count_sentence(changes: Changes) -> str:
    """For example "1 event added, 2 modified; 1 figure removed"."""
    parts = []
    for name, t in changes.tables.items():
        if t.is_empty:
            continue
        counts = [(len(t.added), "added"), (len(t.removed), "removed"),
                  (len(t.modified), "modified")]
        counts = [(n, verb) for n, verb in counts if n]
        first, *rest = counts
        one, many = NOUNS.get(name, (name, name))
        words = [f"{plural(first[0], one, many)} {first[1]}"]
        words += [f"{n} {verb}" for n, verb in rest]
        parts.append(", ".join(words))
    return "; ".join(parts)


def _lines(changes: Changes, style: _Style, max_items: int) -> list[str]:
    """The section's body: the first-edition or no-change sentence, or a summary and bullets."""
    if changes.first_edition:
        return ["First edition — no earlier build to compare with."]
    baseline = style.text(changes.baseline)
    if changes.is_empty:
        return [f"No data changes since {baseline}."]
    lines = [f"Since {baseline}: {style.text(_count_sentence(changes))}.", ""]
    for name, table_changes in changes.tables.items():
        items = _items(table_changes, style)
        lines += [f"- {item}" for item in items[:max_items]]
        if len(items) > max_items:
            noun = NOUNS.get(name, (name, name))[0]
            lines.append(f"- … and {len(items) - max_items} more {style.text(noun)} changes")
    return lines


def to_markdown(changes: Changes, *, max_items: int = 10, level: int = 2) -> str:
    """The "What changed in this edition" section as Markdown, safe to embed in HTML.

    Every piece of data text is HTML-escaped and has its Markdown punctuation escaped, so a
    `<script>` in a description shows as text. Each table lists at most `max_items` changes,
    then "… and N more".
    """
    body = _lines(changes, MARKDOWN, max_items)
    return "\n".join([f"{'#' * level} {HEADING}", "", *body]) + "\n"


def to_view(changes: Changes, *, max_items: int = 10) -> dict[str, Any]:
    """The same section for a template: heading, lead sentence and items, all plain text
    (the template escapes them).

    Examples:
        >>> to_view(diff(None, {"format": 1, "tables": {}}))["lead"]
        'First edition — no earlier build to compare with.'
    """
    lines = _lines(changes, PLAIN, max_items)
    return {"heading": HEADING, "lead": lines[0],
            "items": [line[2:] for line in lines[1:] if line.startswith("- ")]}


def to_text(changes: Changes, *, max_items: int = 20) -> str:
    """The same section as plain text for the console."""
    body = _lines(changes, PLAIN, max_items)
    return "\n".join([HEADING, "", *body]) + "\n"

