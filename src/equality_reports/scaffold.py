"""``equality-reports new-plugin``: write an installable plugin whose tests pass as generated.

The plugin has the layout of the first-party ones: a ``pyproject.toml`` declaring the entry
point, a package under ``src/`` with a report reading a table of its own (declared through
``register_tables``), one table and one figure, a narrative template, a test using
:mod:`equality_reports.testing`, and a README.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from string import Template

from equality_reports import __version__
from equality_reports.errors import InputError

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

_PYPROJECT = '''\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "equality-reports-$name"
version = "0.1.0"
description = "$title: a report plugin for equality-reports."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["equality-reports>=$core"]

[project.optional-dependencies]
test = ["pytest>=8"]

[project.entry-points.equality_reports]
$name = "$package"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
"$package" = ["templates/**/*.j2"]
'''

_README = '''\
# equality-reports-$name

A report plugin for [equality-reports](https://pypi.org/project/equality-reports/): **$title**.
It reads a table of its own, `$table` (one row per person who $verb in the reporting period,
with `person_id` and `date`), and publishes how many people from each ethnic group $verb, as a
share of staff in post, with the engine's disclosure control, audit and every output format.

```bash
python -m pip install -e ".[test]"      # install the plugin (and pytest)
python -m pytest                         # its tests
equality-reports list                    # shows the plugin and its `$table` table
equality-reports validate MY_DATASET
equality-reports run $name --data MY_DATASET --out out
```

Add `$table.csv` (columns `person_id`, `date`) to a dataset folder beside `staff.csv`.
'''

_INIT = '''\
"""$title: a report plugin for equality-reports."""

from equality_reports import ColumnSpec, TableSpec, hookimpl

from $package.report import REPORT, TABLE, ${cls}Report

__version__ = "0.1.0"


@hookimpl
def register_tables(register):
    """Declare the plugin's own table: one row per person and occasion, joined to staff."""
    register(TableSpec(TABLE, "One row per person who $verb, with the date.", (
        ColumnSpec("person_id", "id", True, "Employee number, as in staff.csv (never published)"),
        ColumnSpec("date", "date", True, "When it happened"),
        ColumnSpec("ethnicity", "category", help="Ethnic group (taken from staff when blank)",
                   classification="ethnicity"),
    ), joins_staff=True, period_column="date", reports=(REPORT,)))


@hookimpl
def register_reports(register):
    register(${cls}Report())
'''

_REPORT = '''\
"""The $name report: people who $verb in the period, by ethnic group, against staff in post."""

from pathlib import Path

import pandas as pd

from equality_reports import (DIRECTLY_EMPLOYED, Column, Figure, Paragraph, Report, Table, count_by_group,
                              scope, stats, union)

REPORT = "$name"
TABLE = "$table"
GROUPS = ("white", "minority_ethnic", "unknown")
LABELS = {"white": "White", "minority_ethnic": "Ethnic minority", "unknown": "Not stated or not known"}


class ${cls}Report(Report):
    name = REPORT
    title = "$title"
    description = "People who $verb in the reporting period, by ethnic group, as a share of staff in post."
    required_tables = ("staff", TABLE)
    template_dir = Path(__file__).parent / "templates"

    def build(self, ctx):
        # the engine decides who is counted: employees, people not records, events in the period
        people = scope(ctx.dataset, DIRECTLY_EMPLOYED)
        staff = count_by_group("people", people.staff, "ethnic_binary", GROUPS)
        events = ctx.dataset.table(TABLE)
        events = events[events["person_id"].isin(people.staff["person_id"])]
        did = count_by_group("people", events, "ethnic_binary", GROUPS)
        data = pd.DataFrame({
            "group": [LABELS[g] for g in GROUPS],
            "staff": [staff[g] for g in GROUPS],
            "people": [did[g] for g in GROUPS],
            "rate": [stats.percentage(did[g], staff[g]) for g in GROUPS],
        })
        doc = ctx.new_document()
        section = doc.section("summary", "$title")
        section.add(Paragraph(template="$name/summary.j2",
                              context={"total": f"{REPORT}.people.total", "rate": f"{REPORT}.rate.all"}))
        section.add(Table(f"{TABLE}_by_group", "$title by ethnic group", [
            Column("group", "Ethnic group"),
            Column("staff", "Staff in post", "count"),
            Column("people", "People", "count"),
            # a zero staff count makes the share not calculable: [x] where that zero is shown
            Column("rate", "Share of staff (%)", "percent", derived_from=("people", "staff"), divisors=("staff",)),
        ], data, row_key="group",
            # whom every count counts: the disclosure audit relates it to everything else published
            units={**{(i, "staff"): staff.units[g] for i, g in enumerate(GROUPS)},
                   **{(i, "people"): did.units[g] for i, g in enumerate(GROUPS)}}))
        doc.add_figure(Figure(f"{REPORT}.people.total", "People who $verb", did.total, "count",
                              units=union(*did.units.values())))
        doc.add_figure(Figure(f"{REPORT}.rate.all", "Share of staff who $verb",
                              stats.percentage(did.total, staff.total), "percent",
                              numerator=did.total, denominator=staff.total))
        return doc
