"""The ``equality-reports`` command line.

Only click is imported at start-up: pandas, the plugins and the renderers load inside the
commands that need them, so ``--version`` and a command's ``--help`` answer at once; the top-level
``--help`` loads the plugins to list their commands. Exit codes: 0 success, 1 a report
failed, 2 bad input or usage. Errors print one clear message; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import errno
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from equality_reports import __version__

if TYPE_CHECKING:
    from datetime import datetime

    from equality_reports.plugins import PluginHost

FORMATS = ("docx", "xlsx", "csv", "json")


class _State:
    debug = False


def _host(plugins_dir: Path | None) -> PluginHost:
    """The plugin host: ``--plugins-dir`` given to the command, else to ``equality-reports`` itself
    (else ``EQUALITY_REPORTS_PLUGINS_DIR``). Loaded once per command line."""
    from equality_reports.plugins import PluginHost

    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    plugins_dir = plugins_dir or (root.params.get("plugins_dir") if root is not None else None)
    hosts: dict[Path | None, PluginHost] = root.meta.setdefault(_HOSTS, {}) if root is not None else {}
    if plugins_dir not in hosts:
        host = hosts[plugins_dir] = PluginHost(plugins_dir)
        host.contract()  # merging the plugins' tables reports conflicting declarations with the other errors
        for err in host.errors:
            click.echo(f"Warning: plugin {err.name!r} could not be loaded: {err.error}", err=True)
            if _State.debug and "traceback" in err.extra:
                click.echo(err.extra["traceback"], err=True)
    return hosts[plugins_dir]


_HOSTS = "equality_reports.hosts"
_PLUGIN_COMMANDS = "equality_reports.plugin_commands"


def _plugins_dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--plugins-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        envvar="EQUALITY_REPORTS_PLUGINS_DIR",
        help="Also load every .py file in this folder as a plugin.")(func)


class _Group(click.Group):
    """Built-in commands, plus the commands of plugins' ``register_commands`` (``--plugins-dir``
    plugins included), loaded when a command is looked up or listed (``--help``)."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        root = ctx.find_root()
        if _PLUGIN_COMMANDS not in root.meta:
            extra = click.Group()
            with ctx.scope(cleanup=False):
                _host(None).add_commands(extra)
            root.meta[_PLUGIN_COMMANDS] = {n: c for n, c in extra.commands.items() if n not in self.commands}
        return root.meta[_PLUGIN_COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, cmd_name) or self._plugin_commands(ctx).get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugin_commands(ctx)})


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Plugins can add commands of their own; run `equality-reports list` to see "
                    "installed plugins. Docs: README.md and docs/ in the source tree.")
@click.version_option(__version__, "--version", prog_name="equality-reports")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option("--plugins-dir", type=click.Path(file_okay=False, path_type=Path), default=None, is_eager=True,
              help="Also load every .py file in this folder as a plugin (its commands included).")
def cli(debug: bool, plugins_dir: Path | None) -> None:
    """Turn an HR workforce extract into accessible equality publications and returns.

    \b
    Typical use:
      equality-reports validate sample_data/council
      equality-reports run rraa-employment --data sample_data/council --out out/
      equality-reports run --all --data sample_data/nhs_trust --out out/ --audience internal
    """
    _State.debug = debug


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_plugins_dir_option
def list_command(as_json: bool, plugins_dir: Path | None) -> None:
    """List the reports and plugins that are installed, and the plugin API version."""
    from equality_reports.hookspecs import HOOKSPEC_VERSION

    host = _host(plugins_dir)
    contract = host.contract()
    reports = [
        {"name": name, "title": reg.item.title, "plugin": reg.plugin.name,
         "version": reg.plugin.version,
         "required_tables": list(reg.item.required_tables),
         "required_columns": [f"{t}.{c}" for t, cols in reg.item.required_columns.items() for c in cols],
         "optional_tables": list(reg.item.optional_tables)}
        for name, reg in sorted(host.reports().items())
    ]
    plugins = [{"name": p.name, "version": p.version, "source": p.source, "hooks": p.hooks}
               for p in host.plugins.values()]
    tables = [{"name": name, "columns": [c.name for c in spec.columns], "used_by": list(contract.used_by.get(name, ()))}
              for name, spec in contract.tables.items()]
    errors = [{"plugin": e.name, "error": e.error} for e in host.errors]
    if as_json:
        click.echo(json.dumps({"api_version": HOOKSPEC_VERSION, "reports": reports, "plugins": plugins,
                               "tables": tables, "errors": errors}, indent=2))
        return
    click.echo(f"equality-reports {__version__}, plugin API version {HOOKSPEC_VERSION}\n")
    click.echo("Reports:")
    for r in reports:
        click.echo(f"  {r['name']:<18} {r['title']}")
        click.echo(f"  {'':<18} plugin {r['plugin']} {r['version']}; needs: "
                   f"{', '.join(r['required_tables']) or 'nothing'}"
                   + (f" (columns {', '.join(r['required_columns'])})" if r["required_columns"] else ""))
    if not reports:
        click.echo("  (none installed)")
    click.echo("\nTables (see `equality-reports contract`):")
    for t in tables:
        used_by = ", ".join(t["used_by"]) or "no report"
        click.echo(f"  {t['name']:<20} {len(t['columns']):>3} columns; read by {used_by}")
    click.echo("\nPlugins:")
    for p in plugins:
        click.echo(f"  {p['name']:<34} {p['version']:<10} {p['source']}")
        click.echo(f"  {'':<34} hooks: {', '.join(p['hooks']) or 'none'}")
    for e in errors:
        click.echo(f"  {e['plugin']:<34} FAILED TO LOAD: {e['error']}")


