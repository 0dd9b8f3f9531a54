"""Undo commands for a contact's notes: add, edit, delete (one undo step each)."""

from __future__ import annotations

from planner.core.changes import Changes
from planner.core.notes import NoteService
from planner.core.records import NoteRecord
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


class AddNote(Command):
    """A new note; undo deletes it, redo brings the same note (same id) back."""

    def __init__(
        self, bus: Bus, service: NoteService, contact_id: int, text: str, visibility: str
    ) -> None:
        super().__init__(bus, "Add note")
        self.service = service
        self.values = (contact_id, text, visibility)
        self.record: NoteRecord | None = None

    def apply(self) -> Changes:
        if self.record is not None:  # redo: the same note again
            self.record, changes = self.service.restore(self.record)
            return changes
        self.record, changes = self.service.add(*self.values)
        return changes

    def revert(self) -> Changes:
        assert self.record is not None
        _, changes = self.service.delete(self.record.id)
        return changes


class EditNote(Command):
    """Change a note's text or who may read it; undo puts `before` back."""

    def __init__(
        self, bus: Bus, service: NoteService, before: NoteRecord, text: str, visibility: str
    ) -> None:
        super().__init__(bus, "Edit note")
        self.service = service
        self.before = before
        self.values = (text, visibility)
        self.record: NoteRecord | None = None

    def apply(self) -> Changes:
        self.record, changes = self.service.update(self.before.id, *self.values)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.update(self.before.id, self.before.text, self.before.visibility)
        return changes


class DeleteNote(Command):
    """Remove a note; undo puts it back with its id, author and date."""

    def __init__(self, bus: Bus, service: NoteService, record: NoteRecord) -> None:
        super().__init__(bus, "Delete note")
        self.service = service
        self.record = record

    def apply(self) -> Changes:
        self.record, changes = self.service.delete(self.record.id)
        return changes

    def revert(self) -> Changes:
        self.record, changes = self.service.restore(self.record)
        return changes
