"""Registers the engine's tables, classification schemes and file loaders through the plugin hooks."""

from equality_reports.classification import builtin_schemes
from equality_reports.hookspecs import hookimpl
from equality_reports.intake.core_tables import CORE_TABLES
from equality_reports.intake.readers import CsvLoader, ExcelLoader, ParquetLoader


@hookimpl
def register_tables(register):  # type: ignore[no-untyped-def]
    for spec in CORE_TABLES.values():
        register(spec)


@hookimpl
def register_classifications(register):  # type: ignore[no-untyped-def]
    for scheme in builtin_schemes():
        register(scheme)


@hookimpl
def register_loaders(register):  # type: ignore[no-untyped-def]
    for loader in (CsvLoader(), ExcelLoader(), ParquetLoader()):
        register(loader)
