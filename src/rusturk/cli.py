"""The `rusturk` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rusturk import __version__
from rusturk.paths import default_data_dir


def _validate(args: argparse.Namespace) -> int:
    from rusturk.data import load
    from rusturk.problems import DataError
    from rusturk.summary import summary_text

    try:
        ds = load(args.data)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(summary_text(ds))
    return 0


def _dictionary(args: argparse.Namespace) -> int:
    from rusturk.dictionary import render

    target = args.out or default_data_dir() / "README.md"
    text = render()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target}: out of date with src/rusturk/schema.py; run `rusturk dictionary`",
                  file=sys.stderr)
            return 1
        print(f"{target}: up to date")
        return 0
    from rusturk.atomic import write_text

    write_text(target, text)
    print(f"wrote {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rusturk",
        description="Russia–Turkey relations 2015–2020: curated data, analysis and reports.")
    parser.add_argument("--version", action="version", version=f"rusturk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the data; list every problem or print a summary")
    p.add_argument("--data", type=Path, default=None, metavar="DIR",
                   help="data folder (default: $RUSTURK_DATA or the repository's data/)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("dictionary", help="write the data dictionary from the schema")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="where to write it (default: data/README.md)")
    p.add_argument("--check", action="store_true",
                   help="only check that the file is up to date; exit 1 if not")
    p.set_defaults(func=_dictionary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
