"""The phases notebook's event-stream section: a GDELT or ICEWS stream against the curated phases.

The stream is aggregated to months before anything is charted, so what a report holds grows
with the number of months, never with the number of events. A stream of any length gives its
figures; the change points are sought only in a stream long enough to hold them (see
`min_periods`), and the summary says why when none were sought.
"""

from __future__ import annotations

import string
import unicodedata

import altair as alt
import pandas as pd

from rusturk.analysis import periodisation
from rusturk.analysis.eventset import RUSSIA, russian_side
from rusturk.analysis.findings import candidates
from rusturk.analysis.window import Window
from rusturk.common.text import LONG_DATE_STYLE, plural, verb
from rusturk.notebook import charts
from rusturk.notebook.sections import breaks_table
from rusturk.streams import reader as stream
from rusturk.streams.sql import LAYOUTS, Options

NOTEBOOK_FORMATS = ("gdelt", "icews", "aggregate")
# A break test needs a segment of the shortest length the method accepts for every phase.
PERIODS_PER_PHASE = periodisation.MIN_SEGMENT_MONTHS
WITHIN_DAYS = periodisation.TOLERANCE_DAYS
NAMED_FILES = 5  # skipped files named one by one in the summary; beyond, counted by reason

HOW_TO = """**No event stream given.** Set the parameter `event_stream_path` to set a machine-coded
event stream against the curated phases. Three ways to get one:

- **GDELT 2.0 raw files.** The 15-minute event exports (`YYYYMMDDHHMMSS.export.CSV.zip`) are
  listed in `http://data.gdeltproject.org/gdeltv2/masterfilelist.txt`; download the ones for
  the window and pass a glob, e.g. `event_stream_path="/data/gdelt/2019*.export.CSV.zip"`
  with `event_stream_format="gdelt"`.
- **GDELT on BigQuery.** Run the query shipped as `{sql}` on the public table
  `gdelt-bq.gdeltv2.events` (for months: `rusturk stream --bigquery-sql --freq M --with SYR
  --start 2015-11-24 --end 2020-03-31`), save the result as CSV and pass it with
  `event_stream_format="aggregate"`.
- **ICEWS.** The yearly event files of the ICEWS Coded Event Data on Harvard Dataverse
  (doi:10.7910/DVN/28075), with `event_stream_format="icews"`.

On the command line, `rusturk stream FILES --format gdelt --freq M --with SYR --out
stream.csv` writes the same monthly aggregate; see the README, *Event streams*."""

CAVEAT = ("**Caveat.** GDELT and ICEWS are coded by machine from news text: event counts follow "
          "news volume and many single codings are wrong, so the index here is the mean "
          "Goldstein score per month, not a sum. The stream and the curated events are "
          "independent instruments; a break found in both is corroboration, a break found in "
          "one only is a lead to check, not a verdict.")

SYNTHETIC = ("**Synthetic test data.** Every line of the stream read here carries the mark of "
             "the project's test-data generator: it describes no real events, and nothing in "
             "this section is a finding.")


HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def esc(text: object) -> str:
    r"""Data text (a file name, a reason) shown as text in Markdown output, never as markup:
    `&`, `<` and `>` become HTML entities, every other ASCII punctuation character is
    backslash-escaped (no emphasis, code, link, image, autolink or math can start), and
    control, format and line-breaking characters are written out as escape codes, so the
    text stays on its line.

    Examples:
        >>> print(esc("[x](javascript:alert(1)).csv"))
        \[x\]\(javascript\:alert\(1\)\)\.csv
        >>> print(esc("<b>*a*</b> & b_c"))
        &lt;b&gt;\*a\*&lt;\/b&gt; &amp; b\_c
        >>> print(esc("a\nb"))
        a\\x0ab
    """
    out = []
    for ch in str(text):
        if ch in HTML_ENTITIES:
            out.append(HTML_ENTITIES[ch])
        elif ch in string.punctuation:
            out.append("\\" + ch)
        elif ch != " " and unicodedata.category(ch)[0] in "CZ":
            code = ord(ch)
            out.append("\\\\" + (f"x{code:02x}" if code < 0x100 else
                                 f"u{code:04x}" if code < 0x10000 else f"U{code:08x}"))
        else:
            out.append(ch)
    return "".join(out)


def min_periods(boundaries: int) -> int:
    """Periods of the stream a break test needs: the shortest segment the method accepts
    (three periods) per curated phase (6 months for one boundary, 18 for five).

    Examples:
        >>> min_periods(1), min_periods(5)
        (6, 18)
    """
    return PERIODS_PER_PHASE * (boundaries + 1)


