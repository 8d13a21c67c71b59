"""The stakeholder briefing as a reader gets it: short, printed cleanly, nothing for analysts,
no hindsight, a window's own title; built from the real editions of reports.yaml and a
custom window, into temporary folders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from checkout import REPO_ROOT
from conftest import made_once
from pdfwords import available, defects
from pypdf import PdfReader

from rusturk.report.pdf import find_chromium

pytestmark = pytest.mark.slow
if find_chromium() is None:  # pragma: no cover - `make test` installs Chromium first
    pytest.skip("no Chromium: the briefing is printed by it", allow_module_level=True)

EPOCH = "1583366400"
LIMITS = {"full": 12, "idlib-feb-2020": 6, "custom": 12}
# What a stakeholder's PDF never holds: ids, hashes, file names, codes, software words.
FOR_ANALYSTS = {
    "a record id": r"\b[a-z]+(?:-[a-z0-9]+){2,}\b",
    "a snake_case name": r"\b[a-z]+_[a-z0-9_]+\b",
    "a hash": r"\b[0-9a-f]{12,64}\b",
    "a file name": r"\b[\w-]+\.(?:csv|ya?ml|ipynb|py|json|sql)\b",
    "an actor code": r"\b(?:IND|RUS|TUR|SYR|SYR_OPP|SYR_KRD|ISIL)\b",
    "a coding word": r"\b(?:CAMEO|QuadClass|Goldstein)\b",
    "a software word": r"\b(?:rusturk|papermill|pandas|Python|notebook|JSON|SHA-?256|commit|"
                       r"shipped with the package)\b",
}


def _text(pdf: Path) -> str:
    pages = [unicodedata.normalize("NFKC", p.extract_text() or "")
             for p in PdfReader(pdf).pages]
    return " ".join(" ".join(pages).split())


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    out = made_once(tmp_path_factory, "editions", build_editions)
    folders = {"full": "full", "idlib-feb-2020": "idlib-feb-2020",
               "custom": "custom-2016-06-27-to-2016-12-31"}
    return {name: out / folders[name] / "briefing.pdf" for name in LIMITS}


def build_editions(out: Path) -> None:
    env = os.environ | {"SOURCE_DATE_EPOCH": EPOCH}
    run = [sys.executable, "-m", "rusturk", "build", "--out", str(out)]
    subprocess.run(run, check=True, capture_output=True, env=env, cwd=REPO_ROOT)
    custom = out / "custom.yaml"
    custom.write_text("reports:\n  - name: custom\n    title: Custom report\n"
                      "    notebooks: [01_overview]\n    parameters: {}\n", encoding="utf-8")
    # A window set on the command line makes a report of its own, named and titled by it.
    subprocess.run([*run, "--variants", str(custom), "-p", "start_date=2016-06-27",
                    "-p", "end_date=2016-12-31"], check=True, capture_output=True,
                   env=env, cwd=REPO_ROOT)


@pytest.mark.parametrize("name", list(LIMITS))
def test_each_edition_is_within_its_page_limit(editions, name):
    pages = len(PdfReader(editions[name]).pages)
    assert pages <= LIMITS[name], f"{name}: {pages} pages"


@pytest.mark.parametrize("name", list(LIMITS))
def test_the_briefing_holds_nothing_meant_for_analysts(editions, name):
    text = _text(editions[name])
    for what, pattern in FOR_ANALYSTS.items():
        found = re.findall(pattern, text)
        assert not found, f"{name}: {what}: {found[:5]}"


@pytest.mark.parametrize("name", list(LIMITS))
@pytest.mark.skipif(not available(), reason="pdftotext (poppler-utils) missing")
def test_the_briefing_prints_without_collisions_or_cut_words(editions, name):
    found = defects(editions[name])
    assert not found, f"{name}: {found[:5]}"


def test_a_one_month_edition_knows_nothing_after_its_month(editions):
    folder = editions["idlib-feb-2020"].parent
    for pdf in (folder / "briefing.pdf", folder / "annex.pdf"):
        # The edition's own date (the day it was built, fixed by SOURCE_DATE_EPOCH) is not
        # knowledge of the period; everything else is.
        text = _text(pdf).replace("5 Mar 2020", "")
        for later in ("Spring Shield", "Moscow protocol", "joint patrol", "Mar 2020",
                      "Apr 2020", "Jun 2020", "March 2020", "June 2020"):
            assert later not in text, f"{pdf.name} knows '{later}' in a February edition"


def test_the_briefing_opens_with_the_bottom_line_and_the_judgements(editions):
    first = unicodedata.normalize("NFKC", PdfReader(editions["full"]).pages[0].extract_text())
    assert "Bottom line" in first and "Key judgements" in first
    assert re.search(r"(High|Moderate|Low) confidence\.", first)
    text = _text(editions["full"])
    for part in ("What it cost", "What to watch", "signpost", "Source notes",
                 "North-west Syria"):
        assert part in text


def test_a_custom_window_is_titled_by_its_window_and_keeps_phase_numbers(editions):
    text = _text(editions["custom"])
    assert "Russia–Turkey relations, 27 Jun 2016 to 31 Dec 2016" in text
    assert "November 2015 to March 2020" not in text and "Custom report" not in text


def test_a_window_without_events_ends_cleanly(tmp_path):
    variants = tmp_path / "empty.yaml"
    variants.write_text("reports:\n  - name: empty\n    title: An empty week\n"
                        "    notebooks: [01_overview]\n    parameters:\n"
                        "      start_date: '2015-11-30'\n      end_date: '2015-11-30'\n",
                        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "rusturk", "build", "--out",
                             str(tmp_path / "out"), "--variants", str(variants)],
                            capture_output=True, text=True, cwd=REPO_ROOT)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert "No events" in _text(tmp_path / "out" / "empty" / "briefing.pdf")
    else:
        assert len(result.stderr.strip().splitlines()) == 1
