"""Collection of the package's doctests: a module without an example is not imported."""

from pathlib import Path

SRC = Path(__file__).parent / "src"


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    # --doctest-modules imports every module under src/ to look for examples; importing the
    # half that have none (papermill, jupyter_client and the browser driver among what they
    # import) cost each test worker 0.3 s before its first test (measured December 2026).
    if (collection_path.suffix == ".py" and SRC in collection_path.parents
            and b">>>" not in collection_path.read_bytes()):
        return True
    return None
