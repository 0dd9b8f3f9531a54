"""File > Export reminders…: choose what goes into an .ics file, then write it off the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import ValidationError
from planner.core.reminders import (
    BIRTHDAYS,
    EVENTS,
    FOLLOWUPS,
    KINDS,
    ReminderQuery,
    ReminderService,
    ReminderSet,
)
from planner.interop.ics import GOOGLE_IMPORT_LIMIT_BYTES, IcsExport, IcsOptions, render, write_ics
from planner.ui.context import TabContext
from planner.ui.dates import apply_date_format
from planner.ui.tasks import Task, run_task

log = logging.getLogger(__name__)

STATE_KEY = "export_ics"
DEFAULT_FILE_NAME = "networking-reminders.ics"
DEFAULT_RANGE_DAYS = 90
MAX_ALARM_MINUTES = 40 * 24 * 60

RANGE_ALL = "all"
RANGE_DATES = "range"
RANGE_SELECTED = "selected"


@dataclass(frozen=True)
class ExportIcsRequest:
    """What the user chose; the caller writes the file."""

    path: Path
    query: ReminderQuery
    options: IcsOptions
    open_after: bool


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _reason(exc: BaseException) -> str:
    """What to tell the user about a failed count or write."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    log.error("Calendar export failed", exc_info=exc)
    return str(exc)


@dataclass(frozen=True)
class _Preview:
    generation: int
    reminders: ReminderSet
    size: int


