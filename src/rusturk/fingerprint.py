"""Content hashes for manifests: cheap to compute, no heavy imports, same bytes same digest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# What a report depends on inside the package: code, templates, styles, SQL.
PACKAGE_SUFFIXES = {".py", ".j2", ".css", ".js", ".json", ".sql"}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_json(value: object) -> str:
    """Digest of a JSON-able value, independent of key order."""
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False,
                                   default=str).encode("utf-8"))


def tree_hashes(root: Path, suffixes: set[str] | None = None) -> dict[str, str]:
    """SHA-256 of every file under `root` (optionally only these suffixes), by relative path.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "a.csv").write_bytes(b"x")
    ...     tree_hashes(Path(d))["a.csv"][:12]
    '2d711642b726'
    """
    out = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.name.startswith("."):
            continue
        if suffixes is None or path.suffix in suffixes:
            out[path.relative_to(root).as_posix()] = sha256_file(path)
    return out


def data_checksums(data_dir: Path) -> dict[str, str]:
    """SHA-256 of every table and every bundled raw file, keyed by path relative to the folder.

    Lives here, not in `data`, so that the build can hash the data without importing pandas.
    """
    from rusturk.schema import TABLES

    paths = [data_dir / t.filename for t in TABLES.values()]
    raw = data_dir / "raw"
    paths += sorted(p for p in raw.rglob("*") if p.is_file()) if raw.is_dir() else []
    return {p.relative_to(data_dir).as_posix(): sha256_file(p) for p in paths if p.is_file()}


def data_version(checksums: dict[str, str]) -> str:
    """Short data version: a SHA-256 over every data file's name and checksum."""
    digest = hashlib.sha256()
    for name, checksum in sorted(checksums.items()):
        digest.update(f"{name}\0{checksum}\n".encode())
    return digest.hexdigest()[:12]


def package_fingerprint() -> str:
    """One digest over the package's code and templates: editing either rebuilds reports."""
    return sha256_json(tree_hashes(PACKAGE_DIR, PACKAGE_SUFFIXES))
