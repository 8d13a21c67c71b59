"""Russia–Turkey relations 2015–2020: curated event data, analysis and reports."""

import sys
from importlib.metadata import PackageNotFoundError, version

# jsonschema (imported by altair and nbformat) compiles rfc3987-syntax's grammar at import,
# about 1 s in every kernel and build, for IRI format checks the project never asks for.
# Marking the optional module absent makes jsonschema skip it; nothing else here uses it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

try:
    __version__ = version("rusturk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
