"""Add or edit a referral or introduction. Returns a draft; the caller saves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from planner.core.records import ReferralRecord
from planner.core.vocab import REFERRAL_DIRECTIONS, REFERRAL_STATUSES
from planner.db.errors import StorageError
from planner.ui.widgets.checked_date_edit import CheckedDateEdit, with_problem_label
from planner.ui.widgets.contact_fields import (
    ContactPicker,
    error_label,
    set_date_format,
    show_error,
)


@dataclass(frozen=True)
class ReferralDraft:
    direction: str
    status: str
    occurred_on: date
    other_contact_id: int | None
    outcome: str
    note: str


def referral_values(draft: ReferralDraft) -> dict[str, Any]:
    """A draft as the referral service and commands take it."""
    return {
        "direction": draft.direction,
        "status": draft.status,
        "occurred_on": draft.occurred_on,
        "other_contact_id": draft.other_contact_id,
        "outcome": draft.outcome,
        "note": draft.note,
    }


class ReferralDialog(QDialog):
    def __init__(
        self,
        who: str,
        search: Callable[[str], list[tuple[int, str]]],
        name_of: Callable[[int], str],
        record: ReferralRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralDialog")
        self.setWindowTitle(f"Referral or introduction — {who}")
        form = QFormLayout(self)
        form.addRow(QLabel(f"With <b>{who}</b>: who asked, who made it, and what came of it."))
        self.direction = QComboBox()
        self.direction.setObjectName("referralDirection")
        self.direction.setAccessibleName("Direction")
        for key, label in REFERRAL_DIRECTIONS.items():
            self.direction.addItem(label, key)
        self.status = QComboBox()
        self.status.setObjectName("referralStatus")
        self.status.setAccessibleName("Status")
        for key, label in REFERRAL_STATUSES.items():
            self.status.addItem(label, key)
        self.date_edit = CheckedDateEdit()
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setObjectName("referralDate")
        self.date_edit.setAccessibleName("Date")
        set_date_format(self.date_edit)
        self.other = ContactPicker(search, "referralOther", "Person introduced or referred")
        self.outcome = QLineEdit()
        self.outcome.setObjectName("referralOutcome")
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText("e.g. got an interview")
        self.outcome_error = error_label("referralOutcomeError")
        self.note = QPlainTextEdit()
        self.note.setObjectName("referralNote")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        if record is not None:
            self.direction.setCurrentIndex(max(0, self.direction.findData(record.direction)))
            self.status.setCurrentIndex(max(0, self.status.findData(record.status)))
            d = record.occurred_on
            self.date_edit.setDate(QDate(d.year, d.month, d.day))
            if record.other_contact_id is not None:
                self.other.set_contact(record.other_contact_id, name_of(record.other_contact_id))
            self.outcome.setText(record.outcome)
            self.note.setPlainText(record.note)
        form.addRow("&Direction:", self.direction)
        form.addRow("&Status:", self.status)
        form.addRow("D&ate:", with_problem_label(self.date_edit, "referralDateError"))
        self.other.setToolTip("The person introduced or referred, if they are a contact")
        form.addRow("Other &person:", self.other)
        form.addRow("&Outcome:", self.outcome)
        form.addRow("", self.outcome_error)
        form.addRow("&Note:", self.note)
        # Why the last OK did not save (database busy, read-only, disk full): the dialog
        # opens again with everything typed still in it, and the reason here.
        self.save_problem = error_label("referralSaveProblem")
        form.addRow(self.save_problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, 360)

    def _on_accepted(self) -> None:
        if self.date_edit.problem():
            self.date_edit.setFocus()  # the message beside the field says what is wrong
            return
        if self.status.currentData() == "outcome" and not self.outcome.text().strip():
            show_error(self.outcome_error, "Say what came of it.")
            self.outcome.setFocus()
            return
        self.accept()

    def show_save_problem(self, message: str) -> None:
        """Say why saving failed; OK becomes the retry."""
        show_error(self.save_problem, f"Not saved: {message}")

    def exec_until_saved(self, save: Callable[[ReferralDraft], object]) -> bool:
        """Show the dialog until `save(draft)` succeeds or the user cancels. A save the
        database refused (StorageError) reopens it with what was typed and the reason;
        anything else `save` raises is the caller's to show. True when saved."""
        while self.exec() == QDialog.DialogCode.Accepted:
            try:
                save(self.draft())
            except StorageError as exc:
                self.show_save_problem(str(exc))
                continue
            return True
        return False

    def draft(self) -> ReferralDraft:
        qd = self.date_edit.date()
        return ReferralDraft(
            direction=str(self.direction.currentData()),
            status=str(self.status.currentData()),
            occurred_on=date(qd.year(), qd.month(), qd.day()),
            other_contact_id=self.other.contact_id,
            outcome=self.outcome.text().strip(),
            note=self.note.toPlainText().strip(),
        )