class ExportIcsDialog(QDialog):
    """Include, range or selection, reminder lead time, events or tasks, file; shows the count."""

    def __init__(
        self,
        context: TabContext,
        selected_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportIcsDialog")
        self.setWindowTitle("Export reminders to your calendar")
        self.context = context
        self.selected_ids = tuple(dict.fromkeys(int(i) for i in selected_ids))
        self._generation = 0
        self._preview: _Preview | None = None
        self._preview_task: Task[_Preview] | None = None
        self._in_selection_mode = False
        self._held: dict[str, bool] = {}
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._start_preview)
        self._build()
        self._restore_state()
        self._connect()
        self._update_enabled()
        self._schedule_preview()
        # Word-wrapped help text: settle the width first, then take the height it needs.
        self.resize(640, self.layout().totalHeightForWidth(640))

    # --- building ---------------------------------------------------------------------

    def _named(self, widget: Any, name: str, accessible: str) -> Any:
        widget.setObjectName(name)
        widget.setAccessibleName(accessible)
        return widget

    def _build(self) -> None:
        layout = QVBoxLayout(self)

        include_box = QGroupBox("Include")
        include_layout = QVBoxLayout(include_box)
        self.followups_check = self._named(
            QCheckBox("Open follow-ups"), "includeFollowups", "Include open follow-ups"
        )
        self.events_check = self._named(
            QCheckBox("Event plans (except skipped ones)"), "includeEvents", "Include event plans"
        )
        self.birthdays_check = self._named(
            QCheckBox("Birthdays, repeating every year"), "includeBirthdays", "Include birthdays"
        )
        for check in (self.followups_check, self.events_check, self.birthdays_check):
            include_layout.addWidget(check)
        layout.addWidget(include_box)

        range_box = QGroupBox("Which items")
        range_layout = QVBoxLayout(range_box)
        self.all_radio = self._named(
            QRadioButton("All open follow-ups and every event plan"),
            "rangeAll",
            "Export everything",
        )
        self.range_radio = self._named(
            QRadioButton("Due from"), "rangeDates", "Export items in a date range"
        )
        self.from_edit = self._named(QDateEdit(), "rangeFrom", "First day of the range")
        self.to_edit = self._named(QDateEdit(), "rangeTo", "Last day of the range")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            apply_date_format(edit)
        count = ReminderService(self.context.db).open_followup_count(self.selected_ids)
        self.selected_radio = self._named(
            QRadioButton(self._selected_text(count)),
            "rangeSelected",
            "Export only the follow-ups selected in the Calendar tab",
        )
        self.selected_radio.setEnabled(count > 0)
        self.range_group = QButtonGroup(self)
        for radio in (self.all_radio, self.range_radio, self.selected_radio):
            self.range_group.addButton(radio)
        to_label = QLabel("to")
        to_label.setBuddy(self.to_edit)
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.range_radio)
        dates_row.addWidget(self.from_edit)
        dates_row.addWidget(to_label)
        dates_row.addWidget(self.to_edit)
        dates_row.addStretch(1)
        range_layout.addWidget(self.all_radio)
        range_layout.addLayout(dates_row)
        range_layout.addWidget(self.selected_radio)
        self.range_help = QLabel("Birthdays repeat every year, so the range does not limit them.")
        self.range_help.setObjectName("rangeHelp")
        self.range_help.setWordWrap(True)
        range_layout.addWidget(self.range_help)
        layout.addWidget(range_box)

        alarm_box = QGroupBox("Reminder")
        alarm_layout = QVBoxLayout(alarm_box)
        row = QHBoxLayout()
        self.alarm_check = self._named(
            QCheckBox("Remind me"), "alarmEnabled", "Add a reminder to each item"
        )
        self.alarm_spin = self._named(QSpinBox(), "alarmMinutes", "Reminder lead time in minutes")
        self.alarm_spin.setRange(0, MAX_ALARM_MINUTES)
        self.alarm_spin.setSingleStep(5)
        self.alarm_spin.setSuffix(" minutes before")
        row.addWidget(self.alarm_check)
        row.addWidget(self.alarm_spin)
        row.addStretch(1)
        alarm_layout.addLayout(row)
        self.alarm_help = QLabel(
            "Outlook and Apple Calendar keep this reminder. Google Calendar ignores reminders "
            "in imported files and uses the calendar's default notifications instead. For "
            "all-day items the reminder counts back from midnight at the start of the day."
        )
        self.alarm_help.setObjectName("alarmHelp")
        self.alarm_help.setWordWrap(True)
        alarm_layout.addWidget(self.alarm_help)
        layout.addWidget(alarm_box)

        format_box = QGroupBox("Write follow-ups as")
        format_layout = QVBoxLayout(format_box)
        self.events_radio = self._named(
            QRadioButton("Calendar events — for Outlook, Google Calendar and most calendar apps"),
            "formatEvents",
            "Write follow-ups as calendar events",
        )
        self.tasks_radio = self._named(
            QRadioButton("Tasks (VTODO) — for Thunderbird and Apple Reminders"),
            "formatTasks",
            "Write follow-ups as tasks for Thunderbird and Apple",
        )
        self.format_group = QButtonGroup(self)
        self.format_group.addButton(self.events_radio)
        self.format_group.addButton(self.tasks_radio)
        format_layout.addWidget(self.events_radio)
        format_layout.addWidget(self.tasks_radio)
        self.format_help = QLabel(
            "Outlook and Google Calendar skip tasks when importing. Event plans and birthdays "
            "are always written as events."
        )
        self.format_help.setObjectName("formatHelp")
        self.format_help.setWordWrap(True)
        format_layout.addWidget(self.format_help)
        layout.addWidget(format_box)

        file_row = QHBoxLayout()
        file_label = QLabel("&File:")
        self.path_edit = self._named(QLineEdit(), "exportPath", "File to write")
        self.path_edit.setPlaceholderText("Where to save the .ics file")
        file_label.setBuddy(self.path_edit)
        self.browse_button = self._named(
            QPushButton("&Choose…"), "browseButton", "Choose the file to write"
        )
        file_row.addWidget(file_label)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        layout.addLayout(file_row)

        self.open_after_check = self._named(
            QCheckBox("Open in my calendar app after export"),
            "openAfterExport",
            "Open the file in the calendar app after export",
        )
        layout.addWidget(self.open_after_check)

        self.summary_label = QLabel("Counting…")
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)

        warning_row = QHBoxLayout()
        self.warning_icon = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.warning_icon.setPixmap(icon.pixmap(20, 20))
        self.warning_icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.warning_label = QLabel(
            "This file is over 1 MB, about the most Google Calendar imports at once. "
            "Choose a shorter date range, or leave out birthdays or event plans."
        )
        self.warning_label.setObjectName("sizeWarning")
        self.warning_label.setWordWrap(True)
        warning_row.addWidget(self.warning_icon)
        warning_row.addWidget(self.warning_label, 1)
        self.warning_widget = QWidget()
        self.warning_widget.setLayout(warning_row)
        warning_row.setContentsMargins(0, 0, 0, 0)
        self.warning_widget.setVisible(False)
        layout.addWidget(self.warning_widget)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self._named(
            self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole),
            "exportButton",
            "Export",
        )
        self.export_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelButton")
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        for label in (self.alarm_help, self.format_help, self.range_help):
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    @staticmethod
    def _selected_text(count: int) -> str:
        if count == 0:
            return "Selected items (select follow-ups in the Calendar tab first)"
        noun = "follow-up" if count == 1 else "follow-ups"
        return f"Only the {count:,} selected open {noun}"

    def _connect(self) -> None:
        for check in (
            self.followups_check,
            self.events_check,
            self.birthdays_check,
            self.alarm_check,
        ):
            check.toggled.connect(self._on_choice_changed)
        for radio in (
            self.all_radio,
            self.range_radio,
            self.selected_radio,
            self.events_radio,
            self.tasks_radio,
        ):
            radio.toggled.connect(self._on_choice_changed)
        self.from_edit.dateChanged.connect(self._on_choice_changed)
        self.to_edit.dateChanged.connect(self._on_choice_changed)
        self.alarm_spin.valueChanged.connect(self._on_choice_changed)
        self.path_edit.textChanged.connect(self._update_enabled)
        self.path_edit.editingFinished.connect(self._on_path_edited)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.buttons.accepted.connect(self._on_export_clicked)
        self.buttons.rejected.connect(self.reject)

    # --- state ------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        state = self.context.settings.preferences.ui_state.get(STATE_KEY)
        return state if isinstance(state, dict) else {}

    def _restore_state(self) -> None:
        state = self._state()
        prefs = self.context.settings.preferences
        include = state.get("include", list(KINDS))
        include = include if isinstance(include, list) else list(KINDS)
        self.followups_check.setChecked(FOLLOWUPS in include)
        self.events_check.setChecked(EVENTS in include)
        self.birthdays_check.setChecked(BIRTHDAYS in include)
        today = QDate.currentDate()
        from_days = _int(state.get("from_days"), 0)
        to_days = _int(state.get("to_days"), DEFAULT_RANGE_DAYS)
        self.from_edit.setDate(today.addDays(from_days))
        self.to_edit.setDate(today.addDays(max(from_days, to_days)))
        if self.selected_radio.isEnabled():
            self.selected_radio.setChecked(True)
        elif state.get("range") == RANGE_DATES:
            self.range_radio.setChecked(True)
        else:
            self.all_radio.setChecked(True)
        self.alarm_check.setChecked(bool(state.get("alarm", True)))
        minutes = _int(state.get("alarm_minutes"), prefs.reminder_lead_minutes)
        self.alarm_spin.setValue(max(0, min(MAX_ALARM_MINUTES, minutes)))
        (self.tasks_radio if state.get("tasks") else self.events_radio).setChecked(True)
        path = state.get("path")
        if not isinstance(path, str) or not path:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            path = str(Path(folder or Path.home()) / DEFAULT_FILE_NAME)
        self.path_edit.setText(path)
        self.open_after_check.setChecked(bool(state.get("open_after", False)))

    def _save_state(self) -> None:
        today = QDate.currentDate()
        mode = self._range_mode()
        include = self._include()
        for kind, check in ((EVENTS, self.events_check), (BIRTHDAYS, self.birthdays_check)):
            if self._held.get(check.objectName(), False) and self._in_selection_mode:
                include.add(kind)
        self.context.settings.preferences.ui_state[STATE_KEY] = {
            "include": sorted(include),
            # A selection belongs to one moment; next time starts from the range or everything.
            "range": RANGE_DATES if mode == RANGE_DATES else RANGE_ALL,
            "from_days": today.daysTo(self.from_edit.date()),
            "to_days": today.daysTo(self.to_edit.date()),
            "alarm": self.alarm_check.isChecked(),
            "alarm_minutes": self.alarm_spin.value(),
            "tasks": self.tasks_radio.isChecked(),
            "path": self.path_edit.text().strip(),
            "open_after": self.open_after_check.isChecked(),
        }
        try:
            self.context.settings.save()
        except OSError:
            log.exception("Could not save the export choices")

    # --- choices ----------------------------------------------------------------------

    def _range_mode(self) -> str:
        if self.selected_radio.isChecked():
            return RANGE_SELECTED
        if self.range_radio.isChecked():
            return RANGE_DATES
        return RANGE_ALL

    def _include(self) -> set[str]:
        checks = (
            (FOLLOWUPS, self.followups_check),
            (EVENTS, self.events_check),
            (BIRTHDAYS, self.birthdays_check),
        )
        return {kind for kind, check in checks if check.isChecked()}

    def query(self) -> ReminderQuery:
        """The items chosen; raises ValidationError for a range that ends before it starts."""
        mode = self._range_mode()
        if mode == RANGE_SELECTED:
            # A selection is follow-ups only: events and birthdays would not be "selected".
            include = {FOLLOWUPS} if self.followups_check.isChecked() else set()
            return ReminderQuery(include=frozenset(include), followup_ids=self.selected_ids)
        start = end = None
        if mode == RANGE_DATES:
            start = _to_date(self.from_edit.date())
            end = _to_date(self.to_edit.date())
        return ReminderQuery(start=start, end=end, include=frozenset(self._include()))

    def options(self) -> IcsOptions:
        return IcsOptions(
            alarm_minutes=self.alarm_spin.value() if self.alarm_check.isChecked() else None,
            tasks=self.tasks_radio.isChecked(),
            all_day_alarm_offset=self.context.settings.preferences.all_day_reminder_offset(),
        )

    def path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser()
        if text and path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")
        return path

    def request(self) -> ExportIcsRequest:
        return ExportIcsRequest(
            path=self.path(),
            query=self.query(),
            options=self.options(),
            open_after=self.open_after_check.isChecked(),
        )

    def _sync_selection_mode(self) -> None:
        """A selection holds follow-ups only: show events and birthdays off while it is chosen,
        and give them back their earlier state when the user leaves it."""
        selected = self.selected_radio.isChecked()
        if selected == self._in_selection_mode:
            return
        self._in_selection_mode = selected
        tip = "A selection holds follow-ups only." if selected else ""
        for check in (self.events_check, self.birthdays_check):
            check.blockSignals(True)
            if selected:
                self._held[check.objectName()] = check.isChecked()
                check.setChecked(False)
            else:
                check.setChecked(self._held.get(check.objectName(), check.isChecked()))
            check.blockSignals(False)
            check.setEnabled(not selected)
            check.setToolTip(tip)

    def _update_enabled(self) -> None:
        self._sync_selection_mode()
        ranged = self.range_radio.isChecked()
        self.from_edit.setEnabled(ranged)
        self.to_edit.setEnabled(ranged)
        self.alarm_spin.setEnabled(self.alarm_check.isChecked())
        count = self._preview.reminders.total if self._preview is not None else 0
        self.export_button.setEnabled(bool(self.path_edit.text().strip()) and count > 0)

    def _on_choice_changed(self, *_args: object) -> None:
        self._update_enabled()
        self._schedule_preview()

    # --- preview ----------------------------------------------------------------------

    def _schedule_preview(self) -> None:
        self._generation += 1
        self._preview = None
        self.summary_label.setText("Counting…")
        self._update_enabled()
        self._debounce.start()

    def _start_preview(self) -> None:
        try:
            query = self.query()
        except ValidationError as exc:
            self._show_summary_error(exc.message)
            return
        if not query.include:
            self._show_summary_error("Choose at least one kind of item to include.")
            return
        generation = self._generation
        options = self.options()
        db = self.context.db

        def work() -> _Preview:
            reminders = ReminderService(db).collect(query)
            return _Preview(generation, reminders, len(render(reminders, options)))

        if self._preview_task is not None:
            self._preview_task.cancel()  # its count is out of date already
        self._preview_task = run_task(
            work,
            self._on_preview_finished,
            lambda exc: self._show_summary_error(_reason(exc)),
            owner=self,
            name="count calendar export",
        )

    def _on_preview_finished(self, preview: _Preview) -> None:
        if preview.generation != self._generation:
            return  # the choices changed meanwhile; a newer preview is on its way
        self._preview = preview
        total = preview.reminders.total
        if total == 0:
            self.summary_label.setText("Nothing to export with these choices.")
        else:
            noun = "item" if total == 1 else "items"
            self.summary_label.setText(
                f"Will write {total:,} {noun}: {preview.reminders.describe()} "
                f"(about {human_size(preview.size)})."
            )
        self.warning_widget.setVisible(preview.size > GOOGLE_IMPORT_LIMIT_BYTES)
        self._update_enabled()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show a warning or an error that just appeared, instead of squashing text."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _show_summary_error(self, message: str) -> None:
        self._preview = None
        self.summary_label.setText(message)
        self.warning_widget.setVisible(False)
        self._update_enabled()

    def preview_ready(self) -> bool:
        """True once the count for the current choices is shown (tests wait on it)."""
        return self._preview is not None or self.summary_label.text() != "Counting…"

    def previewed(self) -> ReminderSet | None:
        return self._preview.reminders if self._preview is not None else None

    # --- actions ----------------------------------------------------------------------

    def _on_path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if text and not text.lower().endswith(".ics"):
            self.path_edit.setText(str(self.path()))

    def _on_browse_clicked(self) -> None:
        current = self.path_edit.text().strip() or str(Path.home() / DEFAULT_FILE_NAME)
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export reminders to",
            current,
            "iCalendar files (*.ics);;All files (*)",
        )
        if path:
            self.path_edit.setText(path)

    def _on_export_clicked(self) -> None:
        path = self.path()
        problem = ""
        if not self.path_edit.text().strip():
            problem = "Choose a file to write."
        elif path.is_dir():
            problem = f"{path} is a folder; choose a file name."
        elif not path.parent.is_dir():
            problem = f"The folder {path.parent} does not exist."
        if problem:
            self.error_label.setText(problem)
            self.error_label.setVisible(True)
            self._fit_height()
            self.path_edit.setFocus()
            return
        try:
            self.query()
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            self.error_label.setVisible(True)
            self._fit_height()
            return
        # Show (and remember) the name that is actually written: "sel_tasks" becomes
        # "sel_tasks.ics".
        self.path_edit.setText(str(path))
        self._save_state()
        self.accept()

    def done(self, result: int) -> None:
        self._debounce.stop()
        self._generation += 1
        if self._preview_task is not None:
            self._preview_task.cancel()
            self._preview_task.wait(10)  # a count still reading finishes before we go
        super().done(result)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class IcsExportRun(QObject):
    """Writes one export off the UI thread, then reports it: status bar, open, or a warning.

    Python owns it (no Qt parent): deleting a Python-made QObject through Qt from inside its
    own signal handling crashed PySide, so a module-level set keeps it alive while it runs
    and lets it go from a fresh event-loop turn.
    """

    finished = QtSignal(object)  # IcsExport
    failed = QtSignal(str)

    def __init__(self, context: TabContext, request: ExportIcsRequest, parent: QWidget) -> None:
        super().__init__()
        self.request = request
        self._window = parent
        db = context.db

        def work() -> IcsExport:
            reminders = ReminderService(db).collect(request.query)
            return write_ics(request.path, reminders, request.options)

        self._work = work
        self.progress = QProgressDialog("Writing the calendar file…", "", 0, 0, parent)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle("Export reminders")
        # The write takes about a second and never leaves a half file: nothing to cancel.
        self.progress.setCancelButton(None)
        self.progress.setMinimumDuration(400)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)

    def start(self) -> None:
        _RUNNING.add(self)
        run_task(
            self._work,
            self._on_job_finished,
            lambda exc: self._on_job_failed(_reason(exc)),
            name="write calendar file",
        )

    def _window_gone(self) -> bool:
        """The window was closed while the file was written: nothing left to report to."""
        if shiboken6.isValid(self._window):
            return False
        log.info("Export finished after its window closed")
        QTimer.singleShot(0, partial(_RUNNING.discard, self))
        return True

    def _on_job_finished(self, result: IcsExport) -> None:
        if self._window_gone():
            return
        self.progress.close()
        noun = "item" if result.items == 1 else "items"
        message = f"Exported {result.items:,} {noun} to {result.path} ({human_size(result.size)})"
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(message, 10_000)
        log.info(message)
        if self.request.open_after and not QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(result.path))
        ):
            QMessageBox.information(
                self._window,
                "Export reminders",
                f"{message}.\n\nNo calendar app opened the file; import it from your "
                "calendar app instead.",
            )
        self.finished.emit(result)
        self._dispose()

    def _on_job_failed(self, reason: str) -> None:
        if self._window_gone():
            log.warning("Export failed: %s", reason)
            return
        self.progress.close()
        QMessageBox.warning(
            self._window,
            "Export reminders",
            f"The calendar file could not be written to {self.request.path}:\n{reason}\n\n"
            "Any older file there was left as it was.",
        )
        self.failed.emit(reason)
        self._dispose()

    def _dispose(self) -> None:
        self.progress.deleteLater()
        QTimer.singleShot(0, partial(_RUNNING.discard, self))


_RUNNING: set[IcsExportRun] = set()


def export_reminders(
    parent: QWidget, context: TabContext, selected_ids: Sequence[int] = ()
) -> IcsExportRun | None:
    """The whole flow behind File > Export reminders…: dialog, then the write off the UI thread."""
    dialog = ExportIcsDialog(context, selected_ids, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        request = dialog.request()
    finally:
        dialog.deleteLater()
    run = IcsExportRun(context, request, parent)
    run.start()
    return run
