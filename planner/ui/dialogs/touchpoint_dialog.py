"""Log or edit a touchpoint: date, channel, kind, note. Returns a draft; the caller saves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QWidget,
)

from planner.core.records import TouchpointRecord
from planner.core.vocab import CHANNELS, TOUCH_KINDS
from planner.ui.widgets.checked_date_edit import CheckedDateEdit, with_problem_label
from planner.ui.widgets.contact_fields import error_label, set_date_format, show_error


@dataclass(frozen=True)
class TouchpointDraft:
    occurred_on: date
    channel: str
    kind: str
    note: str


class TouchpointDialog(QDialog):
    def __init__(
        self,
        who: str,
        record: TouchpointRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("touchpointDialog")
        self.setWindowTitle(
            f"Edit touchpoint with {who}" if record else f"Log a touchpoint with {who}"
        )
        form = QFormLayout(self)
        self.date_edit = CheckedDateEdit()
        self.date_edit.setObjectName("touchDate")
        self.date_edit.setAccessibleName("Date")
        set_date_format(self.date_edit)
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setDate(QDate.currentDate())
        self.channel = QComboBox()
        self.channel.setObjectName("touchChannel")
        self.channel.setAccessibleName("Channel")
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.kind = QComboBox()
        self.kind.setObjectName("touchKind")
        self.kind.setAccessibleName("Kind")
        for key, label in TOUCH_KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData("caught_up"))
        self.note = QPlainTextEdit()
        self.note.setObjectName("touchNote")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("What did you talk about? What did you promise?")
        if record is not None:
            d = record.occurred_on
            self.date_edit.setDate(QDate(d.year, d.month, d.day))
            self.channel.setCurrentIndex(max(0, self.channel.findData(record.channel)))
            self.kind.setCurrentIndex(max(0, self.kind.findData(record.kind)))
            self.note.setPlainText(record.note)
        form.addRow("&Date:", with_problem_label(self.date_edit, "touchDateError"))
        form.addRow("&Channel:", self.channel)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Note:", self.note)
        # Why the last OK did not save (database busy, read-only, disk full): the caller
        # opens this dialog again with everything typed still in it, and the reason here.
        self.save_problem = error_label("touchSaveProblem")
        form.addRow(self.save_problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("touchButtons")
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(420, 300)

    def _on_accepted(self) -> None:
        if self.date_edit.problem():
            self.date_edit.setFocus()  # the message beside the field says what is wrong
            return
        self.accept()

    def show_save_problem(self, message: str) -> None:
        """Say why saving failed; OK becomes the retry."""
        show_error(self.save_problem, f"Not saved: {message}")

    def draft(self) -> TouchpointDraft:
        qd = self.date_edit.date()
        return TouchpointDraft(
            occurred_on=date(qd.year(), qd.month(), qd.day()),
            channel=str(self.channel.currentData()),
            kind=str(self.kind.currentData()),
            note=self.note.toPlainText().strip(),
        )
