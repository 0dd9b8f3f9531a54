"""A date field that can also be empty: a check box turns the date on or off.

The date is a CheckedDateEdit: an impossible typed date (2026-02-30) is named underneath and
not emitted, so it is never saved as the date Qt kept instead (2026-02-03).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from planner.ui.dates import apply_date_format
from planner.ui.widgets.checked_date_edit import CheckedDateEdit
from planner.ui.widgets.contact_fields import error_label, show_error


class OptionalDateEdit(QWidget):
    """Emits date_changed(date | None) when the user sets, changes or clears the date."""

    date_changed = Signal(object)

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        self.enabled_box = QCheckBox()
        self.enabled_box.setObjectName(f"{name}Set")
        self.enabled_box.setAccessibleName(f"{accessible}: set a date")
        self.edit = CheckedDateEdit()
        self.edit.setObjectName(f"{name}Date")
        self.edit.setAccessibleName(accessible)
        apply_date_format(self.edit)
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        layout.addWidget(self.enabled_box)
        layout.addWidget(self.edit, 1)
        outer.addLayout(layout)
        self.problem_label = error_label(f"{name}Problem")
        # One line: a wrapped second line was clipped inside the form at 200 %.
        self.problem_label.setWordWrap(False)
        outer.addWidget(self.problem_label)
        self.setFocusProxy(self.edit)
        self.enabled_box.toggled.connect(self._on_enabled_box_toggled)
        self.edit.editingFinished.connect(self._emit)
        self.edit.dateChanged.connect(self._on_edit_date_changed)
        self.edit.problem_changed.connect(lambda text: show_error(self.problem_label, text))

    def problem(self) -> str:
        """Why the typed date cannot be taken ('' when it can)."""
        return self.edit.problem() if self.enabled_box.isChecked() else ""

    def value(self) -> date | None:
        if not self.enabled_box.isChecked():
            return None
        return self.edit.date().toPython()  # type: ignore[no-any-return]

    def set_value(self, value: date | None) -> None:
        """Show a value without emitting date_changed."""
        self.blockSignals(True)
        self.enabled_box.blockSignals(True)
        self.edit.blockSignals(True)
        self.enabled_box.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(value) if value is not None else QDate.currentDate())
        self.edit.blockSignals(False)
        self.enabled_box.blockSignals(False)
        self.blockSignals(False)
        self.edit.clear_problem()

    def _on_enabled_box_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        if checked:
            self.edit.setFocus()
        else:
            self.edit.clear_problem()
        self._emit()

    def _on_edit_date_changed(self, _value: QDate) -> None:
        # The calendar popup changes the date without finishing the edit; keyboard typing
        # finishes on Enter or focus loss, so only popup picks are emitted here.
        if self.edit.calendarWidget().isVisible():
            self._emit()

    def _emit(self) -> None:
        if self.problem():
            return  # the date shown is not the one typed: nothing is saved
        self.date_changed.emit(self.value())
