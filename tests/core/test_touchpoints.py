"""Touchpoints move the cadence; the timeline is complete and newest first; balance counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError, ValidationError
from planner.core.referrals import ReferralService
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database


def test_logging_moves_next_due_and_undo_moves_it_back(db: Database) -> None:
    contacts = ContactService(db)
    rec, _ = contacts.create({"name": "Ana", "cadence_days": 30})
    touches = TouchpointService(db)
    day = date.today() - timedelta(days=2)
    tp, changes = touches.log(rec.id, day, "call", "caught_up")
    assert changes == Changes.of(contacts=[rec.id], touchpoints=[tp.id])
    after = contacts.get(rec.id)
    assert after.last_touch_on == day
    assert after.next_touch_due == day + timedelta(days=30)
    touches.update(tp.id, {"occurred_on": day - timedelta(days=10)})
    assert contacts.get(rec.id).next_touch_due == day + timedelta(days=20)
    deleted, _ = touches.delete(tp.id)
    assert contacts.get(rec.id).last_touch_on is None
    assert contacts.get(rec.id).next_touch_due == rec.next_touch_due
    touches.restore(deleted)
    assert contacts.get(rec.id).last_touch_on == day - timedelta(days=10)


def test_timeline_is_whole_and_newest_first(db: Database) -> None:
    cid = ContactService(db).create({"name": "Ana"})[0].id
    touches = TouchpointService(db)
    for i in range(60):
        touches.log(cid, date(2020, 1, 1) + timedelta(days=i * 7), "email", "caught_up")
    timeline = touches.timeline(cid)
    assert len(timeline) == 60
    assert timeline[0].occurred_on > timeline[-1].occurred_on


def test_balance_last_12_months(db: Database) -> None:
    cid = ContactService(db).create({"name": "Ana"})[0].id
    touches = TouchpointService(db)
    today = date(2026, 6, 1)
    touches.log(cid, date(2026, 5, 1), "call", "gave_value")
    touches.log(cid, date(2026, 4, 1), "call", "gave_value")
    touches.log(cid, date(2026, 3, 1), "call", "asked")
    touches.log(cid, date(2025, 5, 1), "call", "asked")  # older than 12 months
    balance = touches.balance(cid, today)
    assert (balance.gave, balance.asked) == (2, 1)


def test_touchpoint_validation(db: Database) -> None:
    cid = ContactService(db).create({"name": "Ana"})[0].id
    touches = TouchpointService(db)
    with pytest.raises(ValidationError):
        touches.log(cid, date.today() + timedelta(days=10), "call", "met")
    with pytest.raises(ValidationError):
        touches.log(cid, date.today(), "pigeon", "met")
    with pytest.raises(ValidationError):
        touches.log(cid, date.today(), "call", "gossip")


def test_referrals_both_ways(db: Database) -> None:
    contacts = ContactService(db)
    ana = contacts.create({"name": "Ana"})[0].id
    ben = contacts.create({"name": "Ben"})[0].id
    refs = ReferralService(db)
    r, _ = refs.create(ana, "i_asked", date(2026, 1, 5), other_contact_id=ben, note="intro to Ben")
    assert r.status == "asked"
    r2, _ = refs.update(r.id, {"status": "made"})
    assert r2.status == "made"
    with pytest.raises(ValidationError):
        refs.update(r.id, {"status": "outcome", "outcome": " "})
    refs.update(r.id, {"status": "outcome", "outcome": "Got the job"})
    assert [x.id for x in refs.for_contact(ben)] == [r.id]  # seen from the other side too
    with pytest.raises(ValidationError):
        refs.create(ana, "sideways", date(2026, 1, 5))
    deleted, _ = refs.delete(r.id)
    assert refs.for_contact(ana) == []
    refs.restore(deleted)
    assert refs.for_contact(ana)[0].outcome == "Got the job"


def test_log_many_is_one_transaction_all_or_none(db: Database) -> None:
    contacts = ContactService(db)
    a = contacts.create({"name": "Ana"})[0].id
    b = contacts.create({"name": "Ben"})[0].id
    touches = TouchpointService(db)
    with pytest.raises(NotFoundError):
        touches.log_many([a, 999_999, b], date.today(), "call", "met")
    assert touches.timeline(a) == [] and touches.timeline(b) == []
    records, changes = touches.log_many([a, b], date.today(), "call", "met")
    assert [r.contact_id for r in records] == [a, b]
    assert changes.contacts == {a, b}
    assert changes.touchpoints == {r.id for r in records}
    assert contacts.get(a).last_touch_on == date.today()


def test_delete_many_and_restore_many_round_trip(db: Database) -> None:
    contacts = ContactService(db)
    a = contacts.create({"name": "Ana"})[0].id
    b = contacts.create({"name": "Ben"})[0].id
    touches = TouchpointService(db)
    records, _ = touches.log_many([a, b], date.today(), "call", "met")
    with pytest.raises(NotFoundError):
        touches.delete_many([records[0].id, 424242])
    assert len(touches.timeline(a)) == 1  # nothing deleted
    deleted, changes = touches.delete_many([r.id for r in records])
    assert changes.contacts == {a, b}
    assert contacts.get(b).last_touch_on is None
    restored, _ = touches.restore_many(deleted)
    assert [t.id for t in touches.timeline(b)] == [records[1].id]
    assert restored == deleted
    assert contacts.get(b).last_touch_on == date.today()
