"""Benchmark: `rusturk build` against papermill plus `jupyter nbconvert` run by hand."""

# The stock pipeline is what an analyst would script: for each (report, notebook) pair of
# reports.yaml, one after another, `papermill`, then `jupyter nbconvert --to html`, then
# `jupyter nbconvert --to webpdf`, each its own process. Both pipelines run in fresh temporary
# folders, alternating which goes first, so drift in the machine's load hits both alike.
#
# Like for like (the default): one report of reports.yaml, `full` unless --report says
# otherwise: our build makes its notebooks' HTML and PDFs and the briefing; the stock
# pipeline runs the same notebooks to HTML and webpdf. `--report all` times every report.
#
#     .venv/bin/python benchmarks/build_benchmark.py [--report NAME|all] [--rounds N]
#                                                   [--noop-runs K] [--quick]

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_RATIO = 0.40
GOAL_NOOP_SECONDS = 0.3
GOAL_HTML_BYTES = 1_500_000
CHROMIUM = "/usr/bin/chromium"
SOURCE_DATE_EPOCH = "1585612800"  # 2020-03-31, the end of the study window
# What Altair leaves in text/plain; stock nbconvert shows it in place of each chart.
PLACEHOLDER = re.compile(r"&lt;VegaLite \d+ object&gt;|<VegaLite \d+ object>")
CDN = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']https://""", re.I)
VEGA_LITE = re.compile(r"^application/vnd\.vegalite\.v\d+\+json$")

# nbconvert's webpdf exporter launches playwright's own Chromium, which is not installed and
# must not be downloaded; this wrapper points that launch at the system Chromium instead, with
# the flags that keep it off the network, and is otherwise `jupyter nbconvert` unchanged.
WEBPDF_WRAPPER = f"""\
import sys

import playwright.async_api._generated as generated

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
_launch = generated.BrowserType.launch


async def launch(self, **kwargs):
    kwargs["executable_path"] = {CHROMIUM!r}
    kwargs["args"] = [*(kwargs.get("args") or []), *ARGS]
    return await _launch(self, **kwargs)


generated.BrowserType.launch = launch

from nbconvert.nbconvertapp import main  # noqa: E402

sys.exit(main())
"""


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time and stderr of one process; a failure stops the benchmark with its output."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"error: exit {done.returncode} from {' '.join(argv)}")
    return seconds, done.stderr


def pairs(report: str) -> list[tuple[str, str, Path, dict[str, object]]]:
    """(report, notebook, source, injected parameters), exactly as `rusturk build` sees them."""
    from rusturk.report.variants import load_variants, notebook_values

    out = []
    for variant in load_variants():
        if report != "all" and variant.name != report:
            continue
        values = notebook_values(variant, {})
        out += [(variant.name, nb, variant.notebook_path(nb), values[nb])
                for nb in variant.notebooks]
    return out


