"""The keep-in-touch rule, alone and as the contact service applies it."""

from __future__ import annotations

from datetime import date

from planner.core.cadence import next_touch_due
from planner.core.contacts import ContactService
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database


def test_due_counts_from_the_last_touch_or_else_from_when_added() -> None:
    added = date(2026, 1, 1)
    assert next_touch_due(None, added, 30) == date(2026, 1, 31)
    assert next_touch_due(date(2026, 2, 10), added, 30) == date(2026, 3, 12)
    # Across a leap day and a year end.
    assert next_touch_due(date(2028, 2, 28), added, 1) == date(2028, 2, 29)
    assert next_touch_due(date(2026, 12, 31), added, 1) == date(2027, 1, 1)


def test_no_cadence_means_never_due() -> None:
    for days in (None, 0, -5):
        assert next_touch_due(date(2026, 2, 10), date(2026, 1, 1), days) is None


def test_the_contact_service_keeps_next_due_on_the_rule(db: Database) -> None:
    contacts = ContactService(db)
    ana, _ = contacts.create({"name": "Ana", "cadence_days": 10})
    added = ana.created_at.date() if ana.created_at else date.today()
    assert ana.next_touch_due == next_touch_due(None, added, 10)
    TouchpointService(db).log(ana.id, date(2026, 1, 5), "email", "caught_up")
    assert contacts.get(ana.id).next_touch_due == date(2026, 1, 15)
    contacts.set_cadence([ana.id], 20)
    assert contacts.get(ana.id).next_touch_due == date(2026, 1, 25)
    contacts.update(ana.id, {"cadence_days": None})
    assert contacts.get(ana.id).next_touch_due is None
