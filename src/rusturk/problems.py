"""Problems found in the data, reported as `file:row: column: message` lines."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
        return f"{self.file}:{self.row}: {self.column}: {self.message}"


class DataError(Exception):
    """Raised when the data fails validation; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        shown = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n… and {more} more" if more > 0 else ""
        super().__init__(
            f"the data has {len(self.problems)} problem(s); run `rusturk validate` to list "
            f"them all:\n{shown}{tail}"
        )
