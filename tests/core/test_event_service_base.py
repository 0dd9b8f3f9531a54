"""What the event services share (core.event_service_base): finding rows, the SEQUENCE bump,
and rows taken out put back with the same ids; on a real database file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.core.contact_rows import new_contact
from planner.core.errors import NotFoundError
from planner.core.event_records import Rows
from planner.core.event_service_base import EventServiceBase, columns_of, rows_changes
from planner.db import models as m
from planner.db.database import Database


def test_missing_event_or_item_is_not_found(db: Database) -> None:
    base = EventServiceBase(db)
    with db.session() as s:
        with pytest.raises(NotFoundError):
            base._event(s, 404)
        with pytest.raises(NotFoundError):
            base._child(s, m.EventGoal, 404)


def test_rows_taken_out_come_back_with_their_ids(db: Database) -> None:
    with db.session() as s:
        event = m.EventPlan(name="Forum")
        ana = new_contact(s, "Ana Ruiz")
        s.add(event)
        s.flush()
        touch = m.Touchpoint(
            contact_id=ana.id, occurred_on=ana.created_at.date(), channel="in_person", kind="met"
        )
        s.add(touch)
        s.flush()
        goal = m.EventGoal(event_id=event.id, kind="custom", description="Learn", position=0)
        s.add(goal)
        s.flush()
        taken = Rows(
            tables=(
                ("event_goals", (columns_of(goal),)),
                ("touchpoints", (columns_of(touch),)),
            ),
            event_id=event.id,
        )
        ids = (event.id, ana.id, goal.id, touch.id)
        s.delete(goal)
        s.delete(touch)
    changes = EventServiceBase(db).restore(taken)
    event_id, ana_id, goal_id, touch_id = ids
    assert changes == rows_changes(taken) | changes
    assert event_id in changes.events and ana_id in changes.contacts
    with db.session() as s:
        assert s.scalars(select(m.EventGoal.id)).all() == [goal_id]
        assert s.scalars(select(m.Touchpoint.id)).all() == [touch_id]
        restored = s.get(m.EventPlan, event_id)
        assert restored is not None and restored.sequence == 1  # put back into a plan: bumped
        contact = s.get(m.Contact, ana_id)
        assert contact is not None and contact.last_touch_on is not None
