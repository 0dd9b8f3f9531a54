"""A contact's notes pane: dated notes with their author, private to the author by default.

Adding, editing and deleting a note are one undo step each (ui/commands/notes.py); the list
is filled from the detail pane's one read (`ContactView.notes`) and refreshed by the bus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import NotFoundError, ValidationError
from planner.core.notes import NoteService
from planner.core.records import NoteRecord
from planner.core.visibility import PRIVATE, SHARED
from planner.db.errors import StorageError
from planner.ui.commands.base import Command, execute
from planner.ui.commands.notes import AddNote, DeleteNote, EditNote
from planner.ui.context import TabContext
from planner.ui.models.contact_history_models import date_text
from planner.ui.widgets.contact_fields import error_label, show_error

NoteRole = Qt.ItemDataRole.UserRole + 1


def author_text(author: str, me: str) -> str:
    """ "by Priya", or "by you" for the user's own (team mode)."""
    if not author:
        return ""
    return "by you" if author == me else f"by {author}"


class NoteDialog(QDialog):
    """Edit one note: its text and, on a team database, whether the team may read it."""

    def __init__(self, record: NoteRecord, team: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle("Edit note")
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(record.text)
        self.text.setObjectName("noteDialogText")
        self.text.setAccessibleName("Note")
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text)
        self.share = QCheckBox("Share with the team")
        self.share.setObjectName("noteDialogShare")
        self.share.setAccessibleName("Share the note with the team")
        self.share.setChecked(record.visibility == SHARED)
        self.share.setVisible(team)
        layout.addWidget(self.share)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        self.resize(420, 220)

    def values(self) -> tuple[str, str]:
        return self.text.toPlainText(), SHARED if self.share.isChecked() else PRIVATE


class NotesPane(QWidget):
    """Lists the notes the user may read, newest first; a box below adds one (Ctrl+Enter)."""

    def __init__(
        self, service: NoteService, context: TabContext | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notesPane")
        self.service = service
        self.context = context
        self.contact_id: int | None = None
        self.team = False
        self.me = ""
        layout = QVBoxLayout(self)
        hint = QLabel("Dated notes about this person: what you talked about, what to remember.")
        hint.setObjectName("notesHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setObjectName("notesList")
        self.list.setAccessibleName("Notes")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        layout.addWidget(self.list, 1)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEdit")
        self.editor.setAccessibleName("New note")
        self.editor.setPlaceholderText("Write a note… (Ctrl+Enter adds it)")
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        QShortcut(
            QKeySequence("Ctrl+Return"), self.editor, self.add_note,
            context=Qt.ShortcutContext.WidgetShortcut,
        )  # fmt: skip
        layout.addWidget(self.editor)
        self.error = error_label("noteError")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.share = QCheckBox("Share with the team")
        self.share.setObjectName("noteShareCheck")
        self.share.setAccessibleName("Share the new note with the team")
        self.share.setToolTip("Unticked, only you can read the note.")
        self.add_button = self._button("noteAddButton", "Add note", "Add note", self.add_note)
        self.edit_button = self._button("noteEditButton", "Edit…", "Edit note", self.edit_selected)
        self.delete_button = self._button(
            "noteDeleteButton", "Delete", "Delete note", self.delete_selected
        )
        for widget in (self.share, self.add_button, self.edit_button, self.delete_button):
            row.addWidget(widget)
        row.insertStretch(1, 1)
        layout.addLayout(row)
        self.set_team_mode(False, "")
        self.setEnabled(context is not None)

    def _button(self, name: str, text: str, accessible: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.clicked.connect(lambda _c=False: slot())  # type: ignore[operator]
        return button

    def set_team_mode(self, team: bool, me: str) -> None:
        self.team, self.me = team, me
        self.share.setVisible(team)

    def set_notes(self, contact_id: int, notes: tuple[NoteRecord, ...]) -> None:
        if contact_id != self.contact_id:
            self.editor.clear()
            show_error(self.error, "")
            self.share.setChecked(False)  # private by default, for every contact
        self.contact_id = contact_id
        current = self.selected()
        self.list.clear()
        for note in notes:
            item = QListWidgetItem(f"{note.text}\n{self._caption(note)}")
            item.setData(NoteRole, note)
            item.setToolTip(self._caption(note))
            self.list.addItem(item)
            if current is not None and note.id == current.id:
                self.list.setCurrentItem(item)
        if not notes:
            placeholder = QListWidgetItem("No notes yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        self._update_buttons()

    def _caption(self, note: NoteRecord) -> str:
        day = note.created_at.astimezone().date() if note.created_at else None
        parts = [date_text(day, long=True)] if day else []
        if self.team:
            parts.append(author_text(note.created_by, self.me))
            parts.append("private" if note.visibility == PRIVATE else "shared with the team")
        return " · ".join(p for p in parts if p)

    def selected(self) -> NoteRecord | None:
        item = self.list.currentItem()
        note = item.data(NoteRole) if item is not None else None
        return note if isinstance(note, NoteRecord) else None

    def _own(self, note: NoteRecord | None) -> bool:
        return note is not None and (not self.me or note.created_by in ("", self.me))

    def _update_buttons(self) -> None:
        own = self._own(self.selected())
        self.edit_button.setEnabled(own)
        self.delete_button.setEnabled(own)

    def _run(self, command: Command) -> bool:
        """One undo step; a refusal is said below the box and changes nothing."""
        if self.context is None:
            return False
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError, StorageError) as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        return True

    def add_note(self) -> None:
        text = self.editor.toPlainText()
        if self.contact_id is None or self.context is None:
            return
        if not text.strip():
            show_error(self.error, "Write something in the note first.")
            return
        visibility = SHARED if self.team and self.share.isChecked() else PRIVATE
        command = AddNote(self.context.bus, self.service, self.contact_id, text, visibility)
        if self._run(command):
            self.editor.clear()  # kept when the save failed: nothing typed is lost

    def edit_selected(self) -> None:
        note = self.selected()
        if note is None or not self._own(note) or self.context is None:
            return
        dialog = NoteDialog(note, self.team, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            text, visibility = dialog.values()
            if (text.strip(), visibility) == (note.text, note.visibility):
                break
            if self._run(EditNote(self.context.bus, self.service, note, text, visibility)):
                break
            # Refused (empty, or the database said no): the dialog opens again as typed.
        dialog.deleteLater()

    def delete_selected(self) -> None:
        note = self.selected()
        if note is not None and self._own(note) and self.context is not None:
            self._run(DeleteNote(self.context.bus, self.service, note))
