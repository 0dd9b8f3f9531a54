"""The export-to-calendar dialog's view: what goes in, which range, reminder, format, file.
Building only; `export_ics_dialog.ExportIcsDialog` adds the behaviour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from planner.ui.dates import apply_date_format
from planner.ui.widgets.checked_date_edit import CheckedDateEdit
from planner.ui.widgets.contact_fields import error_label

MAX_ALARM_MINUTES = 40 * 24 * 60


class ExportIcsDialogView(QDialog):
    """The widgets; `ExportIcsDialog` connects and drives them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportIcsDialog")
        self.setWindowTitle("Export reminders to your calendar")
        self._build()

    def _named(self, widget: Any, name: str, accessible: str) -> Any:
        widget.setObjectName(name)
        widget.setAccessibleName(accessible)
        return widget

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_include())
        layout.addWidget(self._build_range())
        layout.addWidget(self._build_alarm())
        layout.addWidget(self._build_format())
        self._build_file_and_summary(layout)
        self.setMinimumWidth(620)
        for label in (self.alarm_help, self.format_help, self.range_help):
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def _build_include(self) -> QGroupBox:
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
        include_layout.addWidget(self.followups_check)
        # Team mode: whose follow-ups (the Calendar's "My follow-ups / Team" choice).
        self.mine_radio = self._named(
            QRadioButton("Mine"), "exportMine", "Export only the follow-ups I own"
        )
        self.team_radio = self._named(
            QRadioButton("Team (every follow-up I may see)"),
            "exportTeam",
            "Export every follow-up I may see",
        )
        self.whose_group = QButtonGroup(self)
        self.whose_group.addButton(self.mine_radio)
        self.whose_group.addButton(self.team_radio)
        self.whose_row = QWidget()
        whose = QHBoxLayout(self.whose_row)
        whose.setContentsMargins(24, 0, 0, 0)
        whose.addWidget(self.mine_radio)
        whose.addWidget(self.team_radio)
        whose.addStretch(1)
        include_layout.addWidget(self.whose_row)
        include_layout.addWidget(self.events_check)
        include_layout.addWidget(self.birthdays_check)
        return include_box

    def _build_range(self) -> QGroupBox:
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
        # Checked date fields: an impossible typed date ("2026-02-30") is named beside the
        # range, never quietly turned into another day.
        self.from_edit = self._named(CheckedDateEdit(), "rangeFrom", "First day of the range")
        self.to_edit = self._named(CheckedDateEdit(), "rangeTo", "Last day of the range")
        for edit in (self.from_edit, self.to_edit):
            apply_date_format(edit)
        self.selected_radio = self._named(
            QRadioButton("Selected items"),
            "rangeSelected",
            "Export only the follow-ups selected in the Calendar tab",
        )
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
        self.range_error = error_label("rangeDateError")
        error_row = QHBoxLayout()
        error_row.addSpacing(self.range_radio.sizeHint().width())
        error_row.addWidget(self.range_error, 1)
        range_layout.addWidget(self.all_radio)
        range_layout.addLayout(dates_row)
        range_layout.addLayout(error_row)
        range_layout.addWidget(self.selected_radio)
        self.range_help = QLabel("Birthdays repeat every year, so the range does not limit them.")
        self.range_help.setObjectName("rangeHelp")
        self.range_help.setWordWrap(True)
        range_layout.addWidget(self.range_help)
        return range_box

    def _build_alarm(self) -> QGroupBox:
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
        return alarm_box

    def _build_format(self) -> QGroupBox:
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
        return format_box

    def _build_file_and_summary(self, layout: QVBoxLayout) -> None:
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
