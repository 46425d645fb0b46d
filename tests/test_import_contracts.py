"""The import arrows are contracts, not a convention: `lint-imports` checks the [tool.importlinter] contracts of
pyproject.toml (core never imports ui or Qt, the CLI never imports Qt, io/ and assist/ never import the exchange
above them, the store imports nothing above it, product code never imports the benchmarks, and the layers of the
core's families). import-linter rather than our own AST walk: it follows indirect imports (a -> b -> Qt) and reports
the chain, and its layers contract is the one tool napari and others keep for exactly this.

The second test proves the contracts can fail: it copies app/ into a temporary folder, adds wrong arrows (at least
one for every contract), runs the same command against the copy, and checks that every contract is reported broken
and every added import is named in the report. (One run for all of them: each run of lint-imports takes seconds.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the `app` package found first on the path from `cwd` (the checkout, or a copy of it)."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, "--config", str(CONFIG), "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(cwd)})


def test_the_import_contracts_are_kept():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


WRONG_ARROWS = [
    # (file in the copy, the line added, the contract that must break)
    ("app/core/io/txt.py", "from ..exchange.importer import import_sources",
     "io and assist never import the importer/exporter above them"),
    ("app/core/assist/suggest.py", "from ..exchange import exporter",
     "io and assist never import the importer/exporter above them"),
    ("app/core/model.py", "import PySide6", "core never imports ui or Qt"),
    ("app/core/review/adjudication.py", "from ...ui import i18n", "core never imports ui or Qt"),
    ("app/core/store/reads.py", "from ..assist import tagall", "store imports nothing above it"),
    ("app/cli.py", "from PySide6 import QtCore", "the CLI never imports Qt"),
    ("app/cli.py", "from .ui import settings", "the CLI never imports Qt"),
    ("app/core/text/arabic.py", "from .. import labels", "the core's families are layered"),
    ("app/core/review/adjudication.py", "from ..assist import occurrences", "the core's families are layered"),
    ("app/ui/session.py", "from ..bench import corpus", "product code never imports the benchmarks"),
]


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def test_every_contract_catches_a_wrong_arrow(tmp_path):
    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    for path, line, _ in WRONG_ARROWS:
        target = tmp_path / path
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # a wrong arrow\n", encoding="utf-8")
    out = lint_imports(tmp_path)
    report = " ".join(out.stdout.split())
    assert out.returncode != 0, report
    contracts = {contract for _, _, contract in WRONG_ARROWS}
    assert len(contracts) == 6  # one per contract in pyproject.toml
    for contract in contracts:
        assert f"{contract} BROKEN" in report, contract
    for path, _, _ in WRONG_ARROWS:
        assert f"{_module(path)} ->" in report, path

