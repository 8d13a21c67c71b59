"""Git, asked in one way: the edition's commit and date, and the data at an earlier revision."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitUnavailable(Exception):
    """git is not installed, or did not answer in time."""


def run(folder: Path | str, *args: str, timeout: float | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    """`git -C folder ARGS`, its output as bytes (a table at a revision is bytes, not text)."""
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(f"git could not be run ({exc.__class__.__name__})") from exc


def output(folder: Path | str, *args: str) -> str | None:
    """The text a git command printed, or None where git is missing, slow or fails: the
    callers then say "none" rather than stop a build."""
    try:
        result = run(folder, *args, timeout=10)
    except GitUnavailable:
        return None
    return result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else None


def stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8", "replace").strip()
