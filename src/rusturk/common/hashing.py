"""Content hashes: cheap to compute, no heavy imports, same bytes same digest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


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
