"""NHS Workforce Disability Equality Standard (WDES) return (first-party plugin)."""

from equality_reports import hookimpl
from equality_reports_wdes.contract import TABLES
from equality_reports_wdes.report import WdesReport

__version__ = "0.1.0"


@hookimpl
def register_reports(register):  # type: ignore[no-untyped-def]
    register(WdesReport())


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in TABLES:
        register(spec)
