"""Run one notebook with papermill, report progress per cell, and normalise the result."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from rusturk.common.atomic import write_text

ENGINE = "rusturk"
CellCallback = Callable[[int, int, str], None]


class _ProgressEngine(NBClientEngine):
    """papermill's nbclient engine, telling a callback as each cell starts."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, on_cell=None, **kwargs):
        if on_cell is not None:
            cells = nb_man.nb.cells
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kw):
                on_cell(cell_index or 0, len(cells), cell.get("id", ""))
                return start(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


papermill_engines.register(ENGINE, _ProgressEngine)

# A cell stopped by the timeout makes nbclient log "Timeout waiting for execute reply" and
# leaves a pending asyncio task that is logged when collected; the build says what happened
# in its own line, so neither reaches the terminal (Python's last-resort handler would print
# them raw, after that line).
for _name in ("papermill", "asyncio"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class _QuietKernelManager(AsyncKernelManager):
    """A kernel whose own log (the "running over TCP without encryption" warning, the
    "KeyboardInterrupt caught in kernel" at shutdown) stays out of the build's log. What a
    notebook prints or raises still arrives as cell output, and a dying kernel still fails
    the build with nbclient's message."""

    async def start_kernel(self, **kw):
        kw.setdefault("stderr", subprocess.DEVNULL)
        kw.setdefault("env", os.environ | KERNEL_ENV)
        return await super()._async_start_kernel(**kw)


# Variables every kernel of this build gets besides the build's own environment: which data
# versions the build validates before any notebook runs (config.validated_versions), so that
# each notebook reads that content instead of validating it again. Set by the build only.
KERNEL_ENV: dict[str, str] = {}


# What every notebook imports first; a kernel started ahead imports it while the build is
# still checking the data, so the notebook's first cell finds it loaded.
WARM_UP = "import rusturk.notebook"

# Run in a kernel between two notebooks of a build: the next notebook starts as in a new
# kernel (an empty namespace, prompts counted from 1, no warning taken as already shown);
# only what the process imported, and caches keyed by content, are kept, which is the point.
RESET = """\
get_ipython().reset(new_session=True)
import warnings as _w
_f = list(_w.filters)
_w.resetwarnings()
_w.filters[:] = _f
del _w, _f
"""


class Kernels:
    """Kernels started ahead of the notebooks that will use them, and every kernel a notebook
    runs in, so that a build stopping (a failure, Ctrl-C, SIGTERM) can stop them all within
    seconds rather than wait for their cells.

    Starting a kernel and importing the package take about a second each; done while the
    build checks the data and launches Chromium, that second is off the critical path. As
    many are started as notebooks can run at once (`count`); a kernel whose notebook ran to
    the end is reset and handed to the next of the `wanted` notebooks (`give_back`), which
    spares that notebook the start and the imports (2 s of CPU each on this project's
    machine). A kernel that fails to start ahead or to reset is no failure: its notebook
    then starts its own.
    """

    def __init__(self, count: int, kernel_name: str = "python3", wanted: int = 0) -> None:
        self.kernel_name = kernel_name
        self.stopping = threading.Event()
        self._ready: queue.Queue = queue.Queue()
        self._all: list[AsyncKernelManager] = []
        self._lock = threading.Lock()
        self._wanted = max(wanted, count)  # notebooks still to be handed a kernel
        self._threads = [threading.Thread(target=self._start, daemon=True)
                         for _ in range(count)]
        for thread in self._threads:
            thread.start()

    def _track(self, km: AsyncKernelManager) -> AsyncKernelManager:
        with self._lock:
            self._all.append(km)
        if self.stopping.is_set():
            kill(km)
        return km

    def _start(self) -> None:
        try:
            km = self._track(_QuietKernelManager(kernel_name=self.kernel_name))
            if self.stopping.is_set():
                raise RuntimeError("the build is stopping")
            asyncio.run(km.start_kernel())
            # Not stored in the history, so the notebook's cells keep counting from 1.
            self._ready.put(km if _run_quietly(km, WARM_UP) else None)
        except Exception:  # the notebook will start a kernel of its own
            self._ready.put(None)

    def take(self) -> AsyncKernelManager:
        """A kernel started ahead or handed back, else a manager whose kernel papermill
        starts: either way one this object can stop."""
        km = self._ready.get()
        with self._lock:
            self._wanted -= 1
        return km if km is not None else self._track(
            _QuietKernelManager(kernel_name=self.kernel_name))

    def give_back(self, km: AsyncKernelManager) -> None:
        """The kernel of a notebook that ran to the end: reset for a notebook still to run,
        else shut down."""
        with self._lock:
            needed = self._wanted > self._ready.qsize()
        if not needed or self.stopping.is_set():
            shutdown(km)
            return
        try:
            reset = _run_quietly(km, RESET)
        except Exception:
            reset = False
        if not reset:
            shutdown(km)
        self._ready.put(km if reset else None)

    def stop(self) -> None:
        """Kill every kernel, running or starting; a notebook in one fails at once."""
        self.stopping.set()
        with self._lock:
            managers = list(self._all)
        for km in managers:
            kill(km)

    def close(self) -> None:
        """Shut down the kernels nobody took."""
        for thread in self._threads:
            thread.join()
        while not self._ready.empty():
            shutdown(self._ready.get_nowait())


def _run_quietly(km: AsyncKernelManager, code: str) -> bool:
    """Run `code` in the kernel outside its history; whether it ran without an error."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(code, silent=True, store_history=False, timeout=120)
        return reply.get("content", {}).get("status") == "ok"
    finally:
        kc.stop_channels()


def kill(km: AsyncKernelManager) -> None:
    """Kill a kernel's whole process group (it runs in a session of its own, so a cell's
    child processes go too); a kernel not started yet or already gone is left be."""
    provisioner = getattr(km, "provisioner", None)
    pgid = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
    if pgid:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)


def shutdown(km: AsyncKernelManager | None) -> None:
    if km is not None:
        with contextlib.suppress(Exception):
            asyncio.run(km.shutdown_kernel(now=True))


class Stopped(Exception):
    """A notebook stopped because the build is stopping (another failed, Ctrl-C, SIGTERM)."""


@dataclass
class NotebookFailure(Exception):
    """A notebook raised: which notebook, which cell, what error, where the evidence is."""

    notebook: str
    cell: int
    cell_id: str
    first_line: str
    error: str
    kept_at: Path | None = None

    def __str__(self) -> str:
        text = (f"notebook {self.notebook} failed in cell {self.cell} (id {self.cell_id}: "
                f"{self.first_line!r}): {self.error}")
        if self.kept_at is not None:
            text += f"; the executed notebook is kept at {self.kept_at}"
        return text


def execute(source: Path, target: Path, parameters: dict[str, object], label: str,
            on_cell: CellCallback | None = None, kernel_name: str = "python3",
            km: AsyncKernelManager | None = None, timeout: int | None = None,
            release: Callable[[AsyncKernelManager], None] | None = None
            ) -> nbformat.NotebookNode:
    """Execute `source` into `target`; raise NotebookFailure naming the failing cell.

    The kernel is the build's own interpreter (`python3` resolves to it), so a build never
    depends on which kernels happen to be registered. `km`, a kernel started ahead (or a
    manager whose kernel papermill starts), is used and shut down, or handed to `release`
    if the notebook ran to the end. `timeout` bounds each cell, in seconds.
    """
    import papermill

    current = {"index": 0, "id": "?", "source": ""}

    def cell_started(index: int, total: int, cell_id: str) -> None:
        current.update(index=index, id=cell_id)
        if on_cell is not None:
            on_cell(index, total, cell_id)

    ran = False
    try:
        # No cwd: papermill would chdir the whole process, which races between threads.
        book = papermill.execute_notebook(
            str(source), str(target), parameters=parameters, engine_name=ENGINE,
            kernel_name=kernel_name, progress_bar=False, request_save_on_cell_execute=False,
            on_cell=cell_started, kernel_manager_class=_QuietKernelManager,
            execution_timeout=timeout, **({"km": km} if km is not None else {}))
        ran = True
    except PapermillExecutionError as exc:
        saved = nbformat.read(target, as_version=4) if target.exists() else None
        # papermill puts a banner cell on top of the saved notebook, so find the failing cell
        # by its error output rather than by index.
        cell = next((c for c in (saved.cells if saved else [])
                     if any(o.get("output_type") == "error" for o in c.get("outputs", []))), {})
        source_text = "".join(cell.get("source", "")) or exc.source or ""
        first = next((line for line in source_text.splitlines() if line.strip()), "")
        raise NotebookFailure(label, exc.exec_count or exc.cell_index, cell.get("id", "?"),
                              first, f"{exc.ename}: {exc.evalue}") from None
    except (CellTimeoutError, DeadKernelError) as exc:
        cell = _cell(source, current["id"])
        first = next((line for line in cell.splitlines() if line.strip()), "")
        error = (f"the cell ran longer than {timeout} s (rusturk build --timeout)"
                 if isinstance(exc, CellTimeoutError) else
                 f"the kernel died ({' '.join(str(exc).split())[:200]})")
        raise NotebookFailure(label, current["index"] + 1, current["id"], first, error) from None
    finally:
        if ran and release is not None and km is not None:
            release(km)
        else:
            shutdown(km)
    return book


def _cell(source: Path, cell_id: str) -> str:
    """The source of a cell of the unexecuted notebook, by id ("" if not found)."""
    with contextlib.suppress(Exception):
        for cell in nbformat.read(source, as_version=4).cells:
            if cell.get("id") == cell_id:
                return "".join(cell.source)
    return ""


def normalise(book: nbformat.NotebookNode, source_name: str, target_name: str,
              provenance: dict) -> nbformat.NotebookNode:
    """Drop what changes from run to run (timestamps, durations, random ids, temp paths).

    Two builds from the same inputs then give the same executed notebook, byte for byte.
    """
    book = copy.deepcopy(book)
    meta = book.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "environment_variables"):
        meta.pop(key, None)
    meta["input_path"] = source_name
    meta["output_path"] = target_name
    book.metadata["rusturk"] = provenance
    for cell in book.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id
    return book


def write_notebook(book: nbformat.NotebookNode, path: Path) -> None:
    write_text(path, nbformat.writes(book) + "\n")
