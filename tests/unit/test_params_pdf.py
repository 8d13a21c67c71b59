"""Parameters read by papermill and checked here; PDFs finished the same, byte for byte."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from checkout import REPO_ROOT
from pypdf import PdfReader

from rusturk.report import pdf
from rusturk.report.params import ParameterError, notebook_parameters


def notebook(tmp_path: Path, *tagged: str) -> Path:
    """A notebook with no kernelspec, as nbformat makes one, and these parameters cells."""
    book = nbformat.v4.new_notebook()
    for source in tagged:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = ["parameters"]
        book.cells.append(cell)
    path = tmp_path / "nb.ipynb"
    nbformat.write(book, path)
    return path


def test_the_repository_notebooks_declare_typed_parameters():
    params = notebook_parameters(REPO_ROOT / "notebooks" / "02_phases.ipynb")
    assert params["rupture_phase_ids"].type == "list"
    assert params["rupture_phase_ids"].default == ["rupture", "idlib-escalation"]
    assert params["include_syria"].default is True
    assert params["data_dir"].default == ""
    assert params["data_dir"].help.startswith('data folder; "" means')


def test_a_notebooks_parameters_are_read_once_per_version(tmp_path, monkeypatch):
    from rusturk.report.params import notebook_parameters

    monkeypatch.setenv("RUSTURK_CACHE", str(tmp_path / "cache"))
    source = REPO_ROOT / "notebooks" / "02_phases.ipynb"
    first = notebook_parameters(source)
    (stored,) = (tmp_path / "cache" / "parameters").iterdir()
    assert stored.name == hashlib.sha256(source.read_bytes()).hexdigest() + ".json"
    assert notebook_parameters(source) == first


def test_a_default_may_span_lines_and_a_type_may_be_subscripted(tmp_path):
    params = notebook_parameters(notebook(tmp_path, 'ids: list[str] = [\n  "a",\n  "b"]  # two\n'))
    assert params["ids"].type == "list" and params["ids"].default == ["a", "b"]
    assert params["ids"].help == "two"


@pytest.mark.parametrize(("cells", "message"), [
    ((), "expected one cell tagged 'parameters', found 0"),
    (("a: int = 1\n", "b: int = 2\n"), "expected one cell tagged 'parameters', found 2"),
    # papermill skips a line with a second `=`: refused, never silently dropped.
    (("window: int = 180  # e.g. window=90\n",), "line 1: papermill cannot read it"),
    (("a: int = 1\nb: int = f(x=1)\n",), "line 2: papermill cannot read it"),
    (("import os\na: int = 1\n",), "line 1: expected `name: type = literal"),
    (("a: int\n",), "line 1: expected `name: type = literal"),
    (("a: int = (1\n",), "line 1: '(' was never closed"),
    # papermill ends a default at its first `#`, even inside a string.
    (('a: str = "x#y"\n',), 'parameter a: the default, as papermill reads it, is not a '
                            'literal: "x'),
    (("a: int = 2 ** 3\n",), "parameter a: the default, as papermill reads it, is not a"),
    (("a: dict = {}\n",), "parameter a: type must be one of str, int, float, bool, list"),
])
def test_a_parameters_cell_papermill_cannot_read_fully_is_refused(tmp_path, cells, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        notebook_parameters(notebook(tmp_path, *cells))


def chromium_like(node_ids: list[int], date: str) -> bytes:
    """A tagged PDF laid out as Chromium writes one: structure elements named after the
    renderer's node counter (table cells naming the first as their header), an id tree leaf
    sorted by name, a classic xref table."""
    elements = list(range(5, 5 + len(node_ids)))
    leaf, tree, catalog = elements[-1] + 1, elements[-1] + 2, elements[-1] + 3
    names = sorted((b"node%08d" % n, obj) for n, obj in zip(node_ids, elements, strict=True))
    objects = {
        1: b"<</Creator (HeadlessChrome)\n/Producer (Skia/PDF m156)\n/CreationDate (%s)\n"
           b"/ModDate (%s)>>" % (date.encode(), date.encode()),
        2: b"<</Type /Pages\n/Count 1\n/Kids [3 0 R]>>",
        3: b"<</Type /Page\n/Parent 2 0 R\n/MediaBox [0 0 595 842]>>",
        4: b"<</Type /StructTreeRoot\n/K [%s]\n/IDTree %d 0 R>>"
           % (b" ".join(b"%d 0 R" % n for n in elements), tree),
        **{obj: b"<</Type /StructElem\n/S /TD\n/P 4 0 R\n/ID (node%08d)\n"
                b"/A [<</O /Table /Headers [(node%08d)]>>]>>" % (n, node_ids[0])
           for n, obj in zip(node_ids, elements, strict=True)},
        leaf: b"<</Limits [(%s) (%s)]\n/Names [%s]>>" % (
            names[0][0], names[-1][0], b" ".join(b"(%s) %d 0 R" % entry for entry in names)),
        tree: b"<</Kids [%d 0 R]>>" % leaf,
        catalog: b"<</Type /Catalog\n/Pages 2 0 R\n/StructTreeRoot 4 0 R>>",
    }
    body, offsets = b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n", []
    for number in sorted(objects):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(
        b"%010d 00000 n \n" % offset for offset in offsets)
    return body + xref + (b"trailer\n<</Size %d\n/Root %d 0 R\n/Info 1 0 R>>\nstartxref\n%d\n"
                          b"%%%%EOF\n" % (len(objects) + 1, catalog, len(body)))


MOMENT = datetime(2020, 3, 31, 12, 0, tzinfo=UTC)
META = {"Title": "Russia–Turkey (briefing)", "Author": "team"}


def test_two_renderings_of_one_document_finish_as_the_same_bytes():
    # Another renderer history: other node numbers, even in another order, another clock.
    first = chromium_like([253, 22, 24], "D:20261125160035+00'00'")
    second = chromium_like([1030, 1040, 1010], "D:20270101000000+00'00'")
    assert pdf.finish(first, META, MOMENT) == pdf.finish(second, META, MOMENT)


def test_a_finished_pdf_holds_the_metadata_and_ids_numbered_by_object():
    # Objects 5, 6, 7 hold nodes 253, 22, 24: ranked by object they become 1, 2, 3 (by the
    # old numbers they would be 3, 1, 2), and every cell's header, node 253, becomes 1.
    original = chromium_like([253, 22, 24], "D:20261125160035+00'00'")
    data = pdf.finish(original, META, MOMENT)
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert dict(reader.metadata) == {
        "/Title": META["Title"], "/Author": "team",
        "/CreationDate": "D:20200331120000+00'00'", "/ModDate": "D:20200331120000+00'00'"}
    assert b"HeadlessChrome" not in data and b"2026" not in data
    tree = reader.root_object["/StructTreeRoot"]["/IDTree"]
    leaf = tree["/Kids"][0] if "/Kids" in tree else tree
    names = leaf["/Names"]
    assert [str(name) for name in names[::2]] == ["node00000001", "node00000002",
                                                  "node00000003"]
    for name, element in zip(names[::2], names[1::2], strict=True):
        assert element.get_object()["/ID"] == name
    elements = reader.root_object["/StructTreeRoot"]["/K"]
    assert [str(e.get_object()["/ID"]) for e in elements] == [
        "node00000001", "node00000002", "node00000003"]
    assert {str(e.get_object()["/A"][0]["/Headers"][0]) for e in elements} == {"node00000001"}
    assert pdf.finish(original.rstrip(b"\n"), META, MOMENT) == data
