"""Organisation commands, each run alone by calling redo()/undo() (no widgets)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact
from planner.core.contacts import ContactService
from planner.core.errors import ConflictError, NotFoundError
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisations import OrganisationService
from planner.db import models as m
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.organisations import (
    AddMembers,
    CreateOrganisation,
    DeleteOrganisation,
    EditOrganisation,
    JoinOrganisation,
    LinkTypedOrganisations,
    RemoveMember,
    SetEventHosts,
    SetHowMetOrganisation,
    SetMainOrganisation,
    SetMemberRole,
    SetTouchpointOrganisations,
)


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


@pytest.fixture
def emitted(bus: Bus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


def _open_reminders(db: Database, organisation_id: int) -> list[m.FollowUp]:
    with db.session() as s:
        return list(
            s.query(m.FollowUp).filter_by(organisation_id=organisation_id, status="open").all()
        )


def test_create_organisation_redo_undo_redo_keeps_the_id(
    db: Database, bus: Bus, emitted: list[Changes]
) -> None:
    service = OrganisationService(db)
    command = CreateOrganisation(bus, service, "ACM", renewal_on=date(2030, 3, 1))
    command.redo()
    assert command.record is not None
    org_id = command.record.id
    assert emitted[-1].organisations == {org_id}
    assert emitted[-1].follow_ups  # the renewal reminder came in the same transaction
    assert len(_open_reminders(db, org_id)) == 1
    command.undo()
    assert OrganisationQueries(db).choices() == []
    assert _open_reminders(db, org_id) == []
    command.redo()
    assert service.get(org_id).name == "ACM"
    assert len(_open_reminders(db, org_id)) == 1
    assert command.text() == "Add ACM"


def test_edit_organisation_moves_the_reminder_and_undo_puts_it_back(
    db: Database, bus: Bus, emitted: list[Changes]
) -> None:
    service = OrganisationService(db)
    record, _ = service.create("IEEE", renewal_on=date(2030, 1, 31))
    command = EditOrganisation(bus, service, record, {"renewal_on": date(2030, 6, 30)})
    command.redo()
    assert [f.due_date for f in _open_reminders(db, record.id)] == [date(2030, 6, 16)]
    assert emitted[-1].touches("follow_ups") and emitted[-1].organisations == {record.id}
    command.undo()
    assert service.get(record.id).renewal_on == date(2030, 1, 31)
    assert [f.due_date for f in _open_reminders(db, record.id)] == [date(2030, 1, 17)]
    command.redo()
    assert service.get(record.id).renewal_on == date(2030, 6, 30)
    assert command.text() == "Edit renewal date of IEEE"


def test_edit_organisation_from_a_stale_copy_raises_and_writes_nothing(
    db: Database, bus: Bus
) -> None:
    service = OrganisationService(db)
    seen, _ = service.create("ACM")
    service.update(seen.id, notes="Priya's note")  # a teammate's save
    stack = QUndoStack()
    with pytest.raises(ConflictError) as caught:
        execute(stack, EditOrganisation(bus, service, seen, {"notes": "mine"}))
    assert caught.value.current.notes == "Priya's note"
    assert service.get(seen.id).notes == "Priya's note"
    assert stack.count() == 0


def test_delete_organisation_and_undo_restore_its_links(db: Database, bus: Bus) -> None:
    service = OrganisationService(db)
    links = OrganisationLinkService(db)
    record, _ = service.create("ACM")
    cid = ContactService(db).create({"name": "Ana"})[0].id
    links.link_contact(record.id, cid, role="Chair")
    command = DeleteOrganisation(bus, service, record)
    command.redo()
    with pytest.raises(NotFoundError):
        service.get(record.id)
    command.undo()
    assert [(x.contact_id, x.role) for x in OrganisationQueries(db).members(record.id)] == [
        (cid, "Chair")
    ]


def test_member_commands_redo_undo(db: Database, bus: Bus, emitted: list[Changes]) -> None:
    service = OrganisationService(db)
    links = OrganisationLinkService(db)
    queries = OrganisationQueries(db)
    acm, _ = service.create("ACM")
    a = ContactService(db).create({"name": "Ana"})[0].id
    b = ContactService(db).create({"name": "Bo"})[0].id
    add = AddMembers(bus, links, acm, [a, b])
    add.redo()
    assert {x.contact_id for x in queries.members(acm.id)} == {a, b}
    assert emitted[-1].contacts == {a, b} and acm.id in emitted[-1].organisations
    role = SetMemberRole(bus, links, acm.id, a, "Chair")
    role.redo()
    assert {x.contact_id: x.role for x in queries.members(acm.id)}[a] == "Chair"
    role.undo()
    assert {x.contact_id: x.role for x in queries.members(acm.id)}[a] == ""
    remove = RemoveMember(bus, links, acm.id, b)
    remove.redo()
    assert [x.contact_id for x in queries.members(acm.id)] == [a]
    remove.undo()
    add.undo()
    assert queries.members(acm.id) == []
    assert ContactService(db).get(a).organisation == ""


def test_contact_side_commands(db: Database, bus: Bus) -> None:
    service = OrganisationService(db)
    links = OrganisationLinkService(db)
    queries = OrganisationQueries(db)
    acm, _ = service.create("ACM")
    cid = ContactService(db).create({"name": "Ana"})[0].id
    join = JoinOrganisation(bus, service, links, cid, None, "Rust Lisbon")
    join.redo()
    rust = queries.find_by_name("Rust Lisbon")
    assert rust is not None and [r.name for r in queries.memberships(cid)] == ["Rust Lisbon"]
    main = SetMainOrganisation(bus, links, cid, acm.id)
    main.redo()
    assert queries.memberships(cid)[0].name == "ACM"
    met = SetHowMetOrganisation(bus, links, cid, acm.id)
    met.redo()
    assert links.contact_state(cid).how_met_organisation_id == acm.id
    met.undo()
    main.undo()
    join.undo()
    assert queries.memberships(cid) == []
    assert queries.find_by_name("Rust Lisbon") is None  # the organisation it made went too
    join.redo()
    assert queries.find_by_name("Rust Lisbon") is not None


def test_event_and_touchpoint_links_move_the_nudge(db: Database, bus: Bus) -> None:
    service = OrganisationService(db)
    links = OrganisationLinkService(db)
    org, _ = service.create("Meetup", joined_on=date(2026, 1, 1), activity_every_days=30)
    with db.session() as s:
        event = m.EventPlan(name="Night", status="attended")
        s.add(event)
        s.flush()
        event_id = event.id
        contact = m.Contact(name="Ana", search_text="ana")
        s.add(contact)
        s.flush()
        touch = m.Touchpoint(
            contact_id=contact.id, occurred_on=date(2026, 3, 1), channel="call", kind="met"
        )
        s.add(touch)
        s.flush()
        touch_id = touch.id
    hosts = SetEventHosts(bus, links, [event_id], org.id, "Link 1 event(s) to Meetup")
    hosts.redo()
    assert [e.id for e in OrganisationQueries(db).events(org.id)] == [event_id]
    hosts.undo()
    assert OrganisationQueries(db).events(org.id) == []
    there = SetTouchpointOrganisations(bus, links, [touch_id], org.id, "Link")
    there.redo()
    assert [f.due_date for f in _open_reminders(db, org.id)] == [date(2026, 3, 31)]
    there.undo()
    assert [f.due_date for f in _open_reminders(db, org.id)] == [date(2026, 1, 31)]


def test_link_typed_names_and_nothing_to_link_leaves_no_step(db: Database, bus: Bus) -> None:
    links = OrganisationLinkService(db)
    stack = QUndoStack()
    execute(stack, LinkTypedOrganisations(bus, links))
    assert stack.count() == 0  # nothing typed: no undo step
    with db.session() as s:
        new_contact(s, "Ana", organisation="Globex", link_organisation=False)
    command = LinkTypedOrganisations(bus, links)
    execute(stack, command)
    assert stack.count() == 1 and command.made.count == 1
    stack.undo()
    assert OrganisationQueries(db).find_by_name("Globex") is None
