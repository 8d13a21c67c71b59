"""The export stage of a build: executed notebooks to HTML, PDFs and the briefing."""

from __future__ import annotations

import json
from concurrent.futures import Future
from pathlib import Path

import nbformat

from rusturk import __version__
from rusturk.common import templating
from rusturk.common.atomic import write_bytes, write_text
from rusturk.common.hashing import sha256_file
from rusturk.data.checksums import data_version
from rusturk.report import export
from rusturk.report.plan import (
    MANIFEST,
    MANIFEST_FORMAT,
    REPORT_PDFS,
    Edition,
    Job,
    Plan,
    display_dir,
    notebook_outputs,
    notebook_title,
    period_label,
    provenance,
)
from rusturk.report.progress import Progress

BRIEFING, ANNEX = REPORT_PDFS
AUTHOR = "rusturk analysis team"
KEYWORDS = "Russia; Turkey; Syria; Idlib; Su-24; Goldstein; CAMEO; event data"


def _changes(p: Plan, edition: Edition, snapshot: dict) -> tuple[object, dict]:
    """The diff against the baseline and its view for the templates."""
    from rusturk.data import changes

    if edition.since:
        before = changes.snapshot_from_git(edition.since, p.jobs[0].data_dir)
    else:
        before = p.previous.get("data_snapshot")
    diff = changes.diff(before, snapshot)
    # An edition lists only what changed inside its window: nothing after its end date.
    start = min(str(j.params["start_date"]) for j in p.jobs)
    end = max(str(j.params["end_date"]) for j in p.jobs)
    diff = changes.within(diff, start, end)
    return diff, changes.to_view(diff)


def _part(name: str, *args: object) -> str:
    """One of the pieces (provenance, what changed) that every report page shows."""
    return templating.macro(export.PAGES, "parts.html.j2", name, *args)


