"""The checkout the tests run in: its data, notebooks and files, found from this file (the
package itself finds the project from the working directory, never from its own path)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
