"""First-party plugin: the RRAA employment monitoring report (``rraa-employment``)."""

from equality_reports import hookimpl
from equality_reports_rraa.report import RraaEmploymentReport

__version__ = "1.0.0"
__all__ = ["RraaEmploymentReport", "__version__", "register_reports"]


@hookimpl
def register_reports(register) -> None:  # type: ignore[no-untyped-def]
    """Register the ``rraa-employment`` report."""
    register(RraaEmploymentReport())
