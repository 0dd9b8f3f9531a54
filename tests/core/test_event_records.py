"""Event records and the rules read off a plan (core.event_records): its day, the days until
it, its cost as shown, a goal's label, and the record of a real row."""

from __future__ import annotations

from datetime import date, datetime

from planner.core.event_records import (
    GoalRecord,
    days_until,
    event_day,
    event_record,
    format_cost,
    quick_add_defaults,
)
from planner.db import models as m
from planner.db.database import Database

TODAY = date(2026, 5, 1)


def test_event_day_is_never_in_the_future(db: Database) -> None:
    with db.session() as s:
        ahead = m.EventPlan(name="Ahead", starts_local=datetime(2026, 6, 2, 9, 0))
        past = m.EventPlan(name="Past", starts_local=datetime(2026, 3, 2, 9, 0))
        undated = m.EventPlan(name="Someday")
        s.add_all([ahead, past, undated])
        s.flush()
        records = [event_record(e) for e in (ahead, past, undated)]
    assert [event_day(e, TODAY) for e in records] == [TODAY, date(2026, 3, 2), TODAY]
    assert [days_until(e, TODAY) for e in records] == [32, 0, 0]
    assert records[0].name == "Ahead" and records[0].sequence == 0


def test_format_cost() -> None:
    assert format_cost(None, "EUR") == ""
    assert format_cost(0, "EUR") == "Free"
    assert format_cost(123456, "EUR") == "1,234.56 EUR"


def test_goal_labels_and_quick_add_defaults() -> None:
    meet = GoalRecord(1, 1, "meet_new", target=3, industry="Fintech", progress=3)
    talk = GoalRecord(2, 1, "talk_to", contact_name="Ana Ruiz")
    assert meet.label.startswith("Meet 3 new people in Fintech") and meet.done
    assert talk.label == "Talk to Ana Ruiz" and not talk.done
    assert quick_add_defaults([talk, meet]) == ("Fintech", "")
