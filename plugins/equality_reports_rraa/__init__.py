"""First-party plugin: the RRAA employment monitoring report (``rraa-employment``)."""

from equality_reports import hookimpl
from equality_reports_rraa.contract import TABLES
from equality_reports_rraa.report import RraaEmploymentReport

__version__ = "1.0.0"
__all__ = ["RraaEmploymentReport", "__version__", "register_reports", "register_tables"]


@hookimpl
def register_reports(register) -> None:  # type: ignore[no-untyped-def]
    """Register the ``rraa-employment`` report."""
    register(RraaEmploymentReport())


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in TABLES:
        register(spec)
