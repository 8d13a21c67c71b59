"""Profile one cold `rusturk build`: a timeline of its stages and the slowest notebook cells."""

# Where a build's wall time goes, measured by wrapping the stages (data checks, the analysts'
# words, each notebook's run, each export, every Chromium print, the briefing and the annex)
# with timers, and by reading papermill's per-cell durations from the executed notebooks.
# The stages overlap (notebooks run in worker threads while the main thread exports), so the
# timeline shows when each began and ended, not only how long it took.
#
#     .venv/bin/python benchmarks/build_profile.py [--report full] [--cells 12]

from __future__ import annotations

import argparse
import functools
import io
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENTS: list[tuple[str, float, float, str]] = []
ORIGIN = time.perf_counter()


def timed(owner: object, name: str, label: str | None = None) -> None:
    """Replace owner.name with a wrapper that records when each call began and ended."""
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            tag = label or name
            if name == "execute" and len(args) > 0:
                tag = f"execute {Path(args[0]).stem}"
            EVENTS.append((tag, begun - ORIGIN, time.perf_counter() - ORIGIN,
                           threading.current_thread().name))

    setattr(owner, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", default="full", help="the report of reports.yaml")
    parser.add_argument("--cells", type=int, default=12, help="slowest cells listed")
    args = parser.parse_args()

    from rusturk.analysis import judgements
    from rusturk.report import annex, assemble, briefing, build, execute, pdf
    from rusturk.report.progress import Progress

    timed(build, "_check_data", "check data")
    timed(build, "_check_words", "check words")
    timed(execute, "execute")
    timed(assemble.Exporter, "notebook", "export notebook")
    timed(assemble.Exporter, "report", "briefing + annex")
    timed(briefing, "build_pdf", "briefing pdf")
    timed(annex, "build_pdf", "annex pdf")
    timed(annex, "document", "annex document")
    timed(pdf, "finish", "pdf finish")
    timed(judgements, "for_window", "judgements for_window")
    cells: list[tuple[float, str, str]] = []
    normalise = execute.normalise

    def durations(book, source_name, target_name, record):
        # papermill's per-cell durations, read before normalising drops them.
        for cell in book.cells:
            took = cell.get("metadata", {}).get("papermill", {}).get("duration")
            if took:
                cells.append((took, Path(target_name).stem, cell.get("id", "")))
        return normalise(book, source_name, target_name, record)

    execute.normalise = durations

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        started = time.perf_counter()
        status = build.run(build.Options(only=[args.report], force=True, out=out),
                           Progress(stream=io.StringIO()))
        total = time.perf_counter() - started
    print(f"build {args.report}: exit {status}, {total:.1f} s wall\n")
    print(f"{'stage':32} {'from':>7} {'to':>7} {'took':>6}  thread")
    for tag, begun, ended, thread in sorted(EVENTS, key=lambda e: e[1]):
        print(f"{tag:32} {begun:7.2f} {ended:7.2f} {ended - begun:6.2f}  {thread}")
    totals: dict[str, float] = {}
    for tag, begun, ended, _ in EVENTS:
        key = tag.split(" ")[0] if tag.startswith("execute") else tag
        totals[key] = totals.get(key, 0.0) + ended - begun
    print("\nsummed by stage:")
    for tag, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {tag:30} {seconds:6.2f} s")
    print(f"\nslowest {args.cells} cells (papermill's durations):")
    for duration, book, cell_id in sorted(cells, reverse=True)[:args.cells]:
        print(f"  {duration:6.2f} s  {book} {cell_id}")
    return status


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
