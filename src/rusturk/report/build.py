"""`rusturk build`: run the notebooks, export HTML and PDFs, skip what is up to date."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rusturk.config import DEFAULT_CELL_TIMEOUT, reports_dir, variants_file
from rusturk.report.params import ParameterError

if TYPE_CHECKING:
    from rusturk.report.execute import Kernels
from rusturk.report.plan import (
    MANIFEST,
    OUTPUT_NAME,
    VERSION,
    BuildError,
    Edition,
    Job,
    Plan,
    _git,
    display_dir,
    edition_time,
    git_commit,
    plan,
    report_folder,
)
from rusturk.report.progress import Progress
from rusturk.report.variants import (
    Variant,
    as_built,
    load_variants,
)

LOCK = ".build.lock"
TMP_PROBE = 1 << 20  # a temporary folder that cannot take 1 MiB cannot take Chromium's profile

# -- safety ------------------------------------------------------------------------------------

@contextlib.contextmanager
def locked(out: Path, progress: Progress):
    """One build at a time per output folder; the second waits for the first. Yields whether
    the folder can be written: in a read-only one there is no lock to take, and none needed
    (no build can change it), so an up-to-date build still succeeds there."""
    out.mkdir(parents=True, exist_ok=True)
    try:
        # No O_TRUNC and no following a symlink: a lock file planted as a link to another
        # file must not truncate or touch it.
        fd = os.open(out / LOCK, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BuildError(f"{display_dir(out)}/{LOCK} is a symlink; remove it and build "
                             "again; no report was changed") from None
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        fd = None
    if fd is None:
        yield False
        return
    with os.fdopen(fd, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.info(f"waiting for another build in {display_dir(out)} to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def interrupts_deferred():
    """Hold Ctrl-C and SIGTERM while finished reports are swapped into place, then act."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda n, frame: received.append(n))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            raise KeyboardInterrupt


# -- the build ---------------------------------------------------------------------------------

@dataclass
class Options:
    only: list[str] = field(default_factory=list)
    overrides: dict[str, object] = field(default_factory=dict)
    jobs: int = 0
    force: bool = False
    out: Path = field(default_factory=reports_dir)
    variants_file: Path = field(default_factory=variants_file)
    since: str | None = None
    pdf: bool = True
    timeout: int = DEFAULT_CELL_TIMEOUT  # seconds a cell may run
    name: str | None = None  # the report's name, for a report built with its own window
    title: str | None = None  # its title, likewise


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
    if (options.name or options.title) and len(variants) != 1:
        raise ParameterError("--name and --title name one report: choose it with --only")
    try:
        variants = [as_built(v, options.overrides, options.name, options.title)
                    for v in variants]
    except ValueError as exc:
        raise ParameterError(str(exc)) from None
    out = options.out.resolve()
    with locked(out, progress) as writable:
        if writable:
            _remove_stale(out, progress)
        plans = plan(variants, options.overrides, out, options.force, options.pdf)
        for p in plans:
            if p.note:
                progress.info(p.note)
        if options.since:
            for p in plans:
                p.rebuild = True  # the "what changed" section depends on the baseline
        todo = [p for p in plans if p.rebuild]
        if not todo:
            progress.info(f"reports up to date in {display_dir(out)} "
                          f"({time.perf_counter() - started:.2f} s); --force rebuilds")
            return 0
        _preflight(options, out)
        from rusturk.config import VALIDATED_ENV
        from rusturk.data.checksums import data_version
        from rusturk.report import execute

        # The kernels may trust the data the build checks below, and only that content:
        # the check fails the build if the folder changed since these versions were taken.
        versions = {j.data_dir: data_version(j.data_files) for p in todo for j in p.jobs
                    if j.rebuild}
        execute.KERNEL_ENV[VALIDATED_ENV] = " ".join(sorted(set(versions.values())))
        runs = sum(j.rebuild for p in todo for j in p.jobs)
        kernels = execute.Kernels(min(runs, _workers(options)), wanted=runs)
        staging = None
        try:
            _check_data(versions, progress)
            if options.pdf:
                _check_words(todo)
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

                def meanwhile() -> None:
                    for p in todo:
                        exporter.briefing(p)

                _execute(longest_first([j for p in todo for j in p.jobs if j.rebuild]),
                         staging, out, options, progress, exported, kernels, meanwhile)
                for p in todo:
                    if not any(j.rebuild for j in p.jobs):
                        exporter.report(p)
            with interrupts_deferred():
                for p in todo:
                    _commit(p, staging / p.variant.name, out)
        finally:
            kernels.stop()
            kernels.close()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    progress.info(f"built {len(todo)} report(s) into {display_dir(out)} in "
                  f"{time.perf_counter() - started:.1f} s")
    return 0


