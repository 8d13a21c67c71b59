"""`rusturk build`: run the notebooks, export HTML and PDFs, skip what is up to date."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rusturk import __version__
from rusturk.fingerprint import data_checksums, package_fingerprint, sha256_file, sha256_json
from rusturk.params import ParameterError
from rusturk.paths import REPO_ROOT, default_data_dir
from rusturk.variants import (
    VARIANTS_FILE,
    Variant,
    declared_parameters,
    load_variants,
    notebook_values,
)

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


class BuildError(Exception):
    """A build that cannot go on; the message is the whole story for the user."""


# -- inputs ------------------------------------------------------------------------------------

def display_dir(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True,
                                text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


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
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC), "SOURCE_DATE_EPOCH"
        except ValueError:
            raise BuildError(f"SOURCE_DATE_EPOCH={epoch!r}: expected whole seconds since "
                             "1970") from None
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
    rebuild: bool = True
    outputs: dict[str, str] = field(default_factory=dict)


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}  # a damaged manifest only costs a rebuild
    return manifest if manifest.get("format") == MANIFEST_FORMAT else {}


def _outputs_intact(folder: Path, recorded: dict[str, str], names: list[str]) -> bool:
    for name in names:
        path = folder / name
        if name not in recorded or not path.exists() or sha256_file(path) != recorded[name]:
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
        folder = out / variant.name
        previous = read_manifest(folder)
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
                "report": [variant.title, variant.subtitle]})
            before = previous.get("notebooks", {}).get(notebook, {})
            job.rebuild = (force or before.get("fingerprint") != job.fingerprint
                           or not _outputs_intact(folder, recorded,
                                                  notebook_outputs(notebook, pdf)))
            jobs.append(job)
        p = Plan(variant, jobs, previous)
        p.fingerprint = sha256_json([j.fingerprint for j in jobs])
        p.rebuild = (any(j.rebuild for j in jobs)
                     or previous.get("briefing", {}).get("fingerprint") != p.fingerprint
                     or (pdf and not _outputs_intact(folder, recorded, ["briefing.pdf"])))
        plans.append(p)
    return plans


# -- progress ----------------------------------------------------------------------------------

class Progress:
    """Per notebook and cell: one live line on a terminal, plain lines in logs and CI."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.state: dict[str, str] = {}
        self.lock = threading.Lock()

    def _emit(self, line: str) -> None:
        with self.lock:
            if self.tty:
                self.stream.write("\r\x1b[K" + line + "\n")
                self._status()
            else:
                self.stream.write(line + "\n")
            self.stream.flush()

    def _status(self) -> None:
        if self.state:
            self.stream.write("\r\x1b[K" + " · ".join(f"{k} {v}" for k, v in
                                                     sorted(self.state.items()))[:200])

    def info(self, message: str) -> None:
        self._emit(message)

    def cell(self, label: str, index: int, total: int, cell_id: str) -> None:
        text = f"cell {index + 1}/{total}"
        with self.lock:
            self.state[label] = text
            if self.tty:
                self._status()
                self.stream.flush()
                return
        self._emit(f"[{label}] {text} ({cell_id})")

    def done(self, label: str, message: str) -> None:
        with self.lock:
            self.state.pop(label, None)
        self._emit(f"[{label}] {message}")


# -- safety ------------------------------------------------------------------------------------

@contextlib.contextmanager
def locked(out: Path, progress: Progress):
    """One build at a time per output folder; the second waits for the first."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / ".build.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.info(f"waiting for another build in {out} to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def interrupts_deferred():
    """Hold Ctrl-C while finished files are moved into place, then act on it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


# -- the build ---------------------------------------------------------------------------------

@dataclass
class Options:
    only: list[str] = field(default_factory=list)
    overrides: dict[str, object] = field(default_factory=dict)
    jobs: int = 0
    force: bool = False
    out: Path = REPO_ROOT / "reports"
    variants_file: Path = VARIANTS_FILE
    since: str | None = None
    pdf: bool = True


def select(variants: list[Variant], only: list[str]) -> list[Variant]:
    if not only:
        return variants
    names = {v.name for v in variants}
    unknown = [name for name in only if name not in names]
    if unknown:
        raise ParameterError(f"--only {', '.join(unknown)}: no such report; reports: "
                             f"{', '.join(sorted(names))}")
    return [v for v in variants if v.name in only]


