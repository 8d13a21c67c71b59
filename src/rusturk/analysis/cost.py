"""What the escalation cost: a headline per incident by a written rule, totals, civilians,
displacement, and who each side says struck."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from rusturk.analysis.escalation import figure_bounds

TURKISH_DEATHS = "killed_turkish_military"
# A reading more than this many days after its event is a running tally, not an incident's.
RUNNING_TALLY_DAYS = 3
# Who speaks for the side that suffered a Turkish loss: words naming a Turkish official or
# body, in the reading's claimant or in the source's own words.
TURKISH_OFFICIAL = (
    "hatay governor", "governor of hatay", "defence minist", "defense minist",
    "ministry of national defen", "erdogan", "erdoğan", "akar", "turkish official",
    "turkish government", "turkish president", "speaker", "presidency", "çavuşoğlu",
    "cavusoglu", "fahrettin altun", "kalın", "kalin", "msb", "savunma bakan",
    "turkish defence", "turkish defense", "ankara said", "verteidigungsministeri",
)
GRADED = ("A", "B", "C")

RULE = (
    "**The headline reading of an incident.** For each incident, the headline is the highest "
    "reading of the side that suffered the loss (for Turkish military deaths, a figure the "
    "source attributes to a Turkish official or body), leaving out first counts that a later "
    "reading replaced. An official toll only rises as the wounded die or the missing are "
    "found, so its highest reading is its latest. Where no official reading exists, the "
    "headline is the median of the readings of sources graded A to C; where there is none of "
    "those either, the incident has no headline and is named as such. Every reading is shown "
    "beside the headline, with the full range and the number of sources, and nothing is "
    "averaged across incidents.")


def is_official(readings: pd.DataFrame, words: tuple[str, ...] = TURKISH_OFFICIAL) -> pd.Series:
    """Whether each reading is attributed to an official of the side that suffered.

    Examples:
        >>> r = pd.DataFrame({"claimant": ["Hatay governor Rahmi Dogan", pd.NA, pd.NA],
        ...                   "evidence": ["33 killed", "Turkish Defence Ministry said 5",
        ...                                "SOHR reports 34"]})
        >>> is_official(r).tolist()
        [True, True, False]
    """
    text = (readings["claimant"].fillna("").astype(str) + " "
            + readings["evidence"].fillna("").astype(str)).str.lower()
    return text.map(lambda t: any(w in t for w in words)).astype(bool)


def incident_readings(figures: pd.DataFrame, events: pd.DataFrame,
                      measure: str = TURKISH_DEATHS) -> pd.DataFrame:
    """Every reading of `measure` that counts one incident (not a running tally), with its
    low and high bounds and the incident's date and title."""
    days = events.set_index("event_id")["date_best"]
    rows = figure_bounds(figures[(figures["measure"] == measure)
                                 & figures["event_id"].isin(days.index)])
    if rows.empty:  # a window without events or readings: no incident
        return rows.assign(date_best=pd.Series(dtype="datetime64[ns]"),
                           title=pd.Series(dtype=object))
    event_day = rows["event_id"].map(days)
    lag = (rows["date_ref"] - event_day).dt.days
    rows = rows[lag.abs() <= RUNNING_TALLY_DAYS].copy()
    rows["date_best"] = rows["event_id"].map(days)
    rows["title"] = rows["event_id"].map(events.set_index("event_id")["title"])
    return rows


def _values(readings: pd.DataFrame) -> pd.Series:
    """Each reading's number as stated, or the low end of a range stated without one."""
    return readings["value_best"].fillna(readings["low"]).astype(float)


