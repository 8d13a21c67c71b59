"""The PDF word-box checker, on small PDFs drawn for it with words placed by hand."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
import vl_convert
from pdfwords import Word, available, cut_words, defects, overlaps, run_together, words

needs_poppler = pytest.mark.skipif(not available(), reason="pdftotext (poppler-utils) missing")


def _pdf(tmp_path, texts: list[tuple[str, float, float]]) -> str:
    """A PDF with each text drawn left-aligned at (x, y) pixels, 12 px DejaVu Sans."""
    frame = pd.DataFrame(texts, columns=["text", "x", "y"])
    chart = alt.Chart(alt.Data(values=frame.to_dict("records"))).mark_text(
        align="left", baseline="middle", fontSize=12, font="DejaVu Sans").encode(
        x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text="text:N").properties(
        width=400, height=200)
    path = tmp_path / "words.pdf"
    path.write_bytes(vl_convert.vegalite_to_pdf(chart.to_dict()))
    return str(path)


@needs_poppler
def test_clean_words_give_no_defect(tmp_path):
    pdf = _pdf(tmp_path, [("Idlib", 10, 20), ("Saraqib", 200, 20), ("−10", 10, 100),
                          ("−5", 60, 100), ("0", 110, 100), ("2016–2017", 10, 150)])
    assert {w.text for w in words(pdf)} >= {"Idlib", "Saraqib", "−10", "−5", "0"}
    assert defects(pdf) == []


@needs_poppler
def test_words_printed_over_words_are_found(tmp_path):
    # "Jisr al-Shughur" runs over "Ariha" as it did on the map.
    pdf = _pdf(tmp_path, [("Jisr al-Shughur", 10, 50), ("Ariha", 60, 52), ("Hama", 300, 150)])
    found = defects(pdf)
    assert len(found) == 1 and "'al-Shughur'" in found[0] and "'Ariha'" in found[0]


@needs_poppler
def test_numbers_run_together_are_found(tmp_path):
    pdf = _pdf(tmp_path, [("−10−9", 10, 50), ("Hama", 300, 150)])
    assert defects(pdf) == [next(d for d in defects(pdf) if "'−10−9'" in d)]


@needs_poppler
def test_a_word_cut_by_an_ellipsis_is_found(tmp_path):
    pdf = _pdf(tmp_path, [("Operation S…", 10, 50), ("kil...", 10, 120), ("wait …", 200, 120)])
    found = defects(pdf)
    assert len(found) == 2
    assert any("'S…'" in d for d in found) and any("'kil...'" in d for d in found)


def _w(text, x0, x1, line, y0=10.0, y1=20.0):
    return Word(1, line, text, x0, y0, x1, y1)


def test_touching_numbers_in_two_boxes_run_together():
    assert run_together([_w("−10", 0, 14, 1), _w("−9", 14.3, 22, 2)])
    assert not run_together([_w("−10", 0, 14, 1), _w("−9", 20, 28, 2)])
    assert not run_together([_w("−10", 0, 14, 1), _w("−9", 14.3, 22, 2, y0=40, y1=50)])


def test_overlap_ignores_slivers_and_words_of_one_line():
    assert not overlaps([_w("a", 0, 10, 1), _w("b", 9.5, 20, 2)])
    assert not overlaps([_w("a", 0, 10, 1), _w("b", 5, 20, 1)])
    assert overlaps([_w("a", 0, 10, 1), _w("b", 5, 20, 2)])


def test_ellipsis_alone_is_not_a_cut_word():
    assert not cut_words([_w("…", 0, 5, 1), _w("to", 6, 12, 1)])
    assert cut_words([_w("un…", 0, 5, 1)])
