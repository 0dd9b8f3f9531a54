"""Completing a follow-up asks what happened (kind, channel, note) before it is logged; Enter
accepts the defaults, so a quick "done" stays one key away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from planner.core.vocab import CHANNELS, TOUCH_KINDS
from planner.ui.dates import short_date


@dataclass(frozen=True)
class Outcome:
    kind: str
    channel: str
    note: str | None  # None: each follow-up's own purpose


class CompleteDialog(QDialog):
    def __init__(
        self,
        title: str,
        *,
        channel: str,
        note: str | None,
        next_due: date | None,
        cadence_days: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("completeFollowUpDialog")
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.setObjectName("completeKind")
        self.kind.setAccessibleName("What happened")
        for key, label in TOUCH_KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData("caught_up"))
        self.channel = QComboBox()
        self.channel.setObjectName("completeChannel")
        self.channel.setAccessibleName("Channel")
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.channel.setCurrentIndex(max(0, self.channel.findData(channel)))
        self.note = QLineEdit()
        self.note.setObjectName("completeNote")
        self.note.setAccessibleName("Note")
        self._note_default = note
        if note is None:
            self.note.setPlaceholderText("Each follow-up's purpose")
        else:
            self.note.setText(note)
            self.note.selectAll()  # typing replaces the purpose; Enter keeps it
        form.addRow("&What happened:", self.kind)
        form.addRow("&Channel:", self.channel)
        form.addRow("&Note:", self.note)
        if next_due is not None:
            every = f" (every {cadence_days} days)" if cadence_days else ""
            text = f"Next keep-in-touch follow-up: {short_date(next_due)}{every}"
        else:
            text = "No next follow-up is scheduled by cadence."
        self.next_label = QLabel(text)
        self.next_label.setObjectName("completeNextDue")
        form.addRow(self.next_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("completeButtons")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Complete")
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.note.setFocus()

    def outcome(self) -> Outcome:
        text = self.note.text()
        note = None if self._note_default is None and not text.strip() else text
        return Outcome(str(self.kind.currentData()), str(self.channel.currentData()), note)
