"""Russia–Turkey relations 2015–2020: curated event data, analysis and reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rusturk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
