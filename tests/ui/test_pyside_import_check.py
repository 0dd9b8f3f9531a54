"""The GUI's cheaper form of PySide6's per-import check gives PySide's own answers."""

from __future__ import annotations

import json  # noqa: F401  (a module whose source does not name PySide6)
import sys
import types

import planner.ui.tasks  # noqa: F401  (installs the check; a module that uses PySide6)

feature = sys.modules["shibokensupport.feature"]


def test_the_check_is_replaced_once_importing_the_gui() -> None:
    check = feature._mod_uses_pyside
    assert hasattr(check, "__wrapped__")
    from planner.ui import pyside_import_check

    pyside_import_check.install()
    assert feature._mod_uses_pyside is check


def test_every_loaded_module_gets_pysides_own_answer() -> None:
    check = feature._mod_uses_pyside
    original = check.__wrapped__
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    answers = {m.__name__: check(m) for m in modules}
    assert answers == {m.__name__: original(m) for m in modules}
    # Both kinds of answer are among them: the check is not answering one way throughout.
    assert answers["json"] is False
    assert answers["planner.ui.tasks"] is True


def test_a_module_whose_file_is_gone_goes_to_pysides_check(tmp_path) -> None:
    gone = types.ModuleType("gone_module")
    gone.__file__ = str(tmp_path / "gone_module.py")
    assert feature._mod_uses_pyside(gone) is feature._mod_uses_pyside.__wrapped__(gone) is False
