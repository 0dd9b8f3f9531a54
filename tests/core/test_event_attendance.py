"""Who was met at an event (core.event_attendance): a known contact or a quick-added one, the
"met" touchpoint, the note on both, and taking it back; on a real database file."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from planner.core.contact_rows import new_contact
from planner.core.errors import ValidationError
from planner.core.event_attendance import EventAttendance
from planner.db import models as m
from planner.db.database import Database

TODAY = date(2026, 5, 20)


def _event(db: Database) -> int:
    with db.session() as s:
        event = m.EventPlan(name="Forum", starts_local=datetime(2026, 5, 12, 9, 0))
        s.add(event)
        s.flush()
        return event.id


def test_mark_met_known_and_quick_added(db: Database) -> None:
    event_id = _event(db)
    with db.session() as s:
        ana_id = new_contact(s, "Ana Ruiz").id
    service = EventAttendance(db, {"peer": 60})
    met, changes = service.mark_met(event_id, contact_id=ana_id, note=" CTO ", today=TODAY)
    assert (met.contact_created, met.is_new) == (False, True)
    assert ana_id in changes.contacts and met.touchpoint_id in changes.touchpoints
    with pytest.raises(ValidationError):
        service.mark_met(event_id, contact_id=ana_id, today=TODAY)
    quick, _ = service.mark_met(
        event_id, quick_add="Mei Tan, Hooli", relationship="peer", industry="AI", today=TODAY
    )
    assert quick.contact_created and quick.is_new
    with db.session() as s:
        mei = s.get(m.Contact, quick.contact_id)
        assert mei is not None
        assert (mei.organisation, mei.industry, mei.cadence_days) == ("Hooli", "AI", 60)
        assert (mei.how_met_kind, mei.how_met_event_id) == ("event", event_id)
        touch = s.get(m.Touchpoint, met.touchpoint_id)
        assert touch is not None
        assert (touch.occurred_on, touch.kind, touch.note) == (date(2026, 5, 12), "met", "CTO")
    service.update_attendee_note(met.attendee_id, "CTO, hiring")
    assert service.attendee_note(met.attendee_id) == "CTO, hiring"


def test_unmark_met_and_restore(db: Database) -> None:
    event_id = _event(db)
    service = EventAttendance(db)
    met, _ = service.mark_met(event_id, quick_add="Mei Tan", today=TODAY)
    taken, _ = service.unmark_met(met.attendee_id, delete_contact=True)
    with db.session() as s:
        assert s.scalars(select(m.Contact)).all() == []
    service.restore(taken)
    with db.session() as s:
        attendee = s.get(m.EventAttendee, met.attendee_id)
        assert attendee is not None and attendee.touchpoint_id == met.touchpoint_id
        contact = s.get(m.Contact, met.contact_id)
        assert contact is not None and contact.last_touch_on == date(2026, 5, 12)


def test_undoing_a_quick_add_and_redoing_it_keeps_the_address_given_since(db: Database) -> None:
    """A teammate (team database) may add an address to the quick-added contact before the
    "met" is undone: undo takes it out with the contact, redo puts it back."""
    event_id = _event(db)
    service = EventAttendance(db)
    met, _ = service.mark_met(event_id, quick_add="Mei Tan", today=TODAY)
    with db.session() as s:
        s.add(m.ContactAddress(contact_id=met.contact_id, street="1 Quay St", locality="Cork"))
    taken, _ = service.unmark_met(met.attendee_id, delete_contact=True)
    service.restore(taken)
    with db.session() as s:
        rows = s.scalars(select(m.ContactAddress)).all()
        assert [(a.contact_id, a.street, a.locality) for a in rows] == [
            (met.contact_id, "1 Quay St", "Cork")
        ]