@cli.command()
@click.argument("report")
@_plugins_dir_option
def describe(report: str, plugins_dir: Path | None) -> None:
    """Show what REPORT needs, which options it takes and what it writes."""
    host = _host(plugins_dir)
    rep = host.report(report)
    reg = host.reports()[report]
    click.echo(f"{rep.name}: {rep.title}")
    click.echo(f"Plugin: {reg.plugin.name} {reg.plugin.version}\n")
    if rep.description:
        click.echo(click.wrap_text(rep.description, 88) + "\n")
    click.echo("Required tables: " + (", ".join(rep.required_tables) or "none"))
    if rep.required_columns:
        click.echo("Required columns: " + ", ".join(f"{t}.{c}" for t, cols in rep.required_columns.items()
                                                    for c in cols))
    click.echo("Optional tables: " + (", ".join(rep.optional_tables) or "none"))
    click.echo("\nOptions (--option KEY=VALUE):")
    for opt in rep.options:
        choices = f" [{'|'.join(opt.choices)}]" if opt.choices else ""
        click.echo(f"  {opt.name}={opt.default!r}{choices}  ({opt.type.__name__})")
        if opt.help:
            click.echo(click.wrap_text(opt.help, 84, initial_indent="      ", subsequent_indent="      "))
    if not rep.options:
        click.echo("  none")
    click.echo("\nOutputs in --out DIR:")
    names = {"docx": f"{rep.name}.docx (Word publication)", "xlsx": f"{rep.name}.xlsx (Excel tables)",
             "csv": f"{rep.name}-csv/<table>.csv (open data)", "json": f"{rep.name}.json (figures)"}
    for fmt in rep.outputs:
        click.echo(f"  {names.get(fmt, fmt)}")
    click.echo(f"  (with --audience internal: {rep.name}-internal.docx, {rep.name}-internal-csv/ and so on, "
               f"stamped NOT FOR PUBLICATION)")
    click.echo("  run.json (record of the run: inputs with SHA-256, versions, options)")
    from equality_reports.templating import shared_templates_dir

    folders = " and ".join(str(p) for p in (rep.template_dir, shared_templates_dir()) if p is not None)
    click.echo(f"\nNarrative templates (copy one into --templates DIR under the same path to change "
               f"its wording): {folders}")


@cli.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems and summary as JSON.")
@click.option("--report", "reports", multiple=True,
              help="Run this report's own checks (default: those of every report `run --all` would run).")
@_plugins_dir_option
def validate(data: Path, as_json: bool, reports: tuple[str, ...], plugins_dir: Path | None) -> None:
    """Check a dataset folder or workbook and summarise its data quality, with the checks of every
    report `run --all` would run on it (or of the reports named with --report).

    Exits 0 when the data is usable, 2 when it is not.
    """
    from equality_reports.intake import format_validation, validate_dataset
    from equality_reports.reports import ReportContext
    from equality_reports.runner import applicable_reports, register_plugin_loaders, report_options, run_options

    host = _host(plugins_dir)
    register_plugin_loaders(host)
    result = validate_dataset(data, host.contract())
    if result.dataset is not None:
        chosen = [host.report(name) for name in reports] if reports else applicable_reports(host, result.dataset)[0]
        kept = run_options({}, result.dataset, host, chosen)
        own = report_options({}, result.dataset, host, chosen)
        for rep in chosen:
            options = rep.parse_options({**kept, **own.get(rep.name, {})})
            found = rep.check(ReportContext(rep, result.dataset, options, frameworks=host.frameworks(), host=host))
            result.dataset.name_headings(found)
            result.add_problems(found)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_validation(result))
    sys.exit(0 if result.usable else 2)


