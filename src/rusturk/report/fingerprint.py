"""What a report's bytes depend on besides its inputs: the package's code and templates."""

from __future__ import annotations

from pathlib import Path

from rusturk.common.hashing import sha256_json, tree_hashes

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What a report depends on inside the package: code, templates, styles, SQL.
PACKAGE_SUFFIXES = {".py", ".j2", ".css", ".js", ".json", ".sql"}


def package_fingerprint() -> str:
    """One digest over the package's code and templates: editing either rebuilds reports."""
    return sha256_json(tree_hashes(PACKAGE_DIR, PACKAGE_SUFFIXES))
