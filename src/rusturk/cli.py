"""The `rusturk` command line."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path

from rusturk import __version__
from rusturk.common.problems import printable
from rusturk.config import DEFAULT_CELL_TIMEOUT, ROOT_ENV, ProjectNotFound, default_data_dir


def _validate(args: argparse.Namespace) -> int:
    from rusturk.common.problems import DataError
    from rusturk.data.dataset import load
    from rusturk.data.summary import summary_text

    try:
        ds = load(args.data)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            # On GitHub, each problem also becomes an annotation on its file and line.
            from rusturk.common.problems import workflow_command

            for problem in exc.problems:
                print(workflow_command(problem, os.environ.get("GITHUB_WORKSPACE")))
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    failed = _judgement_problems(ds)
    for problem in failed:
        print(problem, file=sys.stderr)
    if failed:
        print(f"{len(failed)} judgement condition(s) fail on this data: reword the judgement "
              "or its confidence, or correct the data", file=sys.stderr)
        return 1
    print(summary_text(ds))
    return 0


def _judgement_problems(ds) -> list:
    """Each key judgement checked on its own period: one problem per failing condition."""
    from rusturk.analysis.judgements import check_all
    from rusturk.analysis.window import Window
    from rusturk.common.problems import Problem, display_path
    from rusturk.data.narrative import JUDGEMENTS

    start, end = ds.study_period
    where = display_path(ds.data_dir / JUDGEMENTS)
    return [Problem(where, part.line, "checks", line)
            for part, lines in check_all(Window(ds, start, end)) for line in lines]


def _dictionary(args: argparse.Namespace) -> int:
    from rusturk.data import datapackage, dictionary

    readme = args.out or default_data_dir() / "README.md"
    package = args.package or readme.parent / datapackage.FILENAME
    # Both are written from the schema: the dictionary for people, the descriptor for tools.
    files = ((readme, dictionary.render()), (package, datapackage.render()))
    if args.check:
        stale = [target for target, text in files
                 if (target.read_text(encoding="utf-8") if target.exists() else "") != text]
        for target in stale:
            print(f"{target}: out of date with src/rusturk/data/schema.py; run "
                  "`rusturk dictionary`", file=sys.stderr)
        if stale:
            return 1
        print(f"{readme}, {package}: up to date")
        return 0
    from rusturk.common.atomic import write_text

    for target, text in files:
        write_text(target, text)
        print(f"wrote {target}")
    return 0


def _stream(args: argparse.Namespace) -> int:
    from datetime import date

    from rusturk.common.atomic import write_text
    from rusturk.streams.reader import MIB, StreamError, aggregate
    from rusturk.streams.sql import Options, bigquery_sql

    def usage(message: str) -> int:
        print(f"rusturk stream: {message}", file=sys.stderr)
        return 2

    def day(flag: str, value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise ValueError(f"{flag} {value!r}: expected a day as YYYY-MM-DD") from None

    try:
        options = Options(freq=args.freq, with_=tuple(c.upper() for c in args.with_),
                          start=day("--start", args.start), end=day("--end", args.end))
    except ValueError as exc:
        return usage(str(exc))
    if args.bigquery_sql:
        if args.files or args.format == "icews":
            return usage("--bigquery-sql writes the query for GDELT's BigQuery table; it takes "
                         "no input files and no --format icews")
        text = bigquery_sql(options)
    else:
        if not args.files:
            return usage("name at least one export file or glob (or use --bigquery-sql)")
        if args.format is None:
            return usage("--format is required: gdelt or icews")
        if args.max_inflated < 1:
            return usage("--max-inflated must be 1 or more")
        try:
            result = aggregate(args.files, args.format, options,
                               max_inflated=args.max_inflated * MIB)
        except (StreamError, ValueError) as exc:
            print(printable(f"rusturk stream: {exc}"), file=sys.stderr)
            return 1
        print(result.report(), file=sys.stderr)
        if not result.files:
            print("rusturk stream: no input file could be read", file=sys.stderr)
            return 1
        text = result.to_csv()
    if args.out:
        write_text(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _build(args: argparse.Namespace) -> int:
    from rusturk.config import reports_dir
    from rusturk.report.build import BuildError, Options, run
    from rusturk.report.params import MAX_PATH, ParameterError, load_params_file
    from rusturk.report.variants import parse_assignments

    try:
        overrides: dict[str, object] = {}
        if args.params_file:
            overrides |= load_params_file(args.params_file)
        overrides |= parse_assignments(args.param)
        if args.timeout < 1:
            raise ParameterError(f"--timeout {args.timeout}: expected a number of seconds, 1 "
                                 "or more")
        options = Options(only=args.only, overrides=overrides, jobs=args.jobs,
                          force=args.force, out=args.out or reports_dir(), since=args.since,
                          pdf=not args.no_pdf,
                          timeout=args.timeout, name=args.name, title=args.title,
                          **({"variants_file": args.variants} if args.variants else {}))
        if len(str(options.out)) > MAX_PATH:
            raise ParameterError(f"--out is {len(str(options.out)):,} characters long; a folder "
                                 f"name is at most {MAX_PATH:,}")
        with _terminated_as_interrupt():
            return run(options)
    except (ParameterError, BuildError) as exc:
        # Several problems are several lines; each is escaped on its own.
        for i, line in enumerate(exc.lines or ("",)):
            print(printable(f"rusturk build: {line}" if i == 0 else line), file=sys.stderr)
        return 2 if isinstance(exc, ParameterError) else 1
    except KeyboardInterrupt:
        print("rusturk build: interrupted; no report was changed", file=sys.stderr)
        return 130
    except OSError as exc:
        # A read-only or full disk, a name too long, a loop of symlinks: the staging folder is
        # gone and the previous reports are as they were; the user needs the cause in a line.
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(printable(f"rusturk build: cannot write the reports{where}: "
                        f"{exc.strerror or exc}; fix that and build again. The previous "
                        "reports are untouched."), file=sys.stderr)
        return 1
    except Exception as exc:  # the renderer (Chromium, vl-convert) died under us
        if exc.__class__.__module__.split(".")[0] not in ("playwright", "vl_convert"):
            raise
        print(printable(f"rusturk build: the renderer failed ({exc.__class__.__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}); the previous "
                        "reports are untouched. Check that Chromium runs "
                        "(`chromium --version`) and build again."), file=sys.stderr)
        return 1


def _changes(args: argparse.Namespace) -> int:
    from rusturk.data.changes import (
        ChangesError,
        diff,
        snapshot,
        snapshot_from_git,
        to_markdown,
        to_text,
    )

    if args.max_items < 1:
        print("rusturk changes: --max-items must be 1 or more", file=sys.stderr)
        return 2
    try:
        changes = diff(snapshot_from_git(args.since, args.data), snapshot(args.data))
    except ChangesError as exc:
        print(printable(f"rusturk changes: {exc}"), file=sys.stderr)
        return 1
    render = to_markdown if args.markdown else to_text
    print(render(changes, max_items=args.max_items), end="")
    return 0


def _grades(args: argparse.Namespace) -> int:
    from rusturk.data.grades import check_folder

    return check_folder(args.data_dir, fix=args.fix)


def _site(args: argparse.Namespace) -> int:
    from rusturk.report.site import build_site

    try:
        items = build_site(args.reports, args.site, commit=args.commit)
    except FileNotFoundError as exc:
        print(printable(f"rusturk site: {exc}"), file=sys.stderr)
        return 1
    print(f"wrote {args.site / 'index.html'} listing {len(items)} report(s)")
    return 0


@contextlib.contextmanager
def _terminated_as_interrupt():
    """SIGTERM (a CI job cancelled, `kill`) stops a build the way Ctrl-C does: staging
    removed, lock released, previous reports untouched."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rusturk",
        description="Russia–Turkey relations 2015–2020: curated data, analysis and reports.")
    parser.add_argument("--version", action="version", version=f"rusturk {__version__}")
    parser.add_argument("--root", type=Path, default=None, metavar="DIR",
                        help="the project folder (notebooks/, reports.yaml, data/); default: "
                             f"${ROOT_ENV}, else the working directory or the nearest above it")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the data; list every problem or print a summary")
    p.add_argument("--data", type=Path, default=None, metavar="DIR",
                   help="data folder (default: $RUSTURK_DATA or the repository's data/)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("dictionary", help="write the data dictionary and the data package "
                       "descriptor from the schema")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="where to write the dictionary (default: data/README.md)")
    p.add_argument("--package", type=Path, default=None, metavar="FILE",
                   help="where to write the Frictionless descriptor (default: datapackage.json "
                        "beside the dictionary)")
    p.add_argument("--check", action="store_true",
                   help="only check that both files are up to date; exit 1 if not")
    p.set_defaults(func=_dictionary)

    p = sub.add_parser("build", help="run the notebooks and export HTML, PDFs and the briefing")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="build only this report from reports.yaml (repeatable)")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="set a notebook parameter for every report built (repeatable)")
    p.add_argument("--params-file", type=Path, metavar="FILE",
                   help="YAML or JSON mapping of parameters; -p values win")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="notebooks run at once (default: the number of CPUs)")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="output folder (default: the project's reports/)")
    p.add_argument("--variants", type=Path, default=None, metavar="FILE",
                   help="the variants file (default: reports.yaml)")
    p.add_argument("--since", metavar="REF",
                   help="list data changes since this git ref instead of the previous build")
    p.add_argument("--no-pdf", action="store_true",
                   help="skip the PDFs (no Chromium needed): executed notebooks and HTML only")
    p.add_argument("--name", metavar="NAME",
                   help="the report's folder name (one report; by default a window set with "
                        "-p start_date/end_date names its own, e.g. full-2016-06-27-to-...)")
    p.add_argument("--title", metavar="TEXT",
                   help="the report's title (one report; by default a window set with -p "
                        "is titled by its dates)")
    p.add_argument("--timeout", type=int, default=DEFAULT_CELL_TIMEOUT, metavar="SECONDS",
                   help="stop a notebook whose cell runs longer than this "
                        f"(default {DEFAULT_CELL_TIMEOUT})")
    p.set_defaults(func=_build)

    p = sub.add_parser("stream", help="aggregate GDELT 2.0 or ICEWS exports for the "
                       "Russia–Turkey dyad, per week or month")
    p.add_argument("files", nargs="*", metavar="FILE_OR_GLOB",
                   help="export files, or quoted globs; .zip and .gz files are read too")
    p.add_argument("--format", choices=["gdelt", "icews"], default=None,
                   help="gdelt: GDELT 2.0 event exports (61 columns, no header); icews: ICEWS "
                        "event files (20 columns, header)")
    p.add_argument("--freq", choices=["W", "M"], default="W",
                   help="one row per week (Monday start, the default) or calendar month")
    p.add_argument("--with", dest="with_", action="append", default=[], metavar="CODE",
                   help="add a third party to Russia's side of the dyad, e.g. SYR; repeatable")
    p.add_argument("--start", default=None, metavar="YYYY-MM-DD", help="first day kept")
    p.add_argument("--end", default=None, metavar="YYYY-MM-DD", help="last day kept")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="write the CSV (or SQL) here instead of standard output")
    p.add_argument("--bigquery-sql", action="store_true",
                   help="write the same aggregate as SQL for GDELT's BigQuery table instead")
    p.add_argument("--max-inflated", type=int, default=512, metavar="MIB",
                   help="skip a .zip or .gz that inflates beyond this many MiB (default 512)")
    p.set_defaults(func=_stream)

    p = sub.add_parser("changes", help="what changed in the data since a git revision")
    p.add_argument("--since", required=True, metavar="REF",
                   help="git revision to compare with (branch, tag or commit)")
    p.add_argument("--data", type=Path, default=None, metavar="DIR",
                   help="data folder (default: $RUSTURK_DATA or the project's data/)")
    p.add_argument("--markdown", action="store_true", help="print Markdown, not text")
    p.add_argument("--max-items", type=int, default=20, metavar="N",
                   help="changes listed per table before '… and N more' (default 20)")
    p.set_defaults(func=_changes)

    p = sub.add_parser("grades", help="check (or with --fix, rewrite) DIR/sources.csv by the "
                       "grade rule of data/CODEBOOK.md, section 9")
    p.add_argument("data_dir", metavar="DIR", type=Path, help="the data folder")
    p.add_argument("--fix", action="store_true", help="rewrite sources.csv in place")
    p.set_defaults(func=_grades)

    p = sub.add_parser("site", help="assemble the built reports into a static site with an "
                       "index page (GitHub Pages)")
    p.add_argument("reports", type=Path, help="the built reports folder (reports/)")
    p.add_argument("site", type=Path, help="where to assemble the site (for example _site)")
    p.add_argument("--commit", default="", help="commit to name in the page's footer")
    p.set_defaults(func=_site)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    before = os.environ.get(ROOT_ENV)
    if args.root is not None:
        os.environ[ROOT_ENV] = str(args.root)
    try:
        return args.func(args)
    except ProjectNotFound as exc:
        print(printable(f"rusturk {args.command}: {exc}"), file=sys.stderr)
        return 2
    finally:
        # main() is called in-process too (tests): --root holds for this command only.
        if args.root is not None:
            if before is None:
                os.environ.pop(ROOT_ENV, None)
            else:
                os.environ[ROOT_ENV] = before


if __name__ == "__main__":
    sys.exit(main())
