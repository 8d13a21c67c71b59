"""Regenerate data/ucdp_ged_nw_syria.csv from the UCDP GED Syria release (an R .rda file).

Run once, by hand, when the extract must be rebuilt (needs the optional extra:
`pip install -e '.[ucdp]'`):

    git --git-dir=PATH/TO/data4ds4da/.git show \
        a1a309a04617b235b59f4d90c92313d0237b6ea5:data/ucdp_syria_df.rda > /tmp/ucdp_syria_df.rda
    .venv/bin/python scripts/ucdp_extract.py /tmp/ucdp_syria_df.rda

It lives here and not in the package because only this step needs an R reader: the package,
its validation and its notebooks read the committed CSV with the standard library and pandas.

What it changes, and nothing else: numbers that are whole are written without ".0" (R stores
every number as a double); runs of white space in text cells (tabs, line breaks inside
`source_article`) become one space and the invisible left-to-right mark U+200E (30 cells of
`source_article`) is dropped, because validation refuses control and bidirectional characters.
Every value is otherwise as released. Rows whose low, best and high are out of order as
released get a `note` saying so; they are not corrected. Same input, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from rusturk.data.schema import UCDP_GED, UCDP_GOVERNORATES  # noqa: E402

OUT = REPO_ROOT / "data" / UCDP_GED.filename
OBJECT = "ucdp_syria_df"
# The file read: data/ucdp_syria_df.rda of knapply/data4ds4da at this commit.
EXPECTED_SHA256 = "8958fc493595566ce20b284b3142e55b313e6af4f699432adef0a09c5753db96"
# Columns of the release copied under another name; every other column keeps its GED name.
RENAMED = {"ged_id": "id"}
SPACE = re.compile(r"\s+")
LRM = "\u200e"


def number(value: object) -> str:
    """A released number as text: whole numbers without '.0', others in the shortest form
    that reads back to the same double; missing values empty.

    Examples:
        >>> number(4.0), number(35.688342), number(float("nan")), number(None)
        ('4', '35.688342', '', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def text(value: object) -> str:
    """A released text cell with its white space collapsed and U+200E dropped.

    Examples:
        >>> text(" a\\tb\\u200e  c\\n"), text(None)
        ('a b c', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return SPACE.sub(" ", str(value).replace(LRM, "")).strip()


def bounds_note(low: str, best: str, high: str) -> str:
    """A note for a row whose low, best and high are not in order as released.

    Examples:
        >>> bounds_note("9", "11", "9")[:50]
        'As released, low 9, best 11, high 9 are not in ord'
        >>> bounds_note("1", "2", "3")
        ''
    """
    if int(low) <= int(best) <= int(high):
        return ""
    return (f"As released, low {low}, best {best}, high {high} are not in order "
            "(low <= best <= high); kept as released.")


def rows(frame) -> list[dict[str, str]]:
    """The extract's rows, in date and GED id order."""
    kinds = {f.name: f.kind for f in UCDP_GED.fields}
    selected = frame[frame["adm_1"].isin(UCDP_GOVERNORATES)]
    out = []
    for record in selected.to_dict(orient="records"):
        row = {}
        for name in UCDP_GED.columns:
            if name == "note":
                continue
            value = record[RENAMED.get(name, name)]
            if kinds[name] in ("integer", "number", "category") and not isinstance(value, str):
                row[name] = number(value)
            elif kinds[name] == "date":
                row[name] = "" if value is None else str(value)[:10]
            else:
                row[name] = text(value)
        row["note"] = bounds_note(row["low"], row["best"], row["high"])
        out.append(row)
    return sorted(out, key=lambda r: (r["date_start"], int(r["ged_id"])))


def render(records: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=UCDP_GED.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rda", type=Path, help="the ucdp_syria_df.rda file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        import pyreadr
    except ImportError:
        print("scripts/ucdp_extract.py: needs pyreadr; pip install -e '.[ucdp]'", file=sys.stderr)
        return 2
    data = args.rda.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != EXPECTED_SHA256:
        print(f"{args.rda}: SHA-256 {digest} is not that of the file read at the commit named "
              f"in data/sources.csv ({EXPECTED_SHA256}); update both if the release changed",
              file=sys.stderr)
        return 1
    frame = pyreadr.read_r(str(args.rda))[OBJECT]
    missing = sorted({RENAMED.get(c, c) for c in UCDP_GED.columns if c != "note"}
                     - set(frame.columns))
    if missing:
        print(f"{args.rda}: object {OBJECT} lacks column(s) {', '.join(missing)}",
              file=sys.stderr)
        return 1
    records = rows(frame)
    args.out.write_bytes(render(records))
    print(f"{args.out}: {len(records):,} events of {len(frame):,} "
          f"({', '.join(UCDP_GOVERNORATES)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
