"""Checksums of a data folder's files and the short data version built from them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rusturk.common.hashing import sha256_file
from rusturk.data.schema import TABLES

# The analysts' words are data too: editing them rebuilds the briefing.
JUDGEMENTS, NARRATIVE = "judgements.yaml", "narrative.yaml"


def data_checksums(data_dir: Path) -> dict[str, str]:
    """SHA-256 of every table and every bundled raw file, keyed by path relative to the folder.

    Needs only the schema, so that the build can hash the data without importing pandas.
    """
    paths = [data_dir / t.filename for t in TABLES.values()]
    paths += [data_dir / name for name in (JUDGEMENTS, NARRATIVE)]
    raw = data_dir / "raw"
    paths += sorted(p for p in raw.rglob("*") if p.is_file()) if raw.is_dir() else []
    return {p.relative_to(data_dir).as_posix(): sha256_file(p) for p in paths if p.is_file()}


def data_version(checksums: dict[str, str]) -> str:
    """Short data version: a SHA-256 over every data file's name and checksum."""
    digest = hashlib.sha256()
    for name, checksum in sorted(checksums.items()):
        digest.update(f"{name}\0{checksum}\n".encode())
    return digest.hexdigest()[:12]
