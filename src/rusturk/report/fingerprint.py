"""What a report's bytes depend on besides its inputs: the package and the renderers' versions."""

from __future__ import annotations

import os
from functools import cache
from importlib import metadata
from pathlib import Path

from rusturk.common.hashing import sha256_json, tree_hashes

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What a report depends on inside the package: code, templates, styles, SQL, map data.
PACKAGE_SUFFIXES = {".py", ".j2", ".css", ".js", ".json", ".sql", ".geojson", ".csv"}
# Libraries whose version changes a report's bytes: charts, HTML, PDF, tables, numbers.
RENDERERS = ("altair", "vl-convert-python", "nbconvert", "nbformat", "jinja2", "pikepdf",
             "playwright", "pandas")


def package_fingerprint() -> str:
    """One digest over the package's code and templates: editing either rebuilds reports."""
    return sha256_json(tree_hashes(PACKAGE_DIR, PACKAGE_SUFFIXES))


def _stat(path: Path) -> list[object]:
    info = path.stat()
    return [str(path), info.st_size, info.st_mtime_ns]


@cache
def chromium_identity() -> list[object]:
    """The Chromium that prints the PDFs, identified without starting it (which costs 0.2 s):
    the launcher's size and time and, for Debian's launcher script, those of the binary in
    /usr/lib/chromium that it runs. An upgrade changes them and so rebuilds the PDFs."""
    from rusturk.report.pdf import find_chromium

    try:
        found = find_chromium()
    except RuntimeError:
        return ["missing"]
    if not found:
        return ["playwright's own"]
    launcher = Path(os.path.realpath(found))
    identity = _stat(launcher)
    binary = Path("/usr/lib") / launcher.name / launcher.name
    if binary.is_file() and binary != launcher:
        identity += _stat(binary)
    return identity


@cache
def renderer_versions(pdf: bool = True) -> dict[str, object]:
    """Versions of the libraries (and, with PDFs, the Chromium) that shape a report's bytes."""
    versions: dict[str, object] = {}
    for name in RENDERERS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    if pdf:
        versions["chromium"] = chromium_identity()
    return versions
