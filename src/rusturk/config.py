"""Where the project's folders are; every other module asks here."""

from __future__ import annotations

import os
from pathlib import Path

# src/rusturk/paths.py -> the repository root, for a checkout installed in editable mode.
REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """The data folder: $RUSTURK_DATA if set, else the repository's `data/`."""
    return Path(os.environ.get("RUSTURK_DATA") or REPO_ROOT / "data")
