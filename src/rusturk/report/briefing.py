"""The stakeholder briefing: bottom line, key judgements, what it cost, a map, what to watch.

Short and typeset for paper. It is composed from the analysis layer directly, not from the
notebooks: every sentence is an analysts' text checked against its conditions or a computed
finding, and every number comes from the edition's stated quantities. Everything else (the
chronology, the method, every source, provenance) is in the annex.
"""

from __future__ import annotations

import re
from concurrent.futures import Future
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from rusturk.analysis import eventset, findings
from rusturk.analysis.window import Window
from rusturk.common import templating
from rusturk.common.text import day, plural
from rusturk.notebook import charts, sections
from rusturk.report import annex, export
from rusturk.report.annex import span, window
from rusturk.report.plan import Edition, Plan, period_label

# A window of this many days or fewer is a short edition: weekly, not monthly, counts.
SHORT_WINDOW_DAYS = 70


@dataclass
class Note:
    """A numbered source note: one source the briefing cites."""

    number: int
    text: str


class Notes:
    """Source notes in order of first citation; each source is numbered once."""

    def __init__(self, sources: pd.DataFrame, end: pd.Timestamp) -> None:
        self.info = sources.set_index("source_id")
        self.end = end
        self.numbers: dict[str, int] = {}

    def cite(self, ids: list[str] | tuple[str, ...]) -> list[int]:
        """The note numbers of the sources; a source published after the edition is not
        cited (an edition knows nothing after its end date)."""
        out = []
        for sid in ids:
            if sid not in self.info.index:
                continue
            published = self.info.loc[sid, "publication_date"]
            if pd.notna(published) and published > self.end:
                continue
            if sid not in self.numbers:
                self.numbers[sid] = len(self.numbers) + 1
            out.append(self.numbers[sid])
        return sorted(set(out))

    def listed(self) -> list[Note]:
        notes = []
        for sid, n in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            s = self.info.loc[sid]
            published = (f", {day(s['publication_date'])}"
                         if pd.notna(s["publication_date"]) else "")
            publisher = str(s["publisher"]).split(" (via ")[0]
            # A range of numbers in a title is typeset with an en dash, as in the text.
            title = re.sub(r"(?<=\d)-(?=\d)", "\u2013", str(s["title"]))
            notes.append(Note(n, f"{publisher}, \u201c{title}\u201d{published}."))
        return notes


def _svg(chart, prefix: str) -> Markup | None:
    if chart is None:
        return None
    return Markup(export.to_svg(chart.to_dict(), prefix))


def casualty_rows(w: Window) -> tuple[list[dict], dict]:
    """The incidents of the window, one row each: the casualty table."""
    f = findings.idlib_figures(w)
    rows = [{"date": day(r.date_best), "incident": r.title,
             "headline": "" if pd.isna(r.headline) else f"{r.headline:,.0f}",
             "range": f"{r.low:,} to {r.high:,}" if r.low != r.high else f"{r.low:,}",
             "sources": f"{int(r.sources):,}"} for r in f["incidents"].itertuples()]
    return rows, f


def relationship_chart(w: Window, include_syria: bool):
    """Events per month by kind, for a window long enough to hold several months; a short
    edition keeps to its casualty chart and its map."""
    if (w.end - w.start).days + 1 <= SHORT_WINDOW_DAYS:
        return None
    return sections.monthly_chart(w, include_syria)


def document(p: Plan, edition: Edition) -> str:
    """The briefing as one HTML page for Chromium to print."""
    return templating.render(export.PAGES, "briefing.html.j2", **context(p, edition))


def context(p: Plan, edition: Edition) -> dict:
    """Everything the briefing shows, for its template."""
    first = p.jobs[0]
    start, end = span(p)
    w = window(first.data_dir, start, end)
    include_syria = bool(first.params.get("include_syria", True))
    words = annex.words(p)
    notes = Notes(w.ds.sources, w.end)
    numbered = {j.id: i for i, j in enumerate(words.judgements, 1)}
    bottom = None
    if words.bottom_line is not None:
        bottom = {"text": words.bottom_line.text,
                  "notes": notes.cite(words.bottom_line.sources)}
    kjs = [{"n": numbered[j.id], "confidence": j.confidence, "text": j.text,
            "notes": notes.cite(j.sources)} for j in words.judgements]
    background = [{"heading": b.heading, "text": b.text, "notes": notes.cite(b.sources)}
                  for b in words.background]
    watch = [{"text": x.text, "signpost": x.signpost,
              "bears_on": [numbered[j] for j in x.bears_on if j in numbered],
              "notes": notes.cite(x.sources)} for x in words.watch]
    empty = w.empty
    rows, f = casualty_rows(w) if not empty else ([], {})
    placed = None if empty else sections.placed_events(w)
    in_frame = None if placed is None or placed.empty else placed[sections._in_frame(placed)]
    figures = []
    if rows:
        figures.append({"svg": _svg(charts.cumulative_chart(f["cumulative"],
                                                            sections.tally_points(w)), "bc-"),
                        "caption": "Turkish military deaths: the running total of the "
                                   "incidents' headline readings, and the tallies the sources "
                                   "themselves reported."})
    if in_frame is not None and len(in_frame):
        figures.append({"svg": _svg(charts.event_map(in_frame), "bm-"), "map": True,
                        "caption": f"North-west Syria: where the {plural(len(in_frame), 'event')}"
                                   f" of {w.label} that name a place happened. Highways are "
                                   "drawn schematically."})
    relationship = None if empty else relationship_chart(w, include_syria)
    if relationship is not None:
        analysed = len(eventset.analysed(w.events, include_syria))
        figures.append({"svg": _svg(relationship, "br-"),
                        "caption": f"The relationship in {w.label}: the "
                                   f"{plural(analysed, 'state act')} between Turkey and the "
                                   "Russian side, by kind."})
    running = f"Briefing \u00b7 edition of {edition.date}"
    return dict(
        title=p.variant.title, subtitle=p.variant.subtitle,
        period=period_label({"start_date": start, "end_date": end}), edition=edition,
        css=Markup(export.stylesheet()),
        page_css=Markup(export.page_css(running, p.variant.title)),
        empty=empty, empty_message=w.empty_message() if empty else "",
        bottom_line=bottom, judgements=kjs, scale=words.scale, background=background,
        watch=watch, casualties=rows, cost=[] if empty else findings.cost_findings(w, f),
        figures=figures, notes=notes.listed(), withheld=len(words.withheld),
        stated=[] if empty else annex.stated_rows(w, words))


def build_pdf(p: Plan, edition: Edition, printer) -> Future[bytes]:
    """The briefing, laid out once (it has no contents page to number), queued on the
    printer: the page is made here, the finished PDF comes back as a future."""
    from rusturk.report.pdf import finish

    metadata = annex.metadata(p, "Briefing")
    return printer.pdf(document(p, edition),
                       then=lambda data: finish(data, metadata, edition.moment))


page_count = annex.page_count
