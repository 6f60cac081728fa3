"""The run pipeline: load -> check -> build -> disclosure -> narrative -> render -> atomic write.

Each report is built and rendered on its own: one that raises is recorded as failed and the
others still finish. The run holds ``--out`` from before the data is loaded until the outputs are
in place (:mod:`equality_reports.outputs`): everything, run.json included, is rendered into the
run's own temporary folder and renamed into place at the end, so an interrupted or failed run never
leaves a half-written file where last year's was.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, get_args

from equality_reports import __version__
from equality_reports.dataset import Dataset
from equality_reports.document import Audience, Document, Figure, FigureUnit, long_date
from equality_reports.errors import InputError, Problem
from equality_reports.intake.config_check import publication_details
from equality_reports.measures.periods import year_label
from equality_reports.measures.units import in_universe_of_its_own
from equality_reports.outputs import RECORD, OutputFolder, claim
from equality_reports.plugins import PluginHost
from equality_reports.renderers import Publication, RenderSettings
from equality_reports.reports import Report, ReportContext

ALL_FORMATS = ("docx", "xlsx", "csv", "json")
#: added to every output file name of an internal-audience run: wres-internal.docx, wres-internal-csv/
INTERNAL_TAG = "-internal"
#: a publication run's detailed diagnostics (row counts, warnings, withheld cells by reason)
DIAGNOSTICS = Path(".equality-reports") / "diagnostics-internal.json"
#: beside the outputs: what the reports ask whoever runs the tool to do (never a publication)
RUN_NOTES = "run-notes-internal.md"


@dataclass
class RunRequest:
    """What the user asked ``run`` to do."""

    data: Path
    out: Path
    reports: list[str] = field(default_factory=list)
    all_reports: bool = False
    formats: tuple[str, ...] = ALL_FORMATS
    audience: Audience = "publication"
    threshold: int = 10
    #: how wide every withheld count's feasible range must be (None: the threshold)
    protection: int | None = None
    suppress_zero: bool = False
    options: dict[str, str] = field(default_factory=dict)
    #: dataset.toml's ``[options.<report>]``: options for one report only (--option overrides them)
    report_options: dict[str, dict[str, str]] = field(default_factory=dict)
    templates: Path | None = None
    style: Path | None = None
    #: previous years: datasets, output folders or report JSON files (``--compare``, repeatable)
    compare: tuple[Path, ...] = ()
    debug: bool = False


@dataclass
class ReportOutcome:
    """What happened to one report in a run."""

    name: str
    status: str  # "ok", "failed" or "skipped"
    plugin: str = ""
    version: str = ""
    files: list[str] = field(default_factory=list)
    disclosure: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: instructions for whoever runs the tool (ReportContext.note_for_operator)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    detail: str = ""
    #: tables left out of a publication for being mostly withheld (their titles)
    left_out: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status, "plugin": self.plugin,
                               "version": self.version, "files": self.files}
        if self.disclosure:
            out["disclosure"] = self.disclosure
        if self.warnings:
            out["warnings"] = self.warnings
        if self.notes:
            out["notes_for_operator"] = self.notes
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class RunResult:
    outcomes: list[ReportOutcome]
    record: Path | None
    #: the data's warnings (file, row, column, value, fix): the command line prints them
    data_warnings: list[str] = field(default_factory=list)
    #: what this machine lacks for the best output (renderers' ``limitation()``), once each
    machine_notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0


Progress = Callable[[str], None]


def execute(request: RunRequest, host: PluginHost, progress: Progress = lambda _m: None) -> RunResult:
    """Run the requested reports. Raises :class:`InputError` for bad input and
    :class:`~equality_reports.errors.OutputError` when ``--out`` is in use by another run or cannot
    be written; either way nothing in ``--out`` is replaced."""
    _check_request(request, host)
    with claim(request.out, progress) as folder:
        return _execute(request, host, progress, folder)


def _check_request(request: RunRequest, host: PluginHost) -> None:
    """What can be checked before any data is loaded: formats (and whether each can be written here),
    --style, --templates, --threshold."""
    from equality_reports.renderers.docx import check_style
    from equality_reports.templating import check_templates

    renderers = host.renderers()
    unknown = [f for f in request.formats if f not in renderers]
    if unknown:
        raise InputError(f"unknown format {', '.join(unknown)}; available: {', '.join(sorted(renderers))}")
    for fmt in request.formats:  # a renderer may say it cannot work here (pdf without LibreOffice)
        check = getattr(renderers[fmt], "unavailable", None)
        problem = check() if callable(check) else None
        if problem:
            raise InputError(problem)
    if request.style is not None:
        check_style(request.style)
    if request.templates is not None:
        check_templates(request.templates)
    if request.threshold < 1:
        raise InputError(f"--threshold {request.threshold}: must be 1 or more (1 withholds nothing).")


def _execute(request: RunRequest, host: PluginHost, progress: Progress, folder: OutputFolder) -> RunResult:
    """The run itself, with ``--out`` held."""
    from equality_reports.disclosure import mostly_withheld
    from equality_reports.intake import load_dataset

    renderers = host.renderers()
    register_plugin_loaders(host)
    progress(f"Loading {request.data}")
    dataset = load_dataset(request.data, contract=host.contract())
    selected, skipped = _select_reports(request, host, dataset)
    _parse_options(request.options, selected)  # an unknown --option is an error
    request = dataclasses.replace(request, options=run_options(request.options, dataset, host, selected),
                                  report_options=report_options(request.options, dataset, host, selected))
    parsed = _parse_options(request.options, selected, request.report_options)
    years = _load_compare(request.compare, request.data, dataset, request.audience, host)
    for year in years:
        progress(f"Comparing with {year.label}: {year.source}")
    _check_audience(request, selected, parsed, renderers)

    frameworks = host.frameworks()
    if dataset.has("actions"):
        from equality_reports.actions import unknown_names

        known = set(host.reports()) | set(frameworks)
        dataset.problems.extend(unknown_names(dataset.table("actions"), known, dataset.input_file("actions")))
    problems: list[Problem] = []
    checked: dict[str, list[Problem]] = {}  # each report's warnings from its check: its build's first
    for report in selected:
        check = ReportContext(report=report, dataset=dataset, options=parsed[report.name], audience=request.audience,
                              threshold=request.threshold, suppress_zero=request.suppress_zero,
                              templates_dir=request.templates, frameworks=frameworks, host=host)
        found = report.check(check)
        dataset.name_headings(found)
        problems.extend(p for p in found if p.severity == "error")
        checked[report.name] = [p for p in found if p.severity != "error"]
    if problems:
        raise InputError("the data cannot be used for the chosen reports", problems)

    for year in years:
        if year.dataset is not None:
            year.publications = _last_year(selected, year, request, parsed, host, progress)
    latest = years[-1] if years else None
    previous = latest.dataset if latest else None  # "last year": the rolling averages pool it
    published = {f"{name} ({year.label})": doc for year in years for name, doc in year.publications.items()}
    settings = RenderSettings(style=request.style, generator=f"equality-reports {__version__}",
                              publication=publication_details(dataset.config))
    workdir = folder.new_workdir()
    staged: list[Path] = []
    record: Path | None = None
    outcomes: list[ReportOutcome] = list(skipped)
    built: list[Built] = []
    machine_notes: list[str] = []
    publication = request.audience == "publication"
    try:
        # 1-2. build, protect and audit everything together; a detailed table the joint pass left
        #      mostly withheld gives way to its coarser one, and the run is built again without it
        #      (its cells no longer push others into being withheld); then any table still largely
        #      withheld goes too, and the run is built once more
        context = _BuildContext(selected, dataset, previous, latest, years, published, parsed, host, checked)
        built, audit = _build_and_protect(context, request, progress, leave={})
        leave: dict[str, set[str]] = {}
        for any_table in (False, True) if publication else ():
            more = {b.report.name: mostly_withheld(b.document, any_table=any_table)
                    for b in built if b.outcome.status == "ok"}
            if any(more.values()):
                leave = {name: leave.get(name, set()) | more.get(name, set()) for name in {*leave, *more}}
                progress("Building again without the tables the joint pass left mostly withheld")
                built, audit = _build_and_protect(context, request, progress, leave)
        # 3. finish each report that passed: leave out what is mostly withheld, write its text
        first_ok = next((b for b in built if b.outcome.status == "ok"), None)  # asks once what the run lacks
        for b in built:
            if b.outcome.status == "ok":
                try:
                    _finish(b, request, publication)
                    if publication and b is first_ok and (missing := _publication_missing(settings.publication)):
                        them = "them" if " or " in missing else "it"
                        b.ctx.note_for_operator(f"The title page and the spreadsheet cover give no {missing}: add "
                                                f"{them} under [publication] in dataset.toml (published = a date, "
                                                f"contact = who answers questions about the publication).")
                except (Exception, SystemExit) as exc:  # noqa: BLE001
                    _failed(b.outcome, exc, progress)
        if publication:  # a reference to a person in a label from the data stops the run (exit 2)
            from equality_reports.identifiers import Detail, check_documents

            finished = [b.document for b in built if b.outcome.status == "ok"]
            details = [Detail(f"the {key} under [publication]", text, "dataset.toml", key,
                              f"remove the reference from {key} under [publication] in dataset.toml")
                       for key, text in (("contact", settings.publication.contact),
                                         ("source", settings.publication.source))]
            details += [Detail(f"the run record's {option}", str(path), None, option,
                               f"give the folder a name without the reference ({option} is written to run.json)")
                        for option, path in (("--data", request.data), ("--out", request.out))]
            details += [Detail(f"the option {k}", str(v), None, f"--option {k}",
                               f"remove the reference from the option {k} (given with --option or under [options] "
                               "in dataset.toml)") for k, v in request.options.items()]
            if found := check_documents(finished, dataset, host.contract(), details):
                raise InputError("the publications would print identifiers of people or cases", found)
        # 4. write each report that passed
        for b in built:
            if b.outcome.status == "ok":
                try:
                    files = _render(b.report, b.ctx, b.document, request, renderers, settings, workdir, progress)
                    staged.extend(files)
                    b.outcome.files = sorted(p.name for p in files)
                except (Exception, SystemExit) as exc:  # noqa: BLE001
                    folder.check_write(exc)  # no space, read-only: the run stops (exit 2)
                    _failed(b.outcome, exc, progress)
            dataset.name_headings(b.ctx.warnings)
            b.outcome.warnings = [str(w) for w in b.ctx.warnings]
            b.outcome.notes = list(b.ctx.operator_notes)
            outcomes.append(b.outcome)
        if any(o.status == "ok" and o.files for o in outcomes):  # what this machine lacks for the best output
            limits = (getattr(renderers[fmt], "limitation", None) for fmt in request.formats)
            machine_notes += dict.fromkeys(text for limit in limits if callable(limit) and (text := limit()))
        # 5. into place, run.json last; a run that wrote nothing leaves --out as it was
        if staged:
            try:
                staged.append(_write_run_notes(request, outcomes, machine_notes, workdir))
            except OSError as exc:
                folder.check_write(exc)  # no space, read-only: exit 2, nothing replaced
                raise
            record = folder.commit(staged, _records(request, host, dataset, outcomes, audit))
    finally:
        folder.remove_workdir()
    return RunResult(outcomes, record, [str(p) for p in dataset.warnings], machine_notes)


def _finish(b: Built, request: RunRequest, publication: bool) -> None:
    """A publication leaves out the tables left mostly withheld and explains what is withheld;
    then every document's narrative is written (notes for the operator go to the run's notes)."""
    from equality_reports.disclosure import explain_spare_withheld, leave_out_mostly_withheld, note_nothing_withheld
    from equality_reports.joint import reapply
    from equality_reports.narrative import render_narrative
    from equality_reports.templating import TextRenderer

    if publication:
        b.outcome.left_out += leave_out_mostly_withheld(b.document)
        b.outcome.disclosure = reapply(b.document, request.threshold, request.suppress_zero).as_dict()
        explain_spare_withheld(b.document)
        note_nothing_withheld(b.document, request.threshold, request.suppress_zero)
        b.outcome.disclosure["left_out"] = b.outcome.left_out
    for note in render_narrative(b.document, TextRenderer(request.templates, b.report.template_dir)):
        b.ctx.note_for_operator(note)


def _publication_missing(publication: Publication) -> str:
    """What a publication's title page lacks of dataset.toml's [publication], in words ("" if nothing)."""
    missing = [what for what, given in (("publication date", publication.published), ("contact", publication.contact))
               if not given]
    return " or ".join(missing)


def _write_run_notes(request: RunRequest, outcomes: list[ReportOutcome], machine_notes: list[str],
                     workdir: Path) -> Path:
    """:data:`RUN_NOTES`: every report's notes for the operator, and what this machine lacks for
    the best output (``machine_notes``), written on every run that writes outputs (so an old
    run's notes never stay beside new outputs). No counts: warnings, which quote them, stay on
    the console and in the diagnostics."""
    lines = ["# Notes for whoever runs equality-reports", "",
             "NOT FOR PUBLICATION. These notes say what would complete the publications in this folder "
             "(options, tables, columns). They are not part of any publication.", "",
             f"Data: {request.data}", ""]
    noted = [o for o in outcomes if o.notes]
    for outcome in noted:
        lines += [f"## {outcome.name}", "", *(f"- {note}" for note in outcome.notes), ""]
    if not noted:
        lines += ["No report has anything to ask of you this time.", ""]
    if machine_notes:
        lines += ["## This machine", "", *(f"- {note}" for note in machine_notes), ""]
    warned = sum(len(o.warnings) for o in outcomes)
    if warned:
        where = f"kept in {DIAGNOSTICS.as_posix()}" if request.audience == "publication" else f"listed in {RECORD}"
        lines += [f"The reports also raised {warned} data warning(s): printed by the run and {where}.", ""]
    path = workdir / RUN_NOTES
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    return path


@dataclass
class _BuildContext:
    """What building the run's reports needs, for building them again."""

    selected: list[Report]
    dataset: Any
    #: last year's dataset (the two-year averages pool it), the most recent previous year, every
    #: previous year (oldest first) and their publications by joint-pass name
    previous: Any
    latest: PreviousYear | None
    years: list[PreviousYear]
    published: dict[str, Document]
    options: dict[str, dict[str, Any]]
    host: PluginHost
    #: each report's warnings from its check, given first among its build's
    checked: dict[str, list[Problem]] = field(default_factory=dict)


def _build_and_protect(c: _BuildContext, request: RunRequest, progress: Progress,
                       leave: dict[str, set[str]]) -> tuple[list[Built], dict[str, Any]]:
    """Build every report and protect each on its own, leaving out the tables ``leave`` names
    (and any mostly withheld already); then protect and audit everything together (fail
    closed). Reports that restate other reports' figures (the evidence pack) are built last,
    once the others' figures are final. Returns the reports built and the audit's record."""
    from equality_reports.disclosure import apply_disclosure, leave_out_mostly_withheld, mark_headline_cells

    publication = request.audience == "publication"
    built: list[Built] = []
    audit: dict[str, Any] = {}
    joined = 0  # how many documents the joint pass has seen
    protected = 0  # how many documents have had their own disclosure control

    def protect_each() -> None:
        """Each document built since the last call protected on its own, knowing every headline
        figure of the run (a count behind one report's headline goes last in every report)."""
        nonlocal protected
        mark_headline_cells(b.document for b in built if b.outcome.status == "ok")
        for b in built[protected:]:
            if b.outcome.status != "ok":
                continue
            try:
                apply_disclosure(b.document, request.threshold, suppress_zero=request.suppress_zero)
                # tables of zeros go only once the run is protected: the audit still weighs their cells
                b.outcome.left_out = leave_out_mostly_withheld(b.document, leave.get(b.report.name, set()), zeros=False)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - one failing report must not stop the others
                _failed(b.outcome, exc, progress)
        protected = len(built)

    for report in sorted(c.selected, key=lambda r: r.uses_run_figures):
        if report.uses_run_figures and publication and not joined:
            protect_each()
            audit = _protect_jointly(built, request, progress, audit, c.published, c.dataset)
            joined = len(built)
        run_figures = {fid: fig for b in built if b.outcome.status == "ok" for fid, fig in b.document.figures.items()}
        info = c.host.reports()[report.name].plugin
        outcome = ReportOutcome(report.name, "ok", info.name, info.version)
        ctx = ReportContext(
            report=report, dataset=c.dataset, options=c.options[report.name], audience=request.audience,
            threshold=request.threshold, suppress_zero=request.suppress_zero, previous=c.previous,
            previous_figures=c.latest.figures_for(report.name) if c.latest else {},
            history=[(y.label, y.figures_for(report.name)) for y in c.years],
            templates_dir=request.templates, run_figures=run_figures, frameworks=c.host.frameworks(), host=c.host,
            warnings=list(c.checked.get(report.name, [])),
        )
        progress(f"Building {report.name}")
        document = Document(report=report.name, title="", organisation="", period_start=c.dataset.period_start,
                            period_end=c.dataset.period_end)
        try:
            document = report.build(ctx)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - one failing report must not stop the others
            _failed(outcome, exc, progress)
        built.append(Built(report, ctx, document, outcome))
    if publication:
        protect_each()
    # (again only when reports built since then count people: restated figures add no cells)
    if publication and (not joined or any(t.units for b in built[joined:] for t in b.document.tables())):
        audit = _protect_jointly(built, request, progress, audit, c.published, c.dataset)
    return built, audit


@dataclass
class Built:
    """One report's document between building and writing."""

    report: Report
    ctx: ReportContext
    document: Document
    outcome: ReportOutcome


def _failed(outcome: ReportOutcome, exc: BaseException, progress: Progress) -> None:
    outcome.status = "failed"
    outcome.error = _describe(exc)
    outcome.detail = "".join(traceback.format_exception(exc))
    progress(f"FAILED {outcome.name}: {outcome.error}")


#: the joint pass's time (for benchmarks/) and how many cells it withheld beyond each table's own
#: rule (a split of withheld cells by reason): kept for the diagnostics, never in run.json
AUDIT_SECONDS = "seconds"
JOINT_WITHHELD = "cells_withheld_across_tables"
#: withheld larger counts a reader works out exactly from the run, shown (see joint.protect)
WORKED_OUT = "cells_shown_as_worked_out"
INTERNAL_AUDIT_KEYS = (AUDIT_SECONDS, JOINT_WITHHELD, WORKED_OUT)


@dataclass
class PreviousYear:
    """One ``--compare`` year: a previous dataset (its publications are built) or a previous run's
    published figures."""

    source: Path
    start: date
    end: date
    dataset: Any = None
    figures: dict[str, Figure] = field(default_factory=dict)
    #: by report name, the year's publication built from its dataset
    publications: dict[str, Document] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return year_label(self.start, self.end)

    def figures_for(self, report: str) -> dict[str, Figure]:
        """The figures ``report`` published that year (its JSON figures, or its built publication)."""
        if self.dataset is None:
            return self.figures
        return self.publications[report].figures if report in self.publications else {}


def _last_year(selected: list[Report], year: PreviousYear, request: RunRequest, options: dict[str, dict[str, Any]],
               host: PluginHost, progress: Progress) -> dict[str, Document]:
    """A previous year's publication of each report (``--compare`` a dataset), built by the same
    report from that year's data and protected as a run of that year would have protected it. This
    year's run restates its figures and is audited together with it: the difference between the
    years is a relation too. A report whose previous year fails to build or to pass its own audit
    restates nothing from that year."""
    from equality_reports.disclosure import apply_disclosure
    from equality_reports.joint import protect
    from equality_reports.measures.units import record_owners

    publication = request.audience == "publication"
    docs: dict[str, Document] = {}
    for report in selected:
        if report.uses_run_figures:  # it restates other reports, which carry last year themselves
            continue
        ctx = ReportContext(report=report, dataset=year.dataset, options=options[report.name],
                            audience=request.audience,
                            threshold=request.threshold, suppress_zero=request.suppress_zero,
                            templates_dir=request.templates, frameworks=host.frameworks(), host=host)
        try:
            doc = report.build(ctx)
            if publication:
                apply_disclosure(doc, request.threshold, suppress_zero=request.suppress_zero)
        except Exception as exc:  # noqa: BLE001 - this year's report still runs, without last year
            progress(f"warning: {report.name}: the data of {year.label} could not be reported ({_describe(exc)}); "
                     f"this year's report shows no figures for {year.label}")
            continue
        docs[report.name] = doc
    if publication and docs:
        progress(f"Protecting the publication of {year.label} as it would have been published")
        for name in protect(docs, request.threshold, request.protection, suppress_zero=request.suppress_zero,
                            owners=record_owners(year.dataset.tables)).failures:
            progress(f"warning: {name}: the publication of {year.label} would not pass the disclosure audit; "
                     f"this year's report shows no figures for {year.label}")
            docs.pop(name)
    return docs


def _protect_jointly(built: list[Built], request: RunRequest, progress: Progress,
                     earlier: dict[str, Any], previous: dict[str, Document], dataset: Any) -> dict[str, Any]:
    """Withhold across every document built so far (audited with previous years' publications,
    named ``"<report> (<year>)"``, which cannot change) until the audit passes; refuse the reports
    whose cells stay exposed (fail closed). Returns the audit's record for run.json (no counts),
    adding to an ``earlier`` pass's record."""
    from equality_reports.joint import protect
    from equality_reports.measures.units import record_owners

    documents = {b.report.name: b.document for b in built if b.outcome.status == "ok"}
    if not documents:
        return {}
    progress("Checking disclosure across everything the run publishes")
    published = previous if request.audience == "publication" else {}
    started = time.perf_counter()
    result = protect(documents, request.threshold, request.protection, suppress_zero=request.suppress_zero,
                     published=published, owners=record_owners(dataset.tables))
    seconds = time.perf_counter() - started
    for name in list(result.failures):  # a problem in a previous year's cells is this year's report's doing
        if name in published:
            result.failures.setdefault(name.rsplit(" (", 1)[0], []).extend(result.failures.pop(name))
    if result.undeclared:
        progress(f"warning: withheld {len(result.undeclared)} count(s) whose report does not say whom they count "
                 f"(the audit cannot check them): {'; '.join(result.undeclared[:5])}"
                 + (f" (and {len(result.undeclared) - 5} more)" if len(result.undeclared) > 5 else ""))
    for b in built:
        problems = result.failures.get(b.report.name)
        if problems and b.outcome.status == "ok":
            b.outcome.status = "failed"
            b.outcome.error = ("disclosure audit: withheld numbers could be worked out from what this run "
                               "publishes, so the report was not written: " + "; ".join(problems[:5])
                               + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
                               + ". Publish coarser groups, or raise --threshold.")
            progress(f"FAILED {b.report.name}: {b.outcome.error}")
    record = result.audit.as_dict()
    record["means_and_gaps_audited"] = result.means
    record["passed"] = bool(record["passed"]) and not result.sums
    record[JOINT_WITHHELD] = len(result.withheld) + earlier.get(JOINT_WITHHELD, 0)
    record[WORKED_OUT] = len(result.released) + earlier.get(WORKED_OUT, 0)
    record[AUDIT_SECONDS] = round(seconds + earlier.get(AUDIT_SECONDS, 0.0), 2)  # diagnostics only
    return record


def register_plugin_loaders(host: PluginHost) -> None:
    """Make loaders registered by plugins available to the intake readers."""
    from equality_reports.intake.readers import register_loader

    for loader in host.loaders().values():
        register_loader(loader)


def applicable_reports(host: PluginHost, dataset: Any) -> tuple[list[Report], list[ReportOutcome]]:
    """The reports ``run --all`` runs on ``dataset`` (its tables present, its sector served), and
    the others as skipped outcomes saying why."""
    registered = host.reports()
    chosen, skipped = [], []
    for name in sorted(registered):
        report = registered[name].item
        missing = report.missing_tables(dataset)
        if report.sectors and dataset.sector not in report.sectors:
            skipped.append(ReportOutcome(name, "skipped", registered[name].plugin.name,
                                         error=f"for sector {' or '.join(report.sectors)}, "
                                               f"this dataset is {dataset.sector}"))
        elif missing:
            skipped.append(ReportOutcome(name, "skipped", registered[name].plugin.name,
                                         error=f"needs table(s) {', '.join(missing)}"))
        elif columns := report.missing_columns(dataset):
            skipped.append(ReportOutcome(name, "skipped", registered[name].plugin.name,
                                         error=f"needs column(s) {', '.join(columns)} with values"))
        else:
            chosen.append(report)
    return chosen, skipped


def _select_reports(request: RunRequest, host: PluginHost, dataset: Any) -> tuple[list[Report], list[ReportOutcome]]:
    if request.all_reports:
        chosen, skipped = applicable_reports(host, dataset)
        if not chosen:
            raise InputError("no installed report can run on this dataset: "
                             + "; ".join(f"{o.name} {o.error}" for o in skipped))
        return chosen, skipped
    if not request.reports:
        raise InputError("name at least one report to run, or use --all. See `equality-reports list`.")
    chosen = []
    for name in dict.fromkeys(request.reports):
        report = host.report(name)
        missing = report.missing_tables(dataset)
        if missing:
            raise InputError(
                f"report {name!r} needs the table(s) {', '.join(missing)}, which the dataset "
                f"{request.data} does not have",
                [Problem(f"table '{t}' missing or empty", file=str(request.data),
                         fix=f"add {t}.csv (or a '{t}' sheet); `equality-reports template` writes a blank one")
                 for t in missing])
        columns = report.missing_columns(dataset)
        if columns:
            raise InputError(
                f"report {name!r} needs the column(s) {', '.join(columns)}, which the dataset {request.data} "
                f"does not have or leaves blank in every row",
                [Problem(f"column '{c.split('.', 1)[1]}' missing or blank", file=c.split(".", 1)[0],
                         column=c.split(".", 1)[1],
                         fix="add the column (`equality-reports contract` says what it holds)")
                 for c in columns])
        chosen.append(report)
    return chosen, []


def run_options(given: dict[str, str], dataset: Dataset, host: PluginHost, reports: list[Report]) -> dict[str, str]:
    """The report options of the run: dataset.toml's ``[options]`` that ``reports`` take (kept
    with the data, so every year's run is the same), overridden by ``--option``. A dataset option
    no installed report takes is an error (exit 2) naming dataset.toml."""
    kept = {k: v for k, v in (dataset.config.get("options") or {}).items() if not isinstance(v, dict)}
    options = [opt for reg in host.reports().values() for opt in reg.item.options]
    known = {opt.name for opt in options}
    unknown = sorted(set(kept) - known)
    if unknown:
        raise InputError(f"dataset.toml of {dataset.path}: [options] names {', '.join(unknown)}, which no installed "
                         f"report takes; the options are {', '.join(sorted(known)) or 'none'}. See "
                         f"`equality-reports describe REPORT`.")
    files = sorted({opt.name for opt in options if opt.names_files} & set(kept))
    if files:
        raise InputError(f"dataset.toml of {dataset.path}: [options] sets {', '.join(files)}, which name files to "
                         f"read: give them on the command line with --option (a dataset may not point the run at "
                         f"files outside it).")
    taken = {opt.name: opt for report in reports for opt in report.options}
    texts = _option_texts({k: v for k, v in kept.items() if k in taken}, taken, dataset, "[options]")
    return {**texts, **given}


def _option_texts(values: dict[str, Any], taken: dict[str, Any], dataset: Dataset, where: str) -> dict[str, str]:
    """dataset.toml option values as the text ``--option`` would give, each checked by its option."""
    words = {True: "true", False: "false"}
    texts = {k: words[v] if isinstance(v, bool) else str(v) for k, v in values.items()}
    for key, text in texts.items():
        try:
            taken[key].parse(text)
        except InputError as exc:
            raise InputError(f"dataset.toml of {dataset.path}: {where} {exc}. Correct the value in dataset.toml, "
                             f"or override it with --option {key}=VALUE.") from None
    return texts


def report_options(given: dict[str, str], dataset: Dataset, host: PluginHost,
                   reports: list[Report]) -> dict[str, dict[str, str]]:
    """dataset.toml's ``[options.<report>]`` tables: options for that report only (an NHS trust's
    RRAA report counting the WRES population while its pay gap reports count every employee),
    for the ``reports`` of this run; ``--option`` overrides them. A table naming no installed
    report, or an option that report does not take, is an error (exit 2) naming dataset.toml."""
    tables = {k: v for k, v in (dataset.config.get("options") or {}).items() if isinstance(v, dict)}
    installed = {name: reg.item for name, reg in host.reports().items()}
    out: dict[str, dict[str, str]] = {}
    for name, table in tables.items():
        if name not in installed:
            raise InputError(f"dataset.toml of {dataset.path}: [options.{name}] names no installed report; the "
                             f"reports are {', '.join(sorted(installed))}. See `equality-reports list`.")
        taken = {opt.name: opt for opt in installed[name].options}
        unknown = sorted(set(table) - set(taken))
        files = sorted(k for k in table if k in taken and taken[k].names_files)
        if unknown or files:
            raise InputError(f"dataset.toml of {dataset.path}: [options.{name}] sets "
                             f"{', '.join(unknown + files)}, which {name} does not take from dataset.toml; it takes "
                             f"{', '.join(sorted(k for k, o in taken.items() if not o.names_files)) or 'none'}.")
        texts = _option_texts(table, taken, dataset, f"[options.{name}]")
        if name in {r.name for r in reports}:
            out[name] = {k: v for k, v in texts.items() if k not in given}
    return out


def _parse_options(raw: dict[str, str], reports: list[Report],
                   per_report: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, Any]]:
    known = {opt.name for r in reports for opt in r.options}
    unknown = sorted(set(raw) - known)
    if unknown:
        listing = ", ".join(sorted(known)) or "none"
        raise InputError(f"unknown --option {', '.join(unknown)} for the chosen reports; "
                         f"they accept: {listing}. See `equality-reports describe REPORT`.")
    per_report = per_report or {}
    return {r.name: r.parse_options({**raw, **per_report.get(r.name, {})}) for r in reports}


