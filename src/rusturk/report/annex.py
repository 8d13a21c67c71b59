"""The annex to the briefing: everything analysts and careful readers want beside it (the
analyses chapter by chapter, the chronology, glossary, every source with its grade, the
method and which judgements were withheld, provenance and what changed)."""

from __future__ import annotations

import json
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from rusturk.analysis import findings, judgements
from rusturk.analysis.window import Window
from rusturk.common import templating
from rusturk.common.text import day, signed
from rusturk.data.checksums import data_version
from rusturk.data.dataset import load_once
from rusturk.notebook.sections import method_text
from rusturk.report import export
from rusturk.report.plan import Edition, Plan, period_label, provenance

# The notebook metadata key naming the findings a notebook states (its summary), which the
# briefing lists as key findings: the notebooks say it, the analysis knows no notebook.
FINDINGS_KEY = "findings"


@cache
def _words(data_dir: str, start: str, end: str, include_syria: bool) -> judgements.Edition:
    return judgements.for_window(window(data_dir, start, end), include_syria)


def words(p: Plan) -> judgements.Edition:
    """The analysts' words of a report's edition, checked and filled once per build: the
    pre-flight check, the briefing and the annex share them."""
    first = p.jobs[0]
    start, end = span(p)
    return _words(str(first.data_dir or ""), str(start), str(end),
                  bool(first.params.get("include_syria", True)))


def window(data_dir: object, start: object, end: object) -> Window:
    return Window(load_once(str(data_dir) if data_dir else None), pd.Timestamp(str(start)),
                  pd.Timestamp(str(end)))


def findings_of(source: Path) -> str | None:
    """The findings a notebook states, as its metadata names them ("overview"); None for a
    notebook that states none, or cannot be read (its run will say what is wrong with it).
    Running a notebook does not change its metadata, so the notebook itself is read: the key
    findings are made while the notebooks run."""
    try:
        meta = json.loads(source.read_text(encoding="utf-8")).get("metadata", {})
        return meta.get(FINDINGS_KEY)
    except (OSError, ValueError, AttributeError):
        return None


def key_findings(wanted: list[tuple[str | None, dict]]) -> list[Markup]:
    """Findings in notebook order; `wanted` pairs each notebook's findings name (from
    `findings_of`) with its full parameters."""
    out: list[Markup] = []
    for name, p in wanted:
        if name:
            w = window(p.get("data_dir", ""), p["start_date"], p["end_date"])
            out += findings.named(name, w, p)
    return out


@dataclass
class Heading:
    level: int
    text: str


class _Headings(HTMLParser):
    """Reads (never rewrites) the h1 and h2 headings of a page, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._open: tuple[int, list[str]] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("h1", "h2") and not {"cover-title", "toc"} & set(classes):
            self._open = (int(tag[1]), [])
        elif self._open and tag == "a" and "anchor-link" in classes:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif self._open and tag == f"h{self._open[0]}":
            self.found.append(Heading(self._open[0], " ".join("".join(self._open[1]).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self._open[1].append(data)


def headings(page: str) -> list[Heading]:
    """The h1/h2 headings a reader sees in the contents, as the PDF outline lists them."""
    parser = _Headings()
    parser.feed(page)
    return parser.found


def match_pages(found: list[Heading], outline: list[tuple[str, int]]) -> list[int | None]:
    """Each heading's page from the PDF bookmarks, matched in document order.

    >>> hs = [Heading(1, "A"), Heading(2, "Chronology"), Heading(1, "B"),
    ...       Heading(2, "Chronology")]
    >>> match_pages(hs, [("Cover", 1), ("A", 3), ("Chronology", 4), ("B", 6),
    ...                  ("Chronology", 8)])
    [3, 4, 6, 8]
    """
    pages: list[int | None] = []
    position = 0
    for heading in found:
        page = None
        for i in range(position, len(outline)):
            if outline[i][0] == heading.text:
                page, position = outline[i][1], i + 1
                break
        pages.append(page)
    return pages


def span(p: Plan) -> tuple[str, str]:
    """First start and last end over a report's notebooks."""
    return (min(str(j.params["start_date"]) for j in p.jobs),
            max(str(j.params["end_date"]) for j in p.jobs))


@dataclass
class Document:
    """A briefing's template context; `page()` renders it with the contents' page numbers."""

    context: dict

    def page(self, pages: list[int | None] | None = None) -> str:
        found = self.context["headings"]
        numbers = pages or [None] * len(found)
        contents = [{"level": h.level, "text": h.text, "page": n}
                    for h, n in zip(found, numbers, strict=True)]
        return templating.render(export.PAGES, "annex.html.j2", contents=contents,
                                 **self.context)


# Printed once for the whole briefing, or meant for analysts: left out of the chapters.
ONCE_OR_ANALYSTS = frozenset({"appendix", "chronology", "method"})


def chronology(w: Window) -> list[dict]:
    """The window's events for the briefing's one chronology: no codes, no ids."""
    return [{"date": day(e.date_best), "event": e.title,
             "actors": f"{findings.actor_name(str(e.actor_initiator))} → "
                       f"{findings.actor_name(str(e.actor_target))}",
             "score": signed(e.goldstein, 1)} for e in w.events.itertuples()]


