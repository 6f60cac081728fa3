"""The ethnicity pay gap report (``ethnicity-pay-gap``): hourly and bonus pay gaps by ethnic group
against a reference group, pay quarters and the share of staff with no recorded ethnicity."""

from equality_reports import hookimpl
from equality_reports_ethnicity_pay_gap.contract import TABLES
from equality_reports_ethnicity_pay_gap.report import EthnicityPayGapReport

__version__ = "0.1.0"
__all__ = ["EthnicityPayGapReport", "__version__", "register_reports", "register_tables"]


@hookimpl
def register_reports(register) -> None:  # type: ignore[no-untyped-def]
    """Register the ``ethnicity-pay-gap`` report."""
    register(EthnicityPayGapReport())


@hookimpl
def register_tables(register) -> None:  # type: ignore[no-untyped-def]
    """Declare the staff pay columns the report reads."""
    for spec in TABLES:
        register(spec)