def headlines(readings: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per incident: its headline by the written rule (`RULE`), how the headline was
    chosen, and every reading's range and count.

    Examples:
        >>> r = pd.DataFrame({
        ...     "event_id": ["x"] * 4, "title": ["X"] * 4,
        ...     "date_best": pd.to_datetime(["2020-02-27"] * 4),
        ...     "source_id": ["a", "b", "c", "d"], "low": [22, 33, 34, 100],
        ...     "high": [22, 33, 34, 100], "value_best": [22, 33, 34, 100],
        ...     "superseded_by": ["b", pd.NA, pd.NA, pd.NA],
        ...     "claimant": ["Hatay governor", "Hatay governor", "Erdogan", pd.NA],
        ...     "evidence": ["", "", "", "rumour"]})
        >>> s = pd.DataFrame({"source_id": list("abcd"), "reliability": list("BBCD")})
        >>> h = headlines(r, s).iloc[0]
        >>> int(h.headline), h.basis, int(h.low), int(h.high), int(h.sources)
        (34, 'official', 22, 100, 4)
    """
    grade = sources.set_index("source_id")["reliability"].astype(str)
    columns = ["event_id", "title", "date_best", "headline", "basis", "low", "high", "sources",
               "readings", "superseded"]
    if readings.empty:
        return pd.DataFrame(columns=columns)
    # One pass over every reading, grouped once: the rule is read per incident, and a loop
    # over incidents cost a pandas filter per incident in every period a report checks.
    current = readings["superseded_by"].isna().to_numpy()
    official = current & is_official(readings).to_numpy()
    graded = current & readings["source_id"].map(grade).isin(GRADED).to_numpy()
    values = _values(readings)
    keys = readings["event_id"].to_numpy()
    by = pd.DataFrame({"official": values.where(official), "graded": values.where(graded),
                       "n_official": official, "n_graded": graded}).groupby(keys, sort=False)
    group = readings.groupby(keys, sort=False)
    # Each incident's first reading gives its title and day, as the rule's table shows them.
    out = readings.drop_duplicates("event_id")[["event_id", "title", "date_best"]]
    out = out.set_axis(out["event_id"].to_numpy()).astype({"event_id": "str", "title": "str"})
    has_official = by["n_official"].any()
    has_graded = by["n_graded"].any()
    out["headline"] = by["official"].max().where(
        has_official, by["graded"].median().where(has_graded)).astype(float)
    out["basis"] = pd.Series(np.select([has_official, has_graded],
                                       ["official", "median of graded readings"],
                                       "no reading of an official or a graded source"),
                             index=has_official.index)
    out["low"] = group["low"].min().astype(int)
    out["high"] = group["high"].max().astype(int)
    out["sources"] = group["source_id"].nunique()
    out["readings"] = group.size()
    out["superseded"] = group["superseded_by"].count().astype(int)
    return out[columns].reset_index(drop=True).sort_values("date_best", kind="stable")


def cumulative(incidents: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Running total of the incidents' headlines in date order, with a last row at `end` so a
    chart runs to the end of the window. The lowest and highest readings of different
    incidents are never added up: a sum of extremes is no reading any source gave.

    Examples:
        >>> h = pd.DataFrame({"date_best": pd.to_datetime(["2020-02-03", "2020-02-27"]),
        ...                   "headline": [8.0, 34.0], "low": [4, 22], "high": [8, 100]})
        >>> c = cumulative(h, pd.Timestamp("2020-03-31"))
        >>> c.columns.tolist(), c["headline"].tolist()
        (['date', 'headline'], [8.0, 42.0, 42.0])
    """
    ordered = incidents.sort_values("date_best", kind="stable")
    out = pd.DataFrame({"date": ordered["date_best"].to_numpy(),
                        "headline": ordered["headline"].fillna(0).cumsum().to_numpy()})
    if len(out) and out["date"].iloc[-1] < end:
        last = out.iloc[[-1]].copy()
        last["date"] = end
        out = pd.concat([out, last], ignore_index=True)
    return out


def running_tallies(figures: pd.DataFrame, events: pd.DataFrame,
                    measure: str = TURKISH_DEATHS) -> pd.DataFrame:
    """Readings that count losses since some earlier day (a campaign's tally), by date."""
    days = events.set_index("event_id")["date_best"]
    rows = figure_bounds(figures[(figures["measure"] == measure)
                                 & figures["event_id"].isin(days.index)])
    lag = (rows["date_ref"] - rows["event_id"].map(days)).dt.days
    rows = rows[lag > RUNNING_TALLY_DAYS].copy()
    rows["official"] = is_official(rows)
    return rows.sort_values(["date_ref", "source_id"], kind="stable")


def latest_readings(readings: pd.DataFrame, days: int = 7) -> pd.DataFrame:
    """The readings within `days` of the latest one: the current range across sources."""
    if readings.empty:
        return readings
    last = readings["date_ref"].max()
    return readings[readings["date_ref"] >= last - pd.Timedelta(days=days)]


def reading_text(row: pd.Series) -> str:
    """A reading as its source stated it, with its hedge: 'more than 961,000', '4 to 7'."""
    qualifier = f"{row['qualifier']} " if pd.notna(row.get("qualifier")) else ""
    number = (f"{int(row['value_best']):,}" if pd.notna(row["value_best"])
              else f"{int(row['low']):,} to {int(row['high']):,}")
    return qualifier + number


# Who speaks for which side, by words in the claimant's name; the first match decides.
CLAIMANT_SIDES = (
    ("Turkish officials", ("turkish", "turkey", "hatay", "erdogan", "akar", "altun",
                           "sinirlioglu", "cavusoglu")),
    ("Russian officials", ("russian", "russia", "kremlin", "peskov", "lavrov", "nebenzia",
                           "karlov", "orlov")),
    ("Syrian government", ("syrian military", "syrian government", "sana", "damascus")),
    ("Monitors and rescuers", ("observatory", "sohr", "white helmets", "civil defence")),
    ("Armed groups", ("rebel", "commander", "opposition")),
)
# A claim that is only the relaying outlet's own account is left out when the outlet is a
# copy, a feed or a reference work: it adds no witness of its own.
UNCREDITED_KINDS = ("encyclopedia", "reference")
UNCREDITED_COPIES = ("mirror", "aggregator")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


def claimant_key(claimant: str) -> str:
    """One name per claimant, whoever relayed the claim.

    Examples:
        >>> claimant_key("Hatay governor Rahmi Dogan (Turkish government), as reported by "
        ...              "Reuters") == claimant_key("Hatay governor Rahmi Doğan")
        True
        >>> claimant_key("Russian Defence Ministry (via RIA)")
        'russian defence ministry'
    """
    text = re.sub(r"\([^)]*\)", "", str(claimant))
    text = re.split(r",\s*(?:as reported by|per|via)\b", text)[0]
    return _fold(text).strip(" ,.;")


def claimant_side(claimant: str) -> str:
    """The side a claimant speaks for, by `CLAIMANT_SIDES`, else 'Others'.

    >>> claimant_side("Turkish UN Ambassador Feridun Sinirlioglu")
    'Turkish officials'
    """
    key = _fold(str(claimant))
    for side, words in CLAIMANT_SIDES:
        if any(w in key for w in words):
            return side
    return "Others"


def claims(attributions: pd.DataFrame, events: pd.DataFrame,
           sources: pd.DataFrame) -> pd.DataFrame:
    """Each claimed perpetrator of the window's disputed acts, one row per distinct claimant:
    who claims it, the side they speak for, and the sources that relay it. A claim that is
    only a reference work's, a mirror's or a feed's own account is left out."""
    disputed = events.loc[events["attribution_disputed"], ["event_id", "title", "date_best"]]
    rows = attributions.merge(disputed, on="event_id")
    info = sources.set_index("source_id")
    rows = rows.join(info[["publisher", "kind", "copy_type", "affiliation"]], on="source_id")
    publisher = rows["publisher"].fillna("").astype(str).map(
        lambda p: _fold(p.split(" (")[0]))
    own = [bool(p) and p in _fold(str(c)) for p, c in zip(publisher, rows["claimant"],
                                                          strict=True)]
    relay_only = (rows["kind"].astype(str).isin(UNCREDITED_KINDS)
                  | rows["copy_type"].astype(str).isin(UNCREDITED_COPIES))
    rows = rows[~(pd.Series(own, index=rows.index) & relay_only)].copy()
    rows["claimant_key"] = rows["claimant"].map(claimant_key)
    rows["side"] = rows["claimant"].map(claimant_side)
    out = (rows.sort_values(["date_best", "event_id", "claimed_initiator", "claimant_key",
                             "source_id"], kind="stable")
           .groupby(["event_id", "claimed_initiator", "claimant_key"], sort=False)
           .agg(title=("title", "first"), date_best=("date_best", "first"),
                claimant=("claimant", "first"), side=("side", "first"),
                sources=("source_id", lambda s: tuple(dict.fromkeys(s))),
                publishers=("publisher", lambda s: tuple(dict.fromkeys(s))))
           .reset_index())
    return out[["event_id", "title", "date_best", "claimed_initiator", "claimant", "side",
                "sources", "publishers"]]
