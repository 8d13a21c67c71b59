"""`rusturk build`: run the notebooks, export HTML and PDFs, skip what is up to date."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rusturk.config import REPORTS_DIR
from rusturk.report.params import ParameterError

if TYPE_CHECKING:
    from rusturk.report.execute import Kernels
from rusturk.report.plan import (
    MANIFEST,
    BuildError,
    Edition,
    Job,
    Plan,
    display_dir,
    edition_time,
    git_commit,
    plan,
)
from rusturk.report.progress import Progress
from rusturk.report.variants import (
    VARIANTS_FILE,
    Variant,
    load_variants,
)

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
    out: Path = REPORTS_DIR
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
        _remove_stale_staging(out, progress)
        plans = plan(variants, options.overrides, out, options.force, options.pdf)
        if options.since:
            for p in plans:
                p.rebuild = True  # the "what changed" section depends on the baseline
        todo = [p for p in plans if p.rebuild]
        if not todo:
            progress.info(f"reports up to date in {display_dir(out)} "
                          f"({time.perf_counter() - started:.2f} s); --force rebuilds")
            return 0
        from rusturk.report import execute

        kernels = execute.Kernels(sum(j.rebuild for p in todo for j in p.jobs))
        staging = None
        try:
            _check_data({j.data_dir for p in todo for j in p.jobs if j.rebuild}, progress)
            staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
            from rusturk.report import assemble as report

            moment, moment_source = edition_time()
            edition = Edition(moment, moment_source, git_commit(), options.since)
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
                         options, progress, exported, kernels)
                for p in todo:
                    if not any(j.rebuild for j in p.jobs):
                        exporter.report(p)
            with interrupts_deferred():
                for p in todo:
                    _commit(p, staging / p.variant.name, out / p.variant.name)
        finally:
            kernels.close()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    progress.info(f"built {len(todo)} report(s) into {display_dir(out)} in "
                  f"{time.perf_counter() - started:.1f} s")
    return 0


def _remove_stale_staging(out: Path, progress: Progress) -> None:
    """A build killed outright (SIGKILL, a crash) leaves its staging folder behind; under the
    lock no other build is using one, so every one found now is stale."""
    for stale in sorted(out.glob(".staging-*")):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
            progress.info(f"removed {stale.name}, left by a build that was killed")


def _check_data(data_dirs: set[Path], progress: Progress) -> None:
    """Bad data stops the build before any kernel starts, with every problem listed."""
    from rusturk.common.problems import DataError
    from rusturk.data.dataset import load

    for data_dir in sorted(data_dirs):
        try:
            load(data_dir)
        except DataError as exc:
            lines = [str(problem) for problem in exc.problems]
            raise BuildError("\n".join([*lines, f"{len(lines)} problem(s) in {data_dir}; "
                                        "no report was changed"])) from None
        progress.info(f"data in {display_dir(data_dir)}: valid")


def _execute(jobs: list[Job], staging: Path, out: Path, options: Options,
             progress: Progress, exported: Callable[[Job], None],
             kernels: Kernels) -> None:
    """Run the notebooks in worker threads and hand each finished one to `exported` here, in
    the calling thread; the first failure stops the build."""
    from rusturk.report import execute

    def one(job: Job) -> Job:
        target = staging / job.variant.name / f"{job.notebook}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        begun = time.perf_counter()
        progress.info(f"[{job.label}] running")
        try:
            execute.execute(job.source, target, job.values, display_dir(job.source),
                            on_cell=lambda i, n, cid: progress.cell(job.label, i, n, cid),
                            km=kernels.take())
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