def _parse_key_values(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: write KEY=VALUE", param_hint="--option")
        out[key.strip()] = value.strip()
    return out


def _parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats:
        raise click.BadParameter("give at least one of docx, xlsx, ods, csv, json, html, pdf", param_hint="--format")
    return formats


class _NamedFolder(click.Path):
    """A folder path that must be named: an empty ``--out ""`` would write into the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("give a folder name: an empty one would write into the current folder", param, ctx)
        return super().convert(value, param, ctx)


@cli.command()
@click.argument("reports", nargs=-1)
@click.option("--all", "all_reports", is_flag=True, help="Run every report the data supports.")
@click.option("--data", required=True, type=click.Path(path_type=Path),
              help="Dataset folder or workbook.")
@click.option("--out", required=True, type=_NamedFolder(file_okay=False, path_type=Path),
              help="Output folder (created if needed).")
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True,
              help="Comma-separated output formats: docx, xlsx, ods, csv, json, html, pdf (needs LibreOffice) "
                   "and any a plugin registers.")
@click.option("--audience", type=click.Choice(["publication", "internal"]), default="publication",
              show_default=True,
              help="publication applies disclosure control; internal (returns to a regulator) "
                   "does not, names every output <report>-internal.* and stamps it NOT FOR "
                   "PUBLICATION. A run never writes beside the other audience's outputs of a report.")
@click.option("--threshold", type=click.IntRange(min=1), default=10, show_default=True,
              help="Counts from 1 to threshold-1 are withheld in publications.")
@click.option("--protection", type=click.IntRange(min=1), default=None,
              help="How wide the range of values a reader could narrow a withheld small count (or a "
                   "small group between two counts) to, using everything the run publishes, must be at "
                   "least (default: the threshold).")
@click.option("--suppress-zero", is_flag=True, help="Treat zero counts as disclosive too.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="A report option (see `describe REPORT`). Repeatable.")
@click.option("--compare", type=click.Path(path_type=Path), multiple=True,
              help="A previous year's dataset, output folder or <report>.json: year-on-year change and "
                   "trends. Repeatable, up to four previous years; each must cover a period before this one.")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of your own narrative templates that override the built-in ones.")
@click.option("--style", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A house-style .docx whose styles the Word output uses.")
@_plugins_dir_option
def run(reports: tuple[str, ...], all_reports: bool, data: Path, out: Path, formats: str,
        audience: str, threshold: int, protection: int | None, suppress_zero: bool, options: tuple[str, ...],
        compare: tuple[Path, ...], templates: Path | None, style: Path | None,
        plugins_dir: Path | None) -> None:
    """Produce REPORT... (or --all) from --data into --out."""
    from equality_reports.runner import RunRequest, execute

    if reports and all_reports:
        raise click.UsageError("name reports or use --all, not both")
    request = RunRequest(
        data=data, out=out, reports=list(reports), all_reports=all_reports,
        formats=_parse_formats(formats), audience=audience,  # type: ignore[arg-type]
        threshold=threshold, protection=protection, suppress_zero=suppress_zero,
        options=_parse_key_values(options),
        templates=templates, style=style, compare=compare, debug=_State.debug,
    )
    host = _host(plugins_dir)
    result = execute(request, host, progress=lambda m: click.echo(m, err=True))
    for w in result.data_warnings:
        click.echo(f"data warning: {w}")
    for o in result.outcomes:
        if o.status == "ok":
            click.echo(f"{o.name}: wrote {', '.join(o.files)}")
            _echo_information_loss(o.disclosure)
            for w in o.warnings:
                click.echo(f"  warning: {w}")
            for note in o.notes:
                click.echo(f"  note: {note}")
        elif o.status == "skipped":
            click.echo(f"{o.name}: skipped ({o.error})")
        else:
            click.echo(f"{o.name}: FAILED: {o.error}", err=True)
            if _State.debug:
                click.echo(o.detail, err=True)
    for note in result.machine_notes:
        click.echo(f"note: {note}")
    if result.record:
        click.echo(f"Run record: {result.record}")
    if audience == "internal":
        click.echo("Audience internal: outputs are NOT for publication (no disclosure control).")
    sys.exit(result.exit_code)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--report", "reports", multiple=True,
              help="Only the tables these reports use (default: every table).")
@_plugins_dir_option
def template(folder: Path, reports: tuple[str, ...], plugins_dir: Path | None) -> None:
    """Write a blank input workbook for HR colleagues to fill in."""
    from equality_reports.intake import write_template

    host = _host(plugins_dir)
    tables: list[str] | None = None
    if reports:
        tables = []
        for name in reports:
            rep = host.report(name)
            tables.extend(t for t in (*rep.required_tables, *rep.optional_tables) if t not in tables)
    path = write_template(folder, tables, host.contract())
    click.echo(f"Wrote {path}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["council", "nhs_trust", "social_care", "small_body"]),
              required=True, help="What kind of organisation to imitate.")
@click.option("--staff", type=click.IntRange(min=1), default=None, help="Staff in post (default by kind).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same data).")
@click.option("--period-end", type=click.DateTime(["%Y-%m-%d"]), default="2026-03-31", show_default=True,
              help="Last day of the year the sample covers: an earlier year gives a previous year's "
                   "sample, for --compare.")
@_plugins_dir_option
def sample(folder: Path, kind: str, staff: int | None, seed: int, period_end: datetime,
           plugins_dir: Path | None) -> None:
    """Generate a realistic synthetic dataset (for trying the tool and for tests): a file per table
    of the installed plugins."""
    from equality_reports.intake import generate_sample

    contract = _host(plugins_dir).contract()
    path = generate_sample(folder, kind, staff=staff, seed=seed, period_end=period_end.date(), contract=contract)
    click.echo(f"Wrote {kind} sample dataset to {path}")


@cli.command()
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Print the tables sections of docs/data-contract.md (the default is a short listing).")
@_plugins_dir_option
def contract(as_markdown: bool, plugins_dir: Path | None) -> None:
    """Show the data contract: every table and column the installed plugins read."""
    from equality_reports.intake.contract import markdown

    merged = _host(plugins_dir).contract()
    if as_markdown:
        click.echo(markdown(merged), nl=False)
        return
    for name, spec in merged.tables.items():
        users = ", ".join(merged.used_by.get(name, ())) or "no report"
        click.echo(f"{name} (read by {users}): {spec.help}")
        for col in spec.columns:
            kind = f"category ({col.classification})" if col.classification else col.type
            click.echo(f"  {col.name:<26} {kind:<24} {'required' if col.required else ''}")


@cli.command("new-plugin")
@click.argument("name")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder to create the plugin's folder in.")
def new_plugin(name: str, folder: Path) -> None:
    """Write an installable report plugin NAME (lower-case words joined by hyphens): a report
    reading a table of its own, a template, a test and a README, ready to `pip install -e`."""
    from equality_reports.scaffold import new_plugin as write_plugin

    host = _host(None)
    root = write_plugin(name, folder, taken={*host.reports(), *host.contract().tables})
    click.echo(f"Wrote plugin {name} to {root}\nNext: python -m pip install -e \"{root}[test]\" && "
               f"python -m pytest {root / 'tests'}")


def _quiet_disk_errors(unraisable: Any) -> None:
    """A file closed by the garbage collector after a full disk fails again ("Exception ignored in
    ZipFile.__del__"): the run has already said the disk is full, so that says nothing new. Any
    other error is printed as Python would."""
    error = unraisable.exc_value
    if not (isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)):
        sys.__unraisablehook__(unraisable)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: turns known errors into messages and exit codes."""
    from equality_reports.errors import EqualityReportsError

    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if not debug:
        sys.unraisablehook = _quiet_disk_errors
    try:
        cli.main(args=argv, prog_name="equality-reports", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except EqualityReportsError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted: no output was replaced by a partial file.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last resort: never show a bare traceback
        if debug:
            traceback.print_exc()
        click.echo(f"Internal error: {exc.__class__.__name__}: {exc}. This is a bug in "
                   f"equality-reports or a plugin; re-run with --debug for the traceback and "
                   f"report it.", err=True)
        sys.exit(1)


def _echo_information_loss(disclosure: dict[str, object]) -> None:
    """The share of shown cells withheld, overall and in the most withheld tables, and the
    tables left out: what disclosure control cost this publication."""
    tables = disclosure.get("tables") or {}
    if not isinstance(tables, dict) or not tables:
        return
    size = sum(t.get("size", 0) for t in tables.values())
    withheld = sum(t.get("shown_withheld", 0) for t in tables.values())
    if size:
        worst = sorted(((t["shown_withheld"] / t["size"], tid) for tid, t in tables.items()
                        if t.get("size") and t.get("shown_withheld")), reverse=True)[:3]
        most = ", ".join(f"{tid} {share:.0%}" for share, tid in worst)
        click.echo(f"  withheld: {withheld / size:.0%} of shown cells" + (f" (most in {most})" if most else ""))
    for title in cast("list[str]", disclosure.get("left_out") or []):
        click.echo(f"  left out (mostly or wholly withheld; a sentence says so in its place): {title}")