def longest_first(jobs: list[Job]) -> list[Job]:
    """The notebooks in the order that ends soonest on a few CPUs: the longest first, so that
    the last to finish is a short one (counted in code cells, which follow a notebook's
    running time closely enough: 13, 9 and 8 cells take 11, 7 and 4 s)."""
    def cells(job: Job) -> int:
        try:
            book = json.loads(job.source.read_text(encoding="utf-8"))
            return sum(c.get("cell_type") == "code" for c in book.get("cells", []))
        except (OSError, ValueError, AttributeError):
            return 0  # the notebook's run will say what is wrong with it
    return sorted(jobs, key=cells, reverse=True)


def _remove_stale(out: Path, progress: Progress) -> None:
    """A build killed outright (SIGKILL, a crash) leaves its staging folder behind, and may
    leave a version no report links to; under the lock no other build is using them, so
    every one found now is stale."""
    for stale in sorted(out.glob(".staging-*")):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
            progress.info(f"removed {stale.name}, left by a build that was killed")
    for link in sorted(out.glob(".*.link-*")):
        if link.is_symlink():
            link.unlink(missing_ok=True)
    for version in sorted(out.glob(".*.*")):
        match = VERSION.fullmatch(version.name)
        if not match or version.is_symlink() or not version.is_dir():
            continue
        folder = out / match.group(1)
        if not (folder.is_symlink() and os.readlink(folder) == version.name):
            shutil.rmtree(version, ignore_errors=True)
            progress.info(f"removed {version.name}, left by a build that was killed")


def _preflight(options: Options, out: Path) -> None:
    """What a build needs besides data and parameters, checked before any kernel starts:
    the --since revision, a temporary folder that takes a file, a Chromium for the PDFs,
    and no folder of ours that is a link elsewhere."""
    failed = out / "failed"
    if failed.is_symlink():
        raise BuildError(f"{display_dir(failed)} is a symlink; remove it and build again; no "
                         "report was changed")
    since = options.since
    if since and (since.startswith("-") or not _git("rev-parse", "--verify", "--quiet",
                                                     f"{since}^{{commit}}")):
        raise BuildError(f"--since {since!r}: no such revision in this repository; name a "
                         "commit, tag or branch (`git log --oneline`); no report was changed")
    _check_tmpdir()
    if options.pdf:
        _check_chromium()


def _check_tmpdir() -> None:
    """Chromium, papermill and DuckDB write to the temporary folder: a full one is named as
    such here, not later as a renderer that will not start."""
    folder = tempfile.gettempdir()
    try:
        with tempfile.TemporaryFile(dir=folder) as handle:
            handle.write(b"\0" * TMP_PROBE)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise BuildError(f"the temporary folder {folder} cannot take a file "
                         f"({exc.strerror or exc}); free space there or set TMPDIR to another "
                         "folder; no report was changed") from None


def _check_chromium() -> None:
    from rusturk.report.pdf import BrowserMissing, find_chromium

    try:
        found = find_chromium()
    except BrowserMissing as exc:
        raise BuildError(f"{exc}; build with --no-pdf to skip the PDFs; no report was "
                         "changed") from None
    if found is None and not _playwright_chromium():
        raise BuildError("no Chromium to print the PDFs with: install Debian's `chromium` "
                         "(make chromium) or set RUSTURK_CHROMIUM, or build with --no-pdf; "
                         "no report was changed")


def _playwright_chromium() -> bool:
    """Whether playwright has a Chromium of its own (downloaded where downloads work)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            return Path(p.chromium.executable_path).is_file()
    except Exception:  # no driver, no browser: either way, nothing to print with
        return False


def _check_words(todo: list[Plan]) -> None:
    """Every {placeholder} of the analysts' words names a computed finding, for each
    briefing's window: checked now, not after every notebook has run."""
    from rusturk.analysis import judgements
    from rusturk.report import annex

    for p in todo:
        first = p.jobs[0]
        try:
            annex.words(p)
        except judgements.PlaceholderError as exc:
            raise BuildError(f"report {p.variant.name}: {exc} (in the analysts' words in "
                             f"{display_dir(first.data_dir)}); no report was changed") from None
        except Exception:  # anything else is the briefing's to report, as it always was
            continue


def _check_data(versions: dict[Path, str], progress: Progress) -> None:
    """Bad data stops the build before any kernel starts, with every problem listed; so does
    a folder that changed since the build planned it (its kernels trust that version)."""
    from rusturk.common.problems import DataError
    from rusturk.data.checksums import data_version
    from rusturk.data.dataset import load_once

    for data_dir, version in sorted(versions.items()):
        try:
            checked = load_once(data_dir)
        except DataError as exc:
            lines = [str(problem) for problem in exc.problems]
            raise BuildError(*lines, f"{len(lines)} problem(s) in {display_dir(data_dir)}; "
                             "no report was changed") from None
        if data_version(checked.file_hashes) != version:
            raise BuildError(f"the data in {display_dir(data_dir)} changed while the build "
                             "started; build again; no report was changed")
        progress.info(f"data in {display_dir(data_dir)}: valid")


