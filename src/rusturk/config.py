"""Every path and default of the project, each with its environment override; others ask here."""

from __future__ import annotations

import os
from pathlib import Path

# The project folder (notebooks/, reports.yaml, data/, reports/) is found from where the
# command runs, never from where the package is installed: a wheel in site-packages and an
# editable checkout behave alike. $RUSTURK_ROOT (or `rusturk --root`) names it explicitly.
ROOT_ENV = "RUSTURK_ROOT"
NOTEBOOKS = "notebooks"
VARIANTS = "reports.yaml"

# The study's bounds: every event, phase and date parameter lies inside them. The data run
# from the Su-24 shoot-down (24 November 2015) to the Moscow ceasefire's aftermath (March
# 2020); the bounds are the calendar years around that, so a window may open a little before
# the first event or close after the last, while a slip such as 9999 or 2102 is refused.
STUDY_START = "2015-01-01"
STUDY_END = "2020-12-31"
# How long one notebook cell may run before the build stops it (`rusturk build --timeout`):
# the slowest cell of the bundled notebooks takes a few seconds; ten minutes leaves room for
# a large event stream and still ends a cell that loops.
DEFAULT_CELL_TIMEOUT = 600
# Sources are dated too: published from the beginning of a modern record, read in our time.
SOURCES_EARLIEST = "1900-01-01"

# Environment overrides, read when asked so that tests and callers can set them.
DATA_ENV = "RUSTURK_DATA"  # another data folder for every command and notebook
CHROMIUM_ENV = "RUSTURK_CHROMIUM"  # the Chromium that prints PDFs, instead of PATH's
EPOCH_ENV = "SOURCE_DATE_EPOCH"  # the edition's date, for reproducible builds
VALIDATED_ENV = "RUSTURK_VALIDATED"  # set by a build for its kernels: see validated_versions
CACHE_ENV = "RUSTURK_CACHE"  # where small derived facts are kept between builds


class ProjectNotFound(Exception):
    """No project folder where one was looked for; the message is one line for the user."""


def _is_project(folder: Path) -> bool:
    return (folder / NOTEBOOKS).is_dir() and (folder / VARIANTS).is_file()


def project_root() -> Path:
    """The project folder: $RUSTURK_ROOT if set, else the working directory or the nearest
    folder above it that holds notebooks/ and reports.yaml."""
    named = os.environ.get(ROOT_ENV)
    if named:
        root = Path(named).resolve()
        if not _is_project(root):
            raise ProjectNotFound(f"{ROOT_ENV}={named}: expected a folder holding {NOTEBOOKS}/ "
                                  f"and {VARIANTS}")
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    raise ProjectNotFound(f"no {NOTEBOOKS}/ and {VARIANTS} in {here} or above it; run from the "
                          f"project folder, or name it with --root DIR or ${ROOT_ENV}")


def notebooks_dir() -> Path:
    return project_root() / NOTEBOOKS


def variants_file() -> Path:
    return project_root() / VARIANTS


def reports_dir() -> Path:
    return project_root() / "reports"


def default_data_dir() -> Path:
    """The data folder: $RUSTURK_DATA if set, else the project's `data/`."""
    named = os.environ.get(DATA_ENV)
    return Path(named) if named else project_root() / "data"


def chromium_override() -> str | None:
    """$RUSTURK_CHROMIUM, where set."""
    return os.environ.get(CHROMIUM_ENV) or None


def source_date_epoch() -> str | None:
    """$SOURCE_DATE_EPOCH, where set."""
    return os.environ.get(EPOCH_ENV) or None


def cache_dir() -> Path:
    """$RUSTURK_CACHE, else ~/.cache/rusturk: facts derived from inputs, keyed by their hash."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "rusturk")


def validated_versions() -> frozenset[str]:
    """$RUSTURK_VALIDATED: the data versions (`data.checksums.data_version`) a build has
    validated before running any notebook, set by the build for its kernels only."""
    return frozenset(os.environ.get(VALIDATED_ENV, "").split())
