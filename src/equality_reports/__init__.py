"""equality-reports: UK workforce equality publications and returns from an HR extract."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("equality-reports")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]

# --- Plugin SDK part B (issue 13): the open data contract -------------------------------------
# Served on first use (PEP 562), so that `import equality_reports` (and the CLI's --help) does not
# import pandas through equality_reports.intake.
_CONTRACT_NAMES = ("ColumnSpec", "Contract", "SampleContext", "TableSpec")
__all__ += list(_CONTRACT_NAMES)


def __getattr__(name: str) -> object:
    if name in _CONTRACT_NAMES:
        from equality_reports.intake import contract

        return getattr(contract, name)
    raise AttributeError(f"module 'equality_reports' has no attribute {name!r}")