#: the most previous years ``--compare`` takes (with this year, five years shown)
MAX_PREVIOUS_YEARS = 4


def _load_compare(paths: tuple[Path, ...], data: Path, dataset: Any, audience: Audience,
                  host: PluginHost) -> list[PreviousYear]:
    """``--compare``: previous datasets, run folders or reports' JSON, oldest first. Each must be
    a year of its own, before this one: a period that overlaps this run's or another given year's
    is refused. A publication takes previous figures only from publication runs' JSON (see
    :func:`figures_from_json`)."""
    from equality_reports.intake import load_dataset

    if len(paths) > MAX_PREVIOUS_YEARS:
        raise InputError(f"--compare given {len(paths)} times: at most {MAX_PREVIOUS_YEARS} previous years "
                         f"(five years with this one).")
    years = []
    for path in paths:
        if not path.exists():
            raise InputError(f"--compare {path}: not found. Give a previous year's dataset folder, "
                             f"its output folder or one of its <report>.json files.")
        if not path.is_file() and not path.is_dir():
            raise InputError(f"--compare {path}: neither a file nor a folder. Give a previous year's dataset "
                             f"folder, its output folder or one of its <report>.json files.")
        if path.is_file() and path.suffix.lower() == ".json":
            files = [path]
        elif path.is_dir() and (path / "run.json").is_file():
            files = sorted(p for p in path.glob("*.json") if p.name != "run.json")
        else:
            ds = load_dataset(path, contract=host.contract())  # its people are units of their own (measures.units)
            label = year_label(ds.period_start, ds.period_end)
            years.append(PreviousYear(path, ds.period_start, ds.period_end,
                                      dataclasses.replace(ds, tables=in_universe_of_its_own(ds.tables, label))))
            continue
        start, end = _json_period(files, path)
        if start > end:
            raise InputError(f"--compare {path}: its period starts ({start}) after it ends ({end}): it is not a "
                             f"report JSON file as equality-reports writes it.")
        years.append(PreviousYear(path, start, end, figures=figures_from_json(files, audience, "--compare ")))
    years.sort(key=lambda y: y.start)
    this = PreviousYear(data, dataset.period_start, dataset.period_end)
    for i, year in enumerate(years):
        for other in [*years[i + 1:], this]:
            if year.end >= other.start and other.end >= year.start:
                whose = "this run's period" if other is this else f"the period of --compare {other.source}"
                raise InputError(f"--compare {year.source}: its period {_period_text(year)} overlaps {whose} "
                                 f"{_period_text(other)}. Give previous years only, each once, each with its "
                                 f"own period in its dataset.toml.")
    return years


