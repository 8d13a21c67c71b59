"""Regrade a data folder's sources by the one grade rule: `rusturk grades [--fix] DIR`."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from rusturk.data.schema import SOURCES, credibility_fits, reliability_rule

# Where a row predates the `standing` column, or leaves it empty, and no other row of the same
# publisher says otherwise: a new independent, partisan or unknown outlet is taken as minor
# until someone who has read it says it is established; for the others standing does not move
# the grade, and they are bodies or national media (established).
DEFAULT_STANDING = {"independent": "minor", "partisan": "minor", "unknown": "minor"}


def publisher_key(publisher: str) -> str:
    """The outlet a publisher cell names, without its "(via …)" or "(citing …)" tail.

    Examples:
        >>> publisher_key("Reuters (via National Post)"), publisher_key("  The Guardian ")
        ('reuters', 'the guardian')
    """
    return publisher.split("(")[0].strip().lower()


def regrade(text: str) -> tuple[str, list[str]]:
    """`sources.csv` text regraded by the rule, and one line per change made.

    A header without `standing` gains it after `affiliation`; a row one field short (written
    before the column existed) gains an empty cell there. An empty `standing` is taken from
    another row of the same publisher, else from `DEFAULT_STANDING` (established where it does
    not name the affiliation), and is reported so that a reader can confirm it.
    """
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [c.strip() for c in records[0]]
    rows = [r for r in records[1:] if any(c.strip() for c in r)]
    if "standing" not in header:
        at = header.index("affiliation") + 1
        header.insert(at, "standing")
        rows = [[*r[:at], "", *r[at:]] for r in rows]
    at = header.index("standing")
    rows = [[*r[:at], "", *r[at:]] if len(r) == len(header) - 1 else r for r in rows]
    changes: list[str] = []
    bad = [i for i, r in enumerate(rows, start=2) if len(r) != len(header)]
    if bad:
        raise ValueError(f"sources.csv: rows {bad} do not have {len(header)} fields")
    col = {name: header.index(name) for name in header}
    known: dict[str, str] = {}
    for r in rows:
        if r[col["standing"]].strip():
            known.setdefault(publisher_key(r[col["publisher"]]), r[col["standing"]].strip())
    for r in rows:
        sid = r[col["source_id"]]
        if not r[col["standing"]].strip():
            guess = known.get(publisher_key(r[col["publisher"]]),
                              DEFAULT_STANDING.get(r[col["affiliation"]], "established"))
            r[col["standing"]] = guess
            changes.append(f"{sid}: standing '' -> {guess} (please confirm)")
        grade = reliability_rule(r[col["copy_type"]], r[col["affiliation"]], r[col["kind"]],
                                 r[col["standing"]])
        if r[col["reliability"]] != grade:
            changes.append(f"{sid}: reliability {r[col['reliability']] or '-'} -> {grade}")
            r[col["reliability"]] = grade
        credibility = r[col["credibility"]]
        if not credibility_fits(credibility, grade):
            fitted = "3" if credibility == "2" else "2"
            changes.append(f"{sid}: credibility {credibility} -> {fitted}")
            r[col["credibility"]] = fitted
    if header != SOURCES.columns:
        raise ValueError(f"sources.csv: columns {header} are not the schema's {SOURCES.columns}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue(), changes


def check_folder(data_dir: Path, fix: bool = False) -> int:
    """Check (or with `fix`, rewrite) DIR/sources.csv by the grade rule; print each change and
    return the exit status: 0 when the grades follow the rule (or were fixed), 1 when changes
    are needed, 2 when the file cannot be read."""
    path = Path(data_dir) / "sources.csv"
    try:
        text = path.read_text(encoding="utf-8")
        fixed, changes = regrade(text)
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
        print(f"{path}:1: -: {exc}", file=sys.stderr)
        return 2
    for line in changes:
        print(line)
    if fix:
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
        print(f"{path}: {len(changes)} change(s) written")
        return 0
    print(f"{path}: {len(changes)} change(s) needed" if changes else f"{path}: grades follow "
          "the rule")
    return 1 if changes else 0
