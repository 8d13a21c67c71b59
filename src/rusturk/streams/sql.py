"""The event-stream aggregate, defined once and rendered as DuckDB SQL or BigQuery SQL.

Both the local query over export files and the query over GDELT's public BigQuery table are
built here from the same lists (fields, validity checks, dyad, period, aggregates), so the two
cannot drift apart: only the spelling of each primitive differs between dialects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rusturk.analysis.eventset import RUSSIA, TURKEY

FREQUENCIES = {"W": "week (Monday to Sunday)", "M": "calendar month"}
PERIOD_NAMES = {"W": "week", "M": "month"}
BIGQUERY_TABLE = "gdelt-bq.gdeltv2.events"

# GDELT 2.0 event table, in file order (codebook V2.0: 61 tab-separated columns, no header).
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode",
    "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code",
    "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode",
    "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code",
    "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)

# ICEWS coded event data (Harvard Dataverse), in file order, with a header row.
ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)

# ICEWS names countries in full; these are the names its files use for the codes we accept.
ICEWS_COUNTRY_NAMES = {
    "RUS": "Russian Federation",
    "TUR": "Turkey",
    "SYR": "Syria",
    "IRN": "Iran",
    "USA": "United States",
    "UKR": "Ukraine",
    "AZE": "Azerbaijan",
    "ARM": "Armenia",
}

# QuadClass from the CAMEO root code, the rule schema.quad_class_of applies in Python.
QUAD_BY_ROOT = ((1, 5, 1), (6, 8, 2), (9, 13, 3), (14, 20, 4))

# The output, in order, with what each column holds.
OUTPUT_COLUMNS = {
    "period_start": "first day of the period (a Monday for weeks, the 1st for months)",
    "events": "dyad events in the period",
    "quad1": "events of QuadClass 1 (verbal cooperation)",
    "quad2": "events of QuadClass 2 (material cooperation)",
    "quad3": "events of QuadClass 3 (verbal conflict)",
    "quad4": "events of QuadClass 4 (material conflict)",
    "goldstein_mean": "mean Goldstein score (−10 conflict … +10 cooperation)",
    "goldstein_mean_weighted": "mean Goldstein score weighted by NumMentions (GDELT only)",
    "material_conflict_share": "share of events in QuadClass 4",
    "tone_mean": "mean AvgTone of the source articles (GDELT only)",
}


@dataclass(frozen=True)
class Aggregate:
    """One output column: a kind of aggregate over the normalised event fields."""

    name: str
    kind: str  # count, count_where, mean, weighted_mean, share_where
    arg: str = ""  # a field, or a condition over fields
    weight: str = ""
    needs: tuple[str, ...] = ()  # optional fields; NULL where the format lacks one


AGGREGATES = (
    Aggregate("events", "count"),
    *(Aggregate(f"quad{q}", "count_where", f"quad_class = {q}") for q in (1, 2, 3, 4)),
    Aggregate("goldstein_mean", "mean", "goldstein"),
    Aggregate("goldstein_mean_weighted", "weighted_mean", "goldstein", weight="mentions",
              needs=("mentions",)),
    Aggregate("material_conflict_share", "share_where", "quad_class = 4"),
    Aggregate("tone_mean", "mean", "tone", needs=("tone",)),
)
assert tuple(a.name for a in AGGREGATES) == tuple(OUTPUT_COLUMNS)[1:]


@dataclass(frozen=True)
class Check:
    """A reason to skip a line: `field` came out NULL after parsing and range checks."""

    field: str
    reason: str


@dataclass(frozen=True)
class Layout:
    """How one export format maps onto the normalised fields, per dialect."""

    name: str
    label: str
    columns: tuple[str, ...]
    header: bool
    fields: dict[str, dict[str, str]]  # dialect -> field -> SQL over the raw columns
    checks: tuple[Check, ...]


def quote(value: str) -> str:
    """A SQL string literal, the same in both dialects.

    Examples:
        >>> quote("Cote d'Ivoire")
        "'Cote d''Ivoire'"
    """
    return "'" + value.replace("'", "''") + "'"


def ident(name: str, dialect: str) -> str:
    """A column name as each dialect quotes it (ICEWS names hold spaces)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return f"`{name}`" if dialect == "bigquery" else '"' + name.replace('"', '""') + '"'


def quad_from_root(root: str) -> str:
    """CASE expression mapping an integer CAMEO root to its QuadClass, NULL outside 1–20."""
    arms = " ".join(f"WHEN {root} BETWEEN {lo} AND {hi} THEN {q}" for lo, hi, q in QUAD_BY_ROOT)
    return f"CASE {arms} END"