def run(options: Options, progress: Progress | None = None) -> int:
    """Build every selected report; return the exit status."""
    progress = progress or Progress()
    started = time.perf_counter()
    variants = select(load_variants(options.variants_file), options.only)
    out = options.out.resolve()
    with locked(out, progress):
        plans = plan(variants, options.overrides, out, options.force, options.pdf)
        if options.since:
            for p in plans:
                p.rebuild = True  # the "what changed" section depends on the baseline
        todo = [p for p in plans if p.rebuild]
        if not todo:
            progress.info(f"reports up to date in {display_dir(out)} "
                          f"({time.perf_counter() - started:.2f} s); --force rebuilds")
            return 0
        _check_data({j.data_dir for p in todo for j in p.jobs if j.rebuild}, progress)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
        try:
            from rusturk import report

            moment, moment_source = edition_time()
            edition = report.Edition(moment, moment_source, git_commit(), options.since)
            with report.Exporter(todo, staging, out, edition, options.pdf,
                                 progress) as exporter:
                waiting = {p.variant.name: sum(j.rebuild for j in p.jobs) for p in todo}

                def exported(job: Job) -> None:
                    # A report's briefing is made as soon as its last notebook is exported,
                    # while other reports' notebooks still run.
                    exporter.notebook(job)
                    waiting[job.variant.name] -= 1
                    if not waiting[job.variant.name]:
                        exporter.report(next(p for p in todo if p.variant is job.variant))

                _execute([j for p in todo for j in p.jobs if j.rebuild], staging, out,
                         options, progress, exported)
                for p in todo:
                    if not any(j.rebuild for j in p.jobs):
                        exporter.report(p)
            with interrupts_deferred():
                for p in todo:
                    _commit(p, staging / p.variant.name, out / p.variant.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    progress.info(f"built {len(todo)} report(s) into {display_dir(out)} in "
                  f"{time.perf_counter() - started:.1f} s")
    return 0


def _check_data(data_dirs: set[Path], progress: Progress) -> None:
    """Bad data stops the build before any kernel starts, with every problem listed."""
    from rusturk.data import load
    from rusturk.problems import DataError

    for data_dir in sorted(data_dirs):
        try:
            load(data_dir)
        except DataError as exc:
            lines = [str(problem) for problem in exc.problems]
            raise BuildError("\n".join([*lines, f"{len(lines)} problem(s) in {data_dir}; "
                                        "no report was changed"])) from None
        progress.info(f"data in {display_dir(data_dir)}: valid")


def _execute(jobs: list[Job], staging: Path, out: Path, options: Options,
             progress: Progress, exported: Callable[[Job], None]) -> None:
    """Run the notebooks in worker threads and hand each finished one to `exported` here, in
    the calling thread; the first failure stops the build."""
    from rusturk import execute

    def one(job: Job) -> Job:
        target = staging / job.variant.name / f"{job.notebook}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        begun = time.perf_counter()
        progress.info(f"[{job.label}] running")
        try:
            execute.execute(job.source, target, job.values, display_dir(job.source),
                            on_cell=lambda i, n, cid: progress.cell(job.label, i, n, cid))
        except execute.NotebookFailure as failure:
            kept = out / "failed" / job.variant.name / f"{job.notebook}.ipynb"
            if target.exists():
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target, kept)
                failure.kept_at = Path(display_dir(kept))
            raise
        job.executed = target
        progress.done(job.label, f"executed in {time.perf_counter() - begun:.1f} s")
        return job

    workers = max(1, options.jobs or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, job) for job in jobs]
        try:
            for future in as_completed(futures):
                exported(future.result())
        except BaseException as exc:
            for pending in futures:
                pending.cancel()
            wait(futures)  # let running kernels stop before the staging folder goes
            if isinstance(exc, execute.NotebookFailure):
                raise BuildError(f"build failed: {exc}. Previous reports are untouched.") \
                    from None
            raise


def _commit(p: Plan, staged: Path, folder: Path) -> None:
    """Move a finished report into place, the manifest last; drop outputs no longer built."""
    folder.mkdir(parents=True, exist_ok=True)
    new = set()
    for path in sorted(staged.iterdir()):
        if path.name == MANIFEST:
            continue
        os.replace(path, folder / path.name)
        new.add(path.name)
    old = set(p.previous.get("outputs", {}))
    manifest = json.loads((staged / MANIFEST).read_text(encoding="utf-8"))
    for stale in old - set(manifest["outputs"]):
        (folder / stale).unlink(missing_ok=True)
    os.replace(staged / MANIFEST, folder / MANIFEST)
    for job in p.jobs:
        if job.rebuild:
            (folder.parent / "failed" / p.variant.name / f"{job.notebook}.ipynb").unlink(
                missing_ok=True)