def sources(w: Window) -> list[dict]:
    """The sources cited in the window, each with its grade and without its id."""
    rows = w.cited_sources.sort_values(["publisher", "title"], key=lambda c: c.str.lower())
    return [{"publisher": s.publisher, "title": s.title, "url": s.url_or_reference,
             "published": day(s.publication_date)
             if pd.notna(s.publication_date) else "",
             "grade": f"{s.reliability}{s.credibility}"} for s in rows.itertuples()]


def stated_rows(w: Window, words: judgements.Edition) -> list[dict]:
    """Every number the key judgements state, with its period, n and the sources behind it:
    so each figure of a judgement is stated in the body with its source."""
    info = w.ds.sources.set_index("source_id")["publisher"].astype(str)
    rows = []
    for s in words.stated:
        q = s.quantity
        if not q.counts and not q.rows:
            continue  # a setting of the method or a date, not a number the data state
        cited = list(dict.fromkeys(info[r].split(" (via ")[0].split(" (")[0]
                                   for r in q.rows if r in info.index))
        if not cited:
            basis = f"{q.n:,} {q.counts}"
        elif len(cited) <= 3:
            basis = "; ".join(cited)
        else:
            sources = len({r for r in q.rows if r in info.index})
            basis = f"{sources:,} sources, each listed in the annex"
        rows.append({"period": s.period, "label": q.label, "value": q.text,
                     "bounds": q.interval_text, "basis": basis})
    return rows


def front(p: Plan, edition: Edition, changes_view: dict) -> dict:
    """Everything the annex shows that no notebook's run decides (all but the chapters and
    the contents): made while the notebooks run."""
    first = p.jobs[0]
    start, end = span(p)
    running = f"{p.variant.title} · edition {edition.date}"
    w = window(first.data_dir, start, end)
    include_syria = bool(first.params.get("include_syria", True))
    record = provenance(first, edition)
    edition_words = words(p)
    record["parameters"] = {job.notebook: job.params for job in p.jobs}
    return {
        "title": p.variant.title, "subtitle": p.variant.subtitle,
        "period": period_label({"start_date": start, "end_date": end}),
        "edition": edition, "data_version": data_version(first.data_files),
        "css": Markup(export.stylesheet()), "page_css": Markup(export.page_css(running)),
        "words": edition_words, "stated": stated_rows(w, edition_words),
        "findings": key_findings([(findings_of(j.source), j.params) for j in p.jobs]),
        "changes": changes_view,
        "chronology": chronology(w), "sources": sources(w),
        "method": method_text(int(first.params.get("smoothing_window_days", 180)),
                              include_syria),
        "record": record,
    }


def document(p: Plan, books: dict, edition: Edition, changes_view: dict,
             made: dict | None = None) -> Document:
    """Everything the annex shows but the contents' page numbers; `made` is its `front`,
    if made already."""
    chapters, figure = [], 1
    for i, job in enumerate(p.jobs):
        # A section whose input is absent (no event stream given) is left out.
        drop = ONCE_OR_ANALYSTS | ({"stream"} if not job.params.get("event_stream_path")
                                   else set())
        prepared = export.prepare(books[job.notebook], "fragment", first_figure=figure,
                                  svg_prefix=f"c{i}", drop_tags=drop)
        figure += len(prepared.figures)
        chapters.append(Markup(export.render(prepared.book, "fragment",
                                             {"anchor": f"chapter-{i + 1}"})))
    context = dict(made if made is not None else front(p, edition, changes_view))
    context |= {"chapters": chapters, "headings": []}
    doc = Document(context)
    context["headings"] = headings(doc.page())
    return doc


# Fills the contents' page numbers in the laid-out page: one `.page` span per heading.
FILL_CONTENTS = """(pages) => {
  const spans = document.querySelectorAll("nav.contents .page");
  pages.forEach((n, i) => { spans[i].textContent = n === null ? "" : String(n); });
}"""


def build_pdf(p: Plan, books: dict, edition: Edition, changes_view: dict, printer,
              notice=None, made: dict | None = None) -> Future[bytes]:
    """Queue the annex on the printer. It is printed, its headings found on their pages in
    that print's outline, the numbers filled into the contents of the same laid-out page,
    and printed again. `notice` is told, one line each, of every judgement the edition
    withholds."""
    from rusturk.report.pdf import finish, outline

    doc = document(p, books, edition, changes_view, made)
    for claim, reasons in doc.context["words"].withheld:
        if notice is not None:
            notice(f"withheld {claim}: {reasons[0]}")
    found = doc.context["headings"]
    metadata_ = metadata(p, "Annex")
    # Urgent: the build waits for the annex, the longest print, after every notebook's.
    return printer.pdf(doc.page(), then=lambda data: finish(data, metadata_, edition.moment),
                       revise=lambda first: (FILL_CONTENTS, match_pages(found, outline(first))),
                       urgent=True)


def metadata(p: Plan, kind: str) -> dict[str, str]:
    """The PDF metadata of a report's briefing or annex."""
    from rusturk import __version__

    start, end = span(p)
    return {"Title": p.variant.title, "Author": "rusturk analysis team",
            "Subject": f"{kind}: {p.variant.subtitle or p.variant.title} ({start} to {end})",
            "Keywords": "Russia; Turkey; Syria; Idlib; briefing",
            "Creator": f"rusturk {__version__}",
            "Producer": "rusturk with Chromium and pikepdf"}


def page_count(data: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        return len(doc.pages)
