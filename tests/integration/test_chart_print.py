"""Every chart, drawn to PDF for one month and for the whole study on the bundled data,
prints without words over words, numbers run together or words cut by an ellipsis; a
one-month time axis is ticked in days or weeks, never one month label over and over."""

from __future__ import annotations

import re

import pytest
import vl_convert
from pdfwords import available, defects, words

from rusturk.analysis import cost
from rusturk.analysis.window import Window
from rusturk.notebook import charts, sections

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not available(), reason="pdftotext (poppler-utils) missing")]

WINDOWS = {"february-2020": ("2020-02-01", "2020-02-29"),
           "full": ("2015-11-01", "2020-03-31")}
MONTH_LABEL = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$")


def _tallies(w: Window):
    t = cost.running_tallies(w.figures, w.ds.events)
    return t.join(w.ds.sources.set_index("source_id")["publisher"], on="source_id").assign(
        value=t["low"])


def _charts(w: Window) -> dict:
    casualty = sections.casualty_section(w)
    displacement = sections.displacement_section(w)
    found = {
        "timeline": sections.timeline_chart(w),
        "monthly": sections.monthly_chart(w),
        "index": sections.index_chart(w, 90, True),
        "phase means": sections.phase_means(w),
        "change points": sections.change_points_section(w, True)[0],
        "casualties": casualty[1] if len(casualty) > 1 else None,
        "cumulative": charts.cumulative_chart(sections.findings.idlib_figures(w)["cumulative"],
                                              _tallies(w)),
        "displacement": None if isinstance(displacement[0], str) else displacement[0],
        "map": sections.map_chart(w),
    }
    return {name: chart for name, chart in found.items() if chart is not None}


@pytest.fixture(scope="module", params=list(WINDOWS))
def printed(request, tmp_path_factory):
    w = Window.load("data", *WINDOWS[request.param])
    folder = tmp_path_factory.mktemp(request.param)
    out = {}
    for name, chart in _charts(w).items():
        path = folder / f"{name.replace(' ', '-')}.pdf"
        path.write_bytes(vl_convert.vegalite_to_pdf(chart.to_dict()))
        out[name] = path
    return request.param, out


def test_every_chart_is_drawn(printed):
    _, pdfs = printed
    assert {"timeline", "monthly", "casualties", "cumulative", "map"} <= set(pdfs)


def test_charts_print_without_defects(printed):
    window, pdfs = printed
    found = {name: defects(pdf) for name, pdf in pdfs.items()}
    assert {name: d for name, d in found.items() if d} == {}, window


def _axis_labels(row: list) -> list[str]:
    """The date labels of one printed row, a month name joined to the day before it and the
    year after it ("2 Feb 2020", "Feb 2020", "9 Feb")."""
    texts = [w.text for w in sorted(row, key=lambda w: w.x0)]
    labels = []
    for i, t in enumerate(texts):
        if MONTH_LABEL.match(t):
            day = texts[i - 1] if i and texts[i - 1].isdigit() and len(texts[i - 1]) <= 2 else ""
            year = texts[i + 1] if i + 1 < len(texts) and re.fullmatch(r"\d{4}", texts[i + 1]) \
                else ""
            labels.append(" ".join(p for p in (day, t, year) if p))
    return labels


def test_no_label_repeats_along_a_time_axis(printed):
    _, pdfs = printed
    for name in ("timeline", "index", "monthly", "cumulative", "displacement"):
        if name not in pdfs:
            continue
        rows: dict[int, list] = {}
        for w in words(pdfs[name]):
            rows.setdefault(round(w.y0), []).append(w)
        for row in rows.values():
            labels = _axis_labels(row)
            assert len(labels) == len(set(labels)), (name, labels)


def test_a_month_is_ticked_in_days_or_weeks(printed):
    window, pdfs = printed
    if window != "february-2020":
        pytest.skip("one-month window only")
    texts = [w.text for w in words(pdfs["timeline"])]
    days = [t for t in texts if re.fullmatch(r"\d{1,2}", t) and 1 <= int(t) <= 29]
    assert 4 <= len(days) <= 10, texts
    assert texts.count("Feb") == len(days), texts
