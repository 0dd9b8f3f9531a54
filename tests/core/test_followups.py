"""FollowUpService against a real SQLite file: changes, sequence, completion, lists."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from planner.core import scheduling
from planner.core.contact_rows import new_contact
from planner.core.errors import NotFoundError, ValidationError
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db import models as m
from planner.db.database import Database

TODAY = date(2026, 3, 10)
UTC = ZoneInfo("UTC")


def _contact(db: Database, name: str = "Ana Ruiz", cadence: int | None = 30) -> int:
    with db.session() as s:
        return new_contact(s, name, organisation="Globex", cadence_days=cadence).id


@pytest.fixture
def svc(db: Database) -> FollowUpService:
    return FollowUpService(db, UTC)


def test_create_update_and_sequence_grows_on_every_change(
    db: Database, svc: FollowUpService
) -> None:
    cid = _contact(db)
    fu = svc.create(FollowUpDraft(cid, TODAY, channel="email", purpose="send slides"))[0]
    assert fu.status == "open" and fu.sequence == 0 and len(fu.uuid) == 36
    changed = svc.update(fu.id, FollowUpDraft(cid, TODAY, time(9, 30), "Europe/London", "call"))[0]
    assert changed.sequence == 1 and changed.due_time == time(9, 30)
    assert changed.time_zone == "Europe/London"
    moved = svc.reschedule(fu.id, TODAY + timedelta(days=3))[0]
    assert moved.sequence == 2 and moved.due_time == time(9, 30)
    snoozed = svc.snooze(fu.id, "tomorrow", TODAY)[0]
    assert snoozed.due_date == TODAY + timedelta(days=4) and snoozed.sequence == 3
    restored = svc.restore(fu)[0]
    assert restored.due_date == TODAY and restored.due_time is None and restored.sequence == 4
    cancelled = svc.cancel(fu.id)[0]
    assert cancelled.status == "cancelled" and cancelled.sequence == 5
    assert cancelled.uuid == fu.uuid
    with pytest.raises(ValidationError):
        svc.reschedule(fu.id, TODAY)[0]


def test_validation_messages(db: Database, svc: FollowUpService) -> None:
    with pytest.raises(ValidationError) as err:
        svc.create(FollowUpDraft(None, TODAY))[0]
    assert err.value.field == "purpose"
    with pytest.raises(ValidationError) as err:
        svc.create(FollowUpDraft(9999, TODAY))[0]
    assert err.value.field == "contact_id"
    cid = _contact(db)
    with pytest.raises(ValidationError) as err:
        svc.create(FollowUpDraft(cid, TODAY, time(9), "Nowhere/Town"))[0]
    assert err.value.field == "time_zone"
    with pytest.raises(ValidationError):
        svc.create(FollowUpDraft(cid, TODAY, channel="pigeon"))[0]
    with pytest.raises(NotFoundError):
        svc.get(12345)


def test_no_contact_follow_up_is_allowed_with_a_purpose(svc: FollowUpService) -> None:
    fu = svc.create(FollowUpDraft(None, TODAY, purpose="Renew the guild membership"))[0]
    [item] = svc.list_range(TODAY, TODAY)
    assert item.followup.id == fu.id and item.contact_name == ""
    done = svc.complete(fu.id, TODAY)[0]
    assert done.touchpoint_id is None and done.next_followup is None
    assert done.followup.status == "done"


def test_complete_logs_touchpoint_and_schedules_by_cadence(
    db: Database, svc: FollowUpService
) -> None:
    cid = _contact(db, cadence=30)
    fu = svc.create(
        FollowUpDraft(cid, TODAY - timedelta(days=2), channel="call", purpose="catch up")
    )[0]
    result = svc.complete(fu.id, TODAY)[0]
    assert result.followup.status == "done" and result.followup.completed_at is not None
    assert result.next_followup is not None
    assert result.next_followup.due_date == TODAY + timedelta(days=30)
    assert result.next_followup.origin == "cadence"
    with db.session() as s:
        touch = s.get(m.Touchpoint, result.touchpoint_id)
        assert touch is not None
        assert (touch.channel, touch.note, touch.occurred_on) == ("call", "catch up", TODAY)
        contact = s.get(m.Contact, cid)
        assert contact is not None
        assert contact.last_touch_on == TODAY
        assert contact.next_touch_due == TODAY + timedelta(days=30)

    reopened = svc.undo_complete(result)[0]
    assert reopened.status == "open" and reopened.completed_at is None
    assert reopened.sequence == result.followup.sequence + 1
    with db.session() as s:
        assert s.get(m.Touchpoint, result.touchpoint_id) is None
        assert s.get(m.FollowUp, result.next_followup.id) is None
        contact = s.get(m.Contact, cid)
        assert contact is not None and contact.last_touch_on is None


def test_complete_without_cadence_schedules_nothing(db: Database, svc: FollowUpService) -> None:
    cid = _contact(db, cadence=None)
    fu = svc.create(FollowUpDraft(cid, TODAY, purpose="thanks"))[0]
    result = svc.complete(fu.id, TODAY)[0]
    assert result.touchpoint_id is not None and result.next_followup is None
    with pytest.raises(ValidationError):
        svc.complete(fu.id, TODAY)[0]


def test_day_counts_and_ranges(db: Database, svc: FollowUpService) -> None:
    cid = _contact(db)
    for offset in (0, 0, 1, 5):
        svc.create(FollowUpDraft(cid, TODAY + timedelta(days=offset), purpose="x"))[0]
    gone = svc.create(FollowUpDraft(cid, TODAY, purpose="cancelled"))[0]
    svc.cancel(gone.id)[0]
    done = svc.create(FollowUpDraft(cid, TODAY + timedelta(days=1), purpose="done"))[0]
    # The contact has other open follow-ups, so completing schedules no cadence one.
    assert svc.complete(done.id, TODAY)[0].next_followup is None
    with db.session() as s:
        s.add(m.EventPlan(name="Meetup", starts_local=datetime.combine(TODAY, time(18))))
    counts = svc.day_counts(TODAY, TODAY + timedelta(days=41))
    assert counts[TODAY].open == 2 and counts[TODAY].events == 1 and counts[TODAY].done == 0
    assert counts[TODAY + timedelta(days=1)].open == 1
    assert counts[TODAY + timedelta(days=1)].done == 1
    assert TODAY + timedelta(days=30) not in counts
    assert TODAY + timedelta(days=2) not in counts
    assert len(svc.list_range(TODAY, TODAY + timedelta(days=1))) == 4
    assert svc.count_range(TODAY, TODAY + timedelta(days=6)) == 5
    assert [e.name for e in svc.events_on(TODAY, TODAY)] == ["Meetup"]


def test_list_range_orders_all_day_first_then_by_time(db: Database, svc: FollowUpService) -> None:
    cid = _contact(db)
    late = svc.create(FollowUpDraft(cid, TODAY, time(15), "UTC", purpose="late"))[0]
    early = svc.create(FollowUpDraft(cid, TODAY, time(8), "UTC", purpose="early"))[0]
    allday = svc.create(FollowUpDraft(cid, TODAY, purpose="all day"))[0]
    assert [i.id for i in svc.list_range(TODAY, TODAY)] == [allday.id, early.id, late.id]


def test_overdue_list(db: Database, svc: FollowUpService) -> None:
    cid = _contact(db)
    old = svc.create(FollowUpDraft(cid, TODAY - timedelta(days=9), purpose="old"))[0]
    recent = svc.create(FollowUpDraft(cid, TODAY - timedelta(days=1), purpose="recent"))[0]
    svc.create(FollowUpDraft(cid, TODAY, purpose="today"))[0]
    closed = svc.create(FollowUpDraft(cid, TODAY - timedelta(days=3), purpose="closed"))[0]
    svc.cancel(closed.id)[0]
    assert [i.id for i in svc.overdue(TODAY)] == [old.id, recent.id]
    assert svc.overdue_count(TODAY) == 2
    assert [i.id for i in svc.overdue(TODAY, limit=1)] == [old.id]
    assert [i.id for i in svc.overdue(TODAY, limit=1, offset=1)] == [recent.id]


def _set_due(db: Database, cid: int, due: date | None, cadence: int | None) -> None:
    with db.session() as s:
        c = s.get(m.Contact, cid)
        assert c is not None
        c.next_touch_due = due
        c.cadence_days = cadence


def test_losing_touch_worst_first_and_schedule_removes(db: Database, svc: FollowUpService) -> None:
    a = _contact(db, "Aoife Murphy")
    b = _contact(db, "Björn Eriksen")
    c = _contact(db, "Chen Wei")
    d = _contact(db, "Dmitri Petrov")
    e = _contact(db, "Elif Yılmaz")
    _set_due(db, a, TODAY - timedelta(days=5), 30)
    _set_due(db, b, TODAY - timedelta(days=40), 90)
    _set_due(db, c, TODAY - timedelta(days=5), 14)  # same lapse as a, closer tie -> first
    _set_due(db, d, TODAY + timedelta(days=3), 30)  # not lapsed
    _set_due(db, e, TODAY - timedelta(days=60), 30)
    svc.create(FollowUpDraft(e, TODAY + timedelta(days=2), purpose="already planned"))[0]
    items = svc.losing_touch(TODAY)
    assert [i.contact_id for i in items] == [b, c, a]
    assert svc.losing_touch_count(TODAY) == 3
    assert svc.losing_touch_count(TODAY, cap=1) == 2  # "1+"
    assert [i.contact_id for i in svc.losing_touch(TODAY, limit=2, offset=1)] == [c, a]
    assert items[0].days_lapsed == 40
    [fu], _ = svc.schedule_keep_in_touch([b], TODAY)
    assert fu.origin == "cadence"
    items = svc.losing_touch(TODAY)
    assert [i.contact_id for i in items] == [c, a] and svc.losing_touch_count(TODAY) == 2


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.integers(-30, 30), st.sampled_from([None, 7, 30, 90]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_losing_touch_sql_matches_the_rule(
    db: Database, svc: FollowUpService, rows: list[tuple[int, int | None, bool]]
) -> None:
    with db.session() as s:
        s.execute(m.FollowUp.__table__.delete())
        s.execute(m.Contact.__table__.delete())
    table = []
    has_open = set()
    for n, (offset, cadence, planned) in enumerate(rows):
        cid = _contact(db, f"P{n % 3}", cadence)
        due = TODAY + timedelta(days=offset)
        _set_due(db, cid, due, cadence)
        table.append((cid, due, cadence, f"P{n % 3}"))
        if planned:
            svc.create(FollowUpDraft(cid, TODAY + timedelta(days=1), purpose="p"))[0]
            has_open.add(cid)
    items = svc.losing_touch(TODAY)
    expected = scheduling.losing_touch_order(table, TODAY, has_open)
    assert [i.contact_id for i in items] == expected
    assert svc.losing_touch_count(TODAY) == len(expected)


def test_notification_candidates_fire_once(db: Database, svc: FollowUpService) -> None:
    cid = _contact(db)
    now = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    soon = svc.create(FollowUpDraft(cid, TODAY, time(9, 30), "UTC", purpose="call"))[0]
    svc.create(FollowUpDraft(cid, TODAY - timedelta(days=5), purpose="old, overdue"))[0]
    allday = svc.create(FollowUpDraft(cid, TODAY, purpose="today"))[0]
    assert [i.id for i in svc.due_for_notification(now)] == [allday.id]
    svc.mark_notified([allday.id], now)
    assert svc.due_for_notification(now) == []
    later = now + timedelta(minutes=31)
    assert [i.id for i in svc.due_for_notification(later)] == [soon.id]
    before = svc.get(soon.id).sequence
    svc.mark_notified([soon.id], later)
    assert svc.get(soon.id).sequence == before
    assert svc.due_for_notification(later) == []
    # Rescheduling makes it notify again on its new day.
    svc.reschedule(soon.id, TODAY + timedelta(days=1))[0]
    assert svc.due_for_notification(later + timedelta(days=1)) != []


def test_find_contacts_folds_accents(db: Database, svc: FollowUpService) -> None:
    _contact(db, "Zoë Achterberg")
    _contact(db, "Liam Smith")
    assert [c.name for c in svc.find_contacts("zoe")] == ["Zoë Achterberg"]
    assert len(svc.find_contacts("")) == 2
    assert svc.find_contacts("100%") == []


def test_delete_and_restore_recreates_with_same_uuid(db: Database, svc: FollowUpService) -> None:
    cid = _contact(db)
    fu = svc.create(FollowUpDraft(cid, TODAY, purpose="x"))[0]
    svc.delete(fu.id)
    with db.session() as s:
        assert s.scalar(select(m.FollowUp.id)) is None
    back = svc.restore(fu)[0]
    assert back.uuid == fu.uuid and back.id == fu.id and back.sequence == 1