def rusturk_build(out: Path, *flags: str) -> tuple[float, str]:
    # A fixed edition date, as CI would set it; otherwise a dirty tree dates by the clock.
    env = os.environ | {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    return run([sys.executable, "-m", "rusturk", "build", *flags, "--out", str(out)], env)


def noop(out: Path, only: list[str]) -> tuple[float, bool]:
    """Wall time of a rebuild without --force, and whether it found everything up to date."""
    seconds, stderr = rusturk_build(out, *only)
    return seconds, "reports up to date" in stderr


def noops(out: Path, runs: int, only: list[str]) -> tuple[list[float], int]:
    """`runs` no-op timings, and how many rebuilds got in the way.

    Edits to notebooks, data or the package while the benchmark runs (someone working in the
    same tree) rightly make the next build rebuild; that is not a no-op, so it is counted
    apart and the no-op is timed again once the rebuild has brought the folder up to date.
    """
    timed, rebuilt = [], 0
    while len(timed) < runs and rebuilt <= runs:
        seconds, was_noop = noop(out, only)
        if was_noop:
            timed.append(seconds)
        else:
            rebuilt += 1
            progress(f"inputs changed during the benchmark: a no-op rebuilt ({seconds:.1f} s)")
    if not timed:
        raise SystemExit("error: the build never came up to date; are inputs being edited?")
    return timed, rebuilt


def stock(out: Path, wrapper: Path, jobs: list) -> float:
    """The hand-written pipeline; every expected PDF is checked so a silent miss cannot pass."""
    from pypdf import PdfReader

    start = time.perf_counter()
    for report, notebook, source, values in jobs:
        target = out / report / f"{notebook}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        # JSON is YAML, and `-y` keeps list parameters lists where `-p` would make strings.
        params = ["-y", json.dumps(values)] if values else []
        run([sys.executable, "-m", "papermill", str(source), str(target), "-k", "python3",
             *params])
        run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(target)])
        run([sys.executable, str(wrapper), "--to", "webpdf", str(target)])
    seconds = time.perf_counter() - start
    for report, notebook, _, _ in jobs:
        pdf = out / report / f"{notebook}.pdf"
        if not pdf.exists() or not PdfReader(pdf).pages:
            raise SystemExit(f"error: stock webpdf made no PDF at {pdf}")
    return seconds


def charts(executed: Path) -> int:
    book = json.loads(executed.read_text(encoding="utf-8"))
    return sum(any(VEGA_LITE.match(k) for k in output.get("data", {}))
               for cell in book["cells"] for output in cell.get("outputs", []))


def html_figures(html: Path, executed: Path) -> dict:
    text = html.read_text(encoding="utf-8")
    total = charts(executed) if executed.exists() else 0
    return {"bytes": html.stat().st_size, "charts": total,
            "shown": total - len(PLACEHOLDER.findall(text)), "cdn": len(CDN.findall(text))}


def pdf_figures(pdf: Path) -> dict:
    from pypdf import PdfReader

    return {"bytes": pdf.stat().st_size, "pages": len(PdfReader(pdf).pages)}


