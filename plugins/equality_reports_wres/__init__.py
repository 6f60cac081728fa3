"""NHS Workforce Race Equality Standard and Social Care WRES returns (first-party plugin)."""

from equality_reports import hookimpl

from equality_reports_wres.nhs import WresReport
from equality_reports_wres.contract import TABLES
from equality_reports_wres.social_care import ScWresReport

__version__ = "0.1.0"


@hookimpl
def register_reports(register):  # type: ignore[no-untyped-def]
    register(WresReport())
    register(ScWresReport())


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in TABLES:
        register(spec)