def _execute(jobs: list[Job], staging: Path, out: Path, options: Options,
             progress: Progress, exported: Callable[[Job], None],
             kernels: Kernels, meanwhile: Callable[[], None] = lambda: None) -> None:
    """Run the notebooks in worker threads and hand each finished one to `exported` here, in
    the calling thread, which first does `meanwhile` (work that needs no notebook). The first
    failure, Ctrl-C or SIGTERM stops every kernel at once, so the build ends within seconds
    and says why."""
    from rusturk.report import execute

    def one(job: Job) -> Job:
        if kernels.stopping.is_set():
            raise execute.Stopped
        target = staging / job.variant.name / f"{job.notebook}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        begun = time.perf_counter()
        progress.info(f"[{job.label}] running")
        km = kernels.take()
        if kernels.stopping.is_set():
            execute.shutdown(km)
            raise execute.Stopped
        try:
            execute.execute(job.source, target, job.values, display_dir(job.source),
                            on_cell=lambda i, n, cid: progress.cell(job.label, i, n, cid),
                            km=km, timeout=options.timeout, release=kernels.give_back)
        except execute.NotebookFailure as failure:
            if kernels.stopping.is_set():
                raise execute.Stopped from None  # killed because another one failed
            kept = out / "failed" / job.variant.name / f"{job.notebook}.ipynb"
            if target.exists():
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target, kept)
                failure.kept_at = Path(display_dir(kept))
            raise
        except Exception:
            if kernels.stopping.is_set():
                raise execute.Stopped from None
            raise
        job.executed = target
        progress.done(job.label, f"executed in {time.perf_counter() - begun:.1f} s")
        return job

    pool = ThreadPoolExecutor(max_workers=_workers(options))
    futures = [pool.submit(one, job) for job in jobs]
    try:
        meanwhile()
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                exported(future.result())
    except BaseException as exc:
        kernels.stop()  # every running cell ends now; no kernel outlives the build
        for future in futures:
            future.cancel()
        _drain(futures, kernels)
        if isinstance(exc, execute.NotebookFailure):
            raise BuildError(f"build failed: {exc}. Previous reports are untouched.") \
                from None
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _workers(options: Options) -> int:
    """How many notebooks run at once: --jobs, else one per CPU."""
    return max(1, options.jobs or os.cpu_count() or 1)


def _drain(futures: list, kernels: Kernels) -> None:
    """Wait for the workers to notice their kernels are gone, killing any kernel that was
    starting as they were stopped."""
    while True:
        _, running = wait(futures, timeout=0.5)
        if not running:
            return
        kernels.stop()


# -- the commit --------------------------------------------------------------------------------

def _commit(p: Plan, staged: Path, out: Path) -> None:
    """Make the staged report the report, in one step: the staged folder, completed with the
    unchanged outputs of the current version, becomes a new version folder, and the report's
    symlink is switched to it by one rename. A reader sees the old report or the new one,
    never a mix; the old version is then removed, and only it: no name from a manifest is
    ever deleted."""
    name = p.variant.name
    folder = report_folder(out, name)  # checked again: nothing may have replaced it since
    manifest = json.loads((staged / MANIFEST).read_text(encoding="utf-8"))
    for output in manifest["outputs"]:
        if not OUTPUT_NAME.fullmatch(output):
            raise BuildError(f"report {name}: output name {output!r} is not a plain file name")
        if not (staged / output).exists():
            _carry(folder / output, staged / output)
    out.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    version = f".{name}.{token}"
    os.rename(staged, out / version)
    link = out / f".{name}.link-{token}"
    os.symlink(version, link)
    old = None
    if folder.is_symlink():
        old = out / os.readlink(folder)
    elif folder.is_dir():
        # The layout before versions: a plain folder, moved aside once, then replaced.
        old = out / f".{name}.{secrets.token_hex(8)}"
        os.rename(folder, old)
    os.replace(link, folder)
    if old is not None and VERSION.fullmatch(old.name) and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    for job in p.jobs:
        if job.rebuild:
            (out / "failed" / name / f"{job.notebook}.ipynb").unlink(missing_ok=True)


def _carry(source: Path, target: Path) -> None:
    """An unchanged output of the current version into the new one: a hard link where the
    system allows one (no bytes copied), else a copy."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)