def sizes(out: Path) -> tuple[dict, dict]:
    # Each report once, through its name: not again through the version folder it links to.
    html = {p.relative_to(out).as_posix(): html_figures(p, p.with_suffix(".ipynb"))
            for p in sorted(out.glob("[!.]*/*.html"))}
    pdf = {p.relative_to(out).as_posix(): pdf_figures(p) for p in sorted(out.glob("[!.]*/*.pdf"))}
    return html, pdf


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} kB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", default="full",
                        help="the report to time like for like, or 'all' (default: full)")
    parser.add_argument("--rounds", type=int, default=3, help="builds of each pipeline")
    parser.add_argument("--noop-runs", type=int, default=3,
                        help="no-op rebuilds timed after each `ours` build")
    parser.add_argument("--quick", action="store_true", help="one round: a smoke run")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    if rounds < 1 or args.noop_runs < 1:
        parser.error("--rounds and --noop-runs must be at least 1")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"error: {CHROMIUM} not found; the stock webpdf needs it")

    jobs = pairs(args.report)
    if not jobs:
        parser.error(f"--report {args.report}: no such report in reports.yaml")
    only = [] if args.report == "all" else ["--only", args.report]
    load_before = load()
    progress(f"{len(jobs)} notebook runs per build, {rounds} round(s); {load_before}")
    times: dict[str, list[float]] = {"ours": [], "stock": []}
    noop_times: list[float] = []
    interrupted = 0
    with tempfile.TemporaryDirectory(prefix="rusturk-build-bench-") as tmp:
        wrapper = Path(tmp) / "webpdf_system_chromium.py"
        wrapper.write_text(WEBPDF_WRAPPER, encoding="utf-8")
        for i in range(1, rounds + 1):
            order = ("ours", "stock") if i % 2 else ("stock", "ours")
            folders = {name: Path(tmp) / f"round{i}-{name}" for name in order}
            for name in order:
                progress(f"round {i}/{rounds}: {name} build…")
                seconds = (rusturk_build(folders[name], "--force", *only)[0] if name == "ours"
                           else stock(folders[name], wrapper, jobs))
                times[name].append(seconds)
                progress(f"round {i}/{rounds}: {name} {seconds:.1f} s")
                if name == "ours":
                    # Straight after the build, so edits elsewhere in the tree seldom intrude.
                    timed, rebuilt = noops(folders[name], args.noop_runs, only)
                    noop_times += timed
                    interrupted += rebuilt
                    progress(f"round {i}/{rounds}: no-op rebuilds "
                             + ", ".join(f"{t:.2f} s" for t in timed))
        # Outputs do not change from round to round, so the last round's stand for all.
        our_html, our_pdf = sizes(folders["ours"])
        stock_html, stock_pdf = sizes(folders["stock"])
    load_after = load()

    print(f"rusturk build benchmark: {len(jobs)} notebook runs "
          f"({', '.join(sorted({r for r, *_ in jobs}))}), {rounds} round(s), alternating")
    print(f"before: {load_before}; after: {load_after}")
    print()
    print(f"{'round':<8}{'ours':>10}{'stock':>10}{'ours/stock':>12}")
    ratios = [o / s for o, s in zip(times["ours"], times["stock"], strict=True)]
    for i, (o, s) in enumerate(zip(times["ours"], times["stock"], strict=True), start=1):
        print(f"{i:<8}{o:>8.1f} s{s:>8.1f} s{o / s:>12.3f}")
    o, s = statistics.median(times["ours"]), statistics.median(times["stock"])
    ratio = o / s
    print(f"{'median':<8}{o:>8.1f} s{s:>8.1f} s{ratio:>12.3f}   goal <= {GOAL_RATIO}: "
          f"{'met' if ratio <= GOAL_RATIO else 'MISSED'}")
    print(f"median of the per-round ratios: {statistics.median(ratios):.3f}")
    n = statistics.median(noop_times)
    print(f"no-op rebuild: median {n:.2f} s of {len(noop_times)} (min {min(noop_times):.2f}, "
          f"max {max(noop_times):.2f})   goal < {GOAL_NOOP_SECONDS} s: "
          f"{'met' if n < GOAL_NOOP_SECONDS else 'MISSED'}")
    if interrupted:
        print(f"  ({interrupted} rebuild(s) not counted: inputs were edited during the run)")
    print()
    print("HTML (charts: not replaced by Altair's text/plain placeholder / charts in the "
          "executed notebook; CDN: <script>/<link> loading https://)")
    print(f"  {'file':<34}{'ours':>10}{'charts':>8}{'CDN':>5}{'stock':>12}{'charts':>8}"
          f"{'CDN':>5}")
    for name in sorted(our_html.keys() | stock_html.keys()):
        a, b = our_html.get(name), stock_html.get(name)
        left = (f"{kb(a['bytes']):>10}{a['shown']:>4}/{a['charts']:<3}{a['cdn']:>5}" if a
                else f"{'-':>10}{'':>8}{'':>5}")
        right = (f"{kb(b['bytes']):>12}{b['shown']:>4}/{b['charts']:<3}{b['cdn']:>5}" if b
                 else f"{'-':>12}")
        print(f"  {name:<34}{left}{right}")
    largest = max(f["bytes"] for f in our_html.values())
    print(f"  largest of ours {kb(largest)}   goal each < {kb(GOAL_HTML_BYTES)}: "
          f"{'met' if largest < GOAL_HTML_BYTES else 'MISSED'}")
    print()
    print("PDF")
    print(f"  {'file':<34}{'ours':>10}{'pages':>7}{'stock':>12}{'pages':>7}")
    for name in sorted(our_pdf.keys() | stock_pdf.keys()):
        a, b = our_pdf.get(name), stock_pdf.get(name)
        left = f"{kb(a['bytes']):>10}{a['pages']:>7}" if a else f"{'-':>10}{'':>7}"
        right = f"{kb(b['bytes']):>12}{b['pages']:>7}" if b else f"{'-':>12}"
        print(f"  {name:<34}{left}{right}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
