"""Contact and referral commands, each run alone by calling redo()/undo()."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError
from planner.core.referrals import ReferralService
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands import execute_in_background
from planner.ui.commands.contacts import (
    CreateContact,
    DeleteContacts,
    EditContactFields,
    SetContactField,
    TagContacts,
)
from planner.ui.commands.referrals import AddReferral, DeleteReferral


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


def test_edit_contact_fields(db: Database, bus: Bus) -> None:
    service = ContactService(db)
    cid = service.create({"name": "Ana", "role": "Analyst"})[0].id
    command = EditContactFields(bus, service, cid, {"role": "CTO"})
    command.redo()
    assert service.get(cid).role == "CTO"
    assert command.text() == "Edit role of Ana"
    command.undo()
    assert service.get(cid).role == "Analyst"
    command.redo()
    assert service.get(cid).role == "CTO"


def test_create_and_delete_contacts(db: Database, bus: Bus) -> None:
    service = ContactService(db)
    create = CreateContact(bus, service, {"name": "Ben"})
    create.redo()
    assert create.record is not None
    cid = create.record.id
    create.undo()
    with pytest.raises(NotFoundError):
        service.get(cid)
    create.redo()
    assert service.get(cid).name == "Ben"  # same id back
    touch, _ = TouchpointService(db).log(cid, date.today(), "email", "caught_up")
    delete = DeleteContacts(bus, service, [cid])
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    delete.redo()
    # The Changes name exactly what went with the contact, no kind as a whole.
    assert seen[-1].contacts == {cid} and seen[-1].touchpoints == {touch.id}
    assert not seen[-1].whole
    delete.undo()
    assert service.get(cid).name == "Ben"
    assert seen[-1].touchpoints == {touch.id}
    assert TouchpointService(db).timeline(cid) == [touch]


def test_tag_contacts_runs_off_the_gui_thread(qtbot, db: Database, bus: Bus) -> None:
    service = ContactService(db)
    ids = [service.create({"name": f"P{i}"})[0].id for i in range(3)]
    stack = QUndoStack()
    command = TagContacts(bus, service, ids, "vip")
    with qtbot.waitSignal(bus.changed) as blocker:
        execute_in_background(stack, command)
    assert command.running is False
    assert blocker.args[0] == Changes.of(contacts=ids)
    assert stack.count() == 1
    assert all("vip" in service.get(i).tags for i in ids)
    with qtbot.waitSignal(bus.changed):
        stack.undo()
    assert not any("vip" in service.get(i).tags for i in ids)


def test_set_contact_field_restores_each_old_value(db: Database, bus: Bus) -> None:
    service = ContactService(db)
    a = service.create({"name": "A", "relationship": "mentor"})[0].id
    b = service.create({"name": "B", "relationship": "peer"})[0].id
    command = SetContactField(bus, service, [a, b], "relationship", "client", "Set client")
    command.redo()
    assert {service.get(a).relationship, service.get(b).relationship} == {"client"}
    command.undo()
    assert (service.get(a).relationship, service.get(b).relationship) == ("mentor", "peer")


def test_referral_commands(db: Database, bus: Bus) -> None:
    contacts = ContactService(db)
    a = contacts.create({"name": "A"})[0].id
    b = contacts.create({"name": "B"})[0].id
    refs = ReferralService(db)
    values = {"direction": "i_asked", "occurred_on": date.today(), "other_contact_id": b}
    add = AddReferral(bus, refs, a, values)
    add.redo()
    assert [r.other_contact_id for r in refs.for_contact(a)] == [b]
    add.undo()
    assert refs.for_contact(a) == []
    add.redo()
    assert add.record is not None
    delete = DeleteReferral(bus, refs, add.record)
    delete.redo()
    assert refs.for_contact(a) == []
    delete.undo()
    assert len(refs.for_contact(a)) == 1
