"""Date fields that say so when the user types a date that does not exist.

QDateEdit quietly refuses the digit that would make "2026-02-30" and keeps "2026-02-03", so
the user saves a date they never meant. CheckedDateEdit (and CheckedDateTimeEdit, for a date
with a time) notices the refused digit, names the impossible date in `problem()` (shown beside
the field) and keeps it until the date is edited again; dialogs do not accept, and fields that
save as they are edited do not save, while there is a problem.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QVBoxLayout, QWidget

from planner.ui.widgets.contact_fields import error_label, show_error

Section = QDateTimeEdit.Section
DATE_SECTIONS = (Section.DaySection, Section.MonthSection, Section.YearSection)


class _ImpossibleDates:
    """The check itself, shared by both fields: watches each typed digit of `edit`."""

    def __init__(self, edit: CheckedDateEdit | CheckedDateTimeEdit) -> None:
        self.edit = edit
        self.problem = ""
        self._typed = ""
        self._section = edit.currentSection()
        self._in_key = False
        # The one digit typed into the day section before Qt moved on by itself.
        self._left = ""
        edit.dateTimeChanged.connect(self._on_changed)

    def set(self, message: str) -> None:
        if message != self.problem:
            self.problem = message
            self.edit.problem_changed.emit(message)

    def _on_changed(self, _value: object) -> None:
        if not self._in_key:
            self.set("")  # picked in the calendar or set by the program

    def key_press(self, event: QKeyEvent, press: Callable[[QKeyEvent], None]) -> None:
        edit = self.edit
        section = edit.currentSection()
        if section != self._section:
            self._section, self._typed = section, ""
        digit = event.text() if event.text().isdigit() else ""
        before = edit.text()
        left, self._left = self._left, ""
        self._in_key = True
        try:
            press(event)
        finally:
            self._in_key = False
        if not digit:
            if event.text() or event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                self._typed = ""
            return
        # "3" in February's day section moves on to the next section at once (no 3x day
        # exists then), so the "0" of "30" lands in the hour: still the 30th they meant.
        if left and 10 <= int(left + digit) <= 31:
            message = self._impossible(Section.DaySection, left + digit)
            if message:
                self.set(message)
                self._typed = ""
                return
        if edit.text() == before and edit.currentSection() == section:
            message = self._impossible(section, self._typed + digit)
            if message:
                self.set(message)
                self._typed = ""
                return
        moved_on = edit.currentSection() != section
        if moved_on and section == Section.DaySection and not self._typed:
            self._left = digit
        self._typed = "" if moved_on else self._typed + digit
        if section in DATE_SECTIONS:
            self.set("")

    def _impossible(self, section: QDateTimeEdit.Section, attempt: str) -> str:
        """Why `attempt`, typed into `section` of the date shown, was refused ('' if unknown)."""
        edit = self.edit
        shown = edit.date()
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
        if wanted < edit.minimumDate() or wanted > edit.maximumDate():
            fmt = edit.displayFormat()
            first = edit.minimumDate().toString(fmt)
            last = edit.maximumDate().toString(fmt)
            return f"{wanted.toString(fmt)} is out of range: pick a date from {first} to {last}."
        return ""


class _Checked:
    """What both checked editors add to their Qt base: the check and its message."""

    _check: _ImpossibleDates

    def _start_checking(self) -> None:
        self.setCalendarPopup(True)
        self._check = _ImpossibleDates(self)

    def problem(self) -> str:
        return self._check.problem

    def clear_problem(self) -> None:
        """Forget the message (the program showed another value)."""
        self._check.set("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._check.key_press(event, super().keyPressEvent)


class CheckedDateEdit(_Checked, QDateEdit):
    """A QDateEdit with a calendar popup that reports impossible typed dates."""

    problem_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start_checking()


class CheckedDateTimeEdit(_Checked, QDateTimeEdit):
    """The same for a date with a time (an event's start and end)."""

    problem_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start_checking()


def with_problem_label(edit: CheckedDateEdit | CheckedDateTimeEdit, name: str) -> QWidget:
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
