"""Issue 16, app-wide parts: the wheel guard, fitting the screen, the theme choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from planner.paths import app_paths
from planner.settings import SettingsStore
from planner.ui.main_window import MainWindow
from planner.ui.wheel_guard import WheelGuard


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> MainWindow:
    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)
    assert win.open_database(paths.default_database)
    return win


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def test_main_window_installs_the_wheel_guard_once(qtbot: Any, tmp_path: Path) -> None:
    app = _app()
    for old in app.findChildren(WheelGuard):
        app.removeEventFilter(old)
        old.setParent(None)
    paths = app_paths(tmp_path / "home")
    paths.create()
    for _ in range(2):
        win = MainWindow(paths, SettingsStore(paths.settings_file))
        qtbot.addWidget(win)
    # Installed on the first event-loop turn, after the window could show.
    qtbot.waitUntil(lambda: len(app.findChildren(WheelGuard)) > 0)
    app.processEvents()
    assert len(app.findChildren(WheelGuard)) == 1
