"""The app-wide guards share one application event filter that passes each guard only the
event types it asked for (three filters made every tab build two to four times slower)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from planner.ui.app_events import AppEventFilter, app_event_filter
from planner.ui.discard_guard import install_discard_guard
from planner.ui.screen_fit import install_dialog_fitter
from planner.ui.wheel_guard import install_wheel_guard


class _Counting(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[QEvent.Type] = []

    def event(self, event: QEvent) -> bool:
        self.seen.append(event.type())
        return super().event(event)


def test_the_guards_share_one_filter_and_see_only_their_event_types(qapp: QApplication) -> None:
    install_wheel_guard(qapp)
    install_dialog_fitter(qapp)
    install_discard_guard(qapp)
    filters = qapp.findChildren(AppEventFilter)
    assert len(filters) == 1
    shared = app_event_filter(qapp)
    assert shared is filters[0]
    handled = set(shared._handlers)
    assert handled == {
        QEvent.Type.Polish,
        QEvent.Type.Wheel,
        QEvent.Type.Show,
        QEvent.Type.KeyPress,
    }


def test_a_handler_that_returns_true_stops_the_event(qapp: QApplication) -> None:
    shared = app_event_filter(qapp)
    kind = QEvent.Type(QEvent.registerEventType())
    calls: list[QObject] = []

    def swallow(watched: QObject, _event: QEvent) -> bool:
        calls.append(watched)
        return True

    shared.add((kind,), swallow)
    target = _Counting()
    QApplication.sendEvent(target, QEvent(kind))
    QApplication.sendEvent(target, QEvent(QEvent.Type.User))
    assert calls == [target]
    assert kind not in target.seen
    assert QEvent.Type.User in target.seen


def test_the_main_window_installs_the_guards_once_its_first_tab_has_data(
    qtbot: Any, tmp_path: Path
) -> None:
    from planner.paths import app_paths
    from planner.settings import SettingsStore
    from planner.ui.main_window import MainWindow

    paths = app_paths(tmp_path / "home")
    paths.create()
    window = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(window)
    window.show()
    assert window._guards == "waiting"  # nothing imported while the window first paints
    with qtbot.waitSignal(window.data_ready, timeout=10_000):
        assert window.open_database(paths.default_database)
    qtbot.waitUntil(lambda: window._guards == "installed", timeout=10_000)
    shared = app_event_filter(QApplication.instance())  # type: ignore[arg-type]
    assert QEvent.Type.Wheel in shared._handlers
