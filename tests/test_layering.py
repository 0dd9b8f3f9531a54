"""Storage, rules and file formats never import Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import planner

PACKAGE = Path(planner.__file__).parent


def test_core_db_interop_do_not_import_qt() -> None:
    modules = [
        "planner." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for folder in ("db", "core", "interop")
        for p in sorted((PACKAGE / folder).glob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide6' in m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(modules) > 5
