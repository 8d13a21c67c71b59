"""A hand-made window for the analysis tests: seven synthetic events, readings of Turkish
losses and of the displaced, written so that every quantity stated on them can be worked out
by hand (the tests say how). The rows are fixtures, not facts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rusturk.analysis.window import Window
from rusturk.data.dataset import Dataset

T = pd.Timestamp
NA = pd.NA


def events() -> pd.DataFrame:
    rows = [
        # id, initiator, target, intent, date, quad class, Goldstein
        ("e1", "RUS", "TUR", "deliberate", "2020-01-05", 1, 4.0),
        ("e2", "TUR", "RUS", "deliberate", "2020-01-10", 4, -10.0),
        ("e3", "SYR", "TUR", "deliberate", "2020-01-15", 4, -10.0),
        ("e4", "TUR", "SYR", "deliberate", "2020-01-20", 3, -4.0),
        ("e5", "RUS", "TUR", "accidental", "2020-01-22", 2, 6.0),  # an accident: left out
        ("e6", "USA", "TUR", "deliberate", "2020-01-25", 4, -10.0),  # not the dyad
        ("e7", "RUS", "TUR", "deliberate", "2020-02-01", 3, -2.0),  # after the window
    ]
    return pd.DataFrame({
        "event_id": [r[0] for r in rows], "actor_initiator": [r[1] for r in rows],
        "actor_target": [r[2] for r in rows], "intent": [r[3] for r in rows],
        "date_best": pd.to_datetime([r[4] for r in rows]),
        "quad_class": [r[5] for r in rows], "goldstein": [r[6] for r in rows],
        "title": [f"Event {r[0]}" for r in rows]})


def sources() -> pd.DataFrame:
    rows = [  # id, reliability, affiliation, published
        ("off", "B", "government", "2020-01-15"),
        ("wire", "B", "independent", "2020-01-16"),
        ("wire2", "C", "independent", "2020-01-11"),
        ("blog", "E", "independent", "2020-01-11"),
        ("late", "B", "independent", "2020-01-25"),
        ("un1", "A", "intergovernmental", "2020-01-22"),
        ("un2", "A", "intergovernmental", "2020-01-28"),
        ("ngo", "B", "independent", "2020-01-29"),
    ]
    return pd.DataFrame({"source_id": [r[0] for r in rows], "reliability": [r[1] for r in rows],
                         "affiliation": [r[2] for r in rows],
                         "publication_date": pd.to_datetime([r[3] for r in rows]),
                         "publisher": [f"Publisher {r[0]}" for r in rows],
                         "copy_type": ["original"] * len(rows)})


def figures() -> pd.DataFrame:
    k, d = "killed_turkish_military", "displaced"
    rows = [  # event, source, measure, low, best, high, date_ref, claimant
        # e3: the Turkish ministry says 5, a wire 7 the next day, a tally of 50 ten days on.
        ("e3", "off", k, NA, 5, NA, "2020-01-15", "Turkish Defence Ministry"),
        ("e3", "wire", k, NA, 7, NA, "2020-01-16", NA),
        ("e3", "late", k, NA, 50, NA, "2020-01-25", NA),
        # e2: no official reading; graded readings 2 and 4 (median 3), an ungraded 40.
        ("e2", "wire", k, NA, 2, NA, "2020-01-10", NA),
        ("e2", "wire2", k, NA, 4, NA, "2020-01-11", NA),
        ("e2", "blog", k, NA, 40, NA, "2020-01-11", NA),
        # The displaced: two UN readings within a week of the last, one older, one NGO's.
        ("e3", "un1", d, 100, NA, 200, "2020-01-22", NA),
        ("e3", "un2", d, NA, 300, NA, "2020-01-28", NA),
        ("e3", "un1", d, NA, 90, NA, "2020-01-02", NA),
        ("e3", "ngo", d, NA, 1000, NA, "2020-01-29", NA),
    ]
    def ints(i):
        return pd.array([r[i] for r in rows], dtype="Int64")
    return pd.DataFrame({
        "event_id": [r[0] for r in rows], "source_id": [r[1] for r in rows],
        "measure": [r[2] for r in rows], "value_low": ints(3), "value_best": ints(4),
        "value_high": ints(5), "date_ref": pd.to_datetime([r[6] for r in rows]),
        "claimant": pd.array([r[7] for r in rows], dtype=object),
        "evidence": [""] * len(rows), "superseded_by": pd.array([NA] * len(rows), dtype=object),
        "qualifier": pd.array([NA] * len(rows), dtype=object)})


def window(start="2020-01-01", end="2020-01-31") -> Window:
    ds = Dataset(Path("unused"), events(), sources(), figures(), pd.DataFrame(),
                 pd.DataFrame(), pd.DataFrame())
    return Window(ds, T(start), T(end))
