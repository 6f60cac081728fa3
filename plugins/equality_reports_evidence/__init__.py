"""Equality Standard evidence packs for inspection (first-party plugin)."""

from equality_reports import hookimpl

from equality_reports_evidence.contract import TABLES
from equality_reports_evidence.report import EvidencePackReport, builtin_frameworks

__version__ = "0.2.0"


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
