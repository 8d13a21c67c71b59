"""HTML to PDF in a system Chromium driven by playwright, with nothing fetched from anywhere.

Chromium's PDF is finished (metadata, dates, structure ids) with pikepdf, rewritten with
object streams. Measured December 2026 with benchmarks/pdf_finish.py on the idlib-feb-2020
edition (2 shared cores under load; median of 5, two runs; pikepdf 10.18 with qpdf 12.4,
pypdf 7.1), the same work done four ways:

    briefing, 4 pages, 157,769 B from Chromium   time        output      3 renders → outputs
      byte edits and an incremental update        21–22 ms   159,264 B   1
      pikepdf, objects as Chromium wrote them     45–74 ms   160,497 B   1
      pikepdf, object streams (used here)         38–72 ms    94,210 B   1
      pypdf                                      209–311 ms  162,780 B   1
    annex, 28 pages, 791,907 B from Chromium
      byte edits and an incremental update        77–89 ms   793,395 B   1
      pikepdf, objects as Chromium wrote them   325–361 ms   806,695 B   1
      pikepdf, object streams (used here)       199–309 ms   357,123 B   1
      pypdf                                    2380–3311 ms  835,878 B   1

Every way gives the same bytes for a document rendered three times (two browser
histories). pikepdf with object streams costs 0.05–0.23 s more per PDF than the former
regex edits of Chromium's bytes (commit bc12426), next to a build of 90 s or more, and
halves the files (−40 % for the briefing, −55 % for the annex); it reads the PDF as a PDF,
so any id-tree shape and file layout Chromium may write are handled, where the byte edits
handled one id-tree leaf and a classic trailer only. pypdf is about 10 times slower than
pikepdf here and writes the largest files.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import io
import itertools
import os
import re
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from rusturk.config import chromium_override

T = TypeVar("T")
# Given a document's first print: a script to run in its page, and its argument.
Revise = Callable[[bytes], tuple[str, object]]
# Pages printed at the same time: two keep both CPUs of a small machine busy when the
# notebooks are done and the annex and the last notebooks' PDFs are left to print.
PAGES_AT_ONCE = 2
NICENESS = 5  # added to Chromium's (and the PDF finishing's) scheduling niceness
PRINT = {"format": "A4", "prefer_css_page_size": True, "print_background": True,
         "outline": True, "tagged": True}

# Flags that keep Chromium from phoning home; in a closed network those calls only fail.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-default-apps"]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserMissing(RuntimeError):
    """No Chromium to render PDFs with."""


def find_chromium() -> str | None:
    """$RUSTURK_CHROMIUM, then a system Chromium on PATH; None lets playwright use its own."""
    explicit = chromium_override()
    if explicit:
        if not Path(explicit).exists():
            raise BrowserMissing(f"RUSTURK_CHROMIUM={explicit}: no such file")
        return explicit
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


class _Slots:
    """At most `n` prints at a time; a waiting urgent print (the one the build will wait for
    longest) goes before the others, and prints of the same urgency go in the order they
    were asked for."""

    def __init__(self, n: int) -> None:
        self._free = n
        self._waiting: list[tuple[int, int, asyncio.Future]] = []
        self._order = itertools.count()

    async def acquire(self, urgent: bool) -> None:
        if self._free and not self._waiting:
            self._free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (0 if urgent else 1, next(self._order), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # handed a slot as it was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiting:
            *_, turn = heapq.heappop(self._waiting)
            if not turn.done():  # a print cancelled while waiting is skipped
                turn.set_result(None)
                return
        self._free += 1


class Printer:
    """One Chromium, driven from a thread of its own: documents go in as HTML and come back
    as futures, up to PAGES_AT_ONCE printed at the same time (each page renders in its own
    Chromium process).

    The build's Python work (the next notebook's pages, the annex) goes on while Chromium
    prints. `then` runs on the printed bytes in a worker thread (finishing the PDF, writing
    it). A failure, a Chromium that will not start included, is raised where the future's
    result is asked for.
    """

    def __init__(self, pages_at_once: int | None = None) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="chromium", daemon=True)
        self._thread.start()
        self._queued: list[Future] = []
        self._slots = pages_at_once or PAGES_AT_ONCE
        # Launched at once but not waited for: the first print waits for the launch.
        self._browser = self._submit(self._launch())

    def _run(self) -> None:
        # Printing is never what the build waits for until the notebooks are done: Chromium
        # (started from this thread, so it inherits the setting) yields the CPU to the
        # kernels and the main thread, and takes what they leave.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
        self._loop.run_forever()

    def _submit(self, coroutine) -> Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def _launch(self):
        from playwright.async_api import Error, async_playwright

        self._gate = _Slots(self._slots)
        executable = find_chromium()  # before playwright starts: a bad path leaves nothing
        self._playwright = await async_playwright().start()
        try:
            browser = await self._playwright.chromium.launch(executable_path=executable,
                                                             args=CHROMIUM_ARGS)
            # Every page in one context: a context of its own for each page (playwright's
            # browser.new_page) cost Chromium 30-40 % more CPU time for a build's five
            # documents, and the build 1.5-2.5 s more (measured December 2026).
            self._context = await browser.new_context()
            return browser
        except Error as exc:
            await self._playwright.stop()
            raise BrowserMissing(
                "no Chromium to render PDFs with: install Debian's `chromium` (make chromium), "
                "set RUSTURK_CHROMIUM, or run `playwright install chromium` where downloads "
                f"work ({str(exc).splitlines()[0]})") from None

    async def _print(self, html: str, then: Callable[[bytes], T],
                     revise: Revise | None, urgent: bool) -> T:
        await asyncio.wrap_future(self._browser)
        loop = asyncio.get_running_loop()
        await self._gate.acquire(urgent)
        try:
            page = await self._context.new_page()
            try:
                await page.route("**/*", lambda route: route.abort())
                await page.set_content(html, wait_until="load")
                await page.emulate_media(media="print")
                printed = await page.pdf(**PRINT)
                if revise is not None:
                    script, argument = await loop.run_in_executor(None, revise, printed)
                    await page.evaluate(script, argument)
                    printed = await page.pdf(**PRINT)
            finally:
                await page.close()
        finally:
            self._gate.release()
        return await loop.run_in_executor(None, then, printed)

    def ready(self) -> None:
        """Wait for Chromium to start; raise BrowserMissing where it cannot."""
        self._browser.result()

    def pdf(self, html: str, then: Callable[[bytes], T] = lambda data: data,
            revise: Revise | None = None, urgent: bool = False) -> Future[T]:
        """Print `html` to A4 PDF and hand the bytes to `then`. Every request is refused: the
        page must be self-contained. An `urgent` print (the one the build will wait for
        longest) is started before prints queued earlier that have not started yet.

        With `revise`, the first print is handed to it, and the script and argument it
        returns are run in the page, which is then printed again: a document whose contents
        list the pages of its own first layout is laid out once and amended in place, not
        loaded again (loading the annex's 0.9 MB takes 0.6–1.2 s of a 2–3 s print).
        """
        queued = self._submit(self._print(html, then, revise, urgent))
        self._queued.append(queued)
        return queued

    def close(self) -> None:
        """Stop Chromium: prints not yet done are dropped (a build that stops early needs none
        of them; one that succeeded has waited for all)."""
        for queued in self._queued:
            queued.cancel()

        async def close() -> None:
            if self._browser.done() and self._browser.exception() is None:
                await self._browser.result().close()
                await self._playwright.stop()
        try:
            self._submit(close()).result(timeout=60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=60)


class Browser:
    """One Chromium, one document at a time: `Printer`'s prints waited for, for callers that
    print in order (the benchmarks). A Chromium that will not start is raised here."""

    def __init__(self) -> None:
        self._printer = Printer(pages_at_once=1)
        try:
            self._printer.ready()
        except BaseException:
            self._printer.close()
            raise

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._printer.close()

    def pdf(self, html: str) -> bytes:
        """Print `html` to A4 PDF. Every request is refused: the page must be self-contained."""
        return self._printer.pdf(html).result()


def pdf_date(moment: datetime) -> str:
    """A PDF date string.

    >>> pdf_date(datetime(2020, 3, 5, 12, 0, tzinfo=UTC))
    "D:20200305120000+00'00'"
    """
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


_NODE_ID = re.compile(r"node\d{8}$")


def _renumber_structure_ids(doc) -> None:
    """Give tagged-PDF structure elements ids that depend only on the document.

    Chromium names them after its DOM node counter, which depends on what the renderer did
    before. Each element is renumbered by its object number (fixed by the document); table
    cells that name their header cells by id and the id tree follow.
    """
    import pikepdf

    dicts = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary)]
    elements = [o for o in dicts
                if isinstance(o.get("/ID"), pikepdf.String) and _NODE_ID.match(str(o.ID))]
    ranked = sorted(elements, key=lambda o: o.objgen[0])
    new = {str(o.ID): f"node{rank:08d}" for rank, o in enumerate(ranked, start=1)}
    for o in elements:
        o.ID = pikepdf.String(new[str(o.ID)])
    for o in dicts:
        attributes = o.get("/A")
        for a in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
            if isinstance(a, pikepdf.Dictionary) and isinstance(a.get("/Headers"), pikepdf.Array):
                a.Headers = pikepdf.Array([pikepdf.String(new.get(str(h), str(h)))
                                           for h in a.Headers])
    root = doc.Root.get("/StructTreeRoot")
    if root is not None and "/IDTree" in root:
        entries = sorted((new.get(k, k), v) for k, v in pikepdf.NameTree(root.IDTree).items())
        tree = pikepdf.NameTree.new(doc)
        for name, element in entries:
            tree[name] = element
        root.IDTree = tree.obj


def finish(data: bytes, metadata: dict[str, str], moment: datetime) -> bytes:
    """Set the document information and the dates, and renumber the structure ids, so that
    the same document gives the same bytes; written with object streams (half the size)."""
    import pikepdf

    doc = pikepdf.open(io.BytesIO(data))
    _renumber_structure_ids(doc)
    stamp = pdf_date(moment)
    for key in list(doc.docinfo.keys()):
        del doc.docinfo[key]
    for key, value in {**metadata, "CreationDate": stamp, "ModDate": stamp}.items():
        doc.docinfo["/" + key] = pikepdf.String(value)
    out = io.BytesIO()
    doc.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def outline(data: bytes) -> list[tuple[str, int | None]]:
    """Every bookmark's title and 1-based page number (None for one that points nowhere), in
    document order. Read with pikepdf: pypdf took 0.1–0.6 s for the annex's outline, at the
    very end of a build, which waits for it; pikepdf 0.013 s."""
    import pikepdf

    found: list[tuple[str, int | None]] = []
    with pikepdf.open(io.BytesIO(data)) as doc:
        pages = {page.objgen: number for number, page in enumerate(doc.pages, start=1)}
        named = doc.Root.get("/Dests")

        def page_of(item) -> int | None:
            dest = item.destination
            if dest is None and item.action is not None:
                dest = item.action.get("/D")
            if isinstance(dest, pikepdf.Name | pikepdf.String) and named is not None:
                dest = named.get("/" + str(dest).lstrip("/"))
            if isinstance(dest, pikepdf.Dictionary):  # a named destination may wrap it
                dest = dest.get("/D")
            if isinstance(dest, pikepdf.Array) and len(dest):
                return pages.get(dest[0].objgen)
            return None

        def walk(items) -> None:
            for item in items:
                found.append((str(item.title).strip(), page_of(item)))
                walk(item.children)

        with doc.open_outline() as tree:
            walk(tree.root)
    return found
