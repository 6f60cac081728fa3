"""Equality Standard evidence packs for inspection (first-party plugin)."""

from importlib.metadata import PackageNotFoundError, version

from equality_reports import hookimpl
from equality_reports_evidence.contract import TABLES
from equality_reports_evidence.report import EvidencePackReport, builtin_frameworks

try:  # one version: plugins/evidence/pyproject.toml's, read from the installed distribution
    __version__ = version("equality-reports-evidence")
except PackageNotFoundError:  # imported from a source tree without being installed
    __version__ = "unknown"


@hookimpl
def register_reports(register):  # type: ignore[no-untyped-def]
    register(EvidencePackReport())


@hookimpl
def register_frameworks(register):  # type: ignore[no-untyped-def]
    for framework in builtin_frameworks().values():
        register(framework)


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in TABLES:
        register(spec)
