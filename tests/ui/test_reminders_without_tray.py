"""Without a system tray (or when chosen) a due follow-up shows in the window and flags the
taskbar; Preferences > Notifications chooses tray, window or off."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db.database import Database
from planner.settings import SettingsStore
from planner.ui.dialogs.preferences_dialog import PreferencesDialog
from planner.ui.notifier import FollowUpNotifier


def _due(db: Database) -> int:
    with db.session() as s:
        cid = new_contact(s, "Ana Ruiz").id
    return FollowUpService(db).create(FollowUpDraft(cid, date.today(), purpose="call"))[0].id


@pytest.mark.parametrize(("mode", "shown"), [("tray", True), ("window", True), ("off", False)])
def test_no_tray_falls_back_to_the_window(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch, mode: str, shown: bool
) -> None:
    fid = _due(db)
    alerts: list[object] = []
    monkeypatch.setattr(QApplication, "alert", staticmethod(lambda w, ms=0: alerts.append(w)))
    notifier = FollowUpNotifier(FollowUpService(db), use_tray=False, mode=lambda: mode)
    texts: list[tuple[str, int]] = []
    notifier.in_window.connect(lambda text, i: texts.append((text, i)))
    assert notifier.check() == [fid]
    if shown:
        assert texts == [("Follow up: Ana Ruiz — call", fid)]
    else:
        assert texts == []


def test_main_window_shows_the_reminder_strip(
    qtbot: Any, tmp_path: Path, settings: SettingsStore
) -> None:
    from planner.paths import AppPaths
    from planner.ui.main_window import MainWindow

    window = MainWindow(AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l"), settings)
    qtbot.addWidget(window)
    assert window.open_database(tmp_path / "fresh.sqlite3")
    assert window.db is not None
    fid = _due(window.db)  # type: ignore[arg-type]
    window.show()
    window.bus.reminder_due.emit("Follow up: Ana Ruiz — call", fid)
    assert window.reminder_text() == "Follow up: Ana Ruiz — call"
    opened: list[tuple[str, int]] = []
    window.bus.open_requested.connect(lambda kind, i: opened.append((kind, i)))
    banner = window._reminder_banner
    assert banner is not None
    from PySide6.QtWidgets import QPushButton

    button = banner.findChild(QPushButton, "reminderBannerOpen")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [("followup", fid)]
    assert window.reminder_text() == ""
    window.db.close()  # type: ignore[attr-defined]


def test_preferences_choose_notifications(qtbot: Any, tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    assert store.preferences.notifications == "tray"
    dialog = PreferencesDialog(store.preferences)
    qtbot.addWidget(dialog)
    dialog.notifications.setCurrentIndex(dialog.notifications.findData("window"))
    store.preferences = dialog.preferences()
    store.save()
    assert SettingsStore(tmp_path / "settings.json").preferences.notifications == "window"
    (tmp_path / "bad.json").write_text('{"notifications": "loud"}')
    assert SettingsStore(tmp_path / "bad.json").preferences.notifications == "tray"
