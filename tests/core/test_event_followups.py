"""Follow-ups after an event (core.event_followups): one per person met, none twice, and
taken back exactly; on a real database file."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from planner.core.contact_rows import new_contact
from planner.core.errors import ValidationError
from planner.core.event_followups import EventFollowUps
from planner.db import models as m
from planner.db.database import Database


def test_one_followup_per_person_met(db: Database) -> None:
    with db.session() as s:
        event = m.EventPlan(name="Forum", ends_local=datetime(2026, 5, 13, 18, 0))
        ana = new_contact(s, "Ana Ruiz")
        bo = new_contact(s, "Bo Lind")
        s.add(event)
        s.flush()
        s.add(m.EventAttendee(event_id=event.id, contact_id=ana.id, note="CTO"))
        s.add(m.EventAttendee(event_id=event.id, contact_id=bo.id))
        event_id, ana_id = event.id, ana.id
    service = EventFollowUps(db)
    with pytest.raises(ValidationError):
        service.create_followups(event_id, -1)
    made, changes = service.create_followups(event_id, 3)
    assert [f.due_date for f in made] == [date(2026, 5, 16)] * 2
    assert made[0].notes == "Met at Forum: CTO" and made[0].contact_id == ana_id
    assert set(changes.follow_ups) == {f.id for f in made}
    assert service.create_followups(event_id, 3)[0] == []
    taken, _ = service.remove_followups([f.id for f in made])
    with db.session() as s:
        assert s.scalars(select(m.FollowUp.id)).all() == []
    service.restore(taken)
    with db.session() as s:
        assert sorted(s.scalars(select(m.FollowUp.id))) == sorted(f.id for f in made)
