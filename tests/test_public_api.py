"""The public API: ``equality_reports.__all__`` is all a plugin uses, and all of it resolves."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import equality_reports

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


def _private_imports(path: Path, root: Path = PLUGINS) -> list[str]:
    """Every import in ``path`` of an engine module, or of a name not in ``__all__``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("equality_reports.")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("equality_reports."):
                found.append(node.module)
            elif node.module == "equality_reports":
                found += [a.name for a in node.names if a.name not in equality_reports.__all__]
    return [f"{path.relative_to(root)}:{name}" for name in found]


def test_first_party_plugins_import_only_the_public_api() -> None:
    """Every plugin's source (plugins/<name>/src/); its tests (plugins/<name>/tests/) may use
    engine internals, as the engine's own tests do, but must parse."""
    files = sorted(PLUGINS.rglob("*.py"))
    source = [p for p in files if p.relative_to(PLUGINS).parts[1:2] == ("src",)]
    assert len(source) > 20 and len(files) > len(source)
    for path in files:
        ast.parse(path.read_text(encoding="utf-8"), str(path))
    assert [bad for path in source for bad in _private_imports(path)] == []


def test_the_check_catches_private_imports(tmp_path: Path) -> None:
    plugin = tmp_path / "p.py"
    plugin.write_text("import equality_reports.runner\nfrom equality_reports.disclosure import apply_disclosure\n"
                      "from equality_reports import _EXPORTS, Report\n", encoding="utf-8")
    found = [bad.split(":")[1] for bad in _private_imports(plugin, tmp_path)]
    assert found == ["equality_reports.runner", "equality_reports.disclosure", "_EXPORTS"]


@pytest.mark.parametrize("name", equality_reports.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(equality_reports, name) is not None
    assert not name.startswith("_") or name == "__version__"


def test_unknown_names_fail_and_hookimpl_is_the_plugin_marker() -> None:
    with pytest.raises(AttributeError, match="no attribute 'apply_disclosure'"):
        equality_reports.apply_disclosure  # noqa: B018
    from equality_reports.hookspecs import hookimpl

    assert equality_reports.hookimpl is hookimpl


def test_importing_the_package_does_not_load_pandas() -> None:
    code = "import sys, equality_reports; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
