"""Event plans on their own (core.event_plans): create, list, edit with a version check,
delete and restore, snapshot and restore; on a real database file."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from planner.core.errors import ConflictError
from planner.core.event_plans import EventPlans
from planner.db import models as m
from planner.db.database import Database
from planner.db.starter import STARTER_CHECKLIST


def test_create_list_update_delete_restore(db: Database) -> None:
    plans = EventPlans(db)
    forum, changes = plans.create("Forum", starts_local=datetime(2026, 6, 1, 9, 0))
    assert forum.id in changes.events
    meetup, _ = plans.create("Meetup", starter_checklist=False)
    rows = plans.list(today=date(2026, 5, 1))
    assert [r.name for r in rows] == ["Forum", "Meetup"]
    assert [c.text for c in plans.detail(forum.id).checklist] == list(STARTER_CHECKLIST)
    assert plans.detail(meetup.id).checklist == ()
    edited, _ = plans.update(forum.id, expected_version=forum.version, venue="FIL")
    assert (edited.venue, edited.sequence) == ("FIL", 1)
    with pytest.raises(ConflictError):
        plans.update(forum.id, expected_version=forum.version, venue="Elsewhere")
    taken, _ = plans.delete(forum.id)
    assert [r.name for r in plans.list()] == ["Meetup"]
    plans.restore(taken)
    assert plans.get(forum.id).venue == "FIL"
    with db.session() as s:
        assert len(s.scalars(select(m.EventChecklistItem.id)).all()) == len(STARTER_CHECKLIST)


def test_plan_snapshot_and_restore_plan(db: Database) -> None:
    plans = EventPlans(db)
    event, _ = plans.create("Forum", description="Before")
    snapshot = plans.plan_snapshot(event.id)
    plans.update(event.id, description="After")
    with db.session() as s:
        s.execute(m.EventChecklistItem.__table__.delete())
    plans.restore_plan(snapshot)
    detail = plans.detail(event.id)
    assert detail.event.description == "Before"
    assert [c.text for c in detail.checklist] == list(STARTER_CHECKLIST)
    assert detail.event.sequence == 2