def _period_text(year: PreviousYear) -> str:
    return f"{year.label} ({long_date(year.start)} to {long_date(year.end)})"


def _json_period(files: list[Path], given: Path) -> tuple[date, date]:
    """The period a previous run's report JSON files cover (the first that says)."""
    for path in files:
        try:
            period = json.loads(path.read_text(encoding="utf-8"))["period"]
            return date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            continue
    raise InputError(f"--compare {given}: no report JSON there says which period it covers. Give a "
                     f"<report>.json, or the output folder, of a previous run of equality-reports.")


def figures_from_json(paths: list[Path], audience: Audience | None = None, source: str = "") -> dict[str, Figure]:
    """Published figures from ``<report>.json`` files, keyed by id.

    With ``audience="publication"`` every file must say it was written by a publication run
    (``"audience": "publication"``): figures from an internal run (no disclosure control) must never
    feed a publication, and a file that does not say is refused too. ``source`` names the option
    in messages (``"--compare "``, ``"--option figures="``).
    """
    out: dict[str, Figure] = {}
    for path in paths:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            figures = {fid: _figure_from_json(fid, raw) for fid, raw in payload["figures"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise InputError(f"{source}{path}: not a report JSON file written by equality-reports ({exc}). "
                             f"Give a <report>.json from a previous run's output folder.") from None
        if audience == "publication":
            _refuse_internal_source(path, payload, source)
        out.update(figures)
    return out


#: the largest number a previous year's figure may hold (no workforce figure comes near it)
_LARGEST_FIGURE = 1e12
_UNITS = set(get_args(FigureUnit))


def _figure_from_json(fid: str, raw: Any) -> Figure:
    """One figure of a report JSON file, its types checked (the file may have been edited): a
    number is finite and not a yes/no, text is short, the unit is one the engine writes."""
    if not isinstance(raw, dict):
        raise ValueError(f"figure {fid!r} is not an object")

    def number(key: str) -> float | int | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= _LARGEST_FIGURE:
            raise ValueError(f"figure {fid!r}: {key} {value!r} is not a number")
        return value

    def text(key: str, default: str, longest: int = 500) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str) or len(value) > longest:
            raise ValueError(f"figure {fid!r}: {key} is not text of at most {longest} characters")
        return value

    unit = text("unit", "number")
    if unit not in _UNITS:
        raise ValueError(f"figure {fid!r}: unit {unit!r} is not one of {', '.join(sorted(_UNITS))}")
    value: Any = text("value", "", 100) if unit in ("text", "flag") and isinstance(raw.get("value"), str) \
        else number("value")
    suppressed, headline = raw.get("suppressed", False), raw.get("headline", False)
    if not isinstance(suppressed, bool) or not isinstance(headline, bool):
        raise ValueError(f"figure {fid!r}: suppressed or headline is not true or false")
    return Figure(id=fid, label=text("label", fid), value=value, unit=unit,  # type: ignore[arg-type]
                  numerator=number("numerator"), denominator=number("denominator"), suppressed=suppressed,
                  note=text("note", ""), headline=headline)


def _refuse_internal_source(path: Path, payload: dict[str, Any], source: str) -> None:
    if payload.get("audience") == "publication" and not payload.get("not_for_publication"):
        return
    if payload.get("audience") == "internal" or payload.get("not_for_publication"):
        why = ("was written by an internal-audience run: it is not for publication and its figures "
               "had no disclosure control")
    else:
        why = 'does not say it was written by a publication run (it has no "audience": "publication")'
    raise InputError(f"{source}{path}: {why}. Its figures cannot feed a publication. Give the "
                     f"<report>.json of a publication run (the same report run without --audience "
                     f"internal), or make this run internal too with --audience internal.")


def output_stem(report: str, audience: Audience) -> str:
    """How every output file of ``report`` starts: ``wres``, or ``wres-internal`` for an internal run."""
    return report + INTERNAL_TAG if audience == "internal" else report


def _check_audience(request: RunRequest, reports: list[Report], options: dict[str, dict[str, Any]],
                    renderers: dict[str, Any]) -> None:
    """Before anything is written: refuse figure files of internal runs for a publication (exit 2),
    and refuse to write beside outputs of the same report for the other audience (exit 2)."""
    if request.audience == "publication":
        for report in reports:
            for opt in report.options:
                if not opt.figure_files:
                    continue
                for raw in str(options[report.name].get(opt.name) or "").split(","):
                    path = Path(raw.strip()).expanduser()
                    if raw.strip() and path.is_file():  # a missing file is the report's check() to name
                        figures_from_json([path], request.audience, f"--option {opt.name}=")
    suffixes = sorted({r.suffix for r in renderers.values()})
    found = {r.name: _outputs_for_audience(request.out, r.name, _other(request.audience), suffixes)
             for r in reports}
    found = {name: files for name, files in found.items() if files}
    if not found:
        return
    reports_named = " and ".join(sorted(found))
    listing = ", ".join(f for _name, files in sorted(found.items()) for f in files)
    if request.audience == "publication":
        raise InputError(
            f"--out {request.out} already holds internal outputs of {reports_named} (not for publication: "
            f"no disclosure control): {listing}. A publication run does not write beside them, so that "
            f"nothing internal is published with it by mistake. Use another --out folder for the "
            f"publication, or delete those files first.")
    raise InputError(
        f"--out {request.out} already holds publication outputs of {reports_named}: {listing}. An internal "
        f"run does not write beside them, so that its outputs (not for publication: no disclosure control) "
        f"cannot be mistaken for them or published with them. Use another --out folder for internal "
        f"outputs, or delete those files first.")


def _other(audience: Audience) -> Audience:
    return "publication" if audience == "internal" else "internal"


def _outputs_for_audience(out: Path, report: str, audience: Audience, suffixes: list[str]) -> list[str]:
    """Names in ``out`` of ``report``'s outputs for ``audience``: every file named as an internal run
    names them (``<report>-internal*``), or as a publication run does (``<report>`` plus a renderer's
    suffix, and the files run.json lists for the report when it records a publication run)."""
    if not out.is_dir():
        return []
    if audience == "internal":
        stem = output_stem(report, "internal")
        return sorted(p.name for p in out.iterdir() if p.name.startswith(stem))
    names = {report + suffix for suffix in suffixes}
    try:
        record = json.loads((out / "run.json").read_text(encoding="utf-8"))
        if record.get("audience") == "publication":
            names.update(f for r in record.get("reports", []) if r.get("name") == report
                         for f in r.get("files", []))
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    internal = output_stem(report, "internal")
    return sorted(n for n in names if (out / n).exists() and not n.startswith(internal))


def _render(report: Report, ctx: ReportContext, document: Document, request: RunRequest,
            renderers: dict[str, Any], settings: RenderSettings, workdir: Path,
            progress: Progress) -> list[Path]:
    staging = workdir / report.name
    staging.mkdir()
    stem = output_stem(report.name, request.audience)
    rendered: dict[str, Path] = {}
    for fmt in request.formats:
        renderer = renderers[fmt]
        target = staging / f"{stem}{renderer.suffix}"
        progress(f"Writing {target.name}")
        renderer.render(document, target, settings)
        rendered[fmt] = target
    extra = report.extra_outputs(ctx, document, rendered, staging)
    return list(rendered.values()) + [_tag_extra(Path(p), report.name, stem) for p in extra]


def _tag_extra(path: Path, report: str, stem: str) -> Path:
    """A plugin's extra output named like the rendered ones: evidence-pack-bundle.zip becomes
    evidence-pack-internal-bundle.zip in an internal run."""
    if stem == report or path.name.startswith(stem):
        return path
    name = stem + path.name[len(report):] if path.name.startswith(report) else f"{stem}-{path.name}"
    return path.rename(path.with_name(name))


def _describe(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if isinstance(exc, InputError) else f"{exc.__class__.__name__}: {text}"


def _records(request: RunRequest, host: PluginHost, dataset: Any,
             outcomes: list[ReportOutcome], audit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """run.json and, for a publication, the diagnostics, by path inside ``--out``. A publication
    run's record holds nothing a reader could combine with the publications: no row counts per
    input, no breakdown of withheld cells by reason (only how many cells each table withholds, which
    its [c] marks show anyway), no warnings (they quote counts); those diagnostics go to the console
    and to ``.equality-reports/diagnostics-internal.json``."""
    publication = request.audience == "publication"
    reports = [o.as_dict() for o in outcomes]
    if publication:
        for entry in reports:
            entry.pop("warnings", None)
            if "disclosure" in entry:
                entry["disclosure"] = _published_disclosure(entry["disclosure"])
    record = {
        "tool": {"name": "equality-reports", "version": __version__,
                 "python": platform.python_version()},
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
        "data": str(request.data),
        "organisation": dataset.organisation,
        "period": {"start": dataset.period_start.isoformat(), "end": dataset.period_end.isoformat()},
        "inputs": [{"path": i.path, "table": i.table, **({} if publication else {"rows": i.rows}),
                    "sha256": i.sha256} for i in dataset.inputs],
        "compare": [str(p) for p in request.compare],
        "audience": request.audience,
        "not_for_publication": request.audience == "internal",
        "threshold": request.threshold,
        "suppress_zero": request.suppress_zero,
        "formats": list(request.formats),
        "options": dict(sorted(request.options.items())),
        "report_options": {name: dict(sorted(opts.items())) for name, opts in sorted(request.report_options.items())},
        "templates": str(request.templates) if request.templates else None,
        "style": str(request.style) if request.style else None,
        "plugins": [{"name": p.name, "version": p.version, "source": p.source}
                    for p in host.plugins.values()],
        "plugin_errors": [{"plugin": e.name, "error": e.error} for e in host.errors],
        "reports": reports,
        "suppressed_cells": sum(o.disclosure.get("cells", 0) for o in outcomes if o.disclosure),
        "disclosure_audit": {k: v for k, v in audit.items() if k not in INTERNAL_AUDIT_KEYS} or None,
        "internal_notes": {"file": RUN_NOTES, "not_for_publication": True,
                           "what": "instructions for whoever runs the tool, not a publication"},
    }
    warnings = [str(p) for p in dataset.warnings]
    if not publication:
        record["warnings"] = warnings
        return {RECORD: record}
    raised = sum(len(o.warnings) for o in outcomes)  # as the run notes count them
    record["warnings"] = (f"{len(warnings)} data warning(s) from loading the data and {raised} from the reports: "
                          f"printed by the run and kept in {DIAGNOSTICS}")
    diagnostics = {"not_for_publication": True, "generated_at": record["generated_at"],
                   "inputs": [{"path": i.path, "table": i.table, "rows": i.rows} for i in dataset.inputs],
                   "reports": [o.as_dict() for o in outcomes], "warnings": warnings,
                   "audit_seconds": audit.get(AUDIT_SECONDS),
                   "cells_withheld_by_the_joint_pass": audit.get(JOINT_WITHHELD),
                   "cells_shown_as_worked_out": audit.get(WORKED_OUT)}
    return {RECORD: record, DIAGNOSTICS.as_posix(): diagnostics}


def _published_disclosure(summary: dict[str, Any]) -> dict[str, Any]:
    """Per table, how many of its shown cells are withheld and their share; the tables left out
    for being mostly withheld; nothing more."""
    tables = {}
    for table_id, entry in summary.get("tables", {}).items():
        tables[table_id] = {"withheld_cells": entry["shown_withheld"]}
        if entry.get("size"):
            tables[table_id]["withheld_pct"] = round(100 * entry["shown_withheld"] / entry["size"], 1)
    out = {"threshold": summary.get("threshold"), "tables": tables}
    if summary.get("left_out"):
        out["left_out"] = summary["left_out"]
    return out
