"""A hand-made window for the analysis tests: seven synthetic events, readings of Turkish
losses and of the displaced, written so that every quantity stated on them can be worked out
by hand (the tests say how). The rows are fixtures, not facts."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from rusturk.analysis.window import Window
from rusturk.data.dataset import Dataset

T = pd.Timestamp
NA = pd.NA
R = TypeVar("R")


def once_per_run(make: Callable[[], R]) -> Callable[[], R]:
    """`make()` computed once for the test process, and shared by the tests that call it; under
    mutation testing (mutmut sets MUTANT_UNDER_TEST) computed in every call, so that mutmut
    sees each test reach the code under test, and runs each test against each mutant."""
    cached = functools.cache(make)

    @functools.wraps(make)
    def shared() -> R:
        return make() if "MUTANT_UNDER_TEST" in os.environ else cached()

    return shared


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
    return readings(rows)


def readings(rows) -> pd.DataFrame:
    """Readings typed as the loader types them, from (event, source, measure, low, best,
    high, date_ref, claimant) tuples, with superseded_by as a ninth where given."""
    def ints(i):
        return pd.array([r[i] for r in rows], dtype="Int64")
    return pd.DataFrame({
        "event_id": [r[0] for r in rows], "source_id": [r[1] for r in rows],
        "measure": [r[2] for r in rows], "value_low": ints(3), "value_best": ints(4),
        "value_high": ints(5), "date_ref": pd.to_datetime([r[6] for r in rows]),
        "claimant": pd.array([r[7] for r in rows], dtype=object),
        "evidence": [""] * len(rows),
        "superseded_by": pd.array([r[8] if len(r) > 8 else NA for r in rows], dtype=object),
        "qualifier": pd.array([NA] * len(rows), dtype=object)})


def strikes() -> pd.DataFrame:
    """Two incidents, x on 10 February 2020 and y on 27 February."""
    return pd.DataFrame({"event_id": ["x", "y"], "title": ["Strike X", "Strike Y"],
                         "date_best": pd.to_datetime(["2020-02-10", "2020-02-27"])})


def window(start="2020-01-01", end="2020-01-31") -> Window:
    ds = Dataset(Path("unused"), events(), sources(), figures(), pd.DataFrame(),
                 pd.DataFrame(), pd.DataFrame())
    return Window(ds, T(start), T(end))


# -- a fuller window: the same seven events with what the findings read besides -------------
# Phases over December 2019 to March 2020, the dating of each event, disputed attributions,
# the sources' kinds, a running tally's first day and readings of civilian deaths. Built
# beside `window()`, which stays as it is; fixtures, not facts.

PHASES = (  # id, name, start, end: e2 opens the strain and e7 closes it
    ("quiet", "Quiet winter", "2019-12-01", "2020-01-09"),
    ("strain", "Strain", "2020-01-10", "2020-02-01"),
    ("thaw", "Thaw", "2020-02-02", "2020-03-31"),
)


def phases(rows=PHASES) -> pd.DataFrame:
    """Phases typed as the loader types them, with their length in days and their number."""
    p = pd.DataFrame({"phase_id": [r[0] for r in rows], "name": [r[1] for r in rows],
                      "start": pd.to_datetime([r[2] for r in rows]),
                      "end": pd.to_datetime([r[3] for r in rows])})
    p["duration_days"] = (p["end"] - p["start"]).dt.days + 1
    p["number"] = range(1, len(p) + 1)
    return p


def attributions() -> pd.DataFrame:
    from rusturk.data.schema import ACTORS

    rows = [  # event, claimed initiator, source, claimant
        # e3, an attack on Turkish forces: Russia named by three claimants (the observatory
        # through two outlets counts once), the Syrian government by one.
        ("e3", "RUS", "wire", "Syrian Observatory for Human Rights"),
        ("e3", "RUS", "late", "Syrian Observatory for Human Rights (via Publisher late)"),
        ("e3", "RUS", "blog", "A Turkish official"),
        ("e3", "RUS", "wire2", "Turkish Foreign Ministry"),
        ("e3", "SYR", "off", "Turkish Defence Ministry"),
        # e4 is disputed, but Turkey is not its target.
        ("e4", "RUS", "wire", "Syrian Observatory for Human Rights"),
        ("e4", "SYR", "off", "Turkish Defence Ministry"),
        # e6 is disputed, but nobody names Russia.
        ("e6", "USA", "wire", "Syrian Observatory for Human Rights"),
        ("e6", "SYR_OPP", "wire2", "Turkish Foreign Ministry"),
        # e7 names Russia, but falls after January.
        ("e7", "RUS", "wire", "A Turkish official"),
        ("e7", "SYR", "off", "Turkish Defence Ministry"),
    ]
    return pd.DataFrame({
        "event_id": [r[0] for r in rows],
        "claimed_initiator": pd.Categorical([r[1] for r in rows], categories=list(ACTORS)),
        "source_id": [r[2] for r in rows], "claimant": [r[3] for r in rows],
        "evidence": [""] * len(rows)})


def full_events(phase_rows: pd.DataFrame, claims: pd.DataFrame,
                frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events (by default the seven) with their dating, phase and whether their
    perpetrator is disputed, derived as the loader derives them."""
    e = (events() if frame is None else frame).copy()
    if "date_precision" not in e:
        # e2 is known to the month, pinned to the day; e6 to the month only.
        e["date_precision"] = ["month" if i in ("e2", "e6") else "day" for i in e["event_id"]]
        e["exact_date"] = pd.to_datetime(
            ["2020-01-10" if i == "e2" else None for i in e["event_id"]])
    bins = pd.IntervalIndex.from_arrays(phase_rows["start"], phase_rows["end"], closed="both")
    codes = bins.get_indexer(e["date_best"])
    e["phase_id"] = pd.Categorical(
        [phase_rows["phase_id"].iloc[c] if c >= 0 else None for c in codes],
        categories=list(phase_rows["phase_id"]))
    disputed = claims.groupby("event_id", observed=True)["claimed_initiator"].nunique()
    e["attribution_disputed"] = e["event_id"].map(disputed).fillna(0).gt(1)
    return e


