"""Synthetic GDELT 2.0 and ICEWS export files with known answers: test and benchmark data only.

Nothing here describes real events. Every line carries the mark the reader looks for (every
GDELT SOURCEURL points at `synthetic.invalid`, every ICEWS Publisher reads SYNTHETIC TEST
DATA, malformed lines included), so a generated file can never pass for an extract, whatever
it is named; `rusturk stream` labels a stream synthetic by that content, not by its file
name (names start with `synthetic_` only to tell the files apart in a folder). The generator
returns the rows it wrote (the ground truth) so that tests can compute the expected answers
on their own.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from rusturk.streams.reader import SYNTHETIC_PUBLISHER, SYNTHETIC_URL

PREFIX = "synthetic_"
SOURCE_URL = f"{SYNTHETIC_URL}rusturk/"
PUBLISHER = SYNTHETIC_PUBLISHER
GDELT_COLUMN_COUNT = 61
ICEWS_HEADER = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)

# Countries as GDELT codes them, with the names ICEWS uses, FIPS codes and a rough centre.
COUNTRIES = ("RUS", "TUR", "SYR", "USA", "IRN", "")
COUNTRY_INFO = {
    "RUS": ("RUSSIA", "Russian Federation", "RS", 55.75, 37.62),
    "TUR": ("TURKEY", "Turkey", "TU", 39.93, 32.86),
    "SYR": ("SYRIA", "Syria", "SY", 33.51, 36.29),
    "USA": ("UNITED STATES", "United States", "US", 38.90, -77.04),
    "IRN": ("IRAN", "Iran", "IR", 35.69, 51.39),
    "": ("", "", "", 0.0, 0.0),
}
DYAD_PAIRS = (("TUR", "RUS"), ("RUS", "TUR"), ("TUR", "SYR"), ("SYR", "TUR"))

# A spread of CAMEO codes over all four QuadClasses, with Goldstein scores; leading zeros kept.
CODES = {
    "010": ("Make statement", 0.0, 1),
    "0311": ("Express intent to cooperate economically", 5.2, 1),
    "036": ("Express intent to meet or negotiate", 4.0, 1),
    "042": ("Make a visit", 1.9, 1),
    "046": ("Engage in negotiation", 7.0, 1),
    "057": ("Sign formal agreement", 8.0, 1),
    "061": ("Cooperate economically", 6.4, 2),
    "0871": ("Declare ceasefire", 9.0, 2),
    "111": ("Criticize or denounce", -2.0, 3),
    "112": ("Accuse", -2.0, 3),
    "130": ("Threaten", -4.4, 3),
    "138": ("Threaten with military force", -7.0, 3),
    "163": ("Impose embargo, boycott, or sanctions", -8.0, 4),
    "173": ("Arrest, detain", -5.0, 4),
    "190": ("Use conventional military force", -10.0, 4),
    "195": ("Employ aerial weapons", -10.0, 4),
}
CONFLICT = tuple(c for c, (_, _, q) in CODES.items() if q >= 3)
COOPERATION = tuple(c for c, (_, _, q) in CODES.items() if q <= 2)

# Kinds of malformed line the writers can slip in, each built from a good dyad row.
MALFORMED = ("columns", "date", "utf8")


def make_events(n: int, seed: int = 0, start: str = "2015-11-24", end: str = "2020-03-31",
                dyad_share: float = 0.25,
                conflict_spans: Sequence[tuple[str, str]] = ()) -> pd.DataFrame:
    """`n` synthetic events: day, both sides' country codes, CAMEO code, QuadClass, Goldstein,
    mentions and tone. About `dyad_share` are Turkey–Russia or Turkey–Syria; inside
    `conflict_spans` most events are conflictual, elsewhere most are cooperative.

    Examples:
        >>> e = make_events(4, seed=1)
        >>> list(e.columns)
        ['date', 'side1', 'side2', 'cameo_code', 'quad_class', 'goldstein', 'mentions', 'tone']
        >>> len(e), e["quad_class"].between(1, 4).all()
        (4, np.True_)
    """
    rng = np.random.default_rng(seed)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    days = rng.integers(0, (last - first).days + 1, n)
    dates = first + pd.to_timedelta(days, unit="D")
    dyad = rng.random(n) < dyad_share
    pair = rng.integers(0, len(DYAD_PAIRS), n)
    other = rng.integers(0, len(COUNTRIES), (2, n))
    dyad_codes = np.array([[COUNTRIES.index(a) for a, _ in DYAD_PAIRS],
                           [COUNTRIES.index(b) for _, b in DYAD_PAIRS]])
    side1 = np.where(dyad, dyad_codes[0][pair], other[0])
    side2 = np.where(dyad, dyad_codes[1][pair], other[1])
    in_conflict = np.zeros(n, dtype=bool)
    for lo, hi in conflict_spans:
        in_conflict |= (dates >= pd.Timestamp(lo)) & (dates <= pd.Timestamp(hi))
    conflictual = rng.random(n) < np.where(in_conflict, 0.8, 0.2)
    codes = np.where(conflictual, np.array(CONFLICT)[rng.integers(0, len(CONFLICT), n)],
                     np.array(COOPERATION)[rng.integers(0, len(COOPERATION), n)])
    vocabulary = list(CODES)
    code_index = pd.Categorical(codes, categories=vocabulary).codes
    return pd.DataFrame({
        "date": dates.astype("datetime64[s]"),
        "side1": pd.Categorical.from_codes(side1, categories=list(COUNTRIES)),
        "side2": pd.Categorical.from_codes(side2, categories=list(COUNTRIES)),
        "cameo_code": pd.Categorical.from_codes(code_index, categories=vocabulary),
        "quad_class": np.array([CODES[c][2] for c in vocabulary])[code_index],
        "goldstein": np.array([CODES[c][1] for c in vocabulary])[code_index],
        "mentions": rng.integers(1, 60, n),
        "tone": np.round(rng.normal(-2.0, 3.0, n), 6),
    })


def _numeric(events: pd.DataFrame, offset: int) -> pd.DataFrame:
    """The events as numbers only, for DuckDB to turn into text at speed."""
    return pd.DataFrame({
        "row": np.arange(len(events), dtype=np.int64) + offset,
        "day": events["date"].to_numpy(),
        "s1": pd.Categorical(events["side1"], categories=list(COUNTRIES)).codes.astype(np.int32),
        "s2": pd.Categorical(events["side2"], categories=list(COUNTRIES)).codes.astype(np.int32),
        "code": pd.Categorical(events["cameo_code"], categories=list(CODES)).codes.astype(
            np.int32),
        "quad": events["quad_class"].to_numpy(),
        "gold": events["goldstein"].to_numpy(dtype=float),
        "mentions": events["mentions"].to_numpy(dtype=np.int64),
        "tone": events["tone"].to_numpy(dtype=float),
    })


def _list(values: Sequence[object]) -> str:
    def literal(v: object) -> str:
        return repr(v) if isinstance(v, float) else "'" + str(v).replace("'", "''") + "'"
    return "[" + ", ".join(literal(v) for v in values) + "]"


def _pick(values: Sequence[object], index: str) -> str:
    """SQL: the entry of a constant list at a 0-based index column, NULL (written empty) for
    an empty string."""
    return f"NULLIF(CAST({_list(values)}[{index} + 1] AS VARCHAR), '')"


def _gdelt_select() -> str:
    info = [COUNTRY_INFO[c] for c in COUNTRIES]
    name, fips = [i[0] for i in info], [i[2] for i in info]
    lat, lon = [i[3] for i in info], [i[4] for i in info]
    code = _pick(list(CODES), "code")

    def actor(side: str) -> list[str]:
        country = _pick(COUNTRIES, side)
        return [f"{country} || 'GOV'", _pick(name, side), country, "NULL", "NULL", "NULL",
                "NULL", f"CASE WHEN {side} < 5 THEN 'GOV' END", "NULL", "NULL"]

    def geo(side: str) -> list[str]:
        known = f"CASE WHEN {side} < 5 THEN"
        return [f"{known} 1 END", _pick(name, side), _pick(fips, side),
                f"{_pick(fips, side)} || '0' || ({side} + 1)", "NULL",
                f"{known} {_list(lat)}[{side} + 1] END", f"{known} {_list(lon)}[{side} + 1] END",
                f"{known} '-' || (700000 + {side} * 1013) END"]

    columns = [
        "500000000 + row", "strftime(day, '%Y%m%d')", "strftime(day, '%Y%m')",
        "year(day)", "printf('%.4f', year(day) + (dayofyear(day) - 1) / 365.0)",
        *actor("s1"), *actor("s2"),
        "row % 2", code, f"left({code}, 3)", f"left({code}, 2)", "quad", "gold", "mentions",
        "1 + mentions // 5", "mentions", "tone",
        *geo("s1"), *geo("s2"), *geo("s1"),
        "strftime(day, '%Y%m%d') || '000000'",
        f"'{SOURCE_URL}' || strftime(day, '%Y/%m/%d') || '/synthetic-test-article-' || row "
        "|| '.html'",
    ]
    assert len(columns) == GDELT_COLUMN_COUNT
    return "SELECT " + ", ".join(columns) + " FROM numeric"


def _icews_select() -> str:
    info = [COUNTRY_INFO[c] for c in COUNTRIES]
    english, icews = [i[0].title() for i in info], [i[1] for i in info]
    lat, lon = [i[3] for i in info], [i[4] for i in info]
    texts = [v[0] for v in CODES.values()]

    def actor(side: str) -> list[str]:
        return [f"'Government (' || coalesce({_pick(english, side)}, 'Unknown') || ')'",
                "'Government'", _pick(icews, side)]

    columns = [
        "20000000 + row", "strftime(day, '%Y-%m-%d')", *actor("s1"), _pick(texts, "code"),
        _pick(list(CODES), "code"), "gold", *actor("s2"), "30000000 + row // 3", "row % 3",
        f"'{PUBLISHER}'", "NULL", "NULL", "NULL", _pick(icews, "s1"),
        f"CASE WHEN s1 < 5 THEN {_list(lat)}[s1 + 1] END",
        f"CASE WHEN s1 < 5 THEN {_list(lon)}[s1 + 1] END",
    ]
    assert len(columns) == len(ICEWS_HEADER)
    names = ", ".join(f'"{c}"' for c in ICEWS_HEADER)
    return f"SELECT * FROM (SELECT {', '.join(columns)} FROM numeric) AS t({names})"


def _copy(events: pd.DataFrame, select: str, target: Path, header: bool, offset: int) -> None:
    from rusturk.streams.reader import connection
    from rusturk.streams.sql import quote

    con = connection()
    try:
        con.register("numeric", _numeric(events, offset))
        con.execute(f"COPY ({select}) TO {quote(target.as_posix())} "
                    f"(FORMAT csv, DELIMITER '\t', HEADER {str(header).lower()}, QUOTE '')")
    finally:
        con.close()


def _bad_lines(kind: str, good: str, layout: str) -> bytes:
    """A malformed copy of a good dyad line: one column short, a day that does not exist, or
    Latin-1 bytes in a name. Each keeps the synthetic mark (the column left out is the
    last but one)."""
    cells = good.rstrip("\n").split("\t")
    if kind == "columns":
        del cells[-2]
    elif kind == "date":
        cells[1] = "20161301" if layout == "gdelt" else "2016-13-01"
    elif kind == "utf8":
        name = 6 if layout == "gdelt" else 2
        return ("\t".join(cells[:name]).encode() + b"\t\xc7ANKAYA\xff\t"
                + "\t".join(cells[name + 1:]).encode() + b"\n")
    else:
        raise ValueError(f"unknown kind of malformed line {kind!r}; expected one of "
                         f"{', '.join(MALFORMED)}")
    return ("\t".join(cells) + "\n").encode()


def _write(events: pd.DataFrame, folder: Path, layout: str, files: int, zipped: bool,
           malformed: dict[str, int] | None, stem: str) -> list[Path]:
    """Split `events` over `files` files in row order and write each, slipping the malformed
    lines into the middle of the first file."""
    folder.mkdir(parents=True, exist_ok=True)
    select = _gdelt_select() if layout == "gdelt" else _icews_select()
    suffix = ".export.CSV" if layout == "gdelt" else ".tab"
    bounds = np.linspace(0, len(events), files + 1).astype(int)
    paths = []
    for k in range(files):
        part = events.iloc[bounds[k]:bounds[k + 1]]
        name = f"{PREFIX}{stem}{k:04d}{suffix}"
        target = folder / name
        _copy(part, select, target, layout == "icews", int(bounds[k]))
        if k == 0 and malformed:
            _insert_malformed(target, layout, malformed, part)
        if zipped:
            with zipfile.ZipFile(folder / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(target, arcname=name)
            target.unlink()
            target = folder / f"{name}.zip"
        paths.append(target)
    return paths


def _insert_malformed(target: Path, layout: str, malformed: dict[str, int],
                      part: pd.DataFrame) -> None:
    lines = target.read_bytes().splitlines(keepends=True)
    first = 1 if layout == "icews" else 0
    in_dyad = [i for i, (a, b) in enumerate(zip(part["side1"], part["side2"], strict=True))
               if (a, b) in DYAD_PAIRS]
    if not in_dyad:
        raise ValueError("the first file holds no dyad event to build malformed lines from")
    good = lines[first + in_dyad[0]].decode()
    bad = [_bad_lines(kind, good, layout) for kind, count in sorted(malformed.items())
           for _ in range(count)]
    middle = first + (len(lines) - first) // 2
    target.write_bytes(b"".join(lines[:middle] + bad + lines[middle:]))


def write_gdelt(events: pd.DataFrame, folder: Path, files: int = 1, zipped: bool = False,
                malformed: dict[str, int] | None = None, stem: str = "20160101") -> list[Path]:
    """GDELT 2.0 export files (61 tab-separated columns, no header), optionally zipped like
    the real `*.export.CSV.zip`; `malformed` maps a kind in MALFORMED to a count of lines."""
    return _write(events, Path(folder), "gdelt", files, zipped, malformed, stem)


def write_icews(events: pd.DataFrame, folder: Path, files: int = 1,
                malformed: dict[str, int] | None = None, stem: str = "events.") -> list[Path]:
    """ICEWS event files (20 tab-separated columns under a header row)."""
    return _write(events, Path(folder), "icews", files, False, malformed, stem)


def write_empty(folder: Path, name: str = "20160102000000.export.CSV") -> Path:
    """An empty file, as an interrupted download leaves."""
    path = Path(folder) / f"{PREFIX}{name}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path