# Scores are summed as decimals with nine places (the scale of BigQuery's NUMERIC): an exact
# sum does not depend on the order in which threads add rows, so every run gives the same file.
EXACT = {"duckdb": "DECIMAL(18, 9)", "bigquery": "NUMERIC"}


def _in_range(expr: str, lo: float, hi: float, cast: str = "") -> str:
    value = f"CAST({expr} AS {cast})" if cast else expr
    return f"CASE WHEN {expr} BETWEEN {lo:g} AND {hi:g} THEN {value} END"


def _gdelt_duckdb() -> dict[str, str]:
    quad = "TRY_CAST(QuadClass AS INTEGER)"
    gold = "TRY_CAST(GoldsteinScale AS DOUBLE)"
    mentions = "TRY_CAST(NumMentions AS BIGINT)"
    return {
        # strptime alone would accept 7-digit days such as 2016011.
        "event_date": "CASE WHEN regexp_full_match(SQLDATE, '[0-9]{8}') "
                      "THEN CAST(try_strptime(SQLDATE, '%Y%m%d') AS DATE) END",
        "side1": "Actor1CountryCode",
        "side2": "Actor2CountryCode",
        "quad_class": _in_range(quad, 1, 4),
        "goldstein": _in_range(gold, -10, 10, EXACT["duckdb"]),
        "mentions": f"CASE WHEN {mentions} >= 0 THEN {mentions} END",
        "tone": "TRY_CAST(CASE WHEN isfinite(TRY_CAST(AvgTone AS DOUBLE)) "
                f"THEN TRY_CAST(AvgTone AS DOUBLE) END AS {EXACT['duckdb']})",
    }


def _gdelt_bigquery() -> dict[str, str]:
    return {
        "event_date": "SAFE.PARSE_DATE('%Y%m%d', CAST(SQLDATE AS STRING))",
        "side1": "Actor1CountryCode",
        "side2": "Actor2CountryCode",
        "quad_class": _in_range("QuadClass", 1, 4),
        "goldstein": _in_range("GoldsteinScale", -10, 10, EXACT["bigquery"]),
        "mentions": "CASE WHEN NumMentions >= 0 THEN NumMentions END",
        "tone": f"SAFE_CAST(AvgTone AS {EXACT['bigquery']})",  # NULL for NaN and infinities
    }


def _icews_duckdb() -> dict[str, str]:
    code, day = ident("CAMEO Code", "duckdb"), ident("Event Date", "duckdb")
    root = f"TRY_CAST(left({code}, 2) AS INTEGER)"
    gold = f"TRY_CAST({ident('Intensity', 'duckdb')} AS DOUBLE)"
    return {
        "event_date": f"CASE WHEN regexp_full_match({day}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
                      f"THEN CAST(try_strptime({day}, '%Y-%m-%d') AS DATE) END",
        "side1": ident("Source Country", "duckdb"),
        "side2": ident("Target Country", "duckdb"),
        # Codes are text with leading zeros kept (042, not 42); anything else is malformed.
        "quad_class": f"CASE WHEN regexp_full_match({code}, '[0-9]{{2,4}}') "
                      f"THEN {quad_from_root(root)} END",
        "goldstein": _in_range(gold, -10, 10, EXACT["duckdb"]),
    }


GDELT = Layout(
    name="gdelt", label="GDELT 2.0", columns=GDELT_COLUMNS, header=False,
    fields={"duckdb": _gdelt_duckdb(), "bigquery": _gdelt_bigquery()},
    checks=(
        Check("event_date", "bad date (SQLDATE is not a YYYYMMDD day)"),
        Check("quad_class", "bad QuadClass (not 1 to 4)"),
        Check("goldstein", "bad GoldsteinScale (not a number from -10 to 10)"),
        Check("mentions", "bad NumMentions (not a whole number of 0 or more)"),
        Check("tone", "bad AvgTone (not a number)"),
    ),
)
ICEWS = Layout(
    name="icews", label="ICEWS", columns=ICEWS_COLUMNS, header=True,
    fields={"duckdb": _icews_duckdb()},
    checks=(
        Check("event_date", "bad date (Event Date is not a YYYY-MM-DD day)"),
        Check("quad_class", "bad CAMEO Code (not 2 to 4 digits with a root from 01 to 20)"),
        Check("goldstein", "bad Intensity (not a number from -10 to 10)"),
    ),
)
LAYOUTS = {"gdelt": GDELT, "icews": ICEWS}


