"""The stakeholder briefing: cover, contents, summary, the analyses, sources and appendix."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from rusturk import notebook as rn
from rusturk.export import markdown_html

Findings = Callable[[rn.Window, dict], list[str]]


def _fmt_date(value: pd.Timestamp) -> str:
    return f"{value:%-d %B %Y}"


def overview_findings(w: rn.Window, p: dict) -> list[str]:
    f = rn.overview_figures(w, p["smoothing_window_days"], p["include_syria"])
    if not f["dyad_events"]:
        return [f"The window {w.label} holds {f['events']} events, none of them between "
                "Turkey and the Russian side."]
    return [
        f"**{f['dyad_events']} of {f['events']} curated events** in {w.label} are between "
        f"Turkey and the Russian side. Their mean Goldstein score is "
        f"**{f['mean_goldstein']:+.2f}**, and **{f['material_conflict_share']:.0%}** are "
        "material conflict.",
        f"The {p['smoothing_window_days']}-day mean of the cooperation–conflict index is "
        f"lowest, **{f['lowest_smoothed']:+.2f}**, on {_fmt_date(f['lowest_date'])} and "
        f"highest, **{f['highest_smoothed']:+.2f}**, on {_fmt_date(f['highest_date'])}.",
    ]


def phases_findings(w: rn.Window, p: dict) -> list[str]:
    if w.empty:
        return []
    f = rn.phases_figures(w, p["include_syria"])
    out = [f"Of **{f['phases']} phases**, the longest is *{rn.esc(f['longest'])}* "
           f"({f['longest_days']:,} days)."]
    if f["most_cooperative"] is not None:
        out[0] += (f" The most cooperative is *{rn.esc(f['most_cooperative'])}* "
                   f"({f['most_cooperative_mean']:+.2f}); the most conflictual is "
                   f"*{rn.esc(f['most_conflictual'])}* ({f['most_conflictual_mean']:+.2f}).")
    if f["boundaries"]:
        out.append(f"Change-point detection on {f['months']} months of the index puts "
                   f"**{f['within_60_days']} of {f['boundaries']}** curated phase boundaries "
                   "within 60 days of a detected break: weak support, given so few events.")
    ruptures = rn.ruptures_table(w, p["include_syria"], p.get("rupture_phase_ids", []))
    if len(ruptures) == 2 and ruptures["days_to_first_lethal_clash"].notna().all():
        a, b = ruptures.iloc[0], ruptures.iloc[1]
        out.append(
            f"The two crises escalated differently: *{rn.esc(a['name'])}* reached lethal force "
            f"on day {int(a['days_to_first_lethal_clash'])} and closed "
            f"{int(a['days_from_clash_to_closing'])} days later; *{rn.esc(b['name'])}* took "
            f"{int(b['days_to_first_lethal_clash'])} days to its first lethal clash and closed "
            f"{int(b['days_from_clash_to_closing'])} days after it.")
    return out


def idlib_findings(w: rn.Window, p: dict) -> list[str]:
    if w.empty:
        return []
    f = rn.idlib_figures(w)
    out = []
    if f["incidents"]:
        out.append(
            f"Across {f['incidents']} incident(s) in {w.label}, sources put Turkish military "
            f"deaths at **{f['deaths_low']} to {f['deaths_high']}** in total. The deadliest, "
            f"*{rn.esc(f['deadliest'])}*, is put at {f['deadliest_low']} to "
            f"{f['deadliest_high']} by {f['deadliest_sources']} sources.")
    if f["displacement_readings"]:
        out.append(f"By {_fmt_date(f['displacement_last_date'])}, "
                   f"**{f['displacement_last']:,} people** had been displaced in north-west "
                   f"Syria since December 2019 ({rn.esc(f['displacement_last_source'])}, the "
                   f"latest of {f['displacement_readings']} readings).")
    return out


# Each notebook's key findings, computed from the data with that notebook's parameters.
FINDINGS: dict[str, Findings] = {
    "01_overview": overview_findings,
    "02_phases": phases_findings,
    "03_idlib": idlib_findings,
}


def window(data_dir: object, start: object, end: object) -> rn.Window:
    """A window on the data; the dataset is read once per folder while a briefing is made."""
    return rn.Window(_dataset(str(data_dir or "")), pd.Timestamp(str(start)),
                     pd.Timestamp(str(end)))


@cache
def _dataset(data_dir: str):
    from rusturk.data import load

    return load(data_dir or None)


def key_findings(params: dict[str, dict]) -> list[str]:
    """Findings in notebook order; `params` maps notebook name to its full parameters."""
    out = []
    for notebook, p in params.items():
        if notebook in FINDINGS:
            out += FINDINGS[notebook](window(p["data_dir"], p["start_date"], p["end_date"]), p)
    return out


_HEADING = re.compile(r"<h([12])( id=\"[^\"]*\")?>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Heading:
    level: int
    text: str
    anchor: str


def number_headings(body: str) -> tuple[str, list[Heading]]:
    """Give every h1/h2 a unique id (notebooks repeat titles) and list them for contents."""
    headings: list[Heading] = []

    def replace(match: re.Match) -> str:
        inner = re.sub(r"<a class=\"anchor-link\"[^>]*>.*?</a>", "", match.group(3))
        text = html.unescape(_TAG.sub("", inner)).strip()
        anchor = f"s{len(headings) + 1}"
        headings.append(Heading(int(match.group(1)), text, anchor))
        return f'<h{match.group(1)} id="{anchor}">{inner}</h{match.group(1)}>'

    return _HEADING.sub(replace, body), headings


def contents_html(headings: list[Heading], pages: list[int | None]) -> str:
    items, open_sub = [], False
    for heading, page in zip(headings, pages, strict=True):
        number = "" if page is None else str(page)
        entry = (f'<li><a href="#{heading.anchor}">{html.escape(heading.text)}</a>'
                 f'<span class="page">{number}</span>')
        if heading.level == 1:
            if open_sub:
                items.append("</ol></li>")
                open_sub = False
            items.append(entry)
            items.append("<ol>")
            open_sub = True
        else:
            items.append(entry + "</li>")
    if open_sub:
        items.append("</ol></li>")
    html_items = "".join(items).replace("<ol></ol>", "")
    return f'<nav class="contents"><h2 class="toc">Contents</h2><ol>{html_items}</ol></nav>'


def match_pages(headings: list[Heading], outline: list[tuple[str, int]]) -> list[int | None]:
    """Each heading's page from the PDF bookmarks, matched in document order.

    >>> hs = [Heading(1, "A", "s1"), Heading(2, "Chronology", "s2"),
    ...       Heading(1, "B", "s3"), Heading(2, "Chronology", "s4")]
    >>> match_pages(hs, [("Cover", 1), ("A", 3), ("Chronology", 4), ("B", 6),
    ...                  ("Chronology", 8)])
    [3, 4, 6, 8]
    """
    pages: list[int | None] = []
    position = 0
    for heading in headings:
        found = None
        for i in range(position, len(outline)):
            if outline[i][0] == heading.text:
                found, position = outline[i][1], i + 1
                break
        pages.append(found)
    return pages


# -- assembling the document -----------------------------------------------------------------

METHOD_EXTRA = (
    "**Sources that disagree.** Where sources give different figures for the same thing "
    "(a death toll, a displacement count), each source's figure is kept as its own row; the "
    "reports show the range from the lowest to the highest reading and never average them.\n\n"
    "**Dates.** An event dated only to a month or a year sits in the middle of that period "
    "unless another source pins the day; the chronology shows both.\n\n"
    "**Change points.** The monthly sum of Goldstein scores is segmented by binary "
    "segmentation (`ruptures`, L2 cost), asking for as many breaks as there are curated "
    "boundaries; each boundary is set against the nearest detected break.")


def _shift_headings(body: str, by: int) -> str:
    def bump(match: re.Match) -> str:
        level = min(int(match.group(2)) + by, 6)
        return f"<{match.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])", bump, body)


def _cover(p, edition, period: str, version: str) -> str:
    e = html.escape
    return (
        '<section class="cover"><div class="band">'
        '<p class="kicker">Briefing</p>'
        f"<h1 class=\"cover-title\">{e(p.variant.title)}</h1>"
        f'<p class="subtitle">{e(p.variant.subtitle)}</p></div>'
        "<dl>"
        f"<dt>Period</dt><dd>{e(period)}</dd>"
        f"<dt>Edition</dt><dd>{e(edition.date)}</dd>"
        f"<dt>Data version</dt><dd><code>{e(version)}</code></dd>"
        f"<dt>Commit</dt><dd><code>{e(edition.commit)}</code></dd>"
        "</dl>"
        '<p class="notice">Every figure in this briefing is computed from a curated, sourced '
        "event dataset; each fact names its source in the Sources section. Where sources "
        "disagree, the range across them is shown.</p></section>")


@dataclass
class Parts:
    """A briefing laid out but for its contents' page numbers."""

    head: str
    cover: str
    body: str
    headings: list[Heading]

    def page(self, pages: list[int | None] | None = None) -> str:
        contents = contents_html(self.headings, pages or [None] * len(self.headings))
        return (f"{self.head}<body class=\"briefing\">{self.cover}{contents}{self.body}"
                "</body></html>")


