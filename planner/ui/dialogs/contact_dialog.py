"""New contact: the few fields needed to start, with a duplicate warning before adding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from planner.core.contacts import DuplicateMatch
from planner.core.errors import ValidationError
from planner.core.validation import normalize_email
from planner.core.visibility import SHARED, VISIBILITY_LABELS
from planner.core.vocab import RELATIONSHIPS
from planner.ui.widgets.contact_fields import error_label, show_error


@dataclass(frozen=True)
class NewContactDraft:
    name: str
    organisation: str
    role: str
    email: str
    relationship: str
    # Team mode: "shared" (the team sees the contact) or "private" (only its creator).
    visibility: str = SHARED


class NewContactDialog(QDialog):
    """Accepting twice past a duplicate warning means "add anyway"."""

    def __init__(
        self,
        find_duplicates: Callable[[NewContactDraft], list[DuplicateMatch]],
        parent: QWidget | None = None,
        *,
        team: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newContactDialog")
        self.setWindowTitle("New contact")
        self._find_duplicates = find_duplicates
        self._warned_for: NewContactDraft | None = None
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("newName")
        self.name.setAccessibleName("Name")
        self.name_error = error_label("newNameError")
        self.organisation = QLineEdit()
        self.organisation.setObjectName("newOrganisation")
        self.organisation.setAccessibleName("Organisation")
        self.role = QLineEdit()
        self.role.setObjectName("newRole")
        self.role.setAccessibleName("Role")
        self.email = QLineEdit()
        self.email.setObjectName("newEmail")
        self.email.setAccessibleName("E-mail")
        self.email_error = error_label("newEmailError")
        # The message goes as soon as the address is right (not only on the next Add).
        self.email.textEdited.connect(self._on_email_edited)
        self.relationship = QComboBox()
        self.relationship.setObjectName("newRelationship")
        self.relationship.setAccessibleName("Relationship")
        for key, label in RELATIONSHIPS.items():
            self.relationship.addItem(label, key)
        self.relationship.setCurrentIndex(self.relationship.findData("other"))
        self.visibility = QComboBox()
        self.visibility.setObjectName("newVisibility")
        self.visibility.setAccessibleName("Visible to")
        for key in ("shared", "private"):
            self.visibility.addItem(VISIBILITY_LABELS[key], key)
        self.duplicates = QLabel()
        self.duplicates.setObjectName("duplicateWarning")
        self.duplicates.setAccessibleName("Duplicate warning")
        self.duplicates.setWordWrap(True)
        self.duplicates.hide()
        form.addRow("&Name:", self.name)
        form.addRow("", self.name_error)
        form.addRow("&Organisation:", self.organisation)
        form.addRow("&Role:", self.role)
        form.addRow("&E-mail:", self.email)
        form.addRow("", self.email_error)
        form.addRow("Re&lationship:", self.relationship)
        if team:  # a personal file has one user: everything is theirs
            form.addRow("&Visible to:", self.visibility)
        else:
            self.visibility.hide()
        form.addRow(self.duplicates)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("newContactOk")
        self.ok_button.setText("Add contact")
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.resize(440, 0)

    def draft(self) -> NewContactDraft:
        return NewContactDraft(
            name=self.name.text().strip(),
            organisation=self.organisation.text().strip(),
            role=self.role.text().strip(),
            email=self.email.text().strip(),
            relationship=str(self.relationship.currentData()),
            visibility=str(self.visibility.currentData()),
        )

    def _email_problem(self, text: str) -> str:
        if not text.strip():
            return ""
        try:
            normalize_email(text.strip())
        except ValidationError as exc:
            return exc.message
        return ""

    def _show_email_error(self, message: str) -> None:
        show_error(self.email_error, message)
        # Grow (or shrink) with the message, so a wrapped second line is never cut off.
        self.layout().activate()
        self.resize(self.width(), self.sizeHint().height())

    def _on_email_edited(self, text: str) -> None:
        if self.email_error.isVisible() and not self._email_problem(text):
            self._show_email_error("")

    def _on_accepted(self) -> None:
        draft = self.draft()
        show_error(self.name_error, "" if draft.name else "A contact needs a name.")
        email_message = self._email_problem(draft.email)
        self._show_email_error(email_message)
        if not draft.name or email_message:
            return
        if draft != self._warned_for:
            matches = self._find_duplicates(draft)
            if matches:
                lines = [
                    f"• {d.name}{f' ({d.organisation})' if d.organisation else ''} — {d.reason}"
                    for d in matches[:5]
                ]
                self.duplicates.setText(
                    "<b>This may be someone you already have:</b><br>"
                    + "<br>".join(lines)
                    + "<br>Press “Add anyway” to add a new contact regardless."
                )
                self.duplicates.show()
                self.ok_button.setText("Add anyway")
                self._warned_for = draft
                return
        self.accept()