@dataclass(frozen=True)
class Options:
    """What to aggregate: the dyad (plus third parties on Russia's side), period, date bounds."""

    freq: str = "W"
    with_: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def __post_init__(self):
        if self.freq not in FREQUENCIES:
            raise ValueError(f"--freq must be one of {', '.join(FREQUENCIES)}, got {self.freq!r}")
        for code in self.with_:
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"--with takes a three-letter country code such as SYR, "
                                 f"got {code!r}")
            if code in (TURKEY, RUSSIA):
                raise ValueError(f"--with {code}: {code} is already in the dyad; --with adds a "
                                 "third party to Russia's side")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"--start {self.start} is after --end {self.end}")

    @property
    def russian_side(self) -> tuple[str, ...]:
        return (RUSSIA, *sorted(set(self.with_)))


def side_values(layout: Layout, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The values the layout's country columns hold for these codes."""
    if layout.name == "gdelt":
        return codes
    unknown = [c for c in codes if c not in ICEWS_COUNTRY_NAMES]
    if unknown:
        raise ValueError(f"no ICEWS country name known for {', '.join(unknown)}; known: "
                         f"{', '.join(sorted(ICEWS_COUNTRY_NAMES))}")
    return tuple(ICEWS_COUNTRY_NAMES[c] for c in codes)


def dyad_condition(layout: Layout, options: Options) -> str:
    """Turkey on one side, the Russian side on the other, in either direction.

    Examples:
        >>> dyad_condition(GDELT, Options(with_=("SYR",)))
        "((side1 = 'TUR' AND side2 IN ('RUS', 'SYR')) OR (side1 IN ('RUS', 'SYR') AND side2 = 'TUR'))"
    """  # noqa: E501
    turkey = quote(side_values(layout, (TURKEY,))[0])
    other = ", ".join(quote(v) for v in side_values(layout, options.russian_side))
    return (f"((side1 = {turkey} AND side2 IN ({other})) OR "
            f"(side1 IN ({other}) AND side2 = {turkey}))")


def date_condition(options: Options) -> str:
    """Date bounds, inclusive; TRUE when there are none."""
    low = f"DATE '{options.start.isoformat()}'" if options.start else None
    high = f"DATE '{options.end.isoformat()}'" if options.end else None
    if low and high:
        return f"event_date BETWEEN {low} AND {high}"
    if low or high:
        return f"event_date {'>=' if low else '<='} {low or high}"
    return "TRUE"


def period_expr(freq: str, dialect: str) -> str:
    """First day of the event's period: ISO weeks start on Monday in both dialects."""
    if dialect == "bigquery":
        return f"DATE_TRUNC(event_date, {'ISOWEEK' if freq == 'W' else 'MONTH'})"
    return f"CAST(date_trunc('{'week' if freq == 'W' else 'month'}', event_date) AS DATE)"


def render_aggregate(agg: Aggregate, layout: Layout, dialect: str) -> str:
    """One aggregate in one dialect; NULL where the format lacks a field it needs.

    Examples:
        >>> a = AGGREGATES[1]
        >>> render_aggregate(a, GDELT, "duckdb"), render_aggregate(a, GDELT, "bigquery")
        ('count(*) FILTER (WHERE quad_class = 1)', 'COUNTIF(quad_class = 1)')
    """
    if any(n not in layout.fields["duckdb"] for n in agg.needs):
        return "CAST(NULL AS FLOAT64)" if dialect == "bigquery" else "CAST(NULL AS DOUBLE)"
    big = dialect == "bigquery"
    if agg.kind == "count":
        return "COUNT(*)" if big else "count(*)"
    if agg.kind == "count_where":
        return f"COUNTIF({agg.arg})" if big else f"count(*) FILTER (WHERE {agg.arg})"
    if agg.kind == "mean":
        return f"AVG({agg.arg})" if big else f"avg({agg.arg})"
    if agg.kind == "weighted_mean":
        if big:
            return f"SAFE_DIVIDE(SUM({agg.arg} * {agg.weight}), SUM({agg.weight}))"
        return f"sum({agg.arg} * {agg.weight}) / nullif(sum({agg.weight}), 0)"
    if agg.kind == "share_where":
        if big:
            return f"COUNTIF({agg.arg}) / COUNT(*)"
        return f"CAST(count(*) FILTER (WHERE {agg.arg}) AS DOUBLE) / count(*)"
    raise ValueError(f"unknown aggregate kind {agg.kind!r}")


def _select_fields(layout: Layout, dialect: str) -> list[str]:
    fields = layout.fields[dialect]
    return [f"{expr} AS {name}" for name, expr in fields.items()]


def _indent(lines: list[str], depth: int = 4) -> str:
    return ",\n".join(" " * depth + line for line in lines)


def _every_column(layout: Layout) -> str:
    """Always true, but it makes DuckDB read every column: the CSV scan checks UTF-8 only in
    the columns a query uses, and a line with invalid bytes anywhere is a damaged line."""
    columns = ", ".join(ident(c, "duckdb") for c in layout.columns)
    return f"coalesce({columns}, '') IS NOT NULL"


def valid_conditions(layout: Layout) -> list[str]:
    """Every check passed: the line parses and its values lie in range."""
    return [f"{c.field} IS NOT NULL" for c in layout.checks]


def problem_expr(layout: Layout) -> str:
    """The first failed check's reason, NULL for a good line; checks run in layout order."""
    arms = " ".join(f"WHEN {c.field} IS NULL THEN {quote(c.reason)}" for c in layout.checks)
    return f"CASE {arms} END"


def aggregate_sql(layout: Layout, options: Options, dialect: str, source: str,
                  bookkeeping: bool, every_column: bool = True) -> str:
    """The aggregate query over `source` (a table, or a read_csv call).

    With `bookkeeping` (local files) every line is kept and tagged with a `status`: the
    reason it was skipped, 'outside' (not in the dyad or the dates) or 'ok'; only 'ok' lines
    get a period. Without it (BigQuery) the same conditions filter the rows instead, so the
    'ok' groups of the first are exactly the rows of the second. `every_column` makes the
    scan read (and so check the UTF-8 of) all columns; it costs most of the scan's time, so
    the reader leaves it out for files whose bytes it has found to be valid UTF-8.
    """
    aggregates = [f"{render_aggregate(a, layout, dialect)} AS {a.name}" for a in AGGREGATES]
    period = period_expr(options.freq, dialect)
    keep = f"{dyad_condition(layout, options)} AND {date_condition(options)}"
    events = (f"WITH events AS (\n  SELECT\n{_indent(_select_fields(layout, dialect))}"
              + (",\n    filename AS source_file" if bookkeeping else "")
              + f"\n  FROM {source}"
              + (f"\n  WHERE {_every_column(layout)}" if bookkeeping and every_column
                 else "") + "\n)")
    if not bookkeeping:
        where = [*valid_conditions(layout), dyad_condition(layout, options),
                 date_condition(options)]
        return (f"{events}\nSELECT\n{_indent([f'{period} AS period_start', *aggregates], 2)}\n"
                "FROM events\nWHERE " + "\n  AND ".join(where) + "\n"
                "GROUP BY period_start\nORDER BY period_start\n")
    status = f"COALESCE({problem_expr(layout)}, CASE WHEN {keep} THEN 'ok' ELSE 'outside' END)"
    return (f"{events},\ntagged AS (\n  SELECT *, {status} AS status FROM events\n)\n"
            "SELECT\n"
            + _indent(["status",
                       "CASE WHEN status NOT IN ('ok', 'outside') THEN source_file END "
                       "AS source_file",
                       f"CASE WHEN status = 'ok' THEN {period} END AS period_start",
                       *aggregates], 2)
            + "\nFROM tagged\nGROUP BY ALL\n")


def bigquery_sql(options: Options) -> str:
    """The query for GDELT's public BigQuery table, with a header saying how it was made."""
    bounds = (f"{options.start or 'first day'} to {options.end or 'last day'}")
    sides = "+".join(options.russian_side)
    flags = [f"--freq {options.freq}", *(f"--with {c}" for c in sorted(set(options.with_)))]
    flags += [f"--start {options.start}"] if options.start else []
    flags += [f"--end {options.end}"] if options.end else []
    header = [
        f"-- Russia–Turkey event stream from GDELT 2.0 on BigQuery ({BIGQUERY_TABLE}).",
        f"-- Dyad: TUR with {sides}, both directions; dates {bounds}; one row per "
        f"{FREQUENCIES[options.freq]}.",
        "-- Same columns and rules as `rusturk stream --format gdelt` on the raw export files.",
        f"-- Generated by `rusturk stream --bigquery-sql {' '.join(flags)}`; do not edit by hand.",
        "-- Columns: " + ", ".join(OUTPUT_COLUMNS) + ".",
        "",
    ]
    return "\n".join(header) + aggregate_sql(GDELT, options, "bigquery",
                                             f"`{BIGQUERY_TABLE}`", bookkeeping=False)


# The committed BigQuery file covers the project's years, weekly, Russia and Turkey only.
DEFAULT_BIGQUERY_OPTIONS = Options(freq="W", start=date(2015, 1, 1), end=date(2020, 12, 31))
