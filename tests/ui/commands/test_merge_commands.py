"""MergeContacts alone: redo folds each group into its first contact, undo gives every
contact back with its history; the Changes name the rows that moved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError
from planner.core.merge import MergeService
from planner.core.records import LabeledValue
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands.merge import MergeContacts


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


def _person(db: Database, name: str, email: str) -> int:
    record, _ = ContactService(db).create({"name": name, "emails": [LabeledValue("work", email)]})
    return record.id


def test_merge_two_groups_in_one_step_and_undo(qtbot: Any, db: Database, bus: Bus) -> None:
    contacts, touches = ContactService(db), TouchpointService(db)
    ana = _person(db, "Ana Ruiz", "ana@x.example")
    ana2 = _person(db, "Ana Ruiz", "ana.ruiz@x.example")
    ben = _person(db, "Ben Okafor", "ben@x.example")
    ben2 = _person(db, "Ben Okafor", "ben@y.example")
    touch, _ = touches.log(ana2, date(2026, 1, 5), "email", "caught_up")
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    command = MergeContacts(bus, MergeService(db), [[ana, ana2], [ben, ben2]])
    command.redo()
    assert command.running  # off the GUI thread
    qtbot.waitUntil(lambda: not command.running)
    assert seen[-1].contacts == {ana, ana2, ben, ben2}
    assert seen[-1].touchpoints == {touch.id}
    with pytest.raises(NotFoundError):
        contacts.get(ana2)
    assert [t.id for t in touches.timeline(ana)] == [touch.id]
    assert {e.value for e in contacts.get(ben).emails} == {"ben@x.example", "ben@y.example"}
    command.undo()
    qtbot.waitUntil(lambda: not command.running)
    assert contacts.get(ana2).name == "Ana Ruiz" and contacts.get(ben2).name == "Ben Okafor"
    assert [t.id for t in touches.timeline(ana2)] == [touch.id]
    assert touches.timeline(ana) == []
    assert seen[-1].touchpoints == {touch.id}
    command.redo()
    qtbot.waitUntil(lambda: not command.running)
    with pytest.raises(NotFoundError):
        contacts.get(ben2)


def test_a_group_that_cannot_merge_leaves_every_group_as_it_was(db: Database, bus: Bus) -> None:
    contacts = ContactService(db)
    ana = _person(db, "Ana Ruiz", "ana@x.example")
    ana2 = _person(db, "Ana Ruiz", "ana.ruiz@x.example")
    ben = _person(db, "Ben Okafor", "ben@x.example")
    command = MergeContacts(bus, MergeService(db), [[ana, ana2], [ben, 999_999]])
    with pytest.raises(NotFoundError):
        command.apply()
    assert contacts.get(ana2).name == "Ana Ruiz"  # the first group was taken back
    assert command.outcomes == []
