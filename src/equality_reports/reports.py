"""What a report plugin implements, and what the engine hands it.

A report is a class with a few attributes and one method, ``build(ctx) -> Document``::

    class MyReport(Report):
        name = "my-report"
        title = "My equality report"
        required_tables = ("staff",)
        options = (Option("minimum_group", int, 10, "smallest group for a ratio"),)

        def build(self, ctx: ReportContext) -> Document:
            doc = ctx.new_document(title=self.title)
            ...
            return doc

and is registered with ``register(MyReport())`` from the ``register_reports`` hook.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from equality_reports.document import Audience, Document, Figure
from equality_reports.errors import InputError, Problem

if TYPE_CHECKING:
    from equality_reports.dataset import Dataset
    from equality_reports.frameworks import Framework
    from equality_reports.plugins import PluginHost


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "y", "on"}:
        return True
    if lowered in {"0", "false", "no", "n", "off"}:
        return False
    raise ValueError(f"expected true or false, got {text!r}")


_TYPE_WORDS = {int: "whole number", float: "number", bool: "yes or no (true or false)"}


def _short(text: str, longest: int = 60) -> str:
    """``text`` cut to ``longest`` characters for a message (a value may be megabytes long)."""
    return text if len(text) <= longest else text[:longest] + "..."


#: the longest text an option may hold: a source line or a list of grades is far shorter, and a
#: spreadsheet cell holds at most 32,767 characters (a longer text would be cut without a word)
MAX_OPTION_CHARS = 4000


@dataclass(frozen=True)
class Option:
    """A ``--option KEY=VALUE`` setting a report accepts.

    ``figure_files`` marks an option whose value is comma-separated ``<report>.json`` files written
    by earlier runs: before anything is built, the engine refuses (exit 2) any of them that was not
    written by a publication run when this run is a publication.
    ``files`` marks an option that names files to read (``figure_files`` and ``Path`` options are
    such options too): it is given on the command line only, never in dataset.toml's
    ``[options]``, as a dataset comes from users and nothing it holds may reach a file outside it.
    """

    name: str
    type: type = str
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()
    figure_files: bool = False
    files: bool = False
    #: the smallest value a number option takes
    minimum: float | None = None

    @property
    def names_files(self) -> bool:
        """True when the option's value names files to read (``files``, ``figure_files``, a Path)."""
        return self.files or self.figure_files or self.type is Path

    def parse(self, raw: Any) -> Any:
        if raw is None or not isinstance(raw, str):
            return raw
        if len(raw) > MAX_OPTION_CHARS:
            raise InputError(f"option {self.name}={_short(raw)}: {len(raw):,} characters, more than the "
                             f"{MAX_OPTION_CHARS:,} an option may hold; give a shorter value (a source line "
                             "or a list of grades fits in far fewer)")
        try:
            if self.type is bool:
                value: Any = _parse_bool(raw)
            elif self.type is Path:
                value = Path(raw).expanduser()
            else:
                value = self.type(raw)
        except ValueError as exc:
            raise InputError(f"option {self.name}={_short(raw)}: not a {_TYPE_WORDS.get(self.type, 'value')} "
                             f"({_short(str(exc))})") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"option {self.name}={_short(raw)}: not a finite number; give an ordinary number")
        if self.choices and value not in self.choices:
            raise InputError(f"option {self.name}={_short(raw)}: choose one of {', '.join(self.choices)}")
        if self.minimum is not None and isinstance(value, (int, float)) and value < self.minimum:
            raise InputError(f"option {self.name}={_short(raw)}: must be {self.minimum} or more")
        return value


#: the option naming where a benchmark table's local population figures come from, for reports
#: comparing the workforce with them (read it with :meth:`ReportContext.benchmark_source`)
BENCHMARK_SOURCE = Option("benchmark_source", str, "", "where the local population figures (the benchmark table) "
                          "come from, e.g. \"Census 2021 (ONS table TS021), usual residents of Northshire\": the "
                          "comparison with the local population names it in its text and under its tables")


