"""Check every data file against the schema and against each other; collect every problem."""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rusturk.common.problems import Problem, display_path
from rusturk.data import narrative
from rusturk.data.csvfile import RawTable, read_raw
from rusturk.data.schema import (
    TABLES,
    UCDP_END,
    UCDP_SOURCE_ID,
    UCDP_START,
    credibility_fits,
    quad_class_of,
    reliability_rule,
)
from rusturk.data.values import (
    best_date,
    cell_error,
    control_error,
    normalise_space,
    period,
    precision_of,
    split_list,
)

REQUIRED = "required value is missing"
# Codebook section 7: every event of the Idlib escalation window is dated to the day.
DAY_WINDOW = (dt.date(2019, 12, 1), dt.date(2020, 3, 31))
# Codebook section 2: a joint patrol's row carries this marker in its id (or, with CAMEO 062,
# the words in its title), and is always Turkey's act toward Russia, 062, military.
JOINT_PATROL_ID = "joint-patrol"
JOINT_PATROL_TITLE = re.compile(r"\bjoint\b(?:\s+[\w–-]+){0,3}?\s+patrols?\b", re.IGNORECASE)
JOINT_PATROL_CODING = {"actor_initiator": "TUR", "actor_target": "RUS", "cameo_code": "062",
                       "category": "military"}


@dataclass
class Validation:
    """The outcome of validating one data folder."""

    data_dir: Path
    raw: dict[str, RawTable]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _cell_problems(raw: RawTable) -> list[Problem]:
    """Types, required values, allowed values, ranges and uniqueness, field by field as the
    schema declares them."""
    problems = []
    for field in raw.table.fields:
        seen: set[str] = set()
        # A value's own checks depend on the value alone: each distinct value is checked
        # once (the GED extract repeats a few hundred values over its 7,000 rows).
        errors: dict[str, str | None] = {}
        for line, value in raw.frame[field.name].items():
            if value == "":
                if field.required:
                    problems.append(Problem(raw.display, int(line), field.name, REQUIRED))
                continue
            if value not in errors:
                errors[value] = control_error(value) or cell_error(field, value)
            error = errors[value]
            if error:
                problems.append(Problem(raw.display, int(line), field.name,
                                        f"{error}; got '{value[:80]}'"))
            elif field.unique:
                if value in seen:
                    problems.append(Problem(raw.display, int(line), field.name,
                                            f"duplicate value '{value}'; it must be unique"))
                seen.add(value)
    return problems


# A bundled source document is an article or a report, not a disk image.
MAX_RAW_BYTES = 10 * 1024 * 1024


def inside(data_dir: Path, name: str) -> tuple[Path, str]:
    """`name` resolved inside the data folder, and why it may not be read ("" when it may):
    nothing outside the folder (symlinks resolved), only regular files of bounded size, so
    that no data file can make validation read /etc/shadow, hang on a FIFO or fill memory.

    Examples:
        >>> inside(Path("data"), "../../etc/passwd")[1]
        "'../../etc/passwd' lies outside the data folder; bundle the file under it"
    """
    root = Path(data_dir).resolve()
    try:
        path = (root / name).resolve(strict=False)
    except (OSError, RuntimeError):
        return root / name, f"'{name}' cannot be resolved (a symlink loop?)"
    if not path.is_relative_to(root):
        return path, f"'{name}' lies outside the data folder; bundle the file under it"
    try:
        info = path.stat()
    except OSError:
        return path, f"'{name}' does not exist under the data folder"
    if not stat.S_ISREG(info.st_mode):
        return path, f"'{name}' is not a regular file"
    if info.st_size > MAX_RAW_BYTES:
        return path, (f"'{name}' is {info.st_size:,} bytes; a bundled source may be at most "
                      f"{MAX_RAW_BYTES:,}")
    return path, ""


