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
    from PySide6.QtCore import QEvent

    from planner.ui.app_events import app_event_filter

    app = _app()
    windows = []
    for n in range(2):
        paths = app_paths(tmp_path / f"home{n}")
        paths.create()
        win = MainWindow(paths, SettingsStore(paths.settings_file))
        qtbot.addWidget(win)
        win.show()
        # Installed once the first tab has its data (not while the window first paints).
        with qtbot.waitSignal(win.data_ready, timeout=10_000):
            assert win.open_database(paths.default_database)
        windows.append(win)
    qtbot.waitUntil(lambda: all(w._guards == "installed" for w in windows))
    app.processEvents()
    assert len(app.findChildren(WheelGuard)) == 1
    assert len(app_event_filter(app)._handlers[QEvent.Type.Wheel]) == 1


def test_value_widgets_made_before_the_guard_lose_wheel_focus(qtbot: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QSpinBox, QVBoxLayout, QWidget

    from planner.ui.wheel_guard import calm_existing

    form = QWidget()
    qtbot.addWidget(form)
    combo, spin = QComboBox(), QSpinBox()
    column = QVBoxLayout(form)
    column.addWidget(combo)
    column.addWidget(spin)
    lone = QSpinBox()  # a top-level value widget
    qtbot.addWidget(lone)
    for widget in (combo, spin, lone):
        widget.setFocusPolicy(Qt.FocusPolicy.WheelFocus)
    calm_existing(_app())
    assert {w.focusPolicy() for w in (combo, spin, lone)} == {Qt.FocusPolicy.StrongFocus}


# --- 5: fitting the screen ------------------------------------------------------------


def _available() -> Any:
    screen = _app().primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def test_first_start_fits_the_screen(qtbot: Any, tmp_path: Path) -> None:
    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)
    available = _available()
    assert available.width() < 1200 or available.height() < 780  # offscreen: 800x800
    assert available.contains(win.geometry())
    assert win.height() <= available.height() - 40  # room for the title bar


def test_geometry_saved_at_another_scale_is_clamped(qtbot: Any, tmp_path: Path) -> None:
    paths = app_paths(tmp_path / "home")
    paths.create()
    settings = SettingsStore(paths.settings_file)
    first = MainWindow(paths, settings)
    qtbot.addWidget(first)
    first.setGeometry(300, 200, 2400, 1560)  # what a 200 % start used to save
    first.close()
    second = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(second)
    available = _available()
    assert available.contains(second.geometry())


def test_dialogs_fit_the_screen_when_shown(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QDialog

    from planner.ui.screen_fit import DialogFitter

    qtbot.waitUntil(lambda: bool(_app().findChildren(DialogFitter)))
    dialog = QDialog(window)
    qtbot.addWidget(dialog)
    dialog.resize(1500, 1400)
    dialog.move(-50, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _available().contains(dialog.geometry())


# --- 12: Preferences > Appearance ------------------------------------------------------


@pytest.fixture
def back_to_system_theme() -> Any:
    yield
    from planner.ui.theme import apply_theme

    apply_theme(_app(), "system")


def test_dark_theme_is_applied_live_saved_and_restored(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    window: MainWindow,
    tmp_path: Path,
    back_to_system_theme: Any,
) -> None:
    from PySide6.QtGui import QPalette

    from planner.ui.dialogs.preferences_dialog import PreferencesDialog

    app = _app()
    light_window = app.palette().color(QPalette.ColorRole.Window).lightness()
    original_style = app.style().name()

    def choose_dark(dialog: PreferencesDialog) -> int:
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        # Live: the whole application is dark while the dialog is still open.
        assert app.style().name().lower() == "fusion"
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert app.palette().color(QPalette.ColorRole.Text).lightness() > 180
        return PreferencesDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", choose_dark)
    window.preferences_action.trigger()
    assert window.settings.preferences.theme == "dark"
    assert SettingsStore(window.settings.path).preferences.theme == "dark"  # saved
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 100

    # Cancel after trying Light goes back to the saved Dark.
    def try_light_then_cancel(dialog: PreferencesDialog) -> int:
        dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
        dialog.reject()
        return PreferencesDialog.DialogCode.Rejected

    monkeypatch.setattr(PreferencesDialog, "exec", try_light_then_cancel)
    window.preferences_action.trigger()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 100

    # System brings the platform's look back.
    def choose_system(dialog: PreferencesDialog) -> int:
        dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
        return PreferencesDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", choose_system)
    window.preferences_action.trigger()
    assert app.style().name() == original_style
    assert app.palette().color(QPalette.ColorRole.Window).lightness() == light_window


def test_saved_dark_theme_applies_at_start(
    qtbot: Any, tmp_path: Path, back_to_system_theme: Any
) -> None:
    from PySide6.QtGui import QPalette

    paths = app_paths(tmp_path / "home")
    paths.create()
    settings = SettingsStore(paths.settings_file)
    settings.preferences.theme = "dark"
    settings.save()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)
    assert _app().palette().color(QPalette.ColorRole.Window).lightness() < 100


# --- 13: dialogs show their title; Ctrl+Enter submits from a note ------------------------


def test_dialog_is_wide_enough_for_its_title_and_ctrl_enter_submits(
    qtbot: Any, window: MainWindow
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
    from planner.ui.screen_fit import DialogFitter

    qtbot.waitUntil(lambda: bool(_app().findChildren(DialogFitter)))
    dialog = TouchpointDialog("Someone With A Rather Long Name At Some Company", parent=window)
    qtbot.addWidget(dialog)
    dialog.resize(200, 300)
    dialog.show()
    qtbot.waitExposed(dialog)
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    assert dialog.width() >= title + 100
    dialog.activateWindow()
    dialog.note.setFocus()
    qtbot.waitUntil(dialog.note.hasFocus)
    qtbot.keyClicks(dialog.note, "Talked about the launch")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.draft().note == "Talked about the launch"
