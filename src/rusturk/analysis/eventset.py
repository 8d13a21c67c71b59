"""The analysed event set, defined once: every statistic, table, chart and sentence uses it."""

from __future__ import annotations

import pandas as pd

# Turkey on one side; Russia, and optionally the Syrian government it backs, on the other.
TURKEY = "TUR"
RUSSIA = "RUS"
SYRIA = "SYR"
RUSSIAN_SIDE = (RUSSIA, SYRIA)

DEFINITION = (
    "**The analysed event set.** Every statistic, table, chart and sentence of the analysis "
    "uses one set of events: those with Turkey on one side and {sides} on the other, both "
    "acting as states. The codebook keeps two kinds of event in the data but out of this "
    "set: acts of individuals or non-state groups (coded `IND`, such as the killing of "
    "ambassador Karlov by an off-duty police officer) and accidents (the Russian strike that "
    "killed Turkish soldiers near al-Bab in February 2017). Events among other actors "
    "(Turkey against the YPG, the United States against Turkey) are context: they appear in "
    "the chronology, never in a measure.")


def russian_side(include_syria: bool) -> tuple[str, ...]:
    return RUSSIAN_SIDE if include_syria else (RUSSIA,)


def with_turkey(events: pd.DataFrame, other: str) -> pd.Series:
    """Which events are between Turkey and `other`, in either direction.

    Examples:
        >>> e = pd.DataFrame({"actor_initiator": ["TUR", "RUS", "SYR", "RUS"],
        ...                   "actor_target": ["RUS", "TUR", "TUR", "SYR"]})
        >>> with_turkey(e, RUSSIA).tolist(), with_turkey(e, SYRIA).tolist()
        ([True, True, False, False], [False, False, True, False])
    """
    ini, tgt = events["actor_initiator"].astype(str), events["actor_target"].astype(str)
    return ((ini == TURKEY) & (tgt == other)) | ((ini == other) & (tgt == TURKEY))


def analysed(events: pd.DataFrame, include_syria: bool = True) -> pd.DataFrame:
    """The analysed events, in date order: Turkey against the Russian side, state acts only,
    accidents left out.

    Examples:
        >>> e = pd.DataFrame({"actor_initiator": ["TUR", "SYR", "USA", "RUS", "IND", "RUS"],
        ...                   "actor_target": ["RUS", "TUR", "TUR", "SYR", "RUS", "TUR"],
        ...                   "intent": ["deliberate"] * 5 + ["accidental"],
        ...                   "date_best": pd.to_datetime(["2016-01-02", "2016-01-01",
        ...                       "2016-01-03", "2016-01-04", "2016-01-05", "2016-01-06"])})
        >>> analysed(e).index.tolist(), analysed(e, include_syria=False).index.tolist()
        ([1, 0], [0])
    """
    other = list(russian_side(include_syria))
    ini, tgt = events["actor_initiator"].astype(str), events["actor_target"].astype(str)
    mask = ((ini == TURKEY) & tgt.isin(other)) | (ini.isin(other) & (tgt == TURKEY))
    if "intent" in events:
        mask &= events["intent"].astype(str) != "accidental"
    return events[mask].sort_values("date_best", kind="stable")


def definition(include_syria: bool) -> str:
    sides = "Russia and the Syrian government" if include_syria else "Russia"
    return DEFINITION.format(sides=sides)
