"""Typst against Chromium for the briefing: the same content typeset by each, timed.

Run: .venv/bin/python benchmarks/print_engines.py [--rounds 3] [--out DIR]
Needs the optional `typst` package (pip install typst). Prints the median seconds of each
engine and their ratio, and leaves both PDFs in --out to be looked at page by page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

# The Typst template reads the briefing's content as JSON data: data text is never spliced
# into Typst markup, so it cannot be read as markup or code.
TEMPLATE = r"""
#let d = json("content.json")
#set page(paper: "a4", margin: (x: 16mm, top: 20mm, bottom: 20mm),
  header: context { if counter(page).get().first() > 1 [#set text(8pt, fill: luma(90)); #d.title] },
  footer: context [#set text(8pt, fill: luma(90)); Briefing · edition of #d.edition #h(1fr) Page #counter(page).display() of #counter(page).final().first()])
#set text(font: ("DejaVu Sans", "Liberation Sans"), size: 10pt, lang: "en")
#set par(justify: false, leading: 0.6em)
#show heading: it => block(sticky: true, above: 1.1em, below: 0.5em, text(weight: "bold", it.body))
#block(stroke: (top: 6pt + rgb("#0072B2")), inset: (top: 8pt), width: 100%)[
  #text(8pt, fill: rgb("#0072B2"), weight: "bold")[BRIEFING · UNCLASSIFIED, OPEN SOURCES]
  #v(2pt) #text(18pt, weight: "bold", d.title) \
  #text(11pt, fill: luma(90), d.subtitle) \
  #text(9pt, fill: luma(90))[#d.period · edition of #d.edition]]
#block(fill: luma(244), inset: 8pt, width: 100%)[== Bottom line
  #d.bottom_line]
== Key judgements
#for (i, j) in d.judgements.enumerate() [
  #block(breakable: false)[#(i + 1). #text(weight: "bold")[#upper(j.confidence.first())#j.confidence.slice(1) confidence.] #j.text]
]
== What it cost
#for p in d.cost [#p #parbreak()]
#table(columns: (18%, 1fr, 12%, 16%, 10%), stroke: (x: none, y: 0.4pt + luma(200)),
  align: (left, left, right, right, right),
  table.header(..("date", "incident", "headline", "range of readings", "sources").map(h => text(weight: "bold", h))),
  ..d.casualties.map(r => (r.date, r.incident, r.headline, r.range, r.sources)).flatten())
#for (i, f) in d.figures.enumerate() [
  #figure(image(f.file, width: 100%), caption: [#f.caption])
]
== What to watch
#table(columns: (35%, 1fr, 16%), stroke: (x: none, y: 0.4pt + luma(200)),
  table.header(..("indicator", "signpost: what you would see", "bears on").map(h => text(weight: "bold", h))),
  ..d.watch.map(x => (x.text, x.signpost, x.bears_on)).flatten())
== Source notes
#set text(8pt)
#for n in d.notes [#n.number. #n.text \ ]
"""


def inputs(variants: Path, name: str) -> tuple[str, dict, list[str]]:
    """The briefing of one report as the build composes it: its HTML for Chromium, and its
    content as plain data with the charts' SVG for Typst."""
    from markupsafe import Markup

    from rusturk.report import briefing
    from rusturk.report.plan import Edition, edition_time, plan
    from rusturk.report.variants import load_variants

    chosen = [v for v in load_variants(variants) if v.name == name]
    p = plan(chosen, {}, Path(tempfile.mkdtemp()), force=True)[0]
    moment, source = edition_time()
    edition = Edition(moment, source, "")
    ctx = briefing.context(p, edition)

    def plain(value: object) -> str:
        return Markup(str(value)).striptags() if isinstance(value, Markup) else str(value)

    data = {"title": ctx["title"], "subtitle": ctx["subtitle"] or "", "period": ctx["period"],
            "edition": edition.date, "bottom_line": ctx["bottom_line"]["text"],
            "judgements": [{"confidence": j["confidence"], "text": j["text"]}
                           for j in ctx["judgements"]],
            "cost": [plain(c) for c in ctx["cost"]], "casualties": ctx["casualties"],
            "figures": [f["caption"] for f in ctx["figures"]],
            "watch": [{"text": x["text"], "signpost": x["signpost"],
                       "bears_on": ", ".join(map(str, x["bears_on"]))} for x in ctx["watch"]],
            "notes": [{"number": n.number, "text": n.text} for n in ctx["notes"]]}
    return briefing.document(p, edition), data, [str(f["svg"]) for f in ctx["figures"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="engines-")))
    args = parser.parse_args(argv)
    try:
        import typst
    except ImportError:
        print("benchmarks/print_engines.py needs `pip install typst`", file=sys.stderr)
        return 2
    from rusturk.report.pdf import Browser

    html, data, svgs = inputs(Path("reports.yaml"), "full")
    args.out.mkdir(parents=True, exist_ok=True)
    for i, svg in enumerate(svgs):
        (args.out / f"figure{i}.svg").write_text(svg, encoding="utf-8")
    data["figures"] = [{"file": f"figure{i}.svg", "caption": c}
                       for i, c in enumerate(data["figures"])]
    (args.out / "content.json").write_text(json.dumps(data), encoding="utf-8")
    (args.out / "briefing.typ").write_text(TEMPLATE, encoding="utf-8")
    timings = {"typst": [], "chromium": []}
    with Browser() as browser:
        for _ in range(args.rounds):
            t = time.perf_counter()
            pdf = typst.compile(str(args.out / "briefing.typ"), root=str(args.out))
            timings["typst"].append(time.perf_counter() - t)
            (args.out / "typst.pdf").write_bytes(pdf)
            t = time.perf_counter()
            pdf = browser.pdf(html)
            timings["chromium"].append(time.perf_counter() - t)
            (args.out / "chromium.pdf").write_bytes(pdf)
    for name, values in timings.items():
        print(f"{name:9} median {statistics.median(values):.2f} s "
              f"(min {min(values):.2f}, max {max(values):.2f}, n = {len(values)})")
    ratio = statistics.median(timings["typst"]) / statistics.median(timings["chromium"])
    print(f"typst / chromium: {ratio:.2f}; PDFs in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
