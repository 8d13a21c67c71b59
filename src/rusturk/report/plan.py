"""What a build will make: each report's jobs, their inputs' fingerprints, the edition."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr

from rusturk import __version__
from rusturk.common import gitinfo
from rusturk.common.hashing import sha256_file, sha256_json
from rusturk.common.problems import Lines, printable
from rusturk.common.text import day, span
from rusturk.config import ProjectNotFound, default_data_dir, project_root, source_date_epoch
from rusturk.data.checksums import data_checksums, data_version
from rusturk.report.fingerprint import package_fingerprint, renderer_versions
from rusturk.report.variants import Variant, declared_parameters, notebook_values

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
# The two PDFs a report makes beside its notebooks': the briefing and its annex.
REPORT_PDFS = ("briefing.pdf", "annex.pdf")
MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z
MAX_MANIFEST = 64 << 20  # a manifest holds a data snapshot: a few MiB at most


class BuildError(Lines):
    """A build that cannot go on; the message is the whole story for the user."""


# -- inputs ------------------------------------------------------------------------------------

def _root() -> Path:
    try:
        return project_root()
    except ProjectNotFound:
        return Path.cwd()


def display_dir(path: Path) -> str:
    try:
        return path.resolve().relative_to(_root()).as_posix()
    except ValueError:
        return str(path)


def _git(*args: str) -> str | None:
    return gitinfo.output(_root(), *args)


def git_commit() -> str:
    """The commit the inputs come from, marked `-dirty` if they have uncommitted edits."""
    commit = _git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return "none"
    dirty = _git("status", "--porcelain", "--", "data", "notebooks", "src", "reports.yaml")
    return commit + ("-dirty" if dirty else "")


def edition_time() -> tuple[datetime, str]:
    """When this edition is dated, and why: $SOURCE_DATE_EPOCH, else the commit, else now.

    Dating a clean checkout by its commit keeps rebuilds byte-identical by default.
    """
    epoch = source_date_epoch()
    if epoch:
        # ASCII digits only (int() would take `1_000` and other scripts' digits), and a
        # moment a calendar can hold: a 20-digit number overflows every clock.
        if not re.fullmatch(r"[0-9]{1,12}", epoch, re.ASCII) or int(epoch) > MAX_EPOCH:
            raise BuildError(f"SOURCE_DATE_EPOCH={epoch[:40]!r}: expected whole seconds since "
                             f"1970, from 0 to {MAX_EPOCH} (the end of 9999)")
        return datetime.fromtimestamp(int(epoch), UTC), "SOURCE_DATE_EPOCH"
    commit = git_commit()
    if commit != "none" and not commit.endswith("-dirty"):
        stamp = _git("log", "-1", "--format=%ct")
        if stamp:
            return datetime.fromtimestamp(int(stamp), UTC), "git commit"
    return datetime.now(UTC).replace(microsecond=0), "build clock"


@dataclass
class Job:
    """One notebook of one report."""

    variant: Variant
    notebook: str
    source: Path
    values: dict[str, object]  # what is injected
    params: dict[str, object]  # every parameter, defaults filled in
    data_dir: Path
    data_files: dict[str, str]
    fingerprint: str = ""
    rebuild: bool = True
    executed: Path | None = None

    @property
    def label(self) -> str:
        return f"{self.variant.name}/{self.notebook}"


@dataclass
class Plan:
    variant: Variant
    jobs: list[Job]
    previous: dict
    fingerprint: str = ""
    note: str = ""  # why the previous manifest was set aside
    rebuild: bool = True
    outputs: dict[str, str] = field(default_factory=dict)


# An output is a plain file name in the report's own folder: never a path, never hidden.
OUTPUT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*", re.ASCII)
# A report's folder is `out/NAME`, a symlink to the version `out/.NAME.<16 hex digits>` that
# the last build made; a new version replaces the symlink in one rename.
VERSION = re.compile(r"\.([a-z0-9][a-z0-9_-]*)\.([0-9a-f]{16})", re.ASCII)


def _output_name(name: str) -> str:
    if not OUTPUT_NAME.fullmatch(name) or name in (".", ".."):
        raise ValueError(f"{name!r} is not a plain file name")
    return name


class _Fingerprinted(BaseModel):
    model_config = ConfigDict(extra="allow")

    fingerprint: StrictStr


class _Snapshot(BaseModel):
    model_config = ConfigDict(extra="allow")

    format: StrictInt
    label: StrictStr = ""
    tables: dict[StrictStr, dict[StrictStr, dict[StrictStr, StrictStr]]]


class _Manifest(BaseModel):
    """What a build reads back from a manifest; the rest is for people and is not read."""

    model_config = ConfigDict(extra="allow")

    format: Literal[1]
    outputs: dict[Annotated[StrictStr, AfterValidator(_output_name)],
                  Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]]
    notebooks: dict[StrictStr, _Fingerprinted]
    briefing: _Fingerprinted
    data_snapshot: _Snapshot | None = None


def report_folder(out: Path, name: str) -> Path:
    """`out/NAME`, checked: absent, a folder of an earlier layout, or the symlink to a version
    this build made. Anything else (a symlink elsewhere, a file) is refused: the build would
    write through it."""
    folder = out / name
    if folder.is_symlink():
        target = os.readlink(folder)
        match = VERSION.fullmatch(target)
        if not (match and match.group(1) == name and (out / target).is_dir()
                and not (out / target).is_symlink()):
            raise BuildError(f"{display_dir(out)}/{name} is a symlink to {target}; a report "
                             f"folder is one this build made (a link to .{name}.<version> "
                             "beside it). Remove the link and build again; no report was "
                             "changed")
    elif folder.exists() and not folder.is_dir():
        raise BuildError(f"{display_dir(out)}/{name} is not a folder; move it away and build "
                         "again; no report was changed")
    return folder


def read_manifest(folder: Path) -> tuple[dict, str]:
    """The manifest of a built report, and why it was set aside ("" if it was not).

    A manifest that is missing costs a rebuild; one that is damaged or of another shape is
    ignored, with a line saying so, and the report rebuilt: its names are never trusted.
    """
    import pydantic

    path = folder / MANIFEST
    if not path.is_file():
        return {}, ""
    where = f"{display_dir(folder)}/{MANIFEST}"
    try:
        manifest = json.loads(path.read_bytes()[:MAX_MANIFEST + 1].decode("utf-8"))
        _Manifest.model_validate(manifest)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        if isinstance(exc, pydantic.ValidationError):
            error = exc.errors()[0]
            why = f"{'.'.join(map(str, error['loc'])) or 'top level'}: {error['msg']}"
        else:
            why = "not JSON" if isinstance(exc, ValueError) else exc.__class__.__name__
        return {}, (f"{where} is not a manifest this build can read ({printable(why)}); "
                    "ignored, the report is rebuilt")
    return manifest, ""


def _outputs_intact(folder: Path, recorded: dict[str, str], names: list[str]) -> bool:
    for name in names:
        path = folder / name
        if (name not in recorded or path.is_symlink() or not path.is_file()
                or sha256_file(path) != recorded[name]):
            return False
    return True


def notebook_outputs(notebook: str, pdf: bool = True) -> list[str]:
    return [f"{notebook}.ipynb", f"{notebook}.html"] + ([f"{notebook}.pdf"] if pdf else [])


def plan(variants: list[Variant], overrides: dict[str, object], out: Path, force: bool,
         pdf: bool = True) -> list[Plan]:
    """What each report needs: parameters checked, inputs hashed, up-to-date parts marked."""
    package = package_fingerprint()
    plans = []
    for variant in variants:
        declared = declared_parameters(variant)
        values = notebook_values(variant, overrides, declared)
        folder = report_folder(out, variant.name)
        previous, note = read_manifest(folder)
        recorded = previous.get("outputs", {})
        jobs = []
        for notebook in variant.notebooks:
            source = variant.notebook_path(notebook)
            defaults = {k: p.default for k, p in declared[notebook].items()}
            params = defaults | values[notebook]
            data_dir = Path(str(params.get("data_dir") or default_data_dir())).resolve()
            files = data_checksums(data_dir)
            if not files:
                raise BuildError(f"report {variant.name}: {data_dir} holds no data files")
            job = Job(variant, notebook, source, values[notebook], params, data_dir, files)
            job.fingerprint = sha256_json({
                "notebook": sha256_file(source), "data": files, "parameters": params,
                "package": package, "version": __version__,
                "renderers": renderer_versions(pdf),
                "report": [variant.title, variant.subtitle]})
            before = previous.get("notebooks", {}).get(notebook, {})
            job.rebuild = (force or before.get("fingerprint") != job.fingerprint
                           or not _outputs_intact(folder, recorded,
                                                  notebook_outputs(notebook, pdf)))
            jobs.append(job)
        p = Plan(variant, jobs, previous, note=note)
        p.fingerprint = sha256_json([j.fingerprint for j in jobs])
        p.rebuild = (any(j.rebuild for j in jobs)
                     or previous.get("briefing", {}).get("fingerprint") != p.fingerprint
                     or (pdf and not _outputs_intact(folder, recorded, list(REPORT_PDFS))))
        plans.append(p)
    return plans


@dataclass
class Edition:
    """What dates and identifies this edition."""

    moment: datetime
    source: str
    commit: str
    since: str | None = None

    @property
    def date(self) -> str:
        return day(self.moment)

    @property
    def iso(self) -> str:
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def period_label(params: dict) -> str:
    return span(str(params["start_date"]), str(params["end_date"]))


def notebook_title(book: dict) -> str:
    for cell in book.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return match.group(1).strip()
    return "Report"


def provenance(job: Job, edition: Edition, *, report: bool = False) -> dict:
    """What a reader needs to reproduce a report; stored in the notebook and shown in it.

    With `report`, what the whole report shares (its manifest's record): the package, commit,
    edition and data, without the one notebook and its parameters.
    """
    record = {
        "package": f"rusturk {__version__}",
        "git_commit": edition.commit,
        "edition": edition.iso,
        "edition_dated_by": edition.source,
        "report": job.variant.name,
        "data_dir": display_dir(job.data_dir),
        "data_version": data_version(job.data_files),
        "data_files_sha256": job.data_files,
    }
    if not report:
        record |= {"notebook": display_dir(job.source), "parameters": job.params}
    return record
