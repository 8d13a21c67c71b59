"""Benchmark: finishing Chromium's PDF by byte edits, by pikepdf (`report.pdf.finish`) or pypdf."""

# Builds one report of reports.yaml into a temporary folder, keeping the HTML and the raw
# Chromium bytes of its briefing and annex; renders each twice more (once after another
# document, once in a fresh browser, so the structure ids differ), then finishes every
# rendering each way: time (median of 5), output size, and how many distinct outputs the
# three renderings give (1 = reproducible). The figures in `report/pdf.py` come from here.
# The byte edits are the `finish` of commit bc12426, read from git.
#
#     .venv/bin/python benchmarks/pdf_finish.py [--report idlib-feb-2020]

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import re
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from rusturk.report import pdf

NODE = re.compile(r"node\d{8}$")


def _ranked(pairs) -> dict[str, str]:
    """Old structure id → new, ranked by the element's object number (as the byte edits)."""
    owners = dict(pairs)
    return {old: f"node{rank:08d}"
            for rank, old in enumerate(sorted(owners, key=owners.__getitem__), start=1)}


@functools.cache
def _byte_edits():
    """The `finish` of commit bc12426: regex edits of Chromium's bytes and an incremental
    update, read from git (our own code)."""
    source = subprocess.run(["git", "show", "bc12426:src/rusturk/report/pdf.py"], check=True,
                            capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent).stdout
    namespace: dict = {"__name__": "byte_edits"}
    exec(compile(source, "bc12426:pdf.py", "exec"), namespace)
    return namespace["finish"]


def byte_edits(data: bytes, metadata: dict, moment) -> bytes:
    return _byte_edits()(data, metadata, moment)


def with_pikepdf(data: bytes, metadata: dict, moment, object_streams: bool = False) -> bytes:
    import pikepdf

    doc = pikepdf.open(io.BytesIO(data))
    dicts = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary)]
    elements = [o for o in dicts if isinstance(o.get("/ID"), pikepdf.String)
                and NODE.match(str(o.ID))]
    new = _ranked((str(o.ID), o.objgen[0]) for o in elements)
    for o in elements:
        o.ID = pikepdf.String(new[str(o.ID)])
    for o in dicts:  # table cells name their header cells by id
        attributes = o.get("/A")
        for a in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
            if isinstance(a, pikepdf.Dictionary) and "/Headers" in a:
                a.Headers = pikepdf.Array([pikepdf.String(new.get(str(h), str(h)))
                                           for h in a.Headers])
    root = doc.Root.StructTreeRoot
    if "/IDTree" in root:
        entries = sorted((new.get(k, k), v) for k, v in pikepdf.NameTree(root.IDTree).items())
        tree = pikepdf.NameTree.new(doc)
        for k, v in entries:
            tree[k] = v
        root.IDTree = tree.obj
    stamp = pdf.pdf_date(moment)
    for key in list(doc.docinfo.keys()):
        del doc.docinfo[key]
    for key, value in {**metadata, "CreationDate": stamp, "ModDate": stamp}.items():
        doc.docinfo["/" + key] = pikepdf.String(value)
    out = io.BytesIO()
    streams = pikepdf.ObjectStreamMode
    mode = streams.generate if object_streams else streams.preserve
    doc.save(out, deterministic_id=True, object_stream_mode=mode)
    return out.getvalue()


def with_pypdf(data: bytes, metadata: dict, moment) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    dicts = [(o, n) for n, o in enumerate(writer._objects, start=1)
             if isinstance(o, DictionaryObject)]
    elements = [(o, n) for o, n in dicts if "/ID" in o and NODE.match(str(o["/ID"]))]
    new = _ranked((str(o["/ID"]), n) for o, n in elements)
    for o, _ in elements:
        o[NameObject("/ID")] = TextStringObject(new[str(o["/ID"])])
    for o, _ in dicts:
        attributes = o.get("/A")
        attributes = attributes.get_object() if attributes is not None else None
        for a in (attributes if isinstance(attributes, ArrayObject) else [attributes]):
            a = a.get_object() if a is not None else None
            if isinstance(a, DictionaryObject) and "/Headers" in a:
                a[NameObject("/Headers")] = ArrayObject(
                    [TextStringObject(new.get(str(h), str(h))) for h in a["/Headers"]])
    tree = writer._root_object["/StructTreeRoot"].get_object().get("/IDTree")
    if tree is not None:
        tree = tree.get_object()
        for leaf in ([k.get_object() for k in tree["/Kids"]] if "/Kids" in tree else [tree]):
            names = leaf["/Names"]
            pairs = sorted((new.get(str(names[i]), str(names[i])), names[i + 1])
                           for i in range(0, len(names), 2))
            leaf[NameObject("/Names")] = ArrayObject(
                [x for k, v in pairs for x in (TextStringObject(k), v)])
            leaf[NameObject("/Limits")] = ArrayObject(
                [TextStringObject(pairs[0][0]), TextStringObject(pairs[-1][0])])
    stamp = pdf.pdf_date(moment)
    writer.metadata = None
    writer.add_metadata({"/" + k: v for k, v in
                         {**metadata, "CreationDate": stamp, "ModDate": stamp}.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def capture(report: str) -> list[tuple[str, str, dict, object]]:
    """Build `report`; the (kind, html, metadata, moment) of its briefing and annex."""
    from rusturk.cli import main

    seen = threading.local()  # the page whose print is being finished, per printing thread
    finished: list[tuple[str, dict, object]] = []
    render, finish = pdf.Printer.pdf, pdf.finish

    def keep_page(self, html, then=lambda data: data, revise=None):
        def traced(data):
            seen.html = html
            return then(data)
        return render(self, html, traced, revise)

    def keep_finish(data, metadata, moment):
        finished.append((seen.html, metadata, moment))
        return finish(data, metadata, moment)

    pdf.Printer.pdf, pdf.finish = keep_page, keep_finish
    try:
        with tempfile.TemporaryDirectory() as out:
            main(["build", "--only", report, "--out", out, "--force", "--jobs", "1"])
    finally:
        pdf.Printer.pdf, pdf.finish = render, finish
    kinds = [(m.get("Subject", ""), h, m, t) for h, m, t in finished]
    return [k for k in kinds if re.search(r"Briefing|Annex", k[0])] or kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", default="idlib-feb-2020")
    args = parser.parse_args()
    documents = capture(args.report)
    ways = (byte_edits, with_pikepdf, pdf.finish, with_pypdf)
    _byte_edits()
    renders: dict[str, list[bytes]] = {}
    with pdf.Browser() as browser:
        for kind, html, _, _ in documents:
            renders[kind] = [browser.pdf(html)]
            other = documents[0][1] if html != documents[0][1] else documents[-1][1]
            browser.pdf(other)  # the renderer's node counter moves on
            renders[kind].append(browser.pdf(html))
    with pdf.Browser() as fresh:
        for kind, html, _, _ in documents:
            renders[kind].append(fresh.pdf(html))
    for kind, _, metadata, moment in documents:
        print(f"{kind}: {len(renders[kind][0]):,} B from Chromium")
        for way in ways:
            times = []
            for _ in range(5):
                start = time.perf_counter()
                out = way(renders[kind][0], metadata, moment)
                times.append(time.perf_counter() - start)
            distinct = {hashlib.sha256(way(r, metadata, moment)).digest()
                        for r in renders[kind]}
            print(f"  {way.__name__:28s} {statistics.median(times) * 1000:7.0f} ms "
                  f"{len(out):10,} B  distinct outputs of 3 renders: {len(distinct)}")

if __name__ == "__main__":
    main()
