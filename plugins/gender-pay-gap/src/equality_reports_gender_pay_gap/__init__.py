"""First-party plugin: the gender pay gap report (``gender-pay-gap``) of SI 2017/353 Schedule 1."""

from equality_reports import hookimpl
from equality_reports_gender_pay_gap.contract import TABLES
from equality_reports_gender_pay_gap.report import GenderPayGapReport

__version__ = "0.1.0"
__all__ = ["GenderPayGapReport", "__version__", "register_reports", "register_tables"]


@hookimpl
def register_reports(register) -> None:  # type: ignore[no-untyped-def]
    """Register the ``gender-pay-gap`` report."""
    register(GenderPayGapReport())


@hookimpl
def register_tables(register) -> None:  # type: ignore[no-untyped-def]
    """Declare the staff pay columns the report reads."""
    for spec in TABLES:
        register(spec)