def _load(w: Window, path: str, fmt: str, include_syria: bool
          ) -> tuple[pd.DataFrame, stream.StreamResult | None, bool]:
    """The monthly table for the window, the full result where raw files were read, and
    whether the inputs are synthetic."""
    if fmt not in NOTEBOOK_FORMATS:
        raise ValueError(f"event_stream_format must be one of {', '.join(NOTEBOOK_FORMATS)}, "
                         f"got {fmt!r}")
    if fmt == "aggregate":
        table = stream.read_aggregate(path)
        # Keep the period that holds the window's first day, as the raw-file route does.
        monthly = bool(table["period_start"].dt.day.eq(1).all())
        first = (w.start.to_period("M").start_time if monthly
                 else w.start - pd.Timedelta(days=w.start.weekday()))
        inside = table["period_start"].between(first, w.end)
        synthetic = stream.aggregate_is_synthetic(path)
        return table[inside].reset_index(drop=True), None, synthetic
    third = tuple(s for s in russian_side(include_syria) if s != RUSSIA)
    options = Options(freq="M", with_=third, start=w.start.date(), end=w.end.date())
    result = stream.aggregate([path], fmt, options)
    return result.table, result, result.synthetic


def _no_test_reason(periods: int, period: str, boundaries: int) -> str:
    """Why no change points were sought; empty when they were."""
    if not boundaries:
        return ("No break test was run: the window holds a single curated phase, so there is "
                "no boundary to set a detected break against.")
    needed = min_periods(boundaries)
    if periods >= needed:
        return ""
    held = (f"the stream has no {period} with events in the window" if not periods else
            f"the stream covers only {plural(periods, period)} in the window")
    return (f"No break test was run: {held}, and setting detected breaks against "
            f"{plural(boundaries, 'curated boundary', 'curated boundaries')} takes at least "
            f"{plural(needed, period)} ({PERIODS_PER_PHASE} per phase).")


def stream_figures(w: Window, path: str, fmt: str, include_syria: bool) -> dict:
    """Counts and means of the stream over the window, and its change points set against
    the curated boundaries by the method of the curated periodisation check
    (`periodisation.breaks`), when the stream holds at least `min_periods` periods."""
    table, result, synthetic = _load(w, path, fmt, include_syria)
    events = int(table["events"].sum())
    series = table.set_index("period_start")["goldstein_mean"].dropna()
    period = "month" if table["period_start"].dt.day.eq(1).all() else "week"
    curated = candidates(w, ())  # the starts of the window's phases after the first
    curated = curated[curated["date"].isin(w.phases["start"].iloc[1:])].reset_index(drop=True)
    no_test = _no_test_reason(len(series), period, len(curated))
    found = periodisation.breaks(series.iloc[:0 if no_test else None].to_frame())
    detected = list(found["month"])
    comparison = periodisation.compare(curated.iloc[:0] if no_test else curated,
                                       found["month"])
    return {
        "label": "aggregate" if fmt == "aggregate" else LAYOUTS[fmt].label,
        "sides": ", ".join(russian_side(include_syria)),
        "events": events,
        "months": len(series),
        "period": period,
        "files": len(result.files) if result else 1,
        "skipped_lines": result.skipped_lines if result else 0,
        "reasons": result.reasons() if result else {},
        "skipped_files": len(result.skipped_files) if result else 0,
        "skipped_file_list": sorted(result.skipped_files) if result else [],
        "skipped_file_reasons": result.file_reasons() if result else {},
        "mean_goldstein": float((table["goldstein_mean"] * table["events"]).sum() / events)
        if events else None,
        "material_conflict_share": float(table["quad4"].sum() / events) if events else None,
        "boundaries": len(curated),
        "min_periods": min_periods(len(curated)),
        "break_test": not no_test,
        "no_test_reason": no_test,
        "matched": None if no_test else int(comparison["matched"].sum()),
        "synthetic": synthetic,
        "table": table,
        "detected": detected,
        "comparison": comparison,
    }


def _skipped_files_text(f: dict) -> str:
    """The skipped files, each named with its reason; past NAMED_FILES, counted by reason."""
    if len(f["skipped_file_list"]) <= NAMED_FILES:
        return "; ".join(f"{esc(s.file)}: {esc(s.reason)}" for s in f["skipped_file_list"])
    return "; ".join(f"{esc(r)}: {n:,}" for r, n in f["skipped_file_reasons"].items())


