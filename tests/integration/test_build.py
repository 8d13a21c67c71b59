"""`rusturk build` end to end, into temporary folders: HTML offline, PDFs, safety, determinism."""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest
from checkout import REPO_ROOT
from conftest import made_once
from pypdf import PdfReader

from rusturk.report.pdf import CHROMIUM_ARGS, find_chromium

VEGA_LITE = "application/vnd.vegalite.v5+json"
EPOCH = "1583366400"  # 5 March 2020, the Moscow protocol: any fixed value will do
# Text that only code cells hold; none of it may reach a stakeholder's PDF.
CODE_TEXT = ("import rusturk", "rn.show", "Window.load", "start_date: str", "In [")

if find_chromium() is None:  # pragma: no cover - the Makefile installs Debian's chromium
    if os.environ.get("RUSTURK_REQUIRE_CHROMIUM"):  # `make test` and CI: missing is a failure
        pytest.fail("no Chromium found: run `make chromium` (apt-get install chromium)",
                    pytrace=False)
    pytest.skip("no Chromium found: the build tests print PDFs (run `make chromium`)",
                allow_module_level=True)

VARIANTS = """\
reports:
  - name: test
    title: "Test edition: the Idlib winter"
    subtitle: "Built by the test suite"
    notebooks: [01_overview, 03_idlib]
    parameters:
      start_date: "2019-12-01"
"""


# For the tests of the build's machinery (skipping, failing disks), where one notebook
# exercises everything two would.
ONE_NOTEBOOK = VARIANTS.replace("[01_overview, 03_idlib]", "[01_overview]")


@pytest.fixture(scope="module")
def one_notebook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("one") / "reports.yaml"
    path.write_text(ONE_NOTEBOOK, encoding="utf-8")
    return path


def rusturk(*args: str, env: dict | None = None, check: bool = True
            ) -> subprocess.CompletedProcess:
    environment = os.environ | {"SOURCE_DATE_EPOCH": EPOCH} | (env or {})
    result = subprocess.run([sys.executable, "-m", "rusturk", *args], capture_output=True,
                            text=True, env=environment, check=False)
    if check and result.returncode:
        raise AssertionError(f"rusturk {' '.join(args)} failed:\n{result.stderr}")
    return result


def build(out: Path, variants: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return rusturk("build", "--out", str(out), "--variants", str(variants), *extra, **kwargs)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".build.lock"}


def pdf_text(path: Path) -> tuple[str, ...]:
    """Each page's text, extracted once per file version: pypdf takes seconds on the annex,
    which several tests read."""
    info = path.stat()
    return _pdf_text(path, info.st_mtime_ns, info.st_size)


