"""Choose a contact for an event (someone to meet, or someone met), with a reason or note."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.db.database import Database
from planner.ui.widgets.event_contact_search import EventContactSearch


@dataclass(frozen=True)
class ContactPick:
    contact_id: int
    text: str


class EventContactDialog(QDialog):
    def __init__(
        self,
        db: Database,
        *,
        title: str,
        text_label: str,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventContactDialog")
        self.setWindowTitle(title)
        self.resize(460, 420)
        layout = QVBoxLayout(self)
        self.search = EventContactSearch(db)
        layout.addWidget(self.search)
        form = QFormLayout()
        self.text = QLineEdit()
        self.text.setObjectName("contactPickText")
        self.text.setAccessibleName(text_label)
        self.text.setPlaceholderText(placeholder)
        form.addRow(text_label + ":", self.text)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("contactPickButtons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.search.chosen.connect(lambda _id: self.text.setFocus())
        self.search.selection_changed.connect(self._update_ok)
        self._update_ok()
        self.search.search.setFocus()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.search.current_id() is not None)

    def pick(self) -> ContactPick | None:
        contact_id = self.search.current_id()
        if contact_id is None:
            return None
        return ContactPick(contact_id, self.text.text().strip())