class Report:
    """Base class for report plugins. Subclasses set the class attributes and ``build``."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    required_tables: ClassVar[tuple[str, ...]] = ()
    optional_tables: ClassVar[tuple[str, ...]] = ()
    #: columns the report cannot do without, per table (``{"staff": ("hourly_pay",)}``): ``run --all``
    #: skips the report, saying which, when one is absent or blank in every row
    required_columns: ClassVar[dict[str, tuple[str, ...]]] = {}
    options: ClassVar[tuple[Option, ...]] = ()
    #: sectors (dataset.toml ``sector``) the report is meant for; ``run --all`` skips the report
    #: for other sectors. Empty means every sector.
    sectors: ClassVar[tuple[str, ...]] = ()
    #: folder of this report's jinja2 narrative templates, shipped in the plugin's package (first-
    #: and third-party plugins alike); a template is named by its path under it, such as
    #: ``<name>/intro.j2``, and a ``--templates`` copy under the same path overrides it
    template_dir: ClassVar[Path | None] = None
    #: the outputs this report writes, for ``describe``
    outputs: ClassVar[tuple[str, ...]] = ("docx", "xlsx", "csv", "json")
    #: True when ``build`` reads ``ctx.run_figures``: the engine then runs it after the others
    uses_run_figures: ClassVar[bool] = False

    def build(self, ctx: ReportContext) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def check(self, ctx: ReportContext) -> list[Problem]:
        """Report-specific validation, run by ``validate --report`` and before ``run``, with the
        same context ``build`` receives (``ctx.dataset``, ``ctx.options``, ``ctx.host``...).

        Return problems with ``severity="error"`` for data the report cannot use; the engine
        prints them all together and exits with code 2.
        """
        return []

    def extra_outputs(
        self, ctx: ReportContext, document: Document, rendered: dict[str, Path], workdir: Path
    ) -> list[Path]:
        """Write further files (e.g. a zip bundle) into ``workdir`` after rendering.

        ``rendered`` maps each format to the temporary path of its output. Files written here
        are moved into the output folder together with the rendered ones, atomically.
        """
        return []

    def parse_options(self, raw: dict[str, str]) -> dict[str, Any]:
        """Defaults overlaid with the ``--option`` values that name this report's options."""
        known = {o.name: o for o in self.options}
        return {name: opt.parse(raw.get(name, opt.default)) for name, opt in known.items()}

    def missing_tables(self, dataset: Dataset) -> list[str]:
        return [t for t in self.required_tables if not dataset.has(t)]

    def missing_columns(self, dataset: Dataset) -> list[str]:
        """``table.column`` for each of :attr:`required_columns` that a supplied table lacks or
        leaves blank in every row (a table not supplied at all is :meth:`missing_tables`' to say)."""
        missing = []
        for table, columns in self.required_columns.items():
            frame = dataset.tables.get(table)
            if frame is None or not len(frame):
                continue
            missing += [f"{table}.{c}" for c in columns if c not in frame.columns or not frame[c].notna().any()]
        return missing


