"""Load the validated dataset into typed DataFrames, with QuadClass and Goldstein joined in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rusturk.common.problems import DataError
from rusturk.config import default_data_dir, validated_versions
from rusturk.data.checksums import data_checksums, data_version
from rusturk.data.csvfile import RawTable, read_raw
from rusturk.data.schema import QUAD_CLASSES, TABLES, Table
from rusturk.data.validate import validate
from rusturk.data.values import best_date, period, split_list


@dataclass
class Dataset:
    """Every table of one data folder, typed, plus the files' checksums."""

    data_dir: Path
    events: pd.DataFrame
    sources: pd.DataFrame
    figures: pd.DataFrame
    attributions: pd.DataFrame
    phases: pd.DataFrame
    cameo: pd.DataFrame
    # UCDP GED events of north-west Syria; empty where the data folder has no extract.
    ucdp_ged: pd.DataFrame = field(default_factory=pd.DataFrame)
    file_hashes: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """Short data version: a SHA-256 over every data file's name and checksum."""
        return data_version(self.file_hashes)

    @property
    def study_period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return self.phases["start"].min(), self.phases["end"].max()


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Convert raw string cells to the types the schema declares; empty cells become NA."""
    out = {}
    for f in table.fields:
        column = frame[f.name].replace("", None)
        if f.kind == "date":
            out[f.name] = pd.to_datetime(column, format="%Y-%m-%d")
        elif f.kind == "partial_date":
            out[f.name] = pd.to_datetime(column.map(lambda v: period(v)[0]))
        elif f.kind == "category":
            out[f.name] = pd.Categorical(column, categories=list(f.allowed))
        elif f.kind == "integer":
            out[f.name] = column.astype("Int64")
        elif f.kind == "number":
            out[f.name] = column.astype("Float64")
        elif f.kind == "list":
            out[f.name] = frame[f.name].map(split_list)
        else:
            out[f.name] = column.astype("string")
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def _phase_of(days: pd.Series, phases: pd.DataFrame) -> pd.Categorical:
    """Which phase each day falls in; NA outside the study period."""
    bins = pd.IntervalIndex.from_arrays(phases["start"], phases["end"], closed="both")
    codes = bins.get_indexer(days)
    ids = [phases["phase_id"].iloc[c] if c >= 0 else None for c in codes]
    return pd.Categorical(ids, categories=list(phases["phase_id"]))


def _validated(data_dir: Path, checksums: dict[str, str]) -> dict[str, RawTable]:
    """The folder's tables as read, once they are known to be valid: validated here, unless
    a build has validated this very content (the same checksums) before starting the notebook
    that asks, which then only reads it (a second of each notebook's first cell)."""
    if data_version(checksums) in validated_versions():
        raw = {name: read_raw(data_dir, table) for name, table in TABLES.items()}
        if not any(r.problems for r in raw.values()):
            return raw
    result = validate(data_dir)
    if not result.ok:
        raise DataError(result.problems)
    return result.raw


def load(data_dir: Path | str | None = None,
         checksums: dict[str, str] | None = None) -> Dataset:
    """Validate and load the dataset; raise DataError listing every problem if it is invalid.
    `checksums`, where the caller has just taken them, spares hashing the files again."""
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    checksums = checksums if checksums is not None else data_checksums(data_dir)
    raw = _validated(data_dir, checksums)
    # An optional table that is absent loads as an empty table with its typed columns.
    tables = {name: _typed(r.frame if r.frame is not None
                           else pd.DataFrame({c: pd.Series(dtype=object) for c in
                                              r.table.columns}), r.table)
              for name, r in raw.items()}

    cameo = tables["cameo"]
    cameo["quad_class_label"] = pd.Categorical(
        cameo["quad_class"].map(QUAD_CLASSES), categories=list(QUAD_CLASSES.values()))

    phases = tables["phases"]
    phases["duration_days"] = (phases["end"] - phases["start"]).dt.days + 1
    # Each phase's study-wide number: the same in every window (the thaw is II even in a
    # report that starts with it).
    phases = phases.sort_values("start", kind="stable").reset_index(drop=True)
    phases["number"] = range(1, len(phases) + 1)

    raw_events = raw["events"].frame
    events = tables["events"]
    events["date_end"] = pd.to_datetime(raw_events["date"].map(lambda v: period(v)[1]).values)
    events["date_best"] = pd.to_datetime(
        [best_date(d, e) for d, e in zip(raw_events["date"], raw_events["exact_date"],
                                         strict=True)])
    events["primary_source_id"] = events["source_ids"].str[0].astype("string")
    lookup = cameo.set_index("cameo_code")[["description", "quad_class", "quad_class_label",
                                            "goldstein"]]
    events = events.join(lookup.rename(columns={"description": "cameo_description"}),
                         on="cameo_code")
    events["phase_id"] = _phase_of(events["date_best"], phases)
    attributions = tables["attributions"]
    claims = attributions.groupby("event_id")["claimed_initiator"].nunique()
    events["attribution_disputed"] = events["event_id"].map(claims).fillna(0).gt(1)
    events = events.sort_values(["date_best", "event_id"], kind="stable").reset_index(drop=True)

    figures = tables["figures"]
    figures["date_ref"] = figures["as_of"].fillna(
        figures["event_id"].map(events.set_index("event_id")["date_best"]))

    return Dataset(
        data_dir=data_dir,
        events=events,
        sources=tables["sources"],
        figures=figures,
        attributions=attributions,
        phases=phases,
        cameo=cameo,
        ucdp_ged=tables["ucdp_ged"],
        file_hashes=checksums,
    )


_LOADED: dict[tuple[str, tuple[tuple[str, str], ...]], Dataset] = {}
_LOADED_MAX = 4  # folders remembered at once; a build reads one or two


def load_once(data_dir: Path | str | None = None) -> Dataset:
    """`load`, remembered per folder and per content for the life of the process: a build
    reads the same folder for its data check, its briefing and its annex, and each read
    validates every row. A file changed since is read again. Callers must not modify the
    returned frames."""
    path = Path(data_dir) if data_dir else default_data_dir()
    checksums = data_checksums(path)
    key = (str(path.resolve()), tuple(sorted(checksums.items())))
    if key not in _LOADED:
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = load(path, checksums)
    return _LOADED[key]
