"""Preferences > all-day reminders: the time and the day are edited, saved and reloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTime

from planner.settings import SettingsStore
from planner.ui.dialogs.preferences_dialog import PreferencesDialog


def test_all_day_reminder_time_round_trips(qtbot: Any, tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    dialog = PreferencesDialog(store.preferences)
    qtbot.addWidget(dialog)
    assert dialog.all_day_time.time() == QTime(9, 0)
    dialog.all_day_time.setTime(QTime(18, 30))
    dialog.all_day_when.setCurrentIndex(dialog.all_day_when.findData(True))
    store.preferences = dialog.preferences()
    store.save()
    again = SettingsStore(tmp_path / "settings.json").preferences
    assert (again.all_day_reminder_time, again.all_day_reminder_day_before) == ("18:30", True)
    assert again.all_day_reminder_offset() == -(5 * 60 + 30)
    reopened = PreferencesDialog(again)
    qtbot.addWidget(reopened)
    assert reopened.all_day_time.time() == QTime(18, 30)
    assert reopened.all_day_when.currentData() is True


def test_a_damaged_all_day_setting_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"all_day_reminder_time": "9 am", "all_day_reminder_day_before": "yes"}')
    prefs = SettingsStore(path).preferences
    assert (prefs.all_day_reminder_time, prefs.all_day_reminder_day_before) == ("09:00", False)
