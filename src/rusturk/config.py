"""Every path and default of the project, each with its environment override; others ask here."""

from __future__ import annotations

import os
from pathlib import Path

# src/rusturk/config.py -> the repository root, for a checkout installed in editable mode.
REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
VARIANTS_FILE = REPO_ROOT / "reports.yaml"
REPORTS_DIR = REPO_ROOT / "reports"

# Environment overrides, read when asked so that tests and callers can set them.
DATA_ENV = "RUSTURK_DATA"  # another data folder for every command and notebook
CHROMIUM_ENV = "RUSTURK_CHROMIUM"  # the Chromium that prints PDFs, instead of PATH's
EPOCH_ENV = "SOURCE_DATE_EPOCH"  # the edition's date, for reproducible builds
CACHE_ENV = "RUSTURK_CACHE"  # where small derived facts are kept between builds


def default_data_dir() -> Path:
    """The data folder: $RUSTURK_DATA if set, else the repository's `data/`."""
    return Path(os.environ.get(DATA_ENV) or REPO_ROOT / "data")


def chromium_override() -> str | None:
    """$RUSTURK_CHROMIUM, where set."""
    return os.environ.get(CHROMIUM_ENV) or None


def source_date_epoch() -> str | None:
    """$SOURCE_DATE_EPOCH, where set."""
    return os.environ.get(EPOCH_ENV) or None


def cache_dir() -> Path:
    """$RUSTURK_CACHE, else ~/.cache/rusturk: facts derived from inputs, keyed by their hash."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "rusturk")