@functools.cache
def _pdf_text(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    reader = PdfReader(path)
    # NFKC folds the ligatures (fi, fl) that Chromium's fonts emit into plain letters.
    return tuple(unicodedata.normalize("NFKC", page.extract_text() or "")
                 for page in reader.pages)


def squeeze(text: str) -> str:
    """Text without whitespace: table cells wrap long strings across lines in a PDF."""
    return "".join(text.split())


def embedded(font) -> bool:
    """A font's program is inside the PDF (for composite fonts, in the descendant)."""
    font = font.get_object()
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def charts_in(book_path: Path) -> int:
    book = nbformat.read(book_path, as_version=4)
    return sum(VEGA_LITE in o.get("data", {}) for c in book.cells for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("variants") / "reports.yaml"
    path.write_text(VARIANTS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory, variants) -> Path:
    return made_once(tmp_path_factory, "built", lambda out: build(out, variants)) / "test"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def test_every_output_is_written(built):
    names = {p.name for p in built.iterdir()}
    for notebook in ("01_overview", "03_idlib"):
        assert {f"{notebook}.ipynb", f"{notebook}.html", f"{notebook}.pdf"} <= names
    assert {"briefing.pdf", "annex.pdf", "manifest.json"} <= names
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == names - {"manifest.json"}
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("notebook", ["01_overview", "03_idlib"])
def test_html_draws_every_chart_offline(built, browser, notebook):
    html = (built / f"{notebook}.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 1.5 * 1024 * 1024
    assert html.count("window.vegaEmbed=") == 1, "Vega is embedded once per page"
    page = browser.new_page()
    requests, errors, console = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    # A clean console: no warning such as "The compiled spec uses Vega v5, but current version
    # is v6" (the inlined Vega must be the one Altair's Vega-Lite compiles for), no error.
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
            if m.type in ("warning", "error", "assert") else None)
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    expected = charts_in(built / f"{notebook}.ipynb")
    page.wait_for_function(f"document.querySelectorAll('.vega-chart svg').length >= {expected}",
                           timeout=15000)
    assert page.locator(".vega-chart svg.marks").count() == expected > 0
    assert requests == [] and errors == []
    assert console == []
    # A tooltip appears over a data point, drawn by the inlined vega-tooltip.
    page.locator(".vega-chart svg .mark-symbol path").first.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert page.locator("#vg-tooltip-element").inner_text().strip()
    # Code is folded away, not removed: analysts can open it.
    assert page.locator("details.code").count() > 0
    assert not page.locator("details.code[open]").count()
    page.close()


@pytest.mark.parametrize("name", ["01_overview.pdf", "03_idlib.pdf", "briefing.pdf",
                                  "annex.pdf"])
def test_pdf_is_a4_numbered_captioned_and_free_of_code(built, name):
    path = built / name
    reader = PdfReader(path)
    pages = pdf_text(path)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, "A4"
    text = "\n".join(pages)
    for snippet in CODE_TEXT:
        assert snippet not in text
    numbered = [i for i, t in enumerate(pages, 1) if f"Page {i} of {len(pages)}" in t]
    first = 2 if name == "annex.pdf" else 1  # the annex's cover carries no number
    assert numbered == list(range(first, len(pages) + 1))
    assert reader.metadata.title and reader.metadata.author
    assert reader.metadata.creation_date.year == 2020
    fonts = [f for p in reader.pages for f in p["/Resources"].get("/Font", {}).values()]
    assert fonts and all(embedded(f) for f in fonts)


def test_every_chart_is_a_numbered_figure_in_each_pdf(built):
    for notebook in ("01_overview", "03_idlib"):
        charts = charts_in(built / f"{notebook}.ipynb")
        text = "\n".join(pdf_text(built / f"{notebook}.pdf"))
        assert re.findall(r"Figure (\d+)\.", text) == [str(i) for i in range(1, charts + 1)]
    total = sum(charts_in(built / f"{n}.ipynb") for n in ("01_overview", "03_idlib"))
    text = "\n".join(pdf_text(built / "annex.pdf"))
    assert re.findall(r"Figure (\d+)\.", text) == [str(i) for i in range(1, total + 1)]


def test_annex_has_cover_contents_summary_sources_and_appendix(built):
    pages = pdf_text(built / "annex.pdf")
    assert "Test edition: the Idlib winter" in pages[0]
    assert "5 Mar 2020" in pages[0], "the edition date comes from SOURCE_DATE_EPOCH"
    assert "Unclassified" in pages[0]
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_version"] in pages[-1], "the data version is on the provenance page"
    contents = next(i for i, p in enumerate(pages) if re.search(r"^Contents\s*$", p, re.M))
    assert contents <= 2
    text = "\n".join(pages)
    assert "First edition" in text
    for heading in ("Key judgements", "Key findings", "Background", "What to watch",
                    "Chronology", "Glossary", "Sources", "Appendix A: Method",
                    "Appendix B: Provenance", "What changed in this edition"):
        assert heading in text
    assert "Data dictionary" not in text, "the full data dictionary stays in the repository"
    # The contents' page numbers are where the bookmarks say the sections start.
    reader = PdfReader(built / "annex.pdf")
    marks = {str(m.title): reader.get_destination_page_number(m) + 1
             for m in reader.outline if not isinstance(m, list)}
    for title in ("Key findings", "Sources", "Appendix A: Method"):
        line = re.search(rf"^{re.escape(title)}\s*(\d+)$", pages[contents], re.M)
        assert line and int(line.group(1)) == marks[title]
        assert title in pages[marks[title] - 1]


def test_briefing_summary_states_the_computed_figures(built):
    import rusturk.notebook as rn

    w = rn.Window.load("", "2019-12-01", "2020-03-31")
    f = rn.idlib_figures(w)
    text = " ".join(" ".join(pdf_text(built / "briefing.pdf")[:5]).split())
    assert f"{f['total']:,.0f} Turkish soldiers" in text


def _briefing_text(built: Path) -> str:
    return " ".join(" ".join(pdf_text(built / "briefing.pdf")).split())


def test_each_quantity_is_printed_with_one_value(built):
    """A toll, its count of sources and its range read the same wherever the edition states
    them: key judgements, findings and the table behind the judgements alike."""
    text = _briefing_text(built)
    sources = set(re.findall(r"across (\d+) sources", text))
    ranges = set(re.findall(r"readings (?:run )?from (\d+) to (\d+)", text))
    balyun = set(re.findall(r"(\d+) (?:soldiers were killed by the headline rule|of them died "
                            r"in one incident)", text))
    assert len(sources) == 1, f"one incident's sources printed as {sorted(sources)}"
    assert len(ranges) == 1, f"one incident's range printed as {sorted(ranges)}"
    assert len(balyun) == 1, f"one incident's toll printed as {sorted(balyun)}"
    displaced = set(re.findall(r"(?:some |almost |more than )?([\d,]{7,}) people had been "
                               r"displaced", text))
    table = text.rsplit("The numbers in the key judgements", 1)
    assert len(table) == 2, "the figures of the key judgements are stated in the body"
    body = re.split(r"What changed|Background", table[1])[0]
    assert displaced, "the test reads the displacement figure of the key judgements"
    for value in displaced:
        assert value in body, f"{value} displaced is not stated in the body"


def test_no_sum_of_extreme_readings_is_printed(built):
    text = _briefing_text(built)
    assert "lowest and highest readings of each incident add up" not in text
    assert "within the lowest" not in text and "(band)" not in text


def test_a_judgement_the_data_contradicts_is_withheld(variants, tmp_path):
    """In a copy of the data where Russia–Turkey cooperation before December 2019 is
    recoded as coercion, no edition says that cooperation outweighed conflict: validation
    names the judgement in one line each, and the build withholds it and says why."""
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    path = data / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with (data / "cameo.csv").open(encoding="utf-8", newline="") as f:
        quad = {r["cameo_code"]: int(r["quad_class"]) for r in csv.DictReader(f)}
    for r in rows:
        if ({r["actor_initiator"], r["actor_target"]} == {"RUS", "TUR"}
                and r["date"] < "2019-12" and quad[r["cameo_code"]] <= 2
                and "joint-patrol" not in r["event_id"]):  # patrols are 062 by rule
            r["cameo_code"] = "170"  # coerce
            # Two acts of one day may now share a CAMEO root: the copy says why.
            r["same_day_reason"] = r["same_day_reason"] or "recoded for the test"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    checked = rusturk("validate", "--data", str(data), check=False)
    assert checked.returncode == 1
    lines = [ln for ln in checked.stderr.splitlines() if "kj-compartmentalised" in ln]
    assert lines and all(ln.startswith(str(data / "judgements.yaml")) for ln in lines)
    assert "Traceback" not in checked.stderr
    whole = tmp_path / "whole.yaml"
    whole.write_text("reports:\n  - name: whole\n    title: Whole period\n"
                     "    notebooks: [01_overview]\n    parameters: {}\n", encoding="utf-8")
    result = build(tmp_path / "out", whole, "-p", f"data_dir={data}")
    assert "withheld kj-compartmentalised" in result.stderr + result.stdout
    folder = tmp_path / "out" / "whole"
    text = " ".join(" ".join(pdf_text(folder / "briefing.pdf")).split())
    assert "cooperative acts outnumbered conflictual ones" not in text
    annex = " ".join(" ".join(pdf_text(folder / "annex.pdf")).split())
    assert "cooperative acts outnumbered conflictual ones" not in annex
    assert "Withheld: kj-compartmentalised" in annex


def test_provenance_in_every_report(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    events_sha = manifest["data_files_sha256"]["events.csv"]
    assert events_sha == hashlib.sha256((REPO_ROOT / "data/events.csv").read_bytes()).hexdigest()
    for notebook in ("01_overview", "03_idlib"):
        html = (built / f"{notebook}.html").read_text(encoding="utf-8")
        assert events_sha in html and "2020-03-05T00:00:00Z" in html
        book = nbformat.read(built / f"{notebook}.ipynb", as_version=4)
        assert book.metadata["rusturk"]["parameters"]["start_date"] == "2019-12-01"
        assert events_sha in squeeze(" ".join(pdf_text(built / f"{notebook}.pdf")))


def test_same_inputs_give_the_same_bytes(built, variants, tmp_path):
    build(tmp_path, variants)
    assert digests(tmp_path / "test") == digests(built)


def test_unchanged_inputs_are_skipped_and_changed_data_rebuilds(one_notebook, tmp_path):
    variants = one_notebook
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    out = tmp_path / "out"
    args = ("--only", "test", "-p", f"data_dir={data}", "--no-pdf")
    build(out, variants, *args)
    first = (out / "test" / "01_overview.html").read_text(encoding="utf-8")
    assert "First edition" in first
    before = {p: p.stat().st_mtime_ns for p in (out / "test").iterdir()}
    again = build(out, variants, *args)
    assert "up to date" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in (out / "test").iterdir()} == before
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "Syrian and Turkish forces clash near Saraqib",
        "Syrian and Turkish forces clash at Saraqib"),
        encoding="utf-8")
    rebuilt = build(out, variants, *args)
    assert "[test/01_overview] running" in rebuilt.stderr
    html = (out / "test" / "01_overview.html").read_text(encoding="utf-8")
    assert "Syrian and Turkish forces clash at Saraqib" in html
    # The edition lists the edit near the top of the page ...
    changes = html[html.index("What changed in this edition"):html.index("<main>")]
    assert "1 event modified" in changes and "title" in changes
    assert "clash at Saraqib" in changes
    # ... and a rebuild with no data change says so.
    forced = build(out, variants, *args, "--force")
    assert forced.returncode == 0
    html = (out / "test" / "01_overview.html").read_text(encoding="utf-8")
    assert "No data changes" in html