'''

_TEMPLATE = '''\
{% set total = figures[total] %}{% set rate = figures[rate] %}
{% if total.suppressed %}The number of people who $verb this year is not shown, to protect individuals.{% else %}{{ total.text }} people $verb this year{% if not rate.suppressed and rate.value is not none %}, {{ rate.text }} of staff in post{% endif %}.{% endif %} The table gives the numbers by ethnic group.
'''  # noqa: E501 (one generated line of text)

_TEST = '''\
"""Tests of the $name report: numbers worked out by hand, read back from what the run wrote."""

from equality_reports.testing import staff_table


def test_people_are_counted_once_by_group(make_dataset, report_runner):
    staff = staff_table({"A": 60, "H": 30, "Z": 10})  # White 60, Asian (minority) 30, not stated 10
    # 20 White and 12 minority people; S0061 twice (counted once); S0002 again before the period (left out)
    rows = ([{"person_id": f"S{i:04d}", "date": "2025-06-01"} for i in range(1, 21)]
            + [{"person_id": f"S{i:04d}", "date": "2025-07-01"} for i in range(61, 73)]
            + [{"person_id": "S0061", "date": "2025-09-01"}, {"person_id": "S0002", "date": "2024-01-01"}])
    data = make_dataset({"staff": staff, "$table": rows})
    result = report_runner("$name", data, audience="internal")
    assert result.exit_code == 0, result.output
    figures = result.figures()
    assert figures["$name.people.total"] == 32
    table = result.table("${table}_by_group").set_index("Ethnic group")
    assert table.loc["White", "People"] == 20
    assert table.loc["Ethnic minority", "People"] == 12
    assert table.loc["Ethnic minority", "Share of staff (%)"] == 40.0


def test_small_counts_are_withheld_in_a_publication(make_dataset, report_runner):
    staff = staff_table({"A": 60, "H": 30, "Z": 20})
    # 15 White people, 2 minority (too few to show) and 12 not stated
    rows = [{"person_id": f"S{i:04d}", "date": "2025-06-01"} for i in (*range(1, 16), 61, 62, *range(91, 103))]
    result = report_runner("$name", make_dataset({"staff": staff, "$table": rows}))
    assert result.exit_code == 0, result.output
    table = result.table("${table}_by_group").set_index("Ethnic group")
    assert table.loc["Ethnic minority", "People"] == "[c]"
    assert table.loc["Ethnic minority", "Share of staff (%)"] == "[c]"  # a share of it: withheld too
    # the 2 would follow from the total and the other groups: one more of them is withheld
    shown = [table.loc["White", "People"], table.loc["Not stated or not known", "People"],
             result.figures()["$name.people.total"]]
    assert sum(value in ("[c]", None) for value in shown) >= 1
'''


def _names(name: str) -> dict[str, str]:
    words = name.split("-")
    return {
        "name": name,
        "package": "equality_reports_" + "_".join(words),
        "table": "_".join(words),
        "cls": "".join(w.capitalize() for w in words),
        "title": " ".join(words).capitalize(),
        "verb": f"appear in the {' '.join(words)} records",
        "core": __version__.split("+")[0],
    }


def new_plugin(name: str, folder: Path, taken: Collection[str] = ()) -> Path:
    """Write the plugin ``name`` (lower-case words joined by hyphens) into ``folder/name`` and
    return that path; refuses a name in ``taken`` (installed reports and tables: the plugin's
    report and table are named after it) and to write over anything."""
    if name in taken or name.replace("-", "_") in taken:
        raise InputError(f"plugin name {name!r}: a report or table of that name is already installed "
                         "(see `equality-reports list`); choose another name")
    if not _NAME.match(name):
        raise InputError(f"plugin name {name!r}: use lower-case letters and digits, words joined by hyphens "
                         "(e.g. equality-reports new-plugin secondments)")
    root = folder / name
    if root.exists():
        raise InputError(f"{root} already exists: choose another name or --dir, or move the folder away")
    values = _names(name)
    package = root / "src" / values["package"]
    files = {
        root / "pyproject.toml": _PYPROJECT,
        root / "README.md": _README,
        package / "__init__.py": _INIT,
        package / "report.py": _REPORT,
        package / "templates" / name / "summary.j2": _TEMPLATE,
        root / "tests" / f"test_{values['table']}.py": _TEST,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
    return root
