"""Problems found in the data, reported as `file:row: column: message` lines."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# C0 and C1 controls (tab and newline too: a problem is one line) and the bidirectional
# overrides, which would let a cell clear the terminal or reverse the text around it.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""Text shown as text on a terminal: every control character as an escape.

    Examples:
        >>> print(printable("ok\x1b[2Jgone\u202e"))
        ok\x1b[2Jgone\u202e
    """
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell, row or file.

    `row` is the line number in the file where the record starts (the header is line 1);
    `column` is "-" when the problem concerns a whole file or row.
    """

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return printable(f"{self.file}:{self.row}: {self.column}: {self.message}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(problem: Problem, root: Path | str | None = None) -> str:
    """The problem as a GitHub Actions `::error` command, which annotates its file and line.

    GitHub needs the file relative to the repository: pass the checkout as `root`
    ($GITHUB_WORKSPACE) to rewrite paths inside it. Special characters are %-escaped as
    GitHub's workflow-command rules require.

    Examples:
        >>> print(workflow_command(Problem("data/events.csv", 12, "date", "got '2016-06-31'")))
        ::error file=data/events.csv,line=12,title=date::got '2016-06-31'
        >>> print(workflow_command(Problem("/ci/a,b.csv", 1, "-", "100% bad\\nnext"), "/ci"))
        ::error file=a%2Cb.csv,line=1::100%25 bad%0Anext
    """
    file = Path(problem.file)
    if root is not None:
        absolute = Path(os.path.abspath(file))
        if absolute.is_relative_to(os.path.abspath(root)):
            file = absolute.relative_to(os.path.abspath(root))
    props = [f"file={_escape_property(file.as_posix())}", f"line={problem.row}"]
    if problem.column != "-":
        props.append(f"title={_escape_property(problem.column)}")
    return f"::error {','.join(props)}::{_escape_data(problem.message)}"


class Lines(Exception):
    """An error a user reads: one or more lines, each printed as a line of its own (control
    characters in any of them escaped), never joined into one.

    Examples:
        >>> print(Lines("first", "second"))
        first
        second
    """

    def __init__(self, *lines: str):
        super().__init__(*lines)
        self.lines = tuple(str(line) for line in lines)

    def __str__(self) -> str:
        return "\n".join(self.lines)


class DataError(Exception):
    """Raised when the data fails validation; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        shown = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n… and {more} more" if more > 0 else ""
        super().__init__(
            f"the data has {len(self.problems)} problems; run `rusturk validate` to list "
            f"them all:\n{shown}{tail}"
        )
