"""Event plan commands, each run alone by calling redo()/undo() (no widgets)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.errors import ConflictError, NotFoundError
from planner.core.events import EventService
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.events import (
    AddChecklistItem,
    AddGoal,
    AddPersonToMeet,
    ChooseQuestions,
    CreateEvent,
    CreateEventFollowUps,
    DeleteEvent,
    EditAttendeeNote,
    EditChecklistItem,
    EditEvent,
    EditGoal,
    MarkMet,
    RemoveChecklistItem,
    RemoveGoal,
    RemovePersonToMeet,
    SetGoalProgress,
    UnmarkMet,
)

START = datetime(2026, 5, 4, 9, 0)


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


@pytest.fixture
def emitted(bus: Bus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


@pytest.fixture
def service(db: Database) -> EventService:
    return EventService(db)


def _event(service: EventService) -> int:
    return service.create("FinTech Forum", starts_local=START, starter_checklist=False)[0].id


def test_create_event_redo_undo_redo(
    service: EventService, bus: Bus, emitted: list[Changes]
) -> None:
    command = CreateEvent(bus, service, "New event", starts_local=START)
    command.redo()
    assert command.record is not None
    event_id = command.record.id
    assert emitted[-1].events == {event_id}
    assert [c.text for c in service.detail(event_id).checklist]  # the starter checklist
    command.undo()
    with pytest.raises(NotFoundError):
        service.get(event_id)
    command.redo()
    assert service.get(event_id).name == "New event"  # same id again
    assert len(service.detail(event_id).checklist) > 0


def test_delete_event_takes_its_met_touchpoints_and_undo_puts_them_back(
    db: Database, service: EventService, bus: Bus, emitted: list[Changes]
) -> None:
    event_id = _event(service)
    result, _ = service.mark_met(event_id, quick_add="Ana Ruiz, Globex")
    command = DeleteEvent(bus, service, service.get(event_id))
    command.redo()
    assert emitted[-1].events == {event_id}
    assert result.contact_id in emitted[-1].contacts
    command.undo()
    assert [a.contact_name for a in service.detail(event_id).attendees] == ["Ana Ruiz"]
    assert ContactService(db).get(result.contact_id).last_touch_on == START.date()


def test_edit_event_redo_undo_and_a_stale_copy(service: EventService, bus: Bus) -> None:
    event_id = _event(service)
    seen = service.get(event_id)
    command = EditEvent(bus, service, seen, {"name": "Renamed", "venue": "FIL"}, "Rename event")
    command.redo()
    assert (service.get(event_id).name, service.get(event_id).venue) == ("Renamed", "FIL")
    command.undo()
    assert (service.get(event_id).name, service.get(event_id).venue) == ("FinTech Forum", "")
    command.redo()
    assert service.get(event_id).name == "Renamed"
    stale = EditEvent(bus, service, seen, {"venue": "Elsewhere"}, "Change venue")
    stack = QUndoStack()
    with pytest.raises(ConflictError) as caught:
        execute(stack, stale)
    assert caught.value.current.name == "Renamed"
    assert service.get(event_id).venue == "FIL" and stack.count() == 0


def test_goal_commands(service: EventService, bus: Bus, emitted: list[Changes]) -> None:
    event_id = _event(service)
    add = AddGoal(bus, service, event_id, "custom", {"description": "Collect cards", "target": 5})
    add.redo()
    (goal,) = service.goals(event_id)
    assert emitted[-1].events == {event_id}
    progress = SetGoalProgress(bus, service, event_id, goal.id, 3)
    progress.redo()
    assert service.goals(event_id)[0].progress == 3
    edit = EditGoal(bus, service, event_id, goal.id, {"kind": "custom", "target": 10})
    edit.redo()
    assert service.goals(event_id)[0].target == 10
    edit.undo()
    progress.undo()
    assert (service.goals(event_id)[0].target, service.goals(event_id)[0].progress) == (5, 0)
    remove = RemoveGoal(bus, service, event_id, goal.id)
    remove.redo()
    assert service.goals(event_id) == ()
    remove.undo()
    assert [g.description for g in service.goals(event_id)] == ["Collect cards"]
    add.undo()
    assert service.goals(event_id) == ()


def test_people_questions_and_checklist_commands(
    db: Database, service: EventService, bus: Bus
) -> None:
    event_id = _event(service)
    cid = ContactService(db).create({"name": "Zoë"})[0].id
    person = AddPersonToMeet(bus, service, event_id, cid, "Ask about mentoring")
    person.redo()
    (row,) = service.detail(event_id).people
    remove = RemovePersonToMeet(bus, service, event_id, row.id)
    remove.redo()
    assert service.detail(event_id).people == ()
    remove.undo()
    assert [p.reason for p in service.detail(event_id).people] == ["Ask about mentoring"]
    add = AddChecklistItem(bus, service, event_id, "Charge the phone")
    add.redo()
    (item,) = service.detail(event_id).checklist
    tick = EditChecklistItem(bus, service, event_id, item.id, "Tick", None, True)
    tick.redo()
    assert service.detail(event_id).checklist[0].done
    tick.undo()
    assert not service.detail(event_id).checklist[0].done
    gone = RemoveChecklistItem(bus, service, event_id, item.id)
    gone.redo()
    assert service.detail(event_id).checklist == ()
    gone.undo()
    questions = ChooseQuestions(bus, service, event_id, [])
    questions.redo()
    assert service.detail(event_id).questions == ()
    assert [c.text for c in service.detail(event_id).checklist] == ["Charge the phone"]


def test_mark_met_unmark_note_and_follow_ups(
    db: Database, service: EventService, bus: Bus, emitted: list[Changes]
) -> None:
    event_id = _event(service)
    met = MarkMet(bus, service, event_id, quick_add="Ana Ruiz, Globex", note="Fraud ML")
    met.redo()
    assert met.result is not None and met.result.contact_created
    contact_id = met.result.contact_id
    assert contact_id in emitted[-1].contacts and emitted[-1].touchpoints
    note = EditAttendeeNote(bus, service, met.result.attendee_id, "Fraud ML", "Payments")
    note.redo()
    assert service.detail(event_id).attendees[0].note == "Payments"
    note.undo()
    assert service.detail(event_id).attendees[0].note == "Fraud ML"
    follow = CreateEventFollowUps(bus, service, event_id, 3)
    stack = QUndoStack()
    execute(stack, follow)
    assert len(follow.made) == 1 and follow.text() == "Create 1 follow-up"
    again = CreateEventFollowUps(bus, service, event_id, 3)
    execute(stack, again)
    assert stack.count() == 1  # nobody left without one: no empty undo step
    stack.undo()
    assert service.create_followups(event_id, 3)[0] != []  # it was removed, so it is made again
    unmark = UnmarkMet(bus, service, met.result.attendee_id, "Ana Ruiz")
    unmark.redo()
    assert service.detail(event_id).attendees == ()
    unmark.undo()
    assert [a.contact_name for a in service.detail(event_id).attendees] == ["Ana Ruiz"]
    met.undo()
    with pytest.raises(NotFoundError):
        ContactService(db).get(contact_id)  # the quick-added contact went too
    met.redo()
    assert ContactService(db).get(contact_id).name == "Ana Ruiz"  # same id again