class _Checker:
    """Cross-column and cross-table rules, run only on cells whose own checks passed."""

    def __init__(self, data_dir: Path, raw: dict[str, RawTable], cell_problems: list[Problem]):
        self.data_dir = data_dir
        self.raw = raw
        self.bad = {(p.file, p.row, p.column) for p in cell_problems}
        self.problems: list[Problem] = []
        self._rows: dict[str, list[tuple[int, dict[str, str]]]] = {}

    def ok(self, name: str, line: int, column: str, row: dict[str, str]) -> bool:
        """True when the cell is filled and passed its own checks."""
        return row[column] != "" and (self.raw[name].display, line, column) not in self.bad

    def report(self, name: str, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.raw[name].display, line, column, message))

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as (line, {column: text}); plain dicts, as pandas' iterrows builds a
        Series per row, which cost seconds on the GED extract."""
        if name not in self._rows:
            frame = self.raw[name].frame
            columns = [] if frame is None else list(frame.columns)
            self._rows[name] = [] if frame is None else [
                (int(line), dict(zip(columns, values, strict=True)))
                for line, *values in frame.itertuples(name=None)]
        return iter(self._rows[name])

    def values(self, name: str, column: str) -> set[str] | None:
        frame = self.raw[name].frame
        return None if frame is None else set(frame[column])

    # -- rules -------------------------------------------------------------------------------

    def references(self) -> None:
        for name, raw in self.raw.items():
            for field in raw.table.fields:
                if not field.references:
                    continue
                target_name, target_column = field.references.split(".")
                known = self.values(target_name, target_column)
                if known is None:
                    continue  # the target file is itself broken and already reported
                target_file = TABLES[target_name].filename
                for line, row in self.rows(name):
                    if not self.ok(name, line, field.name, row):
                        continue
                    for item in split_list(row[field.name]):
                        if item not in known:
                            self.report(name, line, field.name,
                                        f"unknown {target_column} '{item}'; "
                                        f"it is not in {target_file}")

    def study_period(self) -> tuple[dt.date, dt.date] | None:
        starts, ends = [], []
        for line, row in self.rows("phases"):
            if self.ok("phases", line, "start", row) and self.ok("phases", line, "end", row):
                starts.append(period(row["start"])[0])
                ends.append(period(row["end"])[1])
        return (min(starts), max(ends)) if starts else None

    def inside(self, name: str, line: int, column: str, value: str,
               span: tuple[dt.date, dt.date] | None) -> None:
        if span is None:
            return
        first, last = period(value)
        if last < span[0] or first > span[1]:
            self.report(name, line, column, f"'{value}' is outside the study period "
                        f"{span[0]} to {span[1]} (the span of phases.csv)")

    def events(self, span: tuple[dt.date, dt.date] | None) -> None:
        for line, row in self.rows("events"):
            has_date = self.ok("events", line, "date", row)
            if has_date and self.ok("events", line, "date_precision", row):
                written = precision_of(row["date"])
                if written != row["date_precision"]:
                    self.report("events", line, "date",
                                f"'{row['date']}' is written at {written} precision but "
                                f"date_precision says '{row['date_precision']}'")
            if has_date:
                self.inside("events", line, "date", row["date"], span)
            trio = ("exact_date", "exact_date_source_id", "exact_date_evidence")
            filled = [c for c in trio if row[c] != ""]
            if filled and len(filled) < len(trio):
                for column in sorted(set(trio) - set(filled)):
                    self.report("events", line, column,
                                f"required when {', '.join(filled)} is given")
            if has_date and self.ok("events", line, "exact_date", row):
                first, last = period(row["date"])
                if not first <= period(row["exact_date"])[0] <= last:
                    self.report("events", line, "exact_date",
                                f"'{row['exact_date']}' is not inside the period of date "
                                f"'{row['date']}'")
            if has_date and span is not None:
                exact = row["exact_date"] if self.ok("events", line, "exact_date", row) else ""
                day = best_date(row["date"], exact)
                if not span[0] <= day <= span[1]:
                    self.report("events", line, "exact_date" if exact else "date",
                                f"the event is placed on {day}, outside the study period "
                                f"{span[0]} to {span[1]}; give exact_date (with its source) "
                                "or a date at finer precision")
            place = ("latitude", "longitude", "coordinates_source_id")
            filled = [c for c in place if row[c] != ""]
            if filled and len(filled) < len(place):
                for column in sorted(set(place) - set(filled)):
                    self.report("events", line, column,
                                f"required when {', '.join(filled)} is given")

    def figures(self, span: tuple[dt.date, dt.date] | None) -> None:
        for line, row in self.rows("figures"):
            numbers = {c: int(row[c]) for c in ("value_low", "value_best", "value_high")
                       if self.ok("figures", line, c, row)}
            best = numbers.get("value_best")
            if row["value_best"] == "" and (row["value_low"] == "" or row["value_high"] == ""):
                self.report("figures", line, "value_best",
                            "required unless both value_low and value_high are given")
            if best is not None and numbers.get("value_low", best) > best:
                self.report("figures", line, "value_low",
                            f"{numbers['value_low']} is greater than value_best {best}")
            if best is not None and numbers.get("value_high", best) < best:
                self.report("figures", line, "value_high",
                            f"{numbers['value_high']} is less than value_best {best}")
            if self.ok("figures", line, "as_of", row):
                self.inside("figures", line, "as_of", row["as_of"], span)
            if row.get("counted_from") and self.ok("figures", line, "counted_from", row):
                self.inside("figures", line, "counted_from", row["counted_from"], span)
                if row["as_of"] and row["counted_from"] > row["as_of"]:
                    self.report("figures", line, "counted_from",
                                f"{row['counted_from']} is after as_of {row['as_of']}")

    def keys(self) -> None:
        """Composite keys (single-column ones are checked per field) must not repeat."""
        for name, raw in self.raw.items():
            if raw.frame is None or len(raw.table.key) < 2:
                continue
            first_seen: dict[tuple[str, ...], int] = {}
            for line, row in self.rows(name):
                key = tuple(row[c] for c in raw.table.key)
                if key in first_seen:
                    self.report(name, line, "-", f"same {', '.join(raw.table.key)} as line "
                                f"{first_seen[key]}; each combination must be unique")
                first_seen.setdefault(key, line)

    def phases(self) -> None:
        event_days = {}
        for line, row in self.rows("events"):
            if self.ok("events", line, "date", row):
                exact = row["exact_date"] if self.ok("events", line, "exact_date", row) else ""
                event_days[row["event_id"]] = best_date(row["date"], exact)
        previous: tuple[str, dt.date] | None = None
        for line, row in self.rows("phases"):
            if not (self.ok("phases", line, "start", row) and self.ok("phases", line, "end", row)):
                previous = None
                continue
            start, end = period(row["start"])[0], period(row["end"])[0]
            if start > end:
                self.report("phases", line, "end", f"{end} is before start {start}")
            if previous is not None:
                expected = previous[1] + dt.timedelta(days=1)
                if start != expected:
                    gap = "overlaps" if start < expected else "leaves a gap after"
                    self.report("phases", line, "start",
                                f"{start} {gap} phase '{previous[0]}', which ends "
                                f"{previous[1]}; expected {expected}")
            previous = (row["phase_id"], end)
            opening = event_days.get(row["opening_event_id"])
            if opening and not start <= opening <= end:
                self.report("phases", line, "opening_event_id",
                            f"event '{row['opening_event_id']}' (best date {opening}) is not "
                            f"inside the phase {start} to {end}")

    def source_dates(self) -> None:
        """A source is read after it is published."""
        for line, row in self.rows("sources"):
            if (self.ok("sources", line, "publication_date", row)
                    and self.ok("sources", line, "access_date", row)
                    and row["access_date"] < row["publication_date"]):
                self.report("sources", line, "access_date",
                            f"{row['access_date']} is before publication_date "
                            f"{row['publication_date']}; a source is read after it appears")

    def cameo(self) -> None:
        for line, row in self.rows("cameo"):
            if self.ok("cameo", line, "cameo_code", row) and self.ok("cameo", line,
                                                                     "quad_class", row):
                try:
                    implied = quad_class_of(row["cameo_code"])
                except ValueError as exc:
                    self.report("cameo", line, "cameo_code", str(exc))
                    continue
                if int(row["quad_class"]) != implied:
                    self.report("cameo", line, "quad_class",
                                f"code {row['cameo_code']} has root {row['cameo_code'][:2]}, "
                                f"so QuadClass {implied}; got {row['quad_class']}")

    def occurrences(self) -> None:
        """One row per occurrence: the same day, pair of actors and CAMEO root twice needs a
        reason."""
        first_seen: dict[tuple[dt.date, str, str], tuple[int, str]] = {}
        for line, row in self.rows("events"):
            columns = ("date", "actor_initiator", "actor_target", "cameo_code")
            if not all(self.ok("events", line, c, row) for c in columns):
                continue
            if row["actor_initiator"] == row["actor_target"]:
                self.report("events", line, "actor_target",
                            f"'{row['actor_target']}' is also the initiator; an event has two "
                            "different actors")
            if precision_of(row["date"]) != "day" and row["exact_date"] == "":
                continue  # a month or a year is no occurrence day
            exact = row["exact_date"] if self.ok("events", line, "exact_date", row) else ""
            # The pair in either direction: a talk hosted by one side is not a second act
            # because the other side is named first.
            pair = "|".join(sorted((row["actor_initiator"], row["actor_target"])))
            key = (best_date(row["date"], exact), pair, row["cameo_code"][:2])
            if key in first_seen and row["same_day_reason"] == "":
                other_line, other_id = first_seen[key]
                self.report("events", line, "same_day_reason",
                            f"same day, pair of actors (in either direction) and CAMEO root as "
                            f"'{other_id}' (line {other_line}); merge the rows into one "
                            "occurrence or say why they are separate")
            first_seen.setdefault(key, (line, row["event_id"]))

    def escalation_days(self) -> None:
        """Every event of the escalation window is dated to the day by its primary source."""
        for line, row in self.rows("events"):
            if not (self.ok("events", line, "date", row)
                    and self.ok("events", line, "date_precision", row)):
                continue
            exact = row["exact_date"] if self.ok("events", line, "exact_date", row) else ""
            day = best_date(row["date"], exact)
            if DAY_WINDOW[0] <= day <= DAY_WINDOW[1] and row["date_precision"] != "day":
                self.report("events", line, "date_precision",
                            f"'{row['date_precision']}' inside {DAY_WINDOW[0]} to "
                            f"{DAY_WINDOW[1]}, where every event is dated to the day (codebook "
                            "section 7); cite first a source that gives the day")

    def exact_day_words(self) -> None:
        """The words pinning a day hold that day's number (a "Monday" pins nothing)."""
        for line, row in self.rows("events"):
            if not (self.ok("events", line, "exact_date", row)
                    and self.ok("events", line, "exact_date_evidence", row)):
                continue
            day = period(row["exact_date"])[0].day
            if not re.search(rf"(?<!\d)0?{day}(?!\d)", row["exact_date_evidence"]):
                self.report("events", line, "exact_date_evidence",
                            f"does not give the day: no '{day}' in the words; quote the words "
                            f"that date the event to {row['exact_date']} (codebook section 7)")

    def joint_patrols(self) -> None:
        """A joint patrol is Turkey's act toward Russia, CAMEO 062, category military."""
        for line, row in self.rows("events"):
            marked = JOINT_PATROL_ID in row["event_id"] or (
                row["cameo_code"] == "062" and JOINT_PATROL_TITLE.search(row["title"]))
            if not marked:
                continue
            for column, wanted in JOINT_PATROL_CODING.items():
                if row[column] != wanted and self.ok("events", line, column, row):
                    self.report("events", line, column,
                                f"a joint patrol is coded {column} '{wanted}', got "
                                f"'{row[column]}' (codebook section 2)")

    def visits(self) -> None:
        """042 is not used: a meeting is the host's act (043, or 046 with talks, 057 with a
        signed text), so that the same meeting is never coded from both sides."""
        for line, row in self.rows("events"):
            if row["cameo_code"] == "042":
                self.report("events", line, "cameo_code",
                            "042 (make a visit) is not used: code the meeting from the host, "
                            "043 for a visit, 046 with talks, 057 with a signed text (codebook "
                            "section 1)")

    def grades(self) -> None:
        """Reliability follows the grade rule; credibility 2 and 3 follow the grade."""
        columns = ("copy_type", "affiliation", "kind", "standing")
        for line, row in self.rows("sources"):
            if not all(self.ok("sources", line, c, row) for c in columns):
                continue
            wanted = reliability_rule(*(row[c] for c in columns))
            if self.ok("sources", line, "reliability", row) and row["reliability"] != wanted:
                self.report("sources", line, "reliability",
                            f"'{row['reliability']}' breaks the grade rule: a {row['copy_type']} "
                            f"{row['kind']} source, {row['affiliation']}, {row['standing']}, is "
                            f"graded {wanted} (codebook section 9; `rusturk grades --fix DIR` "
                            "regrades)")
            elif (self.ok("sources", line, "credibility", row)
                  and not credibility_fits(row["credibility"], wanted)):
                self.report("sources", line, "credibility",
                            f"'{row['credibility']}' does not fit a source graded {wanted}: 2 "
                            "needs A to C, 3 needs D to F (codebook section 9)")

    def sourcing(self) -> None:
        """No event rests on mirrors or aggregators alone."""
        copies = {row["source_id"]: row["copy_type"] for _, row in self.rows("sources")}
        for line, row in self.rows("events"):
            if not self.ok("events", line, "source_ids", row):
                continue
            kinds = [copies.get(s) for s in split_list(row["source_ids"])]
            if None in kinds:
                continue  # an unknown id is reported by references()
            if not any(k in ("original", "syndicated") for k in kinds):
                self.report("events", line, "source_ids",
                            "every source is a mirror or an aggregator; add the original "
                            "publisher or a syndicated copy")

    def attributions(self) -> None:
        """Where claims name several perpetrators, the coded initiator is one of them."""
        claims: dict[str, set[str]] = {}
        for line, row in self.rows("attributions"):
            if self.ok("attributions", line, "claimed_initiator", row):
                claims.setdefault(row["event_id"], set()).add(row["claimed_initiator"])
        for line, row in self.rows("events"):
            named = claims.get(row["event_id"], set())
            if len(named) > 1 and row["actor_initiator"] not in named:
                self.report("events", line, "actor_initiator",
                            f"'{row['actor_initiator']}' is not among the perpetrators "
                            f"attributions.csv names ({', '.join(sorted(named))})")

    def superseded(self) -> None:
        """A superseded count names a source with a reading of the same event and measure."""
        readings: dict[tuple[str, str, str], set[int]] = {}
        for line, row in self.rows("figures"):
            readings.setdefault((row["event_id"], row["measure"], row["source_id"]),
                                set()).add(line)
        for line, row in self.rows("figures"):
            if not self.ok("figures", line, "superseded_by", row):
                continue
            # A live-updated report may replace its own first count: any other row will do.
            others = readings.get((row["event_id"], row["measure"], row["superseded_by"]),
                                  set()) - {line}
            if not others and row["superseded_by"] == row["source_id"]:
                self.report("figures", line, "superseded_by",
                            "a reading cannot be superseded by itself; name the source of the "
                            "reading that replaced it")
            elif not others:
                self.report("figures", line, "superseded_by",
                            f"source '{row['superseded_by']}' has no reading of "
                            f"{row['measure']} for event '{row['event_id']}'")

    def ucdp_ged(self) -> None:
        """GED rows: dates inside the release, deaths adding up to best, bounds in order
        unless the row's note says the release has them out of order."""
        first, last = period(UCDP_START)[0], period(UCDP_END)[0]
        name = "ucdp_ged"
        sources = self.values("sources", "source_id")
        if self.raw[name].frame is not None and sources is not None \
                and UCDP_SOURCE_ID not in sources:
            self.report(name, 1, "-", f"the extract's source '{UCDP_SOURCE_ID}' is not in "
                        "sources.csv; add its row (publisher, release, licence, citation)")
        for line, row in self.rows(name):
            start = period(row["date_start"])[0] if self.ok(name, line, "date_start",
                                                            row) else None
            if start is not None and not first <= start <= last:
                self.report(name, line, "date_start", f"{start} is outside the release's span "
                            f"{first} to {last}")
            if start is not None and self.ok(name, line, "date_end", row):
                end = period(row["date_end"])[0]
                if end < start:
                    self.report(name, line, "date_end", f"{end} is before date_start {start}")
                if self.ok(name, line, "year", row) and end.year != int(row["year"]):
                    self.report(name, line, "date_end", f"{end} is not in year {row['year']}")
            if start is not None and self.ok(name, line, "year", row) \
                    and start.year != int(row["year"]):
                self.report(name, line, "date_start", f"{start} is not in year {row['year']}")
            parts = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
            if all(self.ok(name, line, c, row) for c in (*parts, "best")):
                total = sum(int(row[c]) for c in parts)
                if total != int(row["best"]):
                    self.report(name, line, "best", f"{row['best']} is not the sum of "
                                f"deaths_a, deaths_b, deaths_civilians and deaths_unknown "
                                f"({total})")
            bounds = ("low", "best", "high")
            if all(self.ok(name, line, c, row) for c in bounds) and row["note"] == "":
                low, best, high = (int(row[c]) for c in bounds)
                if not low <= best <= high:
                    self.report(name, line, "low" if low > best else "high",
                                f"low {low}, best {best}, high {high} are not in order; if the "
                                "release gives them so, say it in note")

    def evidence(self) -> None:
        """Quotes from a source with a bundled raw file must appear in it verbatim."""
        texts: dict[str, str] = {}
        for line, row in self.rows("sources"):
            if row["raw_file"] == "":
                continue
            path, why = inside(self.data_dir, row["raw_file"])
            if why:
                self.report("sources", line, "raw_file", why)
                continue
            try:
                texts[row["source_id"]] = normalise_space(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                self.report("sources", line, "raw_file",
                            f"cannot read {display_path(path)}: {exc.__class__.__name__}")
        quotes = (("events", "source_ids", "evidence"),
                  ("events", "exact_date_source_id", "exact_date_evidence"),
                  ("figures", "source_id", "evidence"),
                  ("attributions", "source_id", "evidence"))
        for name, source_column, quote_column in quotes:
            for line, row in self.rows(name):
                sources = split_list(row[source_column])
                text = texts.get(sources[0]) if sources else None
                if text is None or row[quote_column] == "":
                    continue
                if normalise_space(row[quote_column]) not in text:
                    self.report(name, line, quote_column,
                                f"not found verbatim in the raw file of source "
                                f"'{sources[0]}'; copy the source's exact words")


def validate(data_dir: Path | str) -> Validation:
    """Validate every table in `data_dir` and return all problems found, sorted."""
    data_dir = Path(data_dir)
    raw = {name: read_raw(data_dir, table) for name, table in TABLES.items()}
    problems = [p for r in raw.values() for p in r.problems]
    cell_problems = [p for r in raw.values() if r.frame is not None for p in _cell_problems(r)]
    checker = _Checker(data_dir, raw, cell_problems)
    span = checker.study_period()
    checker.references()
    checker.keys()
    checker.events(span)
    checker.figures(span)
    checker.phases()
    checker.cameo()
    checker.source_dates()
    checker.occurrences()
    checker.sourcing()
    checker.escalation_days()
    checker.exact_day_words()
    checker.joint_patrols()
    checker.visits()
    checker.grades()
    checker.attributions()
    checker.superseded()
    checker.ucdp_ged()
    checker.evidence()
    events = checker.values("events", "event_id")
    sources = checker.values("sources", "source_id")
    _, words = narrative.read(data_dir, events, sources)
    return Validation(data_dir, raw,
                      sorted(set(problems + cell_problems + checker.problems + words)))
