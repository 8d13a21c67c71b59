"""The build's parts without kernels or a browser: parameters, variants, plans, exports."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from checkout import REPO_ROOT
from pypdf import PdfReader, PdfWriter

from rusturk.report import annex, build, export, pdf, plan
from rusturk.report.params import ParameterError, coerce, notebook_parameters, resolve
from rusturk.report.variants import load_variants, notebook_values, parse_assignments


def notebook(tmp_path: Path, parameters: str, name: str = "nb") -> Path:
    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    book.cells = [nbformat.v4.new_markdown_cell("# A title"), cell]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(book, path)
    return path


def variants_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "reports.yaml"
    path.write_text(body, encoding="utf-8")
    return path


PARAMS = ('start_date: str = "2019-12-01"  # first day\n'
          'end_date: str = "2020-03-31"  # last day, # with a hash\n'
          'data_dir: str = ""  # data folder\n'
          "window: int = 180  # days\n"
          "include_syria: bool = True  # side\n")


def test_parameters_are_read_with_types_defaults_and_comments(tmp_path):
    params = notebook_parameters(notebook(tmp_path, PARAMS))
    assert list(params) == ["start_date", "end_date", "data_dir", "window", "include_syria"]
    assert params["window"].type == "int" and params["window"].default == 180
    assert params["end_date"].help == "last day, # with a hash"


def test_a_parameters_cell_with_code_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="expected `name: type = literal"):
        notebook_parameters(notebook(tmp_path, "x = compute()\n"))


@pytest.mark.parametrize(("name", "kind", "value", "message"), [
    ("start_date", "str", "2020-02-30", "expected a date YYYY-MM-DD, got '2020-02-30'"),
    ("window", "int", "six", "expected a value of type int"),
    ("include_syria", "bool", "perhaps", "expected true or false"),
])
def test_bad_values_are_refused_with_what_was_expected(name, kind, value, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        coerce(name, kind, value)


def test_resolve_checks_names_order_of_dates_and_the_data_folder(tmp_path):
    declared = notebook_parameters(notebook(tmp_path, PARAMS))
    assert resolve(declared, {"window": "90"}, "nb") == {"window": 90}
    with pytest.raises(ParameterError, match=r"unknown parameter.*strat_date; valid: data_dir"):
        resolve(declared, {"strat_date": "2020-01-01"}, "nb")
    with pytest.raises(ParameterError, match="start_date 2020-03-01 is after end_date"):
        resolve(declared, {"start_date": "2020-03-01", "end_date": "2020-02-01"}, "nb")
    with pytest.raises(ParameterError, match="no such folder"):
        resolve(declared, {"data_dir": str(tmp_path / "missing")}, "nb")


def test_a_name_applies_to_every_notebook_that_declares_it(tmp_path):
    notebook(tmp_path, PARAMS, "a")
    notebook(tmp_path, 'start_date: str = "2019-01-01"  # x\nend_date: str = "2020-01-01"  # y\n',
             "b")
    path = variants_file(tmp_path, "notebooks_dir: .\nreports:\n  - name: r\n    notebooks: "
                                   "[a, b]\n    parameters: {start_date: 2019-06-01}\n")
    (variant,) = load_variants(path)
    values = notebook_values(variant, {"window": "30"})
    assert values == {"a": {"start_date": "2019-06-01", "window": 30},
                      "b": {"start_date": "2019-06-01"}}
    with pytest.raises(ParameterError, match="report r: unknown parameter"):
        notebook_values(variant, {"nonsense": "1"})


@pytest.mark.parametrize(("body", "message"), [
    ("reports: []\n", "reports.yaml: reports: must not be empty"),
    ("reports:\n  - {name: a, notebooks: [x]}\n  - {name: a, notebooks: [x]}\n", "unique"),
    ("reports:\n  - {name: a, notebooks: [x], colour: red}\n", "reports.#1.colour: unknown key"),
    ("reports:\n  - {name: a, notebooks: []}\n", "reports.#1.notebooks: must not be empty"),
    ("reports: [\n", "not valid YAML"),
])
def test_variants_file_mistakes_are_named(tmp_path, body, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        load_variants(variants_file(tmp_path, body))


def test_the_bundled_variants_hold_the_full_report_and_february_2020():
    variants = {v.name: v for v in load_variants()}
    assert set(variants["full"].notebooks) == {"01_overview", "02_phases", "03_idlib"}
    feb = notebook_values(variants["idlib-feb-2020"], {})
    assert all(v["start_date"] == "2020-02-01" and v["end_date"] == "2020-02-29"
               for v in feb.values())


def test_assignments_need_a_key_and_an_equals_sign():
    with pytest.raises(ParameterError, match="expected KEY=VALUE"):
        parse_assignments(["start_date"])


def test_plan_skips_what_the_manifest_vouches_for_and_rebuilds_on_change(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("events.csv", "sources.csv", "figures.csv", "phases.csv", "cameo.csv"):
        (data / name).write_text(f"{name}\n", encoding="utf-8")
    notebook(tmp_path, PARAMS, "a")
    (variant,) = load_variants(variants_file(
        tmp_path, "notebooks_dir: .\nreports:\n  - {name: r, notebooks: [a]}\n"))
    overrides = {"data_dir": str(data)}
    out = tmp_path / "out"
    (first,) = plan.plan([variant], overrides, out, force=False, pdf=False)
    assert first.rebuild and first.jobs[0].rebuild
    folder = out / "r"
    folder.mkdir(parents=True)
    for name in plan.notebook_outputs("a", pdf=False):
        (folder / name).write_text(name, encoding="utf-8")
    manifest = {"format": plan.MANIFEST_FORMAT,
                "notebooks": {"a": {"fingerprint": first.jobs[0].fingerprint}},
                "briefing": {"fingerprint": first.fingerprint},
                "outputs": {n: plan.sha256_file(folder / n)
                            for n in plan.notebook_outputs("a", pdf=False)}}
    (folder / plan.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (again,) = plan.plan([variant], overrides, out, force=False, pdf=False)
    assert not again.rebuild
    assert plan.plan([variant], overrides, out, force=True, pdf=False)[0].rebuild
    (folder / "a.html").write_text("edited by hand", encoding="utf-8")
    assert plan.plan([variant], overrides, out, force=False, pdf=False)[0].rebuild
    (folder / "a.html").write_text("a.html", encoding="utf-8")
    (data / "events.csv").write_text("changed\n", encoding="utf-8")
    assert plan.plan([variant], overrides, out, force=False, pdf=False)[0].rebuild


def test_json_in_a_script_tag_cannot_close_it():
    text = export.json_for_script({"d": "</script><script>alert(1)</script>"})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"d": "</script><script>alert(1)</script>"}


def test_charts_are_numbered_and_captioned_from_their_spec_and_escaped():
    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "point",
            "title": "Deaths <b>by</b> incident", "description": "A <script>x</script> chart",
            "data": {"values": [{"a": 1}, {"a": 2}]},
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    cell.outputs = [nbformat.v4.new_output("display_data", data={export.VEGA_LITE: spec})
                    for _ in range(2)]
    book.cells = [cell]
    prepared = export.prepare(book, "print", first_figure=3)
    assert [f["figure"] for f in prepared.figures] == [3, 4]
    svgs = [o["data"]["image/svg+xml"] for o in prepared.book.cells[0].outputs]
    assert all(s.startswith("<svg") for s in svgs)
    page = export.render(prepared.book, "print", {"title": "t"})
    assert page.count("<figcaption") == 2 and "Figure 4." in page
    assert "Deaths &lt;b&gt;by&lt;/b&gt; incident" in page and "<script>x" not in page
    ids = re.findall(r'\bid="(f\d+-[^"]+)"', page)
    assert len(ids) == len(set(ids)), "clip-path ids of two charts on one page never clash"


def tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/CreationDate": "D:20261125031313+00'00'"})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    # pypdf writes an xref table and a classic trailer, as Chromium does.
    assert b"trailer" in data
    return data


def test_finished_pdfs_carry_the_metadata_and_a_fixed_date():
    moment = datetime(2020, 3, 5, 12, 0, tzinfo=UTC)
    meta = {"Title": "Russia–Turkey (briefing)", "Author": "team"}
    data = pdf.finish(tiny_pdf(), meta, moment)
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert reader.metadata.title == "Russia–Turkey (briefing)"
    assert reader.metadata.author == "team"
    assert reader.metadata.creation_date == moment
    assert len(reader.pages) == 1
    assert pdf.finish(tiny_pdf(), meta, moment) == data


def test_contents_read_the_headings_in_document_order():
    page = ('<h1 class="cover-title">Cover</h1><h2 class="toc">Contents</h2>'
            '<h1 id="x">One<a class="anchor-link" href="#x">¶</a></h1><h2>Chronology</h2>'
            "<h1>Two &amp; three</h1><h2>Chronology</h2>")
    found = annex.headings(page)
    assert [(h.level, h.text) for h in found] == [
        (1, "One"), (2, "Chronology"), (1, "Two & three"), (2, "Chronology")]
    assert annex.match_pages(found, [("One", 3), ("Chronology", 3), ("Two & three", 7),
                                        ("Chronology", 8)]) == [3, 3, 7, 8]


def test_the_outline_gives_each_bookmark_its_page_in_document_order():
    """A hand-made PDF of four pages whose bookmarks point the ways PDFs do: a page
    destination, a GoTo action, a named destination, a nested item, and one pointing nowhere."""
    import pikepdf

    doc = pikepdf.new()
    for _ in range(4):
        doc.add_blank_page()
    p = [page.obj for page in doc.pages]
    doc.Root.Dests = pikepdf.Dictionary({"/later": pikepdf.Array([p[3], pikepdf.Name.Fit])})
    with doc.open_outline() as tree:
        one = pikepdf.OutlineItem("One", 0)
        two = pikepdf.OutlineItem("Two ", action=pikepdf.Dictionary(
            S=pikepdf.Name.GoTo, D=pikepdf.Array([p[2], pikepdf.Name.Fit])))
        two.children.append(pikepdf.OutlineItem("Two, inside", 1))
        three = pikepdf.OutlineItem("Three", destination=pikepdf.Name("/later"))
        tree.root.extend([one, two, three, pikepdf.OutlineItem("Nowhere")])
    out = io.BytesIO()
    doc.save(out)
    assert pdf.outline(out.getvalue()) == [("One", 1), ("Two", 3), ("Two, inside", 2),
                                          ("Three", 4), ("Nowhere", None)]


@pytest.mark.data
def test_key_findings_are_the_notebooks_findings():
    from rusturk.analysis import findings
    from rusturk.analysis.window import Window

    path = REPO_ROOT / "notebooks" / "03_idlib.ipynb"
    assert annex.findings_of(path) == "idlib"  # the notebook names what it states
    params = {"data_dir": "", "start_date": "2019-12-01", "end_date": "2020-03-31"}
    stated = annex.key_findings([(annex.findings_of(path), params), (None, params)])
    w = Window.load("", "2019-12-01", "2020-03-31")
    assert stated == findings.idlib_findings(w)
    assert stated and all("<script" not in str(f) for f in stated)


def test_every_notebook_names_findings_the_analysis_knows():
    from rusturk.analysis import findings

    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        name = annex.findings_of(path)
        assert name in findings.BY_NAME, path.name


def test_the_repository_variants_file_is_the_default():
    assert build.Options().variants_file == REPO_ROOT / "reports.yaml"
