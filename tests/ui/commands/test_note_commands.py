"""Note commands, each run alone by calling redo()/undo() (no widgets)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.errors import ValidationError
from planner.core.notes import NoteService
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.notes import AddNote, DeleteNote, EditNote


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


@pytest.fixture
def emitted(bus: Bus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


def _texts(service: NoteService, contact_id: int) -> list[tuple[str, str]]:
    return [(n.text, n.visibility) for n in service.list_for(contact_id)]


def test_add_undo_redo_keeps_the_same_note(db: Database, bus: Bus, emitted: list[Changes]) -> None:
    db.user = "Priya"
    ana = ContactService(db).create({"name": "Ana"})[0].id
    service = NoteService(db)
    command = AddNote(bus, service, ana, "Likes sailing", "private")
    command.redo()
    assert command.record is not None
    first_id = command.record.id
    assert _texts(service, ana) == [("Likes sailing", "private")]
    command.undo()
    assert _texts(service, ana) == []
    command.redo()
    assert command.record.id == first_id and command.record.created_by == "Priya"
    assert all(ana in c.contacts for c in emitted) and len(emitted) == 3


def test_edit_and_delete_put_the_note_back_on_undo(db: Database, bus: Bus) -> None:
    ana = ContactService(db).create({"name": "Ana"})[0].id
    service = NoteService(db)
    note, _ = service.add(ana, "First draft")
    edit = EditNote(bus, service, note, "Second draft", "shared")
    edit.redo()
    assert _texts(service, ana) == [("Second draft", "shared")]
    edit.undo()
    assert _texts(service, ana) == [("First draft", "private")]
    delete = DeleteNote(bus, service, note)
    delete.redo()
    assert _texts(service, ana) == []
    delete.undo()
    assert [n.id for n in service.list_for(ana)] == [note.id]


def test_an_empty_note_is_refused_and_nothing_is_pushed(db: Database, bus: Bus) -> None:
    ana = ContactService(db).create({"name": "Ana"})[0].id
    stack = QUndoStack()
    with pytest.raises(ValidationError):
        execute(stack, AddNote(bus, NoteService(db), ana, "   ", "private"))
    assert stack.count() == 0
