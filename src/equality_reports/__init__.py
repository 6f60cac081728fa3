"""equality-reports: UK workforce equality publications and returns from an HR extract.

This module is the whole public API for plugins: every name in :data:`__all__` is stable (its
hook specifications carry :data:`HOOKSPEC_VERSION`); every other module and name is private to the
engine and may change without notice. Names are imported on first use, so ``import
equality_reports`` stays cheap (the command line answers ``--help`` without loading pandas).
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("equality-reports")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

#: public name -> the private module that defines it
_EXPORTS: dict[str, str] = {
    # hooks and plugins
    **dict.fromkeys(("hookimpl", "HOOKSPEC_VERSION"), "hookspecs"),
    **dict.fromkeys(("Loader", "utf16_encoding"), "intake.readers"),
    "PluginHost": "plugins",
    # reports
    **dict.fromkeys(("Report", "Option", "ReportContext", "BENCHMARK_SOURCE"), "reports"),
    "Dataset": "dataset",
    "load_dataset": "intake.load",
    "Limits": "intake.bounds",
    **dict.fromkeys(("Problem", "InputError"), "errors"),
    # the open data contract
    **dict.fromkeys(("ColumnSpec", "Contract", "SampleContext", "TableSpec"), "intake.contract"),
    "ETHNICITY_COLUMN": "intake.core_tables",
    # the document model
    **dict.fromkeys(("Document", "Section", "Paragraph", "Table", "Column", "Chart", "Figure", "CellRef",
                     "Mean", "Median", "Gap", "Audience", "is_missing", "long_date", "join_words", "SUPPRESSED",
                     "NOT_AVAILABLE", "NOT_APPLICABLE"), "document"),
    "add_trends": "trends",
    **dict.fromkeys(("action_plan", "actions_for", "DONE_STATUSES"), "actions"),
    # classification and frameworks
    **dict.fromkeys(("Classification", "Category", "CATEGORIES", "BROAD_GROUPS", "binary_labels", "classify"),
                    "classification"),
    **dict.fromkeys(("Framework", "Area", "Criterion", "Level", "framework_from_dict", "load_framework_file"),
                    "frameworks"),
    # measures: who is counted, when, and how
    **dict.fromkeys(("ALL_STAFF", "BANK_CHOICES", "DIRECTLY_EMPLOYED", "DIRECTLY_EMPLOYED_NOT_BANK", "EVENT_TABLES",
                     "Population", "Scope", "relevant_employees", "scope", "staff_population"),
                    "measures.population"),
    **dict.fromkeys(("count_rows", "count_people", "count_applicants", "applicant_key", "record_units",
                     "people_units", "applicant_units", "CountKind", "Tally", "count_by_group"), "measures.counting"),
    **dict.fromkeys(("representation_table", "ROW_SHARES_NOTE", "cross_counts", "likelihood_table",
                     "add_likelihood_figures", "quality_table", "share_table", "share_differences", "share_chart",
                     "survey_table", "Headline", "summary_table", "summary_measure", "SUMMARY_NOTE",
                     "SUMMARY_SYMBOLS"),
                    "measures.tables"),
    **dict.fromkeys(("RECORD", "unit_codes", "units_by", "union", "tallied_units"), "measures.units"),
    **dict.fromkeys(("dated_outside", "outside_units", "year_label"), "measures.periods"),
    **dict.fromkeys(("AFC_BANDS", "BAND_ORDER", "MEDICAL_BANDS", "PAY_SCALES", "UNKNOWN_BAND", "classify_grades",
                     "order_grades", "parse_grade", "pay_scales", "unrecognised_staff_groups"), "measures.grades"),
    # safe text for outputs
    **dict.fromkeys(("link_target", "inert_text"), "renderers.common"),
}
#: public modules: ``stats`` (percentages, rates, relative likelihoods with confidence intervals)
_MODULES = ("stats",)

__all__ = ["__version__", *_MODULES, *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return import_module(f"{__name__}.{name}")
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
