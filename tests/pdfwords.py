"""Print defects read from a PDF's word boxes (poppler's `pdftotext -bbox-layout`).

Three defects, each a list of one-line findings:
- overlaps: two words of different lines whose boxes intersect by 1 pt or more both ways;
- run-together numbers: "−10−9" inside one word, or a number and a signed number in two
  boxes that touch on the same line ("−10" "−9" with no gap);
- cut words: a word glued to an ellipsis ("S…", "kil…", "kil...").
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

NS = "{http://www.w3.org/1999/xhtml}"
MIN_OVERLAP = 1.0  # points: smaller overlaps are anti-aliasing and rounding, not collisions
TOUCH = 1.0  # points: boxes closer than this read as one word
RUN_TOGETHER = re.compile(r"\d[−-]\d")
SIGNED_START = re.compile(r"^[−-]\d")
CUT = re.compile(r"\w(…|\.\.\.)|(…|\.\.\.)\w")


@dataclass(frozen=True)
class Word:
    page: int
    line: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def __str__(self) -> str:
        return f"{self.text!r} at ({self.x0:.0f}, {self.y0:.0f}) on page {self.page}"


def available() -> bool:
    return shutil.which("pdftotext") is not None


def words(pdf: Path | str) -> list[Word]:
    """Every word of the PDF with its page, its line (numbered across the document) and its
    box in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    root = ET.fromstring(out)
    found, line_no = [], 0
    for page_no, page in enumerate(root.iter(f"{NS}page"), start=1):
        for line in page.iter(f"{NS}line"):
            line_no += 1
            for w in line.iter(f"{NS}word"):
                found.append(Word(page_no, line_no, w.text or "", *(
                    float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
    return found


def overlaps(found: list[Word]) -> list[str]:
    problems = []
    by_page: dict[int, list[Word]] = {}
    for w in found:
        by_page.setdefault(w.page, []).append(w)
    for page in by_page.values():
        for i, a in enumerate(page):
            for b in page[i + 1:]:
                if a.line == b.line:
                    continue
                dx = min(a.x1, b.x1) - max(a.x0, b.x0)
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dx >= MIN_OVERLAP and dy >= MIN_OVERLAP:
                    problems.append(f"overlap: {a} and {b}")
    return problems


def _same_row(a: Word, b: Word) -> bool:
    return min(a.y1, b.y1) - max(a.y0, b.y0) >= 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def run_together(found: list[Word]) -> list[str]:
    problems = [f"numbers run together: {w}" for w in found if RUN_TOGETHER.search(w.text)]
    for a in found:
        if not a.text or not a.text[-1].isdigit():
            continue
        for b in found:
            if (b is not a and b.page == a.page and SIGNED_START.match(b.text)
                    and _same_row(a, b) and -TOUCH <= b.x0 - a.x1 < TOUCH):
                problems.append(f"numbers run together: {a} and {b}")
    return problems


def cut_words(found: list[Word]) -> list[str]:
    return [f"cut short: {w}" for w in found if CUT.search(w.text)]


def defects(pdf: Path | str) -> list[str]:
    """Every print defect of the PDF, one line each; empty when it prints cleanly."""
    found = words(pdf)
    return overlaps(found) + run_together(found) + cut_words(found)
