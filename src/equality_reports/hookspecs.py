"""Every plugin hook, in one flat module.

Plugins implement these with ``@equality_reports.hookimpl`` (``from equality_reports import
hookimpl``). Each ``register_*`` hook receives a ``register`` callback and calls it once per thing
it contributes (the style of simonw/llm's ``register_models``), so one plugin can add several
reports, tables, classifications or renderers. See docs/plugin_hooks.md for a section per hook with an
example. :data:`HOOKSPEC_VERSION` is raised whenever a hook or the public API changes in a way a
plugin can notice; ``equality-reports list`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from equality_reports.classification import Classification
    from equality_reports.frameworks import Framework
    from equality_reports.intake.contract import TableSpec
    from equality_reports.intake.readers import Loader
    from equality_reports.plugins import PluginHost
    from equality_reports.renderers import Renderer
    from equality_reports.reports import Report

#: the version of these hook specifications and of ``equality_reports.__all__``
HOOKSPEC_VERSION = "2"

hookspec = pluggy.HookspecMarker("equality_reports")
hookimpl = pluggy.HookimplMarker("equality_reports")


@hookspec
def register_reports(register: Callable[[Report], None]) -> None:
    """Register report plugins: call ``register(MyReport())`` for each :class:`Report`."""


@hookspec
def register_tables(register: Callable[[TableSpec], None]) -> None:
    """Declare the tables and columns a plugin reads: call ``register(TableSpec(...))`` per table.

    The engine merges every declaration into one data contract (a table declared twice gets the
    union of the columns); intake, ``validate``, ``template`` and ``sample`` follow it.
    """


@hookspec
def register_classifications(register: Callable[[Classification], None]) -> None:
    """Register classification schemes for ethnicity, sex, disability, religion or another
    characteristic, as data; intake classifies a table's category columns with them."""


@hookspec
def register_frameworks(register: Callable[[Framework], None]) -> None:
    """Register self-assessment frameworks (areas, criteria, levels) for evidence packs."""


@hookspec
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """Register output formats: a :class:`Renderer` with a ``format`` name and ``render``."""


@hookspec
def register_loaders(register: Callable[[Loader], None]) -> None:
    """Register readers for table files by extension (e.g. ``.ods``, ``.sav``): a :class:`Loader`
    with ``suffixes`` and ``read(path, sheet=None)`` returning the raw grid as text."""


@hookspec
def register_commands(cli: click.Group, host: PluginHost) -> None:
    """Add extra sub-commands to the ``equality-reports`` command line. ``host`` is the run's plugin
    host (with ``--plugins-dir`` plugins loaded): its ``reports()``, ``frameworks()`` and so on."""