class Exporter:
    """Exports each notebook as soon as it has run, then each report's briefing and manifest.

    Chromium prints in a thread of its own (`pdf.Printer`): while it prints one document the
    main thread prepares the next, and notebooks still running in worker threads overlap
    with both. A report's manifest is written once every one of its PDFs is.
    """

    def __init__(self, plans: list[Plan], staging: Path, out: Path, edition: Edition,
                 pdf: bool, progress: Progress) -> None:
        self.plans = {p.variant.name: p for p in plans}
        self.staging, self.out, self.edition, self.progress = staging, out, edition, progress
        self.books: dict[str, dict[str, nbformat.NotebookNode]] = {n: {} for n in self.plans}
        self.changes: dict[str, tuple[object, dict, dict]] = {}
        self.encoded: dict[str, str] = {}  # each report's data snapshot, as JSON
        self.pdf = pdf
        self.printed: dict[str, list[Future]] = {n: [] for n in self.plans}  # queued PDFs
        self.briefings: dict[str, Future[bytes]] = {}
        self.fronts: dict[str, dict] = {}  # each annex's parts that no notebook decides
        self._printer = None

    def __enter__(self) -> Exporter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._printer is not None:
            self._printer.close()

    @property
    def printer(self):
        """Chromium, launched when the first PDF is due: meanwhile the kernels have the CPU."""
        if self.pdf and self._printer is None:
            from rusturk.report.pdf import Printer

            self._printer = Printer()
        return self._printer

    def _changes_of(self, p: Plan) -> tuple[object, dict, dict]:
        if p.variant.name not in self.changes:
            from rusturk.data import changes

            version = data_version(p.jobs[0].data_files)
            snapshot = changes.snapshot(p.jobs[0].data_dir, label=(
                f"the edition of {self.edition.date} (data {version})"))
            diff, view = _changes(p, self.edition, snapshot)
            self.changes[p.variant.name] = (diff, view, snapshot)
        return self.changes[p.variant.name]

    def _snapshot_json(self, p: Plan) -> str:
        """The data snapshot as the manifest writes it, encoded once, before the build waits
        for its PDFs (the whole data: 7 MB of JSON, 0.5 s to encode)."""
        if p.variant.name not in self.encoded:
            self.encoded[p.variant.name] = encode_snapshot(self._changes_of(p)[2])
        return self.encoded[p.variant.name]

    def notebook(self, job: Job) -> None:
        """Normalise the executed notebook; write its HTML, and queue its PDF."""
        from rusturk.report.execute import normalise, write_notebook
        from rusturk.report.pdf import finish

        p = self.plans[job.variant.name]
        staged = self.staging / p.variant.name
        _, changes_view, _ = self._changes_of(p)
        record = provenance(job, self.edition)
        raw = nbformat.read(job.executed, as_version=4)
        book = normalise(raw, display_dir(job.source), f"{job.notebook}.ipynb", record)
        write_notebook(book, staged / f"{job.notebook}.ipynb")
        self.books[p.variant.name][job.notebook] = book
        title = notebook_title(book)
        context = {"title": f"{title} · {p.variant.title}", "kicker": p.variant.title,
                   "period": period_label(job.params), "edition": self.edition.date,
                   "data_version": record["data_version"], "version": __version__,
                   "provenance_html": _part("provenance", record),
                   "changes_html": _part("changes", changes_view)}
        prepared = export.prepare(book, "analyst")
        write_text(staged / f"{job.notebook}.html",
                   export.render(prepared.book, "analyst", context))
        if self.printer is None:
            self.progress.done(job.label, "exported HTML")
            return
        printed = export.prepare(book, "print")
        page = export.render(printed.book, "print", context | {
            "css_extra": export.page_css(f"{p.variant.title} · {title}")})
        metadata = {"Title": f"{title} ({p.variant.title})", "Author": AUTHOR,
                    "Subject": f"{p.variant.title}: {period_label(job.params)}",
                    "Keywords": KEYWORDS, "Creator": f"rusturk {__version__}",
                    "Producer": "rusturk with Chromium"}

        def written(data: bytes) -> None:
            write_bytes(staged / f"{job.notebook}.pdf",
                        finish(data, metadata, self.edition.moment))
            self.progress.done(job.label, "exported HTML and PDF")

        self.printed[p.variant.name].append(self.printer.pdf(page, then=written))

    def briefing(self, p: Plan) -> None:
        """The briefing, which reads the data and the analysts' words but no notebook, and
        the parts of the annex no notebook decides: made while the notebooks run."""
        if self.printer is None or p.variant.name in self.briefings:
            return
        from rusturk.report import annex, briefing

        staged = self.staging / p.variant.name
        staged.mkdir(parents=True, exist_ok=True)
        self.briefings[p.variant.name] = briefing.build_pdf(p, self.edition, self.printer)
        _, changes_view, _ = self._changes_of(p)
        self.fronts[p.variant.name] = annex.front(p, self.edition, changes_view)
        self._snapshot_json(p)

    def report(self, p: Plan) -> None:
        """The annex (from new and unchanged notebooks alike) and the manifest; the briefing
        too, unless it was made already."""
        name = p.variant.name
        staged, folder = self.staging / name, self.out / name
        self.briefing(p)
        staged.mkdir(parents=True, exist_ok=True)
        books = self.books[name]
        for job in p.jobs:
            if job.notebook not in books:
                books[job.notebook] = nbformat.read(folder / f"{job.notebook}.ipynb",
                                                    as_version=4)
        diff, changes_view, _ = self._changes_of(p)
        snapshot = self._snapshot_json(p)
        if self.printer is not None:
            from rusturk.report import annex

            made = annex.build_pdf(p, books, self.edition, changes_view, self.printer,
                                   lambda line: self.progress.info(f"{name}: {line}"),
                                   self.fronts.get(name))
            for queued in self.printed[name]:
                queued.result()
            data = self.briefings[name].result()
            write_bytes(staged / BRIEFING, data)
            pages = annex.page_count(data)
            data = made.result()
            write_bytes(staged / ANNEX, data)
            self.progress.done(name, f"briefing: {pages} pages; annex: "
                                     f"{annex.page_count(data)} pages")
        _manifest(p, staged, folder, self.edition, diff, snapshot)


def _dumps(value: object) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False, default=str)


def encode_snapshot(snapshot: dict) -> str:
    """The data snapshot as `_manifest` places it: at the manifest's top level, so every line
    after its first is indented one space more (no JSON string holds a newline)."""
    return _dumps(snapshot).replace("\n", "\n ")


def _manifest(p: Plan, staged: Path, folder: Path, edition: Edition, diff: object,
              snapshot_json: str) -> None:
    outputs = {}
    for job in p.jobs:
        for name in notebook_outputs(job.notebook):
            path = staged / name if job.rebuild else folder / name
            if path.exists():
                outputs[name] = sha256_file(path)
    for name in REPORT_PDFS:
        made = staged / name if (staged / name).exists() else folder / name
        if made.exists():
            outputs[name] = sha256_file(made)
    manifest = provenance(p.jobs[0], edition, report=True) | {
        "format": MANIFEST_FORMAT,
        "title": p.variant.title,
        "changes": diff.counts() if hasattr(diff, "counts") else {},
        "notebooks": {j.notebook: {"fingerprint": j.fingerprint, "parameters": j.params}
                      for j in p.jobs},
        "briefing": {"fingerprint": p.fingerprint},
        "outputs": outputs,
    }
    write_text(staged / MANIFEST, manifest_text(manifest, snapshot_json))


def manifest_text(manifest: dict, snapshot_json: str) -> str:
    """The manifest as one JSON dump of it with its snapshot would write it, the snapshot
    encoded ahead (`encode_snapshot`) put in its place."""
    text = _dumps(manifest | {"data_snapshot": None})
    # A newline and one space start only top-level keys: no JSON string holds a newline.
    slot = '\n "data_snapshot": null'
    return text.replace(slot, '\n "data_snapshot": ' + snapshot_json, 1) + "\n"
