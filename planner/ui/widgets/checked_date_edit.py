"""A date field that says so when the user types a date that does not exist.

QDateEdit quietly refuses the digit that would make "2026-02-30" and keeps "2026-02-03", so
the user saves a date they never meant. CheckedDateEdit notices the refused digit, names the
impossible date in `problem()` (shown beside the field) and keeps it until the date is edited
again; dialogs do not accept while there is a problem.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QVBoxLayout, QWidget

from planner.ui.widgets.contact_fields import error_label, show_error

Section = QDateTimeEdit.Section


class CheckedDateEdit(QDateEdit):
    """A QDateEdit with a calendar popup that reports impossible typed dates."""

    problem_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self._problem = ""
        self._typed = ""
        self._section = self.currentSection()
        self._in_key = False
        self.dateChanged.connect(self._on_date_changed)

    def problem(self) -> str:
        return self._problem

    def _set_problem(self, message: str) -> None:
        if message != self._problem:
            self._problem = message
            self.problem_changed.emit(message)

    def _on_date_changed(self, _value: QDate) -> None:
        if not self._in_key:
            self._set_problem("")  # picked in the calendar or set by the program

    def keyPressEvent(self, event: QKeyEvent) -> None:
        section = self.currentSection()
        if section != self._section:
            self._section, self._typed = section, ""
        digit = event.text() if event.text().isdigit() else ""
        before = self.text()
        self._in_key = True
        try:
            super().keyPressEvent(event)
        finally:
            self._in_key = False
        if not digit:
            if event.text() or event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                self._typed = ""
            return
        if self.text() == before and self.currentSection() == section:
            message = self._impossible(section, self._typed + digit)
            if message:
                self._set_problem(message)
                self._typed = ""
                return
        self._typed = (self._typed + digit) if self.currentSection() == section else ""
        self._set_problem("")

    def _impossible(self, section: QDateTimeEdit.Section, attempt: str) -> str:
        """Why `attempt`, typed into `section` of the date shown, was refused ('' if unknown)."""
        shown = self.date()
        year, month, day = shown.year(), shown.month(), shown.day()
        number = int(attempt)
        if section == Section.DaySection:
            day = number
        elif section == Section.MonthSection:
            if not 1 <= number <= 12:
                return f"There is no month {number}."
            month = number
        elif section == Section.YearSection:
            if len(attempt) < 4:
                return ""
            year = number
        else:
            return ""
        locale = QLocale()
        month_name = locale.monthName(month) if 1 <= month <= 12 else str(month)
        if not QDate(year, month, 1).isValid() or not QDate(year, month, day).isValid():
            return f"There is no {day} {month_name} {year}."
        wanted = QDate(year, month, day)
        if wanted < self.minimumDate() or wanted > self.maximumDate():
            fmt = self.displayFormat()
            first = self.minimumDate().toString(fmt)
            last = self.maximumDate().toString(fmt)
            return f"{wanted.toString(fmt)} is out of range: pick a date from {first} to {last}."
        return ""


def with_problem_label(edit: CheckedDateEdit, name: str) -> QWidget:
    """The date field with its message underneath, for a form row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label: QLabel = error_label(name)
    layout.addWidget(edit)
    layout.addWidget(label)
    edit.problem_changed.connect(lambda message: show_error(label, message))
    box.setFocusProxy(edit)
    return box
