"""Follow-up commands, each run alone by calling redo()/undo() (no widgets)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact
from planner.core.errors import ConflictError, ValidationError
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.followups import (
    AddFollowUp,
    CancelFollowUp,
    CompleteFollowUp,
    EditFollowUp,
    RescheduleFollowUp,
    ScheduleKeepInTouch,
    SnoozeFollowUp,
)

TODAY = date(2026, 3, 10)


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


@pytest.fixture
def emitted(bus: Bus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


@pytest.fixture
def service(db: Database) -> FollowUpService:
    return FollowUpService(db)


def _contact(db: Database, name: str = "Ana", cadence: int | None = 30) -> int:
    with db.session() as s:
        return new_contact(s, name, cadence_days=cadence).id


def test_add_follow_up_redo_undo_redo_keeps_the_row(
    db: Database, bus: Bus, emitted: list[Changes], service: FollowUpService
) -> None:
    cid = _contact(db)
    command = AddFollowUp(bus, service, FollowUpDraft(cid, TODAY, purpose="send slides"))
    command.redo()
    assert command.record is not None
    first = command.record
    assert emitted[-1] == Changes.of(follow_ups=[first.id], contacts=[cid])
    command.undo()
    assert service.list_range(TODAY, TODAY) == []
    assert first.id in emitted[-1].follow_ups
    command.redo()
    [item] = service.list_range(TODAY, TODAY)
    assert (item.id, item.followup.uuid) == (first.id, first.uuid)  # same id, same UID
    assert command.text() == "New follow-up"


def test_edit_follow_up_undo_puts_the_old_values_back(
    db: Database, bus: Bus, emitted: list[Changes], service: FollowUpService
) -> None:
    cid = _contact(db)
    before, _ = service.create(FollowUpDraft(cid, TODAY, purpose="old"))
    draft = FollowUpDraft(cid, TODAY + timedelta(days=2), time(9, 30), "UTC", "call", "new")
    command = EditFollowUp(bus, service, before, draft)
    command.redo()
    after = service.get(before.id)
    assert (after.purpose, after.due_time, after.channel) == ("new", time(9, 30), "call")
    assert emitted[-1].follow_ups == {before.id}
    command.undo()
    back = service.get(before.id)
    assert (back.purpose, back.due_date, back.due_time) == ("old", TODAY, None)
    command.redo()  # over our own undo: no conflict with ourselves
    assert service.get(before.id).purpose == "new"


def test_edit_of_a_stale_copy_raises_conflict_and_pushes_nothing(
    db: Database, bus: Bus, service: FollowUpService
) -> None:
    cid = _contact(db)
    seen, _ = service.create(FollowUpDraft(cid, TODAY, purpose="old"))
    service.update(seen.id, FollowUpDraft(cid, TODAY, purpose="theirs"))  # a teammate
    stack = QUndoStack()
    command = EditFollowUp(bus, service, seen, FollowUpDraft(cid, TODAY, purpose="mine"))
    with pytest.raises(ConflictError) as err:
        execute(stack, command)
    assert err.value.current.purpose == "theirs"
    assert stack.count() == 0
    assert service.get(seen.id).purpose == "theirs"


def test_reschedule_snooze_and_cancel_restore_on_undo(
    db: Database, bus: Bus, emitted: list[Changes], service: FollowUpService
) -> None:
    cid = _contact(db)
    a, _ = service.create(FollowUpDraft(cid, TODAY, time(15), "UTC", purpose="a"))
    b, _ = service.create(FollowUpDraft(cid, TODAY, purpose="b"))
    target = TODAY + timedelta(days=7)

    move = RescheduleFollowUp(bus, service, [a, b], target)
    move.redo()
    assert {service.get(i).due_date for i in (a.id, b.id)} == {target}
    assert service.get(a.id).due_time == time(15)
    assert emitted[-1].follow_ups == {a.id, b.id}
    move.undo()
    assert {service.get(i).due_date for i in (a.id, b.id)} == {TODAY}
    assert move.text() == "Reschedule 2 follow-ups"

    snooze = SnoozeFollowUp(bus, service, [a], "tomorrow", "tomorrow", TODAY, 1)
    snooze.redo()
    assert service.get(a.id).due_date == TODAY + timedelta(days=1)
    snooze.undo()
    assert service.get(a.id).due_date == TODAY

    cancel = CancelFollowUp(bus, service, [b])
    cancel.redo()
    assert service.get(b.id).status == "cancelled"
    cancel.undo()
    assert service.get(b.id).status == "open"


def test_reschedule_is_one_transaction(db: Database, bus: Bus, service: FollowUpService) -> None:
    """One closed follow-up in the selection: none of them moves, nothing is pushed."""
    cid = _contact(db)
    a, _ = service.create(FollowUpDraft(cid, TODAY, purpose="a"))
    b, _ = service.create(FollowUpDraft(cid, TODAY, purpose="b"))
    service.cancel(b.id)
    stack = QUndoStack()
    with pytest.raises(ValidationError):
        execute(stack, RescheduleFollowUp(bus, service, [a, service.get(b.id)], TODAY))
    with pytest.raises(ValidationError):
        execute(stack, RescheduleFollowUp(bus, service, [a, b], TODAY + timedelta(days=3)))
    assert service.get(a.id).due_date == TODAY and stack.count() == 0


def test_complete_logs_schedules_next_and_undo_takes_exactly_that_back(
    db: Database, bus: Bus, emitted: list[Changes], service: FollowUpService
) -> None:
    cid = _contact(db, cadence=14)
    fu, _ = service.create(FollowUpDraft(cid, TODAY, channel="call", purpose="catch up"))
    command = CompleteFollowUp(bus, service, [fu.id], TODAY, "caught_up", None, None)
    command.redo()
    [done] = command.completions
    assert done.touchpoint_id is not None and done.next_followup is not None
    assert done.next_followup.due_date == TODAY + timedelta(days=14)
    changes = emitted[-1]
    assert changes.touchpoints == {done.touchpoint_id}
    assert changes.follow_ups == {fu.id, done.next_followup.id}
    assert cid in changes.contacts
    command.undo()
    assert service.get(fu.id).status == "open"
    assert TouchpointService(db).timeline(cid) == []
    assert [i.id for i in service.list_range(TODAY, TODAY + timedelta(days=30))] == [fu.id]
    command.redo()
    assert service.get(fu.id).status == "done"
    assert command.text() == "Complete follow-up"


def test_schedule_keep_in_touch_for_several_contacts(
    db: Database, bus: Bus, emitted: list[Changes], service: FollowUpService
) -> None:
    a, b = _contact(db, "Ana"), _contact(db, "Ben")
    command = ScheduleKeepInTouch(bus, service, [a, b], TODAY)
    command.redo()
    ids = {r.id for r in command.records}
    assert len(ids) == 2 and emitted[-1].follow_ups == ids
    assert {i.followup.origin for i in service.list_range(TODAY, TODAY)} == {"cadence"}
    command.undo()
    assert service.list_range(TODAY, TODAY) == []
    command.redo()
    assert {i.id for i in service.list_range(TODAY, TODAY)} == ids
    assert command.text() == "Schedule keep-in-touch for 2 contacts"