@dataclass
class ReportContext:
    """Everything a report's ``build`` may use: the data, options and engine services."""

    report: Report
    dataset: Dataset
    options: dict[str, Any]
    audience: Audience = "publication"
    threshold: int = 10
    #: ``--suppress-zero``: zero counts are withheld too
    suppress_zero: bool = False
    #: last year's dataset: the most recent ``--compare`` year, when that is a dataset
    previous: Dataset | None = None
    #: last year's published figures: the most recent ``--compare`` year's JSON, or its
    #: publication built from its dataset
    previous_figures: dict[str, Figure] = field(default_factory=dict)
    #: every previous year given with ``--compare``, oldest first: (year label, that year's
    #: published figures); the report's trends restate them
    history: list[tuple[str, dict[str, Figure]]] = field(default_factory=list)
    #: ``--templates DIR``: the user's overriding narrative templates
    templates_dir: Path | None = None
    #: figures published by reports earlier in the same run, or loaded from previous runs'
    #: JSON (``--figures FILE``), keyed by figure id
    run_figures: dict[str, Figure] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    #: the plugins loaded for this run (``--plugins-dir`` included): ``ctx.host.reports()``,
    #: ``ctx.host.frameworks()``; None only for a context made outside a run (tests)
    host: PluginHost | None = None
    warnings: list[Problem] = field(default_factory=list)
    #: what whoever runs the tool could do to complete the publication (an option, a table, a
    #: column): printed and written to the run's notes, never into a document
    operator_notes: list[str] = field(default_factory=list)
    _warn: Callable[[str], None] | None = None
    _identifiers: Any = None

    def new_document(self, title: str | None = None, **kwargs: Any) -> Document:
        """An empty Document with the dataset's organisation and period filled in."""
        ds = self.dataset
        return Document(
            report=self.report.name,
            title=title or self.report.title,
            organisation=ds.organisation,
            period_start=ds.period_start,
            period_end=ds.period_end,
            audience=self.audience,
            threshold=self.threshold,
            **kwargs,
        )

    @property
    def year(self) -> str:
        """This year's label ("2025/26"), as every year is headed (measures.periods.year_label)."""
        from equality_reports.measures.periods import year_label

        return year_label(self.dataset.period_start, self.dataset.period_end)

    def protect(self, document: Document) -> Callable[[], None]:
        """Apply this run's disclosure control to ``document`` now, for a report that restates
        counts and must know which cells are withheld (publication audience only), and return
        what puts its tables and figures back as they were before (tables and figures added since
        are left alone): the engine's own pass over the finished document, which knows the
        report's headline figures, then decides them."""
        if self.audience != "publication":
            return lambda: None
        from equality_reports.disclosure import apply_disclosure
        from equality_reports.joint import restore, snapshot

        before = snapshot({document.report: document})
        apply_disclosure(document, self.threshold, suppress_zero=self.suppress_zero)
        return lambda: restore({document.report: document}, before)

    def load_figures(self, paths: list[Path], source: str = "") -> dict[str, Figure]:
        """Figures published by earlier runs, read from their ``<report>.json`` files, keyed by id.
        A publication refuses files written by an internal run (:class:`InputError`, exit 2);
        ``source`` names the option in messages (``"--option figures="``)."""
        from equality_reports.runner import figures_from_json

        return figures_from_json(paths, audience=self.audience, source=source)

    def reference_in(self, text: str) -> str | None:
        """The reference to a person or case ``text`` holds (an identifier of the dataset, or a word
        shaped like one), else None: for text a report publishes outside its document, such as a
        file it bundles (its document is checked by the run; see equality_reports.identifiers)."""
        from equality_reports.identifiers import Identifiers
        from equality_reports.intake.contract import default_contract

        if self._identifiers is None:
            self._identifiers = Identifiers(self.dataset, self.host.contract() if self.host else default_contract())
        found = self._identifiers.in_text(text, label=False)
        return found.value if found else None

    def warn(self, message: str, *, file: str | None = None, column: str | None = None) -> None:
        """Record a warning that appears in the run record and on the console; ``file`` (a table's
        name) and ``column`` locate it, and the run names them as the data heads them ("HR
        extract.xlsx [Staff], column 'FTE' (read as fte)")."""
        self.warnings.append(Problem(message, file=file, column=column, severity="warning"))

    def benchmark_source(self) -> str:
        """The :data:`BENCHMARK_SOURCE` option's value; when the dataset has a benchmark table and
        no source is given, a note for the operator says how to name it."""
        source = str(self.options.get("benchmark_source") or "").strip()
        if not source and self.dataset.has("benchmark"):
            self.note_for_operator("The local population figures (benchmark table) are published without their "
                                   "source: name it with benchmark_source under [options] in dataset.toml, e.g. "
                                   "benchmark_source = \"Census 2021 (ONS table TS021), usual residents of <area>\".")
        return source

    def note_for_operator(self, message: str) -> None:
        """Record an instruction for whoever runs the tool ("give a service column in staff_survey
        to report the survey by service"): it goes to the console and to the run's notes file
        beside the outputs, never into a publication."""
        if message not in self.operator_notes:
            self.operator_notes.append(message)