def test_a_failing_notebook_leaves_the_previous_reports_untouched(tmp_path):
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    book = nbformat.read(REPO_ROOT / "notebooks/03_idlib.ipynb", as_version=4)
    nbformat.write(book, notebooks / "03_idlib.ipynb")
    variants = tmp_path / "reports.yaml"
    variants.write_text("notebooks_dir: nbs\nreports:\n  - name: test\n    notebooks: "
                        "[03_idlib]\n    parameters: {start_date: '2020-02-01'}\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    build(out, variants, "--no-pdf")
    good = digests(out / "test")
    broken = next(c for c in book.cells if c.cell_type == "code" and "casualty" in c.source)
    broken.source += "\nraise RuntimeError('deliberate failure for the test')"
    nbformat.write(book, notebooks / "03_idlib.ipynb")
    result = build(out, variants, "--no-pdf", check=False)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert "cell" in message and broken.id in message
    assert "RuntimeError: deliberate failure for the test" in message
    assert digests(out / "test") == good
    kept = out / "failed" / "test" / "03_idlib.ipynb"
    assert kept.exists() and "deliberate failure" in kept.read_text(encoding="utf-8")
    assert not list(out.glob(".staging-*"))


def test_an_unknown_parameter_is_refused_before_any_kernel_starts(variants, tmp_path):
    result = build(tmp_path, variants, "-p", "strat_date=2020-01-01", check=False)
    assert result.returncode == 2
    assert "unknown parameter(s) strat_date" in result.stderr
    assert "valid: data_dir, end_date, include_syria" in result.stderr
    assert "running" not in result.stderr
    bad_date = build(tmp_path, variants, "-p", "end_date=2020-02-30", check=False)
    assert bad_date.returncode == 2 and "expected a date YYYY-MM-DD" in bad_date.stderr


HOSTILE = "<script>alert('x')</script><b>bold</b> & co"


# -- the stakeholder briefing -------------------------------------------------------------------

def test_key_judgements_come_first_and_what_to_watch_is_there(built):
    pages = pdf_text(built / "briefing.pdf")
    first = " ".join(pages[:2])
    assert "Key judgements" in first
    assert len(re.findall(r"(High|Moderate|Low) confidence\.", first)) >= 3
    assert "What to watch" in " ".join(pages)
    annex = " ".join(pdf_text(built / "annex.pdf"))
    for term in ("HTS", "M4 and M5", "Goldstein score", "CAMEO"):
        assert term in annex, f"glossary lacks {term}"


def test_the_briefing_body_holds_nothing_meant_for_analysts(built):
    body = " ".join(pdf_text(built / "briefing.pdf"))
    assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", body), "snake_case names"
    assert not re.findall(r"\b[0-9a-f]{12,64}\b", body), "hashes"
    assert not re.findall(r"\brusturk\b|--[a-z]|\.csv\b|\.ipynb\b|\.sql\b", body), "commands"
    assert not re.findall(r"\b[a-z]+(?:-[a-z0-9]+)+-20\d\d-\d\d-\d\d\b", body), "raw ids"
    assert "(s)" not in body and "event stream" not in body.lower()


def test_every_word_lies_inside_the_page_margins(built):
    reader = PdfReader(built / "briefing.pdf")
    left, right = 16 / 25.4 * 72, 595.28 - 16 / 25.4 * 72  # the CSS margins, in points
    outside = []
    for number, page in enumerate(reader.pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            if not text.strip():
                return
            x = tm[4] * cm[0] + cm[4]
            scale = abs(tm[0] * cm[0]) or 1.0
            end = x + 0.62 * scale * len(text.rstrip())  # generous: wide glyphs
            if x < left - 3 or end > right + 40:
                outside.append((number, round(x), text[:30]))
        page.extract_text(visitor_text=visit)
    assert outside == []


def test_the_map_names_its_places(built):
    towns = [r["name"] for r in csv.DictReader(
        (REPO_ROOT / "src/rusturk/notebook/geo/places.csv").open(encoding="utf-8"))]
    page = next(p for p in pdf_text(built / "annex.pdf")
                if "North-west Syria: where the events took place" in p)
    assert sum(town in page for town in towns) >= 4
    assert "GeoNames" in page and "schematic" in page


MARKDOWN = ("[x](javascript:alert(1)) ![i](http://host.invalid/x.png) <http://host.invalid/a> "
            "<img src=http://host.invalid/y.png> &amp;")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, variants) -> Path:
    """One build of a copy of the data that holds hostile text in an event's title and
    Markdown (links, images, autolinks, raw HTML) in every free-text cell of every table,
    except the quotes checked against a bundled file."""

    def make(root: Path) -> None:
        hostile_build(root, variants)

    return made_once(tmp_path_factory, "hostile", make) / "out" / "test"


def hostile_build(root: Path, variants: Path) -> None:
    from rusturk.data.schema import TABLES

    data = root / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    events = data / "events.csv"
    original = "Istanbul summit: TurkStream inaugurated, talks and a joint statement"
    text = events.read_text(encoding="utf-8")
    assert original in text
    events.write_text(text.replace(original, HOSTILE.replace('"', "")), encoding="utf-8")
    for table in TABLES.values():
        texts = [f.name for f in table.fields if f.kind == "text" and f.name != "raw_file"
                 and "evidence" not in f.name]
        path = data / table.filename
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            for name in texts:
                if row[name]:
                    row[name] = f"{row[name]} {MARKDOWN}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=table.columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    build(root / "out", variants, "-p", f"data_dir={data}")


def test_hostile_text_in_the_data_is_shown_as_text(hostile, browser):
    for notebook in ("01_overview", "03_idlib"):
        html = (hostile / f"{notebook}.html").read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        page.route("**/*", lambda route: route.abort())
        page.set_content(html, wait_until="load")
        assert HOSTILE in page.inner_text("body")
        assert dialogs == [] and page.locator("b:text('bold')").count() == 0
        page.close()
        assert squeeze(HOSTILE) in squeeze(" ".join(pdf_text(hostile / f"{notebook}.pdf")))
    assert squeeze(HOSTILE) in squeeze(" ".join(pdf_text(hostile / "annex.pdf")))


def test_markdown_in_every_free_text_field_stays_text(hostile, browser):
    """Markdown in the data's free text: no request, no dialog, no javascript: link."""
    for html_file in sorted(hostile.glob("*.html")):
        html = html_file.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html
        page = browser.new_page()
        requests, dialogs = [], []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        page.route("**/*", lambda route, seen=requests: (seen.append(route.request.url),
                                                          route.abort()))
        page.set_content(html, wait_until="load")
        assert requests == [] and dialogs == []
        assert page.locator("a[href^='javascript:']").count() == 0
        assert page.locator("img[src^='http']").count() == 0
        page.close()
    for pdf in sorted(hostile.glob("*.pdf")):
        for page in PdfReader(pdf).pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                assert not str(action.get("/URI", "")).startswith("javascript:")


@pytest.fixture(scope="module")
def previous(tmp_path_factory, one_notebook) -> Path:
    """A report built once, that each failing-disk test copies as its previous report."""
    return made_once(tmp_path_factory, "previous",
                     lambda root: build(root / "out", one_notebook, "--no-pdf")) / "out"


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EROFS"])
def test_a_failing_disk_leaves_the_previous_reports_intact(one_notebook, previous, tmp_path,
                                                           errno_name):
    """The write is made to fail inside a real build: one line, exit 1, nothing changed."""
    variants = one_notebook
    out = tmp_path / "out"
    shutil.copytree(previous, out, symlinks=True)
    before = digests(out / "test")
    assert before
    code = (
        "import errno, sys\n"
        "from rusturk.common import atomic\n"
        "def full(path, data):\n"
        f"    raise OSError(errno.{errno_name}, __import__('os').strerror(errno.{errno_name}),"
        " str(path))\n"
        "atomic.write_bytes = full\n"
        "from rusturk.cli import main\n"
        f"sys.exit(main(['build', '--force', '--no-pdf', '--out', {str(out)!r}, "
        f"'--variants', {str(variants)!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=os.environ | {"SOURCE_DATE_EPOCH": EPOCH}, check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr and "untouched" in last
    assert digests(out / "test") == before
    assert not list(out.glob(".staging-*"))
