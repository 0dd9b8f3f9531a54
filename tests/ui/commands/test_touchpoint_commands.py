"""Touchpoint commands, each run alone by calling redo()/undo() (no widgets)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError, ValidationError
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.touchpoints import DeleteTouchpoints, EditTouchpoint, LogTouchpoints


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


@pytest.fixture
def emitted(bus: Bus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


def _people(db: Database) -> tuple[int, int]:
    contacts = ContactService(db)
    return contacts.create({"name": "Ana"})[0].id, contacts.create({"name": "Ben"})[0].id


def test_log_touchpoints_redo_undo_redo(db: Database, bus: Bus, emitted: list[Changes]) -> None:
    a, b = _people(db)
    service = TouchpointService(db)
    today = date.today()
    command = LogTouchpoints(bus, service, [a, b], today, "call", "met", "hello")
    command.redo()
    first = [t.id for t in service.timeline(a) + service.timeline(b)]
    assert len(first) == 2
    assert emitted[-1] == Changes.of(contacts=[a, b], touchpoints=first)
    command.undo()
    assert service.timeline(a) == [] and service.timeline(b) == []
    assert ContactService(db).get(a).last_touch_on is None
    assert emitted[-1].contacts == {a, b}
    command.redo()
    assert [t.id for t in service.timeline(a) + service.timeline(b)] == first  # same ids
    assert ContactService(db).get(b).last_touch_on == today
    assert command.text() == "Log touchpoint with 2 contacts"


def test_log_touchpoints_for_a_missing_contact_writes_nothing(db: Database, bus: Bus) -> None:
    a, _ = _people(db)
    service = TouchpointService(db)
    stack = QUndoStack()
    command = LogTouchpoints(bus, service, [a, 987654], date.today(), "call", "met")
    with pytest.raises(NotFoundError):
        execute(stack, command)
    assert service.timeline(a) == []
    assert stack.count() == 0


def test_execute_pushes_once_without_redoing(db: Database, bus: Bus, emitted: list[Changes]):
    a, _ = _people(db)
    service = TouchpointService(db)
    stack = QUndoStack()
    execute(stack, LogTouchpoints(bus, service, [a], date.today(), "email", "asked", who="Ana"))
    assert stack.count() == 1
    assert stack.undoText() == "Log touchpoint with Ana"
    assert len(service.timeline(a)) == 1  # not logged twice by push()'s redo
    assert len(emitted) == 1
    stack.undo()
    assert service.timeline(a) == []
    stack.redo()
    assert len(service.timeline(a)) == 1


def test_a_validation_error_raises_where_the_user_acted(db: Database, bus: Bus) -> None:
    a, _ = _people(db)
    stack = QUndoStack()
    future = date.today() + timedelta(days=30)
    with pytest.raises(ValidationError):
        execute(stack, LogTouchpoints(bus, TouchpointService(db), [a], future, "call", "met"))
    assert stack.count() == 0


def test_edit_touchpoint_redo_undo(db: Database, bus: Bus, emitted: list[Changes]) -> None:
    a, _ = _people(db)
    service = TouchpointService(db)
    record, _ = service.log(a, date.today(), "call", "met", "old")
    command = EditTouchpoint(bus, service, record, {"note": "new", "kind": "gave_value"})
    command.redo()
    assert service.get(record.id).note == "new"
    assert emitted[-1] == Changes.of(contacts=[a], touchpoints=[record.id])
    command.undo()
    assert service.get(record.id).note == "old"
    assert service.get(record.id).kind == "met"


def test_delete_touchpoints_redo_undo(db: Database, bus: Bus, emitted: list[Changes]) -> None:
    a, _ = _people(db)
    service = TouchpointService(db)
    record, _ = service.log(a, date.today(), "call", "met")
    command = DeleteTouchpoints(bus, service, [record.id])
    command.redo()
    assert service.timeline(a) == []
    command.undo()
    assert service.timeline(a) == [record]
    assert emitted[-1].touchpoints == {record.id}


def test_undo_after_the_row_went_elsewhere_reports_instead_of_raising(
    db: Database, bus: Bus, emitted: list[Changes]
) -> None:
    a, _ = _people(db)
    service = TouchpointService(db)
    failures: list[str] = []
    bus.command_failed.connect(failures.append)
    record, _ = service.log(a, date.today(), "call", "met")
    command = DeleteTouchpoints(bus, service, [record.id])
    command.redo()
    ContactService(db).delete(a)
    command.undo()
    assert failures and "Could not undo" in failures[0]