def span(p) -> tuple[str, str]:
    """First start and last end over a report's notebooks."""
    return (min(str(j.params["start_date"]) for j in p.jobs),
            max(str(j.params["end_date"]) for j in p.jobs))


def document(p, books: dict, edition, changes_md: str) -> Parts:
    """The briefing as one HTML page, every part but the contents' page numbers."""
    from rusturk import export, report
    from rusturk.dictionary import render as dictionary
    from rusturk.fingerprint import data_version

    params = {job.notebook: job.params for job in p.jobs}
    first = p.jobs[0]
    start, end = span(p)
    period = report._period({"start_date": start, "end_date": end})
    version = data_version(first.data_files)

    findings = "".join(f"<li>{markdown_html(f).strip().removeprefix('<p>').removesuffix('</p>')}"
                       "</li>" for f in key_findings(params))
    summary = (
        '<section class="front"><h1>Executive summary</h1>'
        f"<p>This briefing covers {html.escape(period)}. It draws on "
        f"{len(p.jobs)} analyses, each a chapter below; the key findings are computed from "
        "the data with the same parameters as the chapters.</p>"
        f'<ul class="findings">{findings}</ul></section>'
        f'<section class="front">{markdown_html(changes_md.replace("## ", "# ", 1))}'
        "</section>")

    chapters, figure = [], 1
    for i, job in enumerate(p.jobs):
        prepared = export.prepare(books[job.notebook], "fragment", first_figure=figure,
                                  svg_prefix=f"c{i}")
        figure += len(prepared.figures)
        body = export.render(prepared.book, "fragment", {"anchor": f"chapter-{i + 1}"})
        chapters.append(f'<section class="chapter">{body}</section>')

    w = window(first.data_dir, start, end)
    e = html.escape
    record = report.provenance(first, edition)
    method = rn.method_text(int(first.params.get("smoothing_window_days", 180)),
                            bool(first.params.get("include_syria", True)))
    rows = "".join(
        f"<tr><td>{e(j.notebook)}</td><td><code>{e(json.dumps(j.params, sort_keys=True))}"
        "</code></td></tr>" for j in p.jobs)
    appendix = (
        f'<section class="appendix"><h1>Sources</h1>{markdown_html(rn.sources_markdown(w))}'
        "</section>"
        '<section class="appendix"><h1>Appendix A: Method</h1>'
        f"{markdown_html(method)}"
        f"{markdown_html(METHOD_EXTRA)}{markdown_html(rn.CAVEAT)}</section>"
        '<section class="appendix"><h1>Appendix B: Data dictionary</h1>'
        f"{_shift_headings(markdown_html(dictionary()), 1)}</section>"
        '<section class="appendix"><h1>Appendix C: Provenance</h1>'
        f"{report.provenance_html(record).replace('<h2>Build provenance</h2>', '')}"
        f"<h2>Parameters of each analysis</h2><table><thead><tr><th>analysis</th>"
        f"<th>parameters</th></tr></thead><tbody>{rows}</tbody></table></section>")

    body, headings = number_headings(summary + "".join(chapters) + appendix)
    running = f"{p.variant.title} · edition {edition.date}"
    head = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(p.variant.title)}</title>"
            f"<style>{export.stylesheet()}\n{report.page_css(running)}</style></head>")
    return Parts(head, _cover(p, edition, period, version), body, headings)


def build_pdf(p, books: dict, edition, changes_md: str, browser) -> bytes:
    """Lay the briefing out twice: the second time the contents know their page numbers."""
    from rusturk import __version__
    from rusturk.pdf import finish, outline

    parts = document(p, books, edition, changes_md)
    laid_out = browser.pdf(parts.page())
    data = browser.pdf(parts.page(match_pages(parts.headings, outline(laid_out))))
    start, end = span(p)
    return finish(data, {
        "Title": p.variant.title, "Author": "rusturk analysis team",
        "Subject": f"Briefing: {p.variant.subtitle or p.variant.title} ({start} to {end})",
        "Keywords": "Russia; Turkey; Syria; Idlib; briefing",
        "Creator": f"rusturk {__version__}", "Producer": "rusturk with Chromium and pypdf"},
        edition.moment)


def page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
