"""The export dialog and File > Export reminders…, driven offscreen with real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtWidgets import QDialog, QMainWindow

from planner.core.reminders import BIRTHDAYS, EVENTS, FOLLOWUPS
from planner.db.database import Database
from planner.settings import SettingsStore
from planner.ui.dialogs import export_ics_dialog as module
from planner.ui.dialogs import export_ics_run
from planner.ui.dialogs.export_ics_dialog import ExportIcsDialog, export_reminders
from tests.interop.ics_data import add_contact, add_event, add_followup

TODAY = date.today()


@pytest.fixture
def data(db: Database) -> dict[str, int]:
    cid, _ = add_contact(db, "Zoë Achterberg", birthday_month=2, birthday_day=29)
    soon, _ = add_followup(db, cid, TODAY + timedelta(days=3))
    later, _ = add_followup(db, cid, TODAY + timedelta(days=200))
    done, _ = add_followup(db, cid, TODAY + timedelta(days=4), status="done")
    from datetime import datetime

    add_event(db, "Meetup", datetime.combine(TODAY + timedelta(days=10), datetime.min.time()))
    return {"contact": cid, "soon": soon, "later": later, "done": done}


@pytest.fixture
def make_dialog(qtbot: Any, tab_context: Any) -> Iterator[Callable[..., ExportIcsDialog]]:
    dialogs: list[ExportIcsDialog] = []

    def make(selected: tuple[int, ...] = ()) -> ExportIcsDialog:
        dialog = ExportIcsDialog(tab_context, selected)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.preview_ready, timeout=5000)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.done(0)  # waits for a preview still running before the database closes


def wait_preview(qtbot: Any, dialog: ExportIcsDialog) -> None:
    qtbot.waitUntil(lambda: dialog.summary_label.text() != "Counting…", timeout=5000)


def test_defaults_and_count(
    make_dialog: Callable[..., ExportIcsDialog], tab_context: Any, data: dict[str, int]
) -> None:
    tab_context.settings.preferences.reminder_lead_minutes = 45
    dialog = make_dialog()
    assert dialog.alarm_spin.value() == 45
    assert dialog.alarm_check.isChecked()
    assert dialog.followups_check.isChecked() and dialog.events_check.isChecked()
    assert dialog.birthdays_check.isChecked()
    assert dialog.all_radio.isChecked()
    assert not dialog.selected_radio.isEnabled()
    assert dialog.events_radio.isChecked()
    assert dialog.path().name == "networking-reminders.ics"
    assert "Will write 4 items" in dialog.summary_label.text()
    assert "2 open follow-ups, 1 event plan and 1 birthday" in dialog.summary_label.text()
    assert "Google Calendar ignores reminders" in dialog.alarm_help.text()
    assert "Thunderbird" in dialog.tasks_radio.text()
    assert not dialog.warning_widget.isVisibleTo(dialog)
    for widget in (dialog.export_button, dialog.path_edit, dialog.alarm_spin, dialog.tasks_radio):
        assert widget.objectName() and widget.accessibleName()
    request = dialog.request()
    assert request.options.alarm_minutes == 45
    assert request.query.include == frozenset({FOLLOWUPS, EVENTS, BIRTHDAYS})
    assert request.query.start is None and request.query.followup_ids is None


def test_selected_items_export_only_those_follow_ups(
    qtbot: Any, make_dialog: Callable[..., ExportIcsDialog], data: dict[str, int]
) -> None:
    dialog = make_dialog((data["later"], data["done"]))
    assert dialog.selected_radio.isEnabled() and dialog.selected_radio.isChecked()
    assert "1 selected open follow-up" in dialog.selected_radio.text()
    assert not dialog.events_check.isEnabled() and not dialog.events_check.isChecked()
    assert not dialog.birthdays_check.isChecked()
    assert "Will write 1 item: 1 open follow-up" in dialog.summary_label.text()
    query = dialog.query()
    assert query.include == frozenset({FOLLOWUPS})
    assert set(query.followup_ids or ()) == {data["later"], data["done"]}
    # Leaving the selection gives events and birthdays back.
    dialog.all_radio.setChecked(True)
    assert dialog.events_check.isEnabled() and dialog.events_check.isChecked()
    assert dialog.birthdays_check.isChecked()
    wait_preview(qtbot, dialog)
    assert "Will write 4 items" in dialog.summary_label.text()


def test_date_range_alarm_and_tasks(
    qtbot: Any, make_dialog: Callable[..., ExportIcsDialog], data: dict[str, int]
) -> None:
    dialog = make_dialog()
    qtbot.mouseClick(dialog.range_radio, Qt.MouseButton.LeftButton)
    assert dialog.from_edit.isEnabled()
    dialog.from_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    end = TODAY + timedelta(days=30)
    dialog.to_edit.setDate(QDate(end.year, end.month, end.day))
    dialog.birthdays_check.setChecked(False)
    wait_preview(qtbot, dialog)
    assert "Will write 2 items: 1 open follow-up and 1 event plan" in dialog.summary_label.text()
    query = dialog.query()
    assert (query.start, query.end) == (TODAY, end)

    dialog.alarm_check.setChecked(False)
    assert not dialog.alarm_spin.isEnabled()
    dialog.tasks_radio.setChecked(True)
    options = dialog.options()
    assert options.alarm_minutes is None and options.tasks

    # A range that ends before it starts is explained, and nothing is exported.
    before = TODAY - timedelta(days=5)
    dialog.to_edit.setDate(QDate(before.year, before.month, before.day))
    wait_preview(qtbot, dialog)
    assert dialog.range_error.text() == "The last day is before the first day."
    assert dialog.range_error.isVisible()
    assert "correct the date range" in dialog.summary_label.text()
    assert not dialog.export_button.isEnabled()


def test_nothing_included_disables_export(
    qtbot: Any, make_dialog: Callable[..., ExportIcsDialog], data: dict[str, int]
) -> None:
    dialog = make_dialog()
    for check in (dialog.followups_check, dialog.events_check, dialog.birthdays_check):
        check.setChecked(False)
    wait_preview(qtbot, dialog)
    assert "Choose at least one" in dialog.summary_label.text()
    assert not dialog.export_button.isEnabled()


def test_choices_are_remembered(
    qtbot: Any,
    make_dialog: Callable[..., ExportIcsDialog],
    tab_context: Any,
    data: dict[str, int],
    tmp_path: Path,
) -> None:
    dialog = make_dialog()
    dialog.range_radio.setChecked(True)
    start = TODAY + timedelta(days=1)
    dialog.from_edit.setDate(QDate(start.year, start.month, start.day))
    end = TODAY + timedelta(days=60)
    dialog.to_edit.setDate(QDate(end.year, end.month, end.day))
    dialog.birthdays_check.setChecked(False)
    dialog.alarm_spin.setValue(15)
    dialog.tasks_radio.setChecked(True)
    dialog.open_after_check.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "mine"))
    wait_preview(qtbot, dialog)
    assert dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.request().path == tmp_path / "mine.ics"

    saved = SettingsStore(tab_context.settings.path).preferences.ui_state["export_ics"]
    assert saved["include"] == [EVENTS, FOLLOWUPS]
    assert saved["tasks"] is True and saved["alarm_minutes"] == 15
    again = make_dialog()
    assert again.range_radio.isChecked()
    assert again.from_edit.date() == QDate(start.year, start.month, start.day)
    assert again.to_edit.date() == QDate(end.year, end.month, end.day)
    assert not again.birthdays_check.isChecked()
    assert again.alarm_spin.value() == 15
    assert again.tasks_radio.isChecked()
    assert again.open_after_check.isChecked()
    # The field shows the file actually written, .ics added.
    assert dialog.path_edit.text() == str(tmp_path / "mine.ics")
    assert again.path_edit.text() == str(tmp_path / "mine.ics")


def test_browse_and_bad_folder(
    qtbot: Any,
    make_dialog: Callable[..., ExportIcsDialog],
    data: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = make_dialog()
    chosen = tmp_path / "picked.ics"
    monkeypatch.setattr(module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(chosen)

    dialog.path_edit.setText(str(tmp_path / "no such folder" / "x.ics"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisibleTo(dialog)
    assert "does not exist" in dialog.error_label.text()


def test_warns_over_googles_import_limit(
    make_dialog: Callable[..., ExportIcsDialog],
    data: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(module, "GOOGLE_IMPORT_LIMIT_BYTES", 500)
    dialog = make_dialog()
    assert dialog.warning_widget.isVisibleTo(dialog)
    assert "over 1 MB" in dialog.warning_label.text()
    assert "shorter date range" in dialog.warning_label.text()


def _accepting_exec(path: Path, open_after: bool) -> Callable[[ExportIcsDialog], int]:
    def fake_exec(self: ExportIcsDialog) -> int:
        self.path_edit.setText(str(path))
        self.open_after_check.setChecked(open_after)
        self.done(QDialog.DialogCode.Accepted)
        return QDialog.DialogCode.Accepted

    return fake_exec


def test_export_writes_the_file_and_opens_it(
    qtbot: Any,
    tab_context: Any,
    data: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "reminders.ics"
    opened: list[QUrl] = []
    monkeypatch.setattr(ExportIcsDialog, "exec", _accepting_exec(out, True))
    monkeypatch.setattr(
        export_ics_run.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    run = export_reminders(window, tab_context, [data["soon"]])
    assert run is not None
    with qtbot.waitSignal(run.finished, timeout=10_000):
        pass
    data_bytes = out.read_bytes()
    cal = icalendar.Calendar.from_ical(data_bytes)
    assert len(cal.walk("VEVENT")) == 1
    assert len(list(vobject.readOne(data_bytes.decode()).vevent_list)) == 1
    qtbot.waitUntil(lambda: bool(opened))
    assert opened[0].toLocalFile() == str(out)
    assert "Exported 1 item" in window.statusBar().currentMessage()


def test_failed_export_says_why(
    qtbot: Any,
    tab_context: Any,
    data: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "gone" / "reminders.ics"
    warnings: list[str] = []
    monkeypatch.setattr(ExportIcsDialog, "exec", _accepting_exec(out, False))
    monkeypatch.setattr(
        export_ics_run.QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text)
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    run = export_reminders(window, tab_context)
    assert run is not None
    with qtbot.waitSignal(run.failed, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(warnings))
    assert str(out) in warnings[0]
    assert "left as it was" in warnings[0]
    assert not out.exists()


def test_cancel_writes_nothing(
    tab_context: Any, data: dict[str, int], monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    def fake_exec(self: ExportIcsDialog) -> int:
        self.done(QDialog.DialogCode.Rejected)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ExportIcsDialog, "exec", fake_exec)
    window = QMainWindow()
    qtbot.addWidget(window)
    assert export_reminders(window, tab_context) is None


def test_main_window_menu_and_calendar_request(
    qtbot: Any, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QAction

    from planner.paths import app_paths
    from planner.ui.main_window import MainWindow

    calls: list[list[int]] = []
    monkeypatch.setattr(
        module, "export_reminders", lambda parent, context, ids=(): calls.append(list(ids))
    )
    paths = app_paths(tmp_path / "app")
    paths.create()
    window = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(window)
    action = window.findChild(QAction, "exportRemindersAction")
    assert action is not None and action in window.file_menu.actions()
    assert not action.isEnabled()
    assert window.open_database(db_path)
    assert action.isEnabled()
    action.trigger()
    window.bus.export_reminders_requested.emit([3, 5])
    assert calls == [[], [3, 5]]
    window.close()


def test_no_calendar_app_says_how_to_import(
    qtbot: Any,
    tab_context: Any,
    data: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "reminders.ics"
    notes: list[str] = []
    monkeypatch.setattr(ExportIcsDialog, "exec", _accepting_exec(out, True))
    monkeypatch.setattr(export_ics_run.QDesktopServices, "openUrl", lambda url: False)
    monkeypatch.setattr(
        export_ics_run.QMessageBox,
        "information",
        lambda parent, title, text, *a: notes.append(text),
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    run = export_reminders(window, tab_context)
    assert run is not None
    with qtbot.waitSignal(run.finished, timeout=10_000):
        pass
    assert out.exists()
    assert notes and "import it from your calendar app" in notes[0]


def _type_date(qtbot: Any, edit: Any, text: str) -> None:
    """Type `text` into a date field from its first section, as a user would."""
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setCurrentSection(edit.sectionAt(0))
    for char in text:
        qtbot.keyClick(edit, char)


def test_an_impossible_range_date_is_named_beside_the_range_and_not_accepted(
    qtbot: Any,
    make_dialog: Callable[..., ExportIcsDialog],
    data: dict[str, int],
    tmp_path: Path,
) -> None:
    """#16 item 3: "2026-02-30" used to become 2026-02-03 silently."""
    dialog = make_dialog()
    dialog.activateWindow()
    dialog.range_radio.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "range.ics"))
    _type_date(qtbot, dialog.from_edit, "2026-02-30")
    error = dialog.range_error
    assert error.isVisible() and error.text() == "First day: There is no 30 February 2026."
    wait_preview(qtbot, dialog)
    assert "correct the date range" in dialog.summary_label.text()
    assert not dialog.export_button.isEnabled()
    dialog._on_export_clicked()  # Enter in a field presses the default button
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    # A real date clears the message; the range counts and exports again.
    _type_date(qtbot, dialog.from_edit, "2026-02-28")
    assert not error.isVisible()
    dialog.to_edit.setDate(QDate(2026, 2, 1))
    assert error.isVisible() and error.text() == "The last day is before the first day."
    dialog.to_edit.setDate(QDate.currentDate().addDays(30))
    assert not error.isVisible()
    wait_preview(qtbot, dialog)
    assert dialog.export_button.isEnabled()
    assert dialog.query().start == date(2026, 2, 28)
    dialog._on_export_clicked()
    assert dialog.result() == QDialog.DialogCode.Accepted
