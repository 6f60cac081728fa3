"""equality-reports: UK workforce equality publications and returns from an HR extract."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("equality-reports")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
