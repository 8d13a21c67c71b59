"""Krippendorff's alpha per field between the project's codes and the blind codes of the sample.

    python scripts/agreement.py                  # the table of data/CODEBOOK.md, "Agreement"
    python scripts/agreement.py --disagreements  # and every item on which the two differ

BEFORE is the project's coding at the commit the blind sample was drawn from (1ce74d4), read
with `git show`; AFTER is `data/events.csv` as it stands. A blind code of an id retired since
(merged into another row, data/CODEBOOK.md section 1) is compared with the surviving row.
Needs the `krippendorff` package: `pip install -e '.[agreement]'`.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

try:
    import krippendorff
except ImportError:  # an optional extra: say how to get it, not a traceback
    sys.exit("scripts/agreement.py: needs the optional krippendorff package; install it with "
             "`pip install -e '.[agreement]'`")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from rusturk.data.schema import quad_class_of  # noqa: E402

BEFORE_REF = "1ce74d4"
BLIND = ("coder_A.csv", "coder_B.csv")
FIELDS = ("actor_initiator", "actor_target", "actors", "category", "intent", "strand",
          "cameo_root", "quad_class")
RETIRED = re.compile(r"^\| `([a-z0-9-]+)` \| `([a-z0-9-]+)` \|", re.MULTILINE)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def retired_ids(codebook: str) -> dict[str, str]:
    """Retired id -> the id it was merged into, from the codebook's table of retired ids.

    Examples:
        >>> retired_ids("| `old-row` | `new-row` | why |")
        {'old-row': 'new-row'}
    """
    return dict(RETIRED.findall(codebook))


def derived(row: dict[str, str], quads: dict[str, int]) -> dict[str, str]:
    """The compared fields of one coding: the four closed lists as coded, the actor pair, the
    CAMEO root and the QuadClass (from cameo.csv, else from the root)."""
    code = row["cameo_code"].strip()
    quad = quads.get(code) or quad_class_of(code)
    return {"actor_initiator": row["actor_initiator"].strip(),
            "actor_target": row["actor_target"].strip(),
            "actors": f"{row['actor_initiator'].strip()}>{row['actor_target'].strip()}",
            "category": row["category"].strip(), "intent": row["intent"].strip(),
            "strand": row["strand"].strip(), "cameo_root": code[:2], "quad_class": str(quad)}


def alpha(pairs: list[tuple[str, str]]) -> float:
    """Krippendorff's alpha, nominal, for two coders; 1.0 where both use one value throughout.

    Examples:
        >>> alpha([("a", "a"), ("b", "b"), ("a", "a")])
        1.0
        >>> round(alpha([("a", "b"), ("b", "a"), ("a", "a"), ("b", "b")]), 3)
        0.125
    """
    values = sorted({v for pair in pairs for v in pair})
    if len(values) < 2:
        return 1.0
    index = {v: i for i, v in enumerate(values)}
    data = np.array([[index[a] for a, _ in pairs], [index[b] for _, b in pairs]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def compare(events: list[dict[str, str]], blind: list[dict[str, str]],
            quads: dict[str, int], retired: dict[str, str]) -> dict[str, list]:
    """For each field, the (project, blind, item, event_id) codes of every sampled item."""
    by_id = {e["event_id"]: e for e in events}
    out: dict[str, list] = {f: [] for f in FIELDS}
    for b in blind:
        eid = b["event_id"]
        while eid not in by_id and eid in retired:
            eid = retired[eid]
        if eid not in by_id:
            raise SystemExit(f"agreement: event '{b['event_id']}' of item {b['item']} is in "
                             "neither events.csv nor the codebook's retired ids")
        ours, theirs = derived(by_id[eid], quads), derived(b, quads)
        for f in FIELDS:
            out[f].append((ours[f], theirs[f], b["item"], b["event_id"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--before", default=BEFORE_REF, help="git ref of the BEFORE coding")
    parser.add_argument("--disagreements", action="store_true")
    args = parser.parse_args(argv)
    folder = args.data / "agreement"
    blind = [row for name in BLIND for row in read_csv((folder / name).read_text("utf-8"))]
    sample = (folder / "sample_ids.txt").read_text("utf-8").split()
    if sorted(b["event_id"] for b in blind) != sorted(sample):
        raise SystemExit("agreement: the blind files do not code exactly the sampled ids")
    quads = {r["cameo_code"]: int(r["quad_class"])
             for r in read_csv((args.data / "cameo.csv").read_text("utf-8"))}
    before_text = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.before}:data/events.csv"],
                                 check=True, capture_output=True, text=True).stdout
    runs = {"before": compare(read_csv(before_text), blind, quads, {}),
            "after": compare(read_csv((args.data / "events.csv").read_text("utf-8")), blind,
                             quads, retired_ids((args.data / "CODEBOOK.md").read_text("utf-8")))}
    n = len(blind)
    print(f"| field | α before ({args.before}) | agree before | α after | agree after |")
    print("|---|---|---|---|---|")
    for f in FIELDS:
        cells = []
        for run in ("before", "after"):
            pairs = [(a, b) for a, b, _, _ in runs[run][f]]
            cells += [f"{alpha(pairs):.3f}", f"{sum(a == b for a, b in pairs)}/{n}"]
        print(f"| {f} | " + " | ".join(cells) + " |")
    if args.disagreements:
        for run in ("before", "after"):
            print(f"\n{run}: item, event, field: project / blind")
            for f in FIELDS:
                for a, b, item, eid in runs[run][f]:
                    if a != b:
                        print(f"  {item:>2} {eid}  {f}: {a} / {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
