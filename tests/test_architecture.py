"""The core stays Qt-free: no module under app/core imports PySide6 or shiboken6, and importing them (and the
headless CLI) does not pull Qt in through a dependency either."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "app" / "core"
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")


def core_modules() -> list[Path]:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 10, "app/core went missing?"
    return files


def qt_imports(source: str, filename: str = "<src>") -> list[str]:
    """Every import of a forbidden package in `source` (at any depth: functions, try blocks, conditionals)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)]
        found += [f"{filename}:{node.lineno}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    return found


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_core_module_does_not_import_qt(path):
    assert qt_imports(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("source", [
    "import PySide6",
    "from PySide6.QtCore import Qt",
    "import shiboken6 as sb",
    "def f():\n    from PySide6 import QtWidgets\n",
    "try:\n    import PySide6.QtGui\nexcept ImportError:\n    pass\n",
    "import importlib\nimportlib.import_module('PySide6.QtCore')\n",
    "__import__('shiboken6')",
])
def test_the_checker_catches_qt_imports(source):
    assert qt_imports(source)


@pytest.mark.parametrize("source", ["import json", "from . import PySide6_like", "x = 'PySide6'",
                                    "from .model import Entity"])
def test_the_checker_allows_other_imports(source):
    assert qt_imports(source) == []


def _module_names() -> list[str]:
    names = []
    for path in core_modules():
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_importing_core_and_cli_does_not_load_qt():
    modules = _module_names() + ["app.cli"]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "import app.core.io.validate as v; v.schema_problems({})\n"  # the lazily imported jsonschema too
        f"print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_headless_command_does_not_load_qt(tmp_path):
    """`tawsim stats` through the real entry point (app.__main__) runs without Qt."""
    code = (
        "import sys, app.__main__ as m\n"
        f"rc = m.main(['init', {str(tmp_path / 'p.db')!r}])\n"
        f"rc |= m.main(['import', {str(tmp_path / 'p.db')!r}, {str(ROOT / 'seeds')!r}])\n"
        f"rc |= m.main(['stats', {str(tmp_path / 'p.db')!r}, '--json'])\n"
        f"assert not [n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}], 'Qt loaded'\n"
        "sys.exit(rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert '"documents": 2' in out.stdout
