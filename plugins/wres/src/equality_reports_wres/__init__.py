"""NHS Workforce Race Equality Standard and Social Care WRES returns (first-party plugin)."""

from importlib.metadata import PackageNotFoundError, version

from equality_reports import hookimpl
from equality_reports_wres.contract import TABLES
from equality_reports_wres.nhs import WresReport
from equality_reports_wres.social_care import ScWresReport

try:  # one version: plugins/wres/pyproject.toml's, read from the installed distribution
    __version__ = version("equality-reports-wres")
except PackageNotFoundError:  # imported from a source tree without being installed
    __version__ = "unknown"


@hookimpl
def register_reports(register):  # type: ignore[no-untyped-def]
    register(WresReport())
    register(ScWresReport())


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in TABLES:
        register(spec)
