"""Russia–Turkey relations 2015–2020: curated event data, analysis and reports."""

import sys

# jsonschema (imported by altair and nbformat) compiles rfc3987-syntax's grammar at import,
# about 1 s in every kernel and build, for IRI format checks the project never asks for.
# Marking the optional module absent makes jsonschema skip it; nothing else here uses it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # The version is read from the installed metadata when first asked for: importing
    # importlib.metadata costs every process (each kernel, each test worker) 0.09 s.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("rusturk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
