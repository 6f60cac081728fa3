"""First-party plugin: the RRAA employment monitoring report (``rraa-employment``)."""

from importlib.metadata import PackageNotFoundError, version

from equality_reports import hookimpl
from equality_reports_rraa.contract import TABLES
from equality_reports_rraa.report import RraaEmploymentReport

try:  # one version: plugins/rraa/pyproject.toml's, read from the installed distribution
    __version__ = version("equality-reports-rraa")
except PackageNotFoundError:  # imported from a source tree without being installed
    __version__ = "unknown"
__all__ = ["RraaEmploymentReport", "__version__", "register_reports", "register_tables"]


@hookimpl
def register_reports(register) -> None:  # type: ignore[no-untyped-def]
    """Register the ``rraa-employment`` report."""
    register(RraaEmploymentReport())


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in TABLES:
        register(spec)