def full_figures() -> pd.DataFrame:
    """`figures()` with the tally's first day (the late source's 50 counts from 1 January),
    a note column, and readings of civilian deaths: two from the UN, one from an NGO."""
    f = figures()
    f["counted_from"] = pd.to_datetime(
        ["2020-01-01" if s == "late" else None for s in f["source_id"]])
    f["note"] = pd.array([NA] * len(f), dtype=object)
    c = "killed_civilians"
    extra = pd.DataFrame({
        "event_id": ["e3"] * 3, "source_id": ["un1", "un2", "ngo"], "measure": [c] * 3,
        "value_low": pd.array([NA, 50, NA], dtype="Int64"),
        "value_best": pd.array([40, NA, 120], dtype="Int64"),
        "value_high": pd.array([NA, 70, NA], dtype="Int64"),
        "date_ref": pd.to_datetime(["2020-01-22", "2020-01-28", "2020-01-29"]),
        "claimant": pd.array([NA] * 3, dtype=object), "evidence": [""] * 3,
        "superseded_by": pd.array([NA] * 3, dtype=object),
        "qualifier": pd.array([NA] * 3, dtype=object),
        "counted_from": pd.to_datetime([None] * 3),
        "note": pd.array(["In Idlib province since 1 January.", NA, NA], dtype=object)})
    return pd.concat([f, extra], ignore_index=True)


def full_window(start="2020-01-01", end="2020-01-31", *, event_frame=None, figure_frame=None,
                phase_rows=PHASES, claims=None) -> Window:
    """The seven events (or `event_frame`) with phases, dating, attributions and tallies."""
    p = phases(phase_rows)
    a = attributions() if claims is None else claims
    s = sources()
    s["kind"] = "news"
    ds = Dataset(Path("unused"), full_events(p, a, event_frame), s,
                 full_figures() if figure_frame is None else figure_frame, a, p,
                 pd.DataFrame())
    return Window(ds, T(start), T(end))