def stream_summary(f: dict, w: Window) -> str:
    events, period = f["events"], f["period"]
    source = (f", read from {plural(f['files'], 'file')}" if f["files"] else
              "; no input file could be read")
    held = (f"**{plural(events, 'event')}** between Turkey and the Russian side ({f['sides']}) "
            f"over {plural(f['months'], period)}" if events else
            f"**no events** between Turkey and the Russian side ({f['sides']}) in the window")
    text = [f"**Event stream, {w.label}.** The {esc(f['label'])} stream holds {held}{source}."]
    skipped = []  # (count, what, details)
    if f["skipped_lines"]:
        reasons = "; ".join(f"{n:,} {esc(r)}" for r, n in f["reasons"].items())
        skipped.append((f["skipped_lines"], plural(f["skipped_lines"], "malformed line"),
                        reasons))
    if f["skipped_files"]:
        skipped.append((f["skipped_files"], plural(f["skipped_files"], "input file"),
                        _skipped_files_text(f)))
    if skipped:
        parts = [(what, f" ({details})" if details else "") for _, what, details in skipped]
        (what, details), rest = parts[0], parts[1:]
        text.append(f" {what} {verb(skipped[0][0], 'was', 'were')} skipped{details}"
                    + "".join(f", and {more}{why}" for more, why in rest) + ".")
    if events:
        text.append(f" Their mean Goldstein score is **{f['mean_goldstein']:+.2f}** and "
                    f"**{f['material_conflict_share']:.0%}** are material conflict.")
    method = (f" Change-point detection on the stream's {period}ly mean Goldstein score "
              f"(binary segmentation, each break kept by a permutation test at "
              f"p < {periodisation.ALPHA:.0%})")
    if f["break_test"] and not f["detected"]:
        text.append(f"{method} finds no break that beats noise, so no curated boundary lies "
                    f"within {WITHIN_DAYS} days of one.")
    elif f["break_test"] and f["boundaries"] == 1:
        text.append(f"{method} places the one curated boundary "
                    + (f"**within {WITHIN_DAYS} days** of a detected break." if
                       f["matched"] else
                       f"**more than {WITHIN_DAYS} days** from the nearest detected break."))
    elif f["break_test"]:
        text.append(f"{method} places **{f['matched']} of the {f['boundaries']}** curated "
                    f"boundaries within {WITHIN_DAYS} days of a detected break.")
    else:
        text.append(f" {f['no_test_reason']}")
    summary = "".join(text)
    return f"{SYNTHETIC}\n\n{summary}" if f["synthetic"] else summary


def stream_chart(f: dict, w: Window) -> alt.LayerChart:
    """The stream's monthly mean Goldstein score over the curated phase bands, with the
    change points detected on it as dashed rules."""
    data = charts._records(f["table"][["period_start", "events", "goldstein_mean",
                                       "material_conflict_share"]])
    line = alt.Chart(data).mark_line(point=True, color=charts.OKABE_ITO[0]).encode(
        x=alt.X("period_start:T", title=f["period"].capitalize()),
        y=alt.Y("goldstein_mean:Q", title="Mean Goldstein score of the stream's events",
                scale=alt.Scale(domain=[-10, 10])),
        tooltip=[alt.Tooltip("period_start:T", title=f"{f['period']} from", format=LONG_DATE_STYLE),
                 alt.Tooltip("events:Q", format=","),
                 alt.Tooltip("goldstein_mean:Q", title="mean Goldstein", format="+.2f"),
                 alt.Tooltip("material_conflict_share:Q", title="material conflict",
                             format=".0%")])
    detected = pd.DataFrame({"date": pd.to_datetime(pd.Series(f["detected"], dtype=object))})
    breaks = alt.Chart(charts._records(detected)).mark_rule(
        color=charts.OKABE_ITO[3], strokeDash=[5, 3], strokeWidth=2).encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", title="detected break")])
    prefix = "Synthetic test data: " if f["synthetic"] else ""
    breaks_note = (f"with {plural(len(f['detected']), 'change point')} detected by binary "
                   "segmentation and a permutation test" if f["break_test"] else
                   "with no break test (the stream is too short for one)" if f["boundaries"]
                   else "with no break test (a single curated phase)")
    return alt.layer(charts.phase_bands(w.phases), line, breaks).properties(
        width=charts.WIDTH, height=260,
        title=f"{prefix}{f['label']} event stream over the curated phases"
              + (" (dashed: detected breaks)" if f["break_test"] else ""),
        description=f"{prefix}Mean Goldstein score per {f['period']} of "
                    f"{plural(f['events'], f['label'] + ' event')} between Turkey and "
                    f"{f['sides']} over {plural(f['months'], f['period'])}, on the curated "
                    f"phase bands, {breaks_note}.")


def phases_section(w: Window, event_stream_path: str, event_stream_format: str,
                   include_syria: bool) -> tuple:
    """What the notebook shows: how to get a stream when none is given; else its summary,
    chart, breaks table (when the stream is long enough for a break test) and caveat; the
    summary alone for a stream without events in the window. Nothing for an empty window."""
    if not event_stream_path.strip():
        return (HOW_TO.format(sql="src/rusturk/streams/sql/gdelt_bigquery.sql"),)
    if w.empty:
        return (None,)
    f = stream_figures(w, event_stream_path, event_stream_format, include_syria)
    if not f["events"]:
        return (stream_summary(f, w),)
    items: list[object] = [stream_summary(f, w), stream_chart(f, w)]
    if f["break_test"]:
        items.append(breaks_table(f["comparison"]))
    items.append(CAVEAT)
    return tuple(items)
