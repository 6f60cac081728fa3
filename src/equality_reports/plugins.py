"""The plugin host: loads built-in, installed and local plugins and collects what they register.

Loading follows datasette/llm/sqlfluff practice:

* installed plugins come from the ``equality_reports`` entry-point group, first-party ones
  included (each is a distribution of its own, in ``plugins/<name>/`` of the source tree);
* ``EQUALITY_REPORTS_LOAD_PLUGINS`` (comma-separated entry-point or distribution names) restricts
  which installed plugins load; set it to an empty string to load none;
* ``--plugins-dir DIR`` loads every ``*.py`` file in DIR as a one-off local plugin;
* each plugin is imported in its own ``try``, and each hook implementation is called in its own
  ``try``, so one broken plugin is reported by name and the others still load. Any
  ``BaseException`` counts: a plugin calling ``sys.exit(0)`` or raising ``KeyboardInterrupt`` while
  loading is a broken plugin, not the end of the command (which would exit 0 having done nothing).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from equality_reports import __version__, hookspecs
from equality_reports.errors import InputError, PluginLoadError

if TYPE_CHECKING:
    import click

    from equality_reports.classification import Classification
    from equality_reports.frameworks import Framework
    from equality_reports.intake.contract import Contract
    from equality_reports.renderers import Renderer
    from equality_reports.reports import Report

ENTRY_POINT_GROUP = "equality_reports"
LOAD_PLUGINS_ENV = "EQUALITY_REPORTS_LOAD_PLUGINS"
PLUGINS_DIR_ENV = "EQUALITY_REPORTS_PLUGINS_DIR"

#: engine modules that register the built-in renderers, classifications and loaders
BUILTIN_MODULES = (
    "equality_reports.renderers.builtin",
    "equality_reports.intake.builtin",
)


@dataclass
class PluginInfo:
    """One loaded plugin, as shown by ``equality-reports list``."""

    name: str
    version: str
    source: str  # "builtin", "entry point (<distribution>)" or the local file path
    module: ModuleType
    hooks: list[str] = field(default_factory=list)


@dataclass
class Registered:
    """Something a plugin registered, with the plugin that registered it."""

    item: Any
    plugin: PluginInfo


class PluginHost:
    """Loads plugins once and serves what they registered."""

    def __init__(self, plugins_dir: Path | None = None, *, load_entry_points: bool = True) -> None:
        self.pm = pluggy.PluginManager("equality_reports")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self.errors: list[PluginLoadError] = []
        for module_name in BUILTIN_MODULES:
            self._import_and_register(module_name, module_name, __version__, "builtin")
        if load_entry_points:
            self._load_entry_points()
        plugins_dir = plugins_dir or _env_path(PLUGINS_DIR_ENV)
        if plugins_dir is not None:
            self._load_directory(Path(plugins_dir))
        self._collected: dict[str, dict[str, Registered]] = {}
        self._gathered: dict[str, list[Registered]] = {}
        self._contract: Contract | None = None

    # -- loading ---------------------------------------------------------------------------
    def _register(self, module: ModuleType, name: str, version: str, source: str) -> None:
        if name in self.plugins:
            self.errors.append(PluginLoadError(name, f"a plugin named {name!r} is already loaded"))
            return
        self.pm.register(module, name=name)
        hooks = sorted(caller.name for caller in self.pm.get_hookcallers(module) or [])
        self.plugins[name] = PluginInfo(name, version, source, module, hooks)

    def _import_and_register(self, module_name: str, name: str, version: str, source: str) -> None:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if source == "builtin" and exc.name == module_name:
                return  # optional built-in module not present in this build
            self._record(name, exc)
            return
        except BaseException as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            self._record(name, exc)
            return
        self._register(module, name, version, source)

    def _load_entry_points(self) -> None:
        wanted = _env_names(LOAD_PLUGINS_ENV)
        eps = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
        for ep in eps:
            dist = ep.dist
            dist_name = dist.name if dist is not None else ""
            if wanted is not None and ep.name not in wanted and dist_name not in wanted:
                continue
            try:
                module = ep.load()
            except BaseException as exc:  # noqa: BLE001
                self._record(ep.name, exc)
                continue
            # the plugin's own version (a report's version is its plugin's), else its distribution's
            version = getattr(module, "__version__", None) or (dist.version if dist is not None else "unknown")
            self._register(module, ep.name, version, f"entry point ({dist_name or ep.value})")

    def _load_directory(self, folder: Path) -> None:
        if not folder.is_dir():
            raise InputError(f"--plugins-dir {folder}: not a folder. Give a folder of .py plugin files.")
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            module_name = f"equality_reports_local_plugin_{name}"
            try:
                spec = importlib.util.spec_from_file_location(module_name, path)
                if spec is None or spec.loader is None:
                    raise ImportError(f"cannot import {path}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
            except BaseException as exc:  # noqa: BLE001
                sys.modules.pop(module_name, None)
                self._record(name, exc, source=str(path))
                continue
            self._register(module, name, getattr(module, "__version__", "local"), str(path))

    def _record(self, name: str, exc: BaseException, source: str = "") -> None:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if isinstance(exc, SystemExit):
            detail += " (the plugin called sys.exit())"
        extra = {"traceback": "".join(traceback.format_exception(exc))}
        if source:
            extra["source"] = source
        self.errors.append(PluginLoadError(name, detail, extra))

    # -- collecting ------------------------------------------------------------------------
    def _gather(self, hook_name: str) -> list[Registered]:
        """Everything registered through a hook, duplicates kept, in pluggy's calling order (the plugin
        loaded last first)."""
        if hook_name in self._gathered:
            return self._gathered[hook_name]
        found: list[Registered] = []
        by_module = {info.module: info for info in self.plugins.values()}
        caller = getattr(self.pm.hook, hook_name)
        # call each implementation on its own so that one failing plugin cannot stop the rest
        for impl in reversed(caller.get_hookimpls()):
            info = by_module.get(impl.plugin)
            if info is None:
                continue

            def register(item: Any, _info: PluginInfo = info) -> None:
                found.append(Registered(item, _info))

            try:
                impl.function(**{arg: register for arg in impl.argnames})
            except BaseException as exc:  # noqa: BLE001
                self._record(info.name, exc)
        self._gathered[hook_name] = found
        return found

    def _collect(self, hook_name: str, key: Callable[[Any], str]) -> dict[str, Registered]:
        """What a hook registered by name; a name registered twice is the later plugin's error."""
        if hook_name in self._collected:
            return self._collected[hook_name]
        found: dict[str, Registered] = {}
        for reg in self._gather(hook_name):
            name = key(reg.item)
            if name in found:
                owner = found[name].plugin.name
                self.errors.append(PluginLoadError(
                    reg.plugin.name, f"{hook_name}: {name!r} is already registered by plugin {owner!r}"))
                continue
            found[name] = reg
        self._collected[hook_name] = found
        return found

    def reports(self) -> dict[str, Registered]:
        return self._collect("register_reports", lambda r: r.name)

    def report(self, name: str) -> Report:
        reports = self.reports()
        if name not in reports:
            known = ", ".join(sorted(reports)) or "none installed"
            raise InputError(f"unknown report {name!r}. Available reports: {known}. "
                             f"See `equality-reports list`.")
        report: Report = reports[name].item
        return report

    def renderers(self) -> dict[str, Renderer]:
        return {k: v.item for k, v in self._collect("register_renderers", lambda r: r.format).items()}

    def classifications(self) -> dict[str, Classification]:
        return {k: v.item for k, v in self._collect("register_classifications", lambda c: c.name).items()}

    def contract(self) -> Contract:
        """The data contract: every plugin's tables merged (conflicts are plugin errors), the
        classification schemes, and which reports read each table."""
        if self._contract is None:
            from equality_reports.intake.contract import Contract, TableSpec, merge

            declared = []
            order = {name: i for i, name in enumerate(self.plugins)}  # the engine's first, then in load order
            for reg in sorted(self._gather("register_tables"), key=lambda r: order[r.plugin.name]):
                if isinstance(reg.item, TableSpec):
                    declared.append((reg.plugin.name, reg.item))
                else:
                    self.errors.append(PluginLoadError(reg.plugin.name, f"register_tables: {reg.item!r} is not a "
                                                                        f"TableSpec"))
            tables, conflicts = merge(declared)
            self.errors.extend(PluginLoadError(plugin, message) for plugin, message in conflicts)
            used_by: dict[str, list[str]] = {}
            for name, reg in sorted(self.reports().items()):
                for table in (*reg.item.required_tables, *reg.item.optional_tables):
                    used_by.setdefault(table, []).append(name)
            for spec in tables.values():
                used_by.setdefault(spec.name, []).extend(r for r in spec.reports if r not in used_by[spec.name])
            self._contract = Contract(tables, self.classifications(), {k: tuple(v) for k, v in used_by.items()})
        return self._contract

    def frameworks(self) -> dict[str, Framework]:
        return {k: v.item for k, v in self._collect("register_frameworks", lambda f: f.id).items()}

    def loaders(self) -> dict[str, Any]:
        return {k: v.item for k, v in self._collect("register_loaders", _loader_key).items()}

    def add_commands(self, cli: click.Group) -> None:
        """Let every plugin add its commands to ``cli``, handing it this host."""
        given = {"cli": cli, "host": self}
        for impl in self.pm.hook.register_commands.get_hookimpls():
            try:
                impl.function(**{arg: given[arg] for arg in impl.argnames})
            except BaseException as exc:  # noqa: BLE001
                name = next((i.name for i in self.plugins.values() if i.module is impl.plugin), "?")
                self._record(name, exc)


def _loader_key(loader: Any) -> str:
    suffixes = getattr(loader, "suffixes", None) or (getattr(loader, "suffix", ""),)
    return ",".join(suffixes)


def _env_names(var: str) -> set[str] | None:
    raw = os.environ.get(var)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def _env_path(var: str) -> Path | None:
    raw = os.environ.get(var)
    return Path(raw) if raw else None
